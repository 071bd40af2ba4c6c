"""The terminal shows a seat waiting for its server, not thinking; a bad server limit
is refused in words."""

from __future__ import annotations

from rich.console import Console
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.cli.live import TerminalView
from roundtable.domain import (
    DebateSpec,
    DebateStarted,
    RoundStarted,
    Seat,
    TurnQueued,
    TurnSent,
    TurnStarted,
)

SEATS = tuple(
    Seat(id=f"s{n}", name=f"Llama {n}", model="openai/llama", api_base="http://127.0.0.1:8080/v1")
    for n in (1, 2)
)


def panel_text(view: TerminalView) -> str:
    console = Console(record=True, width=100)
    console.print(view._status_table())
    return console.export_text()


def test_a_queued_seat_says_which_server_it_waits_for_then_thinks():
    view = TerminalView(Console(record=True, width=100, force_terminal=False), show_text=False)
    spec = DebateSpec(question="What is 6 times 7?", seats=SEATS)
    for event in (
        DebateStarted(debate_id="d", seq=0, spec=spec),
        RoundStarted(debate_id="d", seq=1, round=0, seat_ids=("s1", "s2")),
        TurnStarted(debate_id="d", seq=2, round=0, seat_id="s1"),
        TurnStarted(debate_id="d", seq=3, round=0, seat_id="s2"),
        TurnQueued(debate_id="d", seq=4, round=0, seat_id="s2", server="localhost:8080"),
    ):
        view(event)
    shown = panel_text(view)
    assert "Llama 1  thinking…" in shown
    assert "Llama 2  waiting for localhost:8080" in shown

    view(TurnSent(debate_id="d", seq=5, round=0, seat_id="s2"))
    assert "Llama 2  thinking…" in panel_text(view)
    view.close()


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_a_bad_server_limit_is_refused_in_words_before_anything_runs(tmp_path):
    result = invoke("run", "q?", "--server-concurrency", "localhost:8080=many", "--estimate")
    assert result.exit_code == 2
    assert "a whole number from 1 to 64, or 0 for no limit" in result.output
    panel = tmp_path / "table.toml"
    panel.write_text(
        '[[seat]]\nmodel = "demo/ada"\n[[seat]]\nmodel = "demo/grace"\n'
        '[[server]]\napi_base = "http://127.0.0.1:8080/v1"\n'
    )
    result = invoke("run", "q?", "--panel", str(panel), "--estimate")
    assert result.exit_code == 2
    assert "server 1: give its `concurrency`, e.g. concurrency = 1" in result.output
