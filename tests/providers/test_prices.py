"""The one price rule: a seat's price per million tokens, and one call's cost."""

from __future__ import annotations

import subprocess
import sys

import pytest

from roundtable.domain import Seat
from roundtable.domain.pricing import (
    FREE_DEMO,
    FREE_LOCAL,
    FREE_PERSON,
    LISTED_PRICE,
    YOUR_PRICE,
    Price,
    describe_price,
)
from roundtable.providers import PROVIDERS, load_litellm
from roundtable.providers.prices import call_cost, listed_price, reported_cost, seat_price


def seat(model: str, **fields: object) -> Seat:
    return Seat(id="s", name="S", model=model, **fields)  # type: ignore[arg-type]


def test_a_listed_model_has_its_list_price_per_million_tokens():
    price = seat_price(seat("openai/gpt-4o"))

    assert price == Price(2.5, 10.0, LISTED_PRICE)
    assert price is not None
    assert price.cost(1000, 500) == pytest.approx(0.0075)


def test_an_unlisted_model_has_no_price_not_a_zero_one():
    assert seat_price(seat("openai/my-finetune")) is None
    assert seat_price(seat("openrouter/some/new-model")) is None
    assert call_cost(seat("openai/my-finetune"), 100, 100) is None


@pytest.mark.parametrize(
    ("model", "source"),
    [
        ("demo/ada", FREE_DEMO),
        ("human", FREE_PERSON),
        ("lm_studio/qwen2.5-7b-instruct", FREE_LOCAL),
        ("ollama_chat/my-own-model", FREE_LOCAL),
    ],
)
def test_demo_people_and_models_on_your_machine_are_free(model, source):
    price = seat_price(seat(model))

    assert price is not None
    assert price.free
    assert price.source == source
    assert describe_price(price) == source


def test_the_users_price_wins_over_the_list_and_over_free():
    own = {"price_in_per_mtok": 0.2, "price_out_per_mtok": 0.6}

    assert seat_price(seat("openai/gpt-4o", **own)) == Price(0.2, 0.6, YOUR_PRICE)
    assert seat_price(seat("ollama/llama3.1", **own)) == Price(0.2, 0.6, YOUR_PRICE)
    # ... and over a cost the provider reported for the call.
    cost = call_cost(seat("openai/x", **own), 1_000_000, 1_000_000, reported=9.0)
    assert cost == pytest.approx(0.8)


def test_a_reported_cost_wins_over_the_list_but_a_demo_model_stays_free():
    assert call_cost(seat("openai/gpt-4o"), 1000, 500, reported=0.001) == 0.001
    assert call_cost(seat("openai/gpt-4o"), 1000, 500) == pytest.approx(0.0075)
    assert call_cost(seat("demo/ada"), 1000, 500, reported=3.0) == 0.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.25, 0.25),
        ("0.0456", 0.0456),
        (" 1e-3 ", 0.001),
        ({"total_cost": 0.5, "upstream": 0.4}, 0.5),
        (0, 0.0),
        ("", None),
        ("n/a", None),
        (None, None),
        (True, None),
        (-1.0, None),
        (float("nan"), None),
    ],
)
def test_a_reported_cost_is_read_from_a_number_a_header_or_a_breakdown(value, expected):
    assert reported_cost(value) == expected


def test_every_catalogue_model_is_priced_as_litellm_prices_it():
    # One rule: what this module reads from litellm's list is what litellm charges for
    # a short call (long prompts have tiers this module does not apply; see its docstring).
    litellm = load_litellm()
    models = [model for info in PROVIDERS.values() for model in info.models]
    compared = 0
    for model in models:
        try:
            prompt, completion = litellm.cost_per_token(
                model=model, prompt_tokens=1000, completion_tokens=1000
            )
        except Exception:  # litellm does not know it: neither do we
            assert listed_price(model) is None, model
            continue
        price = listed_price(model)
        if prompt + completion == 0:  # litellm's 0 for an unknown OpenRouter model is a guess
            continue
        assert price is not None, model
        assert price.cost(1000, 1000) == pytest.approx(prompt + completion), model
        compared += 1
    assert compared >= 20


def test_reading_the_price_list_does_not_import_litellm():
    code = (
        "import sys; from roundtable.providers.prices import seat_price; "
        "from roundtable.domain import Seat; "
        "p = seat_price(Seat(id='a', name='a', model='openai/gpt-4o')); "
        "assert p is not None and p.in_per_mtok == 2.5, p; "
        "assert 'litellm' not in sys.modules; print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert out.stdout.strip() == "ok", out.stderr
