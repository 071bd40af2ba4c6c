"""Provider faults as the app shows them: events from the real engine and litellm path.

Each test runs a debate against the loopback fake server (the gateway's waits are
recorded, not slept), then feeds the very events the engine emitted to `DebateView`
and reads what a person would read on the seat and turn cards.
"""

from __future__ import annotations

import asyncio

import pytest

from roundtable.domain import DebateSpec, Event, TurnFailed, TurnFinished, TurnRetrying
from roundtable.engine import run_debate
from roundtable.gui.debate.view import DebateView
from roundtable.gui.setup.panel import SetupPanel
from roundtable.gui.support.settings_store import AppSettings
from roundtable.providers import LiteLLMGateway, RetryPolicy
from roundtable.providers.discovery import demo_models
from tests.fakes.openai_server import FakeOpenAIServer, Fault, Reply
from tests.providers.conftest import RecordingSleep, seat_on


@pytest.fixture
def server():
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def view(qtbot):
    widget = DebateView()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def debate_events(server: FakeOpenAIServer, faulty: str = "fake-llama") -> list[Event]:
    seats = (
        seat_on(server, "fake-gpt", id="a", name="Ada"),
        seat_on(server, "fake-claude", id="b", name="Bo"),
        seat_on(server, faulty, id="c", name="Cy"),
    )
    spec = DebateSpec(question="Which number?", seats=seats, max_rounds=1)
    gateway = LiteLLMGateway(RetryPolicy(max_attempts=3, base_delay_s=0.01), sleep=RecordingSleep())
    events: list[Event] = []
    asyncio.run(run_debate(spec, gateway, events.append))
    return events


def index_of(events: list[Event], cls: type, seat_id: str = "c") -> int:
    return next(i for i, e in enumerate(events) if isinstance(e, cls) and e.seat_id == seat_id)


def test_a_rate_limited_seat_shows_when_it_will_retry(view, server, qtbot):
    server.enqueue("fake-llama", Fault.http(429, retry_after=3))
    events = debate_events(server)
    retry = index_of(events, TurnRetrying)

    view.apply_all(events[: retry + 1])

    assert "Cy: retrying, rate limited, retrying in 3 s" in view.table.accessibleDescription()
    card = view.transcript.card(0, "c")
    assert card is not None
    assert card.notice.text() == "Rate limited, retrying in 3 s"
    assert "asked to wait 3 s" in card.notice.toolTip()  # the full message, on hover

    view.apply_all(events[retry + 1 :])
    assert "Cy: done, answer 42" in view.table.accessibleDescription()
    done = view.transcript.card(0, "c")
    assert done is not None
    qtbot.waitUntil(done.notice.isHidden)  # the transcript catches up on its next flush


def test_a_refused_key_fails_only_that_seat_and_says_so(view, server):
    events = debate_events(server, "fail-401")

    view.apply_all(events)

    described = view.table.accessibleDescription()
    assert "Cy: failed" in described
    assert "Ada: done, answer 42" in described
    assert "Bo: done, answer 42" in described
    failed = events[index_of(events, TurnFailed)]
    assert isinstance(failed, TurnFailed)
    card = view.transcript.card(0, "c")
    assert card is not None
    assert "Seat 'Cy' (openai): key refused by the server at" in card.notice.text()
    assert "[redacted]" in card.notice.text()  # the key the server quoted is not shown


def test_a_stream_cut_on_every_attempt_shows_its_text_marked_incomplete(view, server, qtbot):
    for _ in range(3):
        server.enqueue("fake-llama", Fault.cut(after_chunks=4))
    events = debate_events(server)
    finished = events[index_of(events, TurnFinished)]
    assert isinstance(finished, TurnFinished)
    assert finished.incomplete

    view.apply_all(events)

    card = view.transcript.card(0, "c")
    assert card is not None
    qtbot.waitUntil(lambda: card.body_text().startswith("Let me work through"))
    assert "incomplete: the stream was cut" in card.footer.text()


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply("Six times seven is", finish_reason="length"), "cut by the length limit"),
        (Reply("", finish_reason="content_filter"), "content filter stopped the reply"),
        (Reply("   "), "the reply was only whitespace"),
    ],
)
def test_an_odd_reply_says_how_it_ended_on_its_card(view, server, qtbot, reply, words):
    server.enqueue("fake-llama", reply)
    view.apply_all(debate_events(server))

    card = view.transcript.card(0, "c")
    assert card is not None
    assert words in card.footer.text()
    assert "the stream was cut" not in card.footer.text()  # nothing was cut


def test_the_turn_timeout_from_settings_goes_into_every_debate(qtbot, qapp):
    settings = AppSettings()
    settings.set_turn_timeout_s(45)
    panel = SetupPanel(settings, model_lister=lambda _servers: demo_models())
    qtbot.addWidget(panel)

    assert panel.spec().turn_timeout_s == 45.0
    settings.set_turn_timeout_s(120)
    assert panel.spec().turn_timeout_s == 120.0
