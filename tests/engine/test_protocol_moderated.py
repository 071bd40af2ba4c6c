"""`moderated` (MAD): affirmative, then negative, then the judge, who may stop early."""

from __future__ import annotations

import pytest

from roundtable.domain import (
    ConfigError,
    DebateFinished,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
)
from roundtable.engine import validate_spec
from tests.engine.protocol_kit import SEATS, conversation, last_user, of, run, spec_for
from tests.engine.scripted import ScriptedGateway, answer_text, reply


def verdict(decision: str, winner: str, answer: str) -> list[object]:
    text = f"I weighed both.\nDecision: {decision}\nWinner: {winner}\n"
    return reply(text + f"Final answer: {answer}\nConfidence: 0.9")


async def test_the_sides_argue_in_turns_and_the_judge_reads_the_round() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9, "Six sevens are 42.")))
    gateway.enqueue("bob", reply(answer_text("41", 0.8, "No: I count 41.")))
    gateway.enqueue("cy", verdict("stop", "affirmative", "42"))

    events = await run(spec_for("moderated"), gateway)

    # One round, three phases: each starts after the one before has finished.
    order = [
        (type(e).__name__, e.seat_id) for e in events if isinstance(e, TurnStarted | TurnFinished)
    ]
    assert order == [
        ("TurnStarted", "ada"),
        ("TurnFinished", "ada"),
        ("TurnStarted", "bob"),
        ("TurnFinished", "bob"),
        ("TurnStarted", "cy"),
        ("TurnFinished", "cy"),
    ]
    assert of(events, RoundStarted)[0].seat_ids == ("ada", "bob", "cy")
    affirmative = last_user(gateway.messages_for("ada"))
    assert affirmative.startswith("# Debate: affirmative side, round 1 of 3")
    negative = last_user(gateway.messages_for("bob"))
    assert negative.startswith("# Debate: negative side, round 1 of 3")
    assert "### Ada (answer: 42, confidence: 0.90)\nSix sevens are 42." in negative
    judge = last_user(gateway.messages_for("cy"))
    assert judge.startswith("# Moderator's decision, round 1 of 3")
    assert "### Affirmative: Ada (answer: 42" in judge
    assert "### Negative: Bob (answer: 41" in judge
    assert "you must decide now" not in judge


async def test_the_judge_may_stop_early_and_its_decision_is_the_answer() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9)))
    gateway.enqueue("bob", reply(answer_text("41", 0.8)))
    gateway.enqueue("cy", verdict("stop", "negative", "41"))

    events = await run(spec_for("moderated", max_rounds=3), gateway)

    finished = of(events, DebateFinished)[0]
    assert (finished.final_answer, finished.rounds, finished.consensus) == ("41", 1, False)
    assert finished.rule == "The moderator Cy decided for the negative side in round 1: 41."
    round_one = of(events, RoundFinished)[0]
    assert round_one.judged_by == "cy"
    assert round_one.verdict == "The moderator Cy stops the debate: the negative side is right"
    assert round_one.agreement == 0.5  # the sides, not the judge, are counted


async def test_otherwise_the_judge_decides_at_the_last_round() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9, "A1")), reply(answer_text("42", 0.9, "A2")))
    gateway.enqueue("bob", reply(answer_text("41", 0.8, "B1")), reply(answer_text("41", 0.8, "B2")))
    gateway.enqueue("cy", verdict("continue", "none", "42"), verdict("stop", "affirmative", "42"))

    events = await run(spec_for("moderated", max_rounds=2), gateway)

    round_two = gateway.messages_for("ada", 1)
    # The affirmative answers the negative's last argument and reads the moderator's note.
    assert "The negative side argued:\n\n### Bob (answer: 41, confidence: 0.80)\nB1" in (
        last_user(round_two)
    )
    assert "### Moderator Cy\nI weighed both." in last_user(round_two)
    assert "you must decide now" in last_user(gateway.messages_for("cy", 1))
    finished = of(events, DebateFinished)[0]
    assert (finished.final_answer, finished.rounds) == ("42", 2)
    assert of(events, RoundFinished)[0].verdict == "The moderator Cy lets the debate continue"


async def test_sides_that_agree_end_the_debate() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9)))
    gateway.enqueue("bob", reply(answer_text("42", 0.9, "I find no flaw.")))
    gateway.enqueue("cy", verdict("stop", "none", "42"))

    events = await run(spec_for("moderated"), gateway)

    finished = of(events, DebateFinished)[0]
    assert finished.consensus is True
    assert finished.rule.startswith(
        "Consensus: the sides (Ada and Bob) both answered 42 in round 1"
    )


async def test_the_judge_is_asked_whether_a_side_gave_in_or_was_persuaded() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9)), reply(answer_text("42", 0.9)))
    gateway.enqueue("bob", reply(answer_text("41", 0.8)), reply(answer_text("42", 0.9, "Fine.")))
    gateway.enqueue(
        "cy",
        verdict("continue", "none", "42"),
        reply("Verdict: conformed\nNo argument of its own."),  # the quiet question
        verdict("stop", "none", "42"),
    )

    events = await run(spec_for("moderated", max_rounds=2), gateway)

    asked = gateway.messages_for("cy", 1)
    assert last_user(asked).startswith("# Persuasion or conformity? (round 2)")
    assert "Bob answered 41" in last_user(asked)
    assert "impartial judge" in conversation(asked)
    flagged = {t.seat_id: t.capitulated for t in of(events, TurnFinished, round=1)}
    assert flagged == {"ada": False, "bob": True, "cy": False}
    # The quiet call is no turn: the judge has one turn per round.
    assert len(of(events, TurnStarted, seat_id="cy")) == 2


def test_a_moderated_debate_needs_a_judge_seat() -> None:
    with pytest.raises(ConfigError, match="at least 3 seats"):
        validate_spec(spec_for("moderated", seats=SEATS[:2]))


async def test_the_judge_can_be_any_seat_and_the_others_take_sides() -> None:
    seats = (*SEATS, Seat("dee", "Dee", "demo/dee"))
    gateway = ScriptedGateway()
    gateway.enqueue("bob", reply(answer_text("42", 0.9)))
    gateway.enqueue("cy", reply(answer_text("41", 0.9)))
    gateway.enqueue("dee", reply(answer_text("42", 0.9)))
    gateway.enqueue("ada", verdict("stop", "affirmative", "42"))

    events = await run(spec_for("moderated", seats=seats, judge="ada"), gateway)

    starts = [e.seat_id for e in of(events, TurnStarted)]
    assert starts == ["bob", "dee", "cy", "ada"]  # affirmatives, negatives, the judge
    assert last_user(gateway.messages_for("dee")).startswith("# Debate: affirmative side")
    assert of(events, DebateFinished)[0].final_answer == "42"
