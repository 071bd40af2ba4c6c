"""What a stored debate's status lets a person do next, and the one refusal for each case.

A resume, a follow-up and the storage that reopens a debate all check the same
statuses; the refusals are defined here, once, so the terminal, the app and the
database say the same thing (and name the fix) whichever of them notices first.
"""

from __future__ import annotations

from roundtable.domain.values import DebateStatus

#: The statuses a debate can be resumed from (it stopped before its final answer).
RESUMABLE = frozenset({DebateStatus.CANCELLED, DebateStatus.INTERRUPTED})


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
