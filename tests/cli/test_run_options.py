"""`roundtable run`'s quick-table options: --persona/--system and --temperature for
every seat, --save NAME then --panel NAME, and --jsonl streaming the events."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain.events import event_from_json
from roundtable.storage import list_debates, load_debate, open_database


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "t.db")


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def stored_seats(db: str):
    database = open_database(db)
    try:
        (summary,) = list_debates(database)
        return load_debate(database, summary.id).spec.seats
    finally:
        database.close()


@pytest.mark.parametrize("flag", ["--persona", "--system"])
def test_a_persona_and_a_temperature_go_to_every_seat(db, flag):
    result = invoke(
        "run", "What is 2+2?", "--seat", "demo/ada", "--seat", "demo/basil",
        flag, "You are terse.", "--temperature", "0.3", "--db", db, "--json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    seats = stored_seats(db)
    assert [(seat.persona, seat.temperature) for seat in seats] == [("You are terse.", 0.3)] * 2


def test_a_temperature_out_of_range_is_refused_before_anything_is_written(tmp_path):
    db = tmp_path / "never.db"

    result = invoke("run", "What is 2+2?", "--temperature", "7", "--db", str(db))

    assert result.exit_code == 2
    assert "0 to 2" in result.output
    assert not db.exists()


def test_a_table_saved_by_name_is_used_by_name(db, isolated_user_dirs):
    saved = invoke(
        "run", "What is 2+2?", "--seat", "Ann=demo/ada", "--seat", "Bo=demo/basil",
        "--protocol", "debate", "--rounds", "2", "--persona", "Be brief.",
        "--save", "My Pair", "--db", db, "--json",
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    assert "--panel my-pair" in saved.stderr
    assert (isolated_user_dirs / "tables" / "my-pair.toml").is_file()  # where the app looks

    again = invoke("run", "What is 3+3?", "--panel", "my-pair", "--db", db, "--json")

    assert again.exit_code == 0, again.output
    data = json.loads(again.stdout)
    assert data["protocol"] == "debate"
    assert [turn["seat"] for turn in data["rounds"][0]] == ["Ann", "Bo"]


def test_an_unknown_panel_name_lists_the_saved_tables(tmp_path):
    invoke("run", "2+2?", "--save", "pair", "--estimate")

    result = invoke("run", "2+2?", "--panel", "triple", "--db", str(tmp_path / "never.db"))

    assert result.exit_code == 2
    assert "saved tables: pair" in result.output


def test_jsonl_streams_every_event_as_one_json_line(db):
    result = invoke("run", "What is 2+2?", "--db", db, "--jsonl", "--rounds", "1")

    assert result.exit_code == 0, result.output
    events = [event_from_json(line) for line in result.stdout.splitlines()]
    kinds = [type(event).__name__ for event in events]
    assert kinds[0] == "DebateStarted"
    assert "TurnDelta" in kinds  # streamed as it happens, not only the results
    assert kinds[-1] == "DebateFinished"
    assert [event.seq for event in events] == sorted(event.seq for event in events)


def test_json_and_jsonl_together_are_refused(tmp_path):
    result = invoke("run", "2+2?", "--json", "--jsonl", "--db", str(tmp_path / "never.db"))

    assert result.exit_code == 2
    assert "--jsonl" in result.output
