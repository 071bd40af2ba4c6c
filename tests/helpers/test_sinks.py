"""The recording sink answers what came out of a stream truthfully."""

from __future__ import annotations

import itertools

import pytest

from roundtable.domain import (
    DebateStarted,
    RoundStarted,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
)
from tests.helpers.debates import finished_debate, spec
from tests.helpers.events import EventBuilder, answer, usage
from tests.helpers.sinks import RecordingSink


def test_it_keeps_every_event_in_order_with_the_clocks_reading():
    ticks = itertools.count(10)
    sink = RecordingSink(clock=lambda: next(ticks))
    events = finished_debate()
    for event in events:
        sink(event)
    assert sink.events == events
    assert sink.times == list(range(10, 10 + len(events)))
    assert sink.time_of(events[3]) == 13


def test_of_filters_by_type_and_fields():
    sink = RecordingSink()
    for event in finished_debate():
        sink(event)
    assert [e.seat_id for e in sink.of(TurnFinished, round=1)] == ["ada", "bea"]
    assert [e.seat_id for e in sink.of(TurnFailed)] == ["cy"]
    assert sink.of(TurnFinished, round=7) == []
    assert sink.kinds()[:3] == ["DebateStarted", "RoundStarted", "TurnStarted"]
    assert "TurnDelta" not in sink.kinds()
    assert "TurnDelta" in sink.kinds(deltas=True)


def test_streamed_is_what_a_viewer_saw_since_the_last_retry():
    log = EventBuilder()
    log.add(TurnStarted, round=0, seat_id="ada")
    log.stream_text(0, "ada", "I think it is 4", chunk=5)
    log.add(
        TurnRetrying, round=0, seat_id="ada", attempt=1, delay_s=0.0, error_kind="x", message="m"
    )
    log.stream_text(0, "ada", "It is 42.", chunk=4)
    log.stream_text(1, "ada", "later round")
    log.stream_text(0, "bob", "someone else")
    sink = RecordingSink()
    for event in log.events:
        sink(event)
    assert sink.streamed("ada") == "It is 42."
    assert sink.streamed("ada", 1) == "later round"
    assert sink.streamed("cy") == ""


def test_as_a_view_it_counts_clears_and_forgets_what_it_showed():
    sink = RecordingSink()
    log = EventBuilder()
    sink.apply(log.add(DebateStarted, spec=spec()))
    sink.clear()
    sink.apply(started := log.add(RoundStarted, round=0, seat_ids=("ada",)))
    finished = log.add(
        TurnFinished, round=0, seat_id="ada", text="t", answer=answer("1"), usage=usage(1, 1)
    )
    sink.apply(finished)
    sink.apply(log.add(TurnDelta, round=0, seat_id="bob", text="x"))
    assert sink.clears == 1
    assert sink.events[0] is started
    assert sink.turn_ends() == [finished]


def test_time_of_an_event_it_never_saw_is_an_error():
    with pytest.raises(LookupError, match="never given"):
        RecordingSink().time_of(finished_debate()[0])
