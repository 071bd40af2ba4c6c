"""A bad spec is refused before any model is called, with a message that says what to do."""

from __future__ import annotations

import dataclasses

import pytest

from roundtable.domain import ConfigError, ConsensusRule, DebateSpec, Seat
from roundtable.domain.limits import MAX_QUESTION_CHARS
from roundtable.engine import PROTOCOL_INFO, get_protocol, validate_spec

GOOD = DebateSpec(
    question="Is 91 prime?",
    seats=(Seat("a", "Ada", "openai/gpt-4o"), Seat("b", "Bob", "ollama/llama3.1")),
)


def with_seat_model(model: str) -> DebateSpec:
    return dataclasses.replace(GOOD, seats=(GOOD.seats[0], Seat("b", "Bob", model)))


def with_price(price_in: float | None, price_out: float | None) -> DebateSpec:
    bob = dataclasses.replace(
        GOOD.seats[1], price_in_per_mtok=price_in, price_out_per_mtok=price_out
    )
    return dataclasses.replace(GOOD, seats=(GOOD.seats[0], bob))


def test_a_good_spec_passes() -> None:
    validate_spec(GOOD)
    validate_spec(with_seat_model("openrouter/meta-llama/llama-3.1-70b"))
    validate_spec(with_seat_model("gpt-4o"))  # no provider prefix: litellm infers it
    validate_spec(dataclasses.replace(with_price(0.0, 0.5), budget_usd=0.01))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (dataclasses.replace(GOOD, question="   \n"), "question is empty"),
        (dataclasses.replace(GOOD, question="x" * (MAX_QUESTION_CHARS + 1)), "Shorten it"),
        (dataclasses.replace(GOOD, protocol="chaos"), "Choose one of: roundtable"),
        (dataclasses.replace(GOOD, max_rounds=0), "between 1 and 20"),
        (dataclasses.replace(GOOD, max_rounds=21), "between 1 and 20"),
        (dataclasses.replace(GOOD, seats=GOOD.seats[:1]), "at least two seats"),
        (
            dataclasses.replace(GOOD, seats=(GOOD.seats[0], Seat("a", "Ann", "openai/gpt-4o"))),
            "share the id 'a'",
        ),
        (dataclasses.replace(GOOD, consensus=ConsensusRule(0.0)), "above 0 and at most 1"),
        (dataclasses.replace(GOOD, consensus=ConsensusRule(1.5)), "above 0 and at most 1"),
        (with_seat_model(""), "has no model"),
        (with_seat_model("openai/gpt 4o"), "contains whitespace"),
        (with_seat_model("openai/"), "both a provider and a name"),
        (with_seat_model("/gpt-4o"), "both a provider and a name"),
        (with_price(-1.0, 2.0), r"Seat 'Bob': the input price must be 0 or more USD"),
        (with_price(1.0, float("nan")), "the output price must be 0 or more"),
        (with_price(1.0, None), "has an input price but no output price. Give both"),
        (dataclasses.replace(GOOD, budget_usd=0.0), r"budget must be more than \$0"),
        (dataclasses.replace(GOOD, budget_usd=-5.0), "Leave it out for no limit"),
    ],
)
def test_bad_specs_are_refused_with_advice(spec: DebateSpec, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_spec(spec)


def test_model_errors_name_the_seat() -> None:
    with pytest.raises(ConfigError, match="Seat 'Bob'"):
        validate_spec(with_seat_model("openai/"))


def test_protocol_registry_explains_each_protocol() -> None:
    info = PROTOCOL_INFO["roundtable"]
    assert "ReConcile" in info.title
    assert "2309.13007" in info.paper
    assert info.summary
    assert get_protocol("roundtable").name == "roundtable"
