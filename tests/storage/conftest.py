"""A fresh, migrated transcript database per test: SQLite under tmp_path, and the same
test again on the real PostgreSQL server the tests start (marked `postgres`).

A test about SQLite's own machinery (pragmas, the file, FTS5's tables) is marked
`sqlite_only`: its PostgreSQL run is not collected at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from roundtable.storage import Database, open_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items[:] = [
        item
        for item in items
        if not (item.get_closest_marker("sqlite_only") and item.get_closest_marker("postgres"))
    ]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The kind of database this run of the test uses: "sqlite" or "postgresql"."""
    return str(request.param)


@pytest.fixture
def new_store(backend, request, tmp_path) -> Callable[[], str]:
    """Makes the location of another empty store of this run's kind."""
    made = iter(range(1_000))

    def make() -> str:
        if backend == "sqlite":
            return str(tmp_path / f"transcripts-{next(made)}.db")
        server = request.getfixturevalue("postgres_server")
        url: str = server.new_database()
        request.addfinalizer(lambda: server.drop_database(url))
        return url

    return make


@pytest.fixture
def store_location(new_store) -> str:
    """Where a test's database is: a file path, or a PostgreSQL URL."""
    return new_store()


@pytest.fixture
def db(store_location) -> Iterator[Database]:
    database = open_database(store_location)
    yield database
    database.close()
