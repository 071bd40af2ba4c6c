"""`roundtable fork` and `roundtable followup`: debates that go on from a stored one.

    roundtable fork ID --from-round N [--seat MODEL]... [--drop-seat NAME]... [--json]
    roundtable followup ID "new question" [--json]

A fork copies rounds 1..N-1 (people count rounds from 1) of the parent exactly,
then plays round N on with the changed table. A follow-up asks the same table a new
question with the earlier question and final answer in front of every seat. Both
are planned by `roundtable.engine.continuation_service` (as in the app), run by
`roundtable.cli.terminal_runner`, and stored linked to their parent
(`roundtable show` lists the links). The commands are registered in `roundtable.cli.app`.
"""

# No `from __future__ import annotations`: see roundtable.cli.app.

from typing import Annotated

import typer

from roundtable.cli.exits import exit_with
from roundtable.cli.options import BriefOption, DbOption, IdArgument, JsonOption
from roundtable.cli.question import read_question


# typer reads a command's options from its parameters, so commands have many.
def fork(  # noqa: PLR0917
    debate_id: IdArgument,
    from_round: Annotated[
        int,
        typer.Option(
            "--from-round",
            "-f",
            min=1,
            metavar="N",
            help="The first round to play again (1 = all of it); earlier rounds are copied.",
        ),
    ],
    seat: Annotated[
        list[str] | None,
        typer.Option(
            "--seat",
            "-s",
            metavar="MODEL",
            help="Add a seat from that round: MODEL or NAME=MODEL. Repeatable.",
        ),
    ] = None,
    drop_seat: Annotated[
        list[str] | None,
        typer.Option(
            "--drop-seat", metavar="NAME", help="A seat (name or id) that sits out. Repeatable."
        ),
    ] = None,
    rounds: Annotated[
        int | None,
        typer.Option(
            "--rounds", "-r", metavar="N", help="At most N rounds in all (default: the parent's)."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    brief: BriefOption = False,
) -> None:
    """Fork a stored debate: copy its rounds before --from-round, then go on with a
    changed table (seats added with --seat, removed with --drop-seat)."""
    exit_with(
        lambda: fork_command(
            debate_id,
            from_round=from_round,
            seat_options=seat or [],
            drop=drop_seat or [],
            rounds=rounds,
            db=db,
            as_json=as_json,
            show_text=not brief,
        )
    )


def followup(
    debate_id: IdArgument,
    question: Annotated[
        str,
        typer.Argument(
            metavar="QUESTION",
            help="The new question for the same table; - reads it from standard input.",
        ),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
    brief: BriefOption = False,
) -> None:
    """Ask the table of a finished debate a new question, with the earlier question and
    final answer as context; stored as the next debate of the thread."""
    exit_with(
        lambda: followup_command(
            debate_id, read_question(question), db=db, as_json=as_json, show_text=not brief
        )
    )


def fork_command(
    debate_id: str,
    *,
    from_round: int,
    seat_options: list[str],
    drop: list[str],
    rounds: int | None,
    db: str | None,
    as_json: bool,
    show_text: bool,
) -> int:
    """`from_round` counts from 1, as people do; the engine counts from 0."""
    from roundtable.cli.terminal_runner import run_in_terminal
    from roundtable.engine.continuation_service import plan_fork
    from roundtable.headless.checks import check_runnable
    from roundtable.headless.stores import load_stored, open_store
    from roundtable.headless.tables import seats_from_options, with_env_api_base

    added = tuple(with_env_api_base(seat) for seat in seats_from_options(seat_options))
    database = open_store(db, must_exist=True)
    try:
        parent = load_stored(database, debate_id)
        plan = plan_fork(parent, from_round=from_round - 1, add=added, drop=drop, max_rounds=rounds)
        check_runnable(plan.spec, as_json=as_json)
        note = (
            f"Fork of {parent.id[:8]}: {rounds_phrase(plan.first_round)} copied, "
            f"playing from round {from_round}."
        )
        return run_in_terminal(
            plan, database, as_json=as_json, show_text=show_text, note=note, db=db
        )
    finally:
        database.close()


def followup_command(
    debate_id: str, question: str, *, db: str | None, as_json: bool, show_text: bool
) -> int:
    from roundtable.cli.terminal_runner import run_in_terminal
    from roundtable.engine.continuation_service import plan_followup
    from roundtable.headless.checks import check_runnable
    from roundtable.headless.stores import load_stored, open_store

    database = open_store(db, must_exist=True)
    try:
        parent = load_stored(database, debate_id)
        plan = plan_followup(parent, question)
        check_runnable(plan.spec, as_json=as_json)
        note = f"Follow-up to {parent.id[:8]}: the table sees its question and answer."
        return run_in_terminal(
            plan, database, as_json=as_json, show_text=show_text, note=note, db=db
        )
    finally:
        database.close()


def rounds_phrase(count: int) -> str:
    """The first `count` rounds, counted from 1 as people do: "rounds 1–3"."""
    return "no round" if count == 0 else "round 1" if count == 1 else f"rounds 1–{count}"
