"""A mistyped --db (or $ROUNDTABLE_DB) is refused by the commands that only read it,
and nothing is created: no folders, no empty database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from roundtable.cli import app

READERS = [
    ["list"],
    ["list", "--search", "anything"],
    ["show", "abcd1234"],
    ["export", "abcd1234"],
    ["export", "--format", "finetune"],
    ["evals"],
    ["eval-report", "abcd1234"],
    ["fork", "abcd1234", "--from-round", "1"],
    ["followup", "abcd1234", "and then?"],
    ["resume", "abcd1234"],
]


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_read_only_command_refuses_a_database_that_does_not_exist(tmp_path, command):
    typo = tmp_path / "no-such-folder" / "roundtabel.db"

    result = CliRunner().invoke(app, [*command, "--db", str(typo)])

    assert result.exit_code == 2, result.output
    assert "there is no database at" in result.output
    assert "--db" in result.output
    assert not typo.parent.exists(), "no folder may be made for a mistyped path"


def test_the_variable_is_named_when_it_points_nowhere(tmp_path, monkeypatch):
    typo = tmp_path / "typo.db"
    monkeypatch.setenv("ROUNDTABLE_DB", f"sqlite:///{typo}")

    result = CliRunner().invoke(app, ["list"])

    assert result.exit_code == 2
    assert "ROUNDTABLE_DB" in result.output
    assert not typo.exists()


def test_a_new_user_with_the_default_location_is_told_nothing_is_stored_yet():
    result = CliRunner().invoke(app, ["list"])

    assert result.exit_code == 0, result.output
    assert "No debates stored yet" in result.output


def test_a_command_that_writes_still_creates_its_database(tmp_path):
    fresh = tmp_path / "new" / "t.db"

    result = CliRunner().invoke(app, ["run", "What is 2+2?", "--db", str(fresh), "--json"])

    assert result.exit_code == 0, result.output
    assert fresh.exists()


def test_models_with_a_database_that_does_not_exist_lists_models_and_creates_nothing(tmp_path):
    typo = tmp_path / "no-such-folder" / "t.db"

    result = CliRunner().invoke(app, ["models", "--db", str(typo)])

    assert result.exit_code == 0, result.output
    assert "demo/ada" in result.output
    assert not typo.parent.exists()
