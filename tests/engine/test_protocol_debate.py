"""`debate` (Du et al.): every seat reads all the others' latest solutions; majority wins."""

from __future__ import annotations

from roundtable.domain import ConsensusReached, DebateFinished, RoundStarted
from tests.engine.protocol_kit import conversation, last_user, of, run, spec_for
from tests.engine.scripted import ScriptedGateway, answer_text, reply


async def test_each_round_every_seat_reads_all_others_latest_solutions() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue(
        "ada", reply(answer_text("42", 0.9, "Six sevens.")), reply(answer_text("42", 0.9))
    )
    gateway.enqueue(
        "bob", reply(answer_text("41", 0.9, "Bob counted.")), reply(answer_text("41", 0.9))
    )
    gateway.enqueue(
        "cy", reply(answer_text("40", 0.9, "Cy guessed.")), reply(answer_text("42", 0.9))
    )

    events = await run(spec_for("debate", max_rounds=2), gateway)

    first = gateway.messages_for("ada", 0)
    assert "Question:\nWhat is 6 × 7?" in conversation(first)
    assert "solutions to the problem" not in conversation(first)  # round 1: alone
    assert len(first) == 2
    second = gateway.messages_for("ada", 1)
    update = last_user(second)
    assert update.startswith("Debate round 1 of 1.")
    assert "These are the solutions to the problem from other agents" in update
    assert "### Bob (answer: 41, confidence: 0.90)\nBob counted." in update
    assert "### Cy (answer: 40, confidence: 0.90)\nCy guessed." in update
    assert "### Ada" not in update  # its own solution is its own message, not a peer's
    assert [m.role for m in second] == ["system", "user", "assistant", "user"]
    assert second[2].content.startswith("Six sevens.")
    assert len(of(events, RoundStarted)) == 2


async def test_the_debate_stops_as_soon_as_the_table_agrees() -> None:
    gateway = ScriptedGateway()
    for seat in ("ada", "bob", "cy"):
        gateway.enqueue(seat, reply(answer_text("42", 0.5)))

    events = await run(spec_for("debate", max_rounds=3), gateway)

    assert len(of(events, RoundStarted)) == 1
    assert of(events, ConsensusReached)[0].answer == "42"
    assert gateway.calls_of("ada") == 1


async def test_without_consensus_the_majority_wins_whatever_the_confidence() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("7", 1.0)), reply(answer_text("7", 1.0)))
    gateway.enqueue("bob", reply(answer_text("8", 0.3)), reply(answer_text("8", 0.3)))
    gateway.enqueue("cy", reply(answer_text("8", 0.3)), reply(answer_text("8", 0.3)))

    events = await run(spec_for("debate", max_rounds=2), gateway)

    finished = of(events, DebateFinished)[0]
    # The confidence-weighted vote would pick 7 (1.0 against 0.2); a majority picks 8.
    assert finished.final_answer == "8"
    assert finished.consensus is False
    assert finished.rule == "Majority vote of round 2: 8 from 2 of 3 seats."
