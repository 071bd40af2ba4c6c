"""The evaluation values: an item's prompt and guards, a task's cut and fingerprint,
a scored question's rounds."""

from __future__ import annotations

import dataclasses

import pytest

from roundtable.domain import Answer, AnswerKind, ConfigError, Usage
from roundtable.domain.evaluation import (
    EvalItem,
    EvalTask,
    ScoredAnswer,
    ScoredQuestion,
    ScoredRound,
    TaskFormat,
)


def item(item_id: str = "1", gold: str = "42") -> EvalItem:
    return EvalItem(item_id, f"Question {item_id}?", gold, gold, AnswerKind.NUMBER)


def task(*items: EvalItem) -> EvalTask:
    return EvalTask("t", items, "test", TaskFormat.GENERIC_JSONL)


def test_a_multiple_choice_prompt_letters_each_choice() -> None:
    mc = EvalItem("1", "Which is even?", "B", "B", AnswerKind.CHOICE, ("3", "4", "5"))
    assert mc.letters == "ABC"
    assert mc.prompt == "Which is even?\n\nA) 3\nB) 4\nC) 5"
    assert item().prompt == "Question 1?"


def test_a_gold_letter_outside_the_choices_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"'D' is not one of its choices \(A, B\)"):
        EvalItem("1", "Which?", "D", "D", AnswerKind.CHOICE, ("x", "y"))


def test_more_than_ten_choices_cannot_be_answered() -> None:
    with pytest.raises(ConfigError, match="at most 10"):
        EvalItem("1", "Which?", "A", "A", AnswerKind.CHOICE, tuple("abcdefghijk"))


def test_a_task_needs_questions_with_distinct_ids() -> None:
    with pytest.raises(ConfigError, match="no questions"):
        task()
    with pytest.raises(ConfigError, match="two questions with id '1'"):
        task(item("1"), item("1"))


def test_first_cuts_a_task_and_keeps_its_origin() -> None:
    whole = dataclasses.replace(task(item("1"), item("2"), item("3")), simulated=True)
    cut = whole.first(2)
    assert [i.id for i in cut.items] == ["1", "2"]
    assert (cut.name, cut.source, cut.format, cut.simulated) == ("t", "test", whole.format, True)
    assert whole.first(None) is whole
    assert whole.first(10) is whole
    with pytest.raises(ConfigError, match="at least 1"):
        whole.first(0)


def test_the_fingerprint_changes_with_a_gold_answer_but_not_with_the_name() -> None:
    original = task(item("1", "42"), item("2", "7"))
    renamed = dataclasses.replace(original, name="other", source="elsewhere")
    regolded = task(item("1", "42"), item("2", "8"))
    assert original.fingerprint == renamed.fingerprint
    assert original.fingerprint != regolded.fingerprint
    assert len(original.fingerprint) == 16


def number(value: str, confidence: float | None = None) -> Answer:
    return Answer(value, value, value, AnswerKind.NUMBER, confidence)


def scored_round(
    number_: int, table: str, seats: dict[str, str | None], gold: str = "42"
) -> ScoredRound:
    def sa(value: str | None) -> ScoredAnswer:
        return ScoredAnswer(None if value is None else number(value), value == gold)

    votes = [v for v in seats.values() if v is not None]
    leader = max(votes, key=votes.count) if votes else None
    return ScoredRound(
        number_, sa(table), sa(leader), tuple((seat, sa(value)) for seat, value in seats.items())
    )


def test_a_scored_question_reads_its_rounds_and_keeps_the_last_one_after_an_early_stop() -> None:
    question = ScoredQuestion(
        "1",
        (
            scored_round(0, "41", {"a": "41", "b": "41", "c": "42"}),
            scored_round(1, "42", {"a": "42", "b": "42", "c": "42"}),
        ),
    )
    assert question.initial.table.correct is False
    assert question.correct is True
    assert question.round(5) is question.final
    assert question.initial.agreement == pytest.approx(2 / 3)
    assert question.final.agreement == 1.0
    assert question.initial.seat("c") == ScoredAnswer(number("42"), True)
    assert question.initial.seat("nobody") is None
    # Unknown is not free: a question scored without usage has an unknown cost.
    assert question.usage == Usage(cost_usd=None)


def test_rounds_must_count_from_zero_and_a_missing_answer_is_never_right() -> None:
    with pytest.raises(ValueError, match="no scored round"):
        ScoredQuestion("1", ())
    with pytest.raises(ValueError, match=r"not 0, 1, 2...: \[1\]"):
        ScoredQuestion("1", (scored_round(1, "42", {"a": "42"}),))
    with pytest.raises(ValueError, match="cannot be correct"):
        ScoredAnswer(None, True)


def test_agreement_of_a_round_nobody_answered_is_zero() -> None:
    silent = scored_round(0, "0", {"a": None, "b": None})
    assert silent.majority.answer is None
    assert silent.agreement == 0.0
