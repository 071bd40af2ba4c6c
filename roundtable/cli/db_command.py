"""`roundtable db copy`: move a history between stores (SQLite file, PostgreSQL);
`roundtable db check`: read every page of an SQLite file (`roundtable.cli.db_check`)."""

# No `from __future__ import annotations`: see roundtable.cli.app.

import sys
from typing import Annotated

import typer

from roundtable.cli.db_check import check
from roundtable.cli.exits import EXIT_FAILED, exit_with

db_app = typer.Typer(
    name="db",
    help="Work on whole stores: copy a history into a team's PostgreSQL store, or back; "
    "check a file for damage.",
    no_args_is_help=True,
)
db_app.command("check")(check)


@db_app.command("copy")
def copy(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="PATH|URL",
            help="The store to copy into: a file or an SQLAlchemy URL such as "
            "postgresql+psycopg://user@host/roundtable (created and migrated if new).",
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="PATH|URL",
            help="The store to copy from (default: $ROUNDTABLE_DB, else your usual roundtable.db).",
        ),
    ] = None,
) -> None:
    """Copy every debate and evaluation run into another store, nothing lost.

    What the target already holds (by id) is skipped: running it twice copies nothing
    new, and a copy cut short is finished by running it again."""
    exit_with(lambda: copy_command(to=to, source=source))


def copy_command(*, to: str, source: str | None) -> int:
    from roundtable.domain import ConfigError
    from roundtable.headless.stores import open_store
    from roundtable.storage.store_copy import copy_store

    origin = open_store(source, must_exist=True)
    try:
        target = open_store(to)
        try:
            if origin.location == target.location:
                raise ConfigError(f"--to and --from are the same store ({target.location})")
            report = copy_store(origin, target)
        finally:
            target.close()
    finally:
        origin.close()
    present = report.debates_present + report.runs_present
    print(
        f"Copied {report.debates_copied} debate(s) and {report.runs_copied} evaluation "
        f"run(s) from {origin.location} to {target.location}"
        + (f"; {present} were already there." if present else ".")
    )
    for item_id, reason in report.refused:
        print(f"Not copied: {item_id}: {reason}", file=sys.stderr)
    return EXIT_FAILED if report.refused else 0
