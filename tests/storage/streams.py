"""Hand-built event streams that look like the engine's, for storage and export tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from roundtable.domain import (
    Answer,
    AnswerKind,
    ConsensusReached,
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
    Usage,
)
from roundtable.storage import Database, Recorder

QUESTION = "What is 12+17*23+4-9*14? Explain the order of operations you are running."
START = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)

SEATS = (
    Seat(id="ada", name="Ada", model="demo/ada", persona="A careful arithmetician."),
    Seat(id="bea", name="Bea", model="openai/gpt-4o", temperature=0.3),
    # A model missing from the price map: its cost is unknown, not zero.
    Seat(id="cy", name="Cy", model="openai/mystery-7b", api_base="http://127.0.0.1:8080/v1"),
)


@dataclass
class Stream:
    """Appends events with consecutive `seq` and `at` one second apart."""

    debate_id: str
    start: datetime = START
    events: list[Event] = field(default_factory=list)

    def add(self, cls: type[Any], **fields: Any) -> Event:
        seq = len(self.events)
        event: Event = cls(
            debate_id=self.debate_id, seq=seq, at=self.start + timedelta(seconds=seq), **fields
        )
        self.events.append(event)
        return event

    def stream_text(self, round_number: int, seat_id: str, text: str, pieces: int = 3) -> None:
        size = max(1, len(text) // pieces)
        for i in range(0, len(text), size):
            self.add(TurnDelta, round=round_number, seat_id=seat_id, text=text[i : i + size])


def spec(
    question: str = QUESTION, *, seats: tuple[Seat, ...] = SEATS, title: str = ""
) -> DebateSpec:
    return DebateSpec(question=question, seats=seats, max_rounds=3, seed=7, title=title)


def answer(value: str, confidence: float) -> Answer:
    return Answer(
        raw=f"Final answer: {value} (confidence {confidence})",
        value=value,
        display=value,
        kind=AnswerKind.NUMBER,
        confidence=confidence,
    )


def usage(prompt: int, completion: int, cost: float | None, latency: float = 1.5) -> Usage:
    return Usage(prompt, completion, cost, latency, first_token_s=0.4)


ROUND0_TEXT = {
    "ada": "12 + 391 + 4 - 126.\n\n## Working\n\nMultiply first.\n\n"
    "Final answer: 281 (confidence 0.8)",
    "bea": "Following precedence: 17*23 = 391 and 9*14 = 126.\n\n"
    "Final answer: 281 (confidence 0.9)",
    "cy": "I think the photosynthesis of numbers gives 280.\n\nFinal answer: 280 (confidence 0.5)",
}
ROUND1_TEXT = {
    "ada": "Bea agrees with me; Cy dropped a one.\n\nFinal answer: 281 (confidence 0.9)",
    "bea": "Still 281 after checking Cy's argument.\n\nFinal answer: 281 (confidence 1.0)",
}


def finished_debate(debate_id: str = "d1a2b3c4e5f6", *, title: str = "") -> list[Event]:
    """A whole debate: retries, a cut stream, a failure, consensus in round 1."""
    s = Stream(debate_id)
    s.add(DebateStarted, spec=spec(title=title))
    # Round 0: every seat streams at once, interleaved as the engine's fan-out would.
    s.add(RoundStarted, round=0, seat_ids=("ada", "bea", "cy"))
    for seat in ("ada", "bea", "cy"):
        s.add(TurnStarted, round=0, seat_id=seat)
    s.stream_text(0, "bea", "Following precedence: 17*2")  # an attempt that will fail
    s.add(
        TurnRetrying,
        round=0,
        seat_id="bea",
        attempt=1,
        delay_s=0.5,
        error_kind="rate_limit",
        message="Bea: rate limited",
    )
    for seat in ("ada", "bea", "cy"):
        s.stream_text(0, seat, ROUND0_TEXT[seat])
    s.add(
        TurnFinished,
        round=0,
        seat_id="ada",
        text=ROUND0_TEXT["ada"],
        answer=answer("281", 0.8),
        usage=usage(120, 40, 0.0),
    )
    s.add(
        TurnFinished,
        round=0,
        seat_id="bea",
        text=ROUND0_TEXT["bea"],
        answer=answer("281", 0.9),
        usage=usage(130, 35, 0.0021),
    )
    s.add(
        TurnFinished,
        round=0,
        seat_id="cy",
        text=ROUND0_TEXT["cy"],
        answer=answer("280", 0.5),
        usage=usage(125, 30, None),
        incomplete=True,
    )
    s.add(RoundFinished, round=0, tally={"281": 1.3, "280": 0.1}, agreement=2 / 3, leader="281")
    # Round 1: Cy fails for good; the other two agree.
    s.add(RoundStarted, round=1, seat_ids=("ada", "bea", "cy"))
    for seat in ("ada", "bea", "cy"):
        s.add(TurnStarted, round=1, seat_id=seat)
    for seat in ("ada", "bea"):
        s.stream_text(1, seat, ROUND1_TEXT[seat])
    s.stream_text(1, "cy", "Let me reconsi")
    s.add(
        TurnFailed,
        round=1,
        seat_id="cy",
        error_kind="rate_limit",
        message="Cy: rate limited by 127.0.0.1:8080; retry later",
        partial_text="Let me reconsi",
    )
    s.add(
        TurnFinished,
        round=1,
        seat_id="ada",
        text=ROUND1_TEXT["ada"],
        answer=answer("281", 0.9),
        usage=usage(300, 30, 0.0),
    )
    s.add(
        TurnFinished,
        round=1,
        seat_id="bea",
        text=ROUND1_TEXT["bea"],
        answer=answer("281", 1.0),
        usage=usage(310, 25, 0.0034),
    )
    s.add(RoundFinished, round=1, tally={"281": 1.8}, agreement=1.0, leader="281")
    s.add(ConsensusReached, round=1, answer="281", value="281")
    s.add(
        DebateFinished,
        final_answer="281",
        consensus=True,
        rule="confidence-weighted vote (ReConcile): 281 has 1.8 of 1.8",
        tally={"281": 1.8},
        usage=usage(985, 160, None, latency=7.5),
        rounds=2,
    )
    return s.events


def without_deltas(events: Iterable[Event]) -> list[Event]:
    return [event for event in events if not isinstance(event, TurnDelta)]


def record(db: Database, events: Iterable[Event]) -> None:
    recorder = Recorder(db)
    for event in events:
        recorder(event)
    recorder.close()
