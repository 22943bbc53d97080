"""Command line: ``python -m sjalvservice.simulators.mailbox [--smtp-port N] [--http-port N]``.

Prints one ``READY smtp_host=... smtp_port=... url=... page=...`` line on stdout once both
listeners accept connections (scripts wait for it), then serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..base import serve
from .server import Simulator


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m sjalvservice.simulators.mailbox",
        description="Mail catcher for the demo: SMTP in, a web page out (127.0.0.1 only).",
    )
    parser.add_argument("--smtp-port", type=int, default=8025, help="SMTP port (0: any free)")
    parser.add_argument("--http-port", type=int, default=8447, help="web port (0: any free)")
    parser.add_argument("--quiet", action="store_true", help="do not log to stderr")
    args = parser.parse_args(argv)
    for name in ("smtp_port", "http_port"):
        if not 0 <= getattr(args, name) <= 65535:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 65535")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the mailbox until SIGINT or SIGTERM; return the exit status."""
    args = parse_args(argv)
    simulator = Simulator(smtp_port=args.smtp_port, http_port=args.http_port, quiet=args.quiet)

    def ready() -> str:
        return (
            f"READY smtp_host={simulator.smtp_host} smtp_port={simulator.smtp_port} "
            f"url={simulator.url} page={simulator.page_url}"
        )

    return serve(simulator, "mailbox-simulator", ready)


if __name__ == "__main__":
    sys.exit(main())
