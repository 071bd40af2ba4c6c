"""`MeteredGateway`: a scripted gateway that bills what it is sent, as a provider would.

Each seat's reply comes from a `Writer` (seat id, round) -> text; the turn's usage
is counted from the messages the engine really sent and the text really streamed
(about four characters a token, as the estimate counts), priced with the same
`PriceLookup` the estimate and the budget get. So a test can compare what a debate
cost with what was estimated, and count every call the engine made.

    gateway = MeteredGateway(write=disagreeing(tokens=REPLY_TOKENS_HIGH), price=price)
    await run_debate(spec, gateway, sink, price=price)
    gateway.spent_usd, len(gateway.calls)
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

from roundtable.domain import ChatMessage, Seat, StreamChunk, TextDelta, TurnComplete, Usage
from roundtable.domain.pricing import Price, PriceLookup
from roundtable.engine.estimate import CHARS_PER_TOKEN, count_tokens

#: (seat, messages) -> the reply text.
Writer = Callable[[Seat, Sequence[ChatMessage]], str]


def reply_of(tokens: int, answer: str, *, decision: str = "continue") -> str:
    """A reply about `tokens` long ending in its answer (and a moderator's decision)."""
    ending = f"\nDecision: {decision}\nFinal answer: {answer}\nConfidence: 0.7"
    body = ("I weigh each step in turn. " * tokens)[: tokens * CHARS_PER_TOKEN - len(ending)]
    return body + ending


def disagreeing(tokens: int) -> Writer:
    """Every seat keeps its own answer, every round; a moderator never stops."""
    answers: dict[str, str] = {}

    def write(seat: Seat, messages: Sequence[ChatMessage]) -> str:
        answers.setdefault(seat.id, str(100 + len(answers)))
        return reply_of(tokens, answers[seat.id])

    return write


def agreeing(tokens: int) -> Writer:
    """Every seat answers 42 at once; a moderator stops at once."""
    return lambda seat, messages: reply_of(tokens, "42", decision="stop")


def flat_price(in_per_mtok: float = 3.0, out_per_mtok: float = 15.0) -> PriceLookup:
    """Every seat at the same price (a person free)."""
    return lambda seat: Price(0, 0) if seat.is_human else Price(in_per_mtok, out_per_mtok)


@dataclass(frozen=True)
class MeteredCall:
    seat_id: str
    usage: Usage


@dataclass
class MeteredGateway:
    write: Writer
    price: PriceLookup
    calls: list[MeteredCall] = field(default_factory=list)

    @property
    def spent_usd(self) -> float:
        return sum(call.usage.cost_usd or 0.0 for call in self.calls)

    @property
    def tokens(self) -> int:
        return sum(call.usage.total_tokens for call in self.calls)

    async def redact(self, text: str, seats: Sequence[Seat]) -> str:
        return text  # no keys in a test's tables

    def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        return self._play(seat, messages)

    async def _play(
        self, seat: Seat, messages: Sequence[ChatMessage]
    ) -> AsyncIterator[StreamChunk]:
        text = self.write(seat, messages)
        prompt = count_tokens(messages)
        completion = math.ceil(len(text) / CHARS_PER_TOKEN)
        price = self.price(seat)
        usage = Usage(
            prompt_tokens=prompt,
            completion_tokens=completion,
            cost_usd=None if price is None else price.cost(prompt, completion),
            latency_s=0.1,
        )
        self.calls.append(MeteredCall(seat.id, usage))
        yield TextDelta(text)
        yield TurnComplete(usage=usage, finish_reason="stop")
