"""Alembic environment for Roundtable's transcript database.

`roundtable.storage.db.open_database` upgrades to head in-process and hands over its
own connection through `config.attributes["connection"]`. A developer generating a
revision runs Alembic with `-x url=sqlite:///path.db` (no alembic.ini is needed in
the working directory; see `roundtable.storage.db.alembic_config`).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from roundtable.storage.rows import SEARCH_TABLE, Base


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # The FTS5 table and its shadow tables are made with raw SQL, not the metadata.
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode recreates the table instead.
        render_as_batch=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("pass the database with: alembic -x url=sqlite:///path/to.db …")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


_main()
