"""The demo models answer every protocol's prompts in the form the engine reads back.

The prompts come from the engine's own protocols (the contract is theirs), and the
replies are read with the engine's own parsers, so a change on either side that breaks
the other fails here. A whole debate of each protocol runs in-process on a tiny
gateway around `simulate_reply` (no litellm), and the demo table must still converge.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Sequence

import pytest

from roundtable.domain import (
    ChatMessage,
    DebateFinished,
    DebateSpec,
    Event,
    RoundFinished,
    Seat,
    StreamChunk,
    TextDelta,
    TurnComplete,
    TurnFinished,
    Usage,
)
from roundtable.engine import parse_answer, prompts, run_debate
from roundtable.engine.protocols import CouncilProtocol, ModeratedProtocol
from roundtable.engine.protocols.judging import parse_agreement, parse_conformity
from roundtable.engine.protocols.moderated import judge_stops, judge_winner
from roundtable.engine.protocols.ranking import parse_ranking
from roundtable.engine.transcript import Transcript, TurnRecord
from roundtable.providers.demo.arithmetic import find_problem
from roundtable.providers.demo.models import SIMULATED_BANNER, simulate_reply

QUESTION = "What is 12+17*23+4-9*14?"  # 281; strictly left to right it is 9268
TRAP = "9268"
SEATS = (
    Seat("ada", "Ada", "demo/ada"),
    Seat("basil", "Basil", "demo/basil"),
    Seat("cyra", "Cyra", "demo/cyra"),
)


def wire(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    return [{"role": m.role, "content": m.content} for m in messages]


def ask(seat: Seat, messages: Sequence[ChatMessage], seed: int = 1) -> str:
    return simulate_reply(seat.model, wire(messages), seed)


def transcript(
    protocol: str, answers: dict[str, str], *, in_round: int = 0, **changes: object
) -> Transcript:
    """Round `in_round` played: each seat said `Final answer: <its answer>`."""
    spec = DebateSpec(question=QUESTION, seats=SEATS, protocol=protocol, seed=3, **changes)  # type: ignore[arg-type]
    record = Transcript(spec)
    for _ in range(in_round + 1):
        record.start_round()
    for seat_id, answer in answers.items():
        text = f"I worked it out step by step.\nFinal answer: {answer}\nConfidence: 0.8"
        record.add_turn(TurnRecord(seat_id, in_round, text, parse_answer(text), Usage()))
    return record


def final(text: str) -> str:
    answer = parse_answer(text)
    assert answer is not None, text
    return answer.display


# ---------------------------------------------------------------- each task
def test_a_council_review_ranks_right_answers_first_in_the_form_the_engine_reads() -> None:
    council = CouncilProtocol()
    played = transcript("council", {"ada": "281", "basil": TRAP, "cyra": "281"})
    played.start_round()
    for seat in SEATS:
        text = ask(seat, council.messages(seat, 1, played))
        assert text.startswith(SIMULATED_BANNER)
        view = council.view(seat.id, played)
        ranked = [view.by_label[label] for label in parse_ranking(text, list(view.by_label))]
        assert len(ranked) == 3
        assert ranked[-1] == "basil"  # the left-to-right slip comes last
        assert "strictly left to right" in text  # and the review says why
        assert final(text) == "281"


def test_the_chair_departs_from_a_wrong_top_answer_and_shows_the_working() -> None:
    council = CouncilProtocol()
    played = transcript("council", {"ada": TRAP, "basil": TRAP, "cyra": "281"})
    played.start_round()  # no reviews: the chair reads the answers unranked
    played.start_round()
    text = ask(SEATS[0], council.messages(SEATS[0], 2, played))
    assert final(text) == "281"
    assert "I depart from it" in text
    assert "17 × 23 = 391" in text


def test_the_moderator_waits_a_round_then_stops_for_the_side_that_is_right() -> None:
    moderated = ModeratedProtocol()
    judge = SEATS[2]
    played = transcript("moderated", {"ada": TRAP, "basil": "281"}, max_rounds=3)
    first = ask(judge, moderated.messages(judge, 0, played))
    assert not judge_stops(first)
    assert final(first) == "281"
    second_round = transcript("moderated", {"ada": TRAP, "basil": "281"}, in_round=1, max_rounds=3)
    later = ask(judge, moderated.messages(judge, 1, second_round))
    assert judge_stops(later)
    assert judge_winner(later) == "negative"


def test_the_negative_side_challenges_a_wrong_affirmative_by_naming_its_slip() -> None:
    moderated = ModeratedProtocol()
    played = transcript("moderated", {"ada": TRAP})
    text = ask(SEATS[1], moderated.messages(SEATS[1], 0, played), seed=4)
    assert text.startswith(SIMULATED_BANNER)
    assert "I dispute Ada's 9268" in text
    assert "strictly left to right" in text


def test_a_judge_rates_agreement_and_names_what_is_disputed() -> None:
    spec = DebateSpec(question=QUESTION, seats=SEATS)
    played = transcript("debate", {"ada": "281", "basil": "280", "cyra": "281"})
    entries = [(spec.seat(t.seat_id), t) for t in played.turns(0)]
    verdict = parse_agreement(ask(SEATS[0], prompts.judge_agreement(spec, entries, SEATS[0])))
    assert verdict is not None
    assert verdict.agreement == pytest.approx(0.67, abs=0.01)
    assert verdict.disputed == ("whether the answer is 281 or 280",)
    assert verdict.common == "281"


@pytest.mark.parametrize(
    ("text", "conformed"),
    [
        ("Ada and others get 281; that much agreement makes me doubt my 280.", True),
        ("Ada's working is right — a carry slip in step 3: I wrote 407, it is 417.", False),
    ],
)
def test_a_judge_tells_conformity_from_persuasion(text: str, conformed: bool) -> None:
    spec = DebateSpec(question=QUESTION, seats=SEATS)
    before = TurnRecord("basil", 0, "Final answer: 280", parse_answer("Final answer: 280"), Usage())
    turn = TurnRecord(
        "basil", 1, f"{text}\nFinal answer: 281", parse_answer("Final answer: 281"), Usage()
    )
    ada = TurnRecord("ada", 0, "Final answer: 281", parse_answer("Final answer: 281"), Usage())
    messages = prompts.judge_conformity(spec, SEATS[1], before, turn, [(SEATS[0], ada)], SEATS[2])
    assert parse_conformity(ask(SEATS[2], messages)) is conformed


# ---------------------------------------------------------------- whole debates
class DemoGateway:
    """The demo models in-process: `simulate_reply`, streamed as one chunk."""

    async def redact(self, text: str, seats: Sequence[Seat]) -> str:
        return text  # no keys in a test's tables

    def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        async def turn() -> AsyncIterator[StreamChunk]:
            yield TextDelta(simulate_reply(seat.model, wire(messages), seed))
            yield TurnComplete(Usage(prompt_tokens=10, completion_tokens=10))

        return turn()


def du_question(rng: random.Random) -> str:
    a, b, c, d, e, f = (rng.randint(0, 30) for _ in range(6))
    return f"What is the result of {a}+{b}*{c}+{d}-{e}*{f}?"


@pytest.mark.parametrize("protocol", ["debate", "council", "mixture", "moderated", "vote"])
async def test_a_demo_table_still_gets_arithmetic_right(protocol: str) -> None:
    rng = random.Random(99)
    right = 0
    for _ in range(12):
        question = du_question(rng)
        problem = find_problem(question)
        assert problem is not None
        events: list[Event] = []
        spec = DebateSpec(
            question=question, seats=SEATS, protocol=protocol, seed=rng.randrange(10**6)
        )
        await run_debate(spec, DemoGateway(), events.append, coalesce_s=0)
        last = events[-1]
        assert isinstance(last, DebateFinished), last
        right += last.final_answer == problem.answer
        if protocol == "council":
            assert any(isinstance(e, RoundFinished) and e.rankings for e in events)
        if protocol != "vote":
            assert all(
                t.text.startswith(SIMULATED_BANNER) for t in events if isinstance(t, TurnFinished)
            )
    assert right >= 9, f"{protocol}: only {right} of 12 right"
