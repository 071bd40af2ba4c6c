"""The same faults on every provider route: OpenAI's, Anthropic's and Gemini's wire formats.

Each test runs the real litellm path against the fake server speaking the route's
own format (tests/fakes/dialects.py), so a fault handled on one route and missed on
another shows up here.
"""

from __future__ import annotations

import pytest

from roundtable.domain import StreamCut
from tests.fakes.openai_server import Fault, Reply
from tests.providers.conftest import ROUTES, seat_on_route, take_turn

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
