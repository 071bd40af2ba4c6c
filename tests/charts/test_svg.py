"""Charts as inline SVG: every point's tooltip, nothing outside the page, same bytes twice."""

from __future__ import annotations

import html
import re

from roundtable.charts.debate_charts import debate_charts, facts_from_events
from roundtable.charts.palette import DARK, LIGHT
from roundtable.charts.svg import chart_svg
from roundtable.charts.values import Axis, Chart, ChartKind, Point, Series, SeriesRole
from tests.helpers.debates import bat_and_ball_debate

_EXTERNAL = re.compile(r"""(?:href|src)\s*=\s*["']?\s*(?!#)[a-z]+:|url\(\s*["']?(?!#)""", re.I)


def _charts() -> tuple[Chart, ...]:
    return debate_charts(facts_from_events(bat_and_ball_debate()))


def test_every_point_carries_its_tooltip_as_a_title():
    for chart in _charts():
        svg = chart_svg(chart, LIGHT)
        titles = [html.unescape(t) for t in re.findall(r"<title>([^<]*)</title>", svg)]
        assert titles[0] == chart.title
        assert titles[1:] == [point.tooltip for _, point in chart.points()]


def test_the_svg_is_inline_ready_and_refers_to_nothing_outside_itself():
    for chart in _charts():
        svg = chart_svg(chart, DARK)
        assert svg.startswith("<svg ")
        assert "<?xml" not in svg
        assert "<!DOCTYPE" not in svg
        assert "<metadata" not in svg
        assert "<script" not in svg.lower()
        assert not _EXTERNAL.search(svg), _EXTERNAL.search(svg)
        # The only http string left is the SVG namespace, which nothing fetches.
        assert re.findall(r"https?://[^\"' )]+", svg) == ["http://www.w3.org/2000/svg"]
        label = re.search(r'<svg role="img" aria-label="([^"]*)"', svg)
        assert label is not None
        assert html.unescape(label.group(1)) == f"{chart.title}. {chart.caption}"


def test_two_charts_and_two_themes_on_one_page_share_no_id():
    ids: list[str] = []
    for chart in _charts():
        for theme, prefix in ((LIGHT, "light-"), (DARK, "dark-")):
            ids += re.findall(r'\bid="([^"]+)"', chart_svg(chart, theme, id_prefix=prefix))
    assert len(ids) == len(set(ids))
    svg = chart_svg(_charts()[0], LIGHT, id_prefix="light-")
    for ref in re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', svg):
        assert f'id="{ref[0] or ref[1]}"' in svg  # every reference resolves inside


def test_the_same_chart_gives_the_same_bytes():
    chart = _charts()[1]
    assert chart_svg(chart, LIGHT) == chart_svg(chart, LIGHT)


def test_model_text_in_a_tooltip_is_text_not_markup():
    hostile = '</title><script>alert(1)</script><a href="https://evil.example">x</a>'
    chart = Chart(
        key="hostile",
        kind=ChartKind.BAR,
        title="Votes",
        caption="One answer.",
        x=Axis("Answer", ticks=((0, hostile[:10]),)),
        y=Axis("Share", percent=True, low=0, high=1),
        series=(
            Series("Votes", (Point(0, 1.0, tooltip=hostile, label=hostile),), SeriesRole.ANSWER),
        ),
    )
    svg = chart_svg(chart, LIGHT)
    assert "<script" not in svg
    assert "<a " not in svg  # the link stays words inside the title
    assert '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;a href="https' in svg


def test_a_link_becomes_an_anchor_only_inside_the_page():
    points = (
        Point(0, 1.0, tooltip="q1 right", link="q1"),
        Point(1, 0.0, tooltip="q2 wrong", link="q2"),
    )
    chart = Chart(
        key="linked",
        kind=ChartKind.SCATTER,
        title="Questions",
        caption="Two questions.",
        x=Axis("Question"),
        y=Axis("Correct"),
        series=(Series("Table", points, SeriesRole.TABLE),),
    )
    hrefs = {"q1": "#question-q1", "q2": "https://elsewhere.example/q2"}
    svg = chart_svg(chart, LIGHT, link_href=hrefs.get)
    assert '<a href="#question-q1">' in svg
    assert "elsewhere.example" not in svg
    assert svg.count("<a ") == 1
