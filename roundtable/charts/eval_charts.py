"""The charts of an evaluation run, from its report (`engine.evaluation.report.EvalReport`).

    charts = eval_charts(build_report(run))

- accuracy by round: the table, each seat and the baselines, with 95 % intervals;
- agreement by round;
- cost and accuracy: one point per method (the table, each seat alone, the majority of
  round 0, self-consistency), so "better, and at what price" is one look;
- calibration: each seat's stated confidence against how often it was right;
- each question: right or wrong before and after debate; a cell opens its debate.

Every number is the report's, so the charts, the terminal, the HTML and the app agree.
"""

from __future__ import annotations

import math

from roundtable.charts.values import (
    Axis,
    Chart,
    ChartKind,
    Point,
    Series,
    SeriesRole,
    share_text,
)
from roundtable.domain.evaluation import Baseline
from roundtable.domain.formatting import format_cost, round_label
from roundtable.engine.evaluation.report import EvalReport, Method, RoundRow
from roundtable.engine.evaluation.stats import Proportion

#: The chart keys, in the order the charts are shown (also their ids in a page).
EVAL_CHART_KEYS = ("accuracy", "agreement", "cost", "calibration", "questions")
#: With more questions than this, the question grid names every fifth column only.
QUESTION_TICKS_ALL = 20
#: With more questions than this, cells are too narrow for a ✓ or ✗: colour alone says.
QUESTION_MARKS_UP_TO = 24
_RIGHT, _WRONG = "right", "wrong"


def eval_charts(report: EvalReport) -> tuple[Chart, ...]:
    """Every chart of the run, in `EVAL_CHART_KEYS` order."""
    return (
        accuracy_chart(report),
        agreement_chart(report),
        cost_chart(report),
        calibration_chart(report),
        questions_chart(report),
    )


# ---------------------------------------------------------------- accuracy
def accuracy_chart(report: EvalReport) -> Chart:
    rounds = report.rounds
    series = [_round_series("Table", SeriesRole.TABLE, 0, [(r, r.table) for r in rounds])]
    for place, (seat_id, name, _) in enumerate(report.seats):
        scores = [
            (row, score.accuracy)
            for row in rounds
            for score in row.seats
            if score.seat_id == seat_id
        ]
        series.append(_round_series(name, SeriesRole.SEAT, place, scores))
    # A baseline is one figure, not a round's: drawn level across the rounds.
    for number, method in enumerate(_baselines(report)):
        series.append(
            _round_series(
                _method_name(report, method),
                SeriesRole.BASELINE,
                number,
                [(r, method.accuracy) for r in rounds],
            )
        )
    table = report.table.accuracy
    return Chart(
        key="accuracy",
        kind=ChartKind.LINE,
        title="Accuracy by round",
        caption=(
            "How often the table, each seat and each baseline were right after each round, "
            "with 95% intervals; baselines do not change with the rounds. "
            f"The table's final answers: {table.describe()}."
        ),
        x=_round_axis(rounds),
        y=Axis("Right answers", percent=True, low=_floor(series), high=1.02),
        series=tuple(s for s in series if s.points),
        empty_text="Accuracy shows once a question has been answered.",
    )


def _floor(series: list[Series]) -> float:
    """Where an accuracy axis starts: the 10% step below the lowest interval, so runs that
    are all above 80% are not squeezed into the top fifth of the chart."""
    lows = [p.low if p.low is not None else p.y for s in series for p in s.points]
    return max(0.0, math.floor(min(lows, default=0.0) * 10) / 10)


def _round_series(
    name: str, role: SeriesRole, index: int, scores: list[tuple[RoundRow, Proportion]]
) -> Series:
    points = tuple(
        Point(
            x=row.number,
            y=share,
            tooltip=f"{name}, {round_label(row.number).lower()}: {score.describe()}",
            low=score.low,
            high=score.high,
        )
        for row, score in scores
        if (share := score.estimate) is not None
    )
    return Series(name, points, role, index)


def _baselines(report: EvalReport) -> list[Method]:
    keys = (Baseline.MAJORITY.value, Baseline.SELF_CONSISTENCY.value)
    return [method for key in keys if (method := report.method(key)) is not None]


def _method_name(report: EvalReport, method: Method) -> str:
    """A short name for a legend or a tooltip: "Table", "Ada alone", "Majority of round 1"
    (people count rounds from 1)."""
    if method.key == "table":
        return "Table"
    if method.key == Baseline.MAJORITY.value:
        return f"Majority of {round_label(0).lower()}"
    return method.label[:1].upper() + method.label[1:]


# ---------------------------------------------------------------- agreement
def agreement_chart(report: EvalReport) -> Chart:
    points = tuple(
        Point(
            x=row.number,
            y=row.agreement,
            tooltip=(
                f"{round_label(row.number)}: on average {share_text(row.agreement)} of the "
                f"seats gave the round's majority answer ({row.played} questions)"
            ),
            label=share_text(row.agreement),
        )
        for row in report.rounds
    )
    shares = ", ".join(
        f"{share_text(row.agreement)} in {round_label(row.number).lower()}" for row in report.rounds
    )
    return Chart(
        key="agreement",
        kind=ChartKind.LINE,
        title="Agreement by round",
        caption=f"The average share of seats that gave their round's majority answer: {shares}."
        if shares
        else "The average share of seats that gave their round's majority answer.",
        x=_round_axis(report.rounds),
        y=Axis("Seats agreeing", percent=True, low=0.0, high=1.05),
        series=(Series("Agreement", points, SeriesRole.TABLE),),
        empty_text="Agreement shows once a question has been answered.",
    )


# ---------------------------------------------------------------- cost
def cost_chart(report: EvalReport) -> Chart:
    """Each method's accuracy against what it spent a question: dollars when every price
    is known and something cost money, else tokens (and the caption says why)."""
    methods = [m for m in report.methods if m.accuracy.trials]
    totals = [m.cost.total_usd for m in methods]
    dollars = bool(methods) and all(t is not None for t in totals) and any(t for t in totals)
    series = []
    seat_places = {seat_id: place for place, (seat_id, _, _) in enumerate(report.seats)}
    baselines = {m.key: number for number, m in enumerate(_baselines(report))}
    for method in methods:
        asked = method.accuracy.trials
        per_question = (method.cost.total_usd or 0.0) / asked if dollars else method.tokens / asked
        name = _method_name(report, method)
        point = Point(
            x=per_question,
            y=method.accuracy.estimate or 0.0,
            tooltip=_cost_tooltip(name, method, asked),
            low=method.accuracy.low,
            high=method.accuracy.high,
        )
        if method.key == "table":
            role, index = SeriesRole.TABLE, 0
        elif method.key.startswith("seat:"):
            role, index = SeriesRole.SEAT, seat_places.get(method.key.removeprefix("seat:"), 0)
        else:
            role, index = SeriesRole.BASELINE, baselines.get(method.key, 0)
        series.append(Series(name, (point,), role, index))
    if dollars:
        measure, why = "Cost per question", ""
    elif any(t is None for t in totals):
        measure, why = "Tokens per question", " Tokens, not dollars: a price is unknown."
    else:
        measure, why = "Tokens per question", " Tokens, not dollars: these seats cost nothing."
    return Chart(
        key="cost",
        kind=ChartKind.SCATTER,
        title="Cost and accuracy",
        caption=(
            "Each way of answering the questions: how often it was right (with its 95% "
            f"interval) and what it spent a question; up and to the left is better.{why}"
        ),
        x=Axis(measure, dollars=dollars, low=0.0),
        y=Axis("Right answers", percent=True, low=_floor(series), high=1.05),
        series=tuple(series),
        empty_text="Costs show once a question has been answered.",
    )


def _cost_tooltip(name: str, method: Method, asked: int) -> str:
    spent = method.cost.total_usd
    per_question = format_cost(spent / asked if spent is not None else None)
    return (
        f"{name}: {method.accuracy.describe()}; {per_question} and "
        f"{method.tokens / asked:,.0f} tokens a question; {method.cost.describe()}"
    )


# ---------------------------------------------------------------- calibration
def calibration_chart(report: EvalReport) -> Chart:
    series = []
    words = []
    for place, seat in enumerate(report.calibration):
        found = seat.calibration
        if found is None:
            continue
        points = tuple(
            Point(
                x=part.mean_confidence,
                y=part.accuracy,
                tooltip=(
                    f"{seat.name}: said {share_text(part.mean_confidence)} on average, right "
                    f"{share_text(part.accuracy)} of the time ({part.count} answers with "
                    f"confidence {share_text(part.low)}–{share_text(part.high)})"
                ),
                weight=part.count,
            )
            for part in found.bins
        )
        series.append(Series(seat.name, points, SeriesRole.SEAT, place))
        words.append(f"{seat.name} ECE {found.ece:.2f}, Brier {found.brier:.2f}")
    summary = f" {'; '.join(words)} (0 is perfect)." if words else ""
    return Chart(
        key="calibration",
        kind=ChartKind.CALIBRATION,
        title="Stated confidence and accuracy",
        caption=(
            "For each seat, answers grouped by the confidence it stated: how confident it "
            "said it was against how often it was right. On the diagonal a seat knows "
            "what it knows; below it, it is overconfident. A bigger mark holds more "
            f"answers.{summary}"
        ),
        x=Axis("Stated confidence", percent=True, low=-0.03, high=1.03),
        y=Axis("Right answers", percent=True, low=-0.03, high=1.03),
        series=tuple(series),
        empty_text="No seat stated a confidence.",
    )


# ---------------------------------------------------------------- questions
def questions_chart(report: EvalReport) -> Chart:
    """Two rows of cells, one per question: right or wrong by the round-1 majority, and
    by the table's final answer; a question debate changed is outlined."""
    majority, table = [], []
    marks = len(report.questions) <= QUESTION_MARKS_UP_TO
    for column, question in enumerate(report.questions):
        number = question.position + 1
        changed = question.correct != question.majority_correct
        before = _verdict_word(question.majority_correct)
        after = _verdict_word(question.correct)
        told = question.answer if question.answer is not None else "no answer"
        majority.append(
            Point(
                x=column,
                y=0,
                tooltip=(
                    f"Question {number}: the {round_label(0).lower()} majority was {before} "
                    f"(gold {question.gold})"
                ),
                label=_mark(question.majority_correct) if marks else "",
                link=question.debate_id,
                category=before,
            )
        )
        table.append(
            Point(
                x=column,
                y=1,
                tooltip=(
                    f"Question {number}: {_short(question.question)} The table answered "
                    f"{told}, {after} (gold {question.gold})"
                    + ("; debate changed the outcome" if changed else "")
                ),
                label=_mark(question.correct) if marks else "",
                link=question.debate_id,
                category=after,
                marked=changed,
            )
        )
    count = len(report.questions)
    step = 1 if count <= QUESTION_TICKS_ALL else 5
    flips = report.flips
    return Chart(
        key="questions",
        kind=ChartKind.GRID,
        title="Each question, before and after debate",
        caption=(
            "Each question, right (✓) or wrong (✗): the seats' majority before any "
            "discussion, and the table's final answer; an outlined cell is one debate "
            f"changed. Debate turned a wrong majority right {flips.wrong_to_right} times "
            f"and a right majority wrong {flips.right_to_wrong} times."
        ),
        x=Axis(
            "Question",
            ticks=tuple(
                (column, str(q.position + 1))
                for column, q in enumerate(report.questions)
                if column % step == 0 or column == count - 1
            ),
        ),
        y=Axis("", ticks=((0, f"Majority, {round_label(0).lower()}"), (1, "The table"))),
        series=(
            Series("Majority", tuple(majority), SeriesRole.ANSWER, 0),
            Series("Table", tuple(table), SeriesRole.ANSWER, 1),
        ),
        categories=(_RIGHT, _WRONG),
        empty_text="Questions show as they are answered.",
    )


def _verdict_word(correct: bool) -> str:
    return _RIGHT if correct else _WRONG


def _mark(correct: bool) -> str:
    return "✓" if correct else "✗"


def _short(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _round_axis(rounds: tuple[RoundRow, ...]) -> Axis:
    return Axis("", ticks=tuple((row.number, round_label(row.number)) for row in rounds))
