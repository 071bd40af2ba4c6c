"""`roundtable resume ID`: finish a cancelled or interrupted debate.

The debate keeps its id (see `roundtable.storage.reopen` for why): its complete
rounds stay as they are, the incomplete round's partial turns are dropped, and the
engine plays that round again and the rest, appending to the same transcript. The
terminal shows the kept rounds again first, so the reader sees the whole debate.
Planned by `roundtable.engine.continuation_service`, as in the app.
"""

# No `from __future__ import annotations`: see roundtable.cli.app.

from roundtable.cli.exits import exit_with
from roundtable.cli.fork import rounds_phrase
from roundtable.cli.options import BriefOption, BudgetOption, DbOption, IdArgument, JsonOption


def resume(
    debate_id: IdArgument,
    budget: BudgetOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    brief: BriefOption = False,
) -> None:
    """Continue a cancelled or interrupted debate from its last complete round.

    A debate stopped at its budget goes on with a higher --budget (the whole debate's,
    the kept rounds included).
    """
    exit_with(
        lambda: resume_command(
            debate_id, db=db, as_json=as_json, show_text=not brief, budget_usd=budget
        )
    )


def resume_command(
    debate_id: str,
    *,
    db: str | None,
    as_json: bool,
    show_text: bool,
    budget_usd: float | None = None,
) -> int:
    from roundtable.cli.terminal_runner import run_in_terminal
    from roundtable.engine.continuation_service import plan_resume
    from roundtable.headless.checks import check_runnable
    from roundtable.headless.stores import load_stored, open_store

    # Opening the store marks a debate whose process died as interrupted: resumable.
    database = open_store(db, must_exist=True)
    try:
        stored = load_stored(database, debate_id)
        plan = plan_resume(stored, budget_usd=budget_usd)
        check_runnable(plan.spec, as_json=as_json)
        note = (
            f"Resuming {stored.id[:8]} ({stored.status.value}): "
            f"{rounds_phrase(plan.first_round)} kept, playing from round {plan.first_round + 1}."
        )
        return run_in_terminal(
            plan, database, as_json=as_json, show_text=show_text, note=note, db=db
        )
    finally:
        database.close()
