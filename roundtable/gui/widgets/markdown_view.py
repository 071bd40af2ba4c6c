"""Model output as Markdown, rendered safely: no raw HTML, no remote fetches, no scripts.

Model text is untrusted. `render_markdown` turns it into HTML that Qt's rich text
understands, with raw HTML switched off in the parser (a `<script>` or `<img>` a model
writes is shown as text, not obeyed), images turned into plain links, and links kept
only for http(s). `SafeTextBrowser` shows that HTML, refuses to load any resource, and
opens http(s) links in the system browser only when the user clicks one.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPalette, QTextDocument
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from roundtable.gui.style import colours
from roundtable.gui.style.theme import is_dark

#: Schemes a click may hand to the system browser; everything else is ignored.
SAFE_LINK_SCHEMES = frozenset({"http", "https"})


@functools.lru_cache(maxsize=256)
def render_markdown(text: str, *, dark: bool = False) -> str:
    """Model text as HTML for `SafeTextBrowser`, with code coloured for a light or dark theme.

    Cached: a replay or a theme switch renders the same turns again. Safe on any thread.
    The converter (`markdown_render`) loads on the first call, not with the window.
    """
    from roundtable.gui.widgets.markdown_render import to_html

    return to_html(text, dark=dark)


def document_stylesheet(palette: QPalette) -> str:
    """CSS for Qt's rich text (a small subset of CSS) that follows the palette."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    link = palette.color(QPalette.ColorRole.Link)
    if is_dark(palette):
        link = colours.blend(link, QColor(Qt.GlobalColor.white), 0.35)
    code_bg = colours.blend(base, text, 0.08)
    header_bg = colours.blend(base, text, 0.06)
    quote = colours.blend(text, base, 0.3)
    return (
        f"a {{ color: {colours.css(link)}; }}"
        f"code {{ background-color: {colours.css(code_bg)}; }}"
        f"th {{ background-color: {colours.css(header_bg)}; }}"
        f"blockquote {{ color: {colours.css(quote)}; margin-left: 12px; }}"
        "p, ul, ol { margin-top: 3px; margin-bottom: 6px; }"
        "h1, h2, h3, h4 { margin-top: 8px; margin-bottom: 4px; }"
        "h1 { font-size: x-large; } h2 { font-size: large; } h3 { font-size: medium; }"
    )


class SafeTextBrowser(QTextBrowser):
    """A read-only rich-text view for untrusted text.

    It loads no resource (every image or stylesheet the document asks for comes back
    empty), follows no link itself, and hands an http(s) link to the system browser only
    when the user clicks it. With `fit_content` it is exactly as tall as its text, so a
    scrolling transcript has one scroll bar, not one per turn.

    Signals:
        link_opened(QUrl): an http(s) link the user clicked, handed to the system browser.
        link_refused(QUrl): a clicked link whose scheme is not allowed (javascript:, file:…).
    """

    link_opened = Signal(QUrl)  #: (url)
    link_refused = Signal(QUrl)  #: (url)

    def __init__(self, parent: QWidget | None = None, *, fit_content: bool = True) -> None:
        super().__init__(parent)
        self._fit_content = fit_content
        self._height_cap: int | None = None
        self._markdown: str | None = None
        self._rendered_style: tuple[str, bool] | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.document().setDocumentMargin(2)
        self.document().setDefaultStyleSheet(document_stylesheet(self.palette()))
        self.anchorClicked.connect(self._on_anchor_clicked)
        if fit_content:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            layout = self.document().documentLayout()
            layout.documentSizeChanged.connect(self._fit_height)
            self.horizontalScrollBar().rangeChanged.connect(self._fit_height)
            self._fit_height()

    # ------------------------------------------------------------ content
    def set_markdown_text(self, text: str, *, deferred: bool = False) -> None:
        """Render `text` as Markdown; it is rendered again if the theme changes.

        `deferred`: render on a later event-loop pass, one browser per pass, so eight
        turns finishing together never block the GUI for eight renders at once. What
        is shown until then stays as it was (the streamed plain text).
        """
        self._markdown = text
        if deferred:
            _RENDER_QUEUE.add(self)
        else:
            _RENDER_QUEUE.discard(self)
            self._render()

    def set_plain_text(self, text: str) -> None:
        """Show `text` as it is (streamed or partial text)."""
        self._markdown = None
        self._rendered_style = None
        self.setPlainText(text)

    def _render(self) -> None:
        if self._markdown is None:
            return
        palette = self.palette()
        style = document_stylesheet(palette)
        dark = is_dark(palette)
        self.document().setDefaultStyleSheet(style)
        self.setHtml(render_markdown(self._markdown, dark=dark))
        self._rendered_style = (style, dark)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Code colours and link colours follow the theme: a new palette renders again.
        if event.type() == QEvent.Type.PaletteChange and self._markdown is not None:
            palette = self.palette()
            if self._rendered_style != (document_stylesheet(palette), is_dark(palette)):
                self._render()

    def append_plain(self, text: str) -> None:
        """Append streamed text at the end, without re-laying out what is already there."""
        cursor = self.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(text)
        if self._height_cap is not None:
            bar = self.verticalScrollBar()
            bar.setValue(bar.maximum())

    def set_tail_lines(self, lines: int | None) -> None:
        """Cap the fitted height at `lines` lines and follow the end (a live tail).

        While a turn streams, a growing card would re-lay out the whole transcript on
        every append (tens of ms with eight seats streaming); a capped one stops
        growing, and only its own text is repainted. None: fit the whole text again.
        """
        self._height_cap = None if lines is None else lines * self.fontMetrics().lineSpacing()
        self._fit_height()

    # ------------------------------------------------------------ safety
    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Refuse every resource: a non-null empty value also stops Qt's own file fallback."""
        name = QUrl(name)
        if name.scheme().lower() == "qrc":
            return super().loadResource(type, name)
        if type == QTextDocument.ResourceType.ImageResource.value:
            return _EMPTY_IMAGE
        if type == QTextDocument.ResourceType.StyleSheetResource.value:
            return ""
        return b""

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme().lower() in SAFE_LINK_SCHEMES:
            QDesktopServices.openUrl(url)
            self.link_opened.emit(url)
        else:
            self.link_refused.emit(url)

    # ------------------------------------------------------------ size
    def _fit_height(self, *_: object) -> None:
        height = math.ceil(self.document().size().height()) + 2 * self.frameWidth()
        if self.horizontalScrollBar().maximum() > 0:
            height += self.horizontalScrollBar().sizeHint().height()
        if self._height_cap is not None:
            height = min(height, self._height_cap + 2 * self.frameWidth())
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(max(height, 8))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self._fit_content:
            hint.setHeight(self.height())
        return hint

    def minimumSizeHint(self) -> QSize:
        return QSize(80, super().minimumSizeHint().height())


class _RenderQueue:
    """Browsers waiting for their Markdown render, served one per event-loop pass."""

    def __init__(self) -> None:
        self._pending: dict[int, SafeTextBrowser] = {}
        self._timer: QTimer | None = None

    def add(self, browser: SafeTextBrowser) -> None:
        self._pending[id(browser)] = browser
        if self._timer is None:
            self._timer = QTimer()
            self._timer.setInterval(0)
            self._timer.timeout.connect(self._render_next)
        self._timer.start()

    def discard(self, browser: SafeTextBrowser) -> None:
        self._pending.pop(id(browser), None)

    def _render_next(self) -> None:
        while self._pending:
            browser = self._pending.pop(next(iter(self._pending)))
            if shiboken6.isValid(browser):  # its card may have been cleared meanwhile
                browser._render()
                break
        if not self._pending and self._timer is not None:
            self._timer.stop()


_RENDER_QUEUE = _RenderQueue()

_EMPTY_IMAGE = QImage(1, 1, QImage.Format.Format_ARGB32)
_EMPTY_IMAGE.fill(0)
