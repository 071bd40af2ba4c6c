"""A fresh, migrated transcript database per test (under tmp_path)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from roundtable.storage import Database, open_database


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "transcripts.db")
    yield database
    database.close()
