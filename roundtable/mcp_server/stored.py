"""Stored debates for an MCP client: list, search and show, in the shapes `roundtable
list --json` and `show --json` print (the same functions build them)."""

from __future__ import annotations

from typing import Any

from roundtable.headless.summaries import JsonSummary, summary_json
from roundtable.mcp_server.outcome import Disputes, answer_of

#: The most debates one call returns; a client pages with a narrower search instead.
MOST = 200


def list_or_search(db: str | None, search: str | None, limit: int) -> dict[str, Any]:
    """The newest debates, or the best matches of `search` with the matching text."""
    from roundtable.headless.stores import open_store
    from roundtable.storage import list_debates, search_debates

    limit = max(1, min(limit, MOST))
    database = open_store(db)
    try:
        if search is not None and search.strip():
            hits = search_debates(database, search, limit=limit)
            rows = [summary_json(hit.summary, hit.snippet) for hit in hits]
        else:
            rows = [summary_json(summary) for summary in list_debates(database, limit=limit)]
    finally:
        database.close()
    return {"debates": rows}


def show(db: str | None, debate_id: str) -> dict[str, Any]:
    """One stored debate (an id or a prefix of one) in the shape `ask_table` returns,
    so a client reads a stored debate as it reads a new one, plus when it ran;
    ConfigError for an unknown or ambiguous id."""
    from roundtable.headless.stores import open_store
    from roundtable.storage import load_debate, load_events, resolve_id

    database = open_store(db)
    try:
        full_id = resolve_id(database, debate_id)
        record, events = load_debate(database, full_id), load_events(database, full_id)
    finally:
        database.close()
    summary, disputes = JsonSummary(), Disputes()
    for event in events:
        summary(event)
        disputes(event)
    stored = record.summary
    wall = (stored.finished_at - stored.created_at).total_seconds() if stored.finished_at else 0
    return answer_of(summary, wall, disputes) | {
        "title": stored.title,
        "created_at": stored.created_at.isoformat(),
        "parent_id": stored.parent_id,
    }
