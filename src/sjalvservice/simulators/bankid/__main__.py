"""Command line: ``python -m sjalvservice.simulators.bankid --data-dir DIR [options]``.

Prints one ``READY api=... app=... ca=... cert=... key=...`` line on stdout once both listeners
accept connections (scripts wait for it), then serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..base import serve
from .orders import OrderSettings
from .server import Simulator


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m sjalvservice.simulators.bankid",
        description="BankID RP API v6.0 simulator with a Test-BankID app (127.0.0.1 only).",
    )
    parser.add_argument("--data-dir", type=Path, required=True, help="where certificates live")
    parser.add_argument("--api-port", type=int, default=8443, help="RP API port (0: any free)")
    parser.add_argument("--app-port", type=int, default=8444, help="app port (0: any free)")
    parser.add_argument(
        "--start-timeout", type=float, default=30.0, help="seconds until startFailed"
    )
    parser.add_argument(
        "--order-timeout", type=float, default=180.0, help="seconds until expiredTransaction"
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator until SIGINT or SIGTERM; return the exit status."""
    args = parse_args(argv)
    settings = OrderSettings(start_timeout=args.start_timeout, order_timeout=args.order_timeout)
    simulator = Simulator(
        args.data_dir,
        api_port=args.api_port,
        app_port=args.app_port,
        settings=settings,
        quiet=args.quiet,
    )

    def ready() -> str:
        paths = simulator.certificates
        return (
            f"READY api={simulator.api_url} app={simulator.app_url} ca={paths.ca} "
            f"cert={paths.client_cert} key={paths.client_key}"
        )

    return serve(simulator, "bankid-simulator", ready)


if __name__ == "__main__":
    sys.exit(main())
