"""The `roundtable` command end to end: a demo debate stored, listed, shown, exported."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app

QUESTION = "What is 12+17*23+4-9*14?"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "t.db")


def invoke(runner, *args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_demo_debate_runs_stores_and_reads_back(runner, db):
    result = invoke(runner, "run", QUESTION, "--db", db, "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "simulated demo model" in result.output
    assert "Final answer" in result.output
    assert "Consensus" in result.output
    # The verdict itself says it came from the offline demo, not only the seats' cards.
    final = next(line for line in result.output.splitlines() if "Final answer" in line)
    assert "(simulated: the offline demo models)" in final

    listed = invoke(runner, "list", "--db", db)
    assert listed.exit_code == 0
    assert "12+17*23" in listed.output
    debate_id = listed.output.split("\n")[1].split()[0]

    shown = invoke(runner, "show", debate_id, "--db", db)
    assert shown.exit_code == 0
    assert "12+17*23" in shown.output

    found = invoke(runner, "list", "--search", "17*23", "--db", db)
    assert debate_id in found.output
    assert "No debates match" in invoke(runner, "list", "--search", "zebra", "--db", db).output


def test_json_output_is_one_object_with_rounds_and_usage(runner, db):
    result = invoke(runner, "run", QUESTION, "--db", db, "--json", "--seed", "3")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) >= {"id", "question", "final_answer", "consensus", "rounds", "usage"}
    assert data["question"] == QUESTION
    first_round = data["rounds"][0]
    assert len(first_round) == 3
    assert set(first_round[0]) >= {"seat", "model", "answer", "confidence", "status"}
    assert data["final_answer"] == str(12 + 17 * 23 + 4 - 9 * 14) or not data["consensus"]
    assert data["usage"]["total_tokens"] > 0


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_export_writes_each_format(runner, db, tmp_path, fmt):
    data = json.loads(invoke(runner, "run", QUESTION, "--db", db, "--json").stdout)
    target = tmp_path / f"out.{fmt}"
    result = invoke(
        runner, "export", data["id"][:8], "--format", fmt, "-o", str(target), "--db", db
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "12+17*23" in text
    if fmt == "html":
        assert "Content-Security-Policy" in text
        assert 'src="http' not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "   "], "question"),
        (["run", "2+2?", "--protocol", "shouting"], "protocol"),
        (["run", "2+2?", "--rounds", "0"], "round"),
        (["run", "2+2?", "--seat", "demo/ada"], "two seats"),
        (["run", "2+2?", "--seat", "demo/ada", "--seat", "open ai/gpt 4"], "model"),
        (["run", "2+2?", "--seat", "openai/gpt-4o", "--seat", "demo/ada"], "OPENAI_API_KEY"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(runner, tmp_path, args, message):
    db = tmp_path / "never.db"
    result = invoke(runner, *args, "--db", str(db))
    assert result.exit_code == 2
    assert message.lower() in result.output.lower()
    assert not db.exists(), "bad input must not create or touch the database"


def test_malformed_panel_file_is_refused(runner, tmp_path):
    panel = tmp_path / "p.toml"
    panel.write_text("[[seat]]\nname = 'no model'\n")
    result = invoke(runner, "run", "2+2?", "--panel", str(panel), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 2
    assert "model" in result.output


def test_unwritable_database_location_is_a_usage_error(runner, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = invoke(runner, "run", "2+2?", "--db", str(blocker / "sub" / "t.db"))
    assert result.exit_code == 2
    assert "t.db" in result.output


def test_unknown_id_for_show_and_export(runner, db):
    invoke(runner, "run", QUESTION, "--db", db, "--json")
    for command in (["show", "ffffffff"], ["export", "ffffffff"]):
        result = invoke(runner, *command, "--db", db)
        assert result.exit_code == 2
        assert "ffffffff" in result.output
