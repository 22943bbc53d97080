"""Command line: ``python -m sjalvservice.simulators.saml_idp --data-dir DIR [options]``.

Prints one ``READY url=... entity_id=... metadata=... metadata_cert=...`` line on stdout once
the listener accepts connections (scripts wait for it), then serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ..base import serve
from .bankid import BankIdConnection
from .server import Simulator

BANKID_OPTIONS = ("bankid_api", "bankid_ca", "bankid_cert", "bankid_key", "bankid_app")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m sjalvservice.simulators.saml_idp",
        description="Simulated regional SAML2 identity provider with BankID (127.0.0.1 only).",
    )
    parser.add_argument("--data-dir", type=Path, required=True, help="where the keys live")
    parser.add_argument("--port", type=int, default=8448, help="port (0: any free)")
    parser.add_argument("--region", default="Region Västerbotten", help="the region's name")
    parser.add_argument(
        "--sp-metadata", help="the SP's metadata: an http(s) URL or a file, read when needed"
    )
    group = parser.add_argument_group("BankID (all or none)")
    group.add_argument("--bankid-api", help="RP API base URL, e.g. https://127.0.0.1:8443/rp/v6.0/")
    group.add_argument("--bankid-ca", type=Path, help="the BankID server CA (PEM) to pin")
    group.add_argument("--bankid-cert", type=Path, help="the RP client certificate (PEM)")
    group.add_argument("--bankid-key", type=Path, help="the RP client key (PEM)")
    group.add_argument("--bankid-app", help="the (test) BankID app's URL for the autostart link")
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    args = parser.parse_args(argv)
    given = [name for name in BANKID_OPTIONS if getattr(args, name) is not None]
    if given and len(given) != len(BANKID_OPTIONS):
        missing = sorted(set(BANKID_OPTIONS) - set(given))
        parser.error(
            "BankID needs all of its options; missing: "
            + ", ".join("--" + name.replace("_", "-") for name in missing)
        )
    for name in ("bankid_ca", "bankid_cert", "bankid_key"):
        path = getattr(args, name)
        if path is not None and not path.is_file():
            parser.error(f"--{name.replace('_', '-')}: no such file: {path}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator until SIGINT or SIGTERM; return the exit status."""
    args = parse_args(argv)
    # pysaml2 logs failed checks with the messages in them; this process's own one-line logs
    # say what happened without personal data.
    logging.getLogger("saml2").setLevel(logging.CRITICAL + 1)
    bankid = None
    if args.bankid_api is not None:
        bankid = BankIdConnection(
            api_url=args.bankid_api,
            ca_cert=args.bankid_ca,
            client_cert=args.bankid_cert,
            client_key=args.bankid_key,
            app_url=args.bankid_app,
        )
    simulator = Simulator(
        args.data_dir,
        port=args.port,
        region=args.region,
        sp_metadata=args.sp_metadata,
        bankid=bankid,
        quiet=args.quiet,
    )

    def ready() -> str:
        return (
            f"READY url={simulator.url} entity_id={simulator.entity_id} "
            f"metadata={simulator.metadata_url} metadata_cert={simulator.metadata_signing_cert}"
        )

    return serve(simulator, "saml-idp-simulator", ready)


if __name__ == "__main__":
    sys.exit(main())
