"""The rows a debate starts with: the debate's own and one per seat, as column values.

Made the same way for a debate recorded live (`projection.apply_event`) and one
imported in bulk (`projection.project_debate`).
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from roundtable.domain import DebateStarted, DebateStatus
from roundtable.domain.events import to_jsonable
from roundtable.storage.people import current_user
from roundtable.storage.row_values import Values, blank
from roundtable.storage.rows import Debate

#: Longest title made from a question when the spec has none.
TITLE_CHARS = 80


def default_title(question: str) -> str:
    """A debate's title when none was given: the question's first line, shortened."""
    first = next((line.strip() for line in question.splitlines() if line.strip()), "")
    if len(first) <= TITLE_CHARS:
        return first
    return first[: TITLE_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Owner:
    """The process recording debates, and who runs it (asked once for a whole import:
    reading the person's name and the host name cost more than projecting a debate)."""

    pid: int
    host: str
    user: str

    @classmethod
    def current(cls) -> Owner:
        return cls(os.getpid(), socket.gethostname(), current_user())


def started_rows(event: DebateStarted, owner: Owner) -> tuple[Values, list[Values]]:
    spec = event.spec
    debate = blank(Debate)
    debate.update(
        id=event.debate_id,
        title=spec.title.strip() or default_title(spec.question),
        question=spec.question,
        protocol=spec.protocol,
        max_rounds=spec.max_rounds,
        spec_json=json.dumps(to_jsonable(spec), ensure_ascii=False),
        status=DebateStatus.RUNNING,
        consensus=False,
        tokens=0,
        cost_usd=0.0,
        rounds_done=0,
        created_at=event.at,
        parent_id=event.parent_id,
        forked_from_round=event.forked_from_round,
        owner_pid=owner.pid,
        owner_host=owner.host,
        heartbeat_at=datetime.now(UTC),
        started_by=owner.user,
    )
    seats = [
        {
            "debate_id": event.debate_id,
            "seat_id": seat.id,
            "position": position,
            "name": seat.name,
            "model": seat.model,
            "api_base": seat.api_base,
            "persona": seat.persona,
            "temperature": seat.temperature,
            "max_tokens": seat.max_tokens,
        }
        for position, seat in enumerate(spec.seats)
    ]
    return debate, seats
