"""The staff login through its real forms: password, then a TOTP code; lockout; logout."""

import base64
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.views.auth import PENDING_LOGIN, PENDING_LOGIN_SECONDS

PASSWORD = "a-long-test-password"
LOGIN = reverse("backoffice:login")
VERIFY = reverse("backoffice:verify")
ENROL = reverse("backoffice:enrol")
MANAGE = reverse("backoffice:manage")


def code(device, steps_ahead=0):
    """The code the person's authenticator app shows (``steps_ahead`` 30-second steps on)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device):
    right = {code(device, steps) for steps in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in right)


@pytest.fixture
def app(karin):
    return TOTPDevice.objects.create(user=karin, name="Mobil", confirmed=True)


@pytest.fixture
def root(db):
    """A platform administrator: no municipality, an authenticator app."""
    user = User.objects.create_superuser("root", PASSWORD)
    TOTPDevice.objects.create(user=user, name="Mobil", confirmed=True)
    return user


def give_password(client, username="karin", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def is_logged_in(client):
    return SESSION_KEY in client.session


def test_the_login_page_asks_for_username_and_password(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Logga in som handläggare" in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert "csrfmiddlewaretoken" in page


def test_a_handler_logs_in_with_password_and_code(client, karin, app):
    response = give_password(client)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    page = client.get(VERIFY).content.decode()
    assert "Engångskod" in page
    assert 'inputmode="numeric"' in page
    assert 'autocomplete="one-time-code"' in page

    response = client.post(VERIFY, {"code": code(app)})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:inbox")
    assert client.session[SESSION_KEY] == str(karin.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == app.persistent_id
    assert PENDING_LOGIN not in client.session
    assert client.get(MANAGE).status_code == 200


def test_the_code_may_be_written_with_spaces(client, karin, app):
    give_password(client)
    digits = code(app)
    response = client.post(VERIFY, {"code": f"{digits[:3]} {digits[3:]}"})
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_password_alone_opens_neither_the_back_office_nor_the_admin(client, karin, app):
    karin.is_superuser = True
    karin.save()
    give_password(client)
    assert not is_logged_in(client)
    response = client.get(reverse("backoffice:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get(MANAGE)["Location"].startswith(LOGIN)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)


def test_a_session_without_the_second_factor_does_not_reach_the_admin(client, root):
    client.force_login(root)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"


def test_a_platform_administrator_logs_in_and_lands_in_the_admin(client, root):
    give_password(client, "root")
    device = TOTPDevice.objects.get(user=root)
    response = client.post(VERIFY, {"code": code(device)})
    assert response["Location"] == reverse("admin:index")
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused(client, karin, app):
    give_password(client)
    response = client.post(VERIFY, {"code": wrong_code(app)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Koden stämmer inte" in page
    assert 'href="#id_code"' in page  # the error summary links to the field
    assert "govuk-input--error" in page
    assert not is_logged_in(client)
    assert AccessAttempt.objects.get(username="karin").failures_since_start == 1


def test_a_code_that_is_not_six_digits_is_explained_and_not_counted(client, karin, app):
    give_password(client)
    for bad in ("", "12345", "12345a", "1234567"):
        response = client.post(VERIFY, {"code": bad})
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert not is_logged_in(client)


def test_a_used_code_cannot_be_used_again(client, karin, app):
    give_password(client)
    used = code(app)
    client.post(VERIFY, {"code": used})
    other = Client()
    give_password(other)
    response = other.post(VERIFY, {"code": used})
    assert response.status_code == 200
    assert not is_logged_in(other)


def test_right_after_a_wrong_code_the_app_asks_to_wait_without_counting(client, karin, app):
    give_password(client)
    client.post(VERIFY, {"code": wrong_code(app)})
    response = client.post(VERIFY, {"code": code(app)})
    assert "Vänta några sekunder" in response.content.decode()
    assert AccessAttempt.objects.get(username="karin").failures_since_start == 1


def test_the_code_step_needs_a_correct_password_first(client, karin, app):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    response = client.post(VERIFY, {"code": code(app)})
    assert response["Location"] == LOGIN
    assert not is_logged_in(client)


def test_the_password_step_expires_after_five_minutes(client, karin, app):
    give_password(client)
    session = client.session
    session[PENDING_LOGIN]["at"] = time.time() - PENDING_LOGIN_SECONDS - 1
    session.save()
    response = client.post(VERIFY, {"code": code(app)})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not is_logged_in(client)
    assert "Logga in igen" in client.get(LOGIN).content.decode()


def test_the_session_gets_a_new_key_at_login(client, karin, app):
    client.get(LOGIN)
    give_password(client)
    before = client.session.session_key
    client.post(VERIFY, {"code": code(app)})
    assert client.session.session_key != before
    assert is_logged_in(client)


@pytest.mark.parametrize("target", ["https://elak.example/", "//elak.example/", "javascript:1"])
def test_next_cannot_lead_off_the_site(client, karin, app, target):
    give_password(client, next=target)
    response = client.post(VERIFY, {"code": code(app)})
    assert response["Location"] == reverse("backoffice:inbox")


def test_next_leads_back_to_the_page_asked_for(client, karin, app):
    response = client.get(MANAGE)
    assert response["Location"] == f"{LOGIN}?next={MANAGE}"
    assert f'value="{MANAGE}"' in client.get(response["Location"]).content.decode()
    give_password(client, next=MANAGE)
    response = client.post(VERIFY, {"code": code(app)})
    assert response["Location"] == MANAGE


@pytest.mark.parametrize(
    ("username", "password"),
    [("karin", "fel-losenord-123"), ("okand", PASSWORD), ("KARIN", PASSWORD), ("", "")],
)
def test_a_wrong_username_or_password_gets_the_same_words(client, karin, username, password):
    response = give_password(client, username, password)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    if username and password:
        assert "Fel användarnamn eller lösenord" in page
    assert PENDING_LOGIN not in client.session


def test_a_citizen_can_never_log_in_here(client, anna):
    response = give_password(client, anna.personal_identity_number, "")
    assert response.status_code == 200
    # Even a citizen account that somehow had a username and password is refused.
    anna.username = "anna"
    anna.set_password(PASSWORD)
    anna.save()
    response = give_password(client, "anna", PASSWORD)
    assert "Fel användarnamn eller lösenord" in response.content.decode()
    assert PENDING_LOGIN not in client.session


def test_a_deactivated_handler_cannot_log_in(client, karin, app):
    karin.is_active = False
    karin.save()
    response = give_password(client)
    assert "Fel användarnamn eller lösenord" in response.content.decode()


def test_a_handler_deactivated_between_the_steps_is_stopped(client, karin, app):
    give_password(client)
    User.objects.filter(pk=karin.pk).update(is_active=False)
    response = client.post(VERIFY, {"code": code(app)})
    assert response["Location"] == LOGIN
    assert not is_logged_in(client)


def test_five_wrong_passwords_lock_the_username_out_until_the_cooloff(client, karin, app):
    for _attempt in range(4):
        assert give_password(client, password="fel-losenord-123").status_code == 200
    response = give_password(client, password="fel-losenord-123")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Inloggningen är spärrad en stund" in page
    assert "30 minuter" in page
    assert "administratör" in page
    # Now not even the right password helps,
    assert give_password(client).status_code == 429
    assert PENDING_LOGIN not in client.session
    # ... until the cooloff has passed.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=31))
    response = give_password(client)
    assert response["Location"] == VERIFY


def test_a_lockout_of_one_username_leaves_others_alone(client, karin, app, cecilia):
    for _attempt in range(5):
        give_password(client, password="fel-losenord-123")
    assert give_password(client, "cecilia").status_code == 302


def test_five_wrong_codes_lock_the_username_out(client, karin, app, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the app's own back-off would slow this test down
    give_password(client)
    for _attempt in range(4):
        assert client.post(VERIFY, {"code": wrong_code(app)}).status_code == 200
    response = client.post(VERIFY, {"code": wrong_code(app)})
    assert response.status_code == 429
    assert "Inloggningen är spärrad en stund" in response.content.decode()
    assert PENDING_LOGIN not in client.session
    assert client.post(VERIFY, {"code": code(app)})["Location"] == LOGIN
    assert give_password(client).status_code == 429
    assert not is_logged_in(client)


def test_wrong_passwords_and_codes_count_together(client, karin, app, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    for _attempt in range(3):
        give_password(client, password="fel-losenord-123")
    give_password(client)
    client.post(VERIFY, {"code": wrong_code(app)})
    response = client.post(VERIFY, {"code": wrong_code(app)})
    assert response.status_code == 429


def test_a_successful_login_clears_the_failures(client, karin, app):
    for _attempt in range(4):
        give_password(client, password="fel-losenord-123")
    give_password(client)
    client.post(VERIFY, {"code": code(app)})
    assert not AccessAttempt.objects.exists()


def test_the_first_login_enrols_an_authenticator_app(client, karin):
    response = give_password(client)
    assert response["Location"] == ENROL
    response = client.get(ENROL)
    assert response.status_code == 200
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=karin)
    assert not device.confirmed
    assert '<svg role="img" aria-label="QR-kod att skanna med autentiseringsappen"' in page
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert 'autocomplete="one-time-code"' in page
    # Reloading the page shows the same secret: no second device.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=karin).count() == 1

    response = client.post(ENROL, {"code": code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:inbox")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(MANAGE).status_code == 200


def test_an_unconfirmed_device_is_not_enough(client, karin):
    give_password(client)
    client.get(ENROL)
    # The code step sends back to enrolment, and nobody is logged in yet.
    assert client.get(VERIFY)["Location"] == ENROL
    assert not is_logged_in(client)
    assert client.get(MANAGE)["Location"].startswith(LOGIN)
    device = TOTPDevice.objects.get(user=karin)
    response = client.post(ENROL, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert AccessAttempt.objects.get(username="karin").failures_since_start == 1


def test_a_password_alone_cannot_add_another_app(client, karin, app):
    give_password(client)
    response = client.get(ENROL)
    assert response["Location"] == VERIFY
    response = client.post(ENROL, {"code": "123456"})
    assert response["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=karin).count() == 1


def test_a_logged_in_handler_going_to_the_login_page_goes_to_the_inbox(client, karin, staff_login):
    staff_login(client, karin)
    response = client.get(LOGIN)
    assert response["Location"] == reverse("backoffice:inbox")


def test_logout_is_a_post_that_returns_to_the_staff_login(client, karin, staff_login):
    staff_login(client, karin)
    assert client.get(reverse("backoffice:logout")).status_code == 405
    response = client.post(reverse("backoffice:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not is_logged_in(client)
    assert "Du är utloggad" in client.get(LOGIN).content.decode()


def test_logout_needs_the_csrf_token(karin, staff_login):
    client = staff_login(Client(enforce_csrf_checks=True), karin)
    assert client.post(reverse("backoffice:logout")).status_code == 403
    assert is_logged_in(client)


def test_the_login_needs_the_csrf_token(karin, app):
    client = Client(enforce_csrf_checks=True)
    assert give_password(client).status_code == 403


@pytest.mark.parametrize("name", ["login", "verify", "enrol"])
def test_the_login_pages_reject_other_methods(client, db, name):
    assert client.put(reverse(f"backoffice:{name}")).status_code == 405


def test_failed_attempts_are_stored_without_passwords_or_codes(client, karin, app):
    give_password(client, password="fel-losenord-123")
    give_password(client)
    typed = wrong_code(app)
    client.post(VERIFY, {"code": typed})
    stored = AccessAttempt.objects.get(username="karin").post_data
    assert "fel-losenord-123" not in stored
    assert typed not in stored
    assert "code=" in stored
