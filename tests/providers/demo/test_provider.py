"""The demo provider through the real litellm path: streaming, usage, pace, errors, cancel.

The handler is registered here by hand (the gateway does it in the app), with litellm's
offline settings; conftest sets `ROUNDTABLE_DEMO_SPEED=40`, so replies stream fast.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import pytest

from roundtable.providers.demo.models import SIMULATED_BANNER, simulate_reply
from tests.helpers.clock import run_in_virtual_time

#: Importing litellm takes seconds (NOTES.md); the calls themselves are fast.
pytestmark = pytest.mark.slow

QUESTION = [
    {"role": "system", "content": "You are Basil, one of 4 participants."},
    {"role": "user", "content": "Answer on your own.\n\nQuestion:\nWhat is 3+4*5+6-7*8?"},
]


@pytest.fixture(scope="module")
def litellm() -> Iterator[Any]:
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    os.environ["HF_HUB_OFFLINE"] = "1"
    # The brief for this test: register the handler by hand, as the gateway would.
    import litellm as module  # noqa: TID251

    from roundtable.providers.demo.provider import make_demo_handler

    module.suppress_debug_info = True
    previous = module.custom_provider_map
    module.custom_provider_map = [{"provider": "demo", "custom_handler": make_demo_handler()}]
    yield module
    module.custom_provider_map = previous


async def stream(litellm: Any, model: str, **kwargs: Any) -> tuple[list[str], Any, str | None]:
    """Stream a demo call; return the text pieces, the usage and the finish reason."""
    response = await litellm.acompletion(
        model=model,
        messages=QUESTION,
        stream=True,
        stream_options={"include_usage": True},
        max_retries=0,
        **kwargs,
    )
    pieces: list[str] = []
    usage = finish = None
    async for chunk in response:
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
        if chunk.choices and chunk.choices[0].finish_reason:
            finish = chunk.choices[0].finish_reason
        usage = getattr(chunk, "usage", None) or usage
    return pieces, usage, finish


async def test_a_demo_model_streams_its_reply_through_litellm(litellm: Any) -> None:
    pieces, usage, finish = await stream(litellm, "demo/basil", seed=7)
    text = "".join(pieces)
    assert text == simulate_reply("demo/basil", QUESTION, 7)
    assert text.startswith(SIMULATED_BANNER)
    assert len(pieces) > 20  # word by word, not in one lump
    assert max(len(p.split()) for p in pieces) <= 2
    assert finish == "stop"
    assert usage.completion_tokens == pytest.approx(len(text) / 4, abs=1)
    assert usage.prompt_tokens > 10


async def test_the_seed_reaches_the_demo_model(litellm: Any) -> None:
    seeds = [
        s
        for s in range(20)
        if simulate_reply("demo/basil", QUESTION, s) != simulate_reply("demo/basil", QUESTION, 0)
    ]
    assert seeds, "Basil should say different things for some seeds"
    pieces, _, _ = await stream(litellm, "demo/basil", seed=seeds[0])
    assert "".join(pieces) == simulate_reply("demo/basil", QUESTION, seeds[0])


async def test_non_streaming_returns_the_whole_reply_with_usage(litellm: Any) -> None:
    response = await litellm.acompletion(model="demo/ada", messages=QUESTION, seed=1)
    assert response.choices[0].message.content == simulate_reply("demo/ada", QUESTION, 1)
    assert response.choices[0].finish_reason == "stop"
    assert response.usage.completion_tokens > 0


async def test_max_tokens_cuts_the_reply_like_a_real_model(litellm: Any) -> None:
    pieces, usage, finish = await stream(litellm, "demo/cyra", max_tokens=10)
    assert finish == "length"
    assert len("".join(pieces)) <= 40
    assert usage.completion_tokens <= 10


async def test_an_unknown_demo_model_is_a_clear_not_found_error(litellm: Any) -> None:
    with pytest.raises(litellm.NotFoundError) as caught:
        await stream(litellm, "demo/zed")
    message = str(caught.value)
    assert "Unknown demo model 'zed'" in message
    assert "demo/ada" in message


def test_speed_factor_sets_the_pace(litellm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from roundtable.providers.demo.provider import DemoLLM, _plan

    monkeypatch.setenv("ROUNDTABLE_DEMO_SPEED", "1")
    real_time = _plan("dex", QUESTION, {}).total_s
    assert real_time > 1.5  # at real speed a reply takes seconds, like a model typing

    def timed(speed: str) -> float:
        """How long the reply takes on the loop's clock (virtual: exact, and no waiting)."""
        monkeypatch.setenv("ROUNDTABLE_DEMO_SPEED", speed)

        async def reply() -> float:
            clock = asyncio.get_running_loop().time
            start = clock()
            chunks = [c async for c in DemoLLM().astreaming("dex", QUESTION, **_unused(litellm))]
            assert chunks[-1]["is_finished"]
            return clock() - start

        return run_in_virtual_time(reply)

    assert timed("1") == pytest.approx(real_time)
    assert timed("10") == pytest.approx(real_time / 10)
    assert timed("40") == pytest.approx(real_time / 40)


def test_cancelling_the_consumer_stops_the_stream_at_once(
    litellm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUNDTABLE_DEMO_SPEED", "1")  # a slow, real-paced stream
    received: list[str] = []

    async def consume(first: asyncio.Event) -> None:
        response = await litellm.acompletion(model="demo/basil", messages=QUESTION, stream=True)
        async for chunk in response:
            if chunk.choices and chunk.choices[0].delta.content:
                received.append(chunk.choices[0].delta.content)
                first.set()

    async def cancel_after_the_first_words() -> tuple[float, int]:
        clock = asyncio.get_running_loop().time
        first = asyncio.Event()
        task = asyncio.create_task(consume(first))
        await first.wait()
        cancelled_at = clock()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        stopped_after = clock() - cancelled_at
        count = len(received)
        # At real speed several more words would arrive in 2 s (virtual: no waiting).
        await asyncio.sleep(2)
        assert len(received) == count
        return stopped_after, count

    stopped_after, count = run_in_virtual_time(cancel_after_the_first_words)
    assert stopped_after == 0  # at once: not even the next word's pause was awaited
    assert count >= 1
    assert "".join(received) != simulate_reply("demo/basil", QUESTION, None)


def _unused(litellm: Any) -> dict[str, Any]:
    """The arguments litellm passes that the demo handler ignores."""
    return {
        "api_base": "",
        "custom_prompt_dict": {},
        "model_response": litellm.ModelResponse(),
        "print_verbose": print,
        "encoding": None,
        "api_key": None,
        "logging_obj": None,
        "optional_params": {},
    }
