"""Debates that go on from another: forks (copied rounds, a changed table), follow-ups
(the earlier question and answer in every seat's prompt) and resumes (in place)."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools

import pytest

from roundtable.domain import (
    ConfigError,
    DebateCancelled,
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnStarted,
)
from roundtable.engine import run_debate
from roundtable.engine.continuation import (
    completed_rounds,
    followup_spec,
    fork_spec,
    resume_plan,
)
from tests.engine.scripted import Pause, ScriptedGateway, answer_text, reply

SEATS = (
    Seat("ada", "Ada", "demo/ada"),
    Seat("bob", "Bob", "demo/bob"),
    Seat("cy", "Cy", "demo/cy"),
)
SPEC = DebateSpec(question="What is 6 × 7?", seats=SEATS, max_rounds=3, seed=7)


def script(gateway: ScriptedGateway, answers: dict[str, tuple[str, float]]) -> None:
    for seat_id, (answer, confidence) in answers.items():
        gateway.enqueue(seat_id, reply(answer_text(answer, confidence, f"{seat_id} reasons.")))


async def run(spec: DebateSpec, gateway: ScriptedGateway, **kwargs: object) -> list[Event]:
    events: list[Event] = []
    await run_debate(spec, gateway, events.append, **kwargs)  # type: ignore[arg-type]
    return events


async def parent_debate() -> list[Event]:
    """Three rounds in which the table never agrees (42, 41, 40 each time)."""
    gateway = ScriptedGateway()
    for _ in range(3):
        script(gateway, {"ada": ("42", 0.9), "bob": ("41", 0.6), "cy": ("40", 0.5)})
    return await run(SPEC, gateway, debate_id="parent")


def logged(events: list[Event]) -> list[Event]:
    """What the store keeps: every event but the deltas."""
    return [e for e in events if not isinstance(e, TurnDelta)]


def turns(events: list[Event], round_number: int) -> dict[str, TurnFinished]:
    return {e.seat_id: e for e in events if isinstance(e, TurnFinished) and e.round == round_number}


# ------------------------------------------------------------------ forks
async def test_a_forks_copied_rounds_are_the_parents_field_by_field() -> None:
    parent = await parent_debate()
    spec, continuation = fork_spec(SPEC, logged(parent), from_round=2)
    continuation = dataclasses.replace(continuation, parent_id="parent")
    gateway = ScriptedGateway()
    script(gateway, {"ada": ("42", 0.9), "bob": ("42", 0.8), "cy": ("42", 0.7)})

    child = await run(spec, gateway, debate_id="child", continuation=continuation)

    started = child[0]
    assert isinstance(started, DebateStarted)
    assert (started.parent_id, started.forked_from_round, started.relation) == (
        "parent",
        2,
        "fork",
    )
    for round_number in (0, 1):
        mine, theirs = turns(child, round_number), turns(parent, round_number)
        assert mine.keys() == theirs.keys() == {"ada", "bob", "cy"}
        for seat_id, turn in mine.items():
            original = theirs[seat_id]
            assert turn.text == original.text
            assert turn.answer == original.answer
            assert turn.usage == original.usage
            assert turn.incomplete == original.incomplete
            assert turn.debate_id == "child"
    copied_rounds = [e for e in child if isinstance(e, RoundFinished) and e.round < 2]
    parent_rounds = [e for e in parent if isinstance(e, RoundFinished) and e.round < 2]
    assert [(r.tally, r.agreement, r.leader) for r in copied_rounds] == [
        (r.tally, r.agreement, r.leader) for r in parent_rounds
    ]
    # One well-formed stream: numbered from 0, in time order, nobody asked twice.
    assert [e.seq for e in child] == list(range(len(child)))
    assert all(a.at <= b.at for a, b in itertools.pairwise(child))
    assert gateway.calls_of("ada") == 1  # only round 3 was played
    final = child[-1]
    assert isinstance(final, DebateFinished)
    assert final.consensus
    assert final.final_answer == "42"


async def test_a_dropped_seat_sits_out_and_an_added_seat_joins_with_the_discussion() -> None:
    parent = await parent_debate()
    dee = Seat("dee", "Dee", "demo/dee")
    spec, continuation = fork_spec(SPEC, logged(parent), from_round=1, add=[dee], drop=["Bob"])
    assert spec.sitting_out == ("bob",)
    assert [seat.id for seat in spec.active_seats] == ["ada", "cy", "dee"]
    gateway = ScriptedGateway()
    for _ in range(2):
        script(gateway, {"ada": ("42", 0.9), "cy": ("40", 0.5), "dee": ("42", 0.8)})

    child = await run(spec, gateway, debate_id="child", continuation=continuation)

    assert turns(child, 0)["bob"].text == turns(parent, 0)["bob"].text  # still in round 1
    assert gateway.calls_of("bob") == 0
    later = [e for e in child if isinstance(e, RoundStarted) and e.round >= 1]
    assert all("bob" not in e.seat_ids and "dee" in e.seat_ids for e in later)
    # The newcomer reads the discussion so far; nobody reads the seat that left.
    joined = "\n".join(m.content for m in gateway.messages_for("dee", 0))
    assert "### Ada (answer: 42" in joined
    assert "### Cy (answer: 40" in joined
    assert "### Bob" not in joined
    assert "### Bob" not in "\n".join(m.content for m in gateway.messages_for("ada", 0))


async def test_a_fork_from_round_1_copies_nothing_and_an_added_seat_gets_a_fresh_id() -> None:
    parent = await parent_debate()
    twin = Seat("ada", "Ada", "demo/ada")  # the same model seated twice
    spec, continuation = fork_spec(SPEC, logged(parent), from_round=0, add=[twin], drop=["cy"])
    assert continuation.rounds == ()
    assert [seat.id for seat in spec.seats] == ["ada", "bob", "ada-2"]
    assert [seat.name for seat in spec.seats] == ["Ada", "Bob", "Ada (2)"]  # told apart
    assert spec.sitting_out == ()  # cy never spoke in the fork, so it simply left


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"from_round": 4}, "has 3 complete rounds"),
        ({"from_round": 1, "drop": ["Zed"]}, "No seat named 'Zed'"),
        ({"from_round": 1, "drop": ["Ada", "Bob"]}, "Only 1 seat would go on"),
        ({"from_round": 2, "max_rounds": 2}, "needs at least 3 rounds"),
    ],
)
async def test_impossible_forks_are_refused_with_the_reason(
    kwargs: dict[str, object], message: str
) -> None:
    from roundtable.engine import validate_spec

    parent = await parent_debate()

    def fork() -> None:
        spec, _ = fork_spec(SPEC, logged(parent), **kwargs)  # type: ignore[arg-type]
        validate_spec(spec)

    with pytest.raises(ConfigError, match=message):
        fork()


async def test_a_copy_naming_a_seat_that_is_not_at_the_table_is_refused_before_any_event() -> None:
    parent = await parent_debate()
    _, continuation = fork_spec(SPEC, logged(parent), from_round=1)
    smaller = dataclasses.replace(SPEC, seats=SEATS[:2])
    events: list[Event] = []
    with pytest.raises(ConfigError, match="not at the table"):
        await run_debate(smaller, ScriptedGateway(), events.append, continuation=continuation)
    assert events == []


# ------------------------------------------------------------------ follow-ups
async def test_a_follow_up_puts_the_earlier_question_and_answer_before_every_seat() -> None:
    spec, continuation = followup_spec(
        SPEC, parent_id="parent", question="And 6 × 8?", answer="42", consensus=True
    )
    assert spec.question == "And 6 × 8?"
    gateway = ScriptedGateway()
    script(gateway, {"ada": ("48", 0.9), "bob": ("47", 0.6), "cy": ("46", 0.5)})
    script(gateway, {"ada": ("48", 0.9), "bob": ("48", 0.8), "cy": ("48", 0.7)})

    events = await run(spec, gateway, debate_id="next", continuation=continuation)

    started = events[0]
    assert isinstance(started, DebateStarted)
    assert (started.parent_id, started.relation) == ("parent", "followup")
    for seat_id in ("ada", "bob", "cy"):
        for call in (0, 1):
            first_user = next(m for m in gateway.messages_for(seat_id, call) if m.role == "user")
            assert "> What is 6 × 7?" in first_user.content
            assert "final answer: 42 (the table agreed)" in first_user.content
            # The new question still comes after the context, where the prompt puts it.
            assert first_user.content.index("6 × 7") < first_user.content.index("6 × 8")
    assert isinstance(events[-1], DebateFinished)
    assert events[-1].final_answer == "48"


def test_a_follow_up_of_a_follow_up_carries_the_thread_and_leaves_seats_that_sat_out() -> None:
    first, _ = followup_spec(SPEC, parent_id="a", question="Q2", answer="42", consensus=True)
    forked = dataclasses.replace(first, sitting_out=("bob",))
    second, _ = followup_spec(forked, parent_id="b", question="Q3", answer=None, consensus=False)
    assert [e.question for e in second.context] == ["What is 6 × 7?", "Q2"]
    assert second.context[1].answer is None
    assert [seat.id for seat in second.active_seats] == ["ada", "cy"]
    # Bob keeps his place at the table, sitting out: every seat keeps its colour.
    assert [seat.id for seat in second.seats] == ["ada", "bob", "cy"]
    assert second.sitting_out == ("bob",)


# ------------------------------------------------------------------ resumes
async def test_a_cancelled_debate_resumes_in_place_from_its_last_complete_round() -> None:
    gateway = ScriptedGateway()
    script(gateway, {"ada": ("42", 0.9), "bob": ("41", 0.6), "cy": ("40", 0.5)})
    # Round 2: Ada finishes, Bob and Cy are still writing when the debate is stopped.
    gateway.enqueue("ada", reply(answer_text("42", 0.9)))
    gateway.enqueue("bob", ["half of a thought", Pause(30)])
    gateway.enqueue("cy", ["another half", Pause(30)])
    events: list[Event] = []
    ada_done = asyncio.Event()

    def sink(event: Event) -> None:
        events.append(event)
        if isinstance(event, TurnFinished) and event.round == 1:
            ada_done.set()

    task = asyncio.create_task(run_debate(SPEC, gateway, sink, debate_id="d"))
    await asyncio.wait_for(ada_done.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert isinstance(events[-1], DebateCancelled)
    stored = logged(events)

    plan = resume_plan(stored)
    assert plan.first_round == 1
    assert plan.through_seq == next(
        e.seq for e in stored if isinstance(e, RoundFinished) and e.round == 0
    )
    again = ScriptedGateway()
    for _ in range(2):
        script(again, {"ada": ("42", 0.9), "bob": ("42", 0.8), "cy": ("42", 0.7)})
    resumed = await run(SPEC, again, debate_id="d", continuation=plan.continuation)

    kept = [e for e in resumed if e.seq <= plan.through_seq]
    assert kept[1:] == [e for e in stored if e.seq <= plan.through_seq][1:]
    new = [e for e in resumed if e.seq > plan.through_seq]
    assert new[0].seq == plan.through_seq + 1
    assert [e.seq for e in new] == list(range(new[0].seq, new[0].seq + len(new)))
    # Round 2 is played again from the start: nothing of the partial turns survives.
    assert {e.seat_id for e in new if isinstance(e, TurnStarted) and e.round == 1} == {
        "ada",
        "bob",
        "cy",
    }
    assert all("half" not in e.text for e in new if isinstance(e, TurnFinished))
    assert again.calls_of("ada") == 1
    assert isinstance(resumed[-1], DebateFinished)
    assert resumed[-1].final_answer == "42"
    assert completed_rounds(resumed) == 2


async def test_a_debate_stopped_after_its_last_round_plays_that_round_again() -> None:
    parent = logged(await parent_debate())
    # As if the process died between the last RoundFinished and DebateFinished.
    cut = [e for e in parent if not isinstance(e, DebateFinished)]
    plan = resume_plan(cut)
    assert plan.first_round == 2
    gateway = ScriptedGateway()
    script(gateway, {"ada": ("42", 0.9), "bob": ("42", 0.8), "cy": ("42", 0.7)})
    resumed = await run(SPEC, gateway, debate_id="parent", continuation=plan.continuation)
    assert isinstance(resumed[-1], DebateFinished)
    assert resumed[-1].consensus


async def test_a_failed_seat_of_the_copied_rounds_stays_out() -> None:
    from roundtable.domain import AuthFailed

    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9)))
    gateway.enqueue("bob", [AuthFailed("key refused", seat="Bob")])
    gateway.enqueue("cy", reply(answer_text("40", 0.5)))
    script(gateway, {"ada": ("42", 0.9), "cy": ("41", 0.5)})
    script(gateway, {"ada": ("42", 0.9), "cy": ("41", 0.5)})
    parent = logged(await run(SPEC, gateway, debate_id="p"))
    assert any(isinstance(e, TurnFailed) for e in parent)

    spec, continuation = fork_spec(SPEC, parent, from_round=1)
    again = ScriptedGateway()
    script(again, {"ada": ("42", 0.9), "cy": ("42", 0.8)})
    child = await run(spec, again, continuation=continuation)
    assert again.calls_of("bob") == 0
    assert isinstance(child[-1], DebateFinished)
