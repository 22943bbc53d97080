"""Which BankID way comes first: BankID's guidelines, decided from the request."""

import pytest
from django.test import RequestFactory

from sjalvservice.eid.bankid.device import on_phone_or_tablet

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0"
WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)
LINUX_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"


def request(user_agent="", **headers):
    return RequestFactory().get("/", headers={"User-Agent": user_agent, **headers})


@pytest.mark.parametrize(
    "user_agent", [IPHONE, IPAD, ANDROID_PHONE, ANDROID_TABLET, FIREFOX_ANDROID]
)
def test_it_finds_phones_and_tablets_by_their_user_agent(user_agent):
    assert on_phone_or_tablet(request(user_agent))


@pytest.mark.parametrize("user_agent", [WINDOWS, MAC_SAFARI, LINUX_FIREFOX, ""])
def test_it_takes_computers_and_unknown_browsers_for_computers(user_agent):
    assert not on_phone_or_tablet(request(user_agent))


def test_the_mobile_client_hint_says_phone_even_with_a_computers_user_agent():
    assert on_phone_or_tablet(request(WINDOWS, **{"Sec-CH-UA-Mobile": "?1"}))


def test_a_negative_client_hint_leaves_an_android_tablet_a_tablet():
    # Chrome on an Android tablet sends ?0: the hint only ever adds "phone".
    assert on_phone_or_tablet(request(ANDROID_TABLET, **{"Sec-CH-UA-Mobile": "?0"}))
    assert not on_phone_or_tablet(request(WINDOWS, **{"Sec-CH-UA-Mobile": "?0"}))


def test_a_malformed_client_hint_is_ignored():
    assert not on_phone_or_tablet(request(WINDOWS, **{"Sec-CH-UA-Mobile": "yes"}))
