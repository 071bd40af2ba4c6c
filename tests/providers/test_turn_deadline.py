"""A turn's overall deadline: a server that drips a word at a time, each gap well
under the stall limit, cannot hold a debate for ever; the text it sent is kept,
marked incomplete with the reason."""

from __future__ import annotations

import time

import pytest

from roundtable.domain import ConfigError, DebateSpec, ProviderTimeout
from roundtable.domain.endings import DEADLINE
from roundtable.providers import LiteLLMGateway, RetryPolicy, Timeouts, load_litellm
from tests.fakes.openai_server import Reply
from tests.providers.conftest import seat_on, take_turn

DRIP = "one two three four five six seven eight nine ten Final answer: 7"


async def test_a_dripping_server_is_stopped_at_the_deadline_and_its_text_kept(server, sleep):
    server.enqueue("fake-gpt", Reply(DRIP, token_s=0.4))  # the whole reply: about 5 s
    gateway = LiteLLMGateway(
        RetryPolicy(base_delay_s=0.0), Timeouts(stall_s=3.0, turn_deadline_s=1.5), sleep=sleep
    )
    load_litellm()  # its import (seconds) is not the turn's
    started = time.monotonic()
    turn = await take_turn(gateway, seat_on(server))

    assert time.monotonic() - started < 3.0  # each gap (0.4 s) is far under the stall limit
    assert turn.complete.incomplete
    assert turn.complete.ending == DEADLINE
    assert turn.text.startswith("one two")
    assert "Final answer" not in turn.text
    assert not turn.retries  # no time left to try again
    assert len(server.requests) == 1


async def test_a_server_silent_past_the_deadline_fails_the_turn_saying_so(server, sleep):
    server.enqueue("fake-gpt", Reply(DRIP, ttft_s=5.0))
    gateway = LiteLLMGateway(
        RetryPolicy(base_delay_s=0.0),
        Timeouts(first_token_s=30.0, turn_deadline_s=1.0),
        sleep=sleep,
    )
    with pytest.raises(ProviderTimeout, match=r"turn's deadline of 1 s.*--turn-deadline"):
        await take_turn(gateway, seat_on(server))
    assert len(server.requests) == 1


def test_the_deadline_comes_from_the_debate_and_must_be_positive():
    spec = DebateSpec(question="q", seats=(), turn_timeout_s=20, turn_deadline_s=90)
    timeouts = LiteLLMGateway().with_turn_limits(spec).timeouts
    assert (timeouts.stall_s, timeouts.turn_deadline_s) == (20.0, 90.0)
    assert Timeouts().turn_deadline_s == 600.0  # generous: local models are slow but honest
    assert Timeouts().for_turn(5).turn_deadline_s == 600.0  # the silence limit leaves it
    for bad in (0, -3, float("nan"), float("inf")):
        with pytest.raises(ConfigError, match="turn deadline must be a positive number"):
            Timeouts().with_deadline(bad)
