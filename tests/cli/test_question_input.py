"""`roundtable run -` and `… | roundtable run`: the question read from standard input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app

QUESTION = "What is 12+17*23+4-9*14?"


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "t.db")


def run(*args: str, stdin: str | None):
    return CliRunner().invoke(app, ["run", *args], input=stdin, catch_exceptions=False)


@pytest.mark.parametrize("dash", [["-"], []], ids=["dash", "pipe"])
def test_the_question_is_read_from_standard_input(db, dash):
    result = run(*dash, "--db", db, "--json", "--seed", "3", stdin=f"{QUESTION}\n")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["question"] == QUESTION


def test_a_long_markdown_question_is_read_whole(db):
    question = "# A long question\n\nFirst paragraph.\n\nWhat is 2+2?\n"

    result = run("-", "--db", db, "--json", stdin=question)

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["question"] == question.strip()


def test_an_empty_standard_input_is_refused_and_writes_nothing(tmp_path):
    db = tmp_path / "never.db"

    result = run("-", "--db", str(db), stdin="  \n")

    assert result.exit_code == 2
    assert "standard input is empty" in result.output
    assert not db.exists()


def test_a_person_cannot_answer_on_the_input_the_question_came_from(tmp_path):
    db = tmp_path / "never.db"

    result = run("-", "--seat", "human", "--seat", "demo/ada", "--db", str(db), stdin=QUESTION)

    assert result.exit_code == 2
    assert "person's seat" in result.output
    assert "as an argument" in result.output
    assert not db.exists()


def test_a_question_argument_still_wins_over_piped_input(db):
    result = run(QUESTION, "--db", db, "--json", stdin="something else")

    assert json.loads(result.stdout)["question"] == QUESTION


def test_a_followup_reads_its_question_from_standard_input_with_a_dash(db):
    parent = json.loads(run(QUESTION, "--db", db, "--json", stdin=None).stdout)

    result = CliRunner().invoke(
        app, ["followup", parent["id"][:8], "-", "--db", db, "--json"], input="And 2+2?\n"
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["question"] == "And 2+2?"
