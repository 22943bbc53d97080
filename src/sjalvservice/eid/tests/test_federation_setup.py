"""The federation as an installation sets it up: the login page, our metadata, the checks.
(The logins themselves, against the simulated regional IdP: test_federation_login.py.)"""

from defusedxml import ElementTree
from django.urls import reverse
from django.utils import translation

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
UI = "{urn:oasis:names:tc:SAML:metadata:ui}"
ALG = "{urn:oasis:names:tc:SAML:metadata:algsupport}"


def test_the_federation_alone_goes_straight_to_the_region_keeping_next(client, db, settings):
    settings.LOGIN_METHODS = ["federation"]
    response = client.get(reverse("eid:login") + "?next=/mina-sidor/")
    assert response.status_code == 302
    assert response["Location"] == reverse("eid:saml_login") + "?next=/mina-sidor/"


def test_beside_bankid_both_are_offered_in_the_installations_words(client, db, settings):
    settings.LOGIN_METHODS = ["federation", "bankid"]
    settings.SAML_LOGIN_LABEL = "Logga in via Region Västerbotten"
    settings.SAML_LOGIN_LABEL_EN = "Log in through Region Västerbotten"
    settings.SAML_LOGIN_DESCRIPTION = "Du kommer att legitimera dig hos Region Västerbotten."
    html = client.get(reverse("eid:login") + "?next=/mina-sidor/").content.decode()
    assert f'href="{reverse("eid:saml_login")}?next=/mina-sidor/">Logga in via Region' in html
    assert "Du kommer att legitimera dig hos Region Västerbotten." in html
    assert f'href="{reverse("eid:bankid")}?next=/mina-sidor/"' in html
    assert html.index("Logga in via Region") < html.index(">Logga in med e-legitimation</a>")

    client.cookies["django_language"] = "en"
    html = client.get(reverse("eid:login")).content.decode()
    assert "Log in through Region Västerbotten" in html
    # No English explanation was set: the region's Swedish one is shown rather than nothing.
    assert "Du kommer att legitimera dig hos Region Västerbotten." in html


def test_without_words_of_its_own_the_button_has_the_translated_default(db, settings):
    from sjalvservice.eid.providers import enabled_providers

    settings.LOGIN_METHODS = ["federation"]
    settings.SAML_LOGIN_LABEL = settings.SAML_LOGIN_LABEL_EN = None
    (provider,) = enabled_providers()
    with translation.override("sv"):
        assert str(provider.label) == "Logga in med e-legitimation via regionen"
    with translation.override("en"):
        assert str(provider.label) == "Log in with e-identification through the region"


def test_our_metadata_names_keys_endpoints_category_and_names_in_both_languages(client, db):
    response = client.get(reverse("eid:saml_metadata"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/samlmetadata+xml")
    root = ElementTree.fromstring(response.content)
    assert root.get("entityID") == "http://127.0.0.1:8000/saml/metadata/"
    sp = root.find(f"{MD}SPSSODescriptor")
    assert sp.get("AuthnRequestsSigned") == "true"
    assert sp.get("WantAssertionsSigned") == "true"
    uses = {key.get("use") for key in sp.findall(f"{MD}KeyDescriptor")}
    assert uses == {"signing", "encryption"}
    (encryption,) = [k for k in sp.findall(f"{MD}KeyDescriptor") if k.get("use") == "encryption"]
    methods = [m.get("Algorithm") for m in encryption.findall(f"{MD}EncryptionMethod")]
    assert "http://www.w3.org/2009/xmlenc11#aes256-gcm" in methods
    assert encryption.find(f"{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate").text.strip()
    (acs,) = sp.findall(f"{MD}AssertionConsumerService")
    assert acs.get("Location") == "http://127.0.0.1:8000/saml/acs/"
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    (slo,) = sp.findall(f"{MD}SingleLogoutService")
    assert slo.get("Location") == "http://127.0.0.1:8000/saml/slo/"
    categories = [
        value.text
        for attribute in root.iter("{urn:oasis:names:tc:SAML:2.0:assertion}Attribute")
        if attribute.get("Name") == "http://macedir.org/entity-category"
        for value in attribute
    ]
    assert categories == ["http://id.elegnamnden.se/ec/1.0/loa3-pnr"]
    names = {
        n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in sp.iter(f"{UI}DisplayName")
    }
    assert names == {"sv", "en"}
    # Only the profile's algorithms are offered: nothing with SHA-1 or MD5.
    offered = [m.get("Algorithm") for m in root.iter() if m.tag.startswith(ALG)]
    assert offered
    assert not [a for a in offered if "sha1" in a or "md5" in a]


def test_a_federation_without_metadata_fails_the_system_check(settings):
    from sjalvservice.eid.checks import check_federation_configured

    settings.LOGIN_METHODS = ["federation"]
    settings.SAML_IDP_METADATA = None
    assert [error.id for error in check_federation_configured(None)] == ["eid.E003"]
    settings.LOGIN_METHODS = ["bankid"]
    assert check_federation_configured(None) == []


def test_when_the_region_cannot_be_reached_the_person_is_told_and_nothing_breaks(
    client, db, settings
):
    from sjalvservice.eid.saml.config import forget_metadata

    # All through the settings fixture: mixed with an override_settings decorator, its
    # restore would put the decorator's values back for the tests that follow.
    settings.LOGIN_METHODS = ["federation"]
    settings.SAML_IDP_METADATA = "/no/such/file.xml"
    settings.SAML_IDP_METADATA_CERT = "/no/such/cert.pem"
    forget_metadata()
    response = client.get(reverse("eid:saml_login"))
    assert response.status_code == 503
    assert "Inloggning via regionen fungerar inte just nu" in response.content.decode()
    forget_metadata()


def test_an_answer_without_a_response_logs_nobody_in(client, db):
    response = client.post(reverse("eid:saml_acs"), {})
    assert response.status_code == 403
    assert "Inget svar från inloggningstjänsten kom fram" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_idps_metadata_is_taken_only_with_a_valid_signature_over_all_of_it(idp_simulator):
    import httpx
    import pytest

    from sjalvservice.eid.saml.config import MetadataError, signing_keys, verified_metadata

    signed = httpx.get(idp_simulator.metadata_url).content
    cert = str(idp_simulator.metadata_signing_cert)
    assert idp_simulator.entity_id in verified_metadata(signed, cert)

    # Someone on the way points the login somewhere else: the signature no longer holds.
    tampered = signed.replace(b'Location="http://127.0.0.1', b'Location="http://127.0.0.2', 1)
    assert tampered != signed
    with pytest.raises(MetadataError, match="does not verify"):
        verified_metadata(tampered, cert)
    # Signed, but not by the certificate the installation trusts.
    with pytest.raises(MetadataError, match="does not verify"):
        verified_metadata(signed, signing_keys().cert)
    # No signature at all, or one that covers only a part of the document.
    root = ElementTree.fromstring(signed)
    signature = root.find(f"{DS}Signature")
    root.remove(signature)
    unsigned = ElementTree.tostring(root)
    with pytest.raises(MetadataError, match="not signed as a whole"):
        verified_metadata(unsigned, cert)
    with pytest.raises(MetadataError, match="without a DTD"):
        verified_metadata(b'<!DOCTYPE x [<!ENTITY a "b">]>' + signed.split(b"?>", 1)[-1], cert)
