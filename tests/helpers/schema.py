"""The next release's schema, for tests of what an upgrade does to a stored database."""

from __future__ import annotations

import shutil
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
