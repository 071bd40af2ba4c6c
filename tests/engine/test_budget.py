"""A budget cap: the engine stops before the round that would cross it, and a resume
with a higher budget plays on."""

from __future__ import annotations

import dataclasses

import pytest

from roundtable.domain import (
    ConfigError,
    DebateCancelled,
    DebateFinished,
    DebateSpec,
    DebateStatus,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
)
from roundtable.domain.continuable import is_budget_stop, needs_higher_budget
from roundtable.domain.pricing import Price
from roundtable.engine import run_debate
from roundtable.engine.budget import budget_stop, unpriced_problem
from roundtable.engine.continuation_service import StoredDebate, plan_resume
from roundtable.engine.estimate import REPLY_TOKENS_HIGH, estimate_debate
from tests.engine.metered import MeteredGateway, disagreeing, flat_price
from tests.helpers.sinks import RecordingSink

SEATS = (
    Seat("ada", "Ada", "openai/ada"),
    Seat("bob", "Bob", "openai/bob"),
    Seat("cy", "Cy", "openai/cy"),
)
PRICE = flat_price()


def make_spec(**changes: object) -> DebateSpec:
    fields: dict[str, object] = {"question": "What is 7 * 6?", "seats": SEATS, "max_rounds": 3}
    fields.update(changes)
    return DebateSpec(**fields)  # type: ignore[arg-type]


async def play(spec: DebateSpec, gateway: MeteredGateway, **kwargs: object) -> RecordingSink:
    sink = RecordingSink()
    terminal = await run_debate(spec, gateway, sink, coalesce_s=0, price=PRICE, **kwargs)  # type: ignore[arg-type]
    assert terminal is sink.events[-1]
    return sink


# ------------------------------------------------------------------ the rule
def test_no_budget_never_stops():
    assert budget_stop(None, spent_usd=None, next_usd=None) is None


def test_what_fits_goes_on_and_what_would_cross_stops():
    assert budget_stop(1.0, spent_usd=0.4, next_usd=0.6) is None
    stop = budget_stop(1.0, spent_usd=0.5, next_usd=0.6, what="round 3")
    assert stop is not None
    assert stop.reason == (
        "budget $1.00 would be crossed: $0.50 spent and round 3 may cost up to $0.60; "
        "resume with a higher budget to go on"
    )
    assert is_budget_stop(stop.reason)


def test_an_unknown_amount_stops_since_the_budget_cannot_be_kept():
    unknown_spent = budget_stop(1.0, spent_usd=None, next_usd=0.1, what="question 4")
    assert unknown_spent is not None
    assert "the cost so far is unknown, so question 4 was not started" in unknown_spent.reason
    unknown_next = budget_stop(1.0, spent_usd=0.1, next_usd=None)
    assert unknown_next is not None
    assert "has no price estimate" in unknown_next.reason


def test_a_budget_with_an_unpriced_seat_names_the_seat_and_the_fix():
    spec = make_spec(budget_usd=2.0)

    problem = unpriced_problem(spec, lambda seat: None if seat.id == "bob" else Price(1, 1))

    assert problem is not None
    assert "A budget of $2.00 cannot be kept" in problem
    assert "'Bob' (openai/bob)" in problem
    assert "price_in and price_out" in problem
    assert unpriced_problem(dataclasses.replace(spec, budget_usd=None), lambda s: None) is None


# ------------------------------------------------------------------ in the runner
async def test_the_debate_stops_before_the_round_that_would_cross_its_budget():
    estimate = estimate_debate(make_spec(), PRICE)
    first_round = estimate.high[0].cost_usd
    assert first_round is not None
    # Enough for round 1 at its most, not for round 1 and round 2 at theirs.
    spec = make_spec(budget_usd=first_round * 1.2)
    gateway = MeteredGateway(disagreeing(REPLY_TOKENS_HIGH), PRICE)

    sink = await play(spec, gateway, debate_id="d1")

    assert len(gateway.calls) == len(SEATS)  # round 1's turns, and not one call more
    assert gateway.spent_usd <= spec.budget_usd
    end = sink.events[-1]
    assert isinstance(end, DebateCancelled)
    assert end.reason.startswith(f"budget ${spec.budget_usd:.2f} would be crossed:")
    assert "round 2 may cost up to" in end.reason
    # Everything before the stop is kept: round 1 whole, nothing of round 2.
    assert [e.round for e in sink.of(RoundFinished)] == [0]
    assert [e.round for e in sink.of(RoundStarted)] == [0]
    assert len(sink.of(TurnFinished)) == len(SEATS)


async def test_a_budget_too_small_for_the_first_round_calls_no_model():
    gateway = MeteredGateway(disagreeing(REPLY_TOKENS_HIGH), PRICE)

    sink = await play(make_spec(budget_usd=0.0001), gateway)

    assert gateway.calls == []
    assert isinstance(sink.events[-1], DebateCancelled)
    assert "round 1 may cost up to" in sink.events[-1].reason


async def test_a_budget_that_fits_the_whole_debate_changes_nothing():
    estimate = estimate_debate(make_spec(), PRICE)
    assert estimate.high_cost_usd is not None
    gateway = MeteredGateway(disagreeing(REPLY_TOKENS_HIGH), PRICE)

    sink = await play(make_spec(budget_usd=estimate.high_cost_usd), gateway)

    assert isinstance(sink.events[-1], DebateFinished)
    assert sink.events[-1].rounds == 3


async def test_a_budget_that_cannot_be_kept_is_refused_before_anything_happens():
    gateway = MeteredGateway(disagreeing(REPLY_TOKENS_HIGH), PRICE)
    sink = RecordingSink()

    with pytest.raises(ConfigError, match="cannot be kept: nobody knows the price of 'Bob'"):
        await run_debate(
            make_spec(budget_usd=5.0),
            gateway,
            sink,
            price=lambda seat: None if seat.id == "bob" else Price(1, 1),
        )

    assert sink.events == []
    assert gateway.calls == []


# ------------------------------------------------------------------ resuming
async def stopped_at_budget() -> tuple[StoredDebate, MeteredGateway]:
    first_round = estimate_debate(make_spec(), PRICE).high[0].cost_usd
    assert first_round is not None
    spec = make_spec(budget_usd=round(first_round * 1.2, 4))
    gateway = MeteredGateway(disagreeing(REPLY_TOKENS_HIGH), PRICE)
    sink = await play(spec, gateway, debate_id="d1")
    debate = StoredDebate("d1", DebateStatus.CANCELLED, spec, tuple(sink.events))
    return debate, gateway


async def test_resuming_with_a_higher_budget_plays_the_rest_and_finishes():
    debate, first = await stopped_at_budget()
    plan = plan_resume(debate, budget_usd=10.0)
    assert plan.spec.budget_usd == 10.0
    assert plan.first_round == 1
    gateway = MeteredGateway(disagreeing(REPLY_TOKENS_HIGH), PRICE)

    sink = await play(plan.spec, gateway, debate_id=plan.debate_id, continuation=plan.continuation)

    end = sink.events[-1]
    assert isinstance(end, DebateFinished)
    assert end.rounds == 3
    assert len(gateway.calls) == 2 * len(SEATS)  # rounds 2 and 3; round 1 was kept
    # The whole debate's bill: the kept round's and the new rounds'.
    assert end.usage.cost_usd == pytest.approx(first.spent_usd + gateway.spent_usd)


async def test_resuming_at_the_same_budget_is_refused_with_the_fix():
    debate, _ = await stopped_at_budget()
    budget = f"${debate.spec.budget_usd:.2f}"

    with pytest.raises(ConfigError) as refused:
        plan_resume(debate)
    assert str(refused.value) == needs_higher_budget("d1", budget)
    assert "roundtable resume d1 --budget USD" in str(refused.value)
    with pytest.raises(ConfigError):
        plan_resume(debate, budget_usd=debate.spec.budget_usd)


async def test_a_budget_on_resume_must_be_a_real_amount():
    debate, _ = await stopped_at_budget()

    with pytest.raises(ConfigError, match="budget must be more than"):
        plan_resume(debate, budget_usd=-1.0)
