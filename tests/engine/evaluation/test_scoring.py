"""Scoring answers against gold, and a run's summaries over scored questions."""

from __future__ import annotations

import pytest

from roundtable.domain import Answer, Usage
from roundtable.domain.evaluation import EvalItem, ScoredQuestion
from roundtable.engine.evaluation.scoring import (
    RoundAnswers,
    best_seat,
    flips,
    is_correct,
    majority_accuracy,
    majority_answer,
    rounds_played,
    score_question,
    seat_accuracy,
    seat_calibration,
    seat_ids,
    table_accuracy,
    table_vs_seat,
)
from roundtable.engine.evaluation.tasks import resolve_task
from roundtable.engine.parsing import parse_answer

GSM = resolve_task("gsm8k-sample")
MMLU = resolve_task("mmlu-sample")
GENERIC = resolve_task("generic-sample-jsonl")


def said(text: str, confidence: float | None = None) -> Answer:
    reply = f"Final answer: {text}" + (f"\nConfidence: {confidence}" if confidence else "")
    answer = parse_answer(reply)
    assert answer is not None
    return answer


@pytest.mark.parametrize(
    ("reply", "right"),
    [("2,160", True), ("2160.0", True), ("$2160", True), ("2161", False), ("B", False)],
)
def test_numbers_written_differently_match_the_gold(reply: str, right: bool) -> None:
    cinema = GSM.items[2]
    assert cinema.gold == "2160"
    assert is_correct(cinema, said(reply)) is right


@pytest.mark.parametrize(
    ("reply", "right"),
    [
        ("B", True),
        ("(b)", True),
        ("Option B", True),
        ("Nitrogen", True),  # the right choice named by its text
        ("nitrogen.", True),
        ("Oxygen", False),
        ("A", False),
    ],
)
def test_a_choice_is_right_by_letter_or_by_its_text(reply: str, right: bool) -> None:
    air = MMLU.items[0]
    assert is_correct(air, said(reply)) is right


def test_a_numeric_choice_named_by_its_value_is_right() -> None:
    berlin = MMLU.items[2]
    assert berlin.choices[2] == "1989"
    assert is_correct(berlin, said("1989"))
    assert not is_correct(berlin, said("1991"))


def test_text_yes_no_and_missing_answers() -> None:
    capital, _, _, _, even_prime, *_ = GENERIC.items
    assert is_correct(capital, said("canberra"))
    assert not is_correct(capital, said("Sydney"))
    assert is_correct(even_prime, said("True"))
    assert not is_correct(even_prime, said("No"))
    assert not is_correct(capital, None)


def test_majority_ties_go_to_the_answer_given_first() -> None:
    assert majority_answer([said("3"), said("4"), said("4"), said("3")]) == said("3")
    assert majority_answer([None, said("5"), said("6"), said("6")]) == said("6")
    assert majority_answer([None, None]) is None


# ---------------------------------------------------------------- a small run, by hand
ARITH = resolve_task("arithmetic", seed=1, limit=4)


def debate(item: EvalItem, rounds: list[dict[str, str | None]], table: list[str]) -> ScoredQuestion:
    return score_question(
        item,
        [
            RoundAnswers(
                said(final),
                tuple(
                    (seat, None if value is None else said(value, 0.9))
                    for seat, value in answers.items()
                ),
            )
            for answers, final in zip(rounds, table, strict=True)
        ],
        usage=Usage(prompt_tokens=100, completion_tokens=50, cost_usd=0.01),
        debate_id=f"d{item.id}",
    )


def run() -> list[ScoredQuestion]:
    q1, q2, q3, q4 = ARITH.items
    wrong = "-1000"
    return [
        # Round-0 majority wrong, debate repairs it.
        debate(q1, [{"a": q1.gold, "b": wrong, "c": wrong}, dict.fromkeys("abc", q1.gold)],
               [wrong, q1.gold]),
        # Right from the start; agreed in round 0, so only one round.
        debate(q2, [dict.fromkeys("abc", q2.gold)], [q2.gold]),
        # Right majority talked out of it.
        debate(q3, [{"a": q3.gold, "b": q3.gold, "c": wrong}, dict.fromkeys("abc", wrong)],
               [q3.gold, wrong]),
        # Seat c failed in round 0 (no answer); everyone else wrong throughout.
        debate(q4, [{"a": wrong, "b": wrong, "c": None}, dict.fromkeys("abc", wrong)],
               [wrong, wrong]),
    ]  # fmt: skip


def test_a_run_summed_up_per_round() -> None:
    questions = run()
    assert rounds_played(questions) == 2
    assert seat_ids(questions) == ("a", "b", "c")
    assert table_accuracy(questions, 0).successes == 2  # q2, q3
    assert table_accuracy(questions, 1).successes == 2  # q1, q2 (q2 kept its round-0 answer)
    assert majority_accuracy(questions, 0).successes == 2  # q2, q3
    assert (seat_accuracy(questions, "a").successes, seat_accuracy(questions, "a").trials) == (3, 4)
    # Seat c gave no answer on q4: wrong there, but still counted, since it sat.
    assert (seat_accuracy(questions, "c").successes, seat_accuracy(questions, "c").trials) == (1, 4)
    assert questions[0].initial.agreement == pytest.approx(2 / 3)
    assert questions[0].debate_id == "d1"


def test_the_best_seat_and_the_paired_test_against_it() -> None:
    questions = run()
    assert best_seat(questions) == "a"
    test = table_vs_seat(questions, "a")
    # Table final: q1 right, q2 right, q3 wrong, q4 wrong; a alone: q1, q2, q3 right.
    assert (test.first_only, test.second_only, test.pairs) == (0, 1, 4)
    assert test.verdict == "no evidence of a difference at n = 4 (p = 1.00)"


def test_ties_for_best_seat_go_to_the_first_seat() -> None:
    q1 = ARITH.items[0]
    tied = [debate(q1, [{"x": q1.gold, "y": q1.gold}], [q1.gold])]
    assert best_seat(tied) == "x"
    assert best_seat([]) is None


def test_debate_flips_from_the_round0_majority() -> None:
    result = flips(run())
    assert (result.wrong_to_right, result.right_to_wrong, result.questions) == (1, 1, 4)


def test_a_seats_calibration_leaves_out_turns_without_an_answer() -> None:
    result = seat_calibration(run(), "c")
    assert result is not None
    # Three answers at 0.9, one right: Brier (0.01 + 0.81 + 0.81) / 3.
    assert result.answers == 3
    assert result.brier == pytest.approx((0.01 + 0.81 + 0.81) / 3)


def test_a_seat_that_sat_out_a_question_is_judged_on_the_others() -> None:
    q1, q2 = ARITH.items[:2]
    questions = [
        debate(q1, [{"a": q1.gold, "b": q1.gold}], [q1.gold]),
        debate(q2, [{"a": q2.gold}], [q2.gold]),  # b was not at this table
    ]
    share = seat_accuracy(questions, "b")
    assert (share.successes, share.trials) == (1, 1)
    # In the paired test the table answered q2 and b alone did not: b was not right there.
    assert table_vs_seat(questions, "b").first_only == 1
