"""Start the portal: the web server and the background worker as one process group."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Start the web server and the background worker; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="Do not start db_worker.")

    def children(self, options: dict[str, Any]) -> list[tuple[str, list[str]]]:
        python = sys.executable
        web = [
            python, "-m", "gunicorn", "sjalvservice.wsgi:application",
            "--bind", f"{options['host']}:{options['port']}",
            "--worker-class", "gthread", "--workers", str(options["web_workers"]),
            "--threads", "4", "--graceful-timeout", "5", "--access-logfile", "-",
        ]  # fmt: skip
        commands = [("web", web)]
        if not options["no_worker"]:
            commands.append(("worker", [python, "-m", "sjalvservice", "db_worker", "--no-reload"]))
        return commands

    def handle(self, *args: Any, **options: Any) -> None:
        processes: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        for name, command in self.children(options):
            processes[name] = subprocess.Popen(command)  # noqa: S603  (our own interpreter)
        self.stdout.write(
            f"Självservice runs on http://{options['host']}:{options['port']}/ (Ctrl-C stops it)."
        )

        exit_code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(f"{name} stopped with exit code {process.returncode}.")
                    exit_code = process.returncode or 1
                    stopping = True
            time.sleep(0.2)

        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.stdout.write("Självservice has stopped.")
        if exit_code:
            sys.exit(exit_code)
