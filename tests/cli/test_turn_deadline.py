"""`roundtable run --turn-deadline`: a seat whose server drips a word at a time is
stopped at the deadline, its text so far kept and said to be incomplete, and the
debate goes on (issue 11, item 6: such a server once held a debate for 300 s)."""

from __future__ import annotations

import json
import time

from typer.testing import CliRunner

from roundtable.cli import app
from tests.fakes.openai_server import FakeOpenAIServer


def roundtable(*args: str, env: dict[str, str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def test_a_dripping_seat_is_kept_incomplete_at_the_turn_deadline(tmp_path):
    with FakeOpenAIServer(token_s=0.5) as server:  # each gap far under --timeout 3
        env = {"OPENAI_API_BASE": server.base_url, "OPENAI_API_KEY": "sk-fake"}
        seats = ("--seat", "openai/fake-gpt", "--seat", "openai/fake-claude")
        common = ("--rounds", "1", "--timeout", "3", "--turn-deadline", "2")
        started = time.monotonic()
        as_json = roundtable(
            "run", "Which number?", *seats, *common, "--json", "--db", str(tmp_path / "t.db"),
            env=env,
        )  # fmt: skip
        took = time.monotonic() - started
        shown = roundtable(
            "run", "Which number?", *seats, *common, "--brief", "--db", str(tmp_path / "t.db"),
            env=env,
        )  # fmt: skip

    assert as_json.exit_code == 0, as_json.output
    assert took < 15  # the whole reply would take about 10 s a turn
    turns = json.loads(as_json.stdout)["rounds"][0]
    assert [turn["status"] for turn in turns] == ["incomplete", "incomplete"]
    assert "the turn reached its deadline" in " ".join(shown.output.split())
