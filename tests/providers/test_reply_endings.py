"""Replies that are not plain answers are said as what they are, on the turn (issue 11, item 4).

Whole debates through the real engine and litellm against the fake server: one seat
answers with nothing, whitespace, a reply cut by the length limit, one stopped by a
content filter, or only a tool call, and its TurnFinished says which.
"""

from __future__ import annotations

import pytest

from roundtable.domain import DebateSpec, Seat, TurnFinished
from roundtable.domain.endings import describe_ending
from roundtable.engine import run_debate
from roundtable.providers import LiteLLMGateway, RetryPolicy, Timeouts
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.helpers.sinks import RecordingSink
from tests.providers.conftest import ROUTES, RecordingSleep, seat_on_route

pytestmark = pytest.mark.usefixtures("route_key")


async def cys_first_turn(server: FakeOpenAIServer, route: str, reply: Reply) -> TurnFinished:
    server.enqueue("cy", reply)
    seats: tuple[Seat, ...] = (
        seat_on_route(server, "openai", "fake-gpt", id="a", name="Ada"),
        seat_on_route(server, "openai", "fake-claude", id="b", name="Bo"),
        seat_on_route(server, route, "cy", id="c", name="Cy"),
    )
    gateway = LiteLLMGateway(
        RetryPolicy(max_attempts=2, base_delay_s=0.0),
        Timeouts(first_token_s=5.0, stall_s=5.0, connect_s=2.0),
        sleep=RecordingSleep(),
    )
    spec = DebateSpec(question="What is 6 × 7?", seats=seats, max_rounds=1)
    events = RecordingSink()
    await run_debate(spec, gateway, events)
    return events.of(TurnFinished, seat_id="c")[0]


@pytest.mark.parametrize(
    ("reply", "ending", "words"),
    [
        (Reply(""), "empty", "empty"),
        (Reply("  \n\t "), "blank", "only whitespace"),
        (Reply("", finish_reason="tool_calls"), "tool_call", "tool call"),
    ],
)
async def test_a_reply_without_words_says_what_it_was(server, reply, ending, words):
    turn = await cys_first_turn(server, "openai", reply)

    assert turn.ending == ending
    assert words in describe_ending(turn.ending)
    assert turn.answer is None
    assert not turn.incomplete


@pytest.mark.parametrize("route", ROUTES)
async def test_a_reply_cut_by_the_length_limit_is_incomplete(server, route):
    turn = await cys_first_turn(
        server,
        route,
        Reply("Six times seven is forty-two. Final answer: 42", finish_reason="length"),
    )

    assert turn.ending == "length"
    assert turn.incomplete  # treated like any reply that did not finish
    assert "length limit" in describe_ending(turn.ending)


@pytest.mark.parametrize("route", ROUTES)
async def test_a_reply_stopped_by_a_content_filter_is_a_refusal(server, route):
    turn = await cys_first_turn(
        server, route, Reply("Final answer: 42 but I", finish_reason="content_filter")
    )

    assert turn.ending == "refused"
    assert turn.answer is None  # a refusal casts no vote, whatever words came before it
    assert "content filter" in describe_ending(turn.ending)


async def test_a_plain_answer_has_no_ending_to_report(server):
    turn = await cys_first_turn(server, "openai", Reply("Final answer: 42"))

    assert turn.ending == ""
    assert turn.answer is not None


def test_the_terminal_says_how_each_odd_reply_ended(tmp_path):
    from typer.testing import CliRunner

    from roundtable.cli import app

    with FakeOpenAIServer() as server:
        server.enqueue("fake-llama", Reply("Six times seven is", finish_reason="length"))
        server.enqueue("fake-claude", Reply("", finish_reason="content_filter"))
        result = CliRunner().invoke(
            app,
            ["run", "What is 6 × 7?", "--seat", "openai/fake-gpt", "--seat", "openai/fake-claude",
             "--seat", "openai/fake-llama", "--rounds", "1", "--db", str(tmp_path / "t.db")],
            env={"OPENAI_API_BASE": server.base_url, "COLUMNS": "200"},
            catch_exceptions=False,
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    assert "cut by the length limit" in shown
    assert "content filter stopped the reply (a refusal)" in shown
    assert "the stream was cut" not in shown  # nothing was cut: each reply said how it ended


async def test_show_and_the_exports_say_how_each_odd_reply_ended(tmp_path):
    import json

    from typer.testing import CliRunner

    from roundtable.cli import app
    from roundtable.domain import Event
    from roundtable.storage import Recorder, open_database

    db = tmp_path / "t.db"
    database = open_database(str(db))
    recorder = Recorder(database)
    events: list[Event] = []

    def emit(event: Event) -> None:
        events.append(event)
        recorder(event)

    with FakeOpenAIServer() as server:
        server.enqueue("fake-llama", Reply("Six times seven is", finish_reason="length"))
        server.enqueue("fake-claude", Reply("", finish_reason="content_filter"))
        seats = (
            seat_on_route(server, "openai", "fake-gpt", id="a", name="Ada"),
            seat_on_route(server, "openai", "fake-claude", id="b", name="Bo"),
            seat_on_route(server, "openai", "fake-llama", id="c", name="Cy"),
        )
        spec = DebateSpec(question="What is 6 × 7?", seats=seats, max_rounds=1)
        gateway = LiteLLMGateway(RetryPolicy(base_delay_s=0.0), sleep=RecordingSleep())
        await run_debate(spec, gateway, emit)
    recorder.close()
    database.close()
    debate_id = events[0].debate_id

    def roundtable(*args: str) -> str:
        return CliRunner().invoke(app, [*args, "--db", str(db)], catch_exceptions=False).output

    for output in (
        roundtable("show", debate_id),
        roundtable("export", debate_id, "-f", "md"),
        roundtable("export", debate_id, "-f", "html"),
    ):
        flat = " ".join(output.split())
        assert "cut by the length limit (max tokens) before it finished" in flat
        assert "content filter stopped the reply (a refusal)" in flat
        assert "the stream was cut" not in flat  # nothing was cut
    archive = json.loads(roundtable("export", debate_id, "-f", "json"))
    assert '"ending": "length"' in json.dumps(archive)
