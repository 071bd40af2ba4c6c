"""`roundtable import FILE`: bring a debate exported as a JSON archive into the database.

The archive is checked whole before anything is written, and written in one
transaction: a bad file leaves the database exactly as it was (exit code 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from roundtable.cli.exits import fail_usage
from roundtable.cli.hints import suggested_command
from roundtable.cli.options import DbOption
from roundtable.domain import ConfigError, StorageError
from roundtable.domain.formatting import visible_controls


def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A JSON archive made by `roundtable export --format json`."
        ),
    ],
    new_id: Annotated[
        bool,
        typer.Option(
            "--new-id",
            help="If a debate with the archive's id is already stored, import this one as "
            "a copy under a new id (default: refuse).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import a debate from a JSON archive, whole or not at all."""
    try:
        message = import_archive_file(file, new_id=new_id, db=db)
    except (ConfigError, StorageError) as exc:
        raise fail_usage(f"cannot import {file}: {exc}. Nothing was imported.") from None
    Console(highlight=False).print(message, soft_wrap=True)  # a command must paste whole


def import_archive_file(file: Path, *, new_id: bool, db: str | None) -> Text:
    """Import `file`; return what to tell the person. Raises ConfigError/StorageError."""
    from roundtable.headless.stores import open_store
    from roundtable.storage.importer import OnClash, import_archive, read_archive

    # Read and parse before opening the database: a bad file touches nothing.
    document = read_archive(file)
    database = open_store(db)
    try:
        result = import_archive(
            database, document, on_clash=OnClash.NEW_ID if new_id else OnClash.REFUSE
        )
    finally:
        database.close()
    text = Text.assemble(
        "Imported ",
        (visible_controls(result.title) or "an untitled debate", "bold"),  # the file's words
        f" as {result.debate_id[:8]} ({result.status.value}, {result.events} events).",
    )
    if result.renamed:
        text.append(
            f"\nA debate with its id ({result.archived_id[:8]}) was already stored, so "
            f"this is a copy with the new id {result.debate_id}."
        )
    show = suggested_command("show", result.debate_id[:8], db=db)
    text.append(f"\nShow it with: {show}", style="dim")
    return text
