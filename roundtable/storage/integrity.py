"""Is the SQLite file sound? Cheaply at open, in full when there is time.

SQLite's `PRAGMA quick_check` reads every page: about 0.1 s per 100 MB measured,
1.1 s for a 10,000-debate store, all of it before the history could be listed. So:

- a file up to `FULL_CHECK_AT_OPEN_BYTES` is fully checked at open (a few tens of
  milliseconds), as before;
- a larger one gets the cheap checks at open: the header (`backup.header_damage`,
  before SQLite opens it), the schema, and the first page of every table and index;
  the full check runs later, off the start-up path (`check_integrity`: the app runs
  it on a worker after the history is listed; `roundtable db check` on demand);
- damage the full check finds is written beside the file (`<name>.damaged`), and the
  next open checks such a file in full, whatever its size: a damaged file is then
  moved aside as at any open (`roundtable.storage.db`), never deleted.

Busy, locked or read-only files are not damage: those errors propagate.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from roundtable.storage.backup import is_corruption

if TYPE_CHECKING:
    from roundtable.storage.db import Database

#: Largest file given SQLite's full check at open (about 30 ms at this size).
FULL_CHECK_AT_OPEN_BYTES = 32 * 1024 * 1024
_MARK_SUFFIX = ".damaged"


def damage_at_open(engine: Engine, path: Path) -> str | None:
    """Why the file is damaged, judged as cheaply as its size allows; None when sound."""
    marked = damage_mark(path).exists()
    try:
        full = marked or path.stat().st_size <= FULL_CHECK_AT_OPEN_BYTES
    except FileNotFoundError:
        return None  # a new database
    try:
        with engine.connect() as connection:
            found = _full_check(connection) if full else _first_pages_check(connection)
    except DBAPIError as exc:
        if is_corruption(exc.orig):
            return str(exc.orig)
        raise
    if found is None and marked:
        damage_mark(path).unlink(missing_ok=True)  # repaired, or replaced, since
    return found


def check_integrity(db: Database) -> str | None:
    """SQLite's full check of an open database: what is damaged, or None when sound.

    Damage is also written beside the file, so its next open moves it aside. Reads
    every page (about 0.1 s per 100 MB): run it off the GUI thread.
    """
    if db.engine.dialect.name != "sqlite":
        return None
    try:
        with db.engine.connect() as connection:
            found = _full_check(connection)
    except DBAPIError as exc:
        if not is_corruption(exc.orig):
            raise
        found = str(exc.orig)
    path = db.file_path
    if found is not None and path is not None:
        damage_mark(path).write_text(found + "\n", encoding="utf-8")
    return found


def damage_mark(path: Path) -> Path:
    """The file that says a full check found `path` damaged."""
    return path.with_name(path.name + _MARK_SUFFIX)


def _full_check(connection: Connection) -> str | None:
    problems = connection.exec_driver_sql("PRAGMA quick_check").scalars().all()
    if problems == ["ok"]:
        return None
    shown = "; ".join(str(problem) for problem in problems[:3])
    return f"integrity check: {shown}"


def _first_pages_check(connection: Connection) -> str | None:
    """Read the schema and the root and first leaf page of every table and index.

    Catches a file whose structure is broken near its start (a page SQLite cannot
    read raises "malformed"); damage deep inside a large file waits for the full check.
    """
    objects = connection.exec_driver_sql(
        "SELECT type, name, tbl_name FROM sqlite_master "
        "WHERE type IN ('table', 'index') AND sql IS NOT NULL "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
    ).all()
    for kind, name, table in objects:
        quoted_table = '"' + str(table).replace('"', '""') + '"'
        if kind == "table":
            connection.exec_driver_sql(f"SELECT * FROM {quoted_table} LIMIT 1").all()
        else:
            quoted_index = '"' + str(name).replace('"', '""') + '"'
            connection.exec_driver_sql(
                f"SELECT 1 FROM {quoted_table} INDEXED BY {quoted_index} LIMIT 1"
            ).all()
    return None
