"""Issue 5's provider fault table, row by row, through litellm -> OpenAI SDK -> HTTP.

Gateway-level tests pin what one seat's turn does; the debate-level tests run the real
engine over the same path and check what a person would see: which seat failed, with
which message, and that the rest of the table carried on.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from roundtable.domain import (
    AuthFailed,
    BadResponse,
    ConfigError,
    DebateFinished,
    DebateSpec,
    Event,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    Seat,
    StreamCut,
    TurnComplete,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
)
from roundtable.engine import run_debate
from roundtable.providers import LiteLLMGateway, RetryPolicy, Timeouts
from tests.fakes.openai_server import FakeOpenAIServer, Fault, Reply
from tests.helpers.sinks import RecordingSink
from tests.providers.conftest import (
    NEVER_S,
    PLANTED_KEY,
    RecordingSleep,
    dead_url,
    seat_on,
    take_turn,
)

ANSWER = "Six times seven is forty-two.\nFinal answer: 42\nConfidence: 0.9"


# ------------------------------------------------------------------ 429
async def test_429_waits_as_long_as_asked_but_never_longer_than_the_cap(server, sleep):
    server.enqueue("fake-gpt", Fault.http(429, retry_after=3600))
    server.enqueue("fake-gpt", Reply(ANSWER))
    gateway = LiteLLMGateway(RetryPolicy(retry_after_cap_s=60.0), sleep=sleep)

    turn = await take_turn(gateway, seat_on(server))

    assert sleep.delays == [60.0]  # an hour was asked for; a debate waits a minute at most
    assert isinstance(turn.retries[0].error, RateLimited)
    assert "rate limited by the server at" in str(turn.retries[0].error)
    assert "asked to wait 3600 s" in str(turn.retries[0].error)
    assert turn.text == ANSWER


# ------------------------------------------------------------------ 500 / 503
async def test_503_backs_off_with_jitter_then_fails_with_the_providers_words(server):
    for _ in range(3):
        server.enqueue("fake-gpt", Fault.http(503))
    sleep = RecordingSleep()
    gateway = LiteLLMGateway(
        RetryPolicy(max_attempts=3, base_delay_s=1.0, max_delay_s=20.0, jitter=0.2),
        sleep=sleep,
        rng=random.Random(5),
    )

    with pytest.raises(ProviderUnavailable) as caught:
        await take_turn(gateway, seat_on(server))

    assert len(server.requests) == 3
    first, second = sleep.delays
    assert 0.8 <= first <= 1.2  # 1 s ± 20 %
    assert 1.6 <= second <= 2.4  # doubled, ± 20 %
    assert (first, second) != (1.0, 2.0)  # jittered, so seats that failed together spread out
    message = str(caught.value)
    assert "server error (503)" in message
    assert "currently overloaded" in message  # the provider's own words


async def test_backoff_delays_are_shown_rounded(server):
    server.enqueue("fake-gpt", Fault.http(500))
    server.enqueue("fake-gpt", Reply(ANSWER))
    sleep = RecordingSleep()
    gateway = LiteLLMGateway(RetryPolicy(base_delay_s=1.0), sleep=sleep, rng=random.Random(1))

    turn = await take_turn(gateway, seat_on(server))

    delay = turn.retries[0].delay_s
    assert delay == float(f"{delay:.2g}")  # "retrying in 1.1 s", not "in 1.05448 s"
    assert sleep.delays == [delay]


# ------------------------------------------------------------------ 401 / 403
@pytest.mark.parametrize("status", [401, 403])
async def test_a_refused_key_is_not_retried_and_says_what_to_check(
    server, gateway, monkeypatch, status
):
    monkeypatch.setenv("RT_TEST_KEY", PLANTED_KEY)
    server.enqueue("fake-gpt", Fault.http(status))

    with pytest.raises(AuthFailed) as caught:
        await take_turn(gateway, seat_on(server, api_key_env="RT_TEST_KEY"))

    assert len(server.requests) == 1
    message = str(caught.value)
    assert message.startswith(f"Seat 'GPT' (openai): key refused by the server at {server.url}")
    assert "check the variable RT_TEST_KEY" in message
    assert PLANTED_KEY not in message


# ------------------------------------------------------------------ timeouts
async def test_a_turn_timeout_is_retried_once_then_the_seat_fails(server, sleep):
    gateway = LiteLLMGateway(RetryPolicy(max_attempts=5, base_delay_s=0.0), sleep=sleep)
    gateway = gateway.with_turn_timeout(0.3)

    with pytest.raises(ProviderTimeout) as caught:
        async with asyncio.timeout(NEVER_S):  # the server itself would hang for ever
            await take_turn(gateway, seat_on(server, "hang"))

    assert len(server.requests) == 2  # one retry, although five attempts were allowed
    assert "no answer from the server at" in str(caught.value)
    assert "within 0.3 s" in str(caught.value)


async def test_the_turn_timeout_also_bounds_a_stalled_stream(server, sleep):
    for _ in range(2):
        server.enqueue("fake-gpt", Reply("one two three four", token_s=3.0))
    gateway = LiteLLMGateway(RetryPolicy(base_delay_s=0.0), sleep=sleep).with_turn_timeout(0.3)
    with pytest.raises(ProviderTimeout) as caught:
        await take_turn(gateway, seat_on(server))

    # Only the turn limit can end it so: each reply would have come whole in 12 s.
    assert len(server.requests) == 2
    assert "stopped sending for 0.3 s mid-reply" in str(caught.value)


def test_a_turn_timeout_replaces_both_limits_and_must_be_positive():
    timeouts = Timeouts(first_token_s=60, stall_s=60, connect_s=10).for_turn(5)
    assert (timeouts.first_token_s, timeouts.stall_s, timeouts.connect_s) == (5.0, 5.0, 5.0)
    assert Timeouts().for_turn(None) == Timeouts()
    for bad in (0, -3, float("nan"), float("inf")):
        with pytest.raises(ConfigError, match="positive number of seconds"):
            Timeouts().for_turn(bad)


# ------------------------------------------------------------------ cut streams
async def test_a_stream_cut_again_on_retry_keeps_the_partial_text_marked_incomplete(
    server, gateway
):
    server.enqueue("fake-gpt", Fault.cut(after_chunks=2))
    server.enqueue("fake-gpt", Fault.cut(after_chunks=4, abrupt=False))

    turn = await take_turn(
        LiteLLMGateway(RetryPolicy(max_attempts=2, base_delay_s=0.0), sleep=RecordingSleep()),
        seat_on(server),
    )

    assert len(server.requests) == 2
    assert isinstance(turn.retries[0].error, StreamCut)
    assert turn.text_after_last_retry() == "Let me work through "  # what arrived
    complete = turn.chunks[-1]
    assert isinstance(complete, TurnComplete)
    assert complete.incomplete
    assert complete.finish_reason is None
    assert complete.usage.completion_tokens > 0  # what it cost is still counted


# ------------------------------------------------------------------ malformed replies
async def test_a_web_page_instead_of_a_stream_is_a_clear_error_not_retried(server, gateway):
    with pytest.raises(BadResponse) as caught:
        await take_turn(gateway, seat_on(server, "html-page"))

    assert len(server.requests) == 1
    message = str(caught.value)
    assert "answered with text/html instead of a streamed model reply" in message
    assert "/v1" in message  # the usual fix: the address of the API, not of a web page


async def test_a_json_body_instead_of_a_stream_is_a_clear_error(server, gateway):
    server.enqueue("fake-gpt", Fault.raw(b'{"status": "ok"}', content_type="application/json"))

    with pytest.raises(BadResponse, match="answered with application/json instead"):
        await take_turn(gateway, seat_on(server))


async def test_an_error_page_is_quoted_as_words_not_markup(server, gateway):
    page = b"<html><head><style>h1{}</style></head><body><h1>502 Bad Gateway</h1>nginx</body>"
    for _ in range(3):
        server.enqueue("fake-gpt", Fault.raw(page, status=502))

    with pytest.raises(ProviderUnavailable) as caught:
        await take_turn(gateway, seat_on(server))

    message = str(caught.value)
    assert 'it said: "502 Bad Gateway nginx"' in message
    assert "<" not in message


async def test_a_model_repeating_one_chunk_gets_its_own_message(server, gateway):
    server.enqueue("fake-gpt", Reply("again " * 150))

    with pytest.raises(BadResponse) as caught:
        await take_turn(gateway, seat_on(server))

    message = str(caught.value)
    assert 'stuck repeating the same words ("again")' in message
    assert "cut off" not in message
    assert "temperature" in message  # what to try
    assert len(server.requests) == 1  # a loop is not worth paying for twice


# ------------------------------------------------------------------ whole debates
async def debate(
    seats: tuple[Seat, ...], **spec: object
) -> tuple[RecordingSink, Event, RecordingSleep]:
    sleep = RecordingSleep()
    gateway = LiteLLMGateway(
        RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.05),
        Timeouts(first_token_s=5.0, stall_s=5.0, connect_s=2.0),
        sleep=sleep,
    )
    the_spec = DebateSpec(question="What is 6 × 7?", seats=seats, max_rounds=2, **spec)  # type: ignore[arg-type]
    events = RecordingSink()
    terminal = await run_debate(
        the_spec, gateway.with_turn_timeout(the_spec.turn_timeout_s), events
    )
    return events, terminal, sleep


def table(server: FakeOpenAIServer, faulty: str, **fields: object) -> tuple[Seat, ...]:
    return (
        seat_on(server, "fake-gpt", id="a", name="Ada"),
        seat_on(server, "fake-claude", id="b", name="Bo"),
        seat_on(server, faulty, id="c", name="Cy", **fields),
    )


async def test_a_rate_limited_seat_says_when_it_retries_and_then_answers(server):
    server.enqueue("fake-llama", Fault.http(429, retry_after=2))

    events, terminal, sleep = await debate(table(server, "fake-llama"))

    retry = events.of(TurnRetrying, seat_id="c")[0]
    assert (retry.error_kind, retry.delay_s, retry.attempt) == ("rate_limit", 2.0, 1)
    assert retry.message.startswith("Seat 'Cy' (openai): rate limited by the server at")
    assert "(asked to wait 2 s)" in retry.message
    assert sleep.delays == [2.0]
    assert isinstance(terminal, DebateFinished)
    assert len(events.of(TurnFinished, seat_id="c")) >= 1


@pytest.mark.parametrize(
    ("model", "kind", "words"),
    [
        ("fail-401", "auth", "key refused by the server at"),
        ("fail-403", "auth", "key refused by the server at"),
        ("fail-500", "unavailable", "had a server error (500)"),
        ("fail-503", "unavailable", "had a server error (503)"),
        ("html-page", "bad_response", "instead of a streamed model reply"),
    ],
)
async def test_a_failing_seat_leaves_with_a_clear_message_and_the_others_go_on(
    server, model, kind, words
):
    events, terminal, _ = await debate(table(server, model))

    failed = events.of(TurnFailed, seat_id="c")
    assert len(failed) == 1
    assert failed[0].error_kind == kind
    assert failed[0].message.startswith("Seat 'Cy' (openai): ")
    assert words in failed[0].message
    assert isinstance(terminal, DebateFinished)
    assert terminal.final_answer == "42"  # Ada and Bo finished the debate without Cy
    for seat_id in ("a", "b"):
        assert len(events.of(TurnFinished, seat_id=seat_id)) == terminal.rounds


async def test_an_unreachable_server_mid_debate_is_retried_then_the_seat_fails(server):
    seats = table(server, "fake-llama", api_base=dead_url())

    events, terminal, _ = await debate(seats)

    assert [r.attempt for r in events.of(TurnRetrying, seat_id="c")] == [1, 2]
    failed = events.of(TurnFailed, seat_id="c")[0]
    assert failed.error_kind == "unavailable"
    assert "could not reach http://127.0.0.1:" in failed.message
    assert "is the server running?" in failed.message
    assert isinstance(terminal, DebateFinished)


async def test_the_debates_turn_timeout_reaches_the_gateway(server):
    async with asyncio.timeout(NEVER_S):  # the hanging server would hold the debate for ever
        events, terminal, _ = await debate(table(server, "hang"), turn_timeout_s=0.3)

    assert len(events.of(TurnRetrying, seat_id="c")) == 1  # retried once
    failed = events.of(TurnFailed, seat_id="c")[0]
    assert failed.error_kind == "timeout"
    assert "within 0.3 s" in failed.message
    assert isinstance(terminal, DebateFinished)


async def test_a_stream_cut_twice_finishes_the_turn_as_incomplete_with_its_text(server):
    server.enqueue("fake-llama", Fault.cut(after_chunks=3))
    server.enqueue("fake-llama", Fault.cut(after_chunks=3))
    server.enqueue("fake-llama", Fault.cut(after_chunks=5))

    events, terminal, _ = await debate(table(server, "fake-llama"))

    first = events.of(TurnFinished, seat_id="c", round=0)[0]
    assert first.incomplete
    assert first.text == "Let me work through this "
    assert first.answer is None
    assert not events.of(TurnFailed)
    assert isinstance(terminal, DebateFinished)


async def test_two_seats_failing_for_good_end_the_debate_saying_who_and_why(server):
    seats = (
        seat_on(server, "fake-gpt", id="a", name="Ada"),
        seat_on(server, "fail-401", id="b", name="Bo"),
        seat_on(server, "html-page", id="c", name="Cy"),
    )

    events, terminal, _ = await debate(seats)

    assert getattr(terminal, "error_kind", None) == "not_enough_seats"
    assert "Bo in round 1 (auth)" in terminal.message  # type: ignore[union-attr]
    assert "Cy in round 1 (bad_response)" in terminal.message  # type: ignore[union-attr]
    assert len(events.of(TurnFinished, seat_id="a")) == 1  # Ada's answer is kept


async def test_a_retry_sends_the_same_conversation_again(server, gateway):
    server.enqueue("fake-gpt", Fault.http(500))
    question = "Ünïcode ✓ 問題 — שאלה?"

    await take_turn(gateway, seat_on(server), question)

    assert [body["messages"] for body in server.requests] == [
        [{"role": "user", "content": question}]
    ] * 2
