"""The engine process the GUI drives: a person's turn asked for and delivered as wire
messages, a pass, a Stop while the person types, a fork, a refused follow-up, and
renames and deletes of stored debates, through a real subprocess."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from roundtable import wire
from roundtable.domain import DebateSpec, DebateStatus, Event, Seat
from roundtable.domain.continuable import not_followable
from tests.helpers.engine import EngineProcess

READY_S = 90  # litellm's import, on a busy machine
STEP_S = 30

SPEC = DebateSpec(
    # The demo models disagree on this one at first, so there is a second round.
    question="What is 12+17*23+4-9*14?",
    seats=(
        Seat("you", "You", "human"),
        Seat("ada", "Ada", "demo/ada"),
        Seat("basil", "Basil", "demo/basil"),
    ),
    max_rounds=2,
    seed=7,
)


def of_kind(engine: EngineProcess, debate_id: str, kind: str) -> list[Any]:
    """The events of `debate_id` named `kind` ("TurnFinished") the engine has sent."""
    return [e for e in engine.events(debate_id) if type(e).__name__ == kind]


def asked(debate_id: str, round_number: int) -> Callable[[wire.Reply], bool]:
    return lambda m: (
        isinstance(m, wire.HumanTurnRequested)
        and (m.debate_id, m.round) == (debate_id, round_number)
    )


def ended(debate_id: str, kind: str) -> Callable[[wire.Reply], bool]:
    return lambda m: (
        isinstance(m, wire.EventNotice)
        and m.event.debate_id == debate_id
        and type(m.event).__name__ == kind
    )


def failed(m: wire.Reply) -> bool:
    return isinstance(m, wire.CommandFailed)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Iterator[EngineProcess]:
    """One engine for the file (its start-up imports litellm: seconds), on its own files."""
    folder = tmp_path_factory.mktemp("enginehost")
    env = {**os.environ, "ROUNDTABLE_DATA_DIR": str(folder), "ROUNDTABLE_DEMO_SPEED": "40"}
    host = EngineProcess(folder / "engine.db", env)
    try:
        host.next_reply(lambda m: isinstance(m, wire.Ready), timeout=READY_S, what="Ready")
        yield host
    finally:
        host.stop()


@pytest.mark.slow
def test_the_gui_is_asked_for_a_persons_turns_and_can_fork_the_debate(
    engine: EngineProcess,
) -> None:
    engine.send(wire.StartDebate(debate_id="d1", spec=SPEC))

    request = engine.next_reply(asked("d1", 0), timeout=STEP_S)
    assert (request.seat_id, request.seat_name) == ("you", "You")
    assert "What is 12+17*23+4-9*14?" in request.prompt
    # A turn nobody asked for is refused, and the debate keeps waiting.
    engine.send(wire.HumanTurn(debate_id="d1", round=0, seat_id="ada", text="hi"))
    error = engine.next_reply(failed, timeout=STEP_S)
    assert "waiting for a person" in error.message
    assert (error.debate_id, error.command) == ("d1", "human_turn")
    engine.send(
        wire.HumanTurn(
            debate_id="d1",
            round=0,
            seat_id="you",
            text="Products first: 391 and 126, so 280.",
            answer="280",  # nobody else says so: there will be a round 2
            confidence=0.9,
        )
    )
    second = engine.next_reply(asked("d1", 1), timeout=STEP_S)
    assert "### Ada (answer: " in second.prompt  # the others' answers, to read
    assert "Your previous answer was 280" in second.prompt
    engine.send(wire.HumanTurn(debate_id="d1", round=1, seat_id="you", passed=True))
    engine.next_reply(ended("d1", "DebateFinished"), timeout=STEP_S)

    mine = [e for e in of_kind(engine, "d1", "TurnFinished") if e.seat_id == "you"]
    assert mine[0].text == (
        "Products first: 391 and 126, so 280.\nFinal answer: 280\nConfidence: 0.9"
    )
    assert mine[0].answer.display == "280"
    assert mine[1].passed is True

    # A fork without the person: round 1 copied, round 2 played by the two models.
    engine.send(wire.ForkDebate(debate_id="f1", parent_id="d1", from_round=1, drop_seats=("You",)))
    engine.next_reply(ended("f1", "DebateFinished"), timeout=STEP_S)
    started = of_kind(engine, "f1", "DebateStarted")[0]
    assert (started.parent_id, started.forked_from_round) == ("d1", 1)
    assert not any(
        isinstance(m, wire.HumanTurnRequested) and m.debate_id == "f1" for m in engine.replies
    )
    copied = [e.text for e in of_kind(engine, "f1", "TurnFinished") if e.round == 0]
    assert copied == [e.text for e in of_kind(engine, "d1", "TurnFinished") if e.round == 0]


@pytest.mark.slow
def test_stop_while_a_person_types_cancels_and_resume_finishes_it(engine: EngineProcess) -> None:
    engine.send(wire.StartDebate(debate_id="d2", spec=SPEC))
    engine.next_reply(asked("d2", 0), timeout=STEP_S)
    engine.send(wire.CancelDebate(debate_id="d2"))
    engine.next_reply(ended("d2", "DebateCancelled"), timeout=5)
    # The person's late answer finds nothing waiting.
    engine.send(wire.HumanTurn(debate_id="d2", round=0, seat_id="you", text="14"))
    assert "waiting for a person" in engine.next_reply(failed, timeout=STEP_S).message

    # Resumed from the GUI, the same debate asks the person again and finishes.
    engine.send(wire.ResumeDebate(debate_id="d2"))
    while True:
        message = engine.next_reply(
            lambda m: isinstance(m, wire.HumanTurnRequested) or ended("d2", "DebateFinished")(m),
            timeout=STEP_S,
        )
        if isinstance(message, wire.EventNotice):
            break
        engine.send(
            wire.HumanTurn(
                debate_id=message.debate_id,
                round=message.round,
                seat_id=message.seat_id,
                answer="280",
            )
        )
    resumed: list[Event] = engine.events("d2")
    assert [type(e).__name__ for e in resumed].count("DebateStarted") == 2  # shown again
    assert type(resumed[-1]).__name__ == "DebateFinished"
    engine.send(wire.ResumeDebate(debate_id="d2"))
    assert "already finished" in engine.next_reply(failed, timeout=STEP_S).message


@pytest.mark.slow
def test_a_follow_up_of_a_stopped_debate_is_refused_in_the_terminals_words(
    engine: EngineProcess,
) -> None:
    engine.send(wire.StartDebate(debate_id="d4", spec=SPEC))
    engine.next_reply(asked("d4", 0), timeout=STEP_S)
    engine.send(wire.CancelDebate(debate_id="d4"))
    engine.next_reply(ended("d4", "DebateCancelled"), timeout=5)
    engine.send(wire.FollowUpDebate(debate_id="u4", parent_id="d4", question="And 2+2?"))
    refusal = engine.next_reply(failed, timeout=STEP_S)
    assert refusal.message == not_followable("d4", DebateStatus.CANCELLED)
    assert (refusal.debate_id, refusal.command) == ("u4", "followup")


@pytest.mark.slow
def test_the_engine_renames_and_deletes_and_refuses_a_running_debate(engine: EngineProcess) -> None:
    engine.send(wire.StartDebate(debate_id="d3", spec=SPEC))
    engine.next_reply(asked("d3", 0), timeout=STEP_S)  # running, and waiting for the person
    engine.send(wire.RenameDebate(debate_id="d3", title="Mine"))
    refused = engine.next_reply(failed, timeout=STEP_S)
    assert "still running" in refused.message
    assert (refused.debate_id, refused.command) == ("d3", "rename")
    engine.send(wire.CancelDebate(debate_id="d3"))
    engine.next_reply(ended("d3", "DebateCancelled"), timeout=5)

    engine.send(wire.RenameDebate(debate_id="d3", title="  Arithmetic,\n  by hand "))
    renamed = engine.next_reply(lambda m: isinstance(m, wire.DebateRenamed), timeout=STEP_S)
    assert renamed == wire.DebateRenamed(debate_id="d3", title="Arithmetic, by hand")
    engine.send(wire.DeleteDebate(debate_id="d3"))
    assert (
        engine.next_reply(lambda m: isinstance(m, wire.DebateDeleted), timeout=STEP_S).debate_id
        == "d3"
    )
    engine.send(wire.DeleteDebate(debate_id="d3"))
    gone = engine.next_reply(failed, timeout=STEP_S)
    assert "no debate with id 'd3'" in gone.message
    assert gone.command == "delete"


@pytest.mark.slow
def test_a_line_that_is_not_a_command_is_answered_and_the_engine_goes_on(
    engine: EngineProcess,
) -> None:
    assert engine.process.stdin is not None
    engine.process.stdin.write(b'{"type": "explode", "debate_id": "x"}\n')
    engine.process.stdin.flush()
    assert "unknown command type 'explode'" in engine.next_reply(failed, timeout=STEP_S).message
    engine.send(wire.ResumeDebate(debate_id="nowhere"))
    assert "no debate with id" in engine.next_reply(failed, timeout=STEP_S).message


@pytest.mark.slow
def test_a_gui_of_another_protocol_version_is_told_so_and_the_engine_exits(tmp_path) -> None:
    env = {**os.environ, "ROUNDTABLE_DATA_DIR": str(tmp_path)}
    other = EngineProcess(
        tmp_path / "other.db", env, hello=b'{"type":"hello","protocol_version":0}'
    )
    try:
        other.next_reply(lambda m: isinstance(m, wire.Ready), timeout=READY_S)
        refusal = other.next_reply(lambda m: isinstance(m, wire.EngineFailed), timeout=STEP_S)
        assert isinstance(refusal, wire.EngineFailed)
        assert "different versions" in refusal.message
        assert other.process.wait(timeout=STEP_S) == 0
    finally:
        other.stop()


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX scheduling priorities")
def test_the_engine_steps_back_when_the_window_wants_the_cpu(engine: EngineProcess) -> None:
    # Both want the CPU at a round's boundary; a frame the window misses is what a
    # user sees, a few ms later for the engine's next batch is not.
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    theirs = os.getpriority(os.PRIO_PROCESS, engine.process.pid)

    assert theirs == min(ours + 5, 19)
