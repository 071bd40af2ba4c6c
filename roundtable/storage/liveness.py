"""Whether a "running" debate still has a live owner, with several machines writing.

Each debate records the process recording it (`owner_pid`) and that process's
machine (`owner_host`). On the owner's machine a pid check answers (a process that
is gone left its debate interrupted). A pid means nothing on another machine,
so a store shared by several (PostgreSQL) relies on a heartbeat instead: while a
process records, a daemon thread stamps `heartbeat_at` on its running debates every
`HEARTBEAT_S`; a debate owned elsewhere whose heartbeat is older than `STALE_AFTER`
lost its owner (the machine or the process died). One from another machine with no
heartbeat at all (an older Roundtable) is never declared dead from here.

`STALE_AFTER` is many beats long: a busy database or a machine's clock a minute
off must not make a live debate look dead.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from roundtable.domain import DebateStatus, StorageError
from roundtable.storage.db import Database
from roundtable.storage.rows import Debate

#: How often a recording process stamps its running debates.
HEARTBEAT_S = 20.0
#: A debate owned on another machine whose last stamp is older than this is orphaned.
STALE_AFTER = timedelta(minutes=3)


def heartbeat_is_stale(last: datetime | None, now: datetime) -> bool:
    """Whether a debate owned on another machine lost its owner, by its heartbeat."""
    return last is not None and now - last > STALE_AFTER


def beat(db: Database) -> int:
    """Stamp every running debate this process owns; return how many."""
    with db.transaction("record that its debates are alive", write=True) as session:
        result = session.execute(
            update(Debate)
            .where(
                Debate.status == DebateStatus.RUNNING,
                Debate.owner_pid == os.getpid(),
                Debate.owner_host == socket.gethostname(),
            )
            .values(heartbeat_at=datetime.now(UTC))
        )
        return int(getattr(result, "rowcount", 0) or 0)


class Heartbeat:
    """A daemon thread calling `beat(db)` every `interval` seconds until `stop()`.

    Only for a database another machine can share: an SQLite file's debates are
    judged by their pid (same machine), and need no writes every few seconds."""

    def __init__(self, db: Database, *, interval: float = HEARTBEAT_S) -> None:
        self._db = db
        self._interval = interval
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None or self._db.engine.dialect.name == "sqlite":
            return
        self._thread = threading.Thread(target=self._run, name="roundtable-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stopped.wait(self._interval):
            try:
                beat(self._db)
            except StorageError:
                # The next beat tries again; three minutes of failures make the
                # debates look dead elsewhere, which is what they then are to them.
                continue
