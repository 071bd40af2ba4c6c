"""Judged consensus on free-form answers, and the capitulation flag, for every protocol."""

from __future__ import annotations

import pytest

from roundtable.domain import (
    AuthFailed,
    ConsensusRule,
    DebateFinished,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
)
from roundtable.engine import run_debate
from roundtable.engine.human import HumanReply, HumanTurnRequest
from roundtable.engine.protocols.judging import parse_agreement, parse_conformity
from tests.engine.protocol_kit import SEATS, last_user, of, run, spec_for
from tests.engine.scripted import DEFAULT_USAGE, ScriptedGateway, answer_text, reply

ESSAYS = {
    "ada": "Use PostgreSQL: it is mature, its tooling is rich and the team already knows SQL well",
    "bob": "Pick PostgreSQL for its reliability, though a managed service may cost a little more",
    "cy": "PostgreSQL suits the load, but plan the migration carefully and budget for hosting",
}
JUDGED = (
    "The three answers recommend the same database.\n"
    "Agreement: 0.85\nDisputed:\n- the hosting cost\n- how to migrate\n"
    "Common position: Use PostgreSQL."
)


def essays(gateway: ScriptedGateway) -> None:
    for seat, essay in ESSAYS.items():
        gateway.enqueue(seat, reply(answer_text(essay, 0.8, "My reasoning.")))


async def test_a_judge_rates_free_form_answers_and_the_table_stops_at_the_threshold() -> None:
    gateway = ScriptedGateway()
    essays(gateway)
    gateway.enqueue("cy", reply(JUDGED))
    spec = spec_for("debate", judge="Cy", consensus=ConsensusRule(0.8), max_rounds=3)

    events = await run(spec, gateway)

    asked = last_user(gateway.messages_for("cy", 1))
    assert asked.startswith("# Agreement check (round 1)")
    assert "### Bob (answer: Pick PostgreSQL for its reliability" in asked
    judged = of(events, RoundFinished)[0]
    assert judged.agreement == 0.85
    assert judged.disputed == ("the hosting cost", "how to migrate")
    assert judged.judged_by == "cy"
    assert judged.verdict == "agreement 85%; common position: Use PostgreSQL"
    finished = of(events, DebateFinished)[0]
    assert (finished.final_answer, finished.consensus, finished.rounds) == (
        "Use PostgreSQL",
        True,
        1,
    )
    assert "the judge rated the table's agreement 85% (threshold 80%)" in finished.rule
    # The judge's call is not a turn, but its tokens count.
    assert len(of(events, TurnStarted, seat_id="cy")) == 1
    assert finished.usage.total_tokens == 4 * DEFAULT_USAGE.total_tokens


async def test_below_the_threshold_the_debate_goes_on_and_the_judge_reading_decides() -> None:
    gateway = ScriptedGateway()
    low = reply(JUDGED.replace("0.85", "0.4"))
    for seat, essay in ESSAYS.items():
        turn = reply(answer_text(essay, 0.8, "My reasoning."))
        # No judge named: the first seat judges, after each round's turns.
        judged = [low] if seat == "ada" else []
        gateway.enqueue(seat, turn, *judged, turn, *judged)

    events = await run(spec_for("roundtable", max_rounds=2), gateway)

    assert [e.agreement for e in of(events, RoundFinished)] == [0.4, 0.4]
    assert len(of(events, RoundStarted)) == 2
    finished = of(events, DebateFinished)[0]
    assert finished.consensus is False
    assert finished.final_answer == "Use PostgreSQL"
    assert finished.rule.startswith("The answers were free-form, so a judge rated their agreement")


async def test_a_judge_that_fails_is_skipped_and_the_count_by_value_stands() -> None:
    gateway = ScriptedGateway()
    essays(gateway)
    gateway.enqueue("ada", [AuthFailed("key refused by demo")])

    events = await run(spec_for("vote"), gateway)

    round_one = of(events, RoundFinished)[0]
    assert round_one.judged_by is None
    assert round_one.agreement == pytest.approx(1 / 3)  # three different texts
    assert of(events, DebateFinished)[0].final_answer is not None


async def test_short_answers_are_compared_by_value_without_a_judge() -> None:
    gateway = ScriptedGateway()
    for seat in ESSAYS:
        gateway.enqueue(seat, reply(answer_text("PostgreSQL", 0.8)))

    events = await run(spec_for("vote", judge="ada"), gateway)

    assert gateway.calls_of("ada") == 1
    assert of(events, RoundFinished)[0].judged_by is None


# ---------------------------------------------------------------- capitulation
REASONED = "Seven sixes: 6+6+6+6+6+6+6 = 42. I agree with 42 because the sum is direct."


def conformist_round(cy_text: str) -> ScriptedGateway:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9, REASONED)), reply(answer_text("42", 0.9)))
    gateway.enqueue(
        "bob", reply(answer_text("42", 0.9, "Six times seven.")), reply(answer_text("42", 0.9))
    )
    gateway.enqueue(
        "cy", reply(answer_text("41", 0.6, "I think 41.")), reply(answer_text("42", 0.7, cy_text))
    )
    return gateway


@pytest.mark.parametrize(
    ("cy_text", "flagged"),
    [
        ("Everyone else says 42, so I will go with the majority.", True),
        ("Okay, 42 then.", True),
        (
            "My slip: I counted six groups of seven as 41 by dropping one from the last "
            "addition; redoing the multiplication digit by digit gives forty-two exactly.",
            False,
        ),
    ],
    ids=["follows the majority", "says nothing", "names its mistake"],
)
async def test_a_switch_to_the_majority_without_an_argument_is_flagged(
    cy_text: str, flagged: bool
) -> None:
    events = await run(spec_for("debate", max_rounds=2), conformist_round(cy_text))
    marks = {t.seat_id: t.capitulated for t in of(events, TurnFinished, round=1)}
    assert marks == {"ada": False, "bob": False, "cy": flagged}


async def test_a_chosen_judge_is_asked_instead_of_the_heuristic() -> None:
    gateway = conformist_round("Everyone else says 42, so I will go with the majority.")
    gateway.enqueue("bob", reply("Verdict: persuaded\nIt weighed Ada's sum."))

    events = await run(spec_for("debate", max_rounds=2, judge="bob"), gateway)

    assert last_user(gateway.messages_for("bob", 2)).startswith("# Persuasion or conformity?")
    assert not of(events, TurnFinished, round=1, seat_id="cy")[0].capitulated


@pytest.mark.parametrize(
    ("text", "agreement", "disputed", "common"),
    [
        ("**Agreement:** 80%\n**Disputed:** none\nCommon position: none", 0.8, (), None),
        ("Agreement = 0.7\nDisputed points:\n1. cost\n2. speed\n", 0.7, ("cost", "speed"), None),
        (
            "Agreement: 3/10\nDisputed: the deadline\nCommon answer: wait",
            0.3,
            ("the deadline",),
            "wait",
        ),
    ],
)
def test_a_judges_reply_is_read_in_the_forms_models_write(
    text: str, agreement: float, disputed: tuple[str, ...], common: str | None
) -> None:
    verdict = parse_agreement(text)
    assert verdict is not None
    assert (verdict.agreement, verdict.disputed, verdict.common) == (agreement, disputed, common)


def test_an_unreadable_judge_reply_counts_as_no_judgement() -> None:
    assert parse_agreement("They mostly agree, I think.") is None
    assert parse_conformity("Hard to say.") is None
    assert parse_conformity("**Verdict:** Conformed — it just followed.") is True
    assert parse_conformity("Verdict: persuaded by the sum") is False


class Person:
    """A person at the table who always writes the same essay."""

    async def ask(self, request: HumanTurnRequest) -> HumanReply:
        return HumanReply(text="My view.", answer=ESSAYS["ada"])


async def test_a_person_is_never_asked_to_judge_in_a_quiet_call() -> None:
    you = Seat("you", "You", "human")
    gateway = ScriptedGateway()
    gateway.enqueue("bob", reply(answer_text(ESSAYS["bob"], 0.8)), reply(JUDGED))
    gateway.enqueue("cy", reply(answer_text(ESSAYS["cy"], 0.8)))
    spec = spec_for("vote", seats=(you, *SEATS[1:]))

    events: list[Event] = []
    await run_debate(spec, gateway, events.append, coalesce_s=0, human=Person())

    assert last_user(gateway.messages_for("bob", 1)).startswith("# Agreement check")
    assert of(events, RoundFinished)[0].judged_by == "bob"
