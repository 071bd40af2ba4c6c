"""Opening the transcript database from the command line, and recording into it."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from roundtable.cli.terminal_text import visible_controls
from roundtable.domain import Event, StorageError
from roundtable.engine.continuation_service import StoredDebate
from roundtable.storage import (
    Database,
    Recorder,
    load_debate,
    load_events,
    mark_orphans_interrupted,
    open_database,
    resolve_id,
)


def open_store(location: str | None) -> Database:
    """Open (and migrate) the database; debates left running by a dead process become
    "interrupted" here, so `list` never shows a debate as running forever.

    A damaged file moved aside, or a backup taken before a migration, is said on
    stderr, so the person knows where their old file is."""
    database = open_database(location)
    notice = Console(stderr=True, highlight=False)
    if database.moved_aside is not None:
        notice.print(Text(f"Warning: {database.moved_aside.message()}", style="yellow"))
    if database.backup is not None:
        notice.print(
            Text(f"Upgraded the database; the previous version is kept at {database.backup}")
        )
    mark_orphans_interrupted(database)
    return database


def load_stored(database: Database, debate_id: str) -> StoredDebate:
    """The stored debate whose id is or starts with `debate_id`, as the planner reads it."""
    full_id = resolve_id(database, debate_id)
    return StoredDebate.of(load_debate(database, full_id), load_events(database, full_id))


class SavingRecorder:
    """The recorder as a terminal sink that stops cleanly when saving fails.

    The first failed write (disk full, a lost file) raises StorageError into the
    engine, which stops the debate; every later event raises it again, so neither
    the database nor the screen gets the engine's "internal error" for it. What was
    saved before stays (the debate opens as interrupted and can be resumed).

    `stored_through`: events up to this `seq` are in the database already (a resume
    sends its kept rounds again, for the view, not to be stored twice).
    """

    def __init__(self, database: Database, *, stored_through: int | None = None) -> None:
        self._recorder = Recorder(database)
        self._stored_through = stored_through
        self.failure: StorageError | None = None
        self.debate_id: str | None = None

    def __call__(self, event: Event) -> None:
        if self.failure is not None:
            raise self.failure
        self.debate_id = event.debate_id
        if self._stored_through is not None and event.seq <= self._stored_through:
            return
        try:
            self._recorder(event)
        except StorageError as exc:
            self.failure = exc
            raise

    def close(self) -> None:
        if self.failure is None:  # else flushing would only fail again
            self._recorder.close()

    def report(self, console: Console) -> None:
        """Say why the debate stopped and what is kept (after a failure)."""
        short = (self.debate_id or "")[:8]
        console.print(
            Text.assemble(
                ("The debate stopped: ", "bold red"),
                visible_controls(str(self.failure)),
                "\nEverything saved before this point is kept; the debate "
                f"shows as interrupted. Once the problem is fixed, `roundtable resume {short}` "
                "continues it from its last complete round.",
            )
        )
