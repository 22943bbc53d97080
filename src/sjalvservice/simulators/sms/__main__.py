"""Command line: ``python -m sjalvservice.simulators.sms [--port N] [options]``.

Prints one ``READY url=... username=... password=... page=...`` line on stdout once the
listener accepts connections (scripts wait for it), then serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence

from ..base import serve
from .server import Simulator


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m sjalvservice.simulators.sms",
        description="46elks SMS API simulator (127.0.0.1 only).",
    )
    parser.add_argument("--port", type=int, default=8446, help="port (0: any free)")
    parser.add_argument("--username", help="the API username to accept (default: made up)")
    parser.add_argument("--password", help="the API password to accept (default: made up)")
    parser.add_argument(
        "--dlr-delay",
        type=float,
        default=0.2,
        help="seconds until an accepted SMS is delivered and its report posted",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    args = parser.parse_args(argv)
    if not 0 <= args.dlr_delay <= 3600:
        parser.error("--dlr-delay must be between 0 and 3600 seconds")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator until SIGINT or SIGTERM; return the exit status."""
    args = parse_args(argv)
    simulator = Simulator(
        port=args.port,
        username=args.username,
        password=args.password,
        quiet=args.quiet,
        dlr_delay=args.dlr_delay,
    )

    def ready() -> str:
        return (
            f"READY url={simulator.url} "
            # Quoted for shlex.split, should a name or password given on the command line need it.
            f"username={shlex.quote(simulator.username)} "
            f"password={shlex.quote(simulator.password)} "
            f"page={simulator.page_url}"
        )

    return serve(simulator, "sms-simulator", ready)


if __name__ == "__main__":
    sys.exit(main())
