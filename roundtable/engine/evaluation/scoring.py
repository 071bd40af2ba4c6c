"""Check answers against an item's gold answer, and sum a run's scored questions up.

An answer is right when it has the gold answer's kind and normalised value: both were
normalised by the same code (`engine.parsing`), so "1,080", "1080.0" and "$1080"
all match a gold "1080". On a multiple-choice item a seat that names the right
choice by its text ("Final answer: Nitrogen") instead of its letter is right too.
Majorities are counted by `engine.voting.majority_vote`, whose tie-break (more
votes, then the answer given first in seat order) every debate already uses.
"""

from __future__ import annotations

from collections.abc import Sequence

from roundtable.domain import Answer, AnswerKind
from roundtable.domain.evaluation import (
    EvalItem,
    RoundAnswers,
    ScoredAnswer,
    ScoredQuestion,
    ScoredRound,
)
from roundtable.domain.values import Usage
from roundtable.engine.evaluation.stats import (
    Calibration,
    Flips,
    PairedTest,
    Proportion,
    calibration,
    debate_flips,
    mcnemar_test,
    wilson_interval,
)
from roundtable.engine.normalize import fold_text
from roundtable.engine.voting import majority_vote


def is_correct(item: EvalItem, answer: Answer | None) -> bool:
    """Whether `answer` gives `item`'s gold answer."""
    if answer is None:
        return False
    if answer.kind is item.kind and answer.value == item.gold:
        return True
    if not item.choices or answer.kind is AnswerKind.CHOICE:
        return False
    named = answer.value if answer.kind is AnswerKind.TEXT else fold_text(answer.display)
    matching = [
        letter
        for letter, choice in zip(item.letters, item.choices, strict=True)
        if fold_text(choice) == named
    ]
    return matching == [item.gold]


def score(item: EvalItem, answer: Answer | None) -> ScoredAnswer:
    return ScoredAnswer(answer, is_correct(item, answer))


def majority_answer(answers: Sequence[Answer | None]) -> Answer | None:
    """One answer, one vote; ties go to the answer given first (None: nothing readable).

    Also the self-consistency baseline's rule over its k samples.
    """
    return majority_vote(answers).leader


def score_question(
    item: EvalItem,
    rounds: Sequence[RoundAnswers],
    *,
    usage: Usage | None = None,
    debate_id: str = "",
) -> ScoredQuestion:
    """Score every round of one question's debate (rounds in order, from round 0)."""
    scored = tuple(
        ScoredRound(
            number=number,
            table=score(item, answers.table),
            majority=score(item, majority_answer([answer for _, answer in answers.seats])),
            seats=tuple((seat_id, score(item, answer)) for seat_id, answer in answers.seats),
            usage=answers.usage,
        )
        for number, answers in enumerate(rounds)
    )
    return ScoredQuestion(
        item_id=item.id,
        rounds=scored,
        usage=usage if usage is not None else Usage(cost_usd=None),
        debate_id=debate_id,
    )


# ---------------------------------------------------------------- a run's summaries
def rounds_played(questions: Sequence[ScoredQuestion]) -> int:
    """The most rounds any question's debate ran (a question that agreed early keeps its
    answer in the later rounds, see `ScoredQuestion.round`)."""
    return max((len(question.rounds) for question in questions), default=0)


def table_accuracy(questions: Sequence[ScoredQuestion], round_number: int) -> Proportion:
    """How often the table's answer after `round_number` was right, with its interval."""
    right = sum(1 for question in questions if question.round(round_number).table.correct)
    return wilson_interval(right, len(questions))


def majority_accuracy(questions: Sequence[ScoredQuestion], round_number: int = 0) -> Proportion:
    """How often the seats' plain majority was right (round 0: the no-debate baseline)."""
    right = sum(1 for question in questions if question.round(round_number).majority.correct)
    return wilson_interval(right, len(questions))


def seat_accuracy(
    questions: Sequence[ScoredQuestion], seat_id: str, round_number: int = 0
) -> Proportion:
    """How often one seat was right in a round, over the questions where it sat in it.

    A seat that sat out a question's round is absent there, so its interval is over fewer
    questions; a seat that sat but failed or gave no readable answer was wrong there,
    as a single model that answers nothing would be.
    """
    answers = [question.round(round_number).seat(seat_id) for question in questions]
    present = [answer for answer in answers if answer is not None]
    return wilson_interval(sum(1 for answer in present if answer.correct), len(present))


def seat_ids(questions: Sequence[ScoredQuestion]) -> tuple[str, ...]:
    """Every seat that answered any question, in the order they first appear."""
    found: dict[str, None] = {}
    for question in questions:
        for seat_id, _ in question.initial.seats:
            found.setdefault(seat_id, None)
    return tuple(found)


def best_seat(questions: Sequence[ScoredQuestion]) -> str | None:
    """The seat with the most round-0 answers right: the single model the table must beat.

    Ties go to the seat first in seat order, so a rerun names the same seat.
    """
    seats = seat_ids(questions)
    if not seats:
        return None
    return max(seats, key=lambda seat: (_right_alone(questions, seat), -seats.index(seat)))


def _right_alone(questions: Sequence[ScoredQuestion], seat_id: str) -> int:
    return sum(
        1
        for question in questions
        if (answer := question.initial.seat(seat_id)) is not None and answer.correct
    )


def table_vs_seat(questions: Sequence[ScoredQuestion], seat_id: str) -> PairedTest:
    """McNemar's test of the table's final answers against one seat's round-0 answers.

    A seat missing from a question counts as wrong there: the table answered it, the seat
    alone did not.
    """
    alone = [question.initial.seat(seat_id) for question in questions]
    return mcnemar_test(
        [question.correct for question in questions],
        [answer is not None and answer.correct for answer in alone],
        first="the table",
        second=f"{seat_id} alone",
    )


def flips(questions: Sequence[ScoredQuestion]) -> Flips:
    """How often debate turned the round-0 majority's wrong answer right, and the reverse."""
    return debate_flips(
        [question.initial.majority.correct for question in questions],
        [question.correct for question in questions],
    )


def seat_calibration(
    questions: Sequence[ScoredQuestion], seat_id: str, round_number: int = 0
) -> Calibration | None:
    """How well a seat's stated confidence in a round matched being right."""
    outcomes = [
        (answer.confidence, answer.correct)
        for question in questions
        if (answer := question.round(round_number).seat(seat_id)) is not None
        and answer.answer is not None
    ]
    return calibration(outcomes)
