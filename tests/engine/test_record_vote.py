"""The opt-in vote by track record: each seat's answer weighs its measured record.

The weights travel in the spec (`DebateSpec.record_weights`), resolved by the caller
before the debate; the engine counts with them and names them in the outcome.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from roundtable.domain import ConfigError, DebateFinished
from roundtable.domain.values import RecordWeights, SeatTrackRecord
from roundtable.engine import parse_answer, validate_spec
from roundtable.engine.voting import record_scope, record_weight
from tests.engine.protocol_kit import SEATS, of, run, spec_for
from tests.engine.scripted import ScriptedGateway, answer_text, reply

TWO = SEATS[:2]  # Ada, Bob


def _disagreeing(ada: str = "41", bob: str = "42", confidence: float = 0.9) -> ScriptedGateway:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text(ada, confidence)))
    gateway.enqueue("bob", reply(answer_text(bob, confidence)))
    return gateway


def _records(*records: tuple[str, str, int, int], scope: str | None = None) -> RecordWeights:
    return RecordWeights(tuple(SeatTrackRecord(*record) for record in records), scope=scope)


@pytest.mark.parametrize("protocol", ["roundtable", "debate", "vote"])
async def test_equal_confidence_the_seat_with_the_better_record_wins(protocol: str) -> None:
    weights = _records(("ada", "number", 10, 48), ("bob", "number", 45, 48))
    spec = spec_for(protocol, seats=TWO, max_rounds=1, record_weights=weights)

    finished = of(await run(spec, _disagreeing()), DebateFinished)[0]

    assert (finished.final_answer, finished.consensus) == ("42", False)
    assert finished.rule == (
        "Weighted by track record on number answers across tasks, round 1 (each seat's "
        "accuracy alone there, (right + 1)/(n + 2)): Ada 0.22 (n=48), Bob 0.92 (n=48). "
        "42 won with 0.92 of 1.14."
    )
    assert finished.tally == {"41": pytest.approx(11 / 50), "42": pytest.approx(46 / 50)}


async def test_without_records_the_same_tie_goes_to_the_first_seat() -> None:
    spec = spec_for("roundtable", seats=TWO, max_rounds=1)

    finished = of(await run(spec, _disagreeing()), DebateFinished)[0]

    assert finished.final_answer == "41"
    assert finished.rule.startswith("Confidence-weighted vote of round 1")


async def test_a_task_scope_uses_that_task_and_a_seat_without_a_record_weighs_half() -> None:
    weights = _records(
        ("ada", "arithmetic", 1, 8),  # 0.20 on the task
        ("ada", "number", 90, 100),  # ignored: the question comes from the task
        scope="arithmetic",
    )
    spec = spec_for("debate", seats=TWO, max_rounds=1, record_weights=weights)

    finished = of(await run(spec, _disagreeing()), DebateFinished)[0]

    assert finished.final_answer == "42"
    assert "on arithmetic, round 1" in finished.rule
    assert "Ada 0.20 (n=8), Bob 0.50 (no record)" in finished.rule


async def test_a_table_that_agrees_keeps_its_consensus() -> None:
    weights = _records(("ada", "number", 0, 50))
    spec = spec_for("roundtable", seats=TWO, max_rounds=1, record_weights=weights)

    finished = of(await run(spec, _disagreeing(bob="41")), DebateFinished)[0]

    assert (finished.final_answer, finished.consensus) == ("41", True)
    assert finished.rule.startswith("Consensus:")


@pytest.mark.parametrize("protocol", ["council", "mixture", "moderated"])
def test_protocols_whose_answer_is_no_vote_refuse_the_rule(protocol: str) -> None:
    spec = spec_for(protocol, record_weights=_records(("ada", "number", 5, 10)))
    with pytest.raises(ConfigError, match="cannot be weighted by track record") as caught:
        validate_spec(spec)
    assert "roundtable, debate, vote" in str(caught.value)


def test_weights_follow_the_rule_of_succession() -> None:
    assert record_weight(0, 0) == 0.5
    assert record_weight(3, 3) == 0.8
    assert record_weight(95, 100) == pytest.approx(0.9412, abs=1e-4)
    with pytest.raises(ValueError, match="not a record"):
        record_weight(4, 3)


def test_the_scope_is_the_kind_most_answers_have() -> None:
    answers = [parse_answer(text) for text in ("Final answer: B", "Final answer: 12")]
    assert record_scope(_records(), answers) == "choice"  # a tie: the first seat's kind
    assert record_scope(_records(), [*answers, parse_answer("Final answer: 7")]) == "number"
    assert record_scope(_records(scope="gsm8k"), answers) == "gsm8k"


def test_the_engine_counts_with_the_weights_it_is_given_and_opens_no_database() -> None:
    """Run a record-weighted debate in a fresh interpreter: storage is never imported."""
    script = textwrap.dedent(
        """
        import asyncio, sys
        from roundtable.domain import DebateFinished
        from roundtable.domain.values import RecordWeights, SeatTrackRecord
        from tests.engine.protocol_kit import SEATS, run, spec_for
        from tests.engine.scripted import ScriptedGateway, answer_text, reply

        gateway = ScriptedGateway()
        gateway.enqueue("ada", reply(answer_text("41", 0.9)))
        gateway.enqueue("bob", reply(answer_text("42", 0.9)))
        weights = RecordWeights((SeatTrackRecord("bob", "number", 9, 10),))
        spec = spec_for("roundtable", seats=SEATS[:2], max_rounds=1, record_weights=weights)
        events = asyncio.run(run(spec, gateway))
        print(events[-1].final_answer)
        print(sorted(m for m in sys.modules if m.startswith(("roundtable.storage", "sqlalchemy"))))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split("\n")[:2] == ["42", "[]"]
