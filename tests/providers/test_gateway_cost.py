"""A turn's cost through the real litellm path: the provider's figure, the user's, the list's."""

from __future__ import annotations

import pytest

from tests.fakes.openai_server import Reply
from tests.providers.conftest import seat_on, take_turn

PROXY_COST = {"x-litellm-response-cost": "0.0456"}


async def test_the_cost_openrouter_reports_in_usage_is_the_turns_cost(server, gateway):
    # 1000 + 500 tokens of a model nobody lists: only the provider knows the price.
    server.enqueue(
        "fake-gpt",
        Reply("Final answer: 42", prompt_tokens=1000, completion_tokens=500, usage_cost=0.0123),
    )

    turn = await take_turn(gateway, seat_on(server))

    assert turn.complete.usage.cost_usd == pytest.approx(0.0123)


async def test_a_litellm_proxys_cost_header_is_the_turns_cost(server, gateway):
    # No usage chunk at all (some servers send none): the header still prices the call.
    server.enqueue("fake-gpt", Reply("Final answer: 42", send_usage=False, headers=PROXY_COST))

    turn = await take_turn(gateway, seat_on(server))

    assert turn.complete.usage.cost_usd == pytest.approx(0.0456)
    assert turn.complete.usage.completion_tokens > 0  # counted, as before


async def test_the_reported_cost_wins_over_the_price_list(server, gateway):
    # gpt-4o is listed at $2.50 / $10 per M: 1000 + 500 tokens would be $0.0075.
    server.enqueue(
        "gpt-4o",
        Reply("Final answer: 42", prompt_tokens=1000, completion_tokens=500, usage_cost=0.002),
    )

    turn = await take_turn(gateway, seat_on(server, "gpt-4o"))

    assert turn.complete.usage.cost_usd == pytest.approx(0.002)


async def test_a_provider_that_says_free_is_free_not_unknown(server, gateway):
    server.enqueue("fake-gpt", Reply("Final answer: 42", usage_cost=0.0))

    turn = await take_turn(gateway, seat_on(server))

    assert turn.complete.usage.cost_usd == 0.0


async def test_the_users_own_price_wins_over_what_the_provider_reports(server, gateway):
    server.enqueue(
        "fake-gpt",
        Reply(
            "Final answer: 42",
            prompt_tokens=2_000,
            completion_tokens=1_000,
            usage_cost=0.5,
            headers=PROXY_COST,
        ),
    )
    seat = seat_on(server, price_in_per_mtok=1.0, price_out_per_mtok=4.0)

    turn = await take_turn(gateway, seat)

    assert turn.complete.usage.cost_usd == pytest.approx((2_000 * 1.0 + 1_000 * 4.0) / 1e6)


async def test_the_users_price_makes_an_unlisted_model_known(server, gateway):
    server.enqueue("fake-gpt", Reply("Final answer: 42", prompt_tokens=10, completion_tokens=10))
    seat = seat_on(server, price_in_per_mtok=0.0, price_out_per_mtok=0.0)

    turn = await take_turn(gateway, seat)

    assert turn.complete.usage.cost_usd == 0.0  # the user said free: free, not unknown
