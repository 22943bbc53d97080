"""Checks every browser test runs on the pages it looks at, beside axe-core:

- the W3C Nu HTML checker (vnu.jar from the `vnu-jar` npm package, run with Debian's JRE as
  an HTTP service, started once per test process) over the HTML the server sent;
- at 320 px: no table cell whose text breaks inside a word, and no sideways scrolling.

Errors on pages that other work is still changing are listed in ``KNOWN_HTML_ERRORS`` and
``KNOWN_NARROW_PROBLEMS``, each keyed by a regular expression over the page's path. They are
temporary: an entry is removed once its page is fixed, and an unlisted error always fails.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import BrowserContext, Error, Page, Response

REPO = Path(__file__).resolve().parents[2]
VNU_JAR = REPO / "frontend/node_modules/vnu-jar/build/dist/vnu.jar"
NARROW_WIDTH = 320

# Temporary: errors on pages being changed elsewhere at the same time (issue 17), as
# {path pattern: (part of the checker's message, ...)}. Empty these during integration.
KNOWN_HTML_ERRORS: dict[str, tuple[str, ...]] = {}

# Temporary, as above: {path pattern: (part of the problem's description, ...)} for words
# broken in table cells and sideways scrolling at 320 px.
KNOWN_NARROW_PROBLEMS: dict[str, tuple[str, ...]] = {}


# --- The HTML the server sent ---------------------------------------------------------


def record_documents(context: BrowserContext) -> None:
    """Keep, for each page of the context, the last document its main frame received,
    so the checker sees what the server sent rather than the DOM after scripts ran."""

    def remember(response: Response) -> None:
        if response.request.resource_type != "document" or 300 <= response.status < 400:
            return
        try:
            frame = response.frame
        except Error:
            return  # a new window's first document: its page falls back to the live DOM
        if frame.parent_frame is None:
            frame.page._sjs_document = response  # type: ignore[attr-defined]

    context.on("response", remember)


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def served_html(page: Page) -> str:
    """The HTML the server sent for the page as shown; the live DOM where that is not
    known (a context the fixtures did not make, history navigation, set_content)."""
    response: Response | None = getattr(page, "_sjs_document", None)
    if response is not None and _without_fragment(response.url) == _without_fragment(page.url):
        if "html" not in response.headers.get("content-type", ""):
            return ""
        try:
            return response.body().decode("utf-8")
        except Error:
            pass  # the browser no longer holds the body
    return page.content()


# --- The Nu HTML checker as a service -----------------------------------------------------


@dataclass(frozen=True)
class Message:
    kind: str  # "error" or "warning"
    line: int
    text: str
    extract: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}\n    {self.extract.strip()}"


def _die_with_parent() -> None:
    """In the child before it runs Java: end with the test process however that ends
    (atexit does not run when it is killed), so no JVM is left behind (Linux)."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class NuChecker:
    """vnu.jar's HTTP service on loopback: one JVM per test process, each check a POST."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None
        self.url = ""
        self.ready = False

    def start(self) -> None:
        """Start the JVM without waiting for it (it takes a few seconds to read its schemas)."""
        if self.process is not None:
            return
        java = shutil.which("java")
        if java is None:
            pytest.fail(
                "The Nu HTML checker needs Java: run `make test` (it installs Debian's "
                "default-jre-headless as root) or `apt-get install default-jre-headless`."
            )
        if not VNU_JAR.is_file():
            pytest.fail(
                f"The Nu HTML checker is missing ({VNU_JAR.relative_to(REPO)}): run `make test` "
                "or `npm ci --prefix frontend --ignore-scripts`."
            )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (kept open while the JVM runs)
        # C1 only and the serial collector: the machine's few cores go to the tests.
        self.process = subprocess.Popen(
            [
                java,
                "-Xss2m",  # its schemas nest deeply
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        atexit.register(self.stop)

    def _wait_until_ready(self, timeout: float = 90) -> None:
        self.start()
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while not self.ready:
            if self.process.poll() is not None:
                pytest.fail(f"The Nu HTML checker stopped:\n{self._log_tail()}")
            try:
                self.ready = httpx.get(self.url, timeout=2).status_code == 200
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail(f"The Nu HTML checker did not start:\n{self._log_tail()}")
                time.sleep(0.2)

    def _log_tail(self) -> str:
        if self.log is None:
            return ""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def check(self, html: str) -> list[Message]:
        """The checker's errors and warnings for a whole document."""
        self._wait_until_ready()
        response = httpx.post(
            self.url,
            params={"out": "json"},
            content=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            timeout=60,
        )
        response.raise_for_status()
        messages = []
        for message in response.json()["messages"]:
            if message["type"] in {"error", "non-document-error"}:
                kind = "error"
            elif message.get("subType") == "warning":
                kind = "warning"
            else:
                continue  # plain information, such as advice that goes with an error
            messages.append(
                Message(
                    kind=kind,
                    line=message.get("lastLine", 0),
                    text=message["message"],
                    extract=message.get("extract", ""),
                )
            )
        return messages

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.ready = False
        if self.log is not None:
            self.log.close()
            self.log = None


checker = NuChecker()


def _path(page: Page) -> str:
    return urlsplit(page.url).path


def _known(problem: str, path: str, known: dict[str, tuple[str, ...]]) -> bool:
    return any(
        re.fullmatch(pattern, path) and any(part in problem for part in parts)
        for pattern, parts in known.items()
    )


# The checker's warnings (allowed) seen in this run, as {(path, message)}, for the summary.
warnings_seen: set[tuple[str, str]] = set()


def html_errors(html: str, path: str = "") -> list[Message]:
    """The checker's errors in a document, less those listed as known for the path."""
    messages = checker.check(html)
    warnings_seen.update((path, m.text) for m in messages if m.kind == "warning")
    return [
        message
        for message in messages
        if message.kind == "error" and not _known(message.text, path, KNOWN_HTML_ERRORS)
    ]


def assert_valid_html(page: Page) -> None:
    """No Nu HTML checker error in the page the server sent (warnings are allowed)."""
    html = served_html(page)
    if not html:
        return
    errors = html_errors(html, _path(page))
    assert errors == [], f"Nu HTML checker errors on {page.url}:\n" + "\n".join(
        str(error) for error in errors
    )


# --- At 320 px ------------------------------------------------------------------------------

# For each text node in a table cell (th, td, or a stacked row's labelled cell): a Range per
# word, and a word drawn on more than one line is broken, unless the line ends at a hyphen,
# a dash, a slash or a soft hyphen, where breaking is how the word is written.
_BROKEN_WORDS = """
() => {
  const breakable = new Set(["-", "\\u2010", "\\u2013", "\\u2014", "/", "\\u00ad", "\\u200b"]);
  const lines = (range) => {
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    rects.sort((a, b) => a.top - b.top);
    const tops = [];
    for (const rect of rects) {
      if (!tops.length || rect.top >= tops[tops.length - 1].bottom - 1) tops.push(rect);
    }
    return tops;
  };
  const describe = (cell) => {
    const table = cell.closest("table");
    const caption = table && table.caption ? table.caption.textContent.trim() : "";
    const label = cell.getAttribute("data-label");
    const text = cell.textContent.replace(/\\s+/g, " ").trim().slice(0, 60);
    return `<${cell.tagName.toLowerCase()}${label ? ` data-label="${label}"` : ""}>`
      + (caption ? ` in the table "${caption}"` : "") + `: "${text}"`;
  };
  const found = [];
  for (const cell of document.querySelectorAll("th, td, [data-label]")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (lines(range).length < 2) continue;
        let top = null;
        for (let i = 0; i < match[0].length; i++) {
          range.setStart(node, match.index + i);
          range.setEnd(node, match.index + i + 1);
          const rect = lines(range)[0];
          if (!rect) continue;
          if (top !== null && rect.top >= top + 1 && !breakable.has(match[0][i - 1])) {
            found.push(`${describe(cell)} breaks the word "${match[0]}"`);
            break;
          }
          top = rect.top;
        }
      }
    }
  }
  return [...new Set(found)];
}
"""

_SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def narrow_problems(page: Page) -> list[str]:
    """Words broken inside table cells and sideways scrolling, measured at 320 px; the
    viewport is put back as it was."""
    viewport = page.viewport_size
    if viewport is not None and viewport["width"] != NARROW_WIDTH:
        page.set_viewport_size({"width": NARROW_WIDTH, "height": viewport["height"]})
    try:
        problems: list[str] = page.evaluate(_BROKEN_WORDS)
        overflow = page.evaluate(_SIDEWAYS)
        if overflow > 0:
            problems.append(f"the page scrolls sideways by {overflow}px at {NARROW_WIDTH}px")
    finally:
        if viewport is not None and viewport["width"] != NARROW_WIDTH:
            page.set_viewport_size(viewport)
    path = _path(page)
    return [problem for problem in problems if not _known(problem, path, KNOWN_NARROW_PROBLEMS)]


def assert_readable_when_narrow(page: Page) -> None:
    """No table cell breaks inside a word, and nothing scrolls sideways, at 320 px."""
    problems = narrow_problems(page)
    assert problems == [], f"At {NARROW_WIDTH}px on {page.url}:\n" + "\n".join(problems)
