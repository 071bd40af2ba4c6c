"""Opening the transcript database that --db or $ROUNDTABLE_DB names, and reading a
stored debate from it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from roundtable.domain import ConfigError
from roundtable.storage import (
    Database,
    load_debate,
    load_events,
    mark_orphans_interrupted,
    open_database,
    resolve_id,
)
from roundtable.storage.db import DB_ENV

if TYPE_CHECKING:
    from roundtable.engine.continuation_service import StoredDebate


def open_store(location: str | None, *, must_exist: bool = False) -> Database:
    """Open (and migrate) the database; debates left running by a dead process become
    "interrupted" here, so `list` never shows a debate as running forever.

    With `must_exist` (commands that only read, or that need a stored debate), a
    database file named by --db or $ROUNDTABLE_DB that does not exist is refused
    (ConfigError, exit 2) rather than created: a mistyped path must not leave new
    folders and an empty database behind. The default location is still created, so
    a new user's `roundtable list` says there is nothing yet.

    A damaged file moved aside, or a backup taken before a migration, is said on
    stderr, so the person knows where their old file is (plain lines: stderr is the
    terminal's for the command line, and the log's for the MCP server)."""
    if must_exist:
        refuse_missing_file(location)
    database = open_database(location, on_upgrade=_say_on_stderr)
    if database.moved_aside is not None:
        print(f"Warning: {database.moved_aside.message()}", file=sys.stderr)
    if database.backup is not None:
        print(
            f"Upgraded the database; the previous version is kept at {database.backup}",
            file=sys.stderr,
        )
    mark_orphans_interrupted(database)
    return database


def _say_on_stderr(notice: str) -> None:
    print(notice, file=sys.stderr, flush=True)


def load_stored(database: Database, debate_id: str) -> StoredDebate:
    """The stored debate whose id is or starts with `debate_id`, as the planner reads it."""
    # Here, not at the top: `list` and `delete` open the store without the engine.
    from roundtable.engine.continuation_service import StoredDebate

    full_id = resolve_id(database, debate_id)
    return StoredDebate.of(load_debate(database, full_id), load_events(database, full_id))


def refuse_missing_file(location: str | None) -> None:
    """ConfigError when the database file the person named does not exist."""
    named_by = "--db" if location is not None else DB_ENV
    location = location if location is not None else os.environ.get(DB_ENV)
    if not location:
        return  # the default location: created on first use
    path = _sqlite_file(location)
    if path is not None and not path.exists():
        raise ConfigError(
            f"there is no database at {path} (from {named_by}); check the path. "
            "Commands that write (run, eval, import) create it."
        )


def _sqlite_file(location: str) -> Path | None:
    """The file behind a path or an SQLite URL; None for a database server or memory."""
    if "://" not in location:
        return Path(location).expanduser()
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(location)
    except ArgumentError:
        return None  # said properly when it is opened
    database = url.database
    if url.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return None
    if database.startswith("file:"):
        return None
    return Path(database).expanduser()
