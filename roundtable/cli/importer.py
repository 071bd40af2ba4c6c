"""`roundtable import FILE...`: bring debates exported as JSON archives into the database.

One file: it is checked whole before anything is written, and written in one
transaction; a bad file leaves the database exactly as it was (exit code 2).

Many files (`roundtable import archives/*.json`): each is checked, and the good
ones are written in batches; one that fails its check is named with its reason on
stderr and the others still come in. A progress bar shows on a terminal. Exit code
0 when all came in, 1 when some did not, 2 when none did.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from roundtable.cli.exits import EXIT_FAILED, EXIT_USAGE, err, fail_usage, print_error
from roundtable.cli.hints import suggested_command
from roundtable.cli.options import DbOption
from roundtable.domain import ConfigError, StorageError
from roundtable.domain.formatting import visible_controls

if TYPE_CHECKING:
    from roundtable.storage.importer import ImportReport


def import_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="JSON archives made by `roundtable export --format json` "
            "(many at once: archives/*.json).",
        ),
    ],
    new_id: Annotated[
        bool,
        typer.Option(
            "--new-id",
            help="If a debate with an archive's id is already stored, import it as "
            "a copy under a new id (default: refuse).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import debates from JSON archives, each whole or not at all."""
    if len(files) == 1:
        try:
            message = import_archive_file(files[0], new_id=new_id, db=db)
        except (ConfigError, StorageError) as exc:
            raise fail_usage(f"cannot import {files[0]}: {exc}. Nothing was imported.") from None
        Console(highlight=False).print(message, soft_wrap=True)  # a command must paste whole
        return
    try:
        report = import_many(files, new_id=new_id, db=db)
    except (ConfigError, StorageError) as exc:
        raise fail_usage(f"cannot import: {exc}") from None
    for path, reason in report.failed:
        print_error(f"cannot import {path}: {reason}")
    Console(highlight=False).print(many_summary(report, db=db), soft_wrap=True)
    if report.failed:
        raise typer.Exit(EXIT_FAILED if report.imported else EXIT_USAGE)


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


def import_many(files: list[Path], *, new_id: bool, db: str | None) -> ImportReport:
    """Import every file, with a progress bar on a terminal (stderr)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from roundtable.headless.stores import open_store
    from roundtable.storage.importer import OnClash, import_files

    database = open_store(db)
    on_clash = OnClash.NEW_ID if new_id else OnClash.REFUSE
    try:
        if not err.is_terminal:
            return import_files(database, files, on_clash=on_clash)
        columns = ("Importing", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("import", total=len(files))
            return import_files(
                database,
                files,
                on_clash=on_clash,
                progress=lambda done, _total: progress.update(task, completed=done),
            )
    finally:
        database.close()


def many_summary(report: ImportReport, *, db: str | None) -> Text:
    """What `import_many` did, in a few lines."""
    imported, failed = len(report.imported), len(report.failed)
    total = imported + failed
    text = Text(f"Imported {imported:,} of {total:,} archives.")
    copies = sum(1 for _, result in report.imported if result.renamed)
    if copies:
        text.append(f"\n{copies:,} had an id already stored and came in as copies with new ids.")
    if failed:
        text.append(f"\n{failed:,} could not be imported (each is named above).")
    if imported:
        text.append(f"\nList them with: {suggested_command('list', db=db)}", style="dim")
    return text
