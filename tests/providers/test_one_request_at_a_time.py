"""Three seats on one local server that answers one request at a time: the seats take
turns on it, whether the server makes a second request wait (llama.cpp with one slot)
or cuts the reply in progress for it (llama-cpp-python's server, by default).

The real path: `run_debate` -> the engine's server queue -> LiteLLMGateway -> litellm
-> the loopback server (`tests.fakes`), which behaves as those servers do.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from roundtable.domain import (
    DebateFinished,
    DebateSpec,
    Seat,
    TurnFailed,
    TurnFinished,
    TurnQueued,
    TurnRetrying,
    TurnSent,
)
from roundtable.domain.concurrency import ServerLimit, server_key
from roundtable.engine import run_debate
from roundtable.providers import LiteLLMGateway, RetryPolicy, Timeouts, load_litellm
from tests.fakes.openai_server import FakeOpenAIServer, Reply

WORDS = "I counted carefully and checked it twice.\nFinal answer: {}\nConfidence: 0.9"
#: Each seat's model and the answer it keeps giving: the table never agrees.
ANSWERS = {"seat-1": 41, "seat-2": 42, "seat-3": 43}


def table(
    server: FakeOpenAIServer, *, rounds: int = 2, limits: tuple[ServerLimit, ...] = ()
) -> DebateSpec:
    """Three seats on `server`, asked for `rounds` rounds."""
    seats = tuple(
        Seat(id=f"s{n}", name=f"Seat {n}", model=f"openai/seat-{n}", api_base=server.base_url)
        for n in (1, 2, 3)
    )
    return DebateSpec(
        question="What is 6 times 7?", seats=seats, max_rounds=rounds, server_limits=limits
    )


def answering(server: FakeOpenAIServer) -> FakeOpenAIServer:
    for model, answer in ANSWERS.items():
        server.set_default(model, Reply(WORDS.format(answer)))
    return server


def gateway(timeouts: Timeouts | None = None) -> LiteLLMGateway:
    load_litellm()  # its import (seconds) is nobody's turn
    return LiteLLMGateway(
        RetryPolicy(max_attempts=2, base_delay_s=0.0, max_delay_s=0.0),
        timeouts or Timeouts(first_token_s=20.0, stall_s=20.0),
    )


async def debate(spec: DebateSpec, gate: LiteLLMGateway) -> list[object]:
    events: list[object] = []
    await run_debate(spec, gate, events.append, coalesce_s=0.01)
    return events


@pytest.fixture(params=["queue", "cancel"])
def one_slot(request: pytest.FixtureRequest) -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(one_at_a_time=request.param, ttft_s=0.15, token_s=0.01) as fake:
        yield answering(fake)


async def test_three_seats_on_a_one_slot_server_finish_every_turn(one_slot):
    events = await debate(table(one_slot), gateway())

    assert not [e for e in events if isinstance(e, TurnFailed | TurnRetrying)]
    finished = [e for e in events if isinstance(e, TurnFinished)]
    assert len(finished) == 6  # two rounds of three seats
    assert all(not e.incomplete for e in finished)
    assert [e.answer.value for e in finished if e.answer] == ["41", "42", "43"] * 2
    assert isinstance(events[-1], DebateFinished)
    assert one_slot.cancelled == 0
    assert one_slot.peak_in_flight == 1


async def test_a_seat_waiting_for_the_server_is_shown_waiting_then_thinking(one_slot):
    events = await debate(table(one_slot, rounds=1), gateway())

    queued = [e for e in events if isinstance(e, TurnQueued)]
    label = f"localhost:{one_slot.port}"
    # In seat order: the first seat is sent at once, the others wait their turn.
    assert [(e.seat_id, e.server) for e in queued] == [("s2", label), ("s3", label)]
    order = [
        (type(e).__name__, e.seat_id)
        for e in events
        if isinstance(e, TurnSent | TurnFinished) and e.seat_id != "s1"
    ]
    assert order == [
        ("TurnSent", "s2"),
        ("TurnFinished", "s2"),
        ("TurnSent", "s3"),
        ("TurnFinished", "s3"),
    ]


async def test_a_queued_seat_is_not_timed_out_while_it_waits_behind_a_slow_one():
    # Each reply takes about 1.2 s; a seat may stay silent for 2 s. The third seat
    # waits about 2.4 s for the server: counted from its start it would time out.
    with FakeOpenAIServer(one_at_a_time="queue", ttft_s=1.2) as server:
        answering(server)
        gate = gateway(Timeouts(first_token_s=2.0, stall_s=2.0, turn_deadline_s=2.5))
        started = time.monotonic()
        events = await debate(table(server, rounds=1), gate)

    assert time.monotonic() - started > 3.0  # the seats did take turns
    assert not [e for e in events if isinstance(e, TurnFailed | TurnRetrying)]
    finished = [e for e in events if isinstance(e, TurnFinished)]
    assert [e.seat_id for e in finished] == ["s1", "s2", "s3"]
    assert all(not e.incomplete for e in finished)
    # Its latency is its own reply's, not the wait in line.
    assert all(e.usage.latency_s < 2.0 for e in finished)


async def test_a_server_that_cuts_replies_for_newcomers_is_named_with_the_fix():
    with FakeOpenAIServer(one_at_a_time="cancel", ttft_s=0.3, token_s=0.02) as server:
        answering(server)
        # The user raised the limit: all three seats are sent at once.
        raised = (ServerLimit(server_key(server.base_url), 3),)
        events = await debate(table(server, rounds=1, limits=raised), gateway())

    assert server.cancelled >= 1
    said = [e.message for e in events if isinstance(e, TurnRetrying | TurnFailed)]
    assert said
    for message in said:
        assert f"the server at localhost:{server.port} cut this reply when another " in message
        assert "serves one request at a time" in message
        assert "concurrency to 1 in Settings › Local servers" in message
        assert f"--server-concurrency localhost:{server.port}=1" in message
        assert "probably cut" not in message
