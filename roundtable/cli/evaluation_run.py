"""The work behind `roundtable eval` on a terminal: the run's steps
(`headless.evaluations`, shared with the MCP server) with a progress bar, Ctrl+C,
the estimate and the printed report.

Kept apart from the command's options (`cli.evaluate`) so that `roundtable --help`
does not import the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from roundtable.cli import track_records
from roundtable.cli.exits import EXIT_FAILED, err, exit_stopped, plain, stopped_how
from roundtable.domain import StorageError
from roundtable.domain.evaluation import (
    Baseline,
    EvalItem,
    EvalRunRecord,
    EvalSettings,
    EvalStatus,
)
from roundtable.domain.formatting import format_cost
from roundtable.engine.evaluation import run as eval_run
from roundtable.engine.evaluation.report import EvalReport
from roundtable.engine.evaluation.report_json import report_to_dict
from roundtable.engine.evaluation.report_text import (
    TextTable,
    closing_lines,
    methods_table,
    paired_tests,
    rounds_table,
    simulated_banner,
    spent_line,
    table_line,
)
from roundtable.engine.evaluation.stats import total_cost
from roundtable.engine.evaluation.vote_rules import RuleComparison
from roundtable.headless.evaluations import (
    EvalRequest,
    check_run,
    open_run,
    plan_run,
    report_for,
    sit,
)
from roundtable.headless.stores import open_store
from roundtable.storage import Database
from roundtable.storage import evaluations as store


def evaluate(request: EvalRequest) -> int:
    """Check everything, then find the unfinished run of these settings or start one.

    Bad input (a malformed task file, an unknown model, a missing key) is refused with
    ConfigError before the database is opened or any model is called.
    """
    planned = plan_run(request)
    if request.estimate_only:  # before the key checks: an estimate calls no model
        return _print_estimate(planned.settings, planned.items, as_json=request.as_json)
    check_run(planned, request)
    database = open_store(request.db)
    try:
        run = open_run(database, planned, budget_usd=request.budget_usd)
        if run.done and not request.as_json:
            err.print(
                f"Resuming evaluation run {run.id[:8]}: {len(run.done)} of "
                f"{len(run.questions)} questions are done and will not be asked again."
            )
        code = _run(run, database, request)
        report, rules = report_for(store.load_eval_run(database, run.id), request.rule)
        written = write_html(report, request.html, database, request.db)
    finally:
        database.close()
    print_report(report, as_json=request.as_json, html_path=written, rules=rules)
    return code


# ---------------------------------------------------------------- running
def _run(run: EvalRunRecord, database: Database, request: EvalRequest) -> int:
    """Run the sitting; record how it ended; the exit code."""
    from roundtable.headless.stop_signal import sigterm_as_ctrl_c

    outcome: eval_run.Outcome | None = None
    with _progress_bar(enabled=not request.as_json) as show:
        try:
            with sigterm_as_ctrl_c():  # `kill`, a logout: stop and keep, as Ctrl+C does
                outcome = asyncio.run(sit(run, database, request, progress=show))
        except KeyboardInterrupt:  # Ctrl+C, or SIGTERM handled as Ctrl+C
            store.end_sitting(
                database,
                run.id,
                EvalStatus.INTERRUPTED,
                detail=f"Stopped {stopped_how()}. Run the same command again to finish.",
            )
            err.print(
                f"Stopped {stopped_how()}. Every finished question is kept; run the same "
                "command again to ask the rest."
            )
            return exit_stopped()
        except (StorageError, ExceptionGroup) as exc:
            reason = _storage_failure(exc)
            if reason is None:
                raise
            with contextlib.suppress(StorageError):
                store.end_sitting(database, run.id, EvalStatus.INTERRUPTED, detail=str(reason))
            raise StorageError(
                f"The evaluation stopped: {reason} Every question finished before is kept; "
                "free space (or fix the database), then run the same command again."
            ) from None
    assert outcome is not None
    store.end_sitting(
        database, run.id, outcome.status, detail=outcome.detail, wall_s=outcome.wall_s
    )
    if outcome.status is EvalStatus.FINISHED:
        return 0
    err.print(Text(outcome.detail, style="yellow"))
    return EXIT_FAILED


def _storage_failure(exc: BaseException) -> StorageError | None:
    """The failed write inside `exc` (the run's task groups wrap what they raise)."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            if (found := _storage_failure(inner)) is not None:
                return found
    return None


@contextlib.contextmanager
def _progress_bar(*, enabled: bool) -> Iterator[Callable[[eval_run.Progress], None]]:
    """A progress bar on stderr with the ETA, running accuracy and spend."""
    if not enabled:
        yield lambda _: None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[accuracy]}"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[spent]}"),
        console=err,
        transient=False,
    )
    tasks: dict[str, TaskID] = {}

    def show(progress: eval_run.Progress) -> None:
        accuracy = (
            f"table right {progress.correct}/{progress.asked}"
            f" ({100 * progress.correct / progress.asked:.0f} %)"
            if progress.asked
            else ""
        )
        label = "debating" if progress.phase == "debates" else "sampling the baseline"
        if progress.phase not in tasks:
            tasks[progress.phase] = bar.add_task(
                label, total=progress.total, accuracy=accuracy, spent=""
            )
        bar.update(
            tasks[progress.phase],
            completed=progress.done,
            accuracy=accuracy,
            spent=format_cost(progress.spent_usd),
        )

    with bar:
        yield show


# ---------------------------------------------------------------- the estimate
def _print_estimate(settings: EvalSettings, items: Sequence[EvalItem], *, as_json: bool) -> int:
    """The whole run's token and cost range, question by question; no model is called.

    Self-consistency spends about what the table does (its k is chosen so), so with that
    baseline the range doubles; the seats alone and the majority cost nothing extra.
    """
    from roundtable.engine.estimate import estimate_debate
    from roundtable.providers.prices import seat_price

    estimates = [
        estimate_debate(replace(settings.table, question=item.prompt), seat_price) for item in items
    ]
    factor = 2 if Baseline.SELF_CONSISTENCY in settings.baselines else 1
    tokens = (
        factor * sum(one.low_tokens for one in estimates),
        factor * sum(one.high_tokens for one in estimates),
    )
    low = total_cost(one.low_cost_usd for one in estimates)
    high = total_cost(one.high_cost_usd for one in estimates)
    cost = (
        None if low is None else factor * low,
        None if high is None else factor * high,
    )
    unpriced = sorted({name for one in estimates for name in one.unpriced})
    if as_json:
        print(
            json.dumps(
                {
                    "questions": len(items),
                    "tokens": {"low": tokens[0], "high": tokens[1]},
                    "cost_usd": {"low": cost[0], "high": cost[1]},
                    "unpriced_seats": unpriced,
                    "self_consistency_included": factor == 2,
                    "simulated": settings.simulated,
                }
            )
        )
        return 0
    if cost[0] is None or cost[1] is None:
        money = f"cost unknown (no price for {', '.join(unpriced)}; set price_in / price_out)"
    elif cost[1] == 0:
        money = "free"
    else:
        money = f"{format_cost(cost[0])} to {format_cost(cost[1])}"
    baseline = " with the self-consistency baseline" if factor == 2 else ""
    Console(highlight=False).print(
        f"Estimate for {len(items)} questions{baseline}: {tokens[0]:,} to {tokens[1]:,} "
        f"tokens, {money}. No model was called."
    )
    return 0


# ---------------------------------------------------------------- the report
def write_html(
    report: EvalReport, html: Path | None, database: Database, db: str | None = None
) -> Path:
    """Write the HTML report (to `html`, else the reports folder); its path."""
    from roundtable.cli.manage import reports_folder
    from roundtable.export.eval_report import eval_report_html

    path = html or reports_folder(db) / f"eval-{report.run_id[:8]}.html"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(eval_report_html(report), encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"Could not write the report to {path}: {exc.strerror}.") from exc
    return path


def print_report(
    report: EvalReport,
    *,
    as_json: bool,
    html_path: Path | None,
    rules: RuleComparison | None = None,
) -> None:
    """`rules`: --rule record-weighted's own test of the two vote rules (their rows are
    already among the report's methods)."""
    if as_json:
        data = report_to_dict(report)
        data["html_report"] = str(html_path) if html_path else None
        if rules is not None:
            data["vote_rules"] = track_records.comparison_to_dict(rules)
        print(json.dumps(data, indent=2, default=str))
        return
    console = Console(highlight=False)
    for renderable in report_lines(report):
        console.print(renderable)
    if rules is not None:
        console.print(Text(rules.describe()))
    if html_path is not None:
        console.print(Text(f"Report: {html_path}", style="bold"))


def report_lines(report: EvalReport) -> list[Text | Table]:
    """The report for a terminal, as Rich renderables (texts escaped, never markup)."""
    out: list[Text | Table] = [
        Text.assemble(
            (f"Evaluation {report.run_id[:8]}", "bold"),
            f" · {plain(report.task_name)} ({plain(report.task_source)}) · "
            f"{report.asked} of {report.total} questions · {report.status.value}",
        ),
        Text(plain(table_line(report))),
    ]
    if report.simulated:
        out.append(Text(plain(simulated_banner(report)), style="yellow"))
    if report.status_detail:
        out.append(Text(report.status_detail, style="yellow"))
    if not report.asked:
        return out
    out += [
        Text(""),
        _rich_table(rounds_table(report)),
        Text(""),
        _rich_table(methods_table(report)),
    ]
    out += [Text(plain(line)) for line in paired_tests(report)]
    out.append(Text(""))
    out += [Text(plain(line)) for line in closing_lines(report)]
    out.append(Text(spent_line(report)))
    out.append(Text(""))
    out.append(Text(f"Is the table worth it? {plain(report.verdict())}", style="bold"))
    return out


def _rich_table(text: TextTable) -> Table:
    table = Table(title=text.title, title_justify="left", box=None)
    for index, header in enumerate(text.headers):
        table.add_column(plain(header), justify="right" if index >= text.numeric_from else "left")
    for row in text.rows:
        table.add_row(*(plain(cell) for cell in row))
    return table
