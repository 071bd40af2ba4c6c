"""Forks and follow-ups under their parent: the history's rows as threads.

A debate whose parent is listed too sits right under it, indented one step; its own
forks and follow-ups under it, and so on. Under a parent, children read in the order
they were asked (a conversation reads top to bottom); threads are ordered by their
newest debate, so the list still starts with what happened last. A debate whose parent
is not listed (deleted, or not paged in yet) starts a thread of its own. Pure Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from roundtable.storage.records import DebateSummary

#: Deeper threads (a follow-up of a follow-up of …) stop stepping right here.
MAX_INDENT_DEPTH = 3


def threaded(summaries: Sequence[DebateSummary]) -> list[tuple[DebateSummary, int]]:
    """Each debate with its depth in its thread (0 for a thread's first debate)."""
    listed = {summary.id for summary in summaries}
    children: dict[str, list[DebateSummary]] = {}
    roots: list[DebateSummary] = []
    for summary in summaries:
        parent = summary.parent_id
        if parent is not None and parent in listed and parent != summary.id:
            children.setdefault(parent, []).append(summary)
        else:
            roots.append(summary)

    def newest(summary: DebateSummary, seen: frozenset[str]) -> datetime:
        kids = [kid for kid in children.get(summary.id, ()) if kid.id not in seen]
        return max(
            [summary.created_at, *(newest(kid, seen | {kid.id}) for kid in kids)],
        )

    order = sorted(roots, key=lambda root: newest(root, frozenset({root.id})), reverse=True)
    rows: list[tuple[DebateSummary, int]] = []
    placed: set[str] = set()

    def place(summary: DebateSummary, depth: int) -> None:
        placed.add(summary.id)
        rows.append((summary, depth))
        for kid in sorted(children.get(summary.id, ()), key=lambda kid: kid.created_at):
            if kid.id not in placed:
                place(kid, depth + 1)

    for root in order:
        place(root, 0)
    # A parent loop (never written by Roundtable, but a hand-edited database could hold
    # one) has no root: list what is left as threads of its own rather than lose it.
    for summary in summaries:
        if summary.id not in placed:
            place(summary, 0)
    return rows


def relation_words(summary: DebateSummary) -> str:
    """ "fork at round 2" / "follow-up" (as the debate view's header says it), for a
    debate that continues another; "" for one that does not."""
    if summary.parent_id is None:
        return ""
    if summary.forked_from_round is not None:
        return f"fork at round {summary.forked_from_round}"
    return "follow-up"
