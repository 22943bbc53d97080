from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "sjalvservice.api"
    label = "api"
    verbose_name = _("Integrations-API")

    def ready(self) -> None:
        from sjalvservice.api import idempotency, webhooks
        from sjalvservice.cases.signals import event_recorded
        from sjalvservice.core.signals import tick
        from sjalvservice.notifications.delivery import register_sender
        from sjalvservice.notifications.kinds import Channel

        register_sender(Channel.WEBHOOK, webhooks.send)
        event_recorded.connect(webhooks.record, dispatch_uid="api.webhooks")
        tick.connect(idempotency.forget, dispatch_uid="api.idempotency.forget")
