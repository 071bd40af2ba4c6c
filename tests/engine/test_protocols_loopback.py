"""Each protocol through the real path: engine -> litellm -> OpenAI SDK -> HTTP, on loopback.

The fake server (tests/fakes/) plays three models; each test scripts what they say and
then checks what reached the server (who was asked what) and what the debate decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from roundtable.domain import DebateFinished, DebateSpec, Event, RoundFinished, Seat, TurnFinished
from roundtable.engine import run_debate
from roundtable.engine.protocols.ranking import anonymise
from roundtable.providers import LiteLLMGateway, RetryPolicy, Timeouts
from tests.fakes.openai_server import FakeOpenAIServer, Reply

MODELS = {"gpt": "fake-gpt", "claude": "fake-claude", "llama": "fake-llama"}
NAMES = {"gpt": "GPT", "claude": "Claude", "llama": "Llama"}


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def seats(server: FakeOpenAIServer) -> tuple[Seat, ...]:
    return tuple(
        Seat(seat_id, NAMES[seat_id], f"openai/{model}", api_base=server.base_url)
        for seat_id, model in MODELS.items()
    )


def said(answer: str, why: str = "Worked it out.", confidence: float = 0.8) -> Reply:
    return Reply(f"{why}\nFinal answer: {answer}\nConfidence: {confidence}")


async def debate(server: FakeOpenAIServer, protocol: str, **changes: Any) -> list[Event]:
    spec = DebateSpec(
        question="What is 6 times 7?", seats=seats(server), protocol=protocol, seed=5, **changes
    )
    gateway = LiteLLMGateway(
        RetryPolicy(max_attempts=1), Timeouts(first_token_s=5.0, stall_s=5.0, connect_s=2.0)
    )
    events: list[Event] = []
    await run_debate(spec, gateway, events.append, coalesce_s=0.01)
    return events


def finished(events: list[Event]) -> DebateFinished:
    last = events[-1]
    assert isinstance(last, DebateFinished), last
    return last


def user_text(body: dict[str, Any]) -> str:
    return "\n\n".join(m["content"] for m in body["messages"] if m["role"] == "user")


async def test_debate_over_http(server: FakeOpenAIServer) -> None:
    server.enqueue("fake-gpt", said("42", "Six sevens."))
    server.enqueue("fake-claude", said("41", "I miscounted, perhaps."))
    server.enqueue("fake-llama", said("42"))
    for model in MODELS.values():
        server.enqueue(model, said("42"))

    events = await debate(server, "debate", max_rounds=3)

    update = user_text(server.requests_for("fake-claude")[1])
    assert "These are the solutions to the problem from other agents" in update
    assert "### GPT (answer: 42, confidence: 0.80)\nSix sevens." in update
    result = finished(events)
    assert (result.final_answer, result.consensus, result.rounds) == ("42", True, 2)


async def test_council_over_http(server: FakeOpenAIServer) -> None:
    ids = list(MODELS)
    for seat_id, model in MODELS.items():
        server.enqueue(model, said("41" if seat_id == "claude" else "42"))
    for seat_id, model in MODELS.items():
        letter = {s: label for label, s in anonymise(ids, seat_id, 5).order}
        ranking = "\n".join(f"{n}. Response {letter[s]}" for n, s in enumerate(ids, 1))
        server.enqueue(model, said("42", f"FINAL RANKING:\n{ranking}"))
    server.enqueue("fake-gpt", said("42", "The council's answer."))

    events = await debate(server, "council")

    reviews = [user_text(server.requests_for(model)[1]) for model in MODELS.values()]
    for review in reviews:
        assert "### Response A" in review
        assert not any(name in review for name in NAMES.values())
    assert len(set(reviews)) > 1  # each reviewer, its own order
    assert len(server.requests_for("fake-gpt")) == 3  # the chair writes the synthesis
    assert len(server.requests_for("fake-claude")) == 2
    assert of_round(events, 1).rankings == {"gpt": 1.0, "claude": 2.0, "llama": 3.0}
    assert finished(events).final_answer == "42"


async def test_mixture_over_http(server: FakeOpenAIServer) -> None:
    server.enqueue("fake-gpt", said("42", "First layer, GPT."))
    server.enqueue("fake-claude", said("41"))
    server.enqueue("fake-llama", said("40"))
    server.enqueue("fake-gpt", said("42", "Aggregated."))

    events = await debate(server, "mixture", max_rounds=2)

    aggregation = user_text(server.requests_for("fake-gpt")[1])
    assert "# Aggregation" in aggregation
    assert "### Reference 1 (answer: 42, confidence: 0.80)\nFirst layer, GPT." in aggregation
    assert len(server.requests_for("fake-claude")) == 1
    assert finished(events).final_answer == "42"


async def test_moderated_over_http(server: FakeOpenAIServer) -> None:
    server.enqueue("fake-gpt", said("42", "Affirmative: six sevens."))
    server.enqueue("fake-claude", said("41", "Negative: I count 41."))
    verdict = "The affirmative holds.\nDecision: stop\nWinner: affirmative\n"
    server.enqueue("fake-llama", Reply(verdict + "Final answer: 42\nConfidence: 0.9"))

    events = await debate(server, "moderated", max_rounds=3)

    negative = user_text(server.requests_for("fake-claude")[0])
    assert "### GPT (answer: 42, confidence: 0.80)\nAffirmative: six sevens." in negative
    judge = user_text(server.requests_for("fake-llama")[0])
    assert "### Negative: Claude (answer: 41" in judge
    result = finished(events)
    assert (result.final_answer, result.rounds) == ("42", 1)
    assert "The moderator Llama decided for the affirmative side" in result.rule


async def test_vote_over_http(server: FakeOpenAIServer) -> None:
    server.enqueue("fake-gpt", said("40"))
    server.enqueue("fake-claude", said("50"))
    server.enqueue("fake-llama", said("90"))

    events = await debate(server, "vote", max_rounds=3)

    assert len(server.requests) == 3  # one call per seat, no discussion
    answers = sorted(t.answer.display for t in events if isinstance(t, TurnFinished) and t.answer)
    assert answers == ["40", "50", "90"]
    assert finished(events).final_answer == "50"  # the median


def of_round(events: list[Event], number: int) -> RoundFinished:
    return next(e for e in events if isinstance(e, RoundFinished) and e.round == number)
