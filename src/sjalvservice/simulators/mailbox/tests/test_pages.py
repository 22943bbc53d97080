"""The Swedish pages: the list of received messages and one message, escaped throughout."""

from __future__ import annotations

import httpx
import pytest

from ..pages import CSS, TITLE
from ..server import Simulator
from .support import Tags, message, send

HOSTILE = '<script>alert("ämne")</script> & "citat"'


def test_the_list_page_is_swedish_with_one_heading_and_says_when_it_is_empty(
    http: httpx.Client,
) -> None:
    response = http.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = Tags(response.text)
    assert page.all("html") == [{"lang": "sv"}]
    assert len(page.all("h1")) == 1
    assert page.text_of("h1") == TITLE == "Demons brevlåda – mottagna e-postmeddelanden"
    assert "Inga meddelanden har tagits emot ännu." in response.text
    assert page.all("table") == []
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.all(
        "meta"
    )


def test_the_list_shows_time_recipient_and_a_linked_subject_newest_first(
    simulator: Simulator, http: httpx.Client
) -> None:
    send(simulator, message(subject="Första", to=["forsta@example.test"]))
    send(simulator, message(subject="Andra", to=["andra@example.test"]))
    page = Tags(http.get("/").text)
    headers = page.all("th")
    assert headers == [{"scope": "col"}] * 3
    assert page.text_of("th") == "MottagetTillÄmne"
    links = [a["href"] for a in page.all("a") if (a.get("href") or "").startswith("/messages/")]
    assert links == ["/messages/2", "/messages/1"]
    body = page.text_of("tbody")
    assert body.index("Andra") < body.index("Första")
    assert "andra@example.test" in body
    assert len(page.all("time")) == 2
    assert "2 meddelanden, det senaste först" in page.text_of("caption")


def test_a_subject_with_markup_is_escaped_on_both_pages(
    simulator: Simulator, http: httpx.Client
) -> None:
    send(simulator, message(subject=HOSTILE))
    for path in ("/", "/messages/1"):
        text = http.get(path).text
        assert "<script" not in text
        assert (
            "&lt;script&gt;alert(&quot;ämne&quot;)&lt;/script&gt; &amp; &quot;citat&quot;" in text
        )
        assert Tags(text).all("script") == []
    assert HOSTILE in Tags(http.get("/messages/1").text).text_of("h1")


def test_the_message_page_shows_headers_and_the_text_in_a_wrapping_pre(
    simulator: Simulator, http: httpx.Client
) -> None:
    text = (
        "Rad ett\n  indraget <b>inte fetstil</b>\nLänk: https://portal.example/bekrafta?t=a&b=c.\n"
    )
    send(
        simulator,
        message(
            text=text,
            headers={
                "Reply-To": "kundtjanst@kommun.example",
                "List-Unsubscribe": "<https://portal.example/av>",
                "Content-Language": "sv",
                "Message-ID": "<id.1@kommun.example>",
            },
        ),
    )
    response = http.get("/messages/1")
    assert response.status_code == 200
    page = Tags(response.text)
    assert len(page.all("h1")) == 1
    assert page.all("pre") == [{"lang": "sv"}]
    assert page.text_of("pre") == text
    assert "pre{white-space:pre-wrap;overflow-wrap:anywhere" in CSS
    # The link in the text can be followed; its & is escaped in the attribute.
    assert 'href="https://portal.example/bekrafta?t=a&amp;b=c"' in response.text
    listed = page.text_of("dl")
    for value in (
        "kundtjanst@kommun.example",
        "<https://portal.example/av>",
        "<id.1@kommun.example>",
        "anna@example.test",
        "noreply@kommun.example",
    ):
        assert value in listed
    assert "Meddelandet har ingen HTML-version." in response.text
    assert page.all("iframe") == []


def test_the_html_part_is_only_in_a_sandboxed_iframe(
    simulator: Simulator, http: httpx.Client
) -> None:
    html = (
        '<p id="injected" onclick="steal()">Hej <b>Anna</b> &amp; "du"</p>'
        '<script>alert("x")</script><img src="https://tracker.example/p.png">'
        '<form action="https://evil.example"><input name="q"></form>'
    )
    send(simulator, message(text="Hej Anna!\n", html=html))
    response = http.get("/messages/1")
    page = Tags(response.text)
    [frame] = page.all("iframe")
    sandbox = (frame["sandbox"] or "").split()
    assert "allow-scripts" not in sandbox
    assert "allow-same-origin" not in sandbox
    assert "allow-forms" not in sandbox
    assert frame["title"]
    srcdoc = frame["srcdoc"] or ""
    assert html in srcdoc
    assert srcdoc.startswith('<base target="_blank">')
    # Nothing of the HTML part is markup of the page itself.
    tags = {name for name, _ in page.tags}
    assert not tags & {"script", "img", "form", "input", "b"}
    assert all(attributes.get("id") != "injected" for _, attributes in page.tags)
    assert "<script" not in response.text
    assert "onclick=" not in response.text.replace("onclick=&quot;", "")
    # The source is readable too, escaped in a <pre>.
    assert html in page.text_of("details")


def test_pages_send_a_policy_that_allows_no_script_and_no_remote_content(
    simulator: Simulator, http: httpx.Client
) -> None:
    send(simulator)
    for path in ("/", "/messages/1", "/messages/99"):
        response = http.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "script-src" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_attachments_are_listed_on_the_message_page(
    simulator: Simulator, http: httpx.Client
) -> None:
    built = message()
    built.add_attachment(b"%PDF-1.7", maintype="application", subtype="pdf", filename="beslut.pdf")
    send(simulator, built)
    text = Tags(http.get("/messages/1").text).text_of("ul")
    assert "beslut.pdf (application/pdf, 8\u00a0byte)" in text


@pytest.mark.parametrize(
    "path", ["/messages/1", "/messages/0", "/messages/x", "/nope", "/messages/"]
)
def test_an_unknown_page_is_a_swedish_404(http: httpx.Client, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 404
    page = Tags(response.text)
    assert page.all("html") == [{"lang": "sv"}]
    assert page.text_of("h1") == "Meddelandet finns inte"


def test_pages_only_answer_get_and_head(simulator: Simulator, http: httpx.Client) -> None:
    send(simulator)
    assert http.head("/messages/1").status_code == 200
    assert http.head("/messages/1").content == b""
    response = http.post("/messages/1")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
