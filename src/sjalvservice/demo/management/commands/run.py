"""Start the portal: the web server, the background worker and, in development, the
simulators of the external systems, as one process group."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from types import FrameType
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEMO_REGION = "Region Västerbotten"


class Command(BaseCommand):
    help = "Start the web server and the background worker; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="Do not start db_worker.")
        parser.add_argument(
            "--no-simulators",
            action="store_true",
            help="Do not start the simulators of external systems (always off in production).",
        )
        parser.add_argument("--bankid-api-port", type=int, default=8443)
        parser.add_argument("--bankid-app-port", type=int, default=8444)
        parser.add_argument("--bolagsverket-port", type=int, default=8445)
        parser.add_argument("--sms-port", type=int, default=8446)
        parser.add_argument("--mailbox-port", type=int, default=8447)
        parser.add_argument("--smtp-port", type=int, default=8025)
        parser.add_argument("--idp-port", type=int, default=8448)
        parser.add_argument("--case-system-port", type=int, default=8449)
        parser.add_argument(
            "--tick-interval",
            type=int,
            default=60,
            help="Seconds between runs of `sjalvservice tick` (0: do not run it).",
        )

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
        processes: dict[str, subprocess.Popen[Any]] = {}
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        environ = dict(os.environ)
        if not settings.PRODUCTION and not options["no_simulators"]:
            processes["bankid-simulator"], bankid = self.start_bankid_simulator(options)
            if not settings.BANKID_URL:
                environ.update(bankid)
            processes["idp-simulator"], region = self.start_idp_simulator(options, bankid)
            if not settings.SAML_IDP_METADATA:
                environ.update(region)
            processes["bolagsverket-simulator"], registry = self.start_bolagsverket_simulator(
                options
            )
            if not settings.BOLAGSVERKET_URL:
                environ.update(registry)
            processes["sms-simulator"], gateway = self.start_sms_simulator(options)
            processes["mailbox"], mailbox = self.start_mailbox(options)
            if "SMS_BACKEND" not in os.environ:
                environ.update(gateway)
            if "EMAIL_BACKEND" not in os.environ:
                environ.update(mailbox)
        for name, command in self.children(options):
            processes[name] = subprocess.Popen(command, env=environ)  # noqa: S603
        if not settings.PRODUCTION and not options["no_simulators"]:
            case_system = self.start_case_system(options, environ)
            if case_system is not None:
                processes["case-system-simulator"] = case_system
        if options["tick_interval"]:
            _tick_every(options["tick_interval"], environ, lambda: stopping)
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

    def start_bankid_simulator(
        self, options: dict[str, Any]
    ) -> tuple[subprocess.Popen[str], dict[str, str]]:
        """Start the BankID simulator and return the settings that point the portal at it."""
        process, fields = _start_simulator(
            "bankid",
            "--data-dir", str(settings.DATA_DIR / "simulators" / "bankid"),
            "--api-port", str(options["bankid_api_port"]),
            "--app-port", str(options["bankid_app_port"]),
        )  # fmt: skip
        self.stdout.write(
            f"BankID simulator: test app on {fields['app']} (the portal uses its API on "
            f"{fields['api']})."
        )
        return process, {
            "BANKID_URL": fields["api"],
            "BANKID_CA_CERT": fields["ca"],
            "BANKID_CLIENT_CERT": fields["cert"],
            "BANKID_CLIENT_KEY": fields["key"],
            "BANKID_TEST_APP_URL": fields["app"],
        }

    def start_idp_simulator(
        self, options: dict[str, Any], bankid: dict[str, str]
    ) -> tuple[subprocess.Popen[str], dict[str, str]]:
        """Start the region's IdP, itself a relying party of the BankID simulator, and offer
        it at login beside BankID directly: portal -> region -> BankID, as in production."""
        host = "127.0.0.1" if options["host"] in ("0.0.0.0", "::") else options["host"]  # noqa: S104
        site = os.environ.get("SITE_URL") or f"http://{host}:{options['port']}"
        process, fields = _start_simulator(
            "saml_idp",
            "--data-dir", str(settings.DATA_DIR / "simulators" / "idp"),
            "--port", str(options["idp_port"]),
            "--region", DEMO_REGION,
            "--sp-metadata", f"{site}/saml/metadata/",
            "--bankid-api", bankid["BANKID_URL"],
            "--bankid-ca", bankid["BANKID_CA_CERT"],
            "--bankid-cert", bankid["BANKID_CLIENT_CERT"],
            "--bankid-key", bankid["BANKID_CLIENT_KEY"],
            "--bankid-app", bankid["BANKID_TEST_APP_URL"],
            "--quiet",
        )  # fmt: skip
        self.stdout.write(f"{DEMO_REGION}'s identity provider (simulated): {fields['url']}")
        environ = {
            "SAML_IDP_METADATA": fields["metadata"],
            "SAML_IDP_METADATA_CERT": fields["metadata_cert"],
            "SITE_URL": site,
            "SAML_LOGIN_LABEL": f"Logga in via {DEMO_REGION}",
            "SAML_LOGIN_LABEL_EN": f"Log in through {DEMO_REGION}",
            "SAML_LOGIN_DESCRIPTION": (
                f"Mobilt BankID eller BankID. Du kommer att legitimera dig hos {DEMO_REGION}. "
                "Detta beror på att kommunerna i Västerbotten samarbetar med varandra om "
                "e-tjänster."
            ),
            "SAML_LOGIN_DESCRIPTION_EN": (
                f"Mobile BankID or BankID. You will identify yourself with {DEMO_REGION}, "
                "because the municipalities of Västerbotten work together on e-services."
            ),
        }
        if "LOGIN_METHODS" not in os.environ:
            environ["LOGIN_METHODS"] = "federation,bankid"
        return process, environ

    def start_bolagsverket_simulator(
        self, options: dict[str, Any]
    ) -> tuple[subprocess.Popen[str], dict[str, str]]:
        """Start the Bolagsverket simulator ("Hämta från Bolagsverket" on Mina engagemang)."""
        process, fields = _start_simulator(
            "bolagsverket", "--port", str(options["bolagsverket_port"]), "--quiet"
        )
        self.stdout.write(f"Bolagsverket simulator: {fields['url']}.")
        return process, {
            "BOLAGSVERKET_URL": fields["url"],
            "BOLAGSVERKET_TOKEN_URL": fields["token_url"],
            "BOLAGSVERKET_CLIENT_ID": fields["client_id"],
            "BOLAGSVERKET_CLIENT_SECRET": fields["client_secret"],
        }

    def start_sms_simulator(
        self, options: dict[str, Any]
    ) -> tuple[subprocess.Popen[str], dict[str, str]]:
        """Start the SMS gateway simulator; the SMS the portal sends are listed on its page."""
        process, fields = _start_simulator("sms", "--port", str(options["sms_port"]), "--quiet")
        self.stdout.write(f"SMS simulator: the SMS the portal sends are shown on {fields['page']}")
        return process, {
            "SMS_BACKEND": "46elks",
            "SMS_URL": fields["url"] + "/a1",
            "SMS_USERNAME": fields["username"],
            "SMS_PASSWORD": fields["password"],
            "SMS_GATEWAY_KEEPS_TEXT": "true",
        }

    def start_mailbox(
        self, options: dict[str, Any]
    ) -> tuple[subprocess.Popen[str], dict[str, str]]:
        """Start the demo's mailbox: a real SMTP server on loopback and a page showing what
        it received."""
        process, fields = _start_simulator(
            "mailbox",
            "--smtp-port", str(options["smtp_port"]),
            "--http-port", str(options["mailbox_port"]),
            "--quiet",
        )  # fmt: skip
        self.stdout.write(
            f"The demo's mailbox: every e-mail the portal sends is on {fields['page']}"
        )
        return process, {
            "EMAIL_BACKEND": "smtp",
            "EMAIL_HOST": fields["smtp_host"],
            "EMAIL_PORT": fields["smtp_port"],
            "EMAIL_USE_TLS": "false",
            "EMAIL_USE_SSL": "false",
        }

    def start_case_system(
        self, options: dict[str, Any], environ: dict[str, str]
    ) -> subprocess.Popen[str] | None:
        """Start the simulated case-management system with a fresh token of the demo's
        client (the tokens of earlier runs are revoked), its webhook pointed at it."""
        from sjalvservice.api import tokens
        from sjalvservice.api.models import ApiClient
        from sjalvservice.demo.loading import CASE_SYSTEM, CASE_SYSTEM_WEBHOOK

        client = ApiClient.objects.filter(name=CASE_SYSTEM["name"]).first()
        webhook = client.webhooks.first() if client else None
        if client is None or webhook is None:
            self.stdout.write("No case-management system: the demo data has no client for it.")
            return None
        for old in client.tokens.filter(revoked_at__isnull=True, created_by_name=RUN):
            tokens.revoke(old)
        _record, token = tokens.issue(client, created_by_name=RUN)
        port = options["case_system_port"]
        webhook.url = CASE_SYSTEM_WEBHOOK.format(port=port)
        webhook.save(update_fields=["url"])
        host = "127.0.0.1" if options["host"] in ("0.0.0.0", "::") else options["host"]  # noqa: S104
        secrets = {"CASE_SYSTEM_TOKEN": token, "CASE_SYSTEM_SECRET": webhook.secret}
        process, fields = _start_simulator(
            "case_system", "--portal", f"http://{host}:{options['port']}", "--port", str(port),
            "--quiet", environ={**environ, **secrets},
        )  # fmt: skip
        self.stdout.write(f"Case-management system (simulated): {fields['page']}")
        return process


# Who made the tokens `sjalvservice run` gives the demo's case-management system.
RUN = "sjalvservice run"


def _tick_every(seconds: int, environ: dict[str, str], stopping: Any) -> None:
    """Run `sjalvservice tick` every ``seconds`` in the background, as cron would."""
    command = [sys.executable, "-m", "sjalvservice", "tick"]

    def loop() -> None:
        while not stopping():
            try:
                subprocess.run(  # noqa: S603
                    command, env=environ, stdout=subprocess.DEVNULL, check=False, timeout=300
                )
            except subprocess.TimeoutExpired:
                sys.stderr.write("sjalvservice tick took more than 5 minutes and was stopped.\n")
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not stopping():
                time.sleep(0.2)

    threading.Thread(target=loop, daemon=True).start()


def _start_simulator(
    name: str, *arguments: str, environ: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """Start ``sjalvservice.simulators.<name>`` and read its one ``READY key=value ...`` line."""
    command = [sys.executable, "-m", f"sjalvservice.simulators.{name}", *arguments]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environ)  # noqa: S603
    assert process.stdout is not None
    ready = process.stdout.readline()
    if not ready.startswith("READY "):
        process.kill()
        raise CommandError(f"The {name} simulator did not start.")
    fields = dict(part.split("=", 1) for part in shlex.split(ready)[1:])
    _drain(process.stdout)
    return process, fields


def _drain(stream: IO[str]) -> None:
    """Copy a child's remaining output to ours so that its pipe never fills up."""

    def copy() -> None:
        for line in stream:
            sys.stdout.write(line)

    threading.Thread(target=copy, daemon=True).start()
