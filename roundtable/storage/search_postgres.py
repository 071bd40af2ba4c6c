"""Full-text search on PostgreSQL, behind the same interface as FTS5 on SQLite.

The migration (0004) gives debates (title and question) and turns (their text, once
finished) a stored `search_vector` column with a GIN index: matching is answered
from the index, and ranking reads stored vectors instead of stemming text again.

The user's text means what it means on SQLite (`roundtable.storage.search`): each
word is a quoted term (no tsquery operators get through), all must match in one
passage, the last word is a prefix; words are stemmed in English with no stop
words (`roundtable_english`, as FTS5's porter tokenizer). Hits are
ranked by `ts_rank`, one per debate (its best passage), and `ts_headline` marks
the matched words with `SNIPPET_START`/`SNIPPET_END`.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from roundtable.storage.records import SNIPPET_END, SNIPPET_START
from roundtable.storage.search import RANK_WINDOW, SNIPPET_TOKENS, RawHit, search_words

#: The index whose presence says this database has PostgreSQL full-text search.
TURN_INDEX = "ix_turns_search"

_HEADLINE_OPTIONS = (
    f'StartSel="{SNIPPET_START}", StopSel="{SNIPPET_END}", '
    f"MaxWords={SNIPPET_TOKENS + 4}, MinWords={SNIPPET_TOKENS // 2}, "
    'MaxFragments=1, FragmentDelimiter=" … "'
)

# Only the newest RANK_WINDOW matching passages are ranked by relevance, as on SQLite
# (`search.RANK_WINDOW`): a common word matches most turns, and ranking reads every
# match's vector (1.8 s for "answer" over 10,000 debates when all were ranked). The
# debates found only in older passages follow, newest first, so one ordering holds
# for every page.
_BEST = text(
    """WITH passages AS (
        SELECT d.id AS debate_id, -1 AS round, '' AS seat_id, d.created_at AS at,
               d.search_vector AS vector
        FROM debates d, to_tsquery('roundtable_english'::regconfig, :query) AS query
        WHERE d.search_vector @@ query
        UNION ALL
        SELECT t.debate_id, t.round, t.seat_id, t.finished_at, t.search_vector
        FROM turns t, to_tsquery('roundtable_english'::regconfig, :query) AS query
        WHERE t.search_vector @@ query),
    numbered AS (
        SELECT debate_id, round, seat_id, vector, row_number() OVER (
            ORDER BY at DESC NULLS LAST, debate_id, round, seat_id) AS recency
        FROM passages),
    ranked AS (
        SELECT debate_id, round, seat_id, recency,
               CASE WHEN recency <= :window THEN ts_rank(
                   vector, to_tsquery('roundtable_english'::regconfig, :query)) ELSE 0 END
               AS score
        FROM numbered),
    best AS (
        SELECT DISTINCT ON (debate_id) debate_id, round, seat_id, score, recency
        FROM ranked ORDER BY debate_id, score DESC, recency)
    SELECT debate_id, round, seat_id, score FROM best
    ORDER BY score DESC, recency, debate_id LIMIT :limit OFFSET :offset"""
)

_DEBATE_HEADLINES = text(
    """SELECT d.id,
           ts_headline('roundtable_english'::regconfig,
               CASE WHEN strpos(d.question, rtrim(d.title, '…')) = 1 THEN d.question
                    ELSE d.title || E'\\n' || d.question END,
               to_tsquery('roundtable_english'::regconfig, :query), :options)
       FROM debates d WHERE d.id IN :ids"""
).bindparams(bindparam("ids", expanding=True))

_TURN_HEADLINES = text(
    """SELECT t.debate_id,
           ts_headline('roundtable_english'::regconfig, t.text,
               to_tsquery('roundtable_english'::regconfig, :query), :options)
       FROM turns t
       JOIN unnest(CAST(:ids AS text[]), CAST(:rounds AS integer[]), CAST(:seats AS text[]))
            AS w(debate_id, round, seat_id)
         ON t.debate_id = w.debate_id AND t.round = w.round AND t.seat_id = w.seat_id"""
)


def tsquery(user_text: str) -> str | None:
    """A `to_tsquery` expression for `user_text`, or None when it has nothing to search.

    Each word is a quoted term (inside quotes, `&`, `|`, `!`, `:` and parentheses
    are plain text), all joined by AND; the last one is a prefix (`:*`)."""
    terms = [
        "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
        for word in search_words(user_text)
    ]
    if not terms:
        return None
    terms[-1] += ":*"
    return " & ".join(terms)


def search_postgres(session: Session, user_text: str, limit: int, offset: int = 0) -> list[RawHit]:
    """Debates `offset` to `offset + limit` of the ranking for `user_text`, best first,
    one hit per debate (its best passage).

    `rank` is the negated `ts_rank`, so lower is better as with FTS5's bm25."""
    query = tsquery(user_text)
    if query is None or limit <= 0:
        return []
    values = {"query": query, "limit": limit, "offset": max(offset, 0), "window": RANK_WINDOW}
    best = session.execute(_BEST, values).all()
    if not best:
        return []
    snippets = _headlines(session, query, [(r.debate_id, r.round, r.seat_id) for r in best])
    return [RawHit(r.debate_id, snippets.get(r.debate_id, ""), -float(r.score)) for r in best]


def has_search_index(connection: Connection) -> bool:
    """Whether the database has the full-text indexes of migration 0004."""
    found = connection.execute(
        text("SELECT 1 FROM pg_indexes WHERE indexname = :name"), {"name": TURN_INDEX}
    ).first()
    return found is not None


def _headlines(
    session: Session, query: str, passages: list[tuple[str, int, str]]
) -> dict[str, str]:
    """The snippet of each winning passage: the debate's own text, or one turn's."""
    options = {"query": query, "options": _HEADLINE_OPTIONS}
    snippets: dict[str, str] = {}
    in_debate = [debate_id for debate_id, round_, _ in passages if round_ < 0]
    if in_debate:
        found = session.execute(_DEBATE_HEADLINES, {**options, "ids": in_debate})
        snippets.update((row[0], row[1]) for row in found)
    in_turns = [passage for passage in passages if passage[1] >= 0]
    if in_turns:
        ids, rounds, seats = (list(column) for column in zip(*in_turns, strict=True))
        found = session.execute(
            _TURN_HEADLINES, {**options, "ids": ids, "rounds": rounds, "seats": seats}
        )
        snippets.update((row[0], row[1]) for row in found)
    return snippets
