"""Track records from stored evaluation runs: exact accuracies, Brier scores and ECEs.

The runs are stored through the same calls `roundtable eval` makes, with scripted
round-0 answers, so every figure below is worked out by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from roundtable.domain import Answer, AnswerKind, DebateSpec, Seat, Usage
from roundtable.domain.evaluation import EvalItem, EvalSettings, RoundAnswers, TaskFormat
from roundtable.engine import parse_answer
from roundtable.engine.evaluation.track_record import record_weights, track_records
from roundtable.storage import Database
from roundtable.storage.evaluations import create_run, record_question
from roundtable.storage.track_records import solo_answers

#: One question's round-0 answers: seat id -> (answer, confidence), or None for a turn
#: that failed or gave nothing readable.
Answers = Mapping[str, tuple[str, float] | None]


def store_run(
    db: Database,
    run_id: str,
    task: str,
    seats: Sequence[Seat],
    questions: Sequence[tuple[str, Answers]],
    *,
    kind: AnswerKind = AnswerKind.NUMBER,
    unasked: int = 0,
) -> None:
    """A run of `task` whose questions (gold answer, round-0 answers) are all asked,
    plus `unasked` questions still waiting; round 1 repeats round 0."""
    items = [
        EvalItem(id=f"{run_id}-{n}", question=f"q{n}", answer=gold, gold=gold, kind=kind)
        for n, (gold, _) in enumerate(questions)
    ]
    items += [
        EvalItem(id=f"{run_id}-x{n}", question="later", answer="1", gold="1", kind=kind)
        for n in range(unasked)
    ]
    settings = EvalSettings(
        task_name=task,
        task_source="test",
        task_format=TaskFormat.GENERIC_JSONL,
        fingerprint=run_id,
        table=DebateSpec(question="", seats=tuple(seats)),
        simulated=any(seat.is_demo for seat in seats),
    )
    create_run(db, run_id, settings, items)
    for position, (_, answers) in enumerate(questions):
        said = tuple((seat.id, _parsed(answers.get(seat.id))) for seat in seats)
        round_0 = RoundAnswers(table=said[0][1], seats=said)
        record_question(
            db,
            run_id,
            position,
            debate_id=f"d-{run_id}-{position}",
            rounds=(round_0, round_0),
            usage=Usage(),
            correct=False,
        )


def _parsed(said: tuple[str, float] | None) -> Answer | None:
    if said is None:
        return None
    return parse_answer(f"Final answer: {said[0]}\nConfidence: {said[1]}")


GPT = Seat("g", "GPT", "openai/gpt-4o")
ADA = Seat("a", "Ada", "demo/ada")


def _arithmetic(db: Database) -> None:
    """GPT: 8 right and 3 wrong at 0.9, one failed turn; Ada: 6 right and 6 wrong at 0.5."""
    questions = []
    for n in range(12):
        gold = str(n + 1)
        if n < 8:
            gpt: tuple[str, float] | None = (gold, 0.9)
        elif n < 11:
            gpt = ("999", 0.9)
        else:
            gpt = None
        ada = (gold if n % 2 == 0 else "-1", 0.5)
        questions.append((gold, {"g": gpt, "a": ada}))
    store_run(db, "run-arith", "arithmetic", [GPT, ADA], questions, unasked=3)


def test_accuracy_and_calibration_per_model_and_task(db: Database) -> None:
    _arithmetic(db)

    records = track_records(solo_answers(db))

    assert list(records) == ["demo/ada", "openai/gpt-4o"]
    gpt = records["openai/gpt-4o"].headline
    # 8 of 12: the failed turn is wrong; the 3 unasked questions are not counted.
    assert (gpt.scope, gpt.accuracy.successes, gpt.answers) == ("arithmetic", 8, 12)
    assert (gpt.accuracy.low, gpt.accuracy.high) == pytest.approx((0.3906, 0.8619), abs=1e-4)
    judged = gpt.calibration
    assert judged is not None
    # Over the 11 answers that stated a confidence: (8 × 0.1² + 3 × 0.9²) / 11.
    assert judged.answers == 11
    assert judged.brier == pytest.approx((8 * 0.01 + 3 * 0.81) / 11)
    assert judged.ece == pytest.approx(0.9 - 8 / 11)  # one bin: confidence 0.9, right 8/11
    assert gpt.mean_confidence == pytest.approx(0.9)
    assert gpt.calibration_label == "overconfident"
    assert records["openai/gpt-4o"].line() == (
        "openai/gpt-4o · 67 % on arithmetic (n=12) · overconfident"
    )
    assert not records["openai/gpt-4o"].simulated

    ada = records["demo/ada"]
    assert (ada.headline.accuracy.successes, ada.headline.answers) == (6, 12)
    assert ada.headline.calibration is not None
    assert ada.headline.calibration.brier == pytest.approx(0.25)
    assert ada.headline.calibration.ece == pytest.approx(0.0)
    assert ada.line() == "demo/ada · 50 % on arithmetic (n=12) · well calibrated · simulated"


def test_records_add_up_over_runs_and_split_by_task_and_answer_kind(db: Database) -> None:
    _arithmetic(db)
    # A second arithmetic run: GPT 2 of 2 at 1.0. A multiple-choice task: 1 of 4 at 0.8.
    store_run(db, "run-arith-2", "arithmetic", [GPT], [("1", {"g": ("1", 1.0)})] * 2)
    choices = [("B", {"g": ("B" if n == 0 else "C", 0.8)}) for n in range(4)]
    store_run(db, "run-mmlu", "mmlu", [GPT], choices, kind=AnswerKind.CHOICE)

    gpt = track_records(solo_answers(db))["openai/gpt-4o"]

    arithmetic = gpt.task("arithmetic")
    assert arithmetic is not None
    assert (arithmetic.accuracy.successes, arithmetic.answers, arithmetic.runs) == (10, 14, 2)
    # One bin (1.0 falls in the last): confidence (11 × 0.9 + 2 × 1.0) / 13, right 10/13.
    assert arithmetic.calibration is not None
    assert arithmetic.calibration.ece == pytest.approx(11.9 / 13 - 10 / 13)
    mmlu = gpt.task("mmlu")
    assert mmlu is not None
    assert (mmlu.accuracy.successes, mmlu.answers) == (1, 4)
    assert mmlu.calibration is not None
    assert mmlu.calibration.brier == pytest.approx((0.2**2 + 3 * 0.8**2) / 4)
    assert mmlu.calibration_label == "too few to judge calibration"
    assert [(one.scope, one.accuracy.successes, one.answers) for one in gpt.kinds] == [
        ("number", 10, 14),
        ("choice", 1, 4),
    ]
    assert gpt.kinds[1].describe().startswith("25 % on multiple-choice answers (n=4)")
    assert gpt.summary() == "71 % on arithmetic (n=14) · overconfident (+1 task)"


def test_a_model_seated_twice_counts_each_seat_s_answers(db: Database) -> None:
    twin = Seat("g2", "GPT (2)", "openai/gpt-4o")
    store_run(
        db, "run-twins", "arithmetic", [GPT, twin], [("4", {"g": ("4", 0.9), "g2": ("5", 0.9)})]
    )

    record = track_records(solo_answers(db))["openai/gpt-4o"].headline

    assert (record.accuracy.successes, record.answers) == (1, 2)


def test_only_the_asked_models_are_read(db: Database) -> None:
    _arithmetic(db)
    store_run(db, "run-other", "arithmetic", [ADA], [("1", {"a": ("1", 0.9)})])

    found = solo_answers(db, models={"openai/gpt-4o"})

    assert {answer.model for answer in found} == {"openai/gpt-4o"}
    assert {answer.run_id for answer in found} == {"run-arith"}
    assert solo_answers(db, models={"nobody/none"}) == []


def test_weights_for_a_table_come_from_its_models_records(db: Database) -> None:
    _arithmetic(db)
    records = track_records(solo_answers(db))
    stranger = Seat("s", "Stranger", "mistral/mistral-large-latest")

    by_task = record_weights([GPT, ADA, stranger], records, task="arithmetic")
    by_kind = record_weights([GPT, stranger], records)

    assert by_task.scope == "arithmetic"
    assert [(r.seat_id, r.scope, r.correct, r.answers) for r in by_task.records] == [
        ("g", "arithmetic", 8, 12),
        ("a", "arithmetic", 6, 12),
    ]
    assert by_kind.scope is None
    assert [(r.seat_id, r.scope, r.correct, r.answers) for r in by_kind.records] == [
        ("g", "number", 8, 12),
    ]
