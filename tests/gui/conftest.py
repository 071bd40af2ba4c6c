"""Synthetic debates for the debate view's tests (and for `snap_debate_view.py`).

Events are built by hand, the way the engine would emit them, so the tests pin the
view's behaviour without running an engine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

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

QUESTION = (
    "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. "
    "How much does the ball cost, in cents?"
)

SEATS = (
    Seat(id="ada", name="Ada", model="demo/ada"),
    Seat(id="grace", name="Grace", model="openai/gpt-4o-mini"),
    Seat(id="linus", name="Linus", model="anthropic/claude-sonnet-4-5"),
)

ADA_R0 = """Let the ball cost **x** cents. Then the bat costs x + 100, so

```python
x + (x + 100) == 110  # so 2x = 10
```

| item | cost |
|------|------|
| ball | 5¢ |
| bat | 105¢ |

Final answer: 5
Confidence: 0.9"""

GRACE_R0 = """The obvious split is $1.00 and 10 cents.

- bat: $1.00
- ball: $0.10

Final answer: 10
Confidence: 0.7"""

LINUS_R0 = """If the ball were 10¢ the bat would be $1.10 and the total $1.20, so that is wrong.
Solving 2x + 100 = 110 gives *x = 5*.

Final answer: 5
Confidence: 0.95"""

ADA_R1 = """Grace's 10 cents fails the check: the difference would be only 90 cents.
I keep my answer.

Final answer: 5
Confidence: 0.95"""

GRACE_R1 = """Ada and Linus are right: with the ball at 10 cents the bat is only 90 cents dearer.
The ball costs **5 cents**.

Final answer: 5
Confidence: 0.85"""

LINUS_R1_PARTIAL = "Both other seats now agree on 5 cents; my check of the"


def answer(display: str, confidence: float | None) -> Answer:
    return Answer(
        raw=f"Final answer: {display}",
        value=display,
        display=display,
        kind=AnswerKind.NUMBER,
        confidence=confidence,
    )


class EventFactory:
    """Numbers events and spaces their timestamps as an engine would."""

    def __init__(self, debate_id: str = "debate-1", *, step_s: float = 0.25) -> None:
        self.debate_id = debate_id
        self.seq = 0
        self.at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
        self.step = timedelta(seconds=step_s)
        self.events: list[Event] = []

    def add(self, cls: type[Event], **fields: object) -> Event:
        event = cls(debate_id=self.debate_id, seq=self.seq, at=self.at, **fields)  # type: ignore[arg-type]
        self.seq += 1
        self.at += self.step
        self.events.append(event)
        return event

    def stream(self, round_index: int, seat_id: str, text: str, chunk: int = 24) -> None:
        for start in range(0, len(text), chunk):
            self.add(
                TurnDelta, round=round_index, seat_id=seat_id, text=text[start : start + chunk]
            )


def usage(tokens: int, cost: float | None = 0.0012, latency: float = 2.5) -> Usage:
    return Usage(
        prompt_tokens=tokens // 2,
        completion_tokens=tokens - tokens // 2,
        cost_usd=cost,
        latency_s=latency,
    )


def demo_debate_events(debate_id: str = "debate-1") -> list[Event]:
    """Three seats, two rounds, one retry (Grace, round 1), one failure (Linus, round 2),
    consensus on 5 in round 2."""
    f = EventFactory(debate_id)
    spec = DebateSpec(question=QUESTION, seats=SEATS, max_rounds=3, seed=7)
    f.add(DebateStarted, spec=spec)
    # Round 0: independent answers; Grace is rate limited once.
    f.add(RoundStarted, round=0, seat_ids=("ada", "grace", "linus"))
    for seat in ("ada", "grace", "linus"):
        f.add(TurnStarted, round=0, seat_id=seat)
    f.stream(0, "grace", "The obvious split is $1.00 and")
    f.add(
        TurnRetrying,
        round=0,
        seat_id="grace",
        attempt=1,
        delay_s=4.0,
        error_kind="rate_limit",
        message="Grace (openai/gpt-4o-mini) is rate limited by OpenAI; retrying in 4 s.",
    )
    f.stream(0, "ada", ADA_R0)
    f.stream(0, "linus", LINUS_R0)
    f.add(
        TurnFinished, round=0, seat_id="ada", text=ADA_R0, answer=answer("5", 0.9), usage=usage(420)
    )
    f.stream(0, "grace", GRACE_R0)
    f.add(
        TurnFinished,
        round=0,
        seat_id="linus",
        text=LINUS_R0,
        answer=answer("5", 0.95),
        usage=usage(380, cost=None),
    )
    f.add(
        TurnFinished,
        round=0,
        seat_id="grace",
        text=GRACE_R0,
        answer=answer("10", 0.7),
        usage=usage(300, latency=6.8),
    )
    f.add(RoundFinished, round=0, tally={"5": 1.3, "10": 0.3}, agreement=2 / 3, leader="5")
    # Round 1: discussion; Linus times out after a few words.
    f.add(RoundStarted, round=1, seat_ids=("ada", "grace", "linus"))
    for seat in ("ada", "grace", "linus"):
        f.add(TurnStarted, round=1, seat_id=seat)
    f.stream(1, "ada", ADA_R1)
    f.stream(1, "linus", LINUS_R1_PARTIAL)
    f.stream(1, "grace", GRACE_R1)
    f.add(
        TurnFinished,
        round=1,
        seat_id="ada",
        text=ADA_R1,
        answer=answer("5", 0.95),
        usage=usage(510),
    )
    f.add(
        TurnFailed,
        round=1,
        seat_id="linus",
        error_kind="timeout",
        message=(
            "Linus (anthropic/claude-sonnet-4-5) stopped streaming for 30 s; "
            "check the provider status."
        ),
        partial_text=LINUS_R1_PARTIAL,
    )
    f.add(
        TurnFinished,
        round=1,
        seat_id="grace",
        text=GRACE_R1,
        answer=answer("5", 0.85),
        usage=usage(460),
    )
    f.add(RoundFinished, round=1, tally={"5": 1.3}, agreement=1.0, leader="5")
    f.add(ConsensusReached, round=1, answer="5", value="5")
    f.add(
        DebateFinished,
        final_answer="5",
        consensus=True,
        rule="Consensus: all 2 seats answered 5 in round 2.",
        tally={"5": 1.3},
        usage=usage(2070, cost=None),
        rounds=2,
    )
    return f.events


@pytest.fixture
def demo_events() -> list[Event]:
    return demo_debate_events()
