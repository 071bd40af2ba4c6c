"""The event builder and the hand-built debates look like the engine's own streams."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from roundtable.domain import (
    DebateFinished,
    DebateStarted,
    TurnDelta,
    TurnFinished,
    event_from_json,
    event_to_json,
)
from roundtable.storage import load_events, open_database
from tests.helpers.debates import bat_and_ball_debate, finished_debate, spec
from tests.helpers.events import START, EventBuilder, answer, record, usage, without_deltas


def test_events_are_numbered_from_zero_and_spaced_by_the_step():
    log = EventBuilder("d", step_s=0.25)
    first = log.add(DebateStarted, spec=spec())
    deltas = log.stream_text(0, "ada", "abcdefghij", chunk=4)
    assert [e.seq for e in log.events] == [0, 1, 2, 3]
    assert [e.at - START for e in log.events] == [timedelta(seconds=0.25 * i) for i in range(4)]
    assert {e.debate_id for e in log.events} == {"d"}
    assert log.events == [first, *deltas]
    assert [d.text for d in deltas] == ["abcd", "efgh", "ij"]


def test_a_chunk_of_nothing_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        EventBuilder().stream_text(0, "ada", "text", chunk=0)


def test_answer_and_usage_carry_what_a_turn_reports():
    parsed = answer("42", 0.9)
    assert (parsed.value, parsed.display, parsed.confidence) == ("42", "42", 0.9)
    assert parsed.raw.endswith("Final answer: 42\nConfidence: 0.9")
    assert answer("5").confidence is None
    assert usage(10, 5, None).cost_usd is None  # unknown, not free
    assert usage(10, 5).total_tokens == 15


@pytest.mark.parametrize("debate", [finished_debate, bat_and_ball_debate])
def test_each_whole_debate_is_one_well_formed_stream(debate):
    events = debate("x")
    assert isinstance(events[0], DebateStarted)
    assert isinstance(events[-1], DebateFinished)
    assert [e.seq for e in events] == list(range(len(events)))
    assert all(a.at < b.at for a, b in itertools.pairwise(events))
    # It crosses the engine's wire unchanged, like any event the engine sends.
    assert [event_from_json(event_to_json(e)) for e in events] == events


@pytest.mark.parametrize("debate", [finished_debate, bat_and_ball_debate])
def test_every_finished_turn_was_streamed_first(debate):
    """After its last retry, a turn's deltas start its final text, as the engine's do."""
    events = debate("x")
    for turn in (e for e in events if isinstance(e, TurnFinished)):
        before = events[: events.index(turn)]
        text = ""
        for e in before:
            if getattr(e, "seat_id", None) == turn.seat_id and e.round == turn.round:  # type: ignore[attr-defined]
                text = "" if type(e).__name__ == "TurnRetrying" else text
                if isinstance(e, TurnDelta):
                    text += e.text
        assert text, (turn.round, turn.seat_id)
        assert turn.text.startswith(text), (turn.round, turn.seat_id)


def test_without_deltas_keeps_everything_else_in_order():
    events = finished_debate()
    kept = without_deltas(events)
    assert not any(isinstance(e, TurnDelta) for e in kept)
    deltas = sum(isinstance(e, TurnDelta) for e in events)
    assert deltas > 0
    assert len(kept) == len(events) - deltas
    assert [e.seq for e in kept] == sorted(e.seq for e in kept)


def test_record_stores_the_debate_through_the_real_recorder(tmp_path):
    db = open_database(tmp_path / "t.db")
    try:
        record(db, finished_debate("stored"))
        assert load_events(db, "stored") == without_deltas(finished_debate("stored"))
    finally:
        db.close()
