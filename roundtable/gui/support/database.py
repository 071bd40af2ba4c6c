"""Opening the database for the window, which only reads it (the engine process writes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roundtable.storage import Database


def open_for_reading(
    location: str | None, on_upgrade: Callable[[str], None] | None = None
) -> Database:
    """Open (and migrate) the database on a worker thread, for the GUI to read;
    `on_upgrade` is told before an existing database is upgraded (on this thread).

    The pooled connections made here are closed before the Database is handed to the
    GUI thread, so every connection the GUI uses is made on the GUI thread.
    """
    from roundtable.storage import open_database

    database = open_database(location, on_upgrade=on_upgrade)
    database.engine.dispose()
    return database


def check_in_full(database: Database) -> str | None:
    """SQLite's full integrity check (about 0.1 s per 100 MB), for a worker thread once
    the history is listed; what is damaged, or None. A large file gets only cheap
    checks at open (`roundtable.storage.integrity`)."""
    from roundtable.storage.integrity import check_integrity

    return check_integrity(database)


def damage_message(location: str, damage: str) -> str:
    """What to tell the person when the full check found damage."""
    return (
        f"Roundtable found damage in its database {location} ({damage}). Some debates in "
        "it may be incomplete or unreadable. The next time Roundtable starts, it moves the "
        "file aside (nothing is deleted) and starts a new database; debates in the damaged "
        "file may be recoverable with SQLite's `.recover` command."
    )
