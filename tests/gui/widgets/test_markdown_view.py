"""Model output rendered safely: formatting works, markup from the model is inert."""

from __future__ import annotations

import http.server
import re
import threading

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QDesktopServices, QFont, QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import QVBoxLayout, QWidget

from roundtable.export.html import markdown_to_html as export_markdown
from roundtable.gui.widgets.markdown_view import SafeTextBrowser, render_markdown


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # stdlib naming
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tracking_server():
    """A loopback HTTP server that records every request made to it."""
    hits: list[str] = []
    handler = type("Handler", (_CountingHandler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser(qtbot):
    view = SafeTextBrowser()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    return view


def char_format_of(browser: SafeTextBrowser, word: str):
    cursor = browser.document().find(word)
    assert not cursor.isNull(), f"{word!r} is not in the document"
    # The format of a selection is the format of its last character.
    return cursor.charFormat()


def test_bold_text_is_bold(browser):
    browser.set_markdown_text("The ball costs **five** cents.")
    assert char_format_of(browser, "five").fontWeight() == QFont.Weight.Bold
    assert char_format_of(browser, "ball").fontWeight() != QFont.Weight.Bold


def test_code_blocks_are_coloured_and_monospaced(browser):
    browser.set_markdown_text("```python\ndef price(total):\n    return total / 2\n```")
    keyword = char_format_of(browser, "def")
    plain = char_format_of(browser, "total")
    assert keyword.foreground().color() != plain.foreground().color()
    assert "def price(total):" in browser.toPlainText()
    html = render_markdown("```python\ndef f(): pass\n```")
    assert "<pre>" in html
    assert 'style="color:' in html


def test_tables_get_borders_qt_can_draw(browser):
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert 'border="1"' in html
    browser.set_markdown_text("| a | b |\n|---|---|\n| 1 | 2 |")
    cursor = browser.document().find("a")
    table = cursor.currentTable()
    assert table is not None
    assert table.format().border() >= 1


def test_single_newlines_stay_line_breaks(browser):
    browser.set_markdown_text("Final answer: 5\nConfidence: 0.9")
    assert browser.toPlainText().splitlines() == ["Final answer: 5", "Confidence: 0.9"]


def test_the_app_and_the_html_export_break_lines_alike():
    answer = "Final answer: 5\nConfidence: 0.9"
    for html in (render_markdown(answer), export_markdown(answer)):
        assert re.search(r"Final answer: 5<br ?/?>\s*Confidence: 0\.9", html), html


def test_rendering_on_a_worker_while_the_gui_renders_is_safe():
    # The window warms the renderer on a worker thread while turns render on the GUI
    # thread; one shared `markdown.Markdown` mixed their documents up.
    render = render_markdown.__wrapped__  # past the cache, so every call converts
    texts = [
        f"# Turn {n}\n\nAnswer **{n}**\nConfidence: 0.{n}\n\n| a | b |\n|---|---|\n| {n} | x |\n"
        * 3
        for n in range(60)
    ]
    expected = {text: render(text) for text in texts}
    wrong: list[str] = []

    def render_all() -> None:
        wrong.extend(text for text in texts if render(text) != expected[text])

    threads = [threading.Thread(target=render_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_raw_html_from_the_model_is_shown_as_text_not_obeyed(browser):
    text = 'Try <script>alert("x")</script> and <b onclick="x()">this</b>.'
    html = render_markdown(text)
    assert "<script>" not in html
    assert "<b " not in html
    browser.set_markdown_text(text)
    assert browser.toPlainText() == text
    assert char_format_of(browser, "this").fontWeight() != QFont.Weight.Bold


def test_nothing_is_fetched_from_the_network(browser, tracking_server, qtbot):
    port, hits = tracking_server
    browser.set_markdown_text(
        f'<img src="http://127.0.0.1:{port}/raw.png">\n\n'
        f"![chart](http://127.0.0.1:{port}/markdown.png)\n\n"
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
    )
    browser.grab()  # lay out and paint everything
    # Even HTML that bypasses the renderer gets no resource from the network.
    browser.setHtml(f'<p><img src="http://127.0.0.1:{port}/direct.png" width="20"></p>')
    browser.grab()
    qtbot.wait(50)  # give a stray request time to arrive before counting
    assert hits == []
    # The Markdown image is offered as a link the user may choose to open instead.
    assert "[image: chart]" in render_markdown(f"![chart](http://127.0.0.1:{port}/m.png)")


def test_local_image_files_are_not_loaded(browser, tmp_path):
    secret = QImage(40, 30, QImage.Format.Format_RGB32)
    secret.fill(QColor("red"))
    path = tmp_path / "private.png"
    assert secret.save(str(path))
    url = QUrl.fromLocalFile(str(path))
    browser.setHtml(f'<img src="{url.toString()}">')
    browser.grab()
    loaded = browser.document().resource(QTextDocument.ResourceType.ImageResource, url)
    assert isinstance(loaded, QImage)
    assert loaded.size().width() <= 1  # our empty stand-in, not the 40x30 file


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>"]
)
def test_unsafe_links_are_neither_rendered_nor_opened(browser, monkeypatch, qtbot, href):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert href.split(":")[0] + ":" not in render_markdown(f"[click]({href})")
    with qtbot.waitSignal(browser.link_refused) as refused:
        browser.anchorClicked.emit(QUrl(href))
    assert refused.args[0].scheme() == href.split(":")[0]
    assert opened == []


def test_http_links_open_in_the_system_browser_on_click(browser, monkeypatch, qtbot):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    browser.set_markdown_text("See [the paper](https://arxiv.org/abs/2309.13007).")
    assert 'href="https://arxiv.org/abs/2309.13007"' in render_markdown(
        "See [the paper](https://arxiv.org/abs/2309.13007)."
    )
    with qtbot.waitSignal(browser.link_opened):
        browser.anchorClicked.emit(QUrl("https://arxiv.org/abs/2309.13007"))
    assert [url.toString() for url in opened] == ["https://arxiv.org/abs/2309.13007"]


def test_fitted_browser_is_as_tall_as_its_text(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    view = SafeTextBrowser(holder)
    layout.addWidget(view)
    layout.addStretch(1)
    holder.resize(400, 900)
    holder.show()
    view.set_markdown_text("\n\n".join(f"Paragraph {i} of a long answer." for i in range(12)))
    qtbot.waitUntil(lambda: view.height() >= view.document().size().height())
    assert view.verticalScrollBar().maximum() == 0  # no scroll bar inside the transcript
    short = view.height()
    cursor = QTextCursor(view.document())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    view.append_plain("\nOne more line streamed in.")
    qtbot.waitUntil(lambda: view.height() > short)
