"""The gateway through the real litellm -> OpenAI SDK -> HTTP path, against the fake server."""

from __future__ import annotations

import asyncio
import socket

import pytest

from roundtable.domain import (
    AuthFailed,
    ChatMessage,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    Seat,
    StreamCut,
    TextDelta,
    WillRetry,
)
from roundtable.providers import LiteLLMGateway, RetryPolicy, Timeouts
from tests.fakes.openai_server import FakeOpenAIServer, Fault, Reply
from tests.providers.conftest import NEVER_S, PLANTED_KEY, seat_on, take_turn


async def test_text_streams_in_order_and_the_turn_reports_usage(server, gateway):
    server.enqueue("fake-gpt", Reply("Six times seven is forty-two.\nFinal answer: 42"))

    turn = await take_turn(gateway, seat_on(server))

    assert turn.text == "Six times seven is forty-two.\nFinal answer: 42"
    assert len([c for c in turn.chunks if isinstance(c, TextDelta)]) == 8  # word by word
    usage = turn.complete.usage
    assert turn.complete.finish_reason == "stop"
    assert usage.completion_tokens == 8
    assert usage.prompt_tokens == 5  # the fake counts the words of the question
    assert usage.latency_s > 0
    assert usage.first_token_s is not None
    assert 0 < usage.first_token_s <= usage.latency_s
    assert usage.cost_usd is None  # a model missing from the price map is not free


async def test_usage_is_estimated_when_the_server_reports_none(server, gateway):
    server.enqueue("fake-gpt", Reply("The answer is forty-two.", send_usage=False))

    turn = await take_turn(gateway, seat_on(server), "What is six times seven?")

    assert turn.complete.usage.prompt_tokens > 0
    assert turn.complete.usage.completion_tokens > 0


async def test_seat_settings_and_key_reach_the_server(server, gateway, monkeypatch):
    monkeypatch.setenv("RT_TEST_KEY", PLANTED_KEY)
    seat = seat_on(server, temperature=0.3, max_tokens=200, api_key_env="RT_TEST_KEY")

    await take_turn(gateway, seat, "Is 7 prime?")

    body = server.requests[0]
    assert body["model"] == "fake-gpt"
    assert body["messages"] == [{"role": "user", "content": "Is 7 prime?"}]
    assert body["temperature"] == 0.3
    assert body["max_tokens"] == 200
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert "seed" not in body  # only demo models get the debate's seed
    assert server.request_headers[0]["authorization"] == f"Bearer {PLANTED_KEY}"


async def test_a_server_on_this_machine_gets_the_key_the_user_set(server, gateway, monkeypatch):
    # The user's own machine (a LiteLLM proxy on loopback): their key variable goes,
    # as litellm would send it; other machines get none (test_keys.py).
    monkeypatch.setenv("OPENAI_API_KEY", PLANTED_KEY)

    await take_turn(gateway, seat_on(server))

    assert server.request_headers[0]["authorization"] == f"Bearer {PLANTED_KEY}"


async def test_known_model_is_priced_from_the_price_map(server, gateway):
    server.enqueue("gpt-4o", Reply("Final answer: 42", prompt_tokens=1000, completion_tokens=500))

    turn = await take_turn(gateway, seat_on(server, "gpt-4o"))

    cost = turn.complete.usage.cost_usd
    assert cost is not None
    assert cost == pytest.approx(1000 * 2.5e-6 + 500 * 10e-6)


async def test_rate_limit_waits_as_long_as_the_server_asks_then_succeeds(server, gateway, sleep):
    server.enqueue("fake-gpt", Fault.http(429, retry_after=7))
    server.enqueue("fake-gpt", Reply("Final answer: 42"))

    turn = await take_turn(gateway, seat_on(server))

    assert [(r.attempt, r.delay_s) for r in turn.retries] == [(1, 7.0)]
    assert isinstance(turn.retries[0].error, RateLimited)
    assert "GPT" in str(turn.retries[0].error)
    assert sleep.delays == [7.0]
    assert turn.text == "Final answer: 42"
    assert len(server.requests) == 2


async def test_a_server_error_then_success_is_one_retry(server, gateway, sleep):
    server.enqueue("fake-gpt", Fault.http(500))
    server.enqueue("fake-gpt", Reply("Final answer: 42"))

    turn = await take_turn(gateway, seat_on(server))

    assert len(turn.retries) == 1
    assert isinstance(turn.retries[0].error, ProviderUnavailable)
    assert 0 < turn.retries[0].delay_s <= 0.05
    assert turn.text == "Final answer: 42"
    assert turn.complete.finish_reason == "stop"


async def test_a_server_that_keeps_failing_gives_up_after_max_attempts(server, gateway, sleep):
    seat = seat_on(server, "fail-500")

    with pytest.raises(ProviderUnavailable) as caught:
        await take_turn(gateway, seat)

    assert len(server.requests) == 3
    assert len(sleep.delays) == 2
    message = str(caught.value)
    assert message.startswith("Seat 'GPT' (openai):")
    assert "server error (500)" in message
    assert "had an error while processing" in message  # the server's own words


async def test_refused_key_fails_at_once_and_says_what_to_check(server, gateway, monkeypatch):
    monkeypatch.setenv("RT_TEST_KEY", PLANTED_KEY)
    seat = seat_on(server, "fail-401", api_key_env="RT_TEST_KEY")

    with pytest.raises(AuthFailed) as caught:
        await take_turn(gateway, seat)

    assert len(server.requests) == 1  # never retried
    message = str(caught.value)
    assert "Seat 'GPT'" in message
    assert "key refused" in message
    assert "RT_TEST_KEY" in message  # the variable to check
    assert PLANTED_KEY not in message  # the fake quotes the key it refused
    assert caught.value.seat == "GPT"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429, 500])
async def test_no_error_message_repeats_a_key(server, sleep, monkeypatch, status):
    monkeypatch.setenv("RT_TEST_KEY", PLANTED_KEY)
    other = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx"
    message = f"Bad key {PLANTED_KEY} and also {other}, Bearer {PLANTED_KEY}"
    for _ in range(3):
        server.enqueue("fake-gpt", Fault.http(status, message=message))
    gateway = LiteLLMGateway(RetryPolicy(max_attempts=2, base_delay_s=0.0), sleep=sleep)
    seat = seat_on(server, api_key_env="RT_TEST_KEY")
    errors: list[Exception] = []

    async def consume() -> None:
        async for chunk in gateway.stream(seat, [ChatMessage("user", "hi")]):
            if isinstance(chunk, WillRetry):
                errors.append(chunk.error)

    with pytest.raises(ProviderError) as caught:
        await consume()
    errors.append(caught.value)

    for error in errors:
        text = str(error)
        assert "Seat 'GPT'" in text
        assert PLANTED_KEY not in text
        assert other not in text


@pytest.mark.parametrize("abrupt", [True, False], ids=["connection-dropped", "body-ended"])
async def test_a_cut_stream_is_retried_then_kept_as_incomplete(server, gateway, abrupt):
    for _ in range(3):
        server.enqueue("fake-gpt", Fault.cut(after_chunks=3, abrupt=abrupt))

    turn = await take_turn(gateway, seat_on(server))

    assert len(server.requests) == 3
    assert [type(r.error) for r in turn.retries] == [StreamCut, StreamCut]
    assert "Seat 'GPT'" in str(turn.retries[0].error)
    assert turn.text_after_last_retry() == "Let me work "
    assert turn.complete.incomplete


async def test_a_stream_cut_before_its_first_word_every_time_fails(server, gateway):
    for _ in range(3):
        server.enqueue("fake-gpt", Fault.cut(after_chunks=0, abrupt=False))

    with pytest.raises(StreamCut) as caught:
        await take_turn(gateway, seat_on(server))

    assert len(server.requests) == 3
    assert "ended after 0 words without finishing" in str(caught.value)
    assert caught.value.retryable


async def test_the_text_of_a_cut_attempt_is_followed_by_a_retry(server, gateway):
    server.enqueue("fake-gpt", Fault.cut(after_chunks=2, abrupt=False))
    server.enqueue("fake-gpt", Reply("Final answer: 42"))

    turn = await take_turn(gateway, seat_on(server))

    # The engine voids what came before a WillRetry; the final text is the second attempt's.
    assert turn.text.startswith("Let me ")
    assert len(turn.retries) == 1
    assert isinstance(turn.retries[0].error, StreamCut)
    assert turn.text_after_last_retry() == "Final answer: 42"


async def test_a_malformed_chunk_is_a_clear_error_not_a_crash(server, gateway):
    # Every attempt garbled: retried, then the text before the bad chunk is kept, marked.
    turn = await take_turn(gateway, seat_on(server, "malformed"))

    assert len(turn.retries) == 2
    error = turn.retries[0].error
    assert isinstance(error, StreamCut)
    assert "Seat 'GPT'" in str(error)
    assert "could not read (a malformed chunk)" in str(error)
    assert turn.complete.incomplete
    assert turn.text_after_last_retry() == "Let "
    assert len(server.requests) == 3


async def test_a_silent_server_times_out_within_the_limit(server, sleep):
    gateway = LiteLLMGateway(
        RetryPolicy(max_attempts=2, base_delay_s=0.0),
        Timeouts(first_token_s=0.4, stall_s=5.0),
        sleep=sleep,
    )
    with pytest.raises(ProviderTimeout) as caught:
        async with asyncio.timeout(NEVER_S):  # the server itself would hang for ever
            await take_turn(gateway, seat_on(server, "hang"))

    assert len(server.requests) == 2
    assert "within 0.4 s" in str(caught.value)
    # The client closes its sockets on the event loop, so wait off it.
    assert await asyncio.to_thread(server.wait_for_disconnects, 2), "hung requests abandoned"


async def test_a_stream_that_stalls_mid_reply_times_out(server, sleep):
    server.enqueue("fake-gpt", Reply("one two three four five six", token_s=3.0))
    gateway = LiteLLMGateway(
        RetryPolicy(max_attempts=1), Timeouts(first_token_s=5.0, stall_s=0.3), sleep=sleep
    )
    with pytest.raises(ProviderTimeout) as caught:
        await take_turn(gateway, seat_on(server))

    # Only the stall limit can end it so: the reply would have come whole in 18 s.
    assert "stopped sending" in str(caught.value)
    assert len(server.requests) == 1


async def test_cancelling_the_turn_closes_the_request_promptly(server, gateway):
    server.set_default("fake-gpt", Reply("word " * 400, token_s=0.02))
    received: list[str] = []
    talking = asyncio.Event()

    async def consume() -> None:
        async for chunk in gateway.stream(seat_on(server), [ChatMessage("user", "Talk.")]):
            if isinstance(chunk, TextDelta):
                received.append(chunk.text)
                if len(received) == 3:
                    talking.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(talking.wait(), timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    # The server saw the client hang up mid-reply (a reply sent whole is no hang-up),
    # far from the 400 words it would have sent.
    assert await asyncio.to_thread(server.wait_for_disconnects, 1, NEVER_S)
    assert len(received) < 50


async def test_connection_refused_names_the_url(gateway, sleep):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"  # nothing listens here any more
    seat = Seat(id="s1", name="Llama", model="openai/llama", api_base=url)

    with pytest.raises(ProviderUnavailable) as caught:
        await take_turn(gateway, seat)

    message = str(caught.value)
    assert f"could not reach {url}" in message
    assert "is the server running?" in message
    assert len(sleep.delays) == 2  # refused connections are retried


async def test_demo_models_stream_through_the_same_path_at_no_cost(gateway):
    seat = Seat(id="d1", name="Ada", model="demo/ada")

    turn = await take_turn(gateway, seat, "What is 2+3?")

    assert turn.text
    assert turn.complete.usage.cost_usd == 0.0
    assert turn.complete.usage.completion_tokens > 0


def test_the_fake_server_runs_standalone_and_prints_its_url():
    import subprocess
    import sys
    from pathlib import Path

    import httpx

    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.openai_server", "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/v1")
        listed = httpx.get(f"{base_url}/models", timeout=5).json()
        assert "fake-gpt" in [m["id"] for m in listed["data"]]
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_fake_server_default_replies_end_with_an_answer():
    import httpx

    def ask(base_url: str, model: str) -> str:
        body = {"model": model, "messages": [{"role": "user", "content": "q"}]}
        reply = httpx.post(f"{base_url}/chat/completions", json=body, timeout=5).json()
        return str(reply["choices"][0]["message"]["content"])

    with FakeOpenAIServer() as fake:
        assert ask(fake.base_url, "anything").endswith("Final answer: 42\nConfidence: 0.8")
        # Benchmarks seat `answer-N` models so that the table never agrees early.
        assert ask(fake.base_url, "answer-7").endswith("Final answer: 7\nConfidence: 0.8")


async def test_the_debate_seed_makes_demo_turns_reproducible(gateway):
    seat = Seat(id="d1", name="Basil", model="demo/basil")
    question = [ChatMessage("user", "What is 12+17*23+4-9*14?")]

    async def text(seed: int) -> str:
        chunks = gateway.stream(seat, question, seed=seed)
        return "".join([c.text async for c in chunks if isinstance(c, TextDelta)])

    by_seed = {seed: await text(seed) for seed in range(1, 6)}

    assert await text(3) == by_seed[3]
    assert len(set(by_seed.values())) > 1  # the seed reached the demo model and mattered
