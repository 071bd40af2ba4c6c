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
