"""Command line: ``python -m sjalvservice.simulators.case_system --portal URL [--port N]``.

The token and the webhook secret come from the environment (``CASE_SYSTEM_TOKEN``,
``CASE_SYSTEM_SECRET``), never the command line. Prints one ``READY url=... page=...``
line once it listens, then serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..base import serve
from .server import Simulator


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sjalvservice.simulators.case_system",
        description="A case-management system on loopback that takes the portal's cases.",
    )
    parser.add_argument("--portal", required=True, help="the portal's address")
    parser.add_argument("--port", type=int, default=8449, help="port (0: any free)")
    parser.add_argument("--system", default="Ärendesystemet", help="the system's name")
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    args = parser.parse_args(argv)
    token, secret = os.environ.get("CASE_SYSTEM_TOKEN"), os.environ.get("CASE_SYSTEM_SECRET")
    if not token or not secret:
        parser.error("CASE_SYSTEM_TOKEN and CASE_SYSTEM_SECRET must be set")
    simulator = Simulator(
        portal=args.portal, token=token, secret=secret, port=args.port, system=args.system,
        quiet=args.quiet,
    )  # fmt: skip

    def ready() -> str:
        return f"READY url={simulator.url} webhook={simulator.url}/webhooks page={simulator.url}/"

    return serve(simulator, "case-system-simulator", ready)


if __name__ == "__main__":
    sys.exit(main())
