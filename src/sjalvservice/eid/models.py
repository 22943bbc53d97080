"""The count of login attempts per client and minute, kept in the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitWindow(models.Model):
    """How many attempts one key made in one minute.

    In the database, so that every process and machine counts together (a per-process
    cache let each web worker allow the limit on its own). ``key`` is a hash, never the
    client address itself. Windows older than the last two are purged by ``tick``.
    """

    key = models.CharField(_("nyckel"), max_length=64)
    window = models.BigIntegerField(_("minut"))  # minutes since the epoch
    count = models.PositiveIntegerField(_("antal"), default=0)

    class Meta:
        verbose_name = _("inloggningsförsök per minut")
        verbose_name_plural = _("inloggningsförsök per minut")
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="ratelimit_key_window")
        ]
        indexes = [models.Index(fields=["window"], name="ratelimit_window")]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.window}: {self.count}"
