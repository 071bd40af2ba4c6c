"""The transcript store: every debate, as it happens, in SQLite (or any SQLAlchemy URL).

    db = open_database()                    # migrates to the newest schema
    recorder = Recorder(db)                 # an event sink: recorder(event)
    list_debates(db); search_debates(db, "capital of France")
    record = load_debate(db, resolve_id(db, "3f2a"))

Imports only `roundtable.domain` (plus SQLAlchemy and Alembic); rows never leave this
package, callers get the frozen records of `roundtable.storage.records`.

The names below load their module on first use (PEP 562): SQLAlchemy and Alembic take
about a second to import, and the GUI must put its window on screen before paying for
them. `roundtable.storage.records` stays cheap to import on its own. To export a new
name, add it to `_LAZY` (and to the TYPE_CHECKING imports for type checkers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roundtable.lazy_names import lazy_names
from roundtable.storage.records import (
    SNIPPET_END,
    SNIPPET_START,
    DebateRecord,
    DebateSummary,
    RoundRecord,
    SearchHit,
    SeatRecord,
    TurnRecord,
)

if TYPE_CHECKING:
    from roundtable.storage.archive import (
        ARCHIVE_FORMAT,
        ARCHIVE_VERSION,
        debate_to_archive,
        events_from_archive,
    )
    from roundtable.storage.db import DB_ENV, Database, open_database
    from roundtable.storage.queries import (
        MIN_ID_PREFIX,
        delete_debate,
        list_debates,
        load_debate,
        load_events,
        mark_interrupted,
        mark_orphans_interrupted,
        rename_debate,
        resolve_id,
        search_debates,
    )
    from roundtable.storage.recorder import Recorder
    from roundtable.storage.saving_recorder import SavingRecorder

_LAZY: dict[str, str] = {
    "ARCHIVE_FORMAT": "archive",
    "ARCHIVE_VERSION": "archive",
    "debate_to_archive": "archive",
    "events_from_archive": "archive",
    "DB_ENV": "db",
    "Database": "db",
    "open_database": "db",
    "MIN_ID_PREFIX": "queries",
    "delete_debate": "queries",
    "list_debates": "queries",
    "load_debate": "queries",
    "load_events": "queries",
    "mark_interrupted": "queries",
    "mark_orphans_interrupted": "queries",
    "rename_debate": "queries",
    "resolve_id": "queries",
    "search_debates": "queries",
    "Recorder": "recorder",
    "SavingRecorder": "saving_recorder",
}

__getattr__ = lazy_names(__name__, {name: f"{__name__}.{home}" for name, home in _LAZY.items()})


__all__ = [
    "ARCHIVE_FORMAT",
    "ARCHIVE_VERSION",
    "DB_ENV",
    "MIN_ID_PREFIX",
    "SNIPPET_END",
    "SNIPPET_START",
    "Database",
    "DebateRecord",
    "DebateSummary",
    "Recorder",
    "RoundRecord",
    "SavingRecorder",
    "SearchHit",
    "SeatRecord",
    "TurnRecord",
    "debate_to_archive",
    "delete_debate",
    "events_from_archive",
    "list_debates",
    "load_debate",
    "load_events",
    "mark_interrupted",
    "mark_orphans_interrupted",
    "open_database",
    "rename_debate",
    "resolve_id",
    "search_debates",
]
