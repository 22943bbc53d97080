"""The deployment checks: files that are not there, a local SITE_URL, a local sender."""

import os
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from sjalvservice.core.checks import check_files, check_senders, check_site_url

FILES_UNSET = {
    "BANKID_CLIENT_CERT": None,
    "BANKID_CLIENT_KEY": None,
    "BANKID_CA_CERT": None,
    "SAML_IDP_METADATA": None,
    "SAML_IDP_METADATA_CERT": None,
    "SAML_SP_KEY": None,
    "SAML_SP_CERT": None,
    "SAML_SP_ENCRYPTION_KEY": None,
    "SAML_SP_ENCRYPTION_CERT": None,
}


@pytest.fixture
def pem_files(tmp_path):
    """The BankID relying party's files, as a deployment installs them."""
    paths = {}
    for name in ["client.pem", "client-key.pem", "ca.pem"]:
        (tmp_path / name).write_text("-----BEGIN CERTIFICATE-----\n")
        paths[name] = str(tmp_path / name)
    return paths


def files(**changes):
    """Settings with only ``changes`` naming files."""
    return {**FILES_UNSET, **changes}


def bankid(pem_files, **changes):
    return {
        **FILES_UNSET,
        "BANKID_URL": "https://appapi2.bankid.com/rp/v6.0/",
        "BANKID_CLIENT_CERT": pem_files["client.pem"],
        "BANKID_CLIENT_KEY": pem_files["client-key.pem"],
        "BANKID_CA_CERT": pem_files["ca.pem"],
        **changes,
    }


def ids(messages):
    return [message.id for message in messages]


def test_the_default_settings_name_no_file_that_is_missing():
    assert check_files(None) == []


def test_files_that_exist_and_can_be_read_pass(pem_files):
    with override_settings(**bankid(pem_files)):
        assert check_files(None) == []


def test_a_missing_certificate_is_an_error_naming_the_setting_and_the_path(pem_files, tmp_path):
    missing = str(tmp_path / "bankid-rp.pem")
    with override_settings(**bankid(pem_files, BANKID_CLIENT_CERT=missing)):
        (error,) = check_files(None)
    assert error.id == "core.E001"
    assert error.is_serious()
    assert error.msg == f"BANKID_CLIENT_CERT: {missing} does not exist."
    assert "BANKID_CLIENT_CERT" in error.hint


def test_every_missing_file_gets_its_own_error(tmp_path):
    with override_settings(
        **files(
            BANKID_CLIENT_KEY=str(tmp_path / "key.pem"),
            BANKID_CA_CERT=str(tmp_path / "ca.pem"),
            SAML_IDP_METADATA_CERT=str(tmp_path / "federation.pem"),
        )
    ):
        errors = check_files(None)
    assert ids(errors) == ["core.E001"] * 3
    assert [error.msg.split(":")[0] for error in errors] == [
        "BANKID_CLIENT_KEY",
        "BANKID_CA_CERT",
        "SAML_IDP_METADATA_CERT",
    ]


def test_a_folder_where_a_file_should_be_is_an_error(pem_files, tmp_path):
    with override_settings(**bankid(pem_files, BANKID_CA_CERT=str(tmp_path))):
        (error,) = check_files(None)
    assert error.id == "core.E002"
    assert error.msg == f"BANKID_CA_CERT: {tmp_path} is not a file the portal can read."


def test_a_file_the_portal_cannot_read_is_an_error(pem_files, monkeypatch):
    # Permissions cannot be shown with chmod to a test that may run as root.
    unreadable = pem_files["client-key.pem"]
    readable = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: path != unreadable and readable(path, mode)
    )
    with override_settings(**bankid(pem_files)):
        (error,) = check_files(None)
    assert error.id == "core.E002"
    assert error.msg.startswith("BANKID_CLIENT_KEY: ")


def test_the_saml_key_pair_used_for_both_signing_and_encryption_is_named_once(tmp_path):
    key, cert = str(tmp_path / "sp-key.pem"), str(tmp_path / "sp.pem")
    with override_settings(
        **files(
            SAML_SP_KEY=key,
            SAML_SP_CERT=cert,
            SAML_SP_ENCRYPTION_KEY=key,
            SAML_SP_ENCRYPTION_CERT=cert,
        )
    ):
        errors = check_files(None)
    assert [error.msg for error in errors] == [
        f"SAML_SP_KEY and SAML_SP_ENCRYPTION_KEY: {key} does not exist.",
        f"SAML_SP_CERT and SAML_SP_ENCRYPTION_CERT: {cert} does not exist.",
    ]


def test_a_metadata_file_is_checked_but_a_metadata_url_is_not(tmp_path):
    missing = str(tmp_path / "idp-metadata.xml")
    with override_settings(**files(SAML_IDP_METADATA=missing)):
        (error,) = check_files(None)
    assert error.msg == f"SAML_IDP_METADATA: {missing} does not exist."
    with override_settings(**files(SAML_IDP_METADATA="https://idp.example.se/metadata")):
        assert check_files(None) == []


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://e-tjanster.skelleftea.se", []),
        ("http://e-tjanster.skelleftea.se", ["core.W001"]),
        ("http://127.0.0.1:8000", ["core.W001", "core.W002"]),
        ("https://localhost", ["core.W002"]),
        ("https://portal.localhost:8443", ["core.W002"]),
        ("https://127.0.1.1", ["core.W002"]),
        ("https://[::1]:8443", ["core.W002"]),
        ("https://0.0.0.0", ["core.W002"]),
        ("e-tjanster.skelleftea.se", ["core.W001", "core.W002"]),
    ],
)
def test_a_site_url_that_is_not_https_or_not_public_is_a_warning(site_url, expected):
    with override_settings(SITE_URL=site_url):
        warnings = check_site_url(None)
    assert ids(warnings) == expected
    assert not any(warning.is_serious() for warning in warnings)
    assert all("SITE_URL" in warning.hint for warning in warnings)


SENDERS_PUBLIC = {
    "DEFAULT_FROM_EMAIL": "Självservice <noreply@e-tjanster.skelleftea.se>",
    "SERVER_EMAIL": "drift@skelleftea.se",
    "NOTIFICATION_FROM_EMAIL": "Skellefteå kommun <noreply@skelleftea.se>",
    "NOTIFICATION_REPLY_TO": "",
}


def test_senders_at_a_public_domain_pass():
    with override_settings(**SENDERS_PUBLIC):
        assert check_senders(None) == []


@pytest.mark.parametrize(
    "sender",
    [
        "Självservice <noreply@localhost>",
        "noreply@LOCALHOST",
        "noreply@127.0.0.1",
        "noreply@[127.0.0.1]",
        "noreply@[IPv6:::1]",
        "noreply@portal.localhost",
        "noreply",
    ],
)
def test_a_sender_at_localhost_or_loopback_is_a_warning(sender):
    with override_settings(**{**SENDERS_PUBLIC, "DEFAULT_FROM_EMAIL": sender}):
        (warning,) = check_senders(None)
    assert warning.id == "core.W003"
    assert warning.msg == f"DEFAULT_FROM_EMAIL: {sender!r} is not an address at a public domain."
    assert "DEFAULT_FROM_EMAIL" in warning.hint


def test_each_sender_setting_is_checked_and_one_address_is_named_once():
    with override_settings(
        DEFAULT_FROM_EMAIL="Självservice <noreply@localhost>",
        SERVER_EMAIL="Självservice <noreply@localhost>",
        NOTIFICATION_FROM_EMAIL="noreply@skelleftea.se",
        NOTIFICATION_REPLY_TO="svar@127.0.0.1",
    ):
        warnings = check_senders(None)
    assert [warning.msg.split(":")[0] for warning in warnings] == [
        "DEFAULT_FROM_EMAIL and SERVER_EMAIL",
        "NOTIFICATION_REPLY_TO",
    ]


def test_the_checks_run_only_when_deploying(tmp_path):
    with override_settings(**files(BANKID_CLIENT_CERT=str(tmp_path / "missing.pem"))):
        assert "core.E001" not in ids(run_checks(include_deployment_checks=False))
        assert "core.E001" in ids(run_checks(include_deployment_checks=True))
        # `sjalvservice check`, as `make run` and the tests start, still passes.
        call_command("check", stdout=StringIO(), stderr=StringIO())


def test_check_deploy_fails_on_a_missing_certificate(pem_files, tmp_path, monkeypatch):
    # Set for the browser tests (conftest.py); a deployment check refuses it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    missing = str(tmp_path / "bankid-rp.pem")
    with (
        override_settings(**bankid(pem_files, BANKID_CLIENT_CERT=missing)),
        pytest.raises(SystemCheckError, match=r"core\.E001") as raised,
    ):
        call_command("check", "--deploy", stdout=StringIO(), stderr=StringIO())
    assert missing in str(raised.value)


def test_check_deploy_passes_once_the_files_are_in_place(pem_files, monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    stderr = StringIO()
    with override_settings(**bankid(pem_files)):
        call_command("check", "--deploy", stdout=StringIO(), stderr=stderr)
    # The local SITE_URL and sender of the test settings are only warnings.
    assert "core.W001" in stderr.getvalue()
    assert "core.E00" not in stderr.getvalue()
