"""Two whole debates, built by hand with `EventBuilder`, for tests that need a story.

- `finished_debate`: arithmetic at three seats (one a model without a price), with a
  retry, a stream cut short, a seat that fails for good and consensus in round 2; what
  storage, import and export are tested on;
- `bat_and_ball_debate`: a Markdown-rich debate (code, a table, lists) with a retry, a
  timeout and consensus in round 2, timed 0.25 s apart; what the views are tested on.
"""

from __future__ import annotations

from datetime import UTC, datetime

from roundtable.domain import (
    ConsensusReached,
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
    Usage,
)
from tests.helpers.events import EventBuilder, answer, usage

__all__ = [
    "ADA_R0",
    "ADA_R1",
    "BAT_AND_BALL_QUESTION",
    "BAT_AND_BALL_SEATS",
    "GRACE_R0",
    "GRACE_R1",
    "LINUS_R0",
    "LINUS_R1_PARTIAL",
    "QUESTION",
    "ROUND0_TEXT",
    "ROUND1_TEXT",
    "SEATS",
    "bat_and_ball_debate",
    "finished_debate",
    "spec",
]

# ---------------------------------------------------------------- for storage and export
QUESTION = "What is 12+17*23+4-9*14? Explain the order of operations you are running."

SEATS = (
    Seat(id="ada", name="Ada", model="demo/ada", persona="A careful arithmetician."),
    Seat(id="bea", name="Bea", model="openai/gpt-4o", temperature=0.3),
    # A model missing from the price map: its cost is unknown, not zero.
    Seat(id="cy", name="Cy", model="openai/mystery-7b", api_base="http://127.0.0.1:8080/v1"),
)


def spec(
    question: str = QUESTION, *, seats: tuple[Seat, ...] = SEATS, title: str = ""
) -> DebateSpec:
    return DebateSpec(question=question, seats=seats, max_rounds=3, seed=7, title=title)


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
    s = EventBuilder(debate_id)
    s.add(DebateStarted, spec=spec(title=title))
    # Round 0: every seat streams at once, interleaved as the engine's fan-out would.
    s.add(RoundStarted, round=0, seat_ids=("ada", "bea", "cy"))
    for seat in ("ada", "bea", "cy"):
        s.add(TurnStarted, round=0, seat_id=seat)
    s.stream_text(0, "bea", "Following precedence: 17*2", chunk=8)  # an attempt that will fail
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
        s.stream_text(0, seat, ROUND0_TEXT[seat], chunk=_third(ROUND0_TEXT[seat]))
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
        s.stream_text(1, seat, ROUND1_TEXT[seat], chunk=_third(ROUND1_TEXT[seat]))
    s.stream_text(1, "cy", "Let me reconsi", chunk=_third("Let me reconsi"))
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


def _third(text: str) -> int:
    """A chunk size that streams `text` in about three deltas."""
    return max(1, len(text) // 3)


# ---------------------------------------------------------------- for the views
_VIEW_START = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

BAT_AND_BALL_QUESTION = (
    "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. "
    "How much does the ball cost, in cents?"
)

BAT_AND_BALL_SEATS = (
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


def _view_usage(tokens: int, cost: float | None = 0.0012, latency: float = 2.5) -> Usage:
    """The view debate's usage: `tokens` split evenly, no first-token time."""
    return usage(tokens // 2, tokens - tokens // 2, cost, latency=latency, first_token_s=None)


def bat_and_ball_debate(debate_id: str = "debate-1") -> list[Event]:
    """Three seats, two rounds, one retry (Grace, round 1), one failure (Linus, round 2),
    consensus on 5 in round 2."""
    f = EventBuilder(debate_id, start=_VIEW_START, step_s=0.25)
    f.add(
        DebateStarted,
        spec=DebateSpec(
            question=BAT_AND_BALL_QUESTION, seats=BAT_AND_BALL_SEATS, max_rounds=3, seed=7
        ),
    )
    # Round 0: independent answers; Grace is rate limited once.
    f.add(RoundStarted, round=0, seat_ids=("ada", "grace", "linus"))
    for seat in ("ada", "grace", "linus"):
        f.add(TurnStarted, round=0, seat_id=seat)
    f.stream_text(0, "grace", "The obvious split is $1.00 and")
    f.add(
        TurnRetrying,
        round=0,
        seat_id="grace",
        attempt=1,
        delay_s=4.0,
        error_kind="rate_limit",
        message="Grace (openai/gpt-4o-mini) is rate limited by OpenAI; retrying in 4 s.",
    )
    f.stream_text(0, "ada", ADA_R0)
    f.stream_text(0, "linus", LINUS_R0)
    f.add(
        TurnFinished,
        round=0,
        seat_id="ada",
        text=ADA_R0,
        answer=answer("5", 0.9),
        usage=_view_usage(420),
    )
    f.stream_text(0, "grace", GRACE_R0)
    f.add(
        TurnFinished,
        round=0,
        seat_id="linus",
        text=LINUS_R0,
        answer=answer("5", 0.95),
        usage=_view_usage(380, cost=None),
    )
    f.add(
        TurnFinished,
        round=0,
        seat_id="grace",
        text=GRACE_R0,
        answer=answer("10", 0.7),
        usage=_view_usage(300, latency=6.8),
    )
    f.add(RoundFinished, round=0, tally={"5": 1.3, "10": 0.3}, agreement=2 / 3, leader="5")
    # Round 1: discussion; Linus times out after a few words.
    f.add(RoundStarted, round=1, seat_ids=("ada", "grace", "linus"))
    for seat in ("ada", "grace", "linus"):
        f.add(TurnStarted, round=1, seat_id=seat)
    f.stream_text(1, "ada", ADA_R1)
    f.stream_text(1, "linus", LINUS_R1_PARTIAL)
    f.stream_text(1, "grace", GRACE_R1)
    f.add(
        TurnFinished,
        round=1,
        seat_id="ada",
        text=ADA_R1,
        answer=answer("5", 0.95),
        usage=_view_usage(510),
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
        usage=_view_usage(460),
    )
    f.add(RoundFinished, round=1, tally={"5": 1.3}, agreement=1.0, leader="5")
    f.add(ConsensusReached, round=1, answer="5", value="5")
    f.add(
        DebateFinished,
        final_answer="5",
        consensus=True,
        rule="Consensus: all 2 seats answered 5 in round 2.",
        tally={"5": 1.3},
        usage=_view_usage(2070, cost=None),
        rounds=2,
    )
    return f.events
