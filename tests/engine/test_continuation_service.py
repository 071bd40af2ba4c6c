"""The continuation service: one plan, and one refusal per case, for the terminal and the app."""

from __future__ import annotations

import pytest

from roundtable.domain import (
    ConfigError,
    DebateFinished,
    DebateStarted,
    DebateStatus,
    Event,
    RoundFinished,
    Seat,
)
from roundtable.domain.continuable import not_followable, not_resumable
from roundtable.engine.continuation_service import (
    StoredDebate,
    plan_followup,
    plan_fork,
    plan_resume,
)
from roundtable.storage import Recorder, load_debate, load_events, open_database
from tests.engine.scripted import ScriptedGateway
from tests.engine.test_continue import SPEC, logged, parent_debate, run, script


async def stored(status: DebateStatus, *, cut_after_round: int | None = None) -> StoredDebate:
    """The three-round parent debate as storage would hand it over."""
    events = logged(await parent_debate())
    if cut_after_round is not None:
        last = max(
            i
            for i, e in enumerate(events)
            if isinstance(e, RoundFinished) and e.round == cut_after_round
        )
        events = events[: last + 1]
    final = events[-1]
    answer = final.final_answer if isinstance(final, DebateFinished) else None
    return StoredDebate("parent", status, SPEC, tuple(events), final_answer=answer)


async def test_a_fork_plan_names_its_parent_and_runs_from_the_round_asked() -> None:
    parent = await stored(DebateStatus.FINISHED)

    plan = plan_fork(parent, from_round=1, drop=["Cy"], add=[Seat("", "Dex", "demo/dex")])

    assert (plan.continuation.parent_id, plan.continuation.forked_from_round) == ("parent", 1)
    assert (plan.debate_id, plan.recorded_through, plan.first_round) == (None, None, 1)
    assert plan.spec.sitting_out == ("cy",)
    gateway = ScriptedGateway()
    for _ in range(2):
        script(gateway, {"ada": ("42", 0.9), "bob": ("42", 0.8), "dex": ("42", 0.7)})
    child = await run(plan.spec, gateway, debate_id="child", continuation=plan.continuation)
    started = child[0]
    assert isinstance(started, DebateStarted)
    assert (started.parent_id, started.relation) == ("parent", "fork")


async def test_a_fork_of_a_round_that_never_completed_is_refused() -> None:
    parent = await stored(DebateStatus.INTERRUPTED, cut_after_round=0)
    with pytest.raises(ConfigError, match="Cannot fork from round 3: the debate has 1 complete"):
        plan_fork(parent, from_round=2)


async def test_a_follow_up_plan_carries_the_question_and_the_parents_answer() -> None:
    parent = await stored(DebateStatus.FINISHED)

    plan = plan_followup(parent, "  And doubled?  ")

    assert plan.spec.question == "And doubled?"
    (exchange,) = plan.spec.context
    assert (exchange.debate_id, exchange.answer) == ("parent", parent.final_answer)
    assert (plan.continuation.parent_id, plan.continuation.relation) == ("parent", "followup")


@pytest.mark.parametrize(
    "status",
    [DebateStatus.CANCELLED, DebateStatus.INTERRUPTED, DebateStatus.RUNNING, DebateStatus.FAILED],
)
async def test_only_a_finished_debate_is_followed_up(status: DebateStatus) -> None:
    parent = await stored(status, cut_after_round=0)
    with pytest.raises(ConfigError) as refused:
        plan_followup(parent, "And doubled?")
    assert str(refused.value) == not_followable("parent", status)


async def test_an_empty_follow_up_question_is_refused() -> None:
    parent = await stored(DebateStatus.FINISHED)
    with pytest.raises(ConfigError, match="question is empty"):
        plan_followup(parent, "   ")


async def test_a_resume_plan_keeps_the_id_and_the_complete_rounds() -> None:
    debate = await stored(DebateStatus.INTERRUPTED, cut_after_round=1)

    plan = plan_resume(debate)

    assert (plan.debate_id, plan.first_round, plan.in_place) == ("parent", 2, True)
    assert plan.recorded_through == debate.events[-1].seq
    assert plan.spec == SPEC


@pytest.mark.parametrize(
    "status", [DebateStatus.FINISHED, DebateStatus.RUNNING, DebateStatus.FAILED]
)
async def test_only_a_stopped_debate_is_resumed(status: DebateStatus) -> None:
    debate = await stored(status)
    with pytest.raises(ConfigError) as refused:
        plan_resume(debate)
    assert str(refused.value) == not_resumable("parent", status)


async def test_a_stored_debate_is_read_from_what_storage_loads(tmp_path) -> None:
    events: list[Event] = logged(await parent_debate())
    database = open_database(tmp_path / "t.db")
    recorder = Recorder(database)
    try:
        for event in events:
            recorder(event)
        recorder.close()
        debate = StoredDebate.of(load_debate(database, "parent"), load_events(database, "parent"))
    finally:
        database.close()

    final = events[-1]
    assert isinstance(final, DebateFinished)
    assert (debate.id, debate.status, debate.final_answer, debate.consensus) == (
        "parent",
        DebateStatus.FINISHED,
        final.final_answer,
        final.consensus,
    )
    assert debate.events == tuple(events)
    assert plan_fork(debate, from_round=2).first_round == 2
