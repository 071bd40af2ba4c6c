"""Stored links between debates (forks both ways, follow-up threads) and reopening a
stopped debate for `resume`."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from roundtable.domain import (
    ConfigError,
    DebateSpec,
    DebateStatus,
    Event,
    Seat,
    TurnDelta,
    TurnStatus,
)
from roundtable.engine import run_debate
from roundtable.engine.continuation import followup_spec, fork_spec, resume_plan
from roundtable.storage import (
    Database,
    Recorder,
    delete_debate,
    load_debate,
    load_events,
)
from roundtable.storage.links import debate_links, followup_thread
from roundtable.storage.reopen import reopen_debate
from tests.engine.scripted import Pause, ScriptedGateway, answer_text, reply

SEATS = (Seat("ada", "Ada", "demo/ada"), Seat("bob", "Bob", "demo/bob"))
SPEC = DebateSpec(question="What is 6 × 7?", seats=SEATS, max_rounds=2, seed=1)


def agreeing_gateway(rounds: int = 2, answer: str = "42") -> ScriptedGateway:
    gateway = ScriptedGateway()
    for _ in range(rounds):
        gateway.enqueue("ada", reply(answer_text(answer, 0.9)))
        gateway.enqueue("bob", reply(answer_text(answer, 0.8)))
    return gateway


async def record(db: Database, spec: DebateSpec, debate_id: str, **kwargs: object) -> None:
    recorder = Recorder(db)
    try:
        await run_debate(
            spec,
            kwargs.pop("gateway", None) or agreeing_gateway(),  # type: ignore[arg-type]
            recorder,
            debate_id=debate_id,
            **kwargs,  # type: ignore[arg-type]
        )
    finally:
        recorder.close()


async def fork_of(db: Database, parent_id: str, child_id: str, from_round: int) -> None:
    spec, continuation = fork_spec(
        load_debate(db, parent_id).spec, load_events(db, parent_id), from_round=from_round
    )
    continuation = dataclasses.replace(continuation, parent_id=parent_id)
    await record(db, spec, child_id, continuation=continuation)


async def followup_of(db: Database, parent_id: str, child_id: str, question: str) -> None:
    parent = load_debate(db, parent_id)
    spec, continuation = followup_spec(
        parent.spec,
        parent_id=parent_id,
        question=question,
        answer=parent.summary.final_answer,
        consensus=parent.summary.consensus,
    )
    await record(db, spec, child_id, continuation=continuation)


async def test_parent_and_forks_link_to_each_other(db: Database) -> None:
    await record(db, SPEC, "parent")
    await fork_of(db, "parent", "fork-a", 1)
    await fork_of(db, "parent", "fork-b", 0)

    parent, children = debate_links(db, "parent")
    assert parent is None
    assert [(c.summary.id, c.relation) for c in children] == [
        ("fork-a", "fork"),
        ("fork-b", "fork"),
    ]
    assert [c.summary.forked_from_round for c in children] == [1, 0]

    up, down = debate_links(db, "fork-a")
    assert up is not None
    assert (up.summary.id, up.relation) == ("parent", "fork")
    assert down == ()
    child = load_debate(db, "fork-a")
    assert child.summary.parent_id == "parent"
    # The copied round is stored in the fork as the parent has it.
    assert [(t.seat_id, t.text, t.answer) for t in child.turns if t.round == 0] == [
        (t.seat_id, t.text, t.answer) for t in load_debate(db, "parent").turns if t.round == 0
    ]


async def test_a_follow_up_thread_reads_oldest_first_from_any_of_its_debates(
    db: Database,
) -> None:
    await record(db, SPEC, "q1")
    await followup_of(db, "q1", "q2", "And 6 × 8?")
    await followup_of(db, "q2", "q3", "And 6 × 9?")
    await fork_of(db, "q2", "q2-fork", 1)  # a fork is no step of the thread

    for member in ("q1", "q2", "q3"):
        thread = followup_thread(db, member)
        assert [link.summary.id for link in thread] == ["q1", "q2", "q3"]
    assert [link.relation for link in followup_thread(db, "q3")][1:] == ["followup", "followup"]
    parent, children = debate_links(db, "q2")
    assert parent is not None
    assert (parent.summary.id, parent.relation) == ("q1", "followup")
    assert {(c.summary.id, c.relation) for c in children} == {
        ("q3", "followup"),
        ("q2-fork", "fork"),
    }
    assert [link.summary.id for link in followup_thread(db, "q2-fork")] == ["q2-fork"]
    assert followup_thread(db, "nope") == []


async def test_deleting_a_parent_leaves_its_fork_unlinked(db: Database) -> None:
    await record(db, SPEC, "parent")
    await fork_of(db, "parent", "child", 1)
    delete_debate(db, "parent")
    assert debate_links(db, "child") == (None, ())
    assert load_debate(db, "child").summary.parent_id is None


# ---------------------------------------------------------------- reopening for resume
async def stopped_debate(db: Database) -> list[Event]:
    """Round 1 complete, round 2 stopped while both seats were writing."""
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9)))
    gateway.enqueue("bob", reply(answer_text("41", 0.6)))
    for seat_id in ("ada", "bob"):
        gateway.enqueue(seat_id, ["partial words", Pause(30)])
    recorder = Recorder(db, checkpoint_s=0.0)
    deltas = asyncio.Event()

    def sink(event: Event) -> None:
        recorder(event)
        if isinstance(event, TurnDelta) and event.round == 1:
            deltas.set()

    task = asyncio.create_task(run_debate(SPEC, gateway, sink, debate_id="d"))
    await asyncio.wait_for(deltas.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    recorder.close()
    return load_events(db, "d")


async def test_reopening_cuts_a_stopped_debate_back_to_its_last_complete_round(
    db: Database,
) -> None:
    events = await stopped_debate(db)
    before = load_debate(db, "d")
    assert before.summary.status is DebateStatus.CANCELLED
    assert {t.status for t in before.turns if t.round == 1} == {TurnStatus.CANCELLED}

    plan = resume_plan(events)
    reopen_debate(db, "d", through_seq=plan.through_seq, rounds=plan.first_round)

    after = load_debate(db, "d")
    assert after.summary.status is DebateStatus.RUNNING
    assert after.summary.status_detail is None
    assert after.summary.rounds_done == 1
    assert [t.round for t in after.turns] == [0, 0]  # the partial turns are gone
    assert after.turns == tuple(t for t in before.turns if t.round == 0)
    assert after.summary.total_tokens == sum(t.usage.total_tokens for t in after.turns)
    assert [e.seq for e in load_events(db, "d")][-1] == plan.through_seq


async def test_only_a_stopped_debate_can_be_reopened(db: Database) -> None:
    await record(db, SPEC, "done")
    with pytest.raises(ConfigError, match="already finished; use fork"):
        reopen_debate(db, "done", through_seq=0, rounds=0)
    with pytest.raises(ConfigError, match="no debate"):
        reopen_debate(db, "missing", through_seq=0, rounds=0)
    await stopped_debate(db)
    plan = resume_plan(load_events(db, "d"))
    reopen_debate(db, "d", through_seq=plan.through_seq, rounds=plan.first_round)
    with pytest.raises(ConfigError, match="still running"):
        reopen_debate(db, "d", through_seq=plan.through_seq, rounds=plan.first_round)
