"""A simulator of Bolagsverket's "Värdefulla datamängder" API, with invented organisations.

Run it with ``python -m sjalvservice.simulators.bolagsverket --port 8445`` or, in tests::

    with Simulator(quiet=True) as simulator:
        ...  # simulator.api_url, simulator.token_url, simulator.client_id, simulator.client_secret

It never imports the portal, and the portal never imports it: the two only share the wire
protocol, exactly as with the real service.
"""

from .organisations import OrganisationStore, load_fixtures
from .server import Simulator
from .state import PING_SCOPE, READ_SCOPE, Clock, TokenStore

__all__ = [
    "PING_SCOPE",
    "READ_SCOPE",
    "Clock",
    "OrganisationStore",
    "Simulator",
    "TokenStore",
    "load_fixtures",
]
