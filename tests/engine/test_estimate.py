"""The pre-run estimate: a token and cost range that the real debate falls in."""

from __future__ import annotations

import dataclasses

import pytest

from roundtable.domain import ChatMessage, DebateSpec, Seat
from roundtable.domain.pricing import Price
from roundtable.engine import run_debate
from roundtable.engine.estimate import (
    REPLY_TOKENS_HIGH,
    REPLY_TOKENS_LOW,
    count_tokens,
    estimate_debate,
)
from roundtable.engine.protocols import planned_rounds
from tests.engine.metered import MeteredGateway, agreeing, disagreeing, flat_price
from tests.helpers.sinks import RecordingSink

SEATS = (
    Seat("ada", "Ada", "openai/ada"),
    Seat("bob", "Bob", "openai/bob"),
    Seat("cy", "Cy", "openai/cy"),
)
PROTOCOLS = ("roundtable", "debate", "council", "mixture", "moderated", "vote")
PRICE = flat_price()


def make_spec(protocol: str = "roundtable", **changes: object) -> DebateSpec:
    fields: dict[str, object] = {
        "question": "What is 12+17*23+4-9*14?",
        "seats": SEATS,
        "protocol": protocol,
        "max_rounds": 3,
    }
    fields.update(changes)
    return DebateSpec(**fields)  # type: ignore[arg-type]


async def play(spec: DebateSpec, gateway: MeteredGateway) -> RecordingSink:
    sink = RecordingSink()
    await run_debate(spec, gateway, sink, coalesce_s=0)
    return sink


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize(
    ("write", "longest"),
    [
        (disagreeing(REPLY_TOKENS_HIGH), True),
        (disagreeing(REPLY_TOKENS_LOW), False),
        (agreeing(REPLY_TOKENS_LOW), False),
        (agreeing(REPLY_TOKENS_HIGH), False),
    ],
)
async def test_the_estimate_bounds_what_the_debate_really_costs(protocol, write, longest):
    spec = make_spec(protocol)
    estimate = estimate_debate(spec, PRICE)
    gateway = MeteredGateway(write, PRICE)

    await play(spec, gateway)

    low, high = estimate.low_cost_usd, estimate.high_cost_usd
    assert low is not None
    assert high is not None
    # At the low end prompts can differ by a few characters (the answers the seats
    # quote are other strings than the stand-ins'): within 1 %.
    assert 0.99 * low <= gateway.spent_usd <= high
    assert 0.99 * estimate.low_tokens <= gateway.tokens <= estimate.high_tokens
    if longest:
        # Every round, every seat, the longest replies: near the top of the range (the
        # rest is the judge calls the high end counts in case the answers were free-form).
        assert gateway.spent_usd >= 0.65 * high


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_low_end_stops_early_and_the_high_end_plays_every_round(protocol):
    estimate = estimate_debate(make_spec(protocol), PRICE)

    fewest, most = estimate.rounds
    assert most == planned_rounds(make_spec(protocol))
    assert 1 <= fewest <= most
    assert estimate.low_tokens < estimate.high_tokens


def test_prompts_grow_with_the_others_replies_round_after_round():
    high = estimate_debate(make_spec(max_rounds=3), PRICE).high

    seat_prompts = [
        [call.prompt_tokens for call in r.calls if not call.judge and call.seat_id == "ada"]
        for r in high
    ]
    assert seat_prompts[0][0] < seat_prompts[1][0]
    # Two others' replies of ~700 tokens, quoted (cut to 1500 characters each).
    assert seat_prompts[1][0] - seat_prompts[0][0] > 2 * 300


def test_a_seats_max_tokens_caps_its_replies_at_the_high_end():
    capped = dataclasses.replace(SEATS[0], max_tokens=50)
    spec = make_spec(seats=(capped, *SEATS[1:]))

    high = estimate_debate(spec, PRICE).high

    ada = [c for r in high for c in r.calls if c.seat_id == "ada" and not c.judge]
    assert {call.completion_tokens for call in ada} == {50}
    bob = [c for r in high for c in r.calls if c.seat_id == "bob" and not c.judge]
    assert {call.completion_tokens for call in bob} == {REPLY_TOKENS_HIGH}


def test_an_unknown_price_makes_the_cost_unknown_but_the_tokens_are_still_estimated():
    def price(seat: Seat) -> Price | None:
        return None if seat.id == "bob" else Price(1, 1)

    estimate = estimate_debate(make_spec(), price)

    assert estimate.low_cost_usd is None
    assert estimate.high_cost_usd is None
    assert estimate.unpriced == ("Bob",)
    assert estimate.high_tokens > 0
    assert "cost unknown (no price for Bob)" in estimate.describe()


def test_a_free_table_is_free_not_zero_dollars():
    estimate = estimate_debate(make_spec(), lambda seat: Price(0, 0))

    assert estimate.high_cost_usd == 0
    assert " · free · " in estimate.describe()


async def test_a_table_that_agrees_at_once_costs_exactly_the_low_end():
    spec = make_spec()
    estimate = estimate_debate(spec, PRICE)
    gateway = MeteredGateway(agreeing(REPLY_TOKENS_LOW), PRICE)

    await play(spec, gateway)

    assert gateway.spent_usd == pytest.approx(estimate.low_cost_usd)
    assert len(gateway.calls) == estimate.calls[0]


def test_the_one_line_reads_tokens_cost_and_rounds():
    estimate = estimate_debate(make_spec(), PRICE)

    line = estimate.describe()

    assert line.startswith(f"{estimate.low_tokens:,}–{estimate.high_tokens:,} tokens · $")
    assert line.endswith(" · 1–3 rounds")


def test_a_persons_seat_costs_no_call():
    person = Seat("me", "You", "human")
    spec = make_spec(seats=(*SEATS[:2], person))

    estimate = estimate_debate(spec, PRICE)

    assert all(call.seat_id != "me" for r in estimate.high for call in r.calls)


async def test_a_resume_estimates_only_the_rounds_still_to_play():
    spec = make_spec(max_rounds=3)
    gateway = MeteredGateway(disagreeing(REPLY_TOKENS_LOW), PRICE)

    sink = await play(spec, gateway)
    played = [e for e in sink.events if getattr(e, "round", 99) < 1]

    rest = estimate_debate(spec, PRICE, played=played)

    assert [r.round for r in rest.high] == [1, 2]


def test_counting_tokens_is_about_four_characters_each_plus_the_message_framing():
    assert count_tokens([ChatMessage("user", "x" * 400)]) == 104
