"""An evaluation report's tables and sentences as plain text: the one wording of them.

The terminal (`roundtable eval`, `eval-report`), the app's Evaluations view and the
HTML report all lay out these cells and lines, so they cannot disagree on a number or
a word; each only chooses how to draw them (Rich, Qt, HTML). Rounds are counted from 1,
as everywhere a person reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from roundtable.domain.formatting import format_cost, round_label
from roundtable.engine.evaluation.report import EvalReport
from roundtable.engine.protocols import round_kind


@dataclass(frozen=True, slots=True)
class TextTable:
    """A table as plain text cells; columns from `numeric_from` on are right-aligned.
    `tooltips` says more about a cell than fits in it (same shape as `rows`, or empty)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_from: int = 1
    tooltips: tuple[tuple[str, ...], ...] = ()


def simulated_banner(report: EvalReport) -> str:
    """Said plainly whenever a seat was simulated; "" when none was."""
    if not report.simulated:
        return ""
    return (
        f"Simulated seats: {', '.join(report.simulated)} answered through the offline demo "
        "provider. These figures show how the harness works, not how real models do."
    )


def rounds_table(report: EvalReport) -> TextTable:
    """Accuracy by round with intervals, agreement and spend, as the terminal prints it.

    The round's kind ("independent answers", "discussion") is in its tooltip: in the
    cell it would widen the table past a small window's width.
    """
    seats = tuple(name for _, name, _ in report.seats)
    headers = ("round", "the table", *seats, "agree", "tokens", "cost", "mean time")
    rows, tooltips = [], []
    for row in report.rounds:
        kind = round_kind(report.protocol, row.number, len(report.seats))
        cells = (
            str(row.number + 1),  # under the "round" header; people count from 1
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
    return [flips_line(report), *calibration_lines(report), *sampling_lines(report)]


def flips_line(report: EvalReport) -> str:
    """How often debate turned a wrong majority right, and a right one wrong."""
    return report.flips.describe().capitalize() + "."


def calibration_lines(report: EvalReport) -> list[str]:
    """Each seat's Brier score and ECE, for the seats that stated a confidence."""
    return [
        f"{seat.name}'s stated confidence: Brier {seat.calibration.brier:.3f}, "
        f"ECE {seat.calibration.ece:.3f} over {seat.calibration.answers} answers."
        for seat in report.calibration
        if seat.calibration is not None
    ]


def sampling_lines(report: EvalReport) -> list[str]:
    """How many samples self-consistency drew, and why (none when it did not run)."""
    if report.sampling is None or report.best_seat is None:
        return []
    described = report.sampling.describe(report.seat_name(report.best_seat))
    return [described[0].upper() + described[1:] + "."]


def spent_line(report: EvalReport) -> str:
    """ "Spent: 148,042 tokens · $0.42 · 426 s · 0.12 questions/s" """
    spent = report.usage
    pace = f" · {report.throughput:.2f} questions/s" if report.throughput else ""
    return (
        f"Spent: {spent.total_tokens:,} tokens · {format_cost(spent.cost_usd)} · "
        f"{report.wall_s:.0f} s{pace}"
    )


def table_line(report: EvalReport) -> str:
    """ "Table: roundtable · Ada (demo/ada), Basil (demo/basil)" """
    seats = ", ".join(f"{name} ({model})" for _, name, model in report.seats)
    return f"Table: {report.protocol} · {seats}"
