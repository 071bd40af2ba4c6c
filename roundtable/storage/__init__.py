"""The transcript store: every debate, as it happens, in SQLite (or any SQLAlchemy URL).

    db = open_database()                    # migrates to the newest schema
    recorder = Recorder(db)                 # an event sink: recorder(event)
    list_debates(db); search_debates(db, "capital of France")
    record = load_debate(db, resolve_id(db, "3f2a"))

Imports only `roundtable.domain` (plus SQLAlchemy and Alembic); rows never leave this
package, callers get the frozen records of `roundtable.storage.records`.
"""

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
    mark_orphans_interrupted,
    rename_debate,
    resolve_id,
    search_debates,
)
from roundtable.storage.recorder import Recorder
from roundtable.storage.records import (
    DebateRecord,
    DebateSummary,
    RoundRecord,
    SearchHit,
    SeatRecord,
    TurnRecord,
)
from roundtable.storage.search import SNIPPET_END, SNIPPET_START

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
    "SearchHit",
    "SeatRecord",
    "TurnRecord",
    "debate_to_archive",
    "delete_debate",
    "events_from_archive",
    "list_debates",
    "load_debate",
    "load_events",
    "mark_orphans_interrupted",
    "open_database",
    "rename_debate",
    "resolve_id",
    "search_debates",
]
