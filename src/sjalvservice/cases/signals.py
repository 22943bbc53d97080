"""Signals the cases app sends for the apps above it, which it does not know."""

from django.dispatch import Signal

# Sent with ``case`` and ``event`` by ``cases.services._event`` for every event of a
# submitted case, inside the change's transaction: the integration API writes its
# webhooks to the outbox there, so they exist exactly when the change does.
event_recorded = Signal()
