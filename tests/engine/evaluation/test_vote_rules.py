"""The record-weighted against the confidence-weighted vote, re-counted from a run's answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from roundtable.domain import AnswerKind, ConfigError, DebateSpec, Seat
from roundtable.domain.evaluation import (
    EvalItem,
    EvalRunRecord,
    EvalSettings,
    EvalStatus,
    RoundAnswers,
    StoredQuestion,
    TaskFormat,
)
from roundtable.engine import parse_answer
from roundtable.engine.evaluation.report import build_report
from roundtable.engine.evaluation.vote_rules import (
    CONFIDENCE_KEY,
    RECORD_KEY,
    compare_vote_rules,
    with_vote_rules,
)

#: Bea sits first, so a tie of confidences goes to her answer.
SEATS = (Seat("bea", "Bea", "demo/basil"), Seat("ada", "Ada", "demo/ada"))


def _run(said: Sequence[tuple[str, str]], *, protocol: str = "vote") -> EvalRunRecord:
    """One question per (Bea's answer, Ada's answer), gold "1", both at confidence 0.8;
    one round, whose answers are the last round's too."""
    questions = []
    for position, answers in enumerate(said):
        seats = tuple(
            (seat.id, parse_answer(f"Final answer: {value}\nConfidence: 0.8"))
            for seat, value in zip(SEATS, answers, strict=True)
        )
        table = seats[0][1]  # a tie goes to the first seat, as the vote's tie-break does
        questions.append(
            StoredQuestion(
                position=position,
                item=EvalItem(str(position), "q", "1", "1", AnswerKind.NUMBER),
                debate_id=f"d{position}",
                rounds=(RoundAnswers(table=table, seats=seats),),
                correct=answers[0] == "1",
            )
        )
    settings = EvalSettings(
        task_name="sums",
        task_source="test",
        task_format=TaskFormat.GENERIC_JSONL,
        fingerprint="f",
        table=DebateSpec(question="", seats=SEATS, protocol=protocol, max_rounds=1),
    )
    return EvalRunRecord(
        id="run-1",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        settings=settings,
        status=EvalStatus.FINISHED,
        questions=tuple(questions),
    )


def test_with_confidences_tied_the_record_picks_the_better_seat() -> None:
    # Four questions Bea gets wrong and Ada right, then one both get right.
    run = _run([("0", "1")] * 4 + [("1", "1")])

    comparison = compare_vote_rules(run)

    # On each of the first four, Ada's record on the other four questions is 4 of 4,
    # (4 + 1)/(4 + 2) = 0.83, against Bea's 1 of 4, 0.33: Ada's answer wins.
    assert (comparison.record.accuracy.successes, comparison.record.accuracy.trials) == (5, 5)
    assert comparison.confidence.accuracy.successes == 1  # every tie went to Bea
    test = comparison.record_vs_confidence
    assert (test.first_only, test.second_only, test.pairs) == (4, 0, 5)
    assert test.p_value == pytest.approx(2 / 16)  # two-sided exact: 2 · (1/2)^4
    assert comparison.describe() == (
        "Record-weighted against confidence-weighted vote (100 % (57-100) against "
        "20 % (4-62)): no evidence of a difference at n = 5 (p = 0.12)."
    )


def test_a_question_s_own_gold_answer_never_weighs_its_vote() -> None:
    # Ada right on the first, Bea on the second: on each question the other one's
    # record is the better (2/3 against 1/3), so both votes go wrong. Weights that saw
    # the question itself would tie, and the tie would go to Bea, right once.
    run = _run([("0", "1"), ("1", "0")])

    comparison = compare_vote_rules(run)

    assert comparison.record.accuracy.successes == 0


def test_the_rules_join_the_report_as_two_more_methods() -> None:
    run = _run([("0", "1")] * 4 + [("1", "1")])
    report = build_report(run)

    extended = with_vote_rules(report, compare_vote_rules(run))

    assert extended.methods[: len(report.methods)] == report.methods
    confidence, record = extended.methods[len(report.methods) :]
    assert (confidence.key, record.key) == (CONFIDENCE_KEY, RECORD_KEY)
    assert record.versus_table is not None
    assert (record.versus_table.first_only, record.versus_table.second_only) == (0, 4)
    assert record.tokens == report.table.tokens  # the same debates, counted again


def test_a_protocol_whose_answer_is_no_vote_has_no_rule_to_compare() -> None:
    with pytest.raises(ConfigError, match="not a vote of the seats"):
        compare_vote_rules(_run([("1", "1")], protocol="council"))
