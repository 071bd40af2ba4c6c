"""The next release's schema, for tests of what an upgrade does to a stored database."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from roundtable.storage import db as db_module

NEXT_REVISION = '''"""A test-only next schema revision."""
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("notes", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("notes")
'''


def ship_next_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """From now on: this code's migrations plus one more, as the next release would
    ship them. Returns the revision databases made until now are at."""
    from alembic.script import ScriptDirectory

    (head,) = ScriptDirectory.from_config(db_module.alembic_config()).get_heads()
    migrations = tmp_path / "migrations"
    shutil.copytree(
        db_module.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    (migrations / "versions" / "0099_notes.py").write_text(NEXT_REVISION.format(head=head))
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", migrations)
    monkeypatch.setattr(db_module, "SCHEMA_HEAD", "0099")  # as the release would set it
    return head


# ---------------------------------------------------------------- an older release's store
def migrate(path: Path, revision: str, *, down: bool = False) -> None:
    """Bring the SQLite file at `path` up (or `down`) to schema `revision`."""
    import alembic.command
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = db_module.alembic_config()
        config.attributes["connection"] = connection
        (alembic.command.downgrade if down else alembic.command.upgrade)(config, revision)
    engine.dispose()


def store_at(path: Path, revision: str, *debate_ids: str) -> Path:
    """A store at schema `revision` (an older release's) holding a finished debate per
    id, written by that release's triggers: recorded at head beside it, then copied in
    (only the columns the older schema has)."""
    from roundtable.storage import open_database
    from tests.helpers.debates import finished_debate
    from tests.helpers.events import record

    migrate(path, revision)
    newer = path.with_name(f"{path.stem}-at-head.db")
    with open_database(newer) as database:
        for debate_id in debate_ids:
            record(database, finished_debate(debate_id))
    old = sqlite3.connect(path)
    try:
        old.execute("ATTACH DATABASE ? AS new", (str(newer),))
        for table in ("debates", "seats", "rounds", "turns", "events"):
            columns = ", ".join(row[1] for row in old.execute(f"PRAGMA main.table_info({table})"))
            old.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM new.{table}")
        old.commit()
    finally:
        old.close()
    return path
