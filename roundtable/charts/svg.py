"""A `Chart` as inline SVG for the HTML exports: self-contained, inert and deterministic.

The drawing is `figures.draw_chart`'s, saved by matplotlib's SVG backend, then made fit
to sit inside an HTML page:

- no XML prolog, doctype or metadata (matplotlib's names its web site);
- every id prefixed with the chart's key, so two charts on one page never share a
  glyph or clip-path id;
- a `<title>` per point (browsers show it on hover) and one for the whole chart,
  with `role="img"` and an `aria-label` for screen readers;
- a point's link becomes an `<a href>` only when the caller maps it to one (an
  anchor inside the same page): nothing in a chart refers outside the page;
- glyphs are paths (fonts are not needed) and ids are salted with a constant, so
  the same chart gives the same bytes every time.

No script and no remote reference, so the page's strict Content-Security-Policy holds.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable

from roundtable.charts.figures import draw_chart, point_gid, theme_context
from roundtable.charts.palette import ChartTheme
from roundtable.charts.values import Chart

_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
#: matplotlib repeats each text as a comment: the glyph paths and titles say it already.
_COMMENT = re.compile(r"\s*<!--.*?-->", re.DOTALL)
_SIZE = re.compile(r'<svg\b([^>]*?)\swidth="[^"]*"\s+height="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_LOCAL_REF = re.compile(r'(href="#|url\(#)([^")]+)')
_XLINK_NS = re.compile(r'\s+xmlns:xlink="[^"]*"')
_SVG_TAG = re.compile(r"<svg\b[^>]*>")


def chart_svg(
    chart: Chart,
    theme: ChartTheme,
    *,
    id_prefix: str = "",
    link_href: Callable[[str], str | None] | None = None,
) -> str:
    """`chart` drawn in `theme` as an `<svg>` element to paste into a page.

    `id_prefix` tells apart the same chart drawn twice on a page (a light and a dark
    copy); `link_href` maps a point's link to an in-page href (None: no link)."""
    drawn = draw_chart(chart, theme)
    buffer = io.StringIO()
    with theme_context(theme):
        drawn.figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = _METADATA.sub("", _PROLOG.sub("", text, count=1), count=1)
    text = _COMMENT.sub("", text)
    prefix = f"{id_prefix}{chart.key}-"
    text = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', text)
    text = _LOCAL_REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", text)
    # An inline SVG scales with its column; its viewBox keeps the proportions.
    text = _SIZE.sub(r'<svg\1 width="100%"', text, count=1)
    label = html.escape(f"{chart.title}. {chart.caption}".strip(), quote=True)
    text = text.replace(
        "<svg ",
        f'<svg role="img" aria-label="{label}" class="chart" ',
        1,
    )
    text = _XLINK_NS.sub("", text, count=1).replace("xlink:href=", "href=")
    title = f"<title>{html.escape(chart.title, quote=False)}</title>"
    text = _SVG_TAG.sub(lambda m: m.group(0) + title, text, count=1)
    for index, (point, _) in enumerate(drawn.targets):
        gid = f"{prefix}{point_gid(index)}"
        text = _annotate_point(text, gid, point.tooltip, point.link, link_href)
    return text.strip() + "\n"


def _annotate_point(
    text: str,
    gid: str,
    tooltip: str,
    link: str,
    link_href: Callable[[str], str | None] | None,
) -> str:
    """Give the point's group a `<title>`, and wrap it in a link when it has one."""
    opening = f'<g id="{gid}">'
    start = text.find(opening)
    if start < 0:
        return text
    titled = f"{opening}\n   <title>{html.escape(tooltip, quote=False)}</title>"
    href = link_href(link) if link and link_href is not None else None
    if href is None or not href.startswith("#"):
        return text[:start] + titled + text[start + len(opening) :]
    end = _group_end(text, start)
    inner = text[start + len(opening) : end]
    anchor = f'<a href="{html.escape(href, quote=True)}">{titled}{inner}</g></a>'
    return text[:start] + anchor + text[end + len("</g>") :]


def _group_end(text: str, start: int) -> int:
    """Where the `<g>` opened at `start` closes (its `</g>`), counting nested groups."""
    depth = 0
    for match in re.finditer(r"<g\b|</g>", text[start:]):
        depth += 1 if match.group(0) != "</g>" else -1
        if depth == 0:
            return start + match.start()
    return len(text)
