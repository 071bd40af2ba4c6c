"""The demo provider through the real litellm path: streaming, usage, pace, errors, cancel.

The handler is registered here by hand (the gateway does it in the app), with litellm's
offline settings; conftest sets `ROUNDTABLE_DEMO_SPEED=40`, so replies stream fast.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from roundtable.providers.demo.models import SIMULATED_BANNER, simulate_reply

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


async def test_speed_factor_sets_the_pace(litellm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from roundtable.providers.demo.provider import DemoLLM, _plan

    monkeypatch.setenv("ROUNDTABLE_DEMO_SPEED", "1")
    real_time = _plan("dex", QUESTION, {}).total_s
    assert real_time > 1.5  # at real speed a reply takes seconds, like a model typing

    async def timed(speed: str) -> float:
        monkeypatch.setenv("ROUNDTABLE_DEMO_SPEED", speed)
        start = time.monotonic()
        chunks = [c async for c in DemoLLM().astreaming("dex", QUESTION, **_unused(litellm))]
        assert chunks[-1]["is_finished"]
        return time.monotonic() - start

    assert real_time / 10 * 0.8 <= await timed("10") <= real_time / 10 + 0.3
    assert await timed("40") <= real_time / 40 + 0.15


async def test_cancelling_the_consumer_stops_the_stream_at_once(
    litellm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUNDTABLE_DEMO_SPEED", "1")  # a slow, real-paced stream
    received: list[str] = []
    first = asyncio.Event()

    async def consume() -> None:
        response = await litellm.acompletion(model="demo/basil", messages=QUESTION, stream=True)
        async for chunk in response:
            if chunk.choices and chunk.choices[0].delta.content:
                received.append(chunk.choices[0].delta.content)
                first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), timeout=5)
    start = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - start < 0.1
    count = len(received)
    await asyncio.sleep(0.3)  # at real speed, several more words would have arrived by now
    assert len(received) == count
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
