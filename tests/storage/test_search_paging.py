"""Search results come a page at a time: pages agree with each other, every match is
reachable, and each page's snippets mark the words searched for."""

from __future__ import annotations

from datetime import timedelta

import pytest

from roundtable.domain import DebateStarted
from roundtable.storage import SNIPPET_END, SNIPPET_START, Database, search_debates
from roundtable.storage import search as search_module
from tests.helpers.debates import spec
from tests.helpers.events import START, EventBuilder, record

FILLER = "about the tides and the moon and the patient keepers of lighthouses"


def _store_walrus_debates(db: Database, count: int) -> None:
    for number in range(count):
        walruses = " ".join(["walruses"] * (1 + number % 4))
        question = f"Question {number}: {FILLER} tag{number} {walruses} {FILLER}?"
        events = EventBuilder(f"debate-{number:02}", start=START + timedelta(minutes=number))
        record(db, [events.add(DebateStarted, spec=spec(question))])


@pytest.fixture
def small_windows(monkeypatch, db: Database) -> None:
    """Rank five passages at a time, so 24 debates take several windows."""
    if db.engine.dialect.name == "sqlite":
        monkeypatch.setattr(search_module, "RANK_WINDOW", 5)


@pytest.mark.parametrize("words", ["walrus", "walr", "tides walruses"])
def test_pages_of_a_search_join_into_the_whole_list_without_repeats(
    db: Database, small_windows, words: str
):
    _store_walrus_debates(db, 24)
    whole = [hit.summary.id for hit in search_debates(db, words, limit=100)]
    assert sorted(whole) == [f"debate-{n:02}" for n in range(24)]  # every match reachable
    paged = []
    for page in range(9):
        paged += [hit.summary.id for hit in search_debates(db, words, limit=3, offset=page * 3)]
    assert paged == whole
    assert search_debates(db, words, limit=3, offset=24) == []


def test_a_later_page_has_snippets_marking_the_words(db: Database, small_windows):
    _store_walrus_debates(db, 24)
    for offset in (0, 10, 20):
        for hit in search_debates(db, "walr", limit=4, offset=offset):  # a prefix, as typed
            assert f"{SNIPPET_START}walruses{SNIPPET_END}" in hit.snippet
            number = int(hit.summary.id.removeprefix("debate-"))
            assert f"tag{number} " in hit.snippet  # the passage of this very debate


def test_the_best_match_of_the_newest_window_comes_first(db: Database, small_windows):
    _store_walrus_debates(db, 4)  # one window: ranked by bm25 alone
    first = search_debates(db, "walruses", limit=1)[0]
    assert first.summary.id == "debate-03"  # the question saying "walruses" four times
