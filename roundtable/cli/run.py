"""`roundtable run`: one new debate, headless, in this process (DESIGN.md).

The command is registered in `roundtable.cli.app`; the debate runs in
`roundtable.cli.terminal_runner`, like every other command that runs one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from roundtable.cli.exits import exit_with
from roundtable.cli.options import BriefOption, BudgetOption, DbOption, JsonOption
from roundtable.cli.question import read_question, reads_stdin

#: The question a new user is offered: Du et al.'s arithmetic task, which the demo
#: models get wrong in different ways, so the table visibly converges.
SAMPLE_QUESTION = "What is 12+17*23+4-9*14?"


# typer reads a command's options from its parameters, so commands have many.
def run(  # noqa: PLR0917
    question: Annotated[
        str | None,
        typer.Argument(
            metavar="QUESTION",
            help="The question for the table (Markdown allowed); - or a pipe reads it "
            "from standard input.",
            show_default=False,
        ),
    ] = None,
    seat: Annotated[
        list[str] | None,
        typer.Option(
            "--seat", "-s", help="A seat: MODEL or NAME=MODEL (litellm id). Repeat for more."
        ),
    ] = None,
    panel: Annotated[
        Path | None, typer.Option("--panel", "-p", help="A TOML panel file listing the seats.")
    ] = None,
    protocol: Annotated[str | None, typer.Option("--protocol", help="Debate protocol.")] = None,
    rounds: Annotated[
        int | None,
        typer.Option("--rounds", "-r", help="Maximum rounds, round 0 included (default 3)."),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Share of seats that must agree to stop early.")
    ] = 1.0,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed for reproducible demo runs.")
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=1.0,
            max=3600.0,
            help="Seconds a seat may stay silent (before its first word or mid-reply) "
            "before its turn is retried once, then fails (default 60).",
        ),
    ] = None,
    chair: Annotated[
        str | None,
        typer.Option(
            "--chair",
            help="Seat name: council chair ('elected' for the best ranked), mixture "
            "aggregator, or moderated judge.",
        ),
    ] = None,
    judge: Annotated[
        str | None,
        typer.Option("--judge", help="Seat name that rates agreement on free-form answers."),
    ] = None,
    budget: BudgetOption = None,
    estimate: Annotated[
        bool,
        typer.Option(
            "--estimate",
            help="Print the token and cost range of this debate and exit; no model is called.",
        ),
    ] = False,
    rule: Annotated[
        str | None,
        typer.Option(
            "--rule",
            help="record-weighted: if the table does not agree, weigh each seat's answer by "
            "its model's track record from your eval runs instead of the protocol's rule.",
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    brief: BriefOption = False,
) -> None:
    """Run one debate in the terminal and store it.

    With no --seat and no --panel, the offline demo table sits.
    """
    exit_with(
        lambda: run_command(
            read_question(question),
            question_from_stdin=reads_stdin(question),
            seat_options=seat or [],
            panel_path=panel,
            protocol=protocol,
            rounds=rounds,
            threshold=threshold,
            seed=seed,
            db=db,
            as_json=as_json,
            show_text=not brief,
            turn_timeout_s=timeout,
            chair=chair,
            judge=judge,
            budget_usd=budget,
            estimate_only=estimate,
            rule=rule,
        )
    )


def run_command(
    question: str,
    *,
    seat_options: list[str],
    panel_path: Path | None,
    protocol: str | None,
    rounds: int | None,
    threshold: float,
    seed: int | None,
    db: str | None,
    as_json: bool,
    show_text: bool,
    turn_timeout_s: float | None = None,
    chair: str | None = None,
    judge: str | None = None,
    budget_usd: float | None = None,
    estimate_only: bool = False,
    rule: str | None = None,
    question_from_stdin: bool = False,
) -> int:
    """Validate, open the database, run the debate, print it; return the exit code.

    With `estimate_only`, print the debate's estimate instead (nothing is called or
    stored). Raises ConfigError / StorageError for bad input (exit 2) before anything
    is written.
    """
    from roundtable.cli import track_records
    from roundtable.cli.human import refuse_people_after_stdin
    from roundtable.cli.seats import build_spec
    from roundtable.cli.store import open_store
    from roundtable.cli.terminal_runner import check_runnable, run_in_terminal

    spec = build_spec(
        question,
        seat_options=seat_options,
        panel_path=panel_path,
        protocol=protocol,
        rounds=rounds,
        threshold=threshold,
        seed=seed,
        turn_timeout_s=turn_timeout_s,
        chair=chair,
        judge=judge,
        budget_usd=budget_usd,
    )
    if estimate_only:
        from roundtable.cli.estimate import print_estimate

        return print_estimate(spec, as_json=as_json)
    check_runnable(spec, as_json=as_json)
    if question_from_stdin:
        refuse_people_after_stdin(spec)
    by_record = track_records.check_rule(rule, spec.protocol)
    database = open_store(db)
    try:
        if by_record:  # resolved here: the engine is given the weights, never the database
            spec = track_records.with_record_weights(spec, database)
        return run_in_terminal(spec, database, as_json=as_json, show_text=show_text, db=db)
    finally:
        database.close()
