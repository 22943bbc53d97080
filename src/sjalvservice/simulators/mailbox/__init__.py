"""A mail catcher for the demo and for tests: a real SMTP server on loopback (aiosmtpd) that
keeps what it receives and shows it on a web page, "Demons brevlåda".

Run it with ``python -m sjalvservice.simulators.mailbox`` or, in tests::

    with Simulator() as mailbox:
        ...  # send to mailbox.smtp_host:mailbox.smtp_port, then mailbox.wait_for(1)

It never imports the portal, and the portal never imports it: the portal only sends mail to
its SMTP port, exactly as to a real relay.
"""

from .faults import Faults
from .server import Simulator
from .store import Mailbox, Received

__all__ = ["Faults", "Mailbox", "Received", "Simulator"]
