"""The settings module as a deployment meets it: run in a fresh interpreter per case."""

import os
import subprocess
import sys

import pytest

STRONG_KEY = "production-secret-" + "x1y2z3" * 8

PRODUCTION = {
    "MODE": "production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "e-tjanster.example.se",
    "DATABASE_URL": "sqlite:///:memory:",
    "BANKID_URL": "https://appapi2.bankid.com/rp/v6.0/",
    "BANKID_CLIENT_CERT": "/etc/sjalvservice/bankid-rp.pem",
    "BANKID_CLIENT_KEY": "/etc/sjalvservice/bankid-rp-key.pem",
    "BANKID_CA_CERT": "/etc/sjalvservice/bankid-root-ca.pem",
}


def run_manage(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "MODE",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "-m", "sjalvservice", *args],
        env={**clean, **environ},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_mode_passes_the_deployment_check_without_warnings(tmp_path):
    # As a real installation has them: the BankID files readable, an https address of
    # its own and a sender at its domain (each of which the deploy checks insist on).
    files = {}
    for setting in ("BANKID_CLIENT_CERT", "BANKID_CLIENT_KEY", "BANKID_CA_CERT"):
        path = tmp_path / f"{setting.lower()}.pem"
        path.write_text("-----BEGIN CERTIFICATE-----\n")
        files[setting] = str(path)
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        **{**PRODUCTION, **files},
        SITE_URL="https://e-tjanster.example.se",
        DEFAULT_FROM_EMAIL="Självservice <noreply@e-tjanster.example.se>",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_refuses_missing_certificates_and_a_local_address():
    result = run_manage("check", "--deploy", **PRODUCTION)
    assert result.returncode != 0
    assert "/etc/sjalvservice/bankid-rp.pem" in result.stderr
    assert "SITE_URL" in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without_a_secret_or_hosts(missing):
    environ = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = run_manage("check", **environ)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_mode_refuses_debug():
    result = run_manage("check", **PRODUCTION, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG cannot be on" in result.stderr


def test_a_malformed_value_stops_start_up_naming_the_variable():
    result = run_manage("check", SESSION_IDLE_TIMEOUT="half an hour")
    assert result.returncode != 0
    assert "SESSION_IDLE_TIMEOUT='half an hour' is not a whole number" in result.stderr


def test_the_demo_data_is_refused_in_production():
    result = run_manage("demo", **PRODUCTION)
    assert result.returncode != 0
    assert "refused when MODE=production" in result.stderr


def test_production_static_files_collect_with_hashed_names(tmp_path):
    # The manifest storage fails on any url() in the CSS that points at a missing file.
    result = run_manage("collectstatic", "--no-input", **PRODUCTION, DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "core/css/sjalvservice.css" in manifest
    assert list((tmp_path / "static" / "core" / "css").glob("sjalvservice.*.css.gz"))


def test_production_mode_refuses_to_offer_bankid_without_its_settings():
    environ = {key: value for key, value in PRODUCTION.items() if key != "BANKID_URL"}
    result = run_manage("check", "--deploy", **environ)
    assert result.returncode != 0
    assert "eid.E002" in result.stderr


def test_a_partial_bolagsverket_configuration_stops_start_up():
    result = run_manage(
        "check",
        BOLAGSVERKET_URL="https://gw.api.bolagsverket.se/vardefulla-datamangder/v1",
        BOLAGSVERKET_CLIENT_ID="portal",
    )
    assert result.returncode != 0
    assert "Set all of BOLAGSVERKET_URL" in result.stderr
