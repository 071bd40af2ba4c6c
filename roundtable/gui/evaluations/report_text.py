"""The words and numbers of the Evaluations view, as pure functions of the report.

Every figure comes from `EvalReport` (and its `Proportion`, `CostPerCorrect`,
`PairedTest` values) exactly as the terminal report (`cli.evaluation_run.report_lines`)
prints it, so the app and `roundtable eval-report RUN` cannot disagree. Only the
layout differs: rounds are counted from 1 here, as everywhere else in the window.
No Qt: the view's tests can read these without a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from roundtable.domain.evaluation import EvalRunSummary, EvalStatus
from roundtable.domain.formatting import format_cost, round_label
from roundtable.engine.evaluation.report import EvalReport, QuestionRow
from roundtable.engine.protocols import round_kind

#: The command a person runs to make a first evaluation run (shown in the empty state).
FIRST_RUN_COMMAND = "roundtable eval arithmetic --limit 20"

#: How each run status reads in the list, and what to do about it.
STATUS_TEXT = {
    EvalStatus.RUNNING: "running",
    EvalStatus.FINISHED: "finished",
    EvalStatus.INTERRUPTED: "interrupted",
    EvalStatus.OVER_BUDGET: "stopped at its budget",
}
STATUS_HINT = {
    EvalStatus.RUNNING: "Still running in a terminal; refresh to see more questions.",
    EvalStatus.FINISHED: "",
    EvalStatus.INTERRUPTED: "Stopped before the end: run the same command again to finish it.",
    EvalStatus.OVER_BUDGET: "The next question would have crossed the budget: run the same "
    "command again with a higher --budget to finish it.",
}


@dataclass(frozen=True, slots=True)
class TextTable:
    """A table as plain text cells; columns from `numeric_from` on are right-aligned.
    `tooltips` says more about a cell than fits in it (same shape as `rows`, or empty)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_from: int = 1
    tooltips: tuple[tuple[str, ...], ...] = ()


# ---------------------------------------------------------------- the list of runs
def run_accuracy(summary: EvalRunSummary) -> str:
    """ "85 %" of the questions asked so far, "—" before any."""
    accuracy = summary.accuracy
    return "—" if accuracy is None else f"{100 * accuracy:.0f} %"


def run_progress(summary: EvalRunSummary) -> str:
    """ "20 of 20 questions · finished · $0.12" """
    return (
        f"{summary.asked} of {summary.total} questions · {STATUS_TEXT[summary.status]} · "
        f"{format_cost(summary.cost_usd)}"
    )


def run_table(summary: EvalRunSummary) -> str:
    """ "roundtable · Ada, Basil, Cyra" """
    return f"{summary.protocol} · {', '.join(summary.seats)}"


def run_date(created_at: datetime) -> str:
    """The run's start in local time, to the minute."""
    return created_at.astimezone().strftime("%Y-%m-%d %H:%M")


def run_description(summary: EvalRunSummary) -> str:
    """The whole line for screen readers and tooltips."""
    simulated = " Simulated seats." if summary.simulated else ""
    return (
        f"{summary.task_name}, {run_accuracy(summary)} right. {run_progress(summary)}. "
        f"{run_table(summary)}.{simulated} Started {run_date(summary.created_at)}."
    )


# ---------------------------------------------------------------- one run's report
def report_title(report: EvalReport) -> str:
    return f"{report.task_name} · run {report.run_id[:8]}"


def report_meta(report: EvalReport) -> str:
    """What was asked of whom, and what it spent."""
    seats = ", ".join(f"{name} ({model})" for _, name, model in report.seats)
    spent = report.usage
    pace = f" · {report.throughput:.2f} questions/s" if report.throughput else ""
    budget = f" · budget ${report.budget_usd:.2f}" if report.budget_usd is not None else ""
    return (
        f"{report.task_source} · {report.asked} of {report.total} questions · "
        f"{STATUS_TEXT[report.status]} · started {run_date(report.created_at)}\n"
        f"Table: {report.protocol} · {seats}\n"
        f"Spent: {spent.total_tokens:,} tokens · {format_cost(spent.cost_usd)} · "
        f"{report.wall_s:.0f} s{pace}{budget}"
    )


def simulated_banner(report: EvalReport) -> str:
    """Said plainly whenever a seat was simulated; "" when none was."""
    if not report.simulated:
        return ""
    return (
        f"Simulated seats: {', '.join(report.simulated)} answered through the offline demo "
        "provider. These figures show how the harness works, not how real models do."
    )


def status_note(report: EvalReport) -> str:
    """Why the run stopped and what to do, when it did not finish."""
    return " ".join(part for part in (report.status_detail, STATUS_HINT[report.status]) if part)


def rounds_table(report: EvalReport) -> TextTable:
    """Accuracy by round with intervals, agreement and spend, as the terminal prints it.

    The round's kind ("independent answers", "discussion") is in its tooltip: in the
    cell it would widen the table past a small window's width.
    """
    seats = tuple(name for _, name, _ in report.seats)
    headers = ("round", "the table", *seats, "agree", "tokens", "cost", "time")
    rows, tooltips = [], []
    for row in report.rounds:
        kind = round_kind(report.protocol, row.number, len(report.seats))
        cells = (
            round_label(row.number),
            row.table.brief(),
            *(seat.accuracy.brief() for seat in row.seats),
            f"{100 * row.agreement:.0f} %",
            f"{row.usage.total_tokens:,}",
            format_cost(row.usage.cost_usd),
            f"{row.usage.latency_s / max(1, row.played):.1f} s",
        )
        rows.append(cells)
        tooltips.append(
            (
                round_label(row.number)
                + (f" · {kind}" if kind else "")
                + f": played by {row.played} of {report.asked} questions",
                f"The table's answer after this round: {row.table.describe()}",
                *(f"{seat.name} alone: {seat.accuracy.describe()}" for seat in row.seats),
                "Mean share of seats that gave the round's majority answer",
                "Tokens this round, over every question that played it",
                "What this round cost, over every question that played it",
                "Mean time a question spent in this round",
            )
        )
    return TextTable(
        title=f"Accuracy by round, n = {report.asked} (95 % intervals)",
        headers=headers,
        rows=tuple(rows),
        tooltips=tuple(tooltips),
    )


def methods_table(report: EvalReport) -> TextTable:
    """The table and each baseline: accuracy, cost per correct answer, tokens."""
    rows = tuple(
        (
            method.label,
            method.accuracy.brief(),
            method.cost.describe(),
            f"{method.tokens:,}",
        )
        for method in report.methods
    )
    tooltips = tuple(
        (
            method.label,
            method.accuracy.describe(),
            f"{method.cost.describe()} ({format_cost(method.cost.total_usd)} in all)",
            "Tokens this method used on the run's questions",
        )
        for method in report.methods
    )
    return TextTable(
        title=f"The table against its baselines, on the same {report.asked} questions",
        headers=("method", "accuracy (95 %)", "cost per correct", "tokens"),
        rows=rows,
        tooltips=tooltips,
    )


def paired_tests(report: EvalReport) -> list[str]:
    """McNemar's verdict of the table against each baseline, one line each."""
    return [
        f"Against {method.label}: {method.versus_table.verdict}."
        for method in report.methods
        if method.versus_table is not None
    ]


def closing_lines(report: EvalReport) -> list[str]:
    """Flips, each seat's calibration and the self-consistency plan, one line each."""
    lines = [report.flips.describe().capitalize() + "."]
    for seat in report.calibration:
        if seat.calibration is not None:
            lines.append(
                f"{seat.name}'s stated confidence: Brier {seat.calibration.brier:.3f}, "
                f"ECE {seat.calibration.ece:.3f} over {seat.calibration.answers} answers."
            )
    if report.sampling is not None and report.best_seat is not None:
        described = report.sampling.describe(report.seat_name(report.best_seat))
        lines.append(described[0].upper() + described[1:] + ".")
    return lines


# ---------------------------------------------------------------- the questions
QUESTION_HEADERS = ("#", "question", "gold", "the table", "right", "tokens", "cost")


def question_cells(question: QuestionRow) -> tuple[str, ...]:
    return (
        str(question.position + 1),
        " ".join(question.question.split()),
        question.gold,
        question.answer or "—",
        "✓ right" if question.correct else "✗ wrong",
        f"{question.tokens:,}",
        format_cost(question.cost_usd),
    )


def question_tooltip(question: QuestionRow) -> str:
    majority = "right" if question.majority_correct else "wrong"
    verdict = "right" if question.correct else "wrong"
    return (
        f"Question {question.position + 1} ({question.item_id}): {question.question}\n"
        f"Gold answer: {question.gold}. The table said {question.answer or 'nothing'} "
        f"({verdict}); the round-0 majority was {majority}.\n"
        "Double-click or press Enter to open its debate."
    )
