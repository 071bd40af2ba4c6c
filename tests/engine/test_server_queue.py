"""Seats that share a server take turns on it, in seat order; seats on other servers,
and hosted providers, still stream at once; a queued seat is shown waiting; Stop
while seats wait leaves no server held."""

from __future__ import annotations

import asyncio
import time

import pytest

from roundtable.domain import (
    ConfigError,
    DebateSpec,
    RequestSent,
    Seat,
    StreamCut,
    TurnFailed,
    TurnFinished,
    TurnQueued,
    TurnSent,
    TurnStarted,
    WaitingForServer,
)
from roundtable.domain.concurrency import ServerLimit
from roundtable.engine import run_debate, server_queue
from roundtable.engine.server_queue import QueuedGateway, Slots
from tests.engine.scripted import CUT, Pause, ScriptedGateway, answer_text, reply

LLAMA = "http://127.0.0.1:8080/v1"  # a local server: one request at a time by default
OTHER = "http://127.0.0.1:11434"


def seat(n: int, model: str = "openai/llama", api_base: str | None = LLAMA) -> Seat:
    return Seat(id=f"s{n}", name=f"Seat {n}", model=model, api_base=api_base)


def slow(answer: str, seconds: float = 0.2) -> list[object]:
    return [Pause(seconds), *reply(answer_text(answer, 0.8))]


async def one_round(seats: tuple[Seat, ...], gateway: ScriptedGateway, **spec: object) -> list:
    events: list[object] = []
    table = DebateSpec(question="q", seats=seats, max_rounds=1, **spec)  # type: ignore[arg-type]
    await run_debate(table, gateway, events.append, coalesce_s=0.01)
    return events


async def test_seats_on_one_local_server_take_turns_in_seat_order_and_say_they_wait():
    seats = (seat(1), seat(2), seat(3))
    gateway = ScriptedGateway()
    for s in seats:
        gateway.enqueue(s.id, slow("7", 0.1))
    started = time.monotonic()
    events = await one_round(seats, gateway)

    assert time.monotonic() - started >= 0.3  # one after the other
    assert [e.seat_id for e in events if isinstance(e, TurnFinished)] == ["s1", "s2", "s3"]
    queued = [(e.seat_id, e.server) for e in events if isinstance(e, TurnQueued)]
    assert queued == [("s2", "localhost:8080"), ("s3", "localhost:8080")]
    # The renderer opens a turn on TurnStarted: every card exists before one waits.
    kinds = [type(e) for e in events]
    assert kinds.index(TurnQueued) > max(i for i, k in enumerate(kinds) if k is TurnStarted)
    # Each waiting seat is sent only once the seat before it has finished.
    names = [
        (type(e).__name__, e.seat_id) for e in events if isinstance(e, TurnSent | TurnFinished)
    ]
    assert names == [
        ("TurnFinished", "s1"),
        ("TurnSent", "s2"),
        ("TurnFinished", "s2"),
        ("TurnSent", "s3"),
        ("TurnFinished", "s3"),
    ]


async def test_seats_on_different_servers_and_hosted_providers_still_stream_at_once():
    seats = (
        seat(1),
        seat(2, api_base=OTHER),
        seat(3, model="anthropic/claude-sonnet-4-5", api_base=None),
        seat(4, model="anthropic/claude-haiku-4-5", api_base=None),
    )
    gateway = ScriptedGateway()
    for s in seats:
        gateway.enqueue(s.id, slow("7", 0.3))
    started = time.monotonic()
    events = await one_round(seats, gateway)

    assert time.monotonic() - started < 0.55  # all four at once, not 1.2 s in a row
    assert not [e for e in events if isinstance(e, TurnQueued)]


async def test_a_limit_the_user_set_wins_over_the_default():
    seats = (seat(1), seat(2), seat(3, model="anthropic/claude-haiku-4-5", api_base=None))
    seats += (seat(4, model="anthropic/claude-sonnet-4-5", api_base=None),)
    gateway = ScriptedGateway()
    for s in seats:
        gateway.enqueue(s.id, slow("7"))
    limits = (ServerLimit("localhost:8080", 2), ServerLimit("anthropic", 1))
    events = await one_round(seats, gateway, server_limits=limits)

    queued = [(e.seat_id, e.server) for e in events if isinstance(e, TurnQueued)]
    assert queued == [("s4", "anthropic")]  # the local server now takes two at once


async def test_stop_while_seats_wait_leaves_the_server_free_for_the_next_debate():
    seats = (seat(1), seat(2), seat(3))
    gateway = ScriptedGateway()
    for s in seats:
        gateway.enqueue(s.id, slow("7", 30.0))
    both_wait = asyncio.Event()
    waiting: list[str] = []

    def emit(event: object) -> None:
        if isinstance(event, TurnQueued):
            waiting.append(event.seat_id)
            if len(waiting) == 2:
                both_wait.set()

    spec = DebateSpec(question="q", seats=seats, max_rounds=1)
    task = asyncio.create_task(run_debate(spec, gateway, emit))
    await both_wait.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert gateway.calls_of("s2") == gateway.calls_of("s3") == 0  # never sent

    fresh = ScriptedGateway()
    for s in seats:
        fresh.enqueue(s.id, slow("7", 0.0))
    async with asyncio.timeout(10):  # a slot never given back would hang it
        events = await one_round(seats, fresh)
    assert sum(isinstance(e, TurnFinished) for e in events) == 3


async def test_a_cut_while_another_request_went_to_the_server_names_the_fix():
    seats = (seat(1), seat(2))
    gateway = ScriptedGateway()
    gateway.enqueue("s1", [Pause(0.1), StreamCut("the connection was probably cut", seat="Seat 1")])
    gateway.enqueue("s2", reply(answer_text("7", 0.8)))
    limits = (ServerLimit("localhost:8080", 2),)
    events = await one_round(seats, gateway, server_limits=limits)

    failed = next(e for e in events if isinstance(e, TurnFailed))
    assert "the server at localhost:8080 cut this reply when another request arrived" in (
        failed.message
    )
    assert "Set its concurrency to 1 in Settings › Local servers" in failed.message
    assert "`concurrency = 1` under its [[server]] in the panel file" in failed.message


async def test_a_cut_of_the_last_request_let_through_names_the_fix_too():
    # Let through in one moment, requests reach the server in any order: the one let
    # through last may be the one the server drops for a request let through before it.
    seats = (seat(1), seat(2))
    gateway = ScriptedGateway()
    gateway.enqueue("s1", slow("7", 0.3))
    gateway.enqueue("s2", [Pause(0.1), StreamCut("the connection was probably cut", seat="Seat 2")])
    limits = (ServerLimit("localhost:8080", 2),)
    events = await one_round(seats, gateway, server_limits=limits)

    failed = next(e for e in events if isinstance(e, TurnFailed))
    assert failed.seat_id == "s2"
    assert "the server at localhost:8080 cut this reply when another request arrived" in (
        failed.message
    )


async def test_a_cut_with_no_other_request_keeps_its_own_words():
    gateway = ScriptedGateway()
    gateway.enqueue("s1", [StreamCut("the connection was probably cut")])
    queued = QueuedGateway(gateway)
    with pytest.raises(StreamCut, match="probably cut"):
        async for _ in queued.stream(seat(1), []):
            pass


async def test_the_wait_is_announced_before_and_ended_after_the_slot_is_taken():
    gateway = ScriptedGateway()
    gateway.enqueue("s1", slow("7", 0.1))
    gateway.enqueue("s2", reply("x"))
    gateway.enqueue("s2", [*reply("y"), CUT])
    queued = QueuedGateway(gateway)
    first = asyncio.create_task(_drain(queued, seat(1)))
    await asyncio.sleep(0.01)
    chunks = await _drain(queued, seat(2))
    await first
    assert chunks[:2] == [WaitingForServer("localhost:8080"), RequestSent()]


async def _drain(gateway: QueuedGateway, who: Seat) -> list[object]:
    return [chunk async for chunk in gateway.stream(who, [])]


async def test_slots_serve_first_come_first_served_and_a_raised_limit_lets_waiters_in():
    slots = Slots(1)
    await slots.acquire()
    order: list[int] = []

    async def wait(n: int) -> None:
        await slots.acquire()
        order.append(n)

    waiters = [asyncio.create_task(wait(n)) for n in (1, 2, 3)]
    await asyncio.sleep(0)
    assert slots.busy
    assert not order
    slots.set_limit(3)  # two more at once
    await asyncio.sleep(0)
    assert order == [1, 2]
    slots.release()
    await asyncio.sleep(0)
    assert order == [1, 2, 3]
    await asyncio.gather(*waiters)
    assert slots.in_flight == 3
    with pytest.raises(ValueError, match="at least 1"):
        Slots(0)


async def test_a_waiter_cancelled_as_its_slot_arrives_passes_the_slot_on():
    slots = Slots(1)
    await slots.acquire()
    first = asyncio.create_task(slots.acquire())
    second = asyncio.create_task(slots.acquire())
    await asyncio.sleep(0)
    slots.release()  # handed to `first`...
    first.cancel()  # ...which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await first
    await second  # it got the slot instead
    assert slots.in_flight == 1


async def test_a_waiter_cancelled_before_a_release_passes_over_it_leaves_cleanly():
    # Stop cancels a waiting seat; the seat ahead finishes before the waiter wakes.
    slots = Slots(1)
    await slots.acquire()
    waiting = asyncio.create_task(slots.acquire())
    await asyncio.sleep(0)
    waiting.cancel()
    slots.release()  # passes over the cancelled waiter
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert slots.in_flight == 0
    assert not slots.busy


async def test_a_newcomer_behind_a_cancelled_waiter_is_let_in_when_the_slot_is_free():
    slots = Slots(1)
    await slots.acquire()
    ghost = asyncio.create_task(slots.acquire())
    await asyncio.sleep(0)
    slots.release()  # the slot goes to `ghost`...
    ghost.cancel()  # ...cancelled before it runs: it passes the slot on
    newcomer = asyncio.create_task(slots.acquire())
    with pytest.raises(asyncio.CancelledError):
        await ghost
    async with asyncio.timeout(1):
        await newcomer
    assert slots.in_flight == 1


async def test_a_spec_with_a_limit_below_one_is_refused_before_anything_runs():
    spec = DebateSpec(
        question="q", seats=(seat(1), seat(2)), server_limits=(ServerLimit("localhost:8080", -2),)
    )
    with pytest.raises(ConfigError, match="The server localhost:8080: `concurrency` is how many"):
        await run_debate(spec, ScriptedGateway(), lambda _event: None)


@pytest.mark.parametrize("case", ["hosted route", "long after"])
async def test_a_cut_that_no_newcomer_explains_keeps_its_own_words(monkeypatch, case):
    if case == "hosted route":  # a provider's route is no one server that cuts
        seats = tuple(seat(n, model="anthropic/claude-haiku-4-5", api_base=None) for n in (1, 2))
    else:  # the other request went out well before the cut
        monkeypatch.setattr(server_queue, "NEWCOMER_WINDOW_S", 0.05)
        seats = (seat(1), seat(2))
    gateway = ScriptedGateway()
    gateway.enqueue("s1", [Pause(0.2), StreamCut("the connection was probably cut")])
    gateway.enqueue("s2", reply(answer_text("7", 0.8)))
    limits = (ServerLimit("localhost:8080", 2),)
    events = await one_round(seats, gateway, server_limits=limits)

    failed = next(e for e in events if isinstance(e, TurnFailed))
    assert failed.message == "the connection was probably cut"
