"""Shared helpers for the protocol tests: run a spec on a scripted gateway, read events."""

from __future__ import annotations

from typing import Any, TypeVar

from roundtable.domain import ChatMessage, DebateSpec, Event, Seat
from roundtable.engine import run_debate
from tests.engine.scripted import ScriptedGateway

E = TypeVar("E")

SEATS = (
    Seat("ada", "Ada", "demo/ada"),
    Seat("bob", "Bob", "demo/bob"),
    Seat("cy", "Cy", "demo/cy"),
)


def spec_for(protocol: str, **changes: Any) -> DebateSpec:
    fields: dict[str, Any] = {
        "question": "What is 6 × 7?",
        "seats": SEATS,
        "seed": 7,
        "protocol": protocol,
    }
    fields.update(changes)
    return DebateSpec(**fields)


async def run(spec: DebateSpec, gateway: ScriptedGateway) -> list[Event]:
    events: list[Event] = []
    await run_debate(spec, gateway, events.append, coalesce_s=0)
    return events


def of(events: list[Event], cls: type[E], **match: object) -> list[E]:
    return [
        e
        for e in events
        if isinstance(e, cls) and all(getattr(e, k) == v for k, v in match.items())
    ]


def last_user(messages: tuple[ChatMessage, ...]) -> str:
    return [m.content for m in messages if m.role == "user"][-1]


def conversation(messages: tuple[ChatMessage, ...]) -> str:
    return "\n\n".join(m.content for m in messages)
