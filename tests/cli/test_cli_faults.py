"""Provider faults as a command-line user meets them: the timeout they set, a cut reply."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import DebateSpec, Event
from roundtable.engine import run_debate
from roundtable.providers import LiteLLMGateway, RetryPolicy
from tests.fakes.openai_server import FakeOpenAIServer, Fault
from tests.providers.conftest import RecordingSleep, seat_on


def roundtable(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def test_a_silent_seat_fails_after_the_timeout_the_user_set_and_the_others_go_on(tmp_path):
    with FakeOpenAIServer() as server:
        result = roundtable(
            "run", "Which number?", "--seat", "Mute=openai/hang", "--seat", "openai/fake-gpt",
            "--seat", "openai/fake-claude", "--rounds", "1", "--timeout", "1", "--json",
            "--db", str(tmp_path / "t.db"), env={"OPENAI_API_BASE": server.base_url},
        )  # fmt: skip
        hung_requests = len(server.requests_for("hang"))

    assert result.exit_code == 0, result.output
    turns = {turn["seat"]: turn for turn in json.loads(result.stdout)["rounds"][0]}
    assert turns["Mute"]["status"] == "failed"
    assert "within 1 s" in turns["Mute"]["error"]  # the user's limit, not the default minute
    assert turns["fake-gpt"]["status"] == turns["fake-claude"]["status"] == "done"
    assert hung_requests == 2  # tried, then retried once


async def test_a_cut_turn_is_kept_and_marked_incomplete_in_show_and_every_export(tmp_path):
    from roundtable.storage import Recorder, open_database

    db = tmp_path / "t.db"
    database = open_database(str(db))
    recorder = Recorder(database)
    with FakeOpenAIServer() as server:
        for _ in range(3):
            server.enqueue("fake-llama", Fault.cut(after_chunks=4))
        seats = (
            seat_on(server, "fake-gpt", id="a", name="Ada"),
            seat_on(server, "fake-claude", id="b", name="Bo"),
            seat_on(server, "fake-llama", id="c", name="Cy"),
        )
        spec = DebateSpec(question="Which number?", seats=seats, max_rounds=1)
        gateway = LiteLLMGateway(RetryPolicy(base_delay_s=0.0), sleep=RecordingSleep())
        events: list[Event] = []

        def emit(event: Event) -> None:
            events.append(event)
            recorder(event)

        await run_debate(spec, gateway, emit)
    recorder.close()
    database.close()
    debate_id = events[0].debate_id

    shown = roundtable("show", debate_id, "--db", str(db)).output
    assert "Incomplete: the stream was cut" in shown
    assert "Let me work through" in shown  # the text that did arrive is kept
    for fmt in ("md", "html"):
        exported = roundtable("export", debate_id, "-f", fmt, "--db", str(db)).output
        assert "Incomplete: the stream was cut" in exported, fmt
    archive = json.loads(roundtable("export", debate_id, "-f", "json", "--db", str(db)).output)
    assert '"incomplete": true' in json.dumps(archive)
