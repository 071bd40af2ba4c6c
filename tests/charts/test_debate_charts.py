"""The debate charts' numbers and words, from a stored debate and from its events."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from roundtable.charts.debate_charts import (
    DEBATE_CHART_KEYS,
    debate_charts,
    facts_from_events,
    facts_from_record,
)
from roundtable.charts.values import Chart, ChartKind
from roundtable.domain import RoundFinished, RoundStarted
from roundtable.storage import Database, load_debate, load_events, open_database
from tests.helpers.debates import bat_and_ball_debate, finished_debate
from tests.helpers.events import record


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "charts.db")
    yield database
    database.close()


def _charts(events) -> dict[str, Chart]:
    return {chart.key: chart for chart in debate_charts(facts_from_events(events))}


def _values(chart: Chart) -> list[tuple[str, float, float]]:
    return [(series.name, point.x, point.y) for series, point in chart.points()]


def test_agreement_is_the_share_of_seats_on_the_leading_answer_each_round():
    chart = _charts(finished_debate())["agreement"]
    assert chart.kind is ChartKind.LINE
    assert _values(chart) == [("Agreement", 0, 2 / 3), ("Agreement", 1, 1.0)]
    assert [p.tooltip for _, p in chart.points()] == [
        "Round 1: 67% agree on 281",
        "Round 2: 100% agree on 281",
    ]
    assert chart.x.ticks == ((0, "Round 1"), (1, "Round 2"))
    assert [(g.y, g.label) for g in chart.guides] == [(1.0, "consensus: all agree")]
    assert "67% in round 1, 100% in round 2" in chart.caption


def test_each_seats_answer_shows_who_moved_and_when():
    chart = _charts(bat_and_ball_debate())["answers"]
    cells = {(p.x, p.y): p for _, p in chart.points()}
    assert chart.y.ticks == ((0, "Ada"), (1, "Grace"), (2, "Linus"))
    assert cells[0, 1].label == "10\n70%"
    grace = cells[1, 1]
    assert (grace.label, grace.marked, grace.category) == ("5\n85%", True, "5")
    assert grace.tooltip == "Grace, round 2: 5 (confidence 85%), changed from 10"
    assert cells[1, 2].label == "failed"  # Linus timed out in round 2
    assert cells[1, 2].category == ""
    assert [p for p in cells.values() if p.marked] == [grace]
    assert "Grace moved from 10 to 5 in round 2." in chart.caption
    assert grace.link == "turn:1:grace"


def test_a_debate_where_nobody_moved_says_so():
    chart = _charts(finished_debate())["answers"]
    assert "No seat changed its answer." in chart.caption
    assert not any(p.marked for _, p in chart.points())


def test_the_vote_shares_of_the_final_round_and_of_a_round_in_progress():
    final = _charts(bat_and_ball_debate())["votes"]
    assert final.title == "Votes of the final round"
    assert _values(final) == [("Votes", 0, 1.0)]
    (point,) = [p for _, p in final.points()]
    assert (point.tooltip, point.marked) == ("5: 1.3 of 1.3 votes (100%)", True)

    events = bat_and_ball_debate()
    after_round_1 = next(i for i, e in enumerate(events) if isinstance(e, RoundFinished)) + 1
    partial = _charts(events[:after_round_1])["votes"]
    assert partial.title == "Votes after round 1"
    assert _values(partial) == [("Votes", 0, 1.3 / 1.6), ("Votes", 1, 0.3 / 1.6)]
    assert [p.tooltip for _, p in partial.points()] == [
        "5: 1.3 of 1.6 votes (81%)",
        "10: 0.3 of 1.6 votes (19%)",
    ]
    assert partial.x.ticks == ((0, "5"), (1, "10"))


def test_an_answer_has_one_colour_order_in_every_chart_of_a_debate():
    charts = _charts(bat_and_ball_debate())
    assert charts["answers"].categories == charts["votes"].categories == ("5", "10")


def test_a_replay_position_shows_the_charts_as_they_stood_then():
    events = bat_and_ball_debate()
    second_round = next(
        i for i, e in enumerate(events) if isinstance(e, RoundStarted) and e.round == 1
    )
    charts = _charts(events[:second_round])
    assert _values(charts["agreement"]) == [("Agreement", 0, 2 / 3)]
    assert {p.x for _, p in charts["answers"].points()} == {0}
    empty = _charts(events[:1])
    assert all(chart.is_empty for chart in empty.values())
    assert empty["agreement"].empty_text.startswith("Agreement shows once")


@pytest.mark.parametrize("events", [finished_debate(), bat_and_ball_debate()])
def test_a_stored_debate_and_its_events_give_the_same_charts(db: Database, events):
    record(db, events)
    debate_id = events[0].debate_id
    from_record = debate_charts(facts_from_record(load_debate(db, debate_id)))
    from_log = debate_charts(facts_from_events(load_events(db, debate_id)))
    assert from_record == from_log == debate_charts(facts_from_events(events))
    assert tuple(chart.key for chart in from_record) == DEBATE_CHART_KEYS
