from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.signals import tick


class CasesConfig(AppConfig):
    name = "sjalvservice.cases"
    label = "cases"
    verbose_name = _("Ärenden")

    def ready(self) -> None:
        # The catalogue publishes versions without knowing of cases; the statuses a new
        # version names are made here, in the same transaction.
        post_save.connect(
            _version_published, sender="eservices.EServiceVersion", dispatch_uid="case-statuses"
        )
        tick.connect(_remind_of_confirmations, dispatch_uid="queue-places-remind")
        tick.connect(_expire_drafts, dispatch_uid="drafts-expire")
        tick.connect(_purge_closed_cases, dispatch_uid="cases-retention")


def _remind_of_confirmations(sender: Any, now: Any, **kwargs: Any) -> int:
    from sjalvservice.cases.services import remind_queue_confirmations

    return remind_queue_confirmations(now)


def _expire_drafts(sender: Any, now: Any, **kwargs: Any) -> Any:
    from sjalvservice.cases.drafts import expire_drafts

    return expire_drafts(now)


def _purge_closed_cases(sender: Any, now: Any, **kwargs: Any) -> Any:
    from sjalvservice.cases.retention import purge_closed_cases

    return purge_closed_cases(now)


def _version_published(sender: Any, instance: Any, created: bool, raw: bool, **kwargs: Any) -> None:
    if created and not raw:
        from sjalvservice.cases.services import ensure_statuses

        ensure_statuses(instance)
