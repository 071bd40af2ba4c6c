"""`roundtable list`: the question gets the room at 80 columns; `--json` has it all."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app

LONG = (
    "Should a small team of four engineers adopt a monorepo for their three services, "
    "given they deploy independently?"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("list") / "t.db")
    for question in (LONG, "What is 12+17*23+4-9*14?"):
        ran = CliRunner().invoke(app, ["run", question, "--db", path, "--json", "--seed", "3"])
        assert ran.exit_code == 0, ran.output
    return path


def listed(db: str, *args: str, columns: int) -> str:
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(app, ["list", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("columns", [80, 60])
def test_at_a_narrow_width_the_question_gets_the_room(db, columns):
    output = listed(db, columns=columns)
    lines = output.splitlines()

    assert all(len(line) <= columns for line in lines)
    # Whole phrases of the question on one line, not a few letters a line.
    assert "Should a small team of four engineers" in output
    assert "What is 12+17*23+4-9*14?" in output
    question_lines = [line for line in lines if "monorepo" in line or "Should" in line]
    assert len(question_lines) <= 3
    # The id, which every other command needs, always stays.
    header = lines[0].split()
    assert header[:1] == ["ID"]
    assert "Result" in header


def test_a_wide_terminal_shows_every_column(db):
    header = listed(db, columns=160).splitlines()[0].split()

    assert header == ["ID", "When", "Question", "Protocol", "Seats", "Result", "Cost"]


def test_json_lists_each_debate_whole(db):
    result = CliRunner().invoke(app, ["list", "--db", db, "--json"])
    debates = json.loads(result.stdout)

    assert [debate["question"] for debate in debates] == ["What is 12+17*23+4-9*14?", LONG]
    first = debates[0]
    assert len(first["id"]) == 32
    assert set(first) >= {"status", "final_answer", "consensus", "cost_usd", "created_at"}


def test_json_search_gives_the_matching_text(db):
    result = CliRunner().invoke(app, ["list", "--db", db, "--json", "--search", "monorepo"])
    (hit,) = json.loads(result.stdout)

    assert hit["question"] == LONG
    assert "monorepo" in hit["snippet"]
