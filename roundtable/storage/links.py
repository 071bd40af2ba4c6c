"""How stored debates relate: forks and their parent, follow-up threads.

A fork or a follow-up names its parent in `debates.parent_id` (a foreign key, so a
deleted parent leaves its children unlinked rather than dangling). Whether the
child is a fork or a follow-up is a fact of its `DebateStarted` (`relation`), read
from the event log, the source of truth, so the schema needs no column for it.

    parent, children = debate_links(db, debate_id)
    thread = followup_thread(db, debate_id)     # oldest question first
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable.storage.db import Database
from roundtable.storage.queries import _summaries, _summary
from roundtable.storage.records import DebateSummary
from roundtable.storage.rows import Debate, EventRow

FORK = "fork"
FOLLOWUP = "followup"
#: A follow-up thread longer than this is shown from its latest debates.
MAX_THREAD = 50


@dataclass(frozen=True, slots=True)
class DebateLink:
    """A related debate and how the child of the pair relates to its parent:
    "fork" (rounds copied, then a changed table) or "followup" (a new question)."""

    summary: DebateSummary
    relation: str

    @property
    def is_followup(self) -> bool:
        return self.relation == FOLLOWUP


class DebateLinks(NamedTuple):
    """A debate's parent (None for an original debate) and its children, oldest first."""

    parent: DebateLink | None
    children: tuple[DebateLink, ...]


def debate_links(db: Database, debate_id: str) -> DebateLinks:
    """The debate `debate_id` came from and the debates made from it."""
    with db.transaction(f"load the links of debate {debate_id}") as session:
        return _links(session, debate_id)


def followup_thread(db: Database, debate_id: str) -> list[DebateLink]:
    """The chain of follow-ups `debate_id` belongs to, oldest question first: the
    debates it follows up on, itself, and the follow-ups after it (the first one, where
    a debate was followed up more than once). Each link's relation is how it relates
    to its own parent, the link before it for every link but the first. A debate with
    no follow-up on either side is a thread of one; an unknown id, of none."""
    with db.transaction(f"load the thread of debate {debate_id}") as session:
        link = _link(session, debate_id)
        if link is None:
            return []
        chain = [link]
        while len(chain) < MAX_THREAD and link.is_followup and link.summary.parent_id:
            parent = _link(session, link.summary.parent_id)
            if parent is None:
                break
            chain.insert(0, parent)
            link = parent
        current = debate_id
        while len(chain) < MAX_THREAD:
            children = _links(session, current).children
            nxt = next((child for child in children if child.is_followup), None)
            if nxt is None:
                break
            chain.append(nxt)
            current = nxt.summary.id
        return chain


# ---------------------------------------------------------------- internals
def _links(session: Session, debate_id: str) -> DebateLinks:
    own = session.get(Debate, debate_id)
    parent: DebateLink | None = None
    if own is not None and own.parent_id is not None:
        row = session.execute(_summaries().where(Debate.id == own.parent_id)).first()
        if row is not None:
            parent_summary = _summary(*row)
            # The relation is the child's: "this debate is a fork of / follows up on" it.
            parent = DebateLink(parent_summary, _relation(session, debate_id))
    rows = session.execute(
        _summaries().where(Debate.parent_id == debate_id).order_by(Debate.created_at, Debate.id)
    ).all()
    children = [_summary(*row) for row in rows]
    relations = _relations(session, [child.id for child in children])
    return DebateLinks(
        parent,
        tuple(DebateLink(child, relations.get(child.id, FORK)) for child in children),
    )


def _link(session: Session, debate_id: str) -> DebateLink | None:
    """The debate as a link, with its own relation to its parent."""
    row = session.execute(_summaries().where(Debate.id == debate_id)).first()
    if row is None:
        return None
    return DebateLink(_summary(*row), _relation(session, debate_id))


def _relation(session: Session, debate_id: str) -> str:
    return _relations(session, [debate_id]).get(debate_id, FORK)


def _relations(session: Session, ids: Sequence[str]) -> dict[str, str]:
    """debate id -> the relation its DebateStarted names (a log without one: "fork",
    the only relation there was before follow-ups)."""
    if not ids:
        return {}
    rows = session.execute(
        select(EventRow.debate_id, EventRow.json).where(
            EventRow.debate_id.in_(ids), EventRow.seq == 0
        )
    ).all()
    relations = {}
    for debate_id, line in rows:
        try:
            relation = json.loads(line).get("relation", FORK)
        except (ValueError, AttributeError):
            relation = FORK
        relations[debate_id] = relation if relation in (FORK, FOLLOWUP) else FORK
    return relations
