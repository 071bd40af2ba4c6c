"""The words of the Evaluations view that only the app shows: the list of runs, a
run's heading, its questions. The report's tables and sentences are the terminal's and
the HTML page's too (`engine.evaluation.report_text`). No Qt: the view's tests can read
these without a widget.
"""

from __future__ import annotations

from datetime import datetime

from roundtable.domain.evaluation import EvalRunSummary, EvalStatus
from roundtable.domain.formatting import format_cost
from roundtable.engine.evaluation.report import EvalReport, QuestionRow
from roundtable.engine.evaluation.report_text import spent_line, table_line

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
    budget = f" · budget ${report.budget_usd:.2f}" if report.budget_usd is not None else ""
    return (
        f"{report.task_source} · {report.asked} of {report.total} questions · "
        f"{STATUS_TEXT[report.status]} · started {run_date(report.created_at)}\n"
        f"{table_line(report)}\n{spent_line(report)}{budget}"
    )


def status_note(report: EvalReport) -> str:
    """Why the run stopped and what to do, when it did not finish."""
    return " ".join(part for part in (report.status_detail, STATUS_HINT[report.status]) if part)


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
        f"({verdict}); the first round's majority was {majority}.\n"
        "Double-click or press Enter to open its debate."
    )
