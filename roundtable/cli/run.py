"""`roundtable run`: one new debate, headless, in this process (DESIGN.md).

The command is registered in `roundtable.cli.app`; the debate runs in
`roundtable.cli.terminal_runner`, like every other command that runs one.
"""

# No `from __future__ import annotations`: see roundtable.cli.app.

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from roundtable.cli.exits import exit_with
from roundtable.cli.options import (
    BriefOption,
    BudgetOption,
    DbOption,
    JsonOption,
    PanelOption,
    ProtocolOption,
    RoundsOption,
    SeatOption,
    ServerConcurrencyOption,
)
from roundtable.domain import ConfigError

if TYPE_CHECKING:
    from roundtable.domain.panel import Panel
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
    seat: SeatOption = None,
    panel: PanelOption = None,
    protocol: ProtocolOption = None,
    rounds: RoundsOption = None,
    persona: Annotated[
        str | None,
        typer.Option(
            "--persona",
            "--system",
            metavar="TEXT",
            help="A system prompt for every seat that has none of its own "
            '(e.g. "You are a careful statistician.").',
        ),
    ] = None,
    temperature: Annotated[
        float | None,
        typer.Option(
            "--temperature",
            "-t",
            metavar="NUMBER",
            help="Sampling temperature, 0 to 2, for every seat that has none of its own "
            "(default: each model's).",
        ),
    ] = None,
    max_tokens: Annotated[
        int | None,
        typer.Option(
            "--max-tokens",
            metavar="N",
            help="The longest reply, in tokens, for every seat that has no limit of its own "
            "(default 4,096, more for reasoning models, never above a model's own limit).",
        ),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            metavar="SHARE",
            help="Share of seats that must agree to stop early (0.75: three in four).",
        ),
    ] = 1.0,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="N", help="Seed for reproducible demo runs.")
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=1.0,
            max=3600.0,
            metavar="SECONDS",
            help="Seconds a seat may stay silent (before its first word or mid-reply) "
            "before its turn is retried once, then fails (default 60).",
        ),
    ] = None,
    turn_deadline: Annotated[
        float | None,
        typer.Option(
            "--turn-deadline",
            min=1.0,
            max=86400.0,
            metavar="SECONDS",
            help="The longest one turn may take in all, even from a seat that keeps "
            "talking slowly; then its text so far is kept, marked incomplete (default 600).",
        ),
    ] = None,
    chair: Annotated[
        str | None,
        typer.Option(
            "--chair",
            metavar="NAME",
            help="Seat name: council chair ('elected' for the best ranked), mixture "
            "aggregator, or moderated judge.",
        ),
    ] = None,
    judge: Annotated[
        str | None,
        typer.Option(
            "--judge", metavar="NAME", help="Seat name that rates agreement on free-form answers."
        ),
    ] = None,
    save: Annotated[
        str | None,
        typer.Option(
            "--save",
            metavar="NAME",
            help="Also save this table (seats, protocol, rounds) by NAME, for --panel NAME "
            "here and Saved tables in the app.",
        ),
    ] = None,
    budget: BudgetOption = None,
    server_concurrency: ServerConcurrencyOption = None,
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
            metavar="RULE",
            help="record-weighted: if the table does not agree, weigh each seat's answer by "
            "its model's track record from your eval runs instead of the protocol's rule.",
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help="Stream the debate's events as JSON lines, one per event, as they happen.",
        ),
    ] = False,
    brief: BriefOption = False,
) -> None:
    """Run one debate in the terminal and store it.

    With no --seat and no --panel, the offline demo table sits.
    """
    exit_with(
        lambda: run_command(
            RunRequest(
                read_question(question),
                question_from_stdin=reads_stdin(question),
                seat_options=seat or [],
                panel=panel,
                protocol=protocol,
                rounds=rounds,
                persona=persona,
                temperature=temperature,
                max_tokens=max_tokens,
                threshold=threshold,
                seed=seed,
                db=db,
                as_json=as_json,
                as_jsonl=as_jsonl,
                show_text=not brief,
                turn_timeout_s=timeout,
                turn_deadline_s=turn_deadline,
                chair=chair,
                judge=judge,
                budget_usd=budget,
                estimate_only=estimate,
                rule=rule,
                save_as=save,
                server_options=server_concurrency or [],
            )
        )
    )


@dataclass(frozen=True, slots=True)
class RunRequest:
    """What `roundtable run` was asked for (the demo table and defaults when empty)."""

    question: str
    seat_options: list[str] = field(default_factory=list)
    panel: str | None = None
    protocol: str | None = None
    rounds: int | None = None
    persona: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    threshold: float = 1.0
    seed: int | None = None
    db: str | None = None
    as_json: bool = False
    as_jsonl: bool = False
    show_text: bool = True
    turn_timeout_s: float | None = None
    turn_deadline_s: float | None = None
    chair: str | None = None
    judge: str | None = None
    budget_usd: float | None = None
    estimate_only: bool = False
    rule: str | None = None
    save_as: str | None = None
    question_from_stdin: bool = False
    server_options: list[str] = field(default_factory=list)


def run_command(request: RunRequest) -> int:
    """Validate, open the database, run the debate, print it; return the exit code.

    With `estimate_only`, print the debate's estimate instead (nothing is called or
    stored). Raises ConfigError / StorageError for bad input (exit 2) before anything
    is written (a table saved with --save is saved once the table is known to be sound).
    """
    from roundtable.cli import track_records
    from roundtable.cli.human import refuse_people_after_stdin
    from roundtable.cli.terminal_runner import run_in_terminal
    from roundtable.headless.checks import check_runnable
    from roundtable.headless.evaluations import check_rule
    from roundtable.headless.stores import open_store
    from roundtable.headless.tables import chosen_table, spec_for

    if request.as_json and request.as_jsonl:
        raise ConfigError("choose one of --json (one object at the end) and --jsonl (events)")
    machine = request.as_json or request.as_jsonl
    table = chosen_table(
        seat_options=request.seat_options,
        panel_path=request.panel,
        protocol=request.protocol,
        rounds=request.rounds,
        chair=request.chair,
        judge=request.judge,
        persona=request.persona,
        temperature=request.temperature,
        server_options=request.server_options,
        max_tokens=request.max_tokens,
    )
    spec = spec_for(
        request.question,
        table,
        threshold=request.threshold,
        seed=request.seed,
        turn_timeout_s=request.turn_timeout_s,
        turn_deadline_s=request.turn_deadline_s,
        budget_usd=request.budget_usd,
    )
    if request.estimate_only:
        from roundtable.cli.estimate import print_estimate

        _save(request.save_as, table)
        return print_estimate(spec, as_json=request.as_json)
    check_runnable(spec, as_json=machine)
    if request.question_from_stdin:
        refuse_people_after_stdin(spec)
    by_record = check_rule(request.rule, spec.protocol)
    _save(request.save_as, table)
    database = open_store(request.db)
    try:
        if by_record:  # resolved here: the engine is given the weights, never the database
            spec = track_records.with_record_weights(spec, database)
        return run_in_terminal(
            spec,
            database,
            as_json=request.as_json,
            as_jsonl=request.as_jsonl,
            show_text=request.show_text,
            db=request.db,
        )
    finally:
        database.close()


def _save(name: str | None, table: "Panel") -> None:
    """--save NAME: the table as a saved panel, said on stderr (stdout may be JSON)."""
    if name is None:
        return
    from roundtable.cli.exits import err
    from roundtable.headless.saved_tables import save_table

    path, replaced = save_table(name, table)
    verb = "Replaced the saved table" if replaced else "Saved the table as"
    err.print(Text(f"{verb} {path.stem} ({path}); use it with --panel {path.stem}"), soft_wrap=True)
