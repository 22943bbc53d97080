"""Signals core sends for the apps above it, which core does not know."""

from django.dispatch import Signal

# Sent with ``request`` and ``language`` when a person switches the portal's language.
language_chosen = Signal()
