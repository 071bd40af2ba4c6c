"""What a stored debate's status lets a person do next, and the one refusal for each case.

A resume, a follow-up and the storage that reopens a debate all check the same
statuses; the refusals are defined here, once, so the terminal, the app and the
database say the same thing (and name the fix) whichever of them notices first.
"""

from __future__ import annotations

from roundtable.domain.values import DebateStatus

#: The statuses a debate can be resumed from (it stopped before its final answer).
RESUMABLE = frozenset({DebateStatus.CANCELLED, DebateStatus.INTERRUPTED})

#: How the reason of a debate stopped at its budget starts (a `DebateCancelled`'s
#: reason, the stored status detail): "budget $2.00 would be crossed: …".
BUDGET_STOP_PREFIX = "budget "


def is_budget_stop(reason: str | None) -> bool:
    """Whether a stopped debate's reason is its budget (resumable with a higher one)."""
    return bool(reason) and str(reason).startswith(BUDGET_STOP_PREFIX)


def needs_higher_budget(debate_id: str, budget: str) -> str:
    """Why a debate stopped at its budget is not resumed as it is, and the fix."""
    return (
        f"debate {debate_id} stopped at its budget of {budget}, and resuming it with the "
        f"same budget would stop it again; give it a higher one "
        f"(roundtable resume {debate_id[:8]} --budget USD)"
    )


def not_resumable(debate_id: str, status: DebateStatus) -> str:
    """Why a debate in `status` cannot be resumed, and what to do instead."""
    if status is DebateStatus.FINISHED:
        return (
            f"debate {debate_id} already finished; use fork to continue it differently "
            f"(roundtable fork {debate_id[:8]} --from-round N)"
        )
    if status is DebateStatus.RUNNING:
        return (
            f"debate {debate_id} is still running in another Roundtable process; "
            "stop it there first, or wait for it to finish"
        )
    return (
        f"debate {debate_id} {status.value}: only a cancelled or interrupted debate can be "
        f"resumed; use fork to run it again from a round (roundtable fork {debate_id[:8]} "
        "--from-round N)"
    )


def not_followable(debate_id: str, status: DebateStatus) -> str:
    """Why a debate in `status` (not finished) cannot be followed up, and what to do instead."""
    short = debate_id[:8]
    if status in RESUMABLE:
        return (
            f"debate {debate_id} was {status.value} and has no final answer to follow up "
            f"on; resume it first (roundtable resume {short})"
        )
    if status is DebateStatus.RUNNING:
        return f"debate {debate_id} is still running; follow up once it has finished"
    return (
        f"debate {debate_id} failed and has no final answer to follow up on; fork it "
        f"(roundtable fork {short} --from-round 1) or ask the question anew"
    )
