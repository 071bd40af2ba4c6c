"""`roundtable run --seat human`: a person answers on the terminal (stdin here)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import TurnStatus
from roundtable.storage import list_debates, load_debate, open_database

QUESTION = "What is 2+3*4*5?"
TABLE = ("--seat", "human", "--seat", "demo/ada", "--seat", "demo/basil")


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "t.db")


def run(db: str, stdin: str, *extra: str):
    return CliRunner().invoke(
        app, ["run", QUESTION, *TABLE, "--rounds", "2", "--db", db, *extra], input=stdin
    )


def stored(db: str):
    database = open_database(db)
    try:
        (summary,) = list_debates(database)
        return load_debate(database, summary.id)
    finally:
        database.close()


def test_a_person_types_an_answer_and_it_is_counted_and_stored(db: str) -> None:
    stdin = "Multiply first: 3*4*5 = 60.\nThen 2 + 60.\n\n62\n0.9\nI keep it.\n\n62\n\n"
    result = run(db, stdin)

    assert result.exit_code == 0, result.output
    assert "Your turn, You · Round 1" in result.output
    # Shown literally to the person too (as Markdown, *4* would turn into italics).
    assert result.output.count(QUESTION) >= 2
    assert "Your turn, You · Round 2" in result.output
    assert "person" in result.output  # the seat list says who sits there
    assert "Final answer: " in result.output
    assert "Confidence (0-1, Enter to skip): " in result.output
    record = stored(db)
    first = next(t for t in record.turns if t.seat_id == "you" and t.round == 0)
    assert first.text.startswith("Multiply first: 3*4*5 = 60.\nThen 2 + 60.")
    assert first.answer is not None
    assert (first.answer.display, first.answer.confidence) == ("62", 0.9)
    second = next(t for t in record.turns if t.seat_id == "you" and t.round == 1)
    assert second.answer is not None
    assert second.answer.confidence is None  # Enter skipped it
    # The models read the person's answer in round 2 and the vote counted it.
    assert "62" in record.tally


def test_typing_pass_sits_the_round_out(db: str) -> None:
    result = run(db, "pass\n\npass\n\n")
    assert result.exit_code == 0, result.output
    assert "passed this round" in result.output
    turns = [t for t in stored(db).turns if t.seat_id == "you"]
    assert [t.answer for t in turns] == [None, None]
    assert all(t.status is TurnStatus.DONE for t in turns)


def test_when_the_input_ends_the_person_leaves_and_the_models_finish(db: str) -> None:
    result = run(db, "")
    assert result.exit_code == 0, result.output
    assert "left the table" in result.output
    record = stored(db)
    (turn,) = [t for t in record.turns if t.seat_id == "you"]
    assert (turn.status, turn.error_kind) == (TurnStatus.FAILED, "person_left")
    assert record.summary.final_answer is not None


def test_json_mode_refuses_a_person_before_writing_anything(db: str, tmp_path) -> None:
    result = run(db, "", "--json")
    assert result.exit_code == 2
    assert "no terminal" in result.output
    assert not (tmp_path / "t.db").exists()
