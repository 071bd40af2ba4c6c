"""Opening the transcript database from the command line."""

from __future__ import annotations

from roundtable.storage import Database, mark_orphans_interrupted, open_database


def open_store(location: str | None) -> Database:
    """Open (and migrate) the database; debates left running by a dead process become
    "interrupted" here, so `list` never shows a debate as running forever."""
    database = open_database(location)
    mark_orphans_interrupted(database)
    return database
