"""A stored debate as HTML for Qt's rich-text printer, which makes the PDF.

The PDF must read like the HTML export, but Qt's `QTextDocument` reads only a subset
of HTML 4 and CSS 2.1: it knows no CSS custom properties (`var(--rule)`), no `rem`, no
inline SVG, and it draws a table with neither borders nor cell padding unless the
`<table>` asks through its own attributes. Printed from the browser page, a table's
cells ran together ("Step 1 | 17 × 23" read "117 × 23", the headers
"StepOperationResult"). So the printer gets the same body as the page, with:

- every table carrying `border`, `cellpadding` and `cellspacing`, the attributes Qt
  honours, and a light rule colour (paper is light);
- a style sheet in the units and properties Qt understands;
- each chart as a PNG image (`data:` URL, nothing fetched) above its caption.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence

from roundtable.charts.debate_charts import debate_charts, facts_from_record
from roundtable.charts.figures import draw_chart, theme_context
from roundtable.charts.palette import LIGHT
from roundtable.charts.values import Chart
from roundtable.domain import Event
from roundtable.export.html import debate_body
from roundtable.export.provenance import EXPORTED_BY
from roundtable.storage.records import DebateRecord

#: The cell padding, in pixels, the printed tables get (the page's .35rem x .7rem reads
#: about the same on paper).
TABLE_CELL_PADDING = 5
_RULE = "#d1d9e0"
_PANEL = "#f6f8fa"
_TABLE_ATTRIBUTES = (
    f'border="1" cellspacing="0" cellpadding="{TABLE_CELL_PADDING}" '
    f'style="border-collapse: collapse; border-color: {_RULE}; border-style: solid;"'
)
_TABLE_TAG = re.compile(r"<table\b[^>]*>")
#: Charts printed at this resolution look sharp on paper and keep the PDF small.
_CHART_DPI = 150
#: The printed chart's width in pixels of the document (the text column is ~600 px).
_CHART_WIDTH = 560

_QT_CSS = f"""
body {{ color: #1f2328; font-size: 10pt; }}
h1 {{ font-size: 18pt; margin-bottom: 8px; }}
h2 {{ font-size: 14pt; margin-top: 20px; margin-bottom: 6px; }}
h3 {{ font-size: 11.5pt; margin-top: 14px; margin-bottom: 4px; }}
th {{ background-color: {_PANEL}; font-weight: bold; text-align: left; }}
td, th {{ vertical-align: top; }}
table {{ margin-top: 6px; margin-bottom: 10px; }}
blockquote {{ background-color: {_PANEL}; margin-left: 0px; font-size: 11pt; }}
pre {{ background-color: {_PANEL}; font-size: 9pt; }}
code {{ font-size: 9pt; }}
em {{ color: #59636e; }}
.caption {{ color: #59636e; font-size: 9pt; }}
"""

_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title><style>{css}</style></head>
<body>
{body}
</body></html>
"""


def debate_to_print_html(record: DebateRecord, events: Sequence[Event] = ()) -> str:
    """The debate as HTML that Qt's `QTextDocument` prints like the HTML export reads."""
    charts = "\n".join(_printed_chart(chart) for chart in debate_charts(facts_from_record(record)))
    body = debate_body(record, events, charts)
    return _PAGE.format(
        title=html.escape(record.summary.title or "Roundtable debate"),
        css=_QT_CSS.strip(),
        body=printable_tables(body) + f'\n<p class="caption">{EXPORTED_BY}</p>',
    )


def printable_tables(body: str) -> str:
    """Every `<table>` in `body` with the attributes that make Qt draw its rules and pad
    its cells (Qt ignores borders and padding given only in a style sheet)."""
    return _TABLE_TAG.sub(f"<table {_TABLE_ATTRIBUTES}>", body)


def _printed_chart(chart: Chart) -> str:
    drawn = draw_chart(chart, LIGHT)
    buffer = io.BytesIO()
    with theme_context(LIGHT):
        drawn.figure.savefig(buffer, format="png", dpi=_CHART_DPI, metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = html.escape(chart.title, quote=True)
    caption = html.escape(chart.caption, quote=False)
    return (
        f'<p><img src="data:image/png;base64,{data}" width="{_CHART_WIDTH}" alt="{alt}"></p>\n'
        f'<p class="caption">{caption}</p>'
    )
