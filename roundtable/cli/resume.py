"""`roundtable resume ID`: finish a cancelled or interrupted debate.

The debate keeps its id (see `roundtable.storage.reopen` for why): its complete
rounds stay as they are, the incomplete round's partial turns are dropped, and the
engine plays that round again and the rest, appending to the same transcript. The
terminal shows the kept rounds again first, so the reader sees the whole debate.
"""

from __future__ import annotations

from roundtable.cli.exits import exit_with
from roundtable.cli.fork import rounds_phrase
from roundtable.cli.options import BriefOption, DbOption, IdArgument, JsonOption
from roundtable.domain import ConfigError, DebateStarted


def resume(
    debate_id: IdArgument,
    db: DbOption = None,
    as_json: JsonOption = False,
    brief: BriefOption = False,
) -> None:
    """Continue a cancelled or interrupted debate from its last complete round."""
    exit_with(lambda: resume_command(debate_id, db=db, as_json=as_json, show_text=not brief))


def resume_command(debate_id: str, *, db: str | None, as_json: bool, show_text: bool) -> int:
    from roundtable.cli.human import refuse_people_in_json
    from roundtable.cli.seats import preflight
    from roundtable.cli.session import run_in_terminal
    from roundtable.cli.store import open_store
    from roundtable.engine.continuation import resume_plan
    from roundtable.storage import load_debate, load_events, resolve_id
    from roundtable.domain.continuable import RESUMABLE, not_resumable
    from roundtable.storage.reopen import reopen_debate

    # Opening the store marks a debate whose process died as interrupted: resumable.
    database = open_store(db)
    try:
        full_id = resolve_id(database, debate_id)
        status = load_debate(database, full_id).summary.status
        if status not in RESUMABLE:
            raise ConfigError(not_resumable(full_id, status))
        events = load_events(database, full_id)
        plan = resume_plan(events)
        started = events[0]
        assert isinstance(started, DebateStarted)  # resume_plan checked it
        spec = started.spec
        preflight(spec)
        refuse_people_in_json(spec, as_json=as_json)
        rounds = plan.first_round
        note = (
            f"Resuming {full_id[:8]} ({status.value}): {rounds_phrase(rounds)} kept, "
            f"playing from round {rounds + 1}."
        )
        return run_in_terminal(
            spec,
            database=database,
            continuation=plan.continuation,
            debate_id=full_id,
            recorded_through=plan.through_seq,
            before_start=lambda: reopen_debate(
                database, full_id, through_seq=plan.through_seq, rounds=rounds
            ),
            as_json=as_json,
            show_text=show_text,
            note=note,
            extra_json={"resumed_from_round": rounds + 1},
        )
    finally:
        database.close()
