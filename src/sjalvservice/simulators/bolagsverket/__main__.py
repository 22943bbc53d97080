"""Command line: ``python -m sjalvservice.simulators.bolagsverket [--port N] [options]``.

Prints one ``READY url=... token_url=... client_id=... client_secret=...`` line on stdout once
the listener accepts connections (scripts wait for it), then serves until SIGINT or SIGTERM.
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
        prog="python -m sjalvservice.simulators.bolagsverket",
        description="Bolagsverket 'Värdefulla datamängder' API simulator (127.0.0.1 only).",
    )
    parser.add_argument("--port", type=int, default=8445, help="port (0: any free)")
    parser.add_argument("--client-id", help="the client id to accept (default: made up)")
    parser.add_argument("--client-secret", help="the client secret to accept (default: made up)")
    parser.add_argument(
        "--expires-in", type=int, default=3600, help="lifetime of access tokens in seconds"
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    args = parser.parse_args(argv)
    if args.expires_in < 1:
        parser.error("--expires-in must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator until SIGINT or SIGTERM; return the exit status."""
    args = parse_args(argv)
    simulator = Simulator(
        port=args.port,
        client_id=args.client_id,
        client_secret=args.client_secret,
        expires_in=args.expires_in,
        quiet=args.quiet,
    )

    def ready() -> str:
        return (
            f"READY url={simulator.api_url} token_url={simulator.token_url} "
            # Quoted for shlex.split, should an id or secret given on the command line need it.
            f"client_id={shlex.quote(simulator.client_id)} "
            f"client_secret={shlex.quote(simulator.client_secret)}"
        )

    return serve(simulator, "bolagsverket-simulator", ready)


if __name__ == "__main__":
    sys.exit(main())
