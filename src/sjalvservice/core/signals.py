"""Signals core sends for the apps above it, which core does not know."""

from django.dispatch import Signal

# Sent with ``request`` and ``language`` when a person switches the portal's language.
language_chosen = Signal()

# Sent with ``now`` by ``sjalvservice tick`` once a minute: the apps' own chores (such as
# reminding people to confirm their queue places) run in their receivers.
tick = Signal()
