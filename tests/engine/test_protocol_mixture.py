"""`mixture` (Mixture-of-Agents): layers read the previous layer; an aggregator finishes."""

from __future__ import annotations

import pytest

from roundtable.domain import ConfigError, DebateFinished, RoundStarted
from roundtable.engine import validate_spec
from tests.engine.protocol_kit import last_user, of, run, spec_for
from tests.engine.scripted import ScriptedGateway, answer_text, reply

IDS = ("ada", "bob", "cy")


async def test_each_layer_reads_the_previous_layer_and_the_aggregator_writes_last() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9, "Ada layer one.")))
    gateway.enqueue("bob", reply(answer_text("41", 0.8, "Bob layer one.")))
    gateway.enqueue("cy", reply(answer_text("40", 0.7, "Cy layer one.")))
    gateway.enqueue("ada", reply(answer_text("42", 0.9, "Ada layer two.")))
    gateway.enqueue("bob", reply(answer_text("42", 0.8, "Bob layer two.")))
    gateway.enqueue("cy", reply(answer_text("41", 0.7, "Cy layer two.")))
    gateway.enqueue("ada", reply(answer_text("42", 0.95, "The aggregate.")))

    events = await run(spec_for("mixture", max_rounds=3), gateway)

    assert [e.seat_ids for e in of(events, RoundStarted)] == [IDS, IDS, ("ada",)]
    layer_two = gateway.messages_for("cy", 1)
    prompt = last_user(layer_two)
    assert prompt.startswith("# Layer 2 of 2: references from layer 1")
    # Every answer of layer 1 is a reference, its own included, and none is named.
    for n, text in enumerate(("Ada layer one.", "Bob layer one.", "Cy layer one."), start=1):
        assert f"### Reference {n} (answer: " in prompt
        assert text in prompt
    assert "Ada" not in prompt.replace("Ada layer one.", "")
    assert "assistant" not in [m.role for m in layer_two]  # references, not its own history
    aggregation = last_user(gateway.messages_for("ada", 2))
    assert aggregation.startswith("# Aggregation: the final answer from layer 2")
    assert "Bob layer two." in aggregation
    assert "layer one" not in aggregation  # only the last layer
    finished = of(events, DebateFinished)[0]
    assert finished.final_answer == "42"
    assert finished.rule.startswith("Aggregated by Ada from 2 layers of proposers: 42;")


async def test_a_layer_that_agrees_goes_straight_to_the_aggregator() -> None:
    gateway = ScriptedGateway()
    for seat in IDS:
        gateway.enqueue(seat, reply(answer_text("42", 0.9)))
    gateway.enqueue("bob", reply(answer_text("42", 0.9, "Aggregated.")))

    events = await run(spec_for("mixture", max_rounds=4, chair="Bob"), gateway)

    assert [e.seat_ids for e in of(events, RoundStarted)] == [IDS, ("bob",)]
    finished = of(events, DebateFinished)[0]
    assert (finished.final_answer, finished.consensus, finished.rounds) == ("42", True, 2)


async def test_without_a_readable_aggregate_the_last_layer_majority_stands() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9)), reply("I will not say."))
    gateway.enqueue("bob", reply(answer_text("41", 0.9)))
    gateway.enqueue("cy", reply(answer_text("41", 0.9)))

    events = await run(spec_for("mixture", max_rounds=2), gateway)

    finished = of(events, DebateFinished)[0]
    assert finished.final_answer == "41"
    assert "aggregator gave no readable answer" in finished.rule


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"max_rounds": 1}, "at least 2 rounds"),
        ({"chair": "elected"}, "cannot be elected"),
    ],
)
def test_a_mixture_needs_a_layer_and_a_named_aggregator(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_spec(spec_for("mixture", **changes))
