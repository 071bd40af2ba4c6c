"""`roundtable fork` and `roundtable followup`: debates that go on from a stored one.

    roundtable fork ID --from-round N [--seat MODEL]... [--drop-seat NAME]... [--json]
    roundtable followup ID "new question" [--json]

A fork copies rounds 1..N-1 (people count rounds from 1) of the parent exactly,
then plays round N on with the changed table. A follow-up asks the same table a new
question with the earlier question and final answer in front of every seat. Both
are stored linked to their parent, and `roundtable show` lists the links
(`roundtable.cli.links`). The commands are registered in `roundtable.cli.app`.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from roundtable.cli.exits import exit_with
from roundtable.cli.options import BriefOption, DbOption, IdArgument, JsonOption
from roundtable.domain import ConfigError, DebateStatus


# ---------------------------------------------------------------- the commands
# typer reads a command's options from its parameters, so commands have many.
def fork(  # noqa: PLR0917
    debate_id: IdArgument,
    from_round: Annotated[
        int,
        typer.Option(
            "--from-round",
            "-f",
            min=1,
            help="The first round to play again (1 = all of it); earlier rounds are copied.",
        ),
    ],
    seat: Annotated[
        list[str] | None,
        typer.Option(
            "--seat", "-s", help="Add a seat from that round: MODEL or NAME=MODEL. Repeatable."
        ),
    ] = None,
    drop_seat: Annotated[
        list[str] | None,
        typer.Option("--drop-seat", help="A seat (name or id) that sits out. Repeatable."),
    ] = None,
    rounds: Annotated[
        int | None,
        typer.Option("--rounds", "-r", help="Maximum rounds in all (default: the parent's)."),
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
    question: Annotated[str, typer.Argument(help="The new question for the same table.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    brief: BriefOption = False,
) -> None:
    """Ask the table of a finished debate a new question, with the earlier question and
    final answer as context; stored as the next debate of the thread."""
    exit_with(
        lambda: followup_command(debate_id, question, db=db, as_json=as_json, show_text=not brief)
    )


# ---------------------------------------------------------------- fork
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
    from roundtable.cli.human import refuse_people_in_json
    from roundtable.cli.seats import preflight, seats_from_options, with_env_api_base
    from roundtable.cli.session import run_in_terminal
    from roundtable.cli.store import open_store
    from roundtable.engine.continuation import fork_spec
    from roundtable.storage import load_debate, load_events, resolve_id

    added = tuple(with_env_api_base(seat) for seat in seats_from_options(seat_options))
    database = open_store(db)
    try:
        parent_id = resolve_id(database, debate_id)
        record = load_debate(database, parent_id)
        spec, continuation = fork_spec(
            record.spec,
            load_events(database, parent_id),
            from_round=from_round - 1,
            add=added,
            drop=drop,
            max_rounds=rounds,
        )
        continuation = dataclasses.replace(continuation, parent_id=parent_id)
        preflight(spec)
        refuse_people_in_json(spec, as_json=as_json)
        note = (
            f"Fork of {parent_id[:8]}: {rounds_phrase(from_round - 1)} copied, "
            f"playing from round {from_round}."
        )
        return run_in_terminal(
            spec,
            database=database,
            continuation=continuation,
            as_json=as_json,
            show_text=show_text,
            note=note,
            extra_json={"parent_id": parent_id, "relation": "fork", "from_round": from_round},
        )
    finally:
        database.close()


# ---------------------------------------------------------------- follow-up
def followup_command(
    debate_id: str, question: str, *, db: str | None, as_json: bool, show_text: bool
) -> int:
    from roundtable.cli.human import refuse_people_in_json
    from roundtable.cli.seats import preflight
    from roundtable.cli.session import run_in_terminal
    from roundtable.cli.store import open_store
    from roundtable.engine.continuation import followup_spec
    from roundtable.storage import load_debate, resolve_id

    database = open_store(db)
    try:
        parent_id = resolve_id(database, debate_id)
        record = load_debate(database, parent_id)
        status = record.summary.status
        if status is not DebateStatus.FINISHED:
            raise ConfigError(_unfinished(parent_id, status))
        spec, continuation = followup_spec(
            record.spec,
            parent_id=parent_id,
            question=question,
            answer=record.summary.final_answer,
            consensus=record.summary.consensus,
        )
        preflight(spec)
        refuse_people_in_json(spec, as_json=as_json)
        return run_in_terminal(
            spec,
            database=database,
            continuation=continuation,
            as_json=as_json,
            show_text=show_text,
            note=f"Follow-up to {parent_id[:8]}: the table sees its question and answer.",
            extra_json={"parent_id": parent_id, "relation": "followup"},
        )
    finally:
        database.close()


def rounds_phrase(count: int) -> str:
    """The first `count` rounds, counted from 1 as people do: "rounds 1–3"."""
    return "no round" if count == 0 else "round 1" if count == 1 else f"rounds 1–{count}"


def _unfinished(debate_id: str, status: DebateStatus) -> str:
    short = debate_id[:8]
    if status in (DebateStatus.CANCELLED, DebateStatus.INTERRUPTED):
        return (
            f"debate {short} was {status.value} and has no final answer to follow up on; "
            f"resume it first (roundtable resume {short})"
        )
    if status is DebateStatus.RUNNING:
        return f"debate {short} is still running; follow up once it has finished"
    return (
        f"debate {short} failed and has no final answer to follow up on; fork it "
        f"(roundtable fork {short} --from-round 1) or ask the question anew"
    )
