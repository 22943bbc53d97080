"""A simulator of 46elks' SMS API, with delivery reports and a page that shows what arrived.

Run it with ``python -m sjalvservice.simulators.sms --port 8446`` or, in tests::

    with Simulator(quiet=True) as simulator:
        ...  # simulator.api_url, simulator.username, simulator.password, simulator.messages()

It never imports the portal, and the portal never imports it: the two only share the wire
protocol, exactly as with the real gateway.
"""

from .encoding import count_parts
from .server import Simulator
from .validation import is_e164, is_valid_sender

__all__ = ["Simulator", "count_parts", "is_e164", "is_valid_sender"]
