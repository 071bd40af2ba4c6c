"""Opening the transcript database: where it is, how it is connected, migrating it.

SQLite is the normal store (one file in the user's data directory); any other
SQLAlchemy URL works too (PostgreSQL for a team sharing transcripts), with search
falling back to LIKE where there is no FTS5.

SQLite connections are set up for one writer (the engine process) and readers (the
GUI) at once: WAL, foreign keys on, a busy timeout. pysqlite's own transaction
handling is switched off in favour of explicit BEGINs, so that a session is a real
transaction: a reader's several SELECTs see one snapshot, migrations are atomic,
and writers take the write lock up front (`BEGIN IMMEDIATE`) instead of failing
when another process wrote between their first read and their first write.

Opening a file also guards it (`roundtable.storage.backup`):
- a damaged file (SQLite says "not a database", or the checks of
  `roundtable.storage.integrity` find damage: in full for a small file, the first
  pages of a large one) is moved aside, never deleted, and a fresh database takes
  its place;
  `Database.moved_aside` says where the old one went, for the CLI and GUI to tell;
- a file whose schema revision this code does not know (a newer Roundtable made
  it) is refused and left untouched, never downgraded;
- before a migration changes an existing database, a copy is taken beside it
  with SQLite's online backup API (`Database.backup`); the last few are kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, make_url, pool, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from roundtable import paths
from roundtable.domain import StorageError

# Re-exported: defined with the other locations, which `roundtable path` shows without
# importing SQLAlchemy.
from roundtable.paths import DB_ENV as DB_ENV  # noqa: PLC0414
from roundtable.paths import DB_FILENAME as DB_FILENAME  # noqa: PLC0414
from roundtable.storage.backup import MovedAside, back_up, header_damage, move_aside
from roundtable.storage.integrity import damage_at_open
from roundtable.storage.rows import SEARCH_TABLE

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: The newest migration's revision. A database already there opens without importing
#: Alembic (about 0.3 s of every command's start); tests/storage checks it is the head.
SCHEMA_HEAD = "0005"
#: How long a connection waits for another process's write lock before giving up.
BUSY_TIMEOUT_MS = 5_000
#: Said after every "cannot open" message: the two ways to point elsewhere.
WHERE_ELSE = f"pass --db PATH or set {DB_ENV} to a writable location"

_WRITE_OPTION = "roundtable_write"
#: PostgreSQL advisory lock key for migrations (any constant; "RTBL" in ASCII).
_MIGRATION_LOCK = 0x5254424C


class Database:
    """An open transcript store. Sessions come from `session()`; the caller owns their scope."""

    def __init__(
        self,
        engine: Engine,
        *,
        location: str,
        has_fts: bool,
        moved_aside: MovedAside | None = None,
        backup: Path | None = None,
    ) -> None:
        self._engine = engine
        self._location = location
        self._has_fts = has_fts
        #: The damaged file this open moved aside before starting afresh, if any.
        self.moved_aside = moved_aside
        #: The copy this open took before migrating an existing database, if any.
        self.backup = backup
        self._reader = sessionmaker(bind=engine, expire_on_commit=False)
        self._writer = sessionmaker(
            bind=engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def location(self) -> str:
        """The file path (SQLite) or the URL without its password, for messages."""
        return self._location

    @property
    def file_path(self) -> Path | None:
        """The SQLite file, or None (memory, a server)."""
        return _file_path(self._engine.url)

    @property
    def has_fts(self) -> bool:
        """Whether a full-text index exists (FTS5 on SQLite, GIN indexes on PostgreSQL);
        otherwise search uses LIKE."""
        return self._has_fts

    def session(self, *, write: bool = False) -> Session:
        """A new Session. Pass `write=True` when it will write: on SQLite it then
        takes the write lock when its transaction begins."""
        return (self._writer if write else self._reader)()

    @contextmanager
    def transaction(self, action: str, *, write: bool = False) -> Iterator[Session]:
        """A Session in one transaction, committed at the end; a database error becomes
        a StorageError saying what could not be done (`action`) and where."""
        try:
            with self.session(write=write) as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise storage_error(action, self._location, exc) from exc

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({self._location!r})"


#: Told to whoever waits for an upgrade (`on_upgrade`): at 10,000 debates it took
#: one to two minutes (the backup copy, then a search-index rebuild).
UPGRADE_NOTICE = (
    "Upgrading the database {shown} for this version of Roundtable: this happens once, "
    "and a large history can take a few minutes. A copy of the old file is kept."
)


def open_database(
    location: str | Path | None = None, *, on_upgrade: Callable[[str], None] | None = None
) -> Database:
    """Open (creating and migrating to the newest schema if needed) the transcript store.

    `location` is a file path or an SQLAlchemy URL; None means `$ROUNDTABLE_DB`, else
    `roundtable.db` in the user's data directory. Raises StorageError, naming the
    location and what to do, when it cannot be opened, written or migrated, or when
    a newer Roundtable made it. A damaged SQLite file is moved aside and replaced by
    a fresh database (see `Database.moved_aside`).

    `on_upgrade` is called with `UPGRADE_NOTICE` before an existing database's schema
    is upgraded (not for a new one), so a person is not left facing silence.
    """
    url, shown = _resolve(location)
    path = _file_path(url)
    moved: MovedAside | None = None
    if path is not None and (damage := header_damage(path)) is not None:
        moved = move_aside(path, damage)
    engine = _engine_for(url, shown)
    try:
        if path is not None and moved is None and (damage := damage_at_open(engine, path)):
            engine.dispose()
            moved = move_aside(path, damage)
            engine = _engine_for(url, shown)
        backup = _migrate(engine, shown, path, on_upgrade)
        has_fts = _has_search_table(engine)
    except StorageError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError(
            f"cannot open the database {shown}: {_reason(exc)}; {WHERE_ELSE}."
        ) from exc
    return Database(engine, location=shown, has_fts=has_fts, moved_aside=moved, backup=backup)


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration, built in code (no alembic.ini is needed anywhere).

    For a new revision: `command.revision(alembic_config("sqlite:///dev.db"),
    "message", autogenerate=True, rev_id="0002")` against a database at head.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # configparser interpolation: a literal % must be doubled.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def storage_error(action: str, location: str, exc: SQLAlchemyError) -> StorageError:
    """A StorageError for a failed write or read, with what the user can do about it."""
    return StorageError(f"could not {action} in {location}: {_reason(exc)}.")


# ---------------------------------------------------------------- internals
def _resolve(location: str | Path | None) -> tuple[URL, str]:
    """The SQLAlchemy URL to connect to and how to name the location in messages."""
    if location is None:
        from roundtable.storage.team_store import team_store_url

        # The app's "team store" setting (a shared PostgreSQL) comes after the variable.
        location = os.environ.get(DB_ENV) or team_store_url() or paths.data_dir() / DB_FILENAME
    if isinstance(location, str) and "://" in location:
        try:
            url = make_url(location)
        except ArgumentError as exc:
            raise StorageError(f"{location!r} is not a database URL: {exc}; {WHERE_ELSE}.") from exc
        if url.get_backend_name() != "sqlite":
            return url, url.render_as_string(hide_password=True)
        if url.database in (None, "", ":memory:") or url.database.startswith("file:"):
            return url, str(url)
        location = Path(url.database)
    path = Path(location).expanduser()
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a database file; {WHERE_ELSE}.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StorageError(
            f"cannot create the folder for the database {path}: {reason}; {WHERE_ELSE}."
        ) from exc
    return URL.create("sqlite", database=str(path)), str(path)


def _file_path(url: URL) -> Path | None:
    """The file behind an SQLite URL; None for memory, `file:` URIs and servers."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database
    if database in (None, "", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def _engine_for(url: URL, shown: str) -> Engine:
    try:
        return _create_engine(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StorageError(f"cannot open the database {shown}: {exc}; {WHERE_ELSE}.") from exc
    except ImportError as exc:  # a URL whose database driver is not installed
        raise StorageError(
            f"cannot open the database {shown}: its driver is missing ({exc.name or exc}); "
            f"install it (for PostgreSQL: pip install psycopg) or {WHERE_ELSE}."
        ) from exc


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "postgresql":
        from roundtable.storage.postgres_text import without_nul

        engine = create_engine(url, pool_pre_ping=True)
        event.listen(engine, "connect", without_nul)
        return engine
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    in_memory = url.database in (None, "", ":memory:")
    engine = create_engine(
        url,
        # One shared connection, or every checkout would get its own empty database.
        poolclass=pool.StaticPool if in_memory else None,
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Explicit BEGINs from _begin_sqlite replace pysqlite's implicit ones (module docstring).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL, not WAL's usual NORMAL: a committed turn must survive a power cut
        # too; it costs about a millisecond per commit, and commits are per event.
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    writing = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _migrate(
    engine: Engine, shown: str, path: Path | None, on_upgrade: Callable[[str], None] | None
) -> Path | None:
    """Upgrade to head; return the backup taken first of a database that already had
    a schema (a brand-new file has nothing to lose)."""
    if _at_head(engine):
        return None  # the common case: no transaction, no write lock, no Alembic
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    heads = set(script.get_heads())
    with engine.connect() as probe:
        current = set(MigrationContext.configure(probe).get_current_heads())
    if current == heads:
        return None
    known = {revision.revision for revision in script.walk_revisions()}
    if current - known:
        raise StorageError(
            f"the database {shown} was made by a newer version of Roundtable (schema "
            f"{', '.join(sorted(current - known))}), so this one leaves it untouched; "
            f"upgrade Roundtable, or pass --db PATH (or set {DB_ENV}) for another file."
        )
    backup = None
    if current and on_upgrade is not None:
        on_upgrade(UPGRADE_NOTICE.format(shown=shown))
    with (
        engine.connect().execution_options(**{_WRITE_OPTION: True}) as connection,
        connection.begin(),
    ):
        # Under the write lock: nobody can write between the copy and the upgrade,
        # and a process that migrated while we waited for the lock is noticed here.
        _lock_for_migration(connection)
        current = set(MigrationContext.configure(connection).get_current_heads())
        if current and current != heads and path is not None:
            backup = back_up(path, label="-".join(sorted(current)))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup


def _lock_for_migration(connection: Connection) -> None:
    """On PostgreSQL, the write lock SQLite's BEGIN IMMEDIATE gives: several processes
    opening a new team store at once migrate it one after the other (held until the
    transaction ends; DDL is transactional there)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})


def _at_head(engine: Engine) -> bool:
    """Whether the database's schema is `SCHEMA_HEAD`, read as Alembic stores it."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        return list(found) == [SCHEMA_HEAD]


def _has_search_table(engine: Engine) -> bool:
    if engine.dialect.name == "postgresql":
        from roundtable.storage.search_postgres import has_search_index

        with engine.connect() as connection:
            return has_search_index(connection)
    if engine.dialect.name != "sqlite":
        return False
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": SEARCH_TABLE},
        ).first()
    return found is not None


def _reason(exc: SQLAlchemyError) -> str:
    """The database's own words, and a hint for the failures a person can fix."""
    original = getattr(exc, "orig", None) or exc
    message = str(original).strip() or type(original).__name__
    lowered = message.lower()
    if "disk is full" in lowered or "disk full" in lowered:
        return f"{message} (the disk is full: free some space)"
    if "readonly" in lowered or "read-only" in lowered:
        return f"{message} (the file or its folder is read-only)"
    if "locked" in lowered or "busy" in lowered:
        return f"{message} (another program holds the database; try again in a moment)"
    if "malformed" in lowered or "not a database" in lowered:
        return f"{message} (the file is damaged: on its next start Roundtable moves it aside)"
    if "unable to open" in lowered:
        return f"{message} (the file or its folder cannot be opened)"
    return message
