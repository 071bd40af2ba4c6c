"""An evaluation run summed up: is the table worth it, by how much, how surely, at what cost.

`build_report` reads a stored run (`domain.evaluation.EvalRunRecord`) and computes every
figure the terminal, the JSON output, the HTML report, the charts and the app show, so
they cannot disagree: per round, the table's accuracy, each seat's, the round-0
majority's, agreement and what the round spent; overall, each method (the table, each
seat alone, the majority of round 0, self-consistency of the best seat) with its 95 %
interval, cost per correct answer and McNemar's test against the table; the flips;
each seat's calibration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from roundtable.domain import Usage
from roundtable.domain.evaluation import (
    Baseline,
    EvalRunRecord,
    EvalStatus,
    ScoredQuestion,
    StoredQuestion,
)
from roundtable.domain.formatting import format_cost
from roundtable.engine.evaluation.scoring import (
    best_seat,
    flips,
    majority_accuracy,
    majority_answer,
    score,
    score_question,
    seat_accuracy,
    seat_calibration,
    table_accuracy,
)
from roundtable.engine.evaluation.sizing import SelfConsistencyPlan, measure_sampling
from roundtable.engine.evaluation.stats import (
    Calibration,
    CostPerCorrect,
    Flips,
    PairedTest,
    Proportion,
    cost_per_correct,
    format_p_value,
    mcnemar_test,
    wilson_interval,
)


@dataclass(frozen=True, slots=True)
class SeatScore:
    seat_id: str
    name: str
    model: str
    accuracy: Proportion


@dataclass(frozen=True, slots=True)
class RoundRow:
    """The run after one round: how right the table and each seat were, and the spend.

    `agreement` is the mean share of seats that gave their round's majority answer;
    `usage` sums the round over every question that played it (`latency_s`: wall time).
    """

    number: int
    table: Proportion
    majority: Proportion
    seats: tuple[SeatScore, ...]
    agreement: float
    usage: Usage
    played: int


@dataclass(frozen=True, slots=True)
class Method:
    """One way of answering the run's questions, the table or a baseline, side by side.

    `versus_table` is McNemar's test of the table against this method on the same
    questions (None for the table itself).
    """

    key: str  # "table", "seat:<id>", "majority", "self-consistency"
    label: str
    accuracy: Proportion
    cost: CostPerCorrect
    tokens: int
    versus_table: PairedTest | None


@dataclass(frozen=True, slots=True)
class QuestionRow:
    position: int
    item_id: str
    question: str
    gold: str
    answer: str | None
    correct: bool
    majority_correct: bool
    debate_id: str
    tokens: int
    cost_usd: float | None


@dataclass(frozen=True, slots=True)
class SeatCalibration:
    seat_id: str
    name: str
    calibration: Calibration | None


@dataclass(frozen=True, slots=True)
class EvalReport:
    run_id: str
    created_at: datetime
    task_name: str
    task_source: str
    status: EvalStatus
    status_detail: str
    protocol: str
    seats: tuple[tuple[str, str, str], ...]  # (id, name, model) in seat order
    #: Names of the seats whose replies were simulated (the offline demo provider).
    simulated: tuple[str, ...]
    asked: int
    total: int
    rounds: tuple[RoundRow, ...]
    methods: tuple[Method, ...]
    best_seat: str | None
    sampling: SelfConsistencyPlan | None
    flips: Flips
    calibration: tuple[SeatCalibration, ...]
    usage: Usage
    wall_s: float
    budget_usd: float | None
    questions: tuple[QuestionRow, ...]

    @property
    def table(self) -> Method:
        return self.methods[0]

    def method(self, key: str) -> Method | None:
        for method in self.methods:
            if method.key == key:
                return method
        return None

    def seat_name(self, seat_id: str) -> str:
        for candidate, name, _ in self.seats:
            if candidate == seat_id:
                return name
        return seat_id

    @property
    def throughput(self) -> float | None:
        """Questions answered per second of running."""
        return self.asked / self.wall_s if self.wall_s > 0 else None

    def verdict(self) -> str:
        """The answer to "is my table worth it?" in plain words: against the best seat
        alone and self-consistency, what the numbers allow one to say, and the cost."""
        if not self.asked:
            return "No question has been answered yet."
        rivals = [
            method
            for method in (
                self.method(f"seat:{self.best_seat}") if self.best_seat else None,
                self.method(Baseline.SELF_CONSISTENCY.value),
            )
            if method is not None and method.versus_table is not None
        ]
        parts = [_against(self.table, rival) for rival in rivals]
        priced = [method for method in (self.table, *rivals) if method.cost.usd is not None]
        if rivals and len(priced) == 1 + len(rivals) and any(m.cost.usd for m in priced):
            costs = ", ".join(f"{format_cost(m.cost.usd)} from {m.label}" for m in priced)
            parts.append(f"A correct answer cost {costs}.")
        if self.simulated:
            parts.append(
                "These seats were simulated (the offline demo provider): the figures show "
                "how the harness works, not how real models do."
            )
        return " ".join(parts)


def _against(table: Method, rival: Method) -> str:
    """One sentence: is the table better than `rival` on these questions, surely?"""
    test = rival.versus_table
    assert test is not None
    shares = f"{table.accuracy.brief()} against {rival.accuracy.brief()}"
    if not test.significant or test.first_only == test.second_only:
        return (
            f"Not shown against {rival.label}: {shares} could differ by chance at "
            f"n = {test.pairs} ({format_p_value(test.p_value)}); ask more questions to tell."
        )
    if test.first_only > test.second_only:
        return (
            f"Yes against {rival.label}: {shares}, more than chance at n = {test.pairs} "
            f"({format_p_value(test.p_value)})."
        )
    return (
        f"No: {rival.label} beats the table, {rival.accuracy.brief()} against "
        f"{table.accuracy.brief()}, more than chance ({format_p_value(test.p_value)})."
    )


def build_report(run: EvalRunRecord) -> EvalReport:
    """Every figure of `run`, from its questions that are done."""
    settings = run.settings
    done = run.done
    scored = [_scored(question) for question in done]
    seat_rows = tuple((seat.id, seat.name, seat.model) for seat in settings.table.seats)
    names = {seat_id: name for seat_id, name, _ in seat_rows}
    best = best_seat(scored)
    sampling = _sampling_plan(run, scored)
    methods = _methods(run, done, scored, names, best, sampling)
    return EvalReport(
        run_id=run.id,
        created_at=run.created_at,
        task_name=settings.task_name,
        task_source=settings.task_source,
        status=run.status,
        status_detail=run.status_detail,
        protocol=settings.table.protocol,
        seats=seat_rows,
        simulated=tuple(seat.name for seat in settings.table.seats if seat.is_demo),
        asked=len(done),
        total=len(run.questions),
        rounds=_rounds(scored, seat_rows),
        methods=methods,
        best_seat=best,
        sampling=sampling,
        flips=flips(scored),
        calibration=tuple(
            SeatCalibration(seat_id, name, seat_calibration(scored, seat_id))
            for seat_id, name, _ in seat_rows
        ),
        usage=sum((question.usage for question in done), Usage()),
        wall_s=run.wall_s,
        budget_usd=run.budget_usd,
        questions=tuple(
            _question_row(question, one) for question, one in zip(done, scored, strict=True)
        ),
    )


def _scored(question: StoredQuestion) -> ScoredQuestion:
    return score_question(
        question.item, question.rounds, usage=question.usage, debate_id=question.debate_id
    )


def _rounds(
    scored: Sequence[ScoredQuestion], seats: Sequence[tuple[str, str, str]]
) -> tuple[RoundRow, ...]:
    played = max((len(question.rounds) for question in scored), default=0)
    rows = []
    for number in range(played):
        here = [question.rounds[number] for question in scored if len(question.rounds) > number]
        rows.append(
            RoundRow(
                number=number,
                table=table_accuracy(scored, number),
                majority=majority_accuracy(scored, number),
                seats=tuple(
                    SeatScore(seat_id, name, model, seat_accuracy(scored, seat_id, number))
                    for seat_id, name, model in seats
                ),
                agreement=sum(this.agreement for this in here) / len(here),
                usage=sum((this.usage for this in here), Usage()),
                played=len(here),
            )
        )
    return tuple(rows)


def _methods(  # noqa: PLR0917  (every input of the comparison)
    run: EvalRunRecord,
    done: Sequence[StoredQuestion],
    scored: Sequence[ScoredQuestion],
    names: dict[str, str],
    best: str | None,
    sampling: SelfConsistencyPlan | None,
) -> tuple[Method, ...]:
    table_right = [question.correct for question in scored]
    table = Method(
        key="table",
        label=f"the table ({run.settings.table.protocol})",
        accuracy=wilson_interval(sum(table_right), len(scored)),
        cost=cost_per_correct((q.usage.cost_usd for q in done), sum(table_right)),
        tokens=sum(question.usage.total_tokens for question in done),
        versus_table=None,
    )
    methods = [table]
    baselines = run.settings.baselines
    if Baseline.SEATS in baselines:
        for seat_id, name in names.items():
            right = [
                (answer := question.initial.seat(seat_id)) is not None and answer.correct
                for question in scored
            ]
            spent = [question.rounds[0].seat_usage.get(seat_id, Usage()) for question in done]
            methods.append(
                Method(
                    key=f"seat:{seat_id}",
                    label=f"{name} alone",
                    accuracy=seat_accuracy(scored, seat_id, 0),
                    cost=cost_per_correct((u.cost_usd for u in spent), sum(right)),
                    tokens=sum(u.total_tokens for u in spent),
                    versus_table=mcnemar_test(
                        table_right, right, first="the table", second=f"{name} alone"
                    ),
                )
            )
    if Baseline.MAJORITY in baselines:
        right = [question.initial.majority.correct for question in scored]
        spent = [sum(question.rounds[0].seat_usage.values(), Usage()) for question in done]
        methods.append(
            Method(
                key=Baseline.MAJORITY.value,
                label="majority of round 1",
                accuracy=majority_accuracy(scored, 0),
                cost=cost_per_correct((u.cost_usd for u in spent), sum(right)),
                tokens=sum(u.total_tokens for u in spent),
                versus_table=mcnemar_test(
                    table_right, right, first="the table", second="the majority of round 1"
                ),
            )
        )
    sampled = _self_consistency(run, done, scored, names, sampling)
    if sampled is not None:
        methods.append(sampled)
    return tuple(methods)


def _self_consistency(
    run: EvalRunRecord,
    done: Sequence[StoredQuestion],
    scored: Sequence[ScoredQuestion],
    names: dict[str, str],
    sampling: SelfConsistencyPlan | None,
) -> Method | None:
    seat_id = run.sample_seat
    if sampling is None or seat_id is None:
        return None
    pairs = [
        (stored, one)
        for stored, one in zip(done, scored, strict=True)
        if stored.samples is not None and stored.rounds
    ]
    if not pairs:
        return None
    right = []
    spent = []
    for stored, _ in pairs:
        assert stored.samples is not None
        first = dict(stored.rounds[0].seats).get(seat_id)
        votes = [first, *stored.samples.answers]
        right.append(score(stored.item, majority_answer(votes)).correct)
        spent.append(stored.rounds[0].seat_usage.get(seat_id, Usage()) + stored.samples.usage)
    label = f"self-consistency of {names.get(seat_id, seat_id)} (k = {sampling.samples})"
    return Method(
        key=Baseline.SELF_CONSISTENCY.value,
        label=label,
        accuracy=wilson_interval(sum(right), len(pairs)),
        cost=cost_per_correct((u.cost_usd for u in spent), sum(right)),
        tokens=sum(u.total_tokens for u in spent),
        versus_table=mcnemar_test(
            [one.correct for _, one in pairs], right, first="the table", second=label
        ),
    )


def _sampling_plan(
    run: EvalRunRecord, scored: Sequence[ScoredQuestion]
) -> SelfConsistencyPlan | None:
    """The plan behind the stored sample count, with the token figures measured."""
    if run.sample_seat is None or run.sample_count is None:
        return None
    plan = measure_sampling(run.done, run.sample_seat)
    if plan is None:
        return None
    return SelfConsistencyPlan(
        run.sample_count, plan.tokens_per_sample, plan.table_tokens, plan.cap
    )


def _question_row(stored: StoredQuestion, scored: ScoredQuestion) -> QuestionRow:
    final = scored.final.table.answer
    return QuestionRow(
        position=stored.position,
        item_id=stored.item.id,
        question=stored.item.question,
        gold=stored.item.answer,
        answer=final.display if final is not None else None,
        correct=scored.correct,
        majority_correct=scored.initial.majority.correct,
        debate_id=stored.debate_id,
        tokens=stored.usage.total_tokens,
        cost_usd=stored.usage.cost_usd,
    )
