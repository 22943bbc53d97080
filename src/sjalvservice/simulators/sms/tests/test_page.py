"""``GET /``: the Swedish page that lists the received SMS, newest first, safely escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..page import CSS
from .support import OTHER, TO, Peer


class _Outline(HTMLParser):
    """The tags, attributes and text of a page, to check its structure without a browser."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


def _outline(html: str) -> _Outline:
    outline = _Outline()
    outline.feed(html)
    return outline


def test_the_empty_page_says_nothing_has_arrived(peer: Peer) -> None:
    response = peer.client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Inga SMS har tagits emot ännu." in response.text
    assert "<table" not in response.text


def test_the_page_is_swedish_with_one_heading_and_a_table_with_headers(peer: Peer) -> None:
    peer.sent(message="Hej Anna!")
    html = peer.client.get("/").text
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    outline = _outline(html)
    assert outline.count("h1") == 1
    assert "SMS-simulatorn – mottagna SMS" in outline.text
    headers = [attrs.get("scope") for tag, attrs in outline.tags if tag == "th"]
    assert headers == ["col"] * 6
    assert outline.count("caption") == 1
    viewport = [attrs for tag, attrs in outline.tags if attrs.get("name") == "viewport"]
    assert viewport == [{"name": "viewport", "content": "width=device-width, initial-scale=1"}]
    # The scrolling region of the table is reachable and named for keyboard users.
    (region,) = [attrs for _, attrs in outline.tags if attrs.get("role") == "region"]
    assert region["tabindex"] == "0"
    assert region["aria-labelledby"] == "messages-caption"


def test_the_css_sets_no_fixed_widths() -> None:
    # Only max-width and min-width (inside the scrolling table) are set in fixed units.
    assert not re.search(r"(?<![-\w])width:\s*[\d.]+[a-z]", CSS)


def test_messages_are_listed_newest_first_with_their_fields(peer: Peer) -> None:
    peer.sent(message="Första meddelandet", to=TO)
    peer.sent(message="€" * 81, to=OTHER, from_="+46101234567")
    html = peer.client.get("/").text
    assert html.index("€" * 81) < html.index("Första meddelandet")
    assert OTHER in html
    assert "+46101234567" in html
    assert "<td>2</td>" in html  # parts


def test_the_status_is_shown_in_swedish(peer: Peer) -> None:
    peer.sent()
    peer.simulator.wait_settled()
    assert "<td>Levererat</td>" in peer.client.get("/").text


def test_every_value_is_escaped(peer: Peer) -> None:
    peer.sent(message='<script>alert("x")</script> & <b>fet</b>')
    html = peer.client.get("/").text
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;" in html


def test_a_text_that_was_not_kept_is_marked(peer: Peer) -> None:
    peer.sent(message="Kod 987654", dontlog="message")
    html = peer.client.get("/").text
    assert "987654" not in html
    assert "(texten sparades inte)" in html


def test_the_page_allows_only_its_own_inline_style(peer: Peer) -> None:
    response = peer.client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
    assert "script-src" not in policy
    assert "<script" not in response.text


def test_only_get_and_head_are_answered(peer: Peer) -> None:
    assert peer.client.head("/").status_code == 200
    response = peer.client.post("/")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
