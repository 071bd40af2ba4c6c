"""Reopening a cancelled or interrupted debate so the engine can finish it in place.

`roundtable resume ID` keeps the debate's id: the person who resumes wants the one
debate they started to end up complete, listed, shown and exported once, not a
stopped original beside a finished copy. So the debate's record is cut back to
its last complete round (the event log after that round, the incomplete round's
partial turns and the stop itself are deleted), and it is marked running again by
this process. The engine then replays the kept rounds and appends the rest.

All of it is one transaction: a resume that fails to start leaves the debate as it
was, and one that dies later leaves a running debate that the next start marks
interrupted again, to be resumed again.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from sqlalchemy import delete, select

from roundtable.domain import ConfigError, DebateStatus, TurnStatus
from roundtable.domain.continuable import RESUMABLE, not_resumable
from roundtable.storage.db import Database
from roundtable.storage.rows import Debate, EventRow, RoundRow, TurnRow


def reopen_debate(db: Database, debate_id: str, *, through_seq: int, rounds: int) -> None:
    """Cut `debate_id` back to its first `rounds` rounds, whose last logged event is
    `through_seq`, and mark it running in this process.

    ConfigError when the debate is not there, or is running, finished or failed.
    """
    with db.transaction(f"reopen debate {debate_id}", write=True) as session:
        debate = session.scalar(select(Debate).where(Debate.id == debate_id).with_for_update())
        if debate is None:
            raise ConfigError(f"no debate with id {debate_id!r}")
        if debate.status not in RESUMABLE:
            raise ConfigError(not_resumable(debate_id, debate.status))
        session.execute(
            delete(EventRow).where(EventRow.debate_id == debate_id, EventRow.seq > through_seq)
        )
        session.execute(
            delete(TurnRow).where(TurnRow.debate_id == debate_id, TurnRow.round >= rounds)
        )
        session.execute(
            delete(RoundRow).where(RoundRow.debate_id == debate_id, RoundRow.round >= rounds)
        )
        kept = session.scalars(
            select(TurnRow).where(TurnRow.debate_id == debate_id, TurnRow.status == TurnStatus.DONE)
        ).all()
        # The totals the recorder keeps as turns finish, recounted from the turns kept.
        debate.tokens = sum(turn.prompt_tokens + turn.completion_tokens for turn in kept)
        costs = [turn.cost_usd for turn in kept]
        debate.cost_usd = None if None in costs else sum((c for c in costs if c is not None), 0.0)
        debate.rounds_done = rounds
        debate.status = DebateStatus.RUNNING
        debate.status_detail = None
        debate.finished_at = None
        debate.final_answer = None
        debate.consensus = False
        debate.rule = None
        debate.tally_json = None
        debate.owner_pid = os.getpid()
        debate.owner_host = socket.gethostname()
        debate.heartbeat_at = datetime.now(UTC)
