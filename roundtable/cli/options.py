"""Command-line options that several commands share, spelled and explained once."""

# No `from __future__ import annotations`: see roundtable.cli.app.

from typing import Annotated

import typer

from roundtable.domain.values import PROTOCOLS

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="Database file or SQLAlchemy URL (default: $ROUNDTABLE_DB, else roundtable.db "
        "in the user data folder; roundtable path shows it).",
    ),
]
SeatOption = Annotated[
    list[str] | None,
    typer.Option(
        "--seat",
        "-s",
        metavar="MODEL",
        help="A seat: MODEL or NAME=MODEL, a litellm id such as openai/gpt-4o or demo/ada; "
        "human seats you. Repeat for more.",
    ),
]
PanelOption = Annotated[
    str | None,
    typer.Option(
        "--panel",
        "-p",
        metavar="FILE|NAME",
        help="The seats from a TOML panel file, or from a table saved by name (--save NAME, "
        "or Save table in the app).",
    ),
]
ProtocolOption = Annotated[
    str | None,
    typer.Option(
        "--protocol",
        metavar="NAME",
        help=f"How the table debates: {', '.join(PROTOCOLS)} (default {PROTOCOLS[0]}).",
    ),
]
RoundsOption = Annotated[
    int | None,
    typer.Option(
        "--rounds",
        "-r",
        metavar="N",
        help="At most N rounds, the first (independent answers) included: 1 is answers "
        "alone (default 3).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object instead of the live view.")
]
#: --json for a command that shows something stored (nothing runs live).
PrintJsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
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
ServerConcurrencyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--server-concurrency",
        metavar="SERVER=N",
        help="How many requests a server takes at once: SERVER is its address "
        "(localhost:8080) or a provider (anthropic); a bare N sets every server of the "
        "table; 0 is no limit. Default: 1 for a local server, none for a hosted one. "
        "Repeat for more.",
    ),
]
