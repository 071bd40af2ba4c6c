"""Fixtures for the provider tests: the fake OpenAI server and a fast gateway."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from roundtable.domain import ChatMessage, Seat, StreamChunk, TextDelta, TurnComplete, WillRetry
from roundtable.providers import LiteLLMGateway, RetryPolicy, Timeouts
from tests.fakes.openai_server import FakeOpenAIServer

#: A key the tests plant, to prove no message ever repeats it.
PLANTED_KEY = "sk-plantedTESTkey0123456789abcdefXYZ"

#: How long a test lets a call run whose own limit (well under a second) should end it,
#: where the fake server would otherwise hang for ever: a limit that never fires fails
#: the test, and no loaded machine is slow enough to fail it by accident. The limit's
#: effect is asserted by what happened (the error, the requests, the hang-up), not by
#: the wall clock.
NEVER_S = 60.0


class RecordingSleep:
    """Stands in for asyncio.sleep: records each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class Turn:
    """Everything one `gateway.stream()` call yielded, sorted by kind."""

    def __init__(self, chunks: list[StreamChunk]) -> None:
        self.chunks = chunks

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chunks if isinstance(c, TextDelta))

    @property
    def retries(self) -> list[WillRetry]:
        return [c for c in self.chunks if isinstance(c, WillRetry)]

    @property
    def complete(self) -> TurnComplete:
        last = self.chunks[-1]
        assert isinstance(last, TurnComplete), f"the turn ended with {last!r}"
        return last

    def text_after_last_retry(self) -> str:
        index = max((i for i, c in enumerate(self.chunks) if isinstance(c, WillRetry)), default=-1)
        return "".join(c.text for c in self.chunks[index + 1 :] if isinstance(c, TextDelta))


async def take_turn(
    gateway: LiteLLMGateway, seat: Seat, question: str = "What is 6 times 7?"
) -> Turn:
    chunks = [c async for c in gateway.stream(seat, [ChatMessage("user", question)])]
    return Turn(chunks)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def gateway(sleep: RecordingSleep) -> LiteLLMGateway:
    return LiteLLMGateway(
        RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.05),
        Timeouts(first_token_s=5.0, stall_s=5.0, connect_s=2.0),
        sleep=sleep,
    )


def seat_on(server: FakeOpenAIServer, model: str = "fake-gpt", **fields: object) -> Seat:
    """A seat for `model` on the fake server."""
    options: dict[str, object] = {"id": "s1", "name": "GPT", "api_base": server.base_url}
    options.update(fields)
    return Seat(model=f"openai/{model}", **options)  # type: ignore[arg-type]


def dead_url() -> str:
    """An address on this machine where nothing listens (any more)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


#: The three wire formats the fake server speaks, as a seat's model prefix.
ROUTES = ("openai", "anthropic", "gemini")
ROUTE_KEY_ENV = "ROUNDTABLE_TEST_ROUTE_KEY"


def seat_on_route(
    server: FakeOpenAIServer, route: str, model: str = "m1", **fields: object
) -> Seat:
    """A seat for `model` on the fake server, over `route`'s own wire format.

    The key comes from ROUTE_KEY_ENV (the `route_key` fixture sets it): litellm
    will not call Gemini without one.
    """
    base = {"openai": server.base_url, "anthropic": server.url}.get(route, server.gemini_base_url)
    options: dict[str, object] = {
        "id": "s1",
        "name": "Seat",
        "api_base": base,
        "api_key_env": ROUTE_KEY_ENV,
    }
    options.update(fields)
    return Seat(model=f"{route}/{model}", **options)  # type: ignore[arg-type]


@pytest.fixture
def route_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(ROUTE_KEY_ENV, PLANTED_KEY)
    return PLANTED_KEY
