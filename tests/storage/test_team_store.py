"""Settings › Team store: the shared database every command opens, its password kept
in the keyring (never the settings file), and the name debates carry."""

from __future__ import annotations

import pytest

from roundtable.domain import ConfigError
from roundtable.paths import data_dir
from roundtable.storage import list_debates, open_database
from roundtable.storage.people import current_user
from roundtable.storage.team_store import (
    SETTING_FILE,
    save_team_store,
    saved_team_store,
    team_store_url,
)
from tests.helpers.debates import finished_debate
from tests.helpers.events import record


def test_the_password_goes_to_the_keyring_and_never_to_the_file(memory_keyring):
    save_team_store("postgresql+psycopg://ada:s3cret@db.example.com/roundtable", "Ada L.")
    written = (data_dir() / SETTING_FILE).read_text(encoding="utf-8")
    assert "s3cret" not in written
    assert saved_team_store().url == "postgresql+psycopg://ada@db.example.com/roundtable"
    assert team_store_url() == "postgresql+psycopg://ada:s3cret@db.example.com/roundtable"
    assert current_user() == "Ada L."


def test_without_a_keyring_a_password_is_refused_with_the_way_out(monkeypatch):
    monkeypatch.setattr("roundtable.providers.keys.keyring_available", lambda: False)
    with pytest.raises(ConfigError, match="PGPASSWORD"):
        save_team_store("postgresql+psycopg://ada:s3cret@db/roundtable", "")
    assert not (data_dir() / SETTING_FILE).exists()
    with pytest.raises(ConfigError, match="not a database URL"):
        save_team_store("not a url", "")


@pytest.mark.postgres
def test_every_command_opens_the_team_store_when_no_db_is_named(postgres_url, monkeypatch):
    monkeypatch.delenv("ROUNDTABLE_USER", raising=False)
    save_team_store(postgres_url, "Basil")
    with open_database() as team:  # no --db, no $ROUNDTABLE_DB
        assert team.engine.dialect.name == "postgresql"
        record(team, finished_debate("shared"))
        (summary,) = list_debates(team)
    assert summary.started_by == "Basil"
    monkeypatch.setenv("ROUNDTABLE_DB", str(data_dir() / "mine.db"))
    with open_database() as mine:  # the variable still wins
        assert mine.engine.dialect.name == "sqlite"


def test_roundtable_path_names_the_team_store_without_its_password(memory_keyring):
    from typer.testing import CliRunner

    from roundtable.cli import app

    save_team_store("postgresql+psycopg://ada:s3cret@db.example.com/roundtable", "")
    shown = CliRunner().invoke(app, ["path"])
    assert shown.exit_code == 0, shown.output
    said = " ".join(shown.stdout.split())
    assert "postgresql+psycopg://ada@db.example.com/roundtable (Settings › Team store)" in said
    assert "s3cret" not in shown.stdout
