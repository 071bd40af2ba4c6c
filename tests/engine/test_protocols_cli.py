"""Every protocol from the command line, on the offline demo table, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain.values import PROTOCOLS

QUESTION = "What is 3+4*5?"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "t.db")


def run_json(runner: CliRunner, db: str, *args: str) -> dict[str, object]:
    result = runner.invoke(
        app, ["run", QUESTION, "--db", db, "--json", "--seed", "11", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_protocol_runs_on_the_demo_table(runner: CliRunner, db: str, protocol: str) -> None:
    data = run_json(runner, db, "--protocol", protocol)
    assert data["protocol"] == protocol
    assert data["status"] == "finished"
    assert data["final_answer"] == "23"  # the demo models really compute 3 + 4 × 5
    assert data["rule"]


def test_a_council_shows_its_stages_and_stores_its_peer_review(runner: CliRunner, db: str) -> None:
    live = runner.invoke(app, ["run", QUESTION, "--db", db, "--protocol", "council", "--brief"])
    assert live.exit_code == 0, live.output
    assert "stage 2 · anonymised peer review and ranking" in live.output
    assert "Peer review, average rank (1 = best):" in live.output
    assert "ranked: " in live.output
    assert "Synthesis by the chair Ada (first seat)" in live.output

    debate_id = json.loads(
        runner.invoke(app, ["run", QUESTION, "--db", db, "--protocol", "council", "--json"]).stdout
    )["id"]
    shown = runner.invoke(app, ["export", debate_id, "--db", db, "--format", "md"])
    assert shown.exit_code == 0
    assert "| Seat | Average rank (1 = best) |" in shown.output
    assert "| Reviewer | Ranking, best first |" in shown.output
    assert "**Decision:** Synthesis by the chair Ada (first seat)" in shown.output


def test_a_moderated_debate_explains_why_it_needs_three_seats(runner: CliRunner, db: str) -> None:
    two_seats = ["--seat", "demo/ada", "--seat", "demo/basil"]
    result = runner.invoke(
        app, ["run", QUESTION, "--db", db, "--protocol", "moderated", *two_seats]
    )
    assert result.exit_code == 2
    assert "needs at least 3 seats" in result.output
    assert "judge" in result.output


def test_an_unknown_protocol_lists_the_six(runner: CliRunner, db: str) -> None:
    result = runner.invoke(app, ["run", QUESTION, "--db", db, "--protocol", "shouting"])
    assert result.exit_code == 2
    assert "roundtable, debate, council, mixture, moderated, vote" in result.output


def test_a_panel_file_names_the_chair_and_the_judge(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    panel = tmp_path / "council.toml"
    seats = "".join(
        f'\n[[seat]]\nname = "{name}"\nmodel = "demo/{name.lower()}"\n'
        for name in ("Ada", "Basil", "Cyra")
    )
    panel.write_text(f'protocol = "council"\nchair = "Cyra"\njudge = "Basil"\n{seats}')
    data = run_json(runner, db, "--panel", str(panel))
    assert data["protocol"] == "council"
    assert str(data["rule"]).startswith("Synthesis by the chair Cyra (chosen for the chair)")
    assert [turn["seat"] for turn in data["rounds"][2]] == ["Cyra"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("protocol", "rounds", "header"),
    [("vote", "5", "Roundtable · vote · one round"), ("council", "5", "council · up to 3 rounds")],
)
def test_the_header_counts_the_rounds_the_protocol_plans(
    runner: CliRunner, db: str, protocol: str, rounds: str, header: str
) -> None:
    live = runner.invoke(
        app, ["run", QUESTION, "--db", db, "--protocol", protocol, "--rounds", rounds, "--brief"]
    )
    assert live.exit_code == 0, live.output
    assert header in live.output
