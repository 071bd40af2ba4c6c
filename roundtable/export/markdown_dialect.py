"""The one Markdown dialect of Roundtable: how model text is read, wherever it is shown.

The app's transcript (`roundtable.gui.widgets.markdown_view`) and every export that
renders Markdown (`roundtable.export.html`) build their converters here, so a model's
answer reads the same in the window and in a saved page. What differs between them is
only what their targets need: the app boxes code blocks the way Qt's rich text can
draw them and refuses raw HTML in the parser; the HTML export keeps raw HTML for nh3
to clean. The extensions, their settings and code colouring are decided once, here.

A `markdown.Markdown` instance keeps state between calls and is not thread-safe:
`new_converter` builds a fresh one, and callers that reuse one keep it to a thread.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable

import markdown
import pygments
from markdown.postprocessors import Postprocessor
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

#: The extensions, in the order they are loaded. `nl2br`: models put "Final answer: …"
#: and "Confidence: …" on lines of their own and mean it; without it the two lines
#: would run together into one sentence.
EXTENSIONS: tuple[str, ...] = ("tables", "fenced_code", "sane_lists", "nl2br")

#: A code block as fenced_code writes it. When raw HTML is refused in the parser this
#: shape can only come from Markdown itself; when it is kept, the output is cleaned.
_CODE_BLOCK = re.compile(r'<pre><code(?: class="language-([^"]*)")?>(.*?)</code></pre>', re.S)

#: (coloured code HTML, the style's background colour) -> the block as the target draws it.
CodeBox = Callable[[str, str], str]


def new_converter(*, code_style: str, code_box: CodeBox, raw_html: bool) -> markdown.Markdown:
    """A converter of the house dialect.

    `code_style` names the Pygments style that colours fenced code (inline styles, no
    classes: neither Qt nor a locked-down page loads a stylesheet); `code_box` wraps each
    coloured block. `raw_html=False` shows HTML a model writes as text, never obeyed.
    """
    md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
    if not raw_html:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    # Priority 0: after raw_html (30) has put the fenced code blocks back.
    md.postprocessors.register(_CodeColouring(md, code_style, code_box), "code_colouring", 0)
    return md


def convert(md: markdown.Markdown, text: str) -> str:
    """`text` as HTML through `md`, which starts clean (a converter keeps state)."""
    md.reset()
    return str(md.convert(text))


class _CodeColouring(Postprocessor):  # type: ignore[misc]  # markdown ships no types
    """Colours fenced code blocks with Pygments and hands each to the target's box.

    codehilite would build a new Pygments formatter per block (~1.5 ms each, half the
    time of a code-heavy answer); one formatter per converter does the same work. Only
    the fence's language is used: guessing a language from the code misleads more often
    than it helps, so an unnamed or unknown language stays uncoloured.
    """

    def __init__(self, md: markdown.Markdown, style: str, box: CodeBox) -> None:
        super().__init__(md)
        self.formatter = HtmlFormatter(noclasses=True, nowrap=True, style=style)
        self.background = self.formatter.style.background_color or "#f6f8fa"
        self.box = box

    def run(self, text: str) -> str:
        return _CODE_BLOCK.sub(self._colour, text)

    def _colour(self, match: re.Match[str]) -> str:
        language, code = match.group(1), match.group(2)
        lexer = _lexer(language) if language else None
        if lexer is not None:
            code = pygments.highlight(html.unescape(code), lexer, self.formatter)
        return self.box(code, self.background)


@functools.lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return None
