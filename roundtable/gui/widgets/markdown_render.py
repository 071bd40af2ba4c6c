"""Model text to safe HTML for Qt's rich text: the Markdown converter behind
`markdown_view.render_markdown`.

Raw HTML is switched off in the parser (a `<script>` or `<img>` a model writes is
shown as text, not obeyed), images become plain links, and links are kept only for
http(s) and in-page anchors. Kept apart from the widgets because Markdown and
Pygments take ~0.1 s to import: the app's window is shown before they load, and the
first render (or the warm-up on a worker once the database is open) loads them.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET

import markdown
from markdown.treeprocessors import Treeprocessor
from PySide6.QtCore import QUrl

from roundtable.export.markdown_dialect import CodeBox, convert, new_converter
from roundtable.gui.widgets.markdown_view import SAFE_LINK_SCHEMES

#: Pygments styles that read well on a light and on a dark background.
_CODE_STYLE = {False: "friendly", True: "github-dark"}
_TABLE_BORDER = {False: "#c4c4c4", True: "#5a5a5a"}
_CODE_BORDER = {False: "#dcdcdc", True: "#3d444d"}

#: Attributes that survive on Markdown's own elements.
_KEEP_ATTRIBUTES = frozenset({"href", "title", "colspan", "rowspan", "align", "start", "class"})
_TEXT_ALIGN = re.compile(r"text-align:\s*(left|right|center)")


class _SanitiseTree(Treeprocessor):  # type: ignore[misc]  # markdown ships no types
    """Runs last: links only to http(s) or in-page anchors, images as links, tidy tables."""

    def __init__(self, md: markdown.Markdown, dark: bool) -> None:
        super().__init__(md)
        self.dark = dark

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            self._clean(element)

    def _clean(self, element: ET.Element) -> None:
        if element.tag == "img":
            # No image is ever fetched: it becomes a link the user can choose to open.
            src = element.get("src", "")
            alt = element.get("alt") or "image"
            element.clear()
            element.tag = "a"
            element.text = f"[image: {alt}]"
            if _safe_href(src):
                element.set("href", src)
            return
        align = _TEXT_ALIGN.search(element.get("style", ""))
        for name in list(element.attrib):
            if name not in _KEEP_ATTRIBUTES:
                del element.attrib[name]
        if align:
            element.set("align", align.group(1))
        if element.tag == "a" and not _safe_href(element.get("href", "")):
            element.attrib.pop("href", None)
        if element.tag == "table":
            # QTextBrowser draws no table borders unless asked to.
            element.set("border", "1")
            element.set("cellspacing", "0")
            element.set("cellpadding", "5")
            element.set(
                "style", f"border-collapse: collapse; border-color: {_TABLE_BORDER[self.dark]};"
            )


def _qt_code_box(dark: bool) -> CodeBox:
    """A code block as a one-cell table: the only way Qt's rich text pads a block."""
    border = _CODE_BORDER[dark]

    def box(code: str, background: str) -> str:
        return (
            f'<table width="100%" cellspacing="0" cellpadding="8" border="1" '
            f'style="border-collapse: collapse; border-color: {border}; '
            f'background-color: {background};"><tr><td><pre>{code}</pre></td></tr></table>'
        )

    return box


def _safe_href(href: str) -> bool:
    scheme = QUrl(href).scheme().lower()
    return scheme in SAFE_LINK_SCHEMES or (href.startswith("#") and len(href) > 1)


class _ConvertersOfThisThread(threading.local):
    """One converter per thread and theme: a `markdown.Markdown` keeps state between
    calls, and the app renders on the GUI thread and warms the cache on a worker."""

    def __init__(self) -> None:
        self.by_theme: dict[bool, markdown.Markdown] = {}


_CONVERTERS = _ConvertersOfThisThread()


def _converter(dark: bool) -> markdown.Markdown:
    mine = _CONVERTERS.by_theme
    md = mine.get(dark)
    if md is None:
        # Raw HTML in model output is shown as text, never interpreted: Qt has no sanitiser.
        md = new_converter(
            code_style=_CODE_STYLE[dark], code_box=_qt_code_box(dark), raw_html=False
        )
        md.treeprocessors.register(_SanitiseTree(md, dark), "roundtable_sanitise", 1)
        mine[dark] = md
    return md


def to_html(text: str, *, dark: bool) -> str:
    """`text` as HTML for `SafeTextBrowser`, code coloured for a light or dark theme."""
    return convert(_converter(dark), text)
