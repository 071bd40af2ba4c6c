"""Roundtable as a Model Context Protocol server (`roundtable mcp`).

A second front end beside the command line, over the same engine and storage: an MCP
client (an assistant, an IDE) asks the table a question, reads stored debates and
evaluation runs, and starts an evaluation. Every debate asked here is recorded by the
same recorder as `roundtable run`'s, in the same database, so it opens in the app.

    server.py     the MCP server: its tools, their descriptions, the transports
    asking.py     ask the table: choose it, check it, run and record the debate
    outcome.py    what an asking returns: the answer, the vote, where seats disagreed
    stored.py     list, search and show stored debates
    evals.py      start an evaluation run in the background, read its report
    guard.py      errors as tool errors, and nothing key-like in any result

Named `mcp_server`, not `mcp`, so it never shadows the SDK's own `mcp` package.
"""
