"""Opening the database for the window, which only reads it (the engine process writes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roundtable.storage import Database


def open_for_reading(location: str | None) -> Database:
    """Open (and migrate) the database on a worker thread, for the GUI to read.

    The pooled connections made here are closed before the Database is handed to the
    GUI thread, so every connection the GUI uses is made on the GUI thread.
    """
    from roundtable.storage import open_database

    database = open_database(location)
    database.engine.dispose()
    return database
