"""Keeping a transcript file safe: moving a damaged one aside, backing one up before a migration.

Nothing here ever deletes a database a person wrote, except old backups beyond the
last `BACKUPS_KEPT` of the same file (copies this module made itself).

    roundtable.db                                   the live database
    roundtable.corrupt-20261121-093000Z.db          a damaged file, moved aside whole
    roundtable.corrupt-20261121-093000Z.db-wal      … with its write-ahead log
    roundtable.backup-0001-20261121-093000Z.db      taken before migrating from 0001

A moved file keeps its `-wal` beside it under the matching name, so opening the moved
file with any SQLite tool still sees every committed transaction it held.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from roundtable.domain import StorageError

#: Backups of one database file kept beside it; older ones are removed.
BACKUPS_KEPT = 3
#: SQLite's primary result codes meaning "this file is damaged / not a database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100
#: Files kept beside a database (SQLite's, and the mark of damage a full check found):
#: they belong to it and move with it.
_COMPANIONS = ("-wal", "-shm", "-journal", ".damaged")


@dataclass(frozen=True)
class MovedAside:
    """A damaged database that was renamed so a fresh one could take its place."""

    original: Path
    moved_to: Path
    reason: str

    def message(self) -> str:
        """What to tell the person, including where their old file is now."""
        return (
            f"The database {self.original} was damaged ({self.reason}). It was moved to "
            f"{self.moved_to} (nothing was deleted) and a new, empty database was started "
            "in its place. Debates in the damaged file may still be recoverable with "
            "SQLite's `.recover` command."
        )


def header_damage(path: Path) -> str | None:
    """Why the file at `path` cannot be an SQLite database, judged by its header alone.

    Checked before SQLite opens the file: on closing a file it cannot read, SQLite
    deletes the write-ahead log beside it, which may hold the last commits.
    None for a sound header, and for a missing or empty file (SQLite starts those).
    """
    try:
        with path.open("rb") as file:
            header = file.read(_HEADER_SIZE)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"cannot read the database {path}: {exc.strerror or exc}") from exc
    if not header:
        return None
    if len(header) < _HEADER_SIZE or not header.startswith(_MAGIC):
        return "the file does not start like an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or header[21:24] != b"\x40\x20\x20":
        return "the file's SQLite header is damaged"
    return None


def is_corruption(error: BaseException | None) -> bool:
    """Whether a DBAPI error says the file is damaged (not busy, locked or read-only)."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


def move_aside(path: Path, reason: str, *, now: datetime | None = None) -> MovedAside:
    """Rename a damaged database (and its -wal/-shm) to `<stem>.corrupt-<time><suffix>`."""
    target = _free_name(path, f"corrupt-{_stamp(now)}")
    try:
        path.rename(target)
    except OSError as exc:
        raise StorageError(
            f"the database {path} is damaged ({reason}) and could not be moved aside: "
            f"{exc.strerror or exc}; move or rename it yourself, or pass --db PATH for "
            "another file."
        ) from exc
    for companion in _COMPANIONS:
        source = path.with_name(path.name + companion)
        if source.exists():
            # Best effort: the main file is already safe under its new name.
            try:
                source.rename(target.with_name(target.name + companion))
            except OSError:
                continue
    return MovedAside(original=path, moved_to=target, reason=reason)


def back_up(
    path: Path, *, label: str, keep: int = BACKUPS_KEPT, now: datetime | None = None
) -> Path:
    """Copy the database at `path` with SQLite's online backup API; return the copy's path.

    Safe while another connection holds the write lock (as the migration does): the copy
    is a consistent snapshot of the last commit. Keeps the newest `keep` backups.
    """
    target = _free_name(path, f"backup-{label}-{_stamp(now)}")
    try:
        source = sqlite3.connect(path)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
    except (sqlite3.Error, OSError) as exc:
        target.unlink(missing_ok=True)  # a half-written copy is not a backup
        raise StorageError(
            f"could not back up {path} before upgrading it ({exc}); nothing was changed. "
            "Free some disk space (the copy needs as much as the database), or pass "
            "--db PATH for another file."
        ) from exc
    _prune(path, keep)
    return target


def backups_of(path: Path) -> list[Path]:
    """The backups kept beside `path`, oldest first."""
    found = path.parent.glob(f"{path.stem}.backup-*{path.suffix}")
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


# ---------------------------------------------------------------- internals
def _prune(path: Path, keep: int) -> None:
    kept = backups_of(path)
    for old in kept[: max(0, len(kept) - keep)]:
        for companion in ("", *_COMPANIONS):
            old.with_name(old.name + companion).unlink(missing_ok=True)


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%SZ")


def _free_name(path: Path, tag: str) -> Path:
    """`<stem>.<tag><suffix>` beside `path`, numbered if that name is taken."""
    candidate = path.with_name(f"{path.stem}.{tag}{path.suffix}")
    number = 2
    while candidate.exists() or candidate.with_name(candidate.name + "-wal").exists():
        candidate = path.with_name(f"{path.stem}.{tag}-{number}{path.suffix}")
        number += 1
    return candidate
