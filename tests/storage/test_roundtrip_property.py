"""Property: a debate's events go into the database and come back out identical.

Hypothesis builds realistic debates, shaped as the engine emits them (a start, rounds
of concurrent turns with interleaved deltas, retries, failures, a person passing, a
council ranking, an ending or none), with any Unicode a model might write. Each is
recorded through the real Recorder, then read back: the event log must equal what
was emitted (minus the deltas, which are never logged), and every turn must hold the
text a person would expect to see.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roundtable.domain import (
    ConsensusReached,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
    TurnStatus,
)
from roundtable.storage import Database, Recorder, load_debate, load_events, open_database
from tests.domain import strategies as domain
from tests.helpers.events import EventBuilder, without_deltas

#: How a turn goes: what a person sees at the end of it.
OUTCOMES = ("finished", "retried", "failed", "passed", "open")
ENDINGS = (DebateFinished, DebateCancelled, DebateInterrupted, DebateFailed, None)
_ids = itertools.count()


@st.composite
def debates(draw: st.DrawFn) -> tuple[list[Event], dict[tuple[int, str], str]]:
    """A debate's events, and the text each turn should show once it is recorded."""
    seats = draw(st.lists(domain.seats, min_size=2, max_size=4, unique_by=lambda s: s.id))
    spec = dataclasses.replace(draw(domain.specs), seats=tuple(seats))
    build = EventBuilder(
        f"{draw(domain.ident)}-{next(_ids)}",
        start=draw(domain.moments),
        step_s=draw(st.integers(1, 5_000_000)) / 1_000_000,
    )
    build.add(
        DebateStarted,
        spec=spec,
        parent_id=draw(st.none() | domain.ident),
        forked_from_round=draw(st.none() | domain.rounds),
        relation=draw(st.sampled_from(("fork", "followup"))),
    )
    expected: dict[tuple[int, str], str] = {}
    ending = draw(st.sampled_from(ENDINGS))
    rounds = draw(st.integers(1, 3))
    for number in range(rounds):
        last = number == rounds - 1
        ids = [seat.id for seat in seats]
        build.add(RoundStarted, round=number, seat_ids=tuple(ids))
        for seat_id in ids:
            build.add(TurnStarted, round=number, seat_id=seat_id)
        # Only a round the debate stops in may leave turns unfinished.
        choices = OUTCOMES if last and ending is not DebateFinished else OUTCOMES[:-1]
        outcomes = {seat_id: draw(st.sampled_from(choices)) for seat_id in ids}
        streamed = {seat_id: draw(st.lists(domain.text, max_size=4)) for seat_id in ids}
        for seat_id in ids:
            if outcomes[seat_id] == "retried":
                for piece in draw(st.lists(domain.text, max_size=2)):
                    build.add(TurnDelta, round=number, seat_id=seat_id, text=piece)
                build.add(
                    TurnRetrying,
                    round=number,
                    seat_id=seat_id,
                    attempt=1,
                    delay_s=draw(st.floats(0, 60)),
                    error_kind=draw(domain.text),
                    message=draw(domain.text),
                )
        # The fan-out interleaves the seats' deltas; each seat's stay in order.
        queues = {seat_id: list(streamed[seat_id]) for seat_id in ids}
        turns = [seat_id for seat_id in ids for _ in streamed[seat_id]]
        for seat_id in draw(st.permutations(turns)):
            build.add(TurnDelta, round=number, seat_id=seat_id, text=queues[seat_id].pop(0))
        for seat_id in draw(st.permutations(ids)):
            expected[(number, seat_id)] = "".join(streamed[seat_id])
            _end_turn(
                draw,
                build,
                number=number,
                seat_id=seat_id,
                outcome=outcomes[seat_id],
                expected=expected,
            )
        if not last or ending is DebateFinished:
            build.add(
                RoundFinished,
                round=number,
                tally=draw(domain.tallies),
                agreement=draw(domain.unit),
                leader=draw(st.none() | domain.text),
                rankings=draw(st.dictionaries(st.sampled_from(ids), st.floats(1, 4))),
                disputed=tuple(draw(st.lists(domain.text, max_size=2))),
                judged_by=draw(st.none() | st.sampled_from(ids)),
                verdict=draw(domain.text),
            )
            if draw(st.booleans()):
                answer = draw(domain.text)
                build.add(ConsensusReached, round=number, answer=answer, value=answer)
    if ending is not None:
        build.add(ending, **_ending_fields(draw, ending, rounds))
    return build.events, expected


def _end_turn(
    draw: st.DrawFn,
    build: EventBuilder,
    *,
    number: int,
    seat_id: str,
    outcome: str,
    expected: dict[tuple[int, str], str],
) -> None:
    text = expected[(number, seat_id)]
    if outcome == "failed":
        build.add(
            TurnFailed,
            round=number,
            seat_id=seat_id,
            error_kind=draw(domain.text),
            message=draw(domain.text),
            partial_text=text,
        )
    elif outcome == "open":
        pass  # still streaming when the debate stopped: its deltas so far are its text
    else:
        build.add(
            TurnFinished,
            round=number,
            seat_id=seat_id,
            text=text,
            answer=None if outcome == "passed" else draw(st.none() | domain.answers),
            usage=draw(domain.usages),
            incomplete=draw(st.booleans()),
            capitulated=draw(st.booleans()),
            ranking=tuple(draw(st.lists(domain.ident, max_size=3))),
            passed=outcome == "passed",
        )


def _ending_fields(draw: st.DrawFn, ending: type, rounds: int) -> dict[str, object]:
    if ending is DebateFinished:
        return {
            "final_answer": draw(st.none() | domain.text),
            "consensus": draw(st.booleans()),
            "rule": draw(domain.text),
            "tally": draw(domain.tallies),
            "usage": draw(domain.usages),
            "rounds": rounds,
        }
    if ending is DebateFailed:
        return {"error_kind": draw(domain.text), "message": draw(domain.text)}
    return {"reason": draw(domain.text)}


@pytest.fixture(scope="module")
def store() -> Iterator[Database]:
    # In memory: the property is about what is stored, not about fsync.
    database = open_database("sqlite://")
    yield database
    database.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(debate=debates())
def test_events_into_the_database_and_back_are_identical(store: Database, debate):
    events, expected = debate
    recorder = Recorder(store)
    for event in events:
        recorder(event)
    recorder.close()
    debate_id = events[0].debate_id

    assert load_events(store, debate_id) == without_deltas(events)
    stored = load_debate(store, debate_id)
    assert {(t.round, t.seat_id): t.text for t in stored.turns} == expected
    finished = {(e.round, e.seat_id): e for e in events if isinstance(e, TurnFinished)}
    for turn in stored.turns:
        if (turn.round, turn.seat_id) in finished:
            event = finished[(turn.round, turn.seat_id)]
            assert turn.status is TurnStatus.DONE
            assert turn.answer == event.answer
            assert turn.incomplete == event.incomplete
    assert stored.spec == events[0].spec
