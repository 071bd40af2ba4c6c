"""An evaluation run on scripted seats whose every answer is known in advance.

Four questions, three seats, two rounds: each figure of the report is worked out by
hand below and must come out exactly, intervals and paired tests included.

    round 0      Q1 (1)  Q2 (2)  Q3 (3)  Q4 (4)
    ada          1 ✓     2 ✓     3 ✓     4 ✓
    bob          1 ✓     2 ✓     9 ✗     9 ✗
    cyd          1 ✓     7 ✗     9 ✗     9 ✗
    majority     ✓       ✓       ✗ (9)   ✗ (9)

Q1 agrees at once; in round 1 everyone gives the right answer to Q2-Q4.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from roundtable.domain import (
    AnswerKind,
    ChatMessage,
    DebateSpec,
    Event,
    Seat,
    StreamChunk,
    TextDelta,
    TurnComplete,
    Usage,
)
from roundtable.domain.evaluation import (
    EvalItem,
    EvalRunRecord,
    EvalSettings,
    EvalStatus,
    RoundAnswers,
    Samples,
    StoredQuestion,
    TaskFormat,
)
from roundtable.engine.evaluation.report import build_report
from roundtable.engine.evaluation.run import Outcome, run_evaluation
from roundtable.engine.evaluation.stats import mcnemar_exact_p, wilson_interval

GOLD = {"Q1": "1", "Q2": "2", "Q3": "3", "Q4": "4"}
ROUND_ZERO = {
    "ada": {"Q1": "1", "Q2": "2", "Q3": "3", "Q4": "4"},
    "bob": {"Q1": "1", "Q2": "2", "Q3": "9", "Q4": "9"},
    "cyd": {"Q1": "1", "Q2": "7", "Q3": "9", "Q4": "9"},
}
CALL = Usage(prompt_tokens=100, completion_tokens=20, cost_usd=0.001)
SEATS = tuple(Seat(id=name, name=name.title(), model=f"openai/{name}") for name in ROUND_ZERO)


@dataclass
class AnswerBook:
    """A gateway that answers by seat and question: round 0 from ROUND_ZERO, later turns
    (and self-consistency samples, which read as round 0) as scripted here.

    Counts the calls per question and the streams open at once.
    """

    pause_s: float = 0.0
    calls: list[tuple[str, str]] = field(default_factory=list)
    open_now: int = 0
    most_open: int = 0

    async def redact(self, text: str, seats: Sequence[Seat]) -> str:
        return text  # no keys in a test's tables

    def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        return self._play(seat, messages)

    async def _play(
        self, seat: Seat, messages: Sequence[ChatMessage]
    ) -> AsyncIterator[StreamChunk]:
        text = "\n".join(message.content for message in messages)
        question = re.search(r"\b(Q\d)\b", text)
        assert question is not None, text
        later_round = "Discussion round" in text  # round 0 and samples answer alone
        self.calls.append((seat.id, question.group(1)))
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            if self.pause_s:
                await asyncio.sleep(self.pause_s)
            answer = (
                GOLD[question.group(1)] if later_round else ROUND_ZERO[seat.id][question.group(1)]
            )
            yield TextDelta(f"Worked.\nFinal answer: {answer}\nConfidence: 0.8")
            yield TurnComplete(usage=CALL, finish_reason="stop")
        finally:
            self.open_now -= 1

    def calls_for(self, question: str) -> int:
        return sum(1 for _, asked in self.calls if asked == question)


@dataclass
class MemoryStore:
    """The run's results kept in memory, as the database would keep them."""

    run: EvalRunRecord
    events: dict[str, list[Event]] = field(default_factory=dict)

    def recorder(self, debate_id: str):
        return self.events.setdefault(debate_id, []).append

    def close_recorder(self, debate_id: str) -> None:
        pass

    def question_done(
        self,
        position: int,
        *,
        debate_id: str,
        rounds: Sequence[RoundAnswers],
        usage: Usage,
        correct: bool,
    ) -> None:
        self._replace(
            position, debate_id=debate_id, rounds=tuple(rounds), usage=usage, correct=correct
        )

    def samples_done(self, position: int, samples: Samples) -> None:
        self._replace(position, samples=samples)

    def sampling_fixed(self, seat_id: str, count: int) -> None:
        self.run = _with(self.run, sample_seat=seat_id, sample_count=count)

    def _replace(self, position: int, **changes: object) -> None:
        questions = list(self.run.questions)
        questions[position] = _with(questions[position], **changes)
        self.run = _with(self.run, questions=tuple(questions))

    def finish(self, outcome: Outcome) -> EvalRunRecord:
        self.run = _with(self.run, status=outcome.status, wall_s=outcome.wall_s)
        return self.run


def _with(value, **changes):
    import dataclasses

    return dataclasses.replace(value, **changes)


def new_run() -> EvalRunRecord:
    items = tuple(
        EvalItem(
            id=key, question=f"{key}: which number?", answer=gold, gold=gold, kind=AnswerKind.NUMBER
        )
        for key, gold in GOLD.items()
    )
    table = DebateSpec(question="", seats=SEATS, protocol="roundtable", max_rounds=2, seed=1)
    settings = EvalSettings(
        task_name="numbers",
        task_source="written for this test",
        task_format=TaskFormat.GENERIC_JSONL,
        fingerprint="f" * 16,
        table=table,
    )
    return EvalRunRecord(
        id="run1",
        created_at=datetime.now(UTC),
        settings=settings,
        status=EvalStatus.RUNNING,
        questions=tuple(StoredQuestion(position=n, item=item) for n, item in enumerate(items)),
    )


async def run_all(book: AnswerBook, store: MemoryStore, **options: object) -> Outcome:
    return await run_evaluation(store.run, book, store, coalesce_s=0.0, **options)  # type: ignore[arg-type]


async def test_every_figure_of_the_report_is_exactly_what_the_answers_give():
    book, store = AnswerBook(), MemoryStore(new_run())
    outcome = await run_all(book, store, concurrency=2)
    report = build_report(store.finish(outcome))

    assert outcome.status is EvalStatus.FINISHED
    # Per round: the table's answer after round 0 is the majority's; after round 1, right.
    assert report.rounds[0].table == wilson_interval(2, 4)
    assert report.rounds[1].table == wilson_interval(4, 4)
    assert [seat.accuracy for seat in report.rounds[0].seats] == [
        wilson_interval(4, 4),
        wilson_interval(2, 4),
        wilson_interval(1, 4),
    ]
    assert report.rounds[0].agreement == pytest.approx((1 + 2 / 3 + 2 / 3 + 2 / 3) / 4)
    # Q1 stopped after round 0: round 1 was played by three questions of six calls' worth.
    assert report.rounds[1].played == 3
    assert report.rounds[1].usage.total_tokens == 9 * CALL.total_tokens

    by_key = {method.key: method for method in report.methods}
    assert by_key["table"].accuracy == wilson_interval(4, 4)
    assert by_key["seat:bob"].accuracy == wilson_interval(2, 4)
    assert by_key["majority"].accuracy == wilson_interval(2, 4)
    # The table beat bob on Q3 and Q4 and never lost to him: exact p = 2 x 0.5^2.
    assert by_key["seat:bob"].versus_table.p_value == pytest.approx(mcnemar_exact_p(2, 0))
    assert by_key["seat:bob"].versus_table.p_value == pytest.approx(0.5)
    assert by_key["seat:ada"].versus_table.p_value == pytest.approx(1.0)
    assert (report.flips.wrong_to_right, report.flips.right_to_wrong) == (2, 0)
    # 21 calls at $0.001 for 4 right answers.
    assert by_key["table"].cost.total_usd == pytest.approx(0.021)
    assert by_key["table"].cost.usd == pytest.approx(0.021 / 4)

    # Self-consistency of the best seat (ada): the table spent 630 tokens a question
    # (3 calls for Q1, 6 for the others, 120 tokens each); 5 samples of 120 come closest.
    assert report.best_seat == "ada"
    assert report.sampling is not None
    assert report.sampling.samples == 5
    assert by_key["self-consistency"].accuracy == wilson_interval(4, 4)
    assert sum(1 for seat, _ in book.calls if seat == "ada") == 4 + 3 + 4 * 4
    assert "Ada alone" in report.verdict()


async def test_the_budget_stops_before_the_question_that_would_cross_it_and_a_higher_one_finishes():
    book, store = AnswerBook(), MemoryStore(new_run())
    # At most six calls a question: $0.006. $0.010 allows Q1 ($0.003) and Q2 ($0.006);
    # Q3 would need up to $0.006 more, crossing it, so it is never asked.
    outcome = await run_all(
        book, store, concurrency=1, budget_usd=0.010, cost_bound=lambda spec: 0.006
    )

    assert outcome.status is EvalStatus.OVER_BUDGET
    assert "budget" in outcome.detail
    assert "--budget" in outcome.detail
    assert (book.calls_for("Q1"), book.calls_for("Q2")) == (3, 6)
    assert book.calls_for("Q3") == book.calls_for("Q4") == 0
    stopped = store.finish(outcome)
    assert [question.done for question in stopped.questions] == [True, True, False, False]

    # Run again with a higher budget: only Q3 and Q4 are debated, then the samples.
    again = AnswerBook()
    store.run = _with(stopped, status=EvalStatus.RUNNING)
    outcome = await run_all(again, store, concurrency=1, budget_usd=1.0, cost_bound=lambda s: 0.006)
    assert outcome.status is EvalStatus.FINISHED
    debated = [question for seat, question in again.calls if seat != "ada"]
    assert set(debated) == {"Q3", "Q4"}
    assert all(question.done for question in store.run.questions)


async def test_an_unknown_price_refuses_a_budget_rather_than_guessing():
    book, store = AnswerBook(), MemoryStore(new_run())
    outcome = await run_all(book, store, budget_usd=1.0, cost_bound=lambda spec: None)
    assert outcome.status is EvalStatus.OVER_BUDGET
    assert "price" in outcome.detail
    assert book.calls == []


async def test_one_concurrency_limit_holds_across_questions_and_seats():
    book, store = AnswerBook(pause_s=0.02), MemoryStore(new_run())
    await run_all(book, store, concurrency=2)
    assert book.most_open == 2

    wide, store = AnswerBook(pause_s=0.02), MemoryStore(new_run())
    await run_all(wide, store, concurrency=5)
    # Three seats a question, enough questions in flight to fill five slots.
    assert wide.most_open == 5
