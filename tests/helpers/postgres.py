"""A real PostgreSQL server for the tests, started by the tests themselves.

`pgserver` (PyPI, in the dev extras) ships PostgreSQL 16 in its wheel: no system
service, no root needed (run as root, it starts the server as a `pgserver` user
it creates). The server listens only on a Unix socket in its data folder. One
server serves a whole test session; each test gets a database of its own.

Its folder is a fresh one in the system's temporary folder, not pytest's: as root,
pgserver runs the server as another user and opens the folders above its data to
it, and every pytest run (another one at the same time included) closes
`/tmp/pytest-of-<user>` to its owner again, which stops the server.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

_DRIVER = "postgresql+psycopg"
_names = itertools.count()


class PostgresServer:
    """A running server: `new_database()` hands out an empty database's URL."""

    def __init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="roundtable-pg-"))
        with warnings.catch_warnings():
            # platformdirs warns at import when XDG_RUNTIME_DIR is unset (CI, root).
            warnings.simplefilter("ignore")
            import pgserver

        self._server: Any = pgserver.get_server(self._folder / "data", cleanup_mode="delete")
        uri = self._server.get_uri()  # postgresql://postgres:@/postgres?host=DIR
        self.admin_url = uri.replace("postgresql://", f"{_DRIVER}://", 1)
        self._admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as connection:
            # A throwaway server: durability would only cost time (CREATE DATABASE and
            # each commit wait for the disk, 0.5 s a test on a busy machine).
            connection.execute(text("ALTER SYSTEM SET fsync = off"))
            connection.execute(text("ALTER SYSTEM SET synchronous_commit = off"))
            connection.execute(text("ALTER SYSTEM SET full_page_writes = off"))
            connection.execute(text("SELECT pg_reload_conf()"))

    @property
    def version(self) -> str:
        with self._admin.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())

    def new_database(self) -> str:
        """The URL of a new, empty database on this server."""
        name = f"rt_{os.getpid()}_{next(_names)}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self._admin.connect() as connection:
            # FORCE: a test that failed may have left a connection open.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def stop(self) -> None:
        self._admin.dispose()
        self._server.cleanup()
        shutil.rmtree(self._folder, ignore_errors=True)
