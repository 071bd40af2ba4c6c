"""The recorder: what a debate looks like in storage after (and during) its events."""

from __future__ import annotations

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import text

from roundtable.domain import (
    DebateCancelled,
    DebateInterrupted,
    DebateStarted,
    DebateStatus,
    RoundStarted,
    StorageError,
    TurnDelta,
    TurnFinished,
    TurnStarted,
    TurnStatus,
)
from roundtable.storage import Database, Recorder, load_debate, load_events
from tests.helpers.debates import QUESTION, finished_debate, spec
from tests.helpers.events import EventBuilder, answer, record, usage, without_deltas


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _turn(db: Database, debate_id: str, round_number: int, seat_id: str):
    record_ = load_debate(db, debate_id)
    return next(t for t in record_.turns if (t.round, t.seat_id) == (round_number, seat_id))


def test_round_trip_keeps_answers_usage_and_statuses(db: Database):
    events = finished_debate("d1a2b3c4e5f6")
    record(db, events)
    stored = load_debate(db, "d1a2b3c4e5f6")

    summary = stored.summary
    assert summary.status is DebateStatus.FINISHED
    assert summary.question == QUESTION
    assert summary.title == QUESTION  # no title given: the question's first line
    assert (summary.final_answer, summary.consensus, summary.rounds_done) == ("281", True, 2)
    assert summary.seat_count == 3
    assert summary.total_tokens == 985 + 160
    assert summary.cost_usd is None  # Cy's price is unknown, so the total is too
    assert stored.rule.startswith("confidence-weighted vote")
    assert stored.tally == {"281": 1.8}
    assert stored.spec == events[0].spec

    finished = {(e.round, e.seat_id): e for e in events if isinstance(e, TurnFinished)}
    assert [(t.round, t.seat_id) for t in stored.turns] == [
        (0, "ada"), (0, "bea"), (0, "cy"), (1, "ada"), (1, "bea"), (1, "cy"),
    ]  # fmt: skip
    for turn in stored.turns:
        if (turn.round, turn.seat_id) in finished:
            original = finished[(turn.round, turn.seat_id)]
            assert turn.status is TurnStatus.DONE
            assert (turn.text, turn.answer, turn.usage) == (
                original.text,
                original.answer,
                original.usage,
            )
            assert turn.incomplete == original.incomplete
    failed = _turn(db, "d1a2b3c4e5f6", 1, "cy")
    assert failed.status is TurnStatus.FAILED
    assert (failed.error_kind, failed.text) == ("rate_limit", "Let me reconsi")
    assert "retry later" in failed.error

    assert [(r.round, r.leader, r.tally) for r in stored.rounds] == [
        (0, "281", {"281": 1.3, "280": 0.1}),
        (1, "281", {"281": 1.8}),
    ]
    assert [s.name for s in stored.seats] == ["Ada", "Bea", "Cy"]
    assert [s.is_demo for s in stored.seats] == [True, False, False]


def test_event_log_is_exactly_the_non_delta_events_in_order(db: Database):
    events = finished_debate()
    record(db, events)
    assert load_events(db, events[0].debate_id) == without_deltas(events)


def test_streaming_text_is_checkpointed_at_most_once_per_interval(db: Database):
    clock = FakeClock()
    recorder = Recorder(db, checkpoint_s=1.0, clock=clock)
    s = EventBuilder("checkpoints")
    for event in (
        s.add(DebateStarted, spec=spec()),
        s.add(RoundStarted, round=0, seat_ids=("ada",)),
        s.add(TurnStarted, round=0, seat_id="ada"),
    ):
        recorder(event)
    updates = []
    sa_event.listen(
        db.engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: (
            updates.append(statement) if statement.startswith("UPDATE turns") else None
        ),
    )

    sent = ""
    stored_over_time = []
    for step in range(25):  # 2.5 s of deltas, one every 100 ms
        clock.now += 0.1
        piece = f"w{step} "
        sent += piece
        recorder(s.add(TurnDelta, round=0, seat_id="ada", text=piece))
        stored_over_time.append(_turn(db, "checkpoints", 0, "ada").text)

    # Written at t≈1.0 and t≈2.0 only; each time with everything streamed so far.
    assert len(updates) == 2
    changes = [
        text for i, text in enumerate(stored_over_time) if i == 0 or text != stored_over_time[i - 1]
    ]
    assert changes[0] == ""
    assert all(sent.startswith(text) for text in changes)
    assert len(changes) == 3
    assert _turn(db, "checkpoints", 0, "ada").status is TurnStatus.STREAMING

    recorder.close()  # flushes the last half second
    assert _turn(db, "checkpoints", 0, "ada").text == sent


def test_a_retry_voids_the_text_of_the_failed_attempt(db: Database):
    events = finished_debate("retry-case")
    bea_retry = next(i for i, e in enumerate(events) if type(e).__name__ == "TurnRetrying")
    recorder = Recorder(db, checkpoint_s=0.0)  # checkpoint every delta
    for event in events[: bea_retry + 1]:
        recorder(event)
    assert _turn(db, "retry-case", 0, "bea").text == ""
    for event in events[bea_retry + 1 :]:
        recorder(event)
    recorder.close()
    assert _turn(db, "retry-case", 0, "bea").text.startswith("Following precedence: 17*23")


@pytest.mark.parametrize(
    ("ending", "debate_status", "turn_status"),
    [
        (DebateCancelled, DebateStatus.CANCELLED, TurnStatus.CANCELLED),
        (DebateInterrupted, DebateStatus.INTERRUPTED, TurnStatus.INTERRUPTED),
    ],
)
def test_a_stopped_debate_keeps_partial_text(db: Database, ending, debate_status, turn_status):
    clock = FakeClock()
    recorder = Recorder(db, checkpoint_s=1.0, clock=clock)
    s = EventBuilder("stopped")
    recorder(s.add(DebateStarted, spec=spec()))
    recorder(s.add(RoundStarted, round=0, seat_ids=("ada", "bea")))
    recorder(s.add(TurnStarted, round=0, seat_id="ada"))
    recorder(s.add(TurnStarted, round=0, seat_id="bea"))
    recorder(
        s.add(
            TurnFinished,
            round=0,
            seat_id="bea",
            text="Final answer: 281",
            answer=answer("281", 0.9),
            usage=usage(100, 20, 0.002),
        )
    )
    recorder(s.add(TurnDelta, round=0, seat_id="ada", text="Multiplication comes "))
    recorder(s.add(TurnDelta, round=0, seat_id="ada", text="before addition, so"))
    recorder(s.add(ending, reason="stopped by the user"))
    recorder.close()

    stored = load_debate(db, "stopped")
    assert stored.summary.status is debate_status
    assert stored.summary.status_detail == "stopped by the user"
    assert stored.summary.finished_at is not None
    ada = _turn(db, "stopped", 0, "ada")
    # Not yet checkpointed when the stop came, yet nothing streamed is lost.
    assert (ada.status, ada.text) == (turn_status, "Multiplication comes before addition, so")
    assert _turn(db, "stopped", 0, "bea").status is TurnStatus.DONE
    assert (stored.summary.total_tokens, stored.summary.cost_usd) == (120, 0.002)


@pytest.mark.sqlite_only  # SQLite's page cap stands in for the full disk
def test_a_full_disk_is_a_clear_storage_error_and_loses_nothing_committed(db: Database):
    events = finished_debate("disk-full")
    cut = next(i for i, e in enumerate(events) if isinstance(e, TurnFinished))
    recorder = Recorder(db)
    for event in events[:cut]:
        recorder(event)
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def cap_size(conn):
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")

    sa_event.listen(db.engine, "begin", cap_size)
    huge = events[cut].__class__(**{**_fields(events[cut]), "text": "x" * 200_000})
    with pytest.raises(StorageError) as caught:
        recorder(huge)
    sa_event.remove(db.engine, "begin", cap_size)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA max_page_count = 1073741823")

    assert "disk is full" in str(caught.value)
    assert db.location in str(caught.value)
    # The failed transaction left no trace: the turn is still streaming, not logged.
    assert _turn(db, "disk-full", 0, "ada").status is TurnStatus.STREAMING
    assert load_events(db, "disk-full") == without_deltas(events[:cut])


def test_an_event_for_an_unknown_debate_is_refused(db: Database):
    with pytest.raises(StorageError, match="never recorded"):
        Recorder(db)(EventBuilder("ghost").add(RoundStarted, round=0, seat_ids=("ada",)))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 0


def test_a_closed_recorder_takes_no_more_events(db: Database):
    recorder = Recorder(db)
    recorder.close()
    with pytest.raises(RuntimeError):
        recorder(EventBuilder("late").add(DebateStarted, spec=spec()))


def _fields(event) -> dict:
    return {name: getattr(event, name) for name in event.__dataclass_fields__}
