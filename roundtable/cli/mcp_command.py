"""`roundtable mcp`: Roundtable as a Model Context Protocol server, for an assistant
or an editor to ask the table questions (`roundtable.mcp_server`)."""

# No `from __future__ import annotations`: see roundtable.cli.app.

import sys
from typing import Annotated

import typer
from rich.text import Text

from roundtable.cli.exits import err, exit_stopped, exit_with, stopped_how
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
    from roundtable.headless.stop_signal import sigterm_as_ctrl_c
    from roundtable.headless.stores import open_store
    from roundtable.mcp_server.server import serve

    open_store(db).close()  # a database that cannot be opened is said now, not per tool call
    if not http:
        # The protocol owns standard output: the SDK serves it from the real file (and
        # points fd 1 at stderr for anything else), not the CLI's watched wrapper.
        sys.stdout = sys.__stdout__
    try:
        with sigterm_as_ctrl_c():  # a service manager's stop: debates kept, as Ctrl+C does
            serve(db, transport="streamable-http" if http else "stdio", port=port)
    except KeyboardInterrupt:
        _say_what_is_kept(db)
        return exit_stopped()
    return 0


def _say_what_is_kept(db: str | None) -> None:
    """After Ctrl+C or SIGTERM, on stderr (the client's log): the debates that were
    running, stored as cancelled, and the command that finishes each."""
    from roundtable.cli.hints import suggested_command
    from roundtable.mcp_server.server import unfinished_debates

    kept = unfinished_debates()
    said = [f"The server stopped {stopped_how()}."]
    if not kept:
        said.append("No debate was running.")
    for debate_id in kept:
        resume = suggested_command("resume", debate_id[:8], db=db)
        said.append(f"Debate {debate_id[:8]} is kept. Finish it with: {resume}")
    err.print(Text("\n".join(said)), soft_wrap=True)
