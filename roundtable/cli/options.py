"""Command-line options that several commands share, spelled and explained once."""

from __future__ import annotations

from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database path or SQLAlchemy URL (default: $ROUNDTABLE_DB or the user data dir).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object instead of the live view.")
]
BriefOption = Annotated[
    bool, typer.Option("--brief", help="Show answers only, not each turn's full text.")
]
IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="A debate id (a unique prefix is enough).")
]
BudgetOption = Annotated[
    float | None,
    typer.Option(
        "--budget",
        metavar="USD",
        help="Stop before a round that could take the debate's cost past this many US dollars "
        "(resumable with a higher --budget).",
    ),
]
