"""A new team store (PostgreSQL) gets the whole schema at first open, full-text search
included, also when several processes open it at the same moment."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect, text

from roundtable.storage import open_database
from roundtable.storage.db import SCHEMA_HEAD

pytestmark = pytest.mark.postgres


def test_several_first_opens_at_once_migrate_the_store_once(postgres_url):
    def first_open(_: int) -> bool:
        with open_database(postgres_url) as db:
            return db.has_fts

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(first_open, range(4))) == [True] * 4
    with open_database(postgres_url) as db, db.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert versions == [(SCHEMA_HEAD,)]
        names = set(inspect(connection).get_table_names())
        assert {"debates", "turns", "events", "eval_runs"} <= names
        indexes = {i["name"] for i in inspect(connection).get_indexes("turns")}
        assert "ix_turns_search" in indexes


def test_past_the_newest_passages_ranked_together_the_pages_still_find_every_debate(
    postgres_url, monkeypatch
):
    from roundtable.domain import DebateStarted
    from roundtable.storage import search_debates
    from roundtable.storage import search_postgres as searching
    from tests.helpers.debates import spec
    from tests.helpers.events import EventBuilder, record

    monkeypatch.setattr(searching, "RANK_WINDOW", 3)  # so that 7 debates overflow it
    with open_database(postgres_url) as db:
        for n in range(7):
            record(db, [EventBuilder(f"tulip-{n}").add(DebateStarted, spec=spec("Tulips? " * n))])
        pages = [
            [hit.summary.id for hit in search_debates(db, "tulips", limit=3, offset=offset)]
            for offset in (0, 3, 6)
        ]
    found = [debate_id for page in pages for debate_id in page]
    assert sorted(set(found)) == sorted(f"tulip-{n}" for n in range(1, 7))


def test_a_nul_character_does_not_stop_a_debate_on_postgresql(postgres_url):
    from roundtable.domain import DebateStarted
    from roundtable.storage import list_debates, load_events
    from tests.helpers.debates import spec
    from tests.helpers.events import EventBuilder, record

    with open_database(postgres_url) as db:
        started = EventBuilder("nul").add(DebateStarted, spec=spec("What is \x00 here?"))
        record(db, [started])  # PostgreSQL's text refuses U+0000 itself
        (summary,) = list_debates(db)
        assert summary.question == "What is \ufffd here?"
        assert load_events(db, "nul") == [started]  # the log keeps the exact text
