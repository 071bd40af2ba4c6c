"""The same faults on every provider route: OpenAI's, Anthropic's and Gemini's wire formats.

Each test runs the real litellm path against the fake server speaking the route's
own format (tests/fakes/dialects.py), so a fault handled on one route and missed on
another shows up here.
"""

from __future__ import annotations

import pytest

from roundtable.domain import AuthFailed, BadResponse, ProviderUnavailable, RateLimited, StreamCut
from roundtable.providers import LiteLLMGateway, RetryPolicy
from tests.fakes.openai_server import Fault, Reply
from tests.providers.conftest import ROUTES, RecordingSleep, seat_on_route, take_turn

pytestmark = pytest.mark.usefixtures("route_key")

ANSWER = "Six times seven is forty-two.\nFinal answer: 42\nConfidence: 0.9"


@pytest.mark.parametrize("route", ROUTES)
async def test_each_route_streams_a_whole_reply_with_its_usage(server, gateway, route):
    server.enqueue("m1", Reply(ANSWER, completion_tokens=11))

    turn = await take_turn(gateway, seat_on_route(server, route))

    assert turn.text == ANSWER
    assert turn.complete.finish_reason == "stop"
    assert not turn.complete.incomplete
    assert turn.complete.usage.completion_tokens == 11


@pytest.mark.parametrize("route", ROUTES)
async def test_a_dropped_connection_is_retried_on_every_route(server, gateway, route):
    server.enqueue("m1", Fault.cut(2))
    server.enqueue("m1", Reply(ANSWER))

    turn = await take_turn(gateway, seat_on_route(server, route))

    assert [type(r.error) for r in turn.retries] == [StreamCut]
    assert turn.text_after_last_retry() == ANSWER
    assert len(server.requests) == 2


# ------------------------------------------------------------------ item 1: unfinished replies
@pytest.mark.parametrize("route", ROUTES)
async def test_a_stream_that_ends_cleanly_without_finishing_is_retried_on_every_route(
    server, gateway, route
):
    # The body ends well-formed, but the provider never said the reply was over
    # (no finish_reason / stop_reason / finishReason): "Six times " is not an answer.
    for _ in range(3):
        server.enqueue("m1", Fault.cut(2, abrupt=False))

    turn = await take_turn(gateway, seat_on_route(server, route))

    assert [type(r.error) for r in turn.retries] == [StreamCut, StreamCut]
    assert turn.complete.incomplete
    assert turn.complete.finish_reason is None
    assert turn.text_after_last_retry() == "Let me "


@pytest.mark.parametrize("route", ROUTES)
async def test_a_reply_that_says_it_hit_the_length_limit_is_not_taken_as_stopped(
    server, gateway, route
):
    server.enqueue("m1", Reply("Six times seven is", finish_reason="length"))

    turn = await take_turn(gateway, seat_on_route(server, route))

    assert turn.complete.finish_reason == "length"


# ------------------------------------------------------------------ item 2: errors per route
def assert_plain_words(message: str) -> None:
    """The provider's words as words: no Python bytes text, no JSON, no litellm advice."""
    assert "b'" not in message
    assert 'b"' not in message
    assert "{" not in message
    assert "Handle with" not in message
    assert "litellm" not in message.lower()


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("status", [503, 529])
async def test_an_overloaded_server_is_named_by_its_status_and_its_wait_is_honoured(
    server, route, status
):
    for _ in range(3):
        server.enqueue("m1", Fault.http(status, message="Overloaded", retry_after=1))
    sleep = RecordingSleep()
    gateway = LiteLLMGateway(RetryPolicy(max_attempts=3, base_delay_s=5.0), sleep=sleep)

    with pytest.raises(ProviderUnavailable) as caught:
        await take_turn(gateway, seat_on_route(server, route))

    message = str(caught.value)
    assert f"had a server error ({status})" in message
    assert 'it said: "Overloaded"' in message
    assert "asked to wait 1 s" in message
    assert_plain_words(message)
    assert sleep.delays == [1.0, 1.0]  # as asked, not the 5 s backoff, nor 0.89 s
    assert len(server.requests) == 3


@pytest.mark.parametrize("route", ROUTES)
async def test_a_refused_key_says_so_in_the_providers_words_on_every_route(server, gateway, route):
    server.enqueue("m1", Fault.http(401, message="Invalid API key."))

    with pytest.raises(AuthFailed) as caught:
        await take_turn(gateway, seat_on_route(server, route))

    message = str(caught.value)
    assert "key refused by the server at" in message
    assert 'it said: "Invalid API key"' in message
    assert_plain_words(message)
    assert len(server.requests) == 1


@pytest.mark.parametrize("route", ROUTES)
async def test_a_rate_limit_is_waited_out_as_asked_on_every_route(server, sleep, gateway, route):
    server.enqueue("m1", Fault.http(429, message="Slow down.", retry_after=2))
    server.enqueue("m1", Reply(ANSWER))

    turn = await take_turn(gateway, seat_on_route(server, route))

    assert sleep.delays == [2.0]
    error = turn.retries[0].error
    assert isinstance(error, RateLimited)
    assert 'it said: "Slow down"' in str(error)
    assert_plain_words(str(error))
    assert turn.text_after_last_retry() == ANSWER


# ------------------------------------------------------------------ item 3: bad chunks
@pytest.mark.parametrize("route", ROUTES)
async def test_a_malformed_chunk_is_retried_on_every_route(server, gateway, route):
    server.enqueue("m1", Fault.malformed(after_chunks=1))
    server.enqueue("m1", Reply(ANSWER))

    turn = await take_turn(gateway, seat_on_route(server, route))

    assert len(turn.retries) == 1
    assert turn.text_after_last_retry() == ANSWER
    assert not turn.complete.incomplete


@pytest.mark.parametrize("route", ROUTES)
async def test_bytes_that_are_not_utf8_are_replaced_visibly_and_the_reply_goes_on(
    server, gateway, route
):
    server.enqueue("m1", Fault.bad_bytes(b"caf\xe9 ", after_chunks=1))

    turn = await take_turn(gateway, seat_on_route(server, route))

    assert not turn.retries
    assert turn.text.startswith("Let caf\ufffd me work through")  # U+FFFD marks the bad byte
    assert turn.text.endswith("Confidence: 0.8")
    assert turn.complete.finish_reason == "stop"


@pytest.mark.parametrize("route", ROUTES)
async def test_a_web_page_instead_of_a_stream_is_named_on_every_route(server, gateway, route):
    server.enqueue("m1", Fault.raw(b"<html><body><h1>Welcome to Hotel Wi-Fi</h1></body></html>"))

    with pytest.raises(BadResponse) as caught:
        await take_turn(gateway, seat_on_route(server, route))

    message = str(caught.value)
    assert "answered with text/html instead of a streamed model reply" in message
    assert ("OpenAI-compatible" in message) == (route == "openai")  # each route's own advice
    assert len(server.requests) == 1  # a login page will not turn into a model by asking again


@pytest.mark.parametrize("route", ROUTES)
async def test_an_error_sent_inside_the_stream_is_retried_in_the_providers_words(
    server, gateway, route
):
    # Anthropic sends `event: error` (overloaded_error) mid-reply; Gemini and OpenAI an
    # {"error": ...} chunk. Not a dropped connection: the server said why it stopped.
    server.enqueue("m1", Fault.stream_error(503, "The model is overloaded"))
    server.enqueue("m1", Reply(ANSWER))

    turn = await take_turn(gateway, seat_on_route(server, route))

    error = turn.retries[0].error
    assert isinstance(error, StreamCut)
    assert "stopped mid-way with an error" in str(error)
    assert 'it said: "The model is overloaded"' in str(error)
    assert_plain_words(str(error))
    assert turn.text_after_last_retry() == ANSWER


# ------------------------------------------------------------------ a whole debate per route
@pytest.mark.parametrize("route", ROUTES)
async def test_a_debate_on_one_route_rides_out_its_faults_like_openais(server, route):
    from roundtable.domain import DebateFinished, DebateSpec, TurnFailed, TurnFinished
    from roundtable.engine import run_debate
    from tests.helpers.sinks import RecordingSink

    server.enqueue("bo", Fault.http(529, message="Overloaded", retry_after=1))
    server.enqueue("cy", Fault.cut(2, abrupt=False))
    server.enqueue("cy", Fault.cut(2))
    server.enqueue("di", Fault.http(401, message="Invalid API key."))
    seats = tuple(
        seat_on_route(server, route, model, id=model, name=model.title())
        for model in ("ada", "bo", "cy", "di")
    )
    sleep = RecordingSleep()
    gateway = LiteLLMGateway(RetryPolicy(base_delay_s=0.01), sleep=sleep)
    events = RecordingSink()

    terminal = await run_debate(
        DebateSpec(question="What is 6 × 7?", seats=seats, max_rounds=1), gateway, events
    )

    assert isinstance(terminal, DebateFinished)
    assert terminal.final_answer == "42"
    assert 1.0 in sleep.delays  # Bo's overloaded server asked for a second, and got it
    cy = events.of(TurnFinished, seat_id="cy")[0]
    assert not cy.incomplete  # cut twice, then whole on the third attempt
    assert cy.text.endswith("Confidence: 0.8")
    failed = events.of(TurnFailed, seat_id="di")
    assert [f.error_kind for f in failed] == ["auth"]
    assert f"Seat 'Di' ({route}): key refused" in failed[0].message
    assert_plain_words(failed[0].message)
