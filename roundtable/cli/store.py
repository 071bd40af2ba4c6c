"""Opening the transcript database from the command line, and recording into it."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from roundtable.cli.terminal_text import visible_controls
from roundtable.engine.continuation_service import StoredDebate
from roundtable.storage import (
    Database,
    SavingRecorder,
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


def report_stopped(recorder: SavingRecorder, console: Console) -> None:
    """Say on the terminal why the debate stopped and what is kept (after a failure)."""
    head, _, rest = recorder.stopped_message().partition("\n")
    console.print(Text.assemble((visible_controls(head), "bold red"), "\n", visible_controls(rest)))
