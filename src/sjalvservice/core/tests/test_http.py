from django.test import RequestFactory

from sjalvservice.core.http import client_ip, safe_next

factory = RequestFactory()


def test_without_trusted_proxies_the_remote_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "203.0.113.9"


def test_with_one_proxy_the_last_forwarded_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = factory.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"


def test_with_two_proxies_the_entry_before_the_inner_proxy_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = factory.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9, 10.0.0.1"
    )
    assert client_ip(request) == "203.0.113.9"


def test_a_forged_or_missing_header_falls_back_to_the_remote_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    forged = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(forged) == "10.0.0.2"


def test_safe_next_keeps_local_paths_and_drops_other_sites():
    request = factory.get("/")
    assert safe_next(request, "/mina-sidor/") == "/mina-sidor/"
    assert safe_next(request, "https://evil.example/") == ""
    assert safe_next(request, "//evil.example/") == ""
    assert safe_next(request, "") == ""


def test_safe_next_drops_what_is_not_a_path_or_a_whole_url():
    request = factory.get("/")
    assert safe_next(request, "http://testserver/mina-sidor/") == "http://testserver/mina-sidor/"
    # redirect() would look these up as names of views.
    assert safe_next(request, "0") == ""
    assert safe_next(request, "2026-13-45T00:00:00_1") == ""
    assert safe_next(request, "mina-sidor/") == ""
    assert safe_next(request, "/mina-sidor/\x00") == ""
    assert safe_next(request, "http://[::1") == ""
