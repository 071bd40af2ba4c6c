"""`roundtable mcp`: Roundtable as a Model Context Protocol server, for an assistant
or an editor to ask the table questions (`roundtable.mcp_server`)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from roundtable.cli.exits import exit_with
from roundtable.cli.options import DbOption


def mcp(
    http: Annotated[
        bool,
        typer.Option(
            "--http",
            help="Serve streamable HTTP on 127.0.0.1 instead of standard input/output.",
        ),
    ] = False,
    port: Annotated[
        int,
        typer.Option("--port", min=1, max=65535, help="The port for --http."),
    ] = 8765,
    db: DbOption = None,
) -> None:
    """Serve the round table to an MCP client (Claude Desktop, an IDE, an agent).

    The client starts `roundtable mcp` and talks to it on standard input/output; its
    tools ask the table a question, read stored debates, and start and read
    evaluation runs. Every debate is stored, as with roundtable run.
    """
    exit_with(lambda: _serve(db, http=http, port=port))


def _serve(db: str | None, *, http: bool, port: int) -> int:
    from roundtable.headless.stores import open_store
    from roundtable.mcp_server.server import serve

    open_store(db).close()  # a database that cannot be opened is said now, not per tool call
    if not http:
        # The protocol owns standard output: the SDK serves it from the real file (and
        # points fd 1 at stderr for anything else), not the CLI's watched wrapper.
        sys.stdout = sys.__stdout__
    serve(db, transport="streamable-http" if http else "stdio", port=port)
    return 0
