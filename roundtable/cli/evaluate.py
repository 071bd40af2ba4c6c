"""`roundtable eval`: is my table worth it? Every question debated, baselines, a report.

`roundtable eval TASK` asks the table every question of TASK (a built-in generator or a
task file), compares it with each seat alone, the first round's majority and the best seat's
self-consistency on the same questions, and prints the report (or `--json`). A run is
stored as it goes: stopped any way, the same command finishes it and asks no finished
question again. `roundtable evals` lists the runs; `roundtable eval-report RUN` shows
one again (and writes its HTML) without calling any model.
"""

# No `from __future__ import annotations`: see roundtable.cli.app.

import json
from pathlib import Path
from typing import Annotated

import typer

from roundtable.cli.exits import err, exit_with, plain
from roundtable.cli.options import (
    DbOption,
    JsonOption,
    PanelOption,
    PrintJsonOption,
    ProtocolOption,
    RoundsOption,
    SeatOption,
    ServerConcurrencyOption,
)

BaselinesOption = Annotated[
    str,
    typer.Option(
        "--baselines",
        help="What to compare the table with, comma-separated: seats, majority, "
        "self-consistency (default: all three), or none.",
    ),
]
RuleOption = Annotated[
    str | None,
    typer.Option(
        "--rule",
        metavar="RULE",
        help="Also count the table's last-round answers by the vote weighted by each seat's "
        "track record (record-weighted) and compare it with the confidence-weighted vote; "
        "no model is called for it.",
    ),
]
HtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        help="Where to write the HTML report (default: the reports folder beside the database).",
    ),
]


# typer reads a command's options from its parameters, so commands have many.
def eval_command(  # noqa: PLR0917
    task: Annotated[
        str,
        typer.Argument(
            metavar="TASK",
            help="A built-in task (arithmetic) or a task file: GSM8K JSONL, MMLU CSV, or "
            "JSONL/CSV with question and answer.",
        ),
    ],
    seat: SeatOption = None,
    panel: PanelOption = None,
    protocol: ProtocolOption = None,
    rounds: RoundsOption = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Ask only the first N questions.")
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the generated questions and demo seats.")
    ] = 0,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency", "-c", min=1, max=256, help="Model calls in flight at once, in all."
        ),
    ] = 4,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            min=0.0,
            help="Stop before the question that would take the run's cost over this many USD.",
        ),
    ] = None,
    baselines: BaselinesOption = "seats,majority,self-consistency",
    estimate: Annotated[
        bool,
        typer.Option("--estimate", help="Print the run's token and cost range; call no model."),
    ] = False,
    html: HtmlOption = None,
    rule: RuleOption = None,
    server_concurrency: ServerConcurrencyOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Evaluate the table on a task against its own seats and baselines.

    With no --seat and no --panel, the offline demo table sits (its seats are simulated).
    """
    from roundtable.cli.evaluation_run import evaluate
    from roundtable.headless.evaluations import EvalRequest

    request = EvalRequest(
        task=task,
        seat_options=seat or [],
        panel_path=panel,
        protocol=protocol,
        rounds=rounds,
        limit=limit,
        seed=seed,
        concurrency=concurrency,
        budget_usd=budget,
        baselines=baselines,
        db=db,
        as_json=as_json,
        html=html,
        estimate_only=estimate,
        rule=rule,
        server_options=server_concurrency or [],
    )
    exit_with(lambda: evaluate(request))


def evals(db: DbOption = None, as_json: PrintJsonOption = False) -> None:
    """List the evaluation runs, newest first."""
    exit_with(lambda: _list_runs(db, as_json=as_json))


def eval_report(
    run_id: Annotated[str, typer.Argument(metavar="RUN", help="A run id (a prefix will do).")],
    html: HtmlOption = None,
    rule: RuleOption = None,
    db: DbOption = None,
    as_json: PrintJsonOption = False,
) -> None:
    """Show a stored evaluation run's report again and write its HTML; calls no model."""
    exit_with(lambda: _show_report(run_id, html=html, db=db, as_json=as_json, rule=rule))


def _list_runs(db: str | None, *, as_json: bool) -> int:
    from rich.console import Console
    from rich.table import Table

    from roundtable.domain.formatting import format_cost
    from roundtable.headless.stores import open_store
    from roundtable.storage.evaluations import list_eval_runs

    database = open_store(db, must_exist=True)
    try:
        runs = list_eval_runs(database)
    finally:
        database.close()
    if as_json:
        rows = [
            {
                "id": run.id,
                "created_at": run.created_at.isoformat(),
                "task": run.task_name,
                "status": run.status.value,
                "asked": run.asked,
                "total": run.total,
                "correct": run.correct,
                "accuracy": run.accuracy,
                "cost_usd": run.cost_usd,
                "seats": list(run.seats),
                "protocol": run.protocol,
                "simulated": run.simulated,
            }
            for run in runs
        ]
        typer.echo(json.dumps(rows, indent=2))
        return 0
    if not runs:
        err.print("No evaluation runs yet. Try: roundtable eval arithmetic --limit 20")
        return 0
    table = Table(box=None, pad_edge=False, header_style="bold")
    for title in ("id", "task", "status", "asked", "accuracy", "cost", "table"):
        table.add_column(title, overflow="fold")
    for run in runs:
        accuracy = "—" if run.accuracy is None else f"{100 * run.accuracy:.0f} %"
        seats = ", ".join(run.seats) + (" (simulated)" if run.simulated else "")
        table.add_row(
            run.id[:8],
            plain(run.task_name),
            run.status.value,
            f"{run.asked}/{run.total}",
            accuracy,
            format_cost(run.cost_usd),
            plain(f"{run.protocol}: {seats}"),
        )
    Console(highlight=False).print(table)
    return 0


def _show_report(
    run_id: str, *, html: Path | None, db: str | None, as_json: bool, rule: str | None = None
) -> int:
    from roundtable.cli.evaluation_run import print_report, write_html
    from roundtable.headless.evaluations import report_for
    from roundtable.headless.stores import open_store
    from roundtable.storage.evaluations import load_eval_run

    database = open_store(db, must_exist=True)
    try:
        report, rules = report_for(load_eval_run(database, run_id), rule)
        written = write_html(report, html, database, db)
    finally:
        database.close()
    print_report(report, as_json=as_json, html_path=written, rules=rules)
    return 0
