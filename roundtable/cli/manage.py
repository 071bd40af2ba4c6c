"""`roundtable delete ID…` and `roundtable path`: looking after what is stored, and where.

    roundtable delete ID... [--yes]     asks first on a terminal; --yes in scripts
    roundtable path [WHAT] [--json]     where the database, settings, tables… are

`path` reads no database and imports neither SQLAlchemy nor the engine: it only
says where things are.

The commands are registered in `roundtable.cli.app`.
"""

# No `from __future__ import annotations`: see roundtable.cli.app.

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from roundtable.cli.exits import EXIT_USAGE, err, exit_with, fail_usage
from roundtable.cli.options import DbOption
from roundtable.domain import ConfigError
from roundtable.domain.formatting import visible_controls


def delete(
    debate_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID", help="Debate ids (a unique prefix is enough).", show_default=False
        ),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask; needed when not on a terminal.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Delete stored debates, with their rounds, turns and search entries. Forks and
    follow-ups of a deleted debate stay, no longer linked to it."""
    exit_with(lambda: delete_command(debate_ids, yes=yes, db=db))


def delete_command(debate_ids: list[str], *, yes: bool, db: str | None) -> int:
    from roundtable.domain import DebateStatus
    from roundtable.headless.stores import open_store
    from roundtable.storage import delete_debate, load_debate, resolve_id

    database = open_store(db, must_exist=True)
    try:
        # Every id resolved, and every debate checked, before anything is deleted.
        chosen = [
            load_debate(database, resolve_id(database, given)).summary for given in debate_ids
        ]
        chosen = list({summary.id: summary for summary in chosen}.values())
        running = [s for s in chosen if s.status is DebateStatus.RUNNING]
        if running:
            raise ConfigError(
                f"debate {running[0].id[:8]} is being recorded by a running Roundtable; "
                "stop it first (or wait for it to end)"
            )
        out = Console(highlight=False)
        for summary in chosen:
            out.print(Text(f"{summary.id[:8]}  {visible_controls(summary.title)}"))
        if not yes and not _confirmed(len(chosen)):
            return EXIT_USAGE
        for summary in chosen:
            delete_debate(database, summary.id)
    finally:
        database.close()
    noun = "debate" if len(chosen) == 1 else "debates"
    out.print(f"Deleted {len(chosen)} {noun}.")
    return 0


def _confirmed(count: int) -> bool:
    """Ask on the terminal; refuse (exit 2) when there is no one to ask."""
    if not sys.stdin.isatty():
        raise fail_usage("not on a terminal, so nothing was deleted: add --yes to delete")
    what = "this debate" if count == 1 else f"these {count} debates"
    answer = input(f"Delete {what}? This cannot be undone. [y/N] ")
    if answer.strip().lower() in {"y", "yes"}:
        return True
    err.print("Nothing was deleted.")
    return False


# ---------------------------------------------------------------- path
_WHAT = ("database", "data", "settings", "tables", "reports", "logs")


def path(
    what: Annotated[
        str | None,
        typer.Argument(
            metavar="WHAT",
            help=f"Print only this one, for scripts: {', '.join(_WHAT)}.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show where Roundtable keeps its files: the database, the app's settings, saved
    tables, evaluation reports and logs. API keys are in the system keyring, not here."""
    exit_with(lambda: path_command(what, db=db, as_json=as_json))


def path_command(what: str | None, *, db: str | None, as_json: bool) -> None:
    places = _places(db)
    if what is not None:
        key = what.lower()
        if key not in places:
            raise ConfigError(f"unknown place {what!r}; choose one of {', '.join(_WHAT)}")
        print(places[key])
        return
    if as_json:
        print(json.dumps(places | {"database_from": _database_source(db)}, indent=2))
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")  # a path is shown whole, never cut short
    rows = {
        "Database": f"{places['database']}  ({_database_source(db)}{_exists(places['database'])})",
        "Data folder": places["data"],
        "Settings": f"{places['settings']}  (the app's)",
        "Saved tables": f"{places['tables']}  (--save NAME, --panel NAME)",
        "Reports": places["reports"],
        "Logs": places["logs"],
        "API keys": 'the system keyring (service "roundtable") or environment variables',
    }
    for name, where in rows.items():
        table.add_row(Text(name, style="bold"), Text(visible_controls(where)))
    Console(highlight=False, soft_wrap=True).print(table)


def _places(db: str | None) -> dict[str, str]:
    from roundtable.paths import data_dir
    from roundtable.storage.saved_tables import tables_dir

    data = data_dir()
    return {
        "database": _database_location(db),
        "data": str(data),
        "settings": str(data / "settings.ini"),
        "tables": str(tables_dir()),
        "reports": str(reports_folder(db)),
        "logs": str(data / "logs"),
    }


def reports_folder(db: str | None) -> Path:
    """Where evaluation reports go by default: beside the database file, else in the
    data folder."""
    from roundtable.paths import DB_ENV, data_dir

    location = db or os.environ.get(DB_ENV)
    if location and "://" not in location:
        return Path(location).expanduser().resolve().parent / "reports"
    return data_dir() / "reports"


def _database_location(db: str | None) -> str:
    """The database as the commands would open it (a URL without its password)."""
    from roundtable.paths import DB_ENV, DB_FILENAME, data_dir
    from roundtable.storage.team_store import saved_team_store

    # The team store's URL as saved: without its password (that is in the keyring).
    location = db or os.environ.get(DB_ENV) or saved_team_store().url
    if not location:
        return str(data_dir() / DB_FILENAME)
    if "://" in location:
        from sqlalchemy import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            return make_url(location).render_as_string(hide_password=True)
        except ArgumentError:
            return location
    return str(Path(location).expanduser().resolve())


def _database_source(db: str | None) -> str:
    from roundtable.paths import DB_ENV

    if db is not None:
        return "from --db"
    if os.environ.get(DB_ENV):
        return f"from ${DB_ENV}"
    from roundtable.storage.team_store import saved_team_store

    return "Settings › Team store" if saved_team_store().url else "the default"


def _exists(location: str) -> str:
    if "://" in location:
        return ""
    return "" if Path(location).exists() else ", not created yet"
