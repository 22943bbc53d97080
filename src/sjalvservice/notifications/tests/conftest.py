"""The notices' peers on loopback: the mailbox (a real SMTP server) and the SMS gateway
simulator, with the portal's settings pointing at them."""

import pytest


@pytest.fixture(scope="session")
def mailbox_server():
    from sjalvservice.simulators.mailbox import Simulator

    with Simulator(quiet=True) as simulator:
        yield simulator


@pytest.fixture(scope="session")
def sms_server():
    from sjalvservice.simulators.sms import Simulator

    with Simulator(quiet=True, dlr_delay=0.05) as simulator:
        yield simulator


@pytest.fixture
def mailbox(mailbox_server, settings):
    """An empty mailbox that the portal's SMTP backend delivers to."""
    mailbox_server.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = mailbox_server.smtp_host
    settings.EMAIL_PORT = mailbox_server.smtp_port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield mailbox_server
    mailbox_server.reset()


@pytest.fixture
def sms_gateway(sms_server, settings):
    """The SMS simulator with nothing received, the portal's 46elks client pointing at it."""
    sms_server.reset()
    settings.SMS_BACKEND = "46elks"
    settings.SMS_URL = sms_server.url + "/a1"
    settings.SMS_USERNAME = sms_server.username
    settings.SMS_PASSWORD = sms_server.password
    settings.SMS_SENDER = "Skelleftea"
    settings.SMS_TIMEOUT = 5
    settings.SMS_GATEWAY_KEEPS_TEXT = True  # so that the tests can read what was sent
    yield sms_server
    sms_server.reset()


@pytest.fixture
def deliver_due():
    """Run the worker's part for every delivery that is due now, as db_worker would."""

    def run():
        from django.utils import timezone

        from sjalvservice.notifications.delivery import deliver
        from sjalvservice.notifications.models import Delivery

        due = Delivery.objects.filter(
            state__in=[Delivery.State.PENDING, Delivery.State.SENDING],
            next_attempt_at__lte=timezone.now(),
        ).values_list("pk", flat=True)
        return {pk: deliver(pk) for pk in list(due)}

    return run


@pytest.fixture
def confirmed(anna):
    """Anna wants notices by e-mail (confirmed address) and SMS."""
    from sjalvservice.accounts.models import Profile

    Profile.objects.update_or_create(
        user=anna,
        defaults={
            "email": "anna@example.se",
            "email_confirmed": "anna@example.se",
            "mobile": "0701234567",
            "notify_email": True,
            "notify_sms": True,
        },
    )
    return anna
