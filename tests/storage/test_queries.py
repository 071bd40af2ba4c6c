"""Listing, searching, resolving, renaming, deleting and recovering stored debates."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import text

from roundtable.domain import (
    ConfigError,
    DebateInterrupted,
    DebateStarted,
    DebateStatus,
    RoundStarted,
    TurnDelta,
    TurnStarted,
    TurnStatus,
)
from roundtable.storage import (
    SNIPPET_END,
    SNIPPET_START,
    Database,
    Recorder,
    delete_debate,
    list_debates,
    load_debate,
    load_events,
    mark_orphans_interrupted,
    rename_debate,
    resolve_id,
    search_debates,
)
from roundtable.storage.queries import process_alive
from tests.helpers.debates import finished_debate, spec
from tests.helpers.events import START, EventBuilder, record


def _started(db: Database, debate_id: str, question: str, *, minutes: int = 0) -> None:
    """A debate that only started (enough for listing and searching its question)."""
    s = EventBuilder(debate_id, start=START + timedelta(minutes=minutes))
    record(db, [s.add(DebateStarted, spec=spec(question))])


def _marked(word: str) -> str:
    return f"{SNIPPET_START}{word}{SNIPPET_END}"


# ---------------------------------------------------------------- list
def test_list_is_newest_first_and_paged(db: Database):
    for minute in range(5):
        _started(db, f"debate-{minute}", f"Question number {minute}?", minutes=minute)
    newest_first = [s.id for s in list_debates(db)]
    assert newest_first == ["debate-4", "debate-3", "debate-2", "debate-1", "debate-0"]
    assert [s.id for s in list_debates(db, limit=2)] == ["debate-4", "debate-3"]
    assert [s.id for s in list_debates(db, limit=2, offset=2)] == ["debate-2", "debate-1"]
    assert list_debates(db, limit=2, offset=10) == []
    first = list_debates(db, limit=1)[0]
    assert (first.status, first.seat_count, first.cost_usd) == (DebateStatus.RUNNING, 3, 0.0)
    assert first.created_at == START + timedelta(minutes=4)


# ---------------------------------------------------------------- search
def test_search_finds_question_words_with_stemming_and_marks_them(db: Database):
    record(db, finished_debate("arith"))
    _started(db, "capital", "What is the capital of Australia?")
    hits = search_debates(db, "run")  # the question says "running": porter stemming
    assert [hit.summary.id for hit in hits] == ["arith"]
    assert _marked("running") in hits[0].snippet


def test_search_finds_words_of_finished_turns(db: Database):
    record(db, finished_debate("arith"))
    _started(db, "capital", "What is the capital of Australia?")
    (hit,) = search_debates(db, "photosynthesis")
    assert hit.summary.id == "arith"
    assert hit.summary.final_answer == "281"
    assert _marked("photosynthesis") in hit.snippet


def test_search_prefix_matches_the_last_word_as_you_type(db: Database):
    _started(db, "capital", "What is the capital of Australia?")
    assert [h.summary.id for h in search_debates(db, "capital Austr")] == ["capital"]
    assert search_debates(db, "Austr capital") == []  # only the last word is a prefix


def test_search_ranks_the_better_match_first(db: Database):
    _started(db, "passing", "A long question about gardens, soil, water, light and, once, tulips?")
    _started(db, "focused", "Tulips: why do tulips close at night?", minutes=1)
    hits = search_debates(db, "tulips")
    assert [h.summary.id for h in hits] == ["focused", "passing"]
    assert hits[0].rank < hits[1].rank


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('"capital', True),
        ("capital*", True),
        ("(capital", True),
        ("-capital", True),
        ('"capital" (', True),
        ("capital AND", False),  # AND is a word to find, not an operator
        ("capital OR", False),
        ("NEAR(capital", False),  # the phrase "near capital"
        ('capital) OR "', False),
    ],
)
def test_search_treats_fts_syntax_in_user_text_as_plain_words(
    db: Database, query: str, found: bool
):
    _started(db, "capital", "What is the capital of Australia?")
    assert [h.summary.id for h in search_debates(db, query)] == (["capital"] if found else [])


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "( )", "-"])
def test_search_without_words_returns_nothing(db: Database, query: str):
    _started(db, "cats", "Cats AND dogs?")
    assert search_debates(db, query) == []


def test_search_without_fts_falls_back_to_like(db: Database):
    record(db, finished_debate("arith"))
    _started(db, "capital", "What is the capital of Australia?")
    plain = Database(db.engine, location=db.location, has_fts=False)  # as on PostgreSQL
    (hit,) = search_debates(plain, "photosynthesis")
    assert hit.summary.id == "arith"
    assert _marked("photosynthesis") in hit.snippet
    assert [h.summary.id for h in search_debates(plain, "CAPITAL austral")] == ["capital"]
    assert search_debates(plain, "100%_off") == []


# ---------------------------------------------------------------- resolve, rename, delete
def test_resolve_id_from_a_unique_prefix(db: Database):
    for debate_id in ("3f2a91c0", "3f2b7711", "9c0d2e4f"):
        _started(db, debate_id, f"Question {debate_id}?")
    assert resolve_id(db, "9c0d") == "9c0d2e4f"
    assert resolve_id(db, "3f2a9") == "3f2a91c0"
    assert resolve_id(db, "3f2b7711") == "3f2b7711"
    with pytest.raises(ConfigError, match=r"'3f2' is too short"):
        resolve_id(db, "3f2")
    with pytest.raises(ConfigError, match="no debate with id '3f2_'"):
        resolve_id(db, "3f2_")  # "_" is a character here, not a LIKE wildcard
    with pytest.raises(ConfigError, match="no debate with id 'ffff'"):
        resolve_id(db, "ffff")


def test_resolve_id_reports_ambiguity(db: Database):
    for debate_id in ("3f2a91c0", "3f2a7711"):
        _started(db, debate_id, f"Question {debate_id}?")
    with pytest.raises(ConfigError, match=r"'3f2a' is ambiguous: matches 3f2a7711, 3f2a91c0"):
        resolve_id(db, "3f2a")


def test_rename_changes_the_title_in_lists_and_search(db: Database):
    record(db, finished_debate("arith"))
    rename_debate(db, "arith", "  Order of  operations ")
    assert list_debates(db)[0].title == "Order of operations"
    assert [h.summary.id for h in search_debates(db, "operations")] == ["arith"]
    with pytest.raises(ConfigError):
        rename_debate(db, "arith", "   ")
    with pytest.raises(ConfigError, match="no debate"):
        rename_debate(db, "nope", "x")


def test_delete_removes_everything_including_search(db: Database):
    record(db, finished_debate("arith"))
    fork = EventBuilder("fork-of-arith")
    record(db, [fork.add(DebateStarted, spec=spec(), parent_id="arith", forked_from_round=1)])
    assert list_debates(db)[0].parent_id == "arith"

    delete_debate(db, "arith")

    assert [s.id for s in list_debates(db)] == ["fork-of-arith"]
    assert list_debates(db)[0].parent_id is None  # the fork stays, unlinked
    assert search_debates(db, "photosynthesis") == []
    with pytest.raises(ConfigError):
        load_debate(db, "arith")
    with db.engine.connect() as conn:
        tables = ["seats", "rounds", "turns", "events"]
        if db.engine.dialect.name == "sqlite":  # FTS5's table; PostgreSQL indexes `turns`
            tables.append("debate_search")
        for table in tables:
            left = conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE debate_id = 'arith'")
            ).scalar()
            assert left == 0, table
    with pytest.raises(ConfigError):
        delete_debate(db, "arith")


def test_loading_an_unknown_debate_is_a_config_error(db: Database):
    with pytest.raises(ConfigError, match="no debate with id 'missing'"):
        load_debate(db, "missing")
    with pytest.raises(ConfigError):
        load_events(db, "missing")


# ---------------------------------------------------------------- orphans
def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not process_alive(child.pid)
    return child.pid


def _start_streaming(db: Database, debate_id: str) -> Recorder:
    recorder = Recorder(db, checkpoint_s=0.0)
    s = EventBuilder(debate_id)
    recorder(s.add(DebateStarted, spec=spec()))
    recorder(s.add(RoundStarted, round=0, seat_ids=("ada",)))
    recorder(s.add(TurnStarted, round=0, seat_id="ada"))
    recorder(s.add(TurnDelta, round=0, seat_id="ada", text="Half a thou"))
    return recorder


def test_orphaned_running_debates_become_interrupted(db: Database):
    _start_streaming(db, "orphan")  # its recorder "dies" here: never closed
    _start_streaming(db, "alive")  # run by this very process, which is alive
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE debates SET owner_pid = :pid WHERE id = 'orphan'"), {"pid": _dead_pid()}
        )

    assert mark_orphans_interrupted(db) == ["orphan"]

    orphan = load_debate(db, "orphan")
    assert orphan.summary.status is DebateStatus.INTERRUPTED
    (turn,) = orphan.turns
    assert (turn.status, turn.text) == (TurnStatus.INTERRUPTED, "Half a thou")
    events = load_events(db, "orphan")
    assert isinstance(events[-1], DebateInterrupted)
    assert events[-1].seq == events[-2].seq + 1
    assert load_debate(db, "alive").summary.status is DebateStatus.RUNNING
    assert mark_orphans_interrupted(db) == []  # nothing left to do


def test_process_alive_knows_this_process():
    assert process_alive(os.getpid())
    assert not process_alive(0)


def test_search_pages_follow_one_ranking(db: Database):
    for minute in range(7):
        _started(db, f"tulip-{minute}", "Tulips? " + "tulips " * minute, minutes=minute)
    everything = [h.summary.id for h in search_debates(db, "tulips", limit=7)]
    pages = [
        [h.summary.id for h in search_debates(db, "tulips", limit=3, offset=offset)]
        for offset in (0, 3, 6)
    ]
    assert [i for page in pages for i in page] == everything
    assert sorted(everything) == [f"tulip-{m}" for m in range(7)]
