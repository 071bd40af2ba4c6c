"""The cost ledger from the terminal: `run --estimate`, `run --budget`, `resume --budget`,
against the loopback OpenAI-compatible server (which counts every request)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.cli.live import TerminalView
from roundtable.domain import (
    DebateCancelled,
    DebateSpec,
    DebateStarted,
    DebateStatus,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
)
from roundtable.storage import list_debates, load_events, open_database
from tests.fakes.openai_server import FakeOpenAIServer
from tests.helpers.events import EventBuilder, answer, usage

#: Two seats that never agree (the fake answers 7 and 9), priced by the user.
PANEL = """
[[seat]]
name = "Seven"
model = "openai/answer-7"
price_in = 3.0
price_out = 15.0

[[seat]]
name = "Nine"
model = "openai/answer-9"
price_in = 3.0
price_out = 15.0
"""


@pytest.fixture
def server(monkeypatch) -> Iterator[FakeOpenAIServer]:
    # Replies of ~600 words, as long as a real model's: the second round then costs
    # more than what the first one left of a budget made for the first.
    with FakeOpenAIServer(reply_words=600) as fake:
        monkeypatch.setenv("OPENAI_API_BASE", fake.base_url)
        yield fake


@pytest.fixture
def panel(tmp_path) -> Path:
    path = tmp_path / "priced.toml"
    path.write_text(PANEL, encoding="utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_estimate_prints_the_range_and_calls_no_model(server, panel, tmp_path):
    db = tmp_path / "t.db"

    result = invoke("run", "Which number?", "--panel", str(panel), "--estimate", "--db", str(db))

    assert result.exit_code == 0, result.output
    assert server.requests == []
    assert not db.exists()  # nothing stored either
    assert "tokens · $" in result.output
    assert "1–3 rounds" in result.output
    assert "$3.00 / $15.00 per M tokens in / out (your price)" in result.output
    assert "No model was called." in result.output


def test_estimate_as_json_for_machines(server, panel, tmp_path):
    result = invoke(
        "run", "Which number?", "--panel", str(panel), "--estimate", "--json", "--budget", "1"
    )

    assert result.exit_code == 0, result.output
    assert server.requests == []
    data = json.loads(result.stdout)
    assert data["model_calls_made"] == 0
    assert data["tokens"]["low"] < data["tokens"]["high"]
    assert 0 < data["cost_usd"]["low"] < data["cost_usd"]["high"]
    assert (data["rounds"]["low"], data["rounds"]["high"]) == (1, 3)
    assert data["prices"]["Seven"]["source"] == "your price"
    assert data["budget_usd"] == 1.0
    assert data["budget_problem"] is None


def test_estimate_says_unknown_for_an_unpriced_model_and_why_a_budget_cannot_hold(server):
    result = invoke("run", "2+2?", "-s", "openai/fake-gpt", "-s", "demo/ada", "--estimate")
    assert result.exit_code == 0, result.output
    assert "cost unknown (no price for fake-gpt)" in result.output
    assert "price unknown" in result.output
    assert server.requests == []

    refused = invoke("run", "2+2?", "-s", "openai/fake-gpt", "-s", "demo/ada", "--budget", "1")
    assert refused.exit_code == 2
    assert "A budget of $1.00 cannot be kept" in refused.output
    assert server.requests == []


def test_a_budget_stop_keeps_what_was_done_and_a_higher_budget_finishes_it(server, panel, tmp_path):
    db = str(tmp_path / "t.db")
    estimate = json.loads(
        invoke("run", "Which number?", "--panel", str(panel), "--estimate", "--json").stdout
    )
    first_round = estimate["per_round_high"][0]["cost_usd"]
    budget = f"{first_round * 1.1:.6f}"

    stopped = invoke(
        "run", "Which number?", "--panel", str(panel), "--budget", budget, "--db", db, "--json"
    )

    assert stopped.exit_code == 1, stopped.output  # stopped, not finished
    assert len(server.requests) == 2  # round 1's two turns; round 2 was never asked
    result = json.loads(stopped.stdout)
    assert result["status"] == "cancelled"
    assert len(result["rounds"]) == 1
    assert result["usage"]["cost_usd"] > 0
    database = open_database(db)
    try:
        (summary,) = list_debates(database)
        end = load_events(database, summary.id)[-1]
    finally:
        database.close()
    assert summary.status is DebateStatus.CANCELLED
    assert summary.status_detail is not None
    assert summary.status_detail.startswith("budget $")
    assert isinstance(end, DebateCancelled)

    same = invoke("resume", summary.id[:8], "--db", db)
    assert same.exit_code == 2
    assert "give it a higher one" in same.output
    assert len(server.requests) == 2

    resumed = invoke("resume", summary.id[:8], "--budget", "5", "--db", db, "--json")

    assert resumed.exit_code == 0, resumed.output
    assert len(server.requests) == 6  # rounds 2 and 3, two seats each
    database = open_database(db)
    try:
        (after,) = list_debates(database)
    finally:
        database.close()
    assert after.status is DebateStatus.FINISHED
    assert after.rounds_done == 3


def view_of(*turn_costs: tuple[str, float | None]) -> str:
    """What the terminal view prints for one round whose turns cost `turn_costs`."""
    seats = tuple(Seat(seat_id, seat_id.title(), "openai/x") for seat_id, _ in turn_costs)
    log = EventBuilder()
    log.add(DebateStarted, spec=DebateSpec(question="2+2?", seats=seats, budget_usd=0.5))
    log.add(RoundStarted, round=0, seat_ids=tuple(s.id for s in seats))
    for seat_id, cost in turn_costs:
        log.add(
            TurnFinished,
            round=0,
            seat_id=seat_id,
            text="Final answer: 4",
            answer=answer("4"),
            usage=usage(100, 20, cost),
        )
    log.add(RoundFinished, round=0, tally={"4": 2.0}, agreement=1.0, leader="4")
    console = Console(record=True, width=100)
    view = TerminalView(console, show_text=False)
    for event in log.events:
        view(event)
    view.close()
    return console.export_text()


def test_the_terminal_shows_each_rounds_total_and_the_budget():
    shown = view_of(("ada", 0.01), ("bob", 0.02))

    assert "budget $0.50" in shown
    assert "Round 1 total: 240 tokens · $0.03" in shown


def test_the_terminal_says_free_and_unknown_never_zero_dollars():
    assert "Round 1 total: 240 tokens · free" in view_of(("ada", 0.0), ("bob", 0.0))
    unknown = view_of(("ada", 0.01), ("bob", None))
    assert "Round 1 total: 240 tokens · cost unknown" in unknown
    assert "120 tokens · cost unknown" in unknown
    assert "$0 " not in unknown
