"""Evaluation runs in the store: what a list, a reload and a resume read back."""

from __future__ import annotations

import dataclasses

import pytest

from roundtable.domain import Answer, AnswerKind, ConfigError, DebateSpec, Seat, Usage
from roundtable.domain.evaluation import (
    EvalItem,
    EvalSettings,
    EvalStatus,
    RoundAnswers,
    Samples,
    TaskFormat,
)
from roundtable.storage import evaluations as store
from roundtable.storage import open_database

SEATS = (Seat(id="a", name="Ada", model="demo/ada"), Seat(id="b", name="Bob", model="openai/x"))
ITEMS = tuple(
    EvalItem(
        id=f"q{n}", question=f"{n}+{n}?", answer=str(2 * n), gold=str(2 * n), kind=AnswerKind.NUMBER
    )
    for n in range(1, 4)
)
SETTINGS = EvalSettings(
    task_name="doubles",
    task_source="this test",
    task_format=TaskFormat.GENERIC_JSONL,
    fingerprint="abc",
    table=DebateSpec(question="", seats=SEATS),
    simulated=False,
)


def answer(value: str, confidence: float = 0.7) -> Answer:
    return Answer(
        raw=value, value=value, display=value, kind=AnswerKind.NUMBER, confidence=confidence
    )


@pytest.fixture
def db(store_location):  # SQLite, then PostgreSQL (tests/storage/conftest.py)
    with open_database(store_location) as database:
        yield database


def test_a_run_reads_back_with_its_answers_samples_and_sampling_plan(db):
    store.create_run(db, "run-0001", SETTINGS, ITEMS, budget_usd=2.5)
    rounds = (
        RoundAnswers(
            table=answer("2"),
            seats=(("a", answer("2")), ("b", None)),
            usage=Usage(100, 20, 0.01, 1.5),
            seat_usage={"a": Usage(50, 10, 0.004), "b": Usage(50, 10, 0.006)},
        ),
    )
    store.record_question(
        db, "run-0001", 0, debate_id="d1", rounds=rounds, usage=Usage(100, 20, 0.01), correct=True
    )
    store.record_samples(db, "run-0001", 0, Samples((answer("2"), None), Usage(10, 2, 0.001)))
    store.fix_sampling(db, "run-0001", "a", 3)

    run = store.load_eval_run(db, "run-0")  # a prefix will do
    assert run.settings == SETTINGS
    assert run.budget_usd == 2.5
    assert (run.sample_seat, run.sample_count) == ("a", 3)
    first, second, _ = run.questions
    assert first.rounds == rounds
    assert first.correct is True
    assert first.samples == Samples((answer("2"), None), Usage(10, 2, 0.001))
    assert first.debate_id == "d1"
    assert not second.done
    assert second.correct is None
    assert [question.item for question in run.questions] == list(ITEMS)


def test_the_list_shows_progress_accuracy_and_an_unknown_cost_as_unknown(db):
    store.create_run(db, "priced", SETTINGS, ITEMS)
    store.create_run(db, "unpriced", SETTINGS, ITEMS)
    for position, correct in ((0, True), (1, False)):
        store.record_question(
            db, "priced", position, debate_id=f"p{position}", rounds=(), usage=Usage(1, 1, 0.5),
            correct=correct,
        )  # fmt: skip
    store.record_question(
        db, "unpriced", 0, debate_id="u0", rounds=(), usage=Usage(1, 1, None), correct=True
    )
    store.end_sitting(db, "priced", EvalStatus.OVER_BUDGET, detail="budget", wall_s=3.0)

    by_id = {run.id: run for run in store.list_eval_runs(db)}
    assert (by_id["priced"].asked, by_id["priced"].total, by_id["priced"].correct) == (2, 3, 1)
    assert by_id["priced"].cost_usd == pytest.approx(1.0)
    assert by_id["priced"].status is EvalStatus.OVER_BUDGET
    assert by_id["unpriced"].cost_usd is None  # never a smaller number
    assert by_id["unpriced"].seats == ("Ada", "Bob")


def test_the_same_settings_find_the_unfinished_run_and_a_finished_one_is_left_alone(db):
    store.create_run(db, "first", SETTINGS, ITEMS)
    assert store.unfinished_run(db, SETTINGS.key) == "first"
    store.end_sitting(db, "first", EvalStatus.FINISHED)
    assert store.unfinished_run(db, SETTINGS.key) is None
    assert dataclasses.replace(SETTINGS, fingerprint="other questions").key != SETTINGS.key


def test_a_run_left_running_by_a_dead_process_reads_as_interrupted(db, monkeypatch):
    store.create_run(db, "orphan", SETTINGS, ITEMS)
    monkeypatch.setattr(store, "process_alive", lambda pid: False)
    assert store.load_eval_run(db, "orphan").status is EvalStatus.INTERRUPTED
    store.claim_run(db, "orphan", budget_usd=None)  # a dead owner never blocks a resume


def test_an_unknown_or_ambiguous_id_says_what_to_do(db):
    store.create_run(db, "abcd1111", SETTINGS, ITEMS)
    store.create_run(db, "abcd2222", SETTINGS, ITEMS)
    with pytest.raises(ConfigError, match="roundtable evals"):
        store.load_eval_run(db, "zzzz")
    with pytest.raises(ConfigError, match="more of the id"):
        store.load_eval_run(db, "abcd")
