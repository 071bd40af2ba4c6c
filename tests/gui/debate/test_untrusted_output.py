"""Hostile model output in the live debate view: nothing fetched, nothing run, links on click.

A model's reply is untrusted text. This streams one full of traps through `DebateView`
exactly as the engine would (TurnStarted, many TurnDelta, TurnFinished) and watches a
loopback server that every trap points at: raw HTML, `<script>`, images, an iframe,
CSS with remote URLs, `javascript:` links, a 2,000-row table and 200 nested lists.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor

from roundtable.domain import (
    Answer,
    AnswerKind,
    DebateSpec,
    DebateStarted,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
    Usage,
)
from roundtable.gui.debate.view import DebateView
from roundtable.gui.widgets.markdown_view import SafeTextBrowser
from tests.helpers.events import EventBuilder


class CountingServer:
    """A loopback HTTP server that counts every connection made to it."""

    def __init__(self) -> None:
        self.connections = 0
        self.paths: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                owner.connections += 1  # counted on accept, before any request line
                super().setup()

            def do_GET(self) -> None:
                owner.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> CountingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def tracker() -> Iterator[CountingServer]:
    with CountingServer() as server:
        yield server


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Every URL handed to the system browser (QDesktopServices is patched to record)."""
    urls: list[str] = []

    def record(url: QUrl) -> bool:
        urls.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(record))
    return urls


@pytest.fixture
def requested(monkeypatch) -> list[str]:
    """Every resource any Markdown view asked Qt to load."""
    names: list[str] = []
    original = SafeTextBrowser.loadResource

    def spy(self: SafeTextBrowser, kind: int, name: object) -> object:
        names.append(QUrl(name).toString())  # type: ignore[call-overload]
        return original(self, kind, name)

    monkeypatch.setattr(SafeTextBrowser, "loadResource", spy)
    return names


def hostile_reply(url: str) -> str:
    table = "| item | note |\n|---|---|\n" + "".join(
        f"| row {i} | <b>bold?</b> ![px]({url}/row{i}.png) |\n" for i in range(2000)
    )
    nested = "".join("    " * depth + f"- level {depth}\n" for depth in range(200))
    return f"""Here is my analysis. <script>window.pwned = true; fetch("{url}/script")</script>

<img src="{url}/img.png" onerror="fetch('{url}/onerror')">
![tracking pixel]({url}/pixel.png)
<iframe src="{url}/frame"></iframe>
<link rel="stylesheet" href="{url}/style.css">
<style>body {{ background: url({url}/css.png) }}</style>
<div style="background-image: url({url}/bg.png)">styled div</div>
<a href="javascript:alert(1)">html js link</a> and [markdown js link](javascript:alert(2))
and [a real source](https://example.com/docs).

{table}

{nested}
Final answer: 42
Confidence: 0.9"""


def stream_turn(view: DebateView, text: str) -> TurnFinished:
    f = EventBuilder("untrusted", step_s=0.25)
    seats = (Seat("m", "Mallory", "openai/evil"), Seat("h", "Honest", "demo/ada"))
    f.add(DebateStarted, spec=DebateSpec(question="Summarise the report.", seats=seats))
    f.add(RoundStarted, round=0, seat_ids=("m", "h"))
    f.add(TurnStarted, round=0, seat_id="m")
    f.stream_text(0, "m", text, chunk=400)
    finished = f.add(
        TurnFinished,
        round=0,
        seat_id="m",
        text=text,
        answer=Answer(raw="Final answer: 42", value="42", display="42", kind=AnswerKind.NUMBER),
        usage=Usage(prompt_tokens=10, completion_tokens=9000, latency_s=30.0),
    )
    for event in f.events[:-1]:
        view.apply(event)
    assert isinstance(finished, TurnFinished)
    return finished


def anchors(browser: SafeTextBrowser) -> set[str]:
    """Every link target in the rendered document."""
    found = set()
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href:
                found.add(href)
            it += 1
        block = block.next()
    return found


def test_hostile_output_fetches_nothing_runs_nothing_and_renders_in_time(
    qtbot, tracker, opened, requested
):
    view = DebateView()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    text = hostile_reply(tracker.url)
    # CPU time of the GUI thread at each turn of its event loop: the work it did between
    # two turns, which other processes on a loaded machine cannot inflate.
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: ticks.append(time.thread_time()))
    heartbeat.start(20)

    finished = stream_turn(view, text)
    card = view.transcript.card(0, "m")
    assert card is not None
    qtbot.waitUntil(lambda: "Final answer: 42" in card.body_text(), timeout=10_000)
    assert "<script>" in card.body_text()  # while streaming: the raw text, as text
    qtbot.waitUntil(lambda: len(ticks) >= 2)  # the heartbeat beats before the render

    started = time.process_time()
    view.apply(finished)
    # Rendered: images have become "[image: …]" links (streamed text has none of those).
    qtbot.waitUntil(lambda: "[image: tracking pixel]" in card.body_text(), timeout=60_000)
    render_cpu_s = time.process_time() - started  # every thread's, and only ours
    heartbeat.stop()

    assert tracker.connections == 0, tracker.paths  # nothing fetched, not even a connection
    assert not [name for name in requested if not name.startswith("qrc:")]
    assert opened == []  # no link opened by itself
    shown = card.body_text()
    assert "window.pwned = true" in shown  # the script is shown as text, never run
    assert "<iframe" in shown
    assert "[image: tracking pixel]" in shown  # images become links the user may follow
    html = card.body.toHtml()
    assert "<img" not in html
    assert "<script" not in html
    links = anchors(card.body)
    assert "https://example.com/docs" in links
    assert not [link for link in links if link.lower().startswith("javascript:")]
    assert "row 1999" in shown  # all of it is there, nothing cut to make it safe
    assert "level 199" in shown
    # Responsive: the whole render (2,000 rows, 200 levels) costs seconds of CPU at
    # worst, not minutes, and the GUI thread never worked that long without turning
    # its event loop. CPU time, not the wall clock: a loaded machine cannot fail this.
    assert render_cpu_s < 8.0
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert len(gaps) > 0
    assert max(gaps) < 8.0


def test_links_open_in_the_system_browser_only_when_clicked(qtbot, opened):
    browser = SafeTextBrowser(fit_content=False)
    qtbot.addWidget(browser)
    browser.resize(600, 200)
    browser.show()
    qtbot.waitExposed(browser)
    refused: list[str] = []
    browser.link_refused.connect(lambda url: refused.append(url.toString()))
    browser.set_markdown_text(
        "See [the docs](https://example.com/docs) or [this](javascript:alert(1))."
    )
    assert opened == []

    cursor = browser.document().find("the docs")
    inside = QTextCursor(browser.document())
    inside.setPosition(cursor.selectionStart() + 3)
    point = browser.cursorRect(inside).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)

    assert opened == ["https://example.com/docs"]
    # A javascript: link has no target left to click; if one were clicked, it is refused.
    browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert opened == ["https://example.com/docs"]
    assert refused == ["javascript:alert(1)"]
