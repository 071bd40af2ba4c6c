"""A person's turns in the app: asked over the wire, answered by the GUI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from roundtable import wire
from roundtable.domain import ConfigError

if TYPE_CHECKING:
    from roundtable.engine.human import HumanReply, HumanTurnRequest

#: (debate id, round, seat id): one turn of a person.
_TurnKey = tuple[str, int, str]


class GuiHumanInput:
    """A person's turns come from the GUI: `ask` sends `HumanTurnRequested` and waits
    for `deliver` to be called with the matching `HumanTurn` command."""

    def __init__(self, send: Callable[[wire.Reply], None]) -> None:
        self._send = send
        self._waiting: dict[_TurnKey, asyncio.Future[HumanReply]] = {}

    async def ask(self, request: HumanTurnRequest) -> HumanReply:
        key = (request.debate_id, request.round, request.seat.id)
        future: asyncio.Future[HumanReply] = asyncio.get_running_loop().create_future()
        self._waiting[key] = future
        self._send(
            wire.HumanTurnRequested(
                debate_id=request.debate_id,
                round=request.round,
                seat_id=request.seat.id,
                seat_name=request.seat.name,
                question=request.question,
                prompt=request.prompt,
            )
        )
        try:
            return await future  # cancelled with the debate
        finally:
            self._waiting.pop(key, None)

    def deliver(self, turn: wire.HumanTurn) -> None:
        """Answer a waiting turn; ConfigError if none waits."""
        from roundtable.engine.human import HumanReply
        from roundtable.engine.parsing import parse_confidence

        future = self._waiting.get((turn.debate_id, turn.round, turn.seat_id))
        if future is None or future.done():
            raise ConfigError(
                f"no turn of seat {turn.seat_id!r} in round {turn.round} of debate "
                f"{turn.debate_id!r} is waiting for a person"
            )
        # Read like a model's ("0.8", "80" and "80%" all mean 0.8).
        confidence = None if turn.confidence is None else parse_confidence(repr(turn.confidence))
        future.set_result(
            HumanReply(
                text=turn.text, answer=turn.answer, confidence=confidence, passed=turn.passed
            )
        )
