"""A large database opens without reading every page; damage is still found and the
file moved aside, at open when it is near the start, else by the full check."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import event

from roundtable.storage import integrity, list_debates, open_database
from roundtable.storage.integrity import check_integrity, damage_mark
from tests.helpers.debates import finished_debate
from tests.helpers.events import record

PAGE = 4096


@pytest.fixture
def large(monkeypatch):
    """Every file counts as large (the full check's size limit is 0 bytes)."""
    monkeypatch.setattr(integrity, "FULL_CHECK_AT_OPEN_BYTES", 0)


def _stored(path: Path, count: int) -> Path:
    with open_database(path) as database:
        for number in range(count):
            record(database, finished_debate(f"debate-{number}"))
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _statements_at_open(path: Path, monkeypatch) -> list[str]:
    seen: list[str] = []
    real_engine_for = open_database.__globals__["_engine_for"]

    def spying(url, shown):
        engine = real_engine_for(url, shown)
        event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        return engine

    monkeypatch.setitem(open_database.__globals__, "_engine_for", spying)
    open_database(path).close()
    return seen


def test_a_large_database_opens_without_the_full_check(tmp_path, large, monkeypatch):
    path = _stored(tmp_path / "roundtable.db", 3)
    statements = _statements_at_open(path, monkeypatch)
    assert not [s for s in statements if "quick_check" in s]
    assert [s for s in statements if "LIMIT 1" in s]  # the first pages were read


def test_a_small_database_still_gets_the_full_check_at_open(tmp_path, monkeypatch):
    path = _stored(tmp_path / "roundtable.db", 1)
    assert [s for s in _statements_at_open(path, monkeypatch) if "quick_check" in s]


def test_a_large_database_damaged_near_its_start_is_moved_aside_at_open(tmp_path, large):
    path = _stored(tmp_path / "roundtable.db", 3)
    size = path.stat().st_size
    with path.open("r+b") as file:  # page 1 (header, schema) survives; the tables do not
        file.seek(2 * PAGE)
        file.write(random.Random(2).randbytes(size - 3 * PAGE))
    with open_database(path) as database:
        assert database.moved_aside is not None
        assert list_debates(database) == []


def test_damage_deep_in_a_large_file_is_found_by_the_full_check_and_moved_aside_next_open(
    tmp_path, large
):
    path = _stored(tmp_path / "roundtable.db", 40)
    size = path.stat().st_size
    with path.open("r+b") as file:  # the last pages: neither the schema nor a first page
        file.seek(size - 2 * PAGE)
        file.write(random.Random(3).randbytes(2 * PAGE))
    with open_database(path) as database:
        assert database.moved_aside is None  # the cheap checks at open do not see it
        found = check_integrity(database)  # what the app runs in the background
    assert found is not None
    assert damage_mark(path).read_text(encoding="utf-8").strip() == found
    with open_database(path) as database:  # the next start checks it in full
        moved = database.moved_aside
        assert moved is not None
        assert list_debates(database) == []
    assert not damage_mark(path).exists()  # the new database is not marked
    assert damage_mark(moved.moved_to).exists()  # the mark went with the damaged file


def test_a_sound_database_passes_the_full_check(tmp_path):
    path = _stored(tmp_path / "roundtable.db", 2)
    with open_database(path) as database:
        assert check_integrity(database) is None
    assert not damage_mark(path).exists()
