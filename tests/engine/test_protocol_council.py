"""`council`: answers; anonymised, shuffled peer review with ranks; the chair's synthesis."""

from __future__ import annotations

import re

import pytest

from roundtable.domain import (
    ConfigError,
    DebateFinished,
    RoundFinished,
    RoundStarted,
    TurnFinished,
)
from roundtable.engine import validate_spec
from roundtable.engine.protocols.ranking import anonymise
from tests.engine.protocol_kit import last_user, of, run, spec_for
from tests.engine.scripted import ScriptedGateway, answer_text, reply

IDS = ["ada", "bob", "cy"]
ANSWERS = {
    "ada": answer_text("42", 0.9, "Six times seven, carefully."),
    "bob": answer_text("41", 0.8, "As Bob, I counted forty-one."),
    "cy": answer_text("42", 0.7, "Seven sixes make forty-two."),
}
#: Every reviewer thinks Cy's answer best and Bob's worst.
PREFERENCE = ("cy", "ada", "bob")


def review(reviewer: str, seed: int = 7, answer: str = "42") -> list[object]:
    """A review ranking PREFERENCE, written in the letters `reviewer` was shown."""
    letter = {seat: label for label, seat in anonymise(IDS, reviewer, seed).order}
    lines = "\n".join(f"{n}. Response {letter[s]}" for n, s in enumerate(PREFERENCE, 1))
    body = f"Response {letter['bob']} miscounts.\n\nFINAL RANKING:\n{lines}"
    return reply(answer_text(answer, 0.9, body))


def scripted(chair: str = "ada", synthesis: str = "41") -> ScriptedGateway:
    gateway = ScriptedGateway()
    for seat in IDS:
        gateway.enqueue(seat, reply(ANSWERS[seat]), review(seat))
    gateway.enqueue(chair, reply(answer_text(synthesis, 0.95, "Weighing every answer.")))
    return gateway


def shown(prompt: str) -> list[tuple[str, str]]:
    """(label, first line of text) of each response in a review prompt, in shown order."""
    blocks = re.findall(r"^### Response ([A-Z])\n(.+)$", prompt, re.M)
    return [(label, line) for label, line in blocks]


async def test_reviewers_see_every_answer_anonymised_and_each_in_its_own_order() -> None:
    gateway = scripted()
    await run(spec_for("council"), gateway)

    orders = []
    for reviewer in IDS:
        prompt = last_user(gateway.messages_for(reviewer, 1))
        assert prompt.startswith("# Peer review")
        blocks = shown(prompt)
        assert [label for label, _ in blocks] == ["A", "B", "C"]
        # The letters hide the seats, in the order the debate's seed gave this reviewer.
        expected = [ANSWERS[s].splitlines()[0] for _, s in anonymise(IDS, reviewer, 7).order]
        assert [line for _, line in blocks] == [
            line.replace("Bob", "[a member]") for line in expected
        ]
        for name in ("Ada", "Bob", "Cy"):
            assert name not in prompt  # not even a signature gives a seat away
        assert "As [a member], I counted forty-one." in prompt
        orders.append([line for _, line in blocks])
    assert len({tuple(order) for order in orders}) > 1, "every reviewer saw the same order"


async def test_the_shuffle_follows_the_seed() -> None:
    first, again = scripted(), scripted()
    await run(spec_for("council"), first)
    await run(spec_for("council"), again)
    assert last_user(first.messages_for("bob", 1)) == last_user(again.messages_for("bob", 1))
    orders = {tuple(s for _, s in anonymise(IDS, "bob", seed).order) for seed in range(12)}
    assert len(orders) > 3  # other seeds, other orders


async def test_ranks_are_read_per_reviewer_and_averaged() -> None:
    events = await run(spec_for("council"), scripted())

    reviews = of(events, TurnFinished, round=1)
    assert {t.seat_id: t.ranking for t in reviews} == dict.fromkeys(IDS, PREFERENCE)
    stage_two = of(events, RoundFinished, round=1)[0]
    assert stage_two.rankings == {"cy": 1.0, "ada": 2.0, "bob": 3.0}
    assert list(stage_two.rankings) == ["cy", "ada", "bob"]  # best first


async def test_three_stages_run_even_when_the_answers_agree_at_once() -> None:
    gateway = ScriptedGateway()
    for seat in IDS:
        gateway.enqueue(seat, reply(answer_text("42", 0.9)), review(seat))
    gateway.enqueue("ada", reply(answer_text("42", 0.9, "All agree.")))

    events = await run(spec_for("council", max_rounds=1), gateway)

    assert [e.seat_ids for e in of(events, RoundStarted)] == [tuple(IDS), tuple(IDS), ("ada",)]
    finished = of(events, DebateFinished)[0]
    assert finished.consensus is True
    assert finished.rounds == 3


async def test_the_first_seat_chairs_and_its_synthesis_is_the_final_answer() -> None:
    gateway = scripted(synthesis="41")
    events = await run(spec_for("council"), gateway)

    assert of(events, RoundStarted)[2].seat_ids == ("ada",)
    synthesis = last_user(gateway.messages_for("ada", 2))
    assert synthesis.startswith("# Chair's synthesis")
    # The chair reads the answers with their names and ranks, best first ...
    assert synthesis.index("### Cy (answer: 42") < synthesis.index("### Bob (answer: 41")
    assert "### Cy (answer: 42, confidence: 0.70)\nAverage rank: 1.00" in synthesis
    # ... and the reviews with their letters turned back into names.
    assert "Bob's answer miscounts." in synthesis
    finished = of(events, DebateFinished)[0]
    assert finished.final_answer == "41"  # the chair's, though most answered 42
    assert finished.consensus is False
    assert finished.rule.startswith("Synthesis by the chair Ada (first seat): 41;")
    assert "Cy 1.00, Ada 2.00, Bob 3.00" in finished.rule
    assert (
        of(events, RoundFinished, round=2)[0].verdict == "Synthesis by the chair Ada (first seat)"
    )


@pytest.mark.parametrize(
    ("chair", "expected", "how"),
    [("elected", "cy", "elected: best average rank 1.00"), ("Bob", "bob", "chosen for the chair")],
)
async def test_the_chair_can_be_chosen_or_elected_by_the_ranking(
    chair: str, expected: str, how: str
) -> None:
    events = await run(spec_for("council", chair=chair), scripted(chair=expected))
    assert of(events, RoundStarted)[2].seat_ids == (expected,)
    assert how in of(events, DebateFinished)[0].rule


def test_a_chair_must_be_one_of_the_seats() -> None:
    with pytest.raises(ConfigError, match="The chair 'Zed' is not one of the seats"):
        validate_spec(spec_for("council", chair="Zed"))


async def test_without_a_readable_synthesis_the_best_ranked_answer_stands() -> None:
    gateway = ScriptedGateway()
    for seat in IDS:
        gateway.enqueue(seat, reply(ANSWERS[seat]), review(seat))
    gateway.enqueue("ada", reply("I could not decide."))

    events = await run(spec_for("council"), gateway)

    finished = of(events, DebateFinished)[0]
    assert finished.final_answer == "42"
    assert "best-ranked answer (Cy's) stands" in finished.rule
