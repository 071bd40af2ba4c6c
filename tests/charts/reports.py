"""A hand-made evaluation report whose every figure is known: four questions, two seats,
two rounds; the table is right on all four at the end, debate repaired two."""

from __future__ import annotations

from datetime import UTC, datetime

from roundtable.domain import Usage
from roundtable.domain.evaluation import EvalStatus
from roundtable.engine.evaluation.report import (
    EvalReport,
    Method,
    QuestionRow,
    RoundRow,
    SeatCalibration,
    SeatScore,
)
from roundtable.engine.evaluation.sizing import SelfConsistencyPlan
from roundtable.engine.evaluation.stats import (
    Flips,
    calibration,
    cost_per_correct,
    mcnemar_test,
    wilson_interval,
)

SEATS = (("ada", "Ada", "openai/gpt-4o"), ("bob", "Bob", "openai/gpt-4o-mini"))


def _method(key: str, label: str, right: int, spent: float | None, tokens: int) -> Method:
    return Method(
        key=key,
        label=label,
        accuracy=wilson_interval(right, 4),
        cost=cost_per_correct([spent], right),
        tokens=tokens,
        versus_table=None
        if key == "table"
        else mcnemar_test([True] * 4, [True] * right + [False] * (4 - right)),
    )


def question_row(position: int, *, correct: bool, majority_correct: bool) -> QuestionRow:
    return QuestionRow(
        position=position,
        item_id=f"Q{position + 1}",
        question=f"Q{position + 1}: which number?",
        gold=str(position + 1),
        answer=str(position + 1) if correct else "9",
        correct=correct,
        majority_correct=majority_correct,
        debate_id=f"debate-{position + 1}",
        tokens=630,
        cost_usd=0.00525,
    )


def make_report(
    *, costs: tuple[float | None, ...] = (0.021, 0.004, 0.004, 0.012, 0.02)
) -> EvalReport:
    """Four questions, two seats, two rounds; the table right on all four at the end."""
    table_cost, ada_cost, bob_cost, majority_cost, sampled_cost = costs
    rounds = (
        RoundRow(
            number=0,
            table=wilson_interval(2, 4),
            majority=wilson_interval(2, 4),
            seats=(
                SeatScore("ada", "Ada", "openai/gpt-4o", wilson_interval(4, 4)),
                SeatScore("bob", "Bob", "openai/gpt-4o-mini", wilson_interval(1, 4)),
            ),
            agreement=0.75,
            usage=Usage(800, 160, 0.008),
            played=4,
        ),
        RoundRow(
            number=1,
            table=wilson_interval(4, 4),
            majority=wilson_interval(4, 4),
            seats=(
                SeatScore("ada", "Ada", "openai/gpt-4o", wilson_interval(4, 4)),
                SeatScore("bob", "Bob", "openai/gpt-4o-mini", wilson_interval(3, 4)),
            ),
            agreement=1.0,
            usage=Usage(600, 120, 0.006),
            played=3,
        ),
    )
    ada_calibration = calibration([(0.9, True), (0.9, True), (0.6, True), (0.6, False)])
    return EvalReport(
        run_id="run1",
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        task_name="numbers",
        task_source="written for this test",
        status=EvalStatus.FINISHED,
        status_detail="",
        protocol="roundtable",
        seats=SEATS,
        simulated=(),
        asked=4,
        total=4,
        rounds=rounds,
        methods=(
            _method("table", "the table (roundtable)", 4, table_cost, 2520),
            _method("seat:ada", "Ada alone", 4, ada_cost, 480),
            _method("seat:bob", "Bob alone", 1, bob_cost, 480),
            _method("majority", "majority of round 1", 2, majority_cost, 960),
            _method("self-consistency", "self-consistency of Ada (k = 5)", 4, sampled_cost, 2400),
        ),
        best_seat="ada",
        sampling=SelfConsistencyPlan(5, 120.0, 630.0, 9),
        flips=Flips(wrong_to_right=2, right_to_wrong=0, questions=4),
        calibration=(
            SeatCalibration("ada", "Ada", ada_calibration),
            SeatCalibration("bob", "Bob", None),
        ),
        usage=Usage(1400, 280, table_cost),
        wall_s=12.0,
        budget_usd=None,
        questions=(
            question_row(0, correct=True, majority_correct=True),
            question_row(1, correct=True, majority_correct=True),
            question_row(2, correct=True, majority_correct=False),
            question_row(3, correct=True, majority_correct=False),
        ),
    )
