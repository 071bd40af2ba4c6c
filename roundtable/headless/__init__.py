"""What both front ends without a window share: the command line (`roundtable.cli`)
and the MCP server (`roundtable.mcp_server`) choose a table, open the database, check
a debate, shape results as JSON and run evaluations the same way, from here.

Nothing here draws on a terminal (no rich, no typer) or imports Qt: each front end
says things its own way.

    tables.py        a DebateSpec from --seat / --panel options, or the demo table
    saved_tables.py  tables saved by name (the app's "Save table…" folder)
    checks.py        what is refused before a debate runs (keys, servers, people)
    stores.py        the database from --db or $ROUNDTABLE_DB, and a stored debate
    summaries.py     the JSON shapes of a debate (`run --json`) and of a listed one
    evaluations.py   the steps of an evaluation run, and its report
"""
