"""A stored debate as one self-contained HTML page, safe to open anywhere.

The page is the Markdown export rendered by Python-Markdown, so the two agree.
Model text is untrusted, so it is rendered on its own, turn by turn:

1. each turn's Markdown (raw HTML included) becomes an HTML fragment that nh3
   cleans against an allow-list: no scripts, no event handlers, links only to
   http(s)/mailto, images only as `data:` URLs. Cleaning a fragment also closes
   whatever it left open, so an unclosed `<div>` or `<b>` stays inside its turn;
2. the document around the turns is our own Markdown with every user value
   escaped; the whole page body is cleaned once more with the same policy;
3. a Content-Security-Policy meta tag forbids every fetch and script anyway.

Nothing is loaded from the network: styles are inline (light and dark), code is
coloured inline by Pygments (`noclasses`).
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Sequence

import nh3

from roundtable.charts.debate_charts import debate_charts, facts_from_record
from roundtable.domain import Event
from roundtable.domain.formatting import visible_controls
from roundtable.export.chart_figures import CHART_CSS, charts_html
from roundtable.export.markdown import debate_to_markdown, nest_model_text
from roundtable.export.markdown_dialect import convert, new_converter
from roundtable.export.provenance import EXPORTED_BY, GENERATOR
from roundtable.storage.records import DebateRecord

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    "var",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "pre": {"style"},
    "span": {"style"},
    "th": {"style"},
    "td": {"style"},
}
# What Pygments and the tables extension write. Nothing here can name a URL, so no
# style can fetch anything (the CSP would refuse it too).
_STYLE_PROPERTIES = {
    "color", "background-color", "font-weight", "font-style", "line-height", "text-align",
    "text-decoration",
}  # fmt: skip
# nh3 writes attributes double-quoted, with `"` escaped inside them.
_SRCLESS_IMAGE = re.compile(r'<img(?![^>]*\ssrc=)(?:[^>]*?\salt="([^"]*)")?[^>]*>')
_LINK_SCHEMES = ("http://", "https://", "mailto:", "#")
#: Where the Markdown export's totals start: the charts go just before.
_TOTALS_HEADING = "\n\n## Totals"
#: Pygments' own default; its background comes with it, so code stays light in dark mode.
_CODE_STYLE = "default"

_CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff;
  --rule: #d1d9e0; --panel: #f6f8fa; --accent: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --rule: #3d444d;
    --panel: #151b23; --accent: #4493f8; }
}
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem 4rem;
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.35rem; margin-top: 2.5rem; padding-bottom: .3rem;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.75rem 0 .25rem; }
h4, h5, h6 { font-size: 1rem; }
a { color: var(--accent); }
blockquote { margin: 1rem 0; padding: .25rem 1rem; border-left: 4px solid var(--rule);
  color: var(--fg); background: var(--panel); font-size: 1.1rem; }
table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--rule); padding: .35rem .7rem; vertical-align: top; }
th { background: var(--panel); text-align: left; }
/* Figures keep their line ("92 % (81-97)"): a table scrolls sideways before one breaks. */
td.number, th.number { text-align: right; white-space: nowrap; }
body.wide { max-width: 62rem; }
code { font: .9em/1.45 ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
:not(pre) > code { background: var(--panel); padding: .1em .3em; border-radius: 4px; }
pre { padding: .8rem 1rem; overflow-x: auto; border-radius: 6px; background: var(--panel); }
/* Pygments colours are chosen for a light background: keep code light in dark mode. */
.codehilite { color: #1f2328; margin: 1rem 0; }
.codehilite pre { margin: 0; }
img { max-width: 100%; }
hr { border: 0; border-top: 1px solid var(--rule); }
em { color: var(--muted); }
strong em, em strong { color: inherit; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="{generator}">
<title>{title}</title>
<style>{css}</style>
</head>
<body{body_class}>
<main>
{body}
<footer><p><em>{exported_by}</em></p></footer>
</main>
</body>
</html>
"""


def debate_to_html(record: DebateRecord, events: Sequence[Event] = ()) -> str:
    charts = charts_html(debate_charts(facts_from_record(record)))
    return page(record.summary.title or "Roundtable debate", debate_body(record, events, charts))


def debate_body(record: DebateRecord, events: Sequence[Event], charts: str) -> str:
    """The page's body, already safe: the debate as its Markdown export tells it, each
    turn cleaned on its own, and `charts` (our own inert markup) just before the totals."""
    # Each turn is rendered and cleaned alone, then put where its placeholder
    # paragraph is; the nonce keeps a question from spelling a placeholder.
    nonce = secrets.token_hex(8)
    turns: dict[str, str] = {}

    def embed(text: str) -> str:
        key = f"turn{len(turns)}x{nonce}"
        turns[f"<p>{key}</p>"] = _note_removed_images(
            sanitize(markdown_to_html(nest_model_text(text)))
        )
        return key

    text = debate_to_markdown(record, model_text=embed, events=events)
    # The charts go just before the totals, as a section of their own. Nothing else can
    # spell that heading: model text is only a placeholder here, the question is escaped.
    charts_slot = f"charts{nonce}"
    before, totals, after = text.rpartition(_TOTALS_HEADING)
    if totals:
        text = f"{before}\n\n## Charts\n\n{charts_slot}{totals}{after}"
    body = markdown_to_html(text)
    for slot, fragment in turns.items():
        body = body.replace(slot, fragment, 1)
    # Our own drawing, inert by construction, goes in after the page is cleaned
    # (the cleaner knows no SVG and would drop it).
    return sanitize(body).replace(f"<p>{charts_slot}</p>", charts, 1)


def markdown_to_html(text: str) -> str:
    """Markdown in the house dialect to HTML, code coloured inline (not yet cleaned).

    A converter per call: exports may run on any thread, and building one is cheap
    next to rendering a debate."""
    converter = new_converter(code_style=_CODE_STYLE, code_box=_code_box, raw_html=True)
    return convert(converter, text)


def _code_box(code: str, background: str) -> str:
    return (
        f'<div class="codehilite"><pre style="background-color: {background};">'
        f"<code>{code}</code></pre></div>"
    )


def sanitize(fragment: str) -> str:
    """Keep only inert markup: see the module docstring."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        allowed_classes={"div": {"codehilite"}},
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto", "data"},
        filter_style_properties=_STYLE_PROPERTIES,
        link_rel="noopener noreferrer nofollow",
    )


def _note_removed_images(fragment: str) -> str:
    """Say where an image was dropped (a remote one) instead of leaving an empty box."""

    def note(match: re.Match[str]) -> str:
        alt = html.escape(html.unescape(match.group(1) or ""))
        return f"<em>[image not shown{': ' + alt if alt else ''}]</em>"

    return _SRCLESS_IMAGE.sub(note, fragment)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # nh3's scheme list is shared by every tag; narrow it per attribute here.
    if attribute == "href":
        return value if value.strip().lower().startswith(_LINK_SCHEMES) else None
    if attribute == "src":
        return value if value.strip().lower().startswith("data:image/") else None
    return value


def page(title: str, body: str, *, wide: bool = False) -> str:
    """A whole self-contained page around `body` (already safe HTML): the house styles,
    light and dark, and the Content-Security-Policy that forbids every fetch and script.
    `wide` gives tables of figures (a report's) more room than reading text needs."""
    css = _CSS.strip() + "\n" + CHART_CSS.strip()
    return _PAGE.format(
        csp=CONTENT_SECURITY_POLICY,
        title=visible_controls(html.escape(title)),
        css=css,
        body=visible_controls(body),  # printable text only, as in the Markdown export
        body_class=' class="wide"' if wide else "",
        generator=GENERATOR,
        exported_by=EXPORTED_BY,
    )
