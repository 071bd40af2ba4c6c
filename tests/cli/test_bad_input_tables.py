"""Odd tables: no seats, one seat, thirty seats, the same model seated twice."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain.panel import distinct_names

DEMO = ("demo/ada", "demo/basil", "demo/cyra", "demo/dex")


def run_json(tmp_path, *args: str) -> dict:  # type: ignore[type-arg]
    db = str(tmp_path / "t.db")
    result = CliRunner().invoke(app, ["run", *args, "--db", db, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("panel", "message"),
    [
        ("rounds = 2\n", "lists no seats"),
        ("[[seat]]\nmodel = 'demo/ada'\n", "at least two seats; this one has 1"),
    ],
    ids=["no-seats", "one-seat"],
)
def test_a_panel_with_fewer_than_two_seats_is_refused(tmp_path, panel, message):
    path = tmp_path / "table.toml"
    path.write_text(panel)
    db = tmp_path / "never.db"

    result = CliRunner().invoke(app, ["run", "2+2?", "--panel", str(path), "--db", str(db)])

    assert result.exit_code == 2
    assert message in result.output
    assert not db.exists()


def test_no_seat_at_all_seats_the_demo_table(tmp_path):
    result = run_json(tmp_path, "What is 2+3?", "--rounds", "1")

    assert [turn["model"] for turn in result["rounds"][0]] == [
        "demo/ada",
        "demo/basil",
        "demo/cyra",
    ]


def test_thirty_demo_seats_hold_a_debate(tmp_path):
    seats = [arg for n in range(30) for arg in ("--seat", DEMO[n % 4])]

    result = run_json(tmp_path, "What is 12+17*23+4-9*14?", *seats, "--rounds", "1", "--seed", "3")

    first_round = result["rounds"][0]
    assert len(first_round) == 30
    assert len({turn["seat"] for turn in first_round}) == 30  # thirty names a person can tell apart
    assert all(turn["status"] == "done" for turn in first_round)
    assert result["final_answer"] == "281"


def test_the_same_model_twice_is_two_seats_with_their_own_names(tmp_path):
    result = run_json(
        tmp_path, "What is 2+3?", "--seat", "demo/ada", "--seat", "demo/ada", "--rounds", "1"
    )

    seats = [turn["seat"] for turn in result["rounds"][0]]
    assert seats == ["ada", "ada (2)"]
    assert all(turn["status"] == "done" for turn in result["rounds"][0])


def test_duplicate_names_are_numbered_without_colliding_with_given_ones():
    assert distinct_names(["GPT", "gpt", "Claude"]) == ["GPT", "gpt (2)", "Claude"]
    assert distinct_names(["a", "a", "a (2)"]) == ["a", "a (3)", "a (2)"]
