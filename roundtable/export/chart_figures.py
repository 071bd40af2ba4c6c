"""Charts as HTML figures for the exported pages (a debate, an eval report).

Each chart is drawn twice, in the page's light and dark colours, and the page's
colour scheme shows one (printing shows the light one); a `<figcaption>` says in
words what the chart shows. The SVG is our own drawing (`roundtable.charts.svg`):
it goes into the page after the page is cleaned, as it carries no script, no event
handler and no reference outside the page, so the strict Content-Security-Policy
holds.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from roundtable.charts.palette import DARK, LIGHT
from roundtable.charts.svg import chart_svg
from roundtable.charts.values import Chart

#: Added to the page's styles wherever charts appear.
CHART_CSS = """
figure.chart { margin: 1.5rem 0 2rem; }
figure.chart svg { display: block; width: 100%; height: auto; }
figure.chart figcaption { color: var(--muted); font-size: .9rem; margin-top: .35rem; }
.chart-dark { display: none; }
@media (prefers-color-scheme: dark) {
  .chart-light { display: none; }
  .chart-dark { display: block; }
}
@media print {
  .chart-light { display: block; }
  .chart-dark { display: none; }
  figure.chart { break-inside: avoid; }
}
"""


def charts_html(
    charts: Iterable[Chart], *, link_href: Callable[[str], str | None] | None = None
) -> str:
    """Each chart as a `<figure>` (light and dark drawings, a caption).

    `link_href` maps a point's link to an anchor in the same page ("#q-7"); None, or
    anything but an anchor, leaves the point without a link."""
    return "\n".join(_figure(chart, link_href) for chart in charts)


def _figure(chart: Chart, link_href: Callable[[str], str | None] | None) -> str:
    light = chart_svg(chart, LIGHT, id_prefix="light-", link_href=link_href)
    dark = chart_svg(chart, DARK, id_prefix="dark-", link_href=link_href)
    return (
        f'<figure class="chart" id="chart-{html.escape(chart.key, quote=True)}">\n'
        f'<div class="chart-light">{light}</div>\n'
        f'<div class="chart-dark">{dark}</div>\n'
        f"<figcaption>{html.escape(chart.caption, quote=False)}</figcaption>\n"
        "</figure>"
    )
