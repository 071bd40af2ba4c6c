"""Full-text search over questions, titles and finished turns.

SQLite with FTS5 uses the `debate_search` index (bm25 ranking, FTS5 snippets);
anything else falls back to LIKE, with a snippet cut in Python. Either way the
matched words in a snippet sit between `SNIPPET_START` and `SNIPPET_END`: control
characters that never occur in stored text, so a renderer can replace them with
its own markup (bold, `<mark>`) without escaping games.

User text is never passed to FTS5 as syntax: each whitespace-separated word
becomes a quoted phrase (so `"`, `*`, `AND`, `(`, `NEAR` mean nothing special), and
the last word is matched as a prefix, for search-as-you-type.
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


def search_fts(session: Session, user_text: str, limit: int) -> list[RawHit]:
    """The best `limit` debates for `user_text`, best first, one hit per debate."""
    query = fts_query(user_text)
    if query is None or limit <= 0:
        return []
    best = session.execute(
        text(
            f"""WITH hits AS (
                    SELECT debate_id, rowid AS hit, rank AS score
                    FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :query)
                SELECT debate_id, hit, min(score) AS best
                FROM hits GROUP BY debate_id ORDER BY best, debate_id LIMIT :limit"""
        ),
        {"query": query, "limit": limit},
    ).all()
    if not best:
        return []
    # Snippets only for the winning passages: computing one costs a re-tokenisation.
    hit_ids = [row.hit for row in best]
    placeholders = ", ".join(f":hit{i}" for i in range(len(hit_ids)))
    found = session.execute(
        text(
            f"""SELECT rowid, snippet({SEARCH_TABLE}, 2, :start, :end, '…', :tokens)
                FROM {SEARCH_TABLE}
                WHERE {SEARCH_TABLE} MATCH :query AND rowid IN ({placeholders})"""
        ),
        {
            "query": query,
            "start": SNIPPET_START,
            "end": SNIPPET_END,
            "tokens": SNIPPET_TOKENS,
            **{f"hit{i}": hit for i, hit in enumerate(hit_ids)},
        },
    )
    snippets: dict[int, str] = dict(found.all())
    return [RawHit(row.debate_id, snippets.get(row.hit, ""), float(row.best)) for row in best]


def search_like(session: Session, user_text: str, limit: int) -> list[RawHit]:
    """Search without FTS5: every word must occur in the question, title or a finished
    turn (case-insensitive substring); newest debates first."""
    words = search_words(user_text)
    if not words or limit <= 0:
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
