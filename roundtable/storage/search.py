"""Full-text search over questions, titles and finished turns.

SQLite with FTS5 uses the `debate_search` index (bm25 ranking, FTS5 snippets);
anything else falls back to LIKE, with a snippet cut in Python. Either way the
matched words in a snippet sit between `SNIPPET_START` and `SNIPPET_END`: control
characters that never occur in stored text, so a renderer can replace them with
its own markup (bold, `<mark>`) without escaping games.

User text is never passed to FTS5 as syntax: each whitespace-separated word
becomes a quoted phrase (so `"`, `*`, `AND`, `(`, `NEAR` mean nothing special), and
the last word is matched as a prefix, for search-as-you-type (the index keeps
prefixes of 1-3 letters, migration 0005: FTS5 would otherwise merge every completion
of "t" or "the" for each search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, exists, or_, select, text
from sqlalchemy.orm import Session

from roundtable.domain import TurnStatus
from roundtable.storage.records import SNIPPET_END, SNIPPET_START
from roundtable.storage.rows import SEARCH_TABLE, Debate, TurnRow

#: Words of context an FTS5 snippet shows around the match.
SNIPPET_TOKENS = 16
#: Characters of context the LIKE fallback shows before the first match.
SNIPPET_LEAD = 60
SNIPPET_CHARS = 200

#: Matching passages ranked together first, newest first; each later window is twice
#: the one before (see `search_fts`).
RANK_WINDOW = 2_000
#: The newest `window` passages matching `query` below a rowid, with their bm25 score
#: and debate (from the keys of migration 0003: the index's own UNINDEXED debate_id
#: column would cost a read of the passage's row each).
RANKING_SQL = """SELECT h.hit, h.score, r.debate_id FROM (
        SELECT rowid AS hit, bm25({table}) AS score FROM {table}
        WHERE {table} MATCH :query AND rowid < :below
        ORDER BY rowid DESC LIMIT :window) AS h
    LEFT JOIN debate_search_rows AS r ON r.id = h.hit"""
_NO_ROWID_ABOVE = 2**63 - 1

_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class RawHit:
    debate_id: str
    snippet: str
    rank: float


def search_words(user_text: str) -> list[str]:
    """The searchable words of `user_text`: chunks between spaces with a letter or digit."""
    return [chunk for chunk in user_text.split() if _WORD.search(chunk)]


def fts_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression for `user_text`, or None when it has nothing to search."""
    phrases = ['"' + word.replace('"', '""') + '"' for word in search_words(user_text)]
    if not phrases:
        return None
    phrases[-1] += "*"
    return " ".join(phrases)


def search_fts(session: Session, user_text: str, limit: int, offset: int = 0) -> list[RawHit]:
    """Debates `offset` to `offset + limit` of the ranking for `user_text`, one hit each.

    The ranking comes in windows of matching passages, newest first: the debates of
    the newest `RANK_WINDOW` passages ranked by bm25 (each by its best passage), then
    those of the next window, twice as large, and so on. A query whose words are rarer
    than that is ranked whole; a page of one with common words costs a window, not the
    whole index (measured at 10,000 debates: ranking every passage holding "the" took
    over a second), and taking every match (a training export) a handful of windows.
    Pages are consistent: the windows do not depend on the page asked for, so the same
    query over the same debates gives the same order.
    Snippets are made for the page's passages only (each costs a re-tokenisation).
    """
    query = fts_query(user_text)
    if query is None or limit <= 0 or offset < 0:
        return []
    page = _ranked(session, query, offset + limit)[offset:]
    if not page:
        return []
    snippets = _snippets(session, query, [hit for _, hit, _ in page])
    return [RawHit(debate_id, snippets.get(hit, ""), score) for debate_id, hit, score in page]


def _ranked(session: Session, query: str, wanted: int) -> list[tuple[str, int, float]]:
    """The first `wanted` debates as (debate id, best passage, its score), best first."""
    ranked: list[tuple[str, int, float]] = []
    seen: set[str] = set()
    below = _NO_ROWID_ABOVE
    size = RANK_WINDOW
    while len(ranked) < wanted:
        window = session.execute(
            text(RANKING_SQL.format(table=SEARCH_TABLE)),
            {"query": query, "below": below, "window": size},
        ).all()
        best: dict[str, tuple[float, int]] = {}
        for hit, score, debate_id in window:
            if debate_id is None or debate_id in seen:
                continue  # a debate is ranked in the window of its newest matching passage
            if debate_id not in best or score < best[debate_id][0]:
                best[debate_id] = (score, hit)
        ordered = sorted(best.items(), key=lambda item: (item[1][0], item[0]))
        ranked.extend((debate_id, hit, score) for debate_id, (score, hit) in ordered)
        seen.update(best)
        if len(window) < size:
            break  # no older matching passage
        below = min(hit for hit, _, _ in window)
        size *= 2
    return ranked[:wanted]


def _snippets(session: Session, query: str, hits: list[int]) -> dict[int, str]:
    placeholders = ", ".join(f":hit{i}" for i in range(len(hits)))
    # MATCH with a rowid range, and the exact rowids as a plain filter (the unary +):
    # FTS5 re-expands a prefix word for every value of a `rowid IN` it is given.
    found = session.execute(
        text(
            f"""SELECT rowid, snippet({SEARCH_TABLE}, 2, :start, :end, '…', :tokens)
                FROM {SEARCH_TABLE}
                WHERE {SEARCH_TABLE} MATCH :query AND rowid BETWEEN :low AND :high
                AND +rowid IN ({placeholders})"""
        ),
        {
            "query": query,
            "start": SNIPPET_START,
            "end": SNIPPET_END,
            "tokens": SNIPPET_TOKENS,
            "low": min(hits),
            "high": max(hits),
            **{f"hit{i}": hit for i, hit in enumerate(hits)},
        },
    )
    return {row[0]: row[1] for row in found}


def search_like(session: Session, user_text: str, limit: int, offset: int = 0) -> list[RawHit]:
    """Search without FTS5: every word must occur in the question, title or a finished
    turn (case-insensitive substring); newest debates first."""
    words = search_words(user_text)
    if not words or limit <= 0 or offset < 0:
        return []
    conditions = []
    for word in words:
        pattern = f"%{_escape_like(word)}%"
        in_turn = exists().where(
            TurnRow.debate_id == Debate.id,
            TurnRow.status == TurnStatus.DONE,
            TurnRow.text.ilike(pattern, escape="\\"),
        )
        conditions.append(
            or_(
                Debate.title.ilike(pattern, escape="\\"),
                Debate.question.ilike(pattern, escape="\\"),
                in_turn,
            )
        )
    found = session.execute(
        select(Debate.id, Debate.title, Debate.question)
        .where(and_(*conditions))
        .order_by(Debate.created_at.desc(), Debate.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    hits = []
    for debate_id, title, question in found:
        passage = next((t for t in (question, title) if _first_match(t, words) >= 0), None)
        if passage is None:
            passage = _matching_turn_text(session, debate_id, words) or question
        hits.append(RawHit(debate_id, like_snippet(passage, words), 0.0))
    return hits


def like_snippet(passage: str, words: list[str]) -> str:
    """A window of `passage` around the first matched word, every match marked."""
    start = max(0, _first_match(passage, words) - SNIPPET_LEAD)
    window = " ".join(passage[start : start + SNIPPET_CHARS].split())
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{SNIPPET_START}{m.group(0)}{SNIPPET_END}", window)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_CHARS < len(passage) else ""
    return prefix + marked + suffix


def _matching_turn_text(session: Session, debate_id: str, words: list[str]) -> str | None:
    texts = session.scalars(
        select(TurnRow.text)
        .where(TurnRow.debate_id == debate_id, TurnRow.status == TurnStatus.DONE)
        .order_by(TurnRow.round)
    )
    return next((t for t in texts if _first_match(t, words) >= 0), None)


def _first_match(passage: str, words: list[str]) -> int:
    lowered = passage.lower()
    found = [i for i in (lowered.find(word.lower()) for word in words) if i >= 0]
    return min(found, default=-1)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
