"""A simulated regional SAML2 identity provider (Sweden Connect profile) that identifies
residents with BankID, for the demo and the tests.

Run it with ``python -m sjalvservice.simulators.saml_idp --data-dir DIR`` or, in tests::

    with Simulator(tmp_path, bankid=BankIdConnection(...), quiet=True) as idp:
        ...  # idp.metadata_url, idp.entity_id, idp.metadata_signing_cert, idp.last_response

It never imports the portal, and the portal never imports it: the two only share SAML, exactly
as with the region's real identity federation.
"""

from .bankid import BankIdConnection
from .saml import EC_LOA3_PNR, FAULTS, LOA2, LOA3
from .server import Simulator

__all__ = ["EC_LOA3_PNR", "FAULTS", "LOA2", "LOA3", "BankIdConnection", "Simulator"]
