"""The charts of an evaluation run carry exactly the report's numbers, and its words."""

from __future__ import annotations

import dataclasses
import re

import pytest

from roundtable.charts.eval_charts import EVAL_CHART_KEYS, eval_charts
from roundtable.charts.palette import LIGHT
from roundtable.charts.svg import chart_svg
from roundtable.charts.values import Chart, ChartKind, SeriesRole
from roundtable.engine.evaluation.report import EvalReport
from roundtable.engine.evaluation.stats import wilson_interval
from tests.charts.reports import make_report, question_row


def _charts(report: EvalReport) -> dict[str, Chart]:
    return {chart.key: chart for chart in eval_charts(report)}


def test_the_charts_come_in_their_order():
    assert tuple(chart.key for chart in eval_charts(make_report())) == EVAL_CHART_KEYS


def test_accuracy_by_round_has_the_table_each_seat_and_level_baselines_with_intervals():
    chart = _charts(make_report())["accuracy"]
    assert chart.kind is ChartKind.LINE
    series = {s.name: s for s in chart.series}
    assert list(series) == [
        "Table",
        "Ada",
        "Bob",
        "Majority of round 1",
        "Self-consistency of Ada (k = 5)",
    ]
    table = series["Table"]
    assert table.role is SeriesRole.TABLE
    assert [(p.x, p.y) for p in table.points] == [(0, 0.5), (1, 1.0)]
    first = wilson_interval(2, 4)
    assert (table.points[0].low, table.points[0].high) == (first.low, first.high)
    assert table.points[0].tooltip == f"Table, round 1: {first.describe()}"
    assert [p.y for p in series["Bob"].points] == [0.25, 0.75]
    assert (series["Bob"].role, series["Bob"].index) == (SeriesRole.SEAT, 1)
    # A baseline is one figure: the same at every round.
    assert [p.y for p in series["Majority of round 1"].points] == [0.5, 0.5]
    assert series["Majority of round 1"].role is SeriesRole.BASELINE


def test_agreement_by_round_is_the_reports():
    chart = _charts(make_report())["agreement"]
    assert [(p.x, p.y) for _, p in chart.points()] == [(0, 0.75), (1, 1.0)]
    assert "75% in round 1, 100% in round 2" in chart.caption


def test_cost_and_accuracy_put_each_method_at_its_cost_a_question():
    chart = _charts(make_report())["cost"]
    assert chart.kind is ChartKind.SCATTER
    assert chart.x.dollars
    placed = {s.name: (s.points[0].x, s.points[0].y) for s in chart.series}
    assert placed == {
        "Table": (pytest.approx(0.021 / 4), 1.0),
        "Ada alone": (pytest.approx(0.001), 1.0),
        "Bob alone": (pytest.approx(0.001), 0.25),
        "Majority of round 1": (pytest.approx(0.003), 0.5),
        "Self-consistency of Ada (k = 5)": (pytest.approx(0.005), 1.0),
    }
    bob = next(s for s in chart.series if s.name == "Bob alone").points[0]
    assert bob.tooltip.startswith("Bob alone: 25 % (")
    assert "$0.0010 and 120 tokens a question; $0.0040 per correct answer" in bob.tooltip


@pytest.mark.parametrize(
    ("costs", "why"),
    [
        ((0.021, None, 0.004, 0.012, 0.02), "a price is unknown"),
        ((0.0, 0.0, 0.0, 0.0, 0.0), "these seats cost nothing"),
    ],
)
def test_without_dollars_to_compare_the_cost_chart_counts_tokens_and_says_why(costs, why):
    chart = _charts(make_report(costs=costs))["cost"]
    assert not chart.x.dollars
    assert chart.x.label == "Tokens per question"
    assert why in chart.caption
    placed = {s.name: s.points[0].x for s in chart.series}
    assert placed["Table"] == 2520 / 4
    assert placed["Ada alone"] == 120


def test_calibration_shows_each_stated_confidence_bin_of_each_seat_that_stated_one():
    chart = _charts(make_report())["calibration"]
    assert chart.kind is ChartKind.CALIBRATION
    assert [s.name for s in chart.series] == ["Ada"]  # Bob never stated a confidence
    points = [(p.x, p.y, p.weight) for _, p in chart.points()]
    assert points == [(pytest.approx(0.6), 0.5, 2), (pytest.approx(0.9), 1.0, 2)]
    assert (
        "said 60% on average, right 50% of the time (2 answers" in chart.series[0].points[0].tooltip
    )
    # ECE: both bins are 0.1 off; Brier: (0.01 + 0.01 + 0.16 + 0.36) / 4 = 0.135.
    assert "Ada ECE 0.10, Brier 0.14" in chart.caption


def test_each_question_links_to_its_debate_and_outlines_what_debate_changed():
    chart = _charts(make_report())["questions"]
    table = next(s for s in chart.series if s.name == "Table")
    majority = next(s for s in chart.series if s.name == "Majority")
    assert [p.link for p in table.points] == [f"debate-{n}" for n in (1, 2, 3, 4)]
    assert [p.category for p in majority.points] == ["right", "right", "wrong", "wrong"]
    assert [p.marked for p in table.points] == [False, False, True, True]
    assert "debate changed the outcome" in table.points[2].tooltip
    assert "wrong majority right 2 times and a right majority wrong 0 times" in chart.caption


def test_a_long_run_names_every_fifth_question_only():
    report = make_report()
    many = tuple(question_row(n, correct=n % 3 > 0, majority_correct=n % 2 > 0) for n in range(50))
    chart = _charts(dataclasses.replace(report, questions=many))["questions"]
    assert [name for _, name in chart.x.ticks] == [str(n) for n in (*range(1, 50, 5), 50)]


def test_in_a_page_a_question_links_to_its_row_and_nowhere_else():
    report = make_report()
    rows = {q.debate_id: f"#q-{q.item_id}" for q in report.questions}
    svg = chart_svg(_charts(report)["questions"], LIGHT, link_href=rows.get)
    assert re.findall(r'<a href="([^"]+)">', svg) == ["#q-Q1", "#q-Q2", "#q-Q3", "#q-Q4"] * 2
