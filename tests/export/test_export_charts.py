"""Charts in the HTML pages (a debate, an eval report): drawn inline, told in words, inert."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator

import pytest

from roundtable.charts.debate_charts import debate_charts, facts_from_record
from roundtable.charts.eval_charts import EVAL_CHART_KEYS
from roundtable.domain import Event, RoundFinished, TurnFinished
from roundtable.export import export_debate
from roundtable.export.eval_report import eval_report_html
from roundtable.export.html import CONTENT_SECURITY_POLICY
from roundtable.storage import Database, load_debate, load_events, open_database
from tests.charts.reports import make_report
from tests.helpers.debates import bat_and_ball_debate
from tests.helpers.events import record

HOSTILE_ANSWER = '<img src="https://tracker.example/x.png" onerror="alert(1)">'


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "charts-export.db")
    yield database
    database.close()


def _page(db: Database, events: list[Event]) -> str:
    record(db, events)
    debate_id = events[0].debate_id
    return export_debate(load_debate(db, debate_id), load_events(db, debate_id), "html")


def _charts_section(page: str) -> str:
    return page.split("<h2>Charts</h2>", 1)[1].split("<h2>Totals</h2>", 1)[0]


def test_the_page_draws_each_chart_in_both_colour_schemes_with_a_caption(db: Database):
    page = _page(db, bat_and_ball_debate())
    section = _charts_section(page)
    charts = debate_charts(facts_from_record(load_debate(db, "debate-1")))
    for chart in charts:
        figure = section.split(f'<figure class="chart" id="chart-{chart.key}">', 1)[1]
        figure = figure.split("</figure>", 1)[0]
        assert figure.count("<svg ") == 2  # light and dark
        caption = re.search(r"<figcaption>(.*)</figcaption>", figure)
        assert caption is not None
        assert html.unescape(caption.group(1)) == chart.caption
        titles = {html.unescape(t) for t in re.findall(r"<title>([^<]*)</title>", figure)}
        assert {point.tooltip for _, point in chart.points()} <= titles
    assert "Grace moved from 10 to 5 in round 2." in section
    assert page.index("<h2>Charts</h2>") > page.index("<h2>Result</h2>")


def test_the_charts_keep_the_page_locked_down(db: Database):
    page = _page(db, bat_and_ball_debate())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert csp.group(1) == CONTENT_SECURITY_POLICY
    assert "<script" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?!#)", page)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # two charts never share a glyph or clip id


def test_model_text_that_reaches_a_chart_stays_text(db: Database):
    events: list[Event] = []
    for event in bat_and_ball_debate():
        if isinstance(event, TurnFinished) and event.answer is not None:
            event = dataclasses.replace(  # noqa: PLW2901
                event, answer=dataclasses.replace(event.answer, display=HOSTILE_ANSWER)
            )
        if isinstance(event, RoundFinished):
            event = dataclasses.replace(event, tally={HOSTILE_ANSWER: 1.0}, leader=HOSTILE_ANSWER)  # noqa: PLW2901
        events.append(event)
    section = _charts_section(_page(db, events))
    assert "<img" not in section  # no element, so no handler and no fetch
    assert "&lt;img src=" in section  # shown as what the model wrote


def test_the_eval_report_carries_its_charts_and_questions_lead_to_their_rows():
    report = make_report()
    page = eval_report_html(report)
    for key in EVAL_CHART_KEYS:
        assert page.count(f'<figure class="chart" id="chart-{key}">') == 1
    links = set(re.findall(r'<a href="#([^"]+)">', page))
    assert links == {f"q-{q.item_id}" for q in report.questions}
    assert all(f'id="{target}"' in page for target in links)  # every link lands on a row
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert csp.group(1) == CONTENT_SECURITY_POLICY
    assert "<script" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
