"""The engine process the GUI drives: a person's turn asked for and delivered as JSON
lines, a pass, a Stop while the person types, and a fork, through a real subprocess."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from roundtable.domain import DebateSpec, Seat
from roundtable.domain.events import to_jsonable

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


class Engine:
    """A running `python -m roundtable.enginehost`, read line by line on a thread."""

    def __init__(self, db: str, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "roundtable.enginehost", "--db", db],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def send(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def wait_for(self, match: Callable[[dict[str, Any]], bool], timeout: float = STEP_S) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            message = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            self.seen.append(message)
            if match(message):
                return message

    def events(self, debate_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        return [
            m["event"]
            for m in self.seen
            if "event" in m
            and m["event"]["debate_id"] == debate_id
            and (kind is None or m["event"]["type"] == kind)
        ]


def asked(debate_id: str, round_number: int) -> Callable[[dict[str, Any]], bool]:
    return lambda m: (
        m.get("human_turn_requested", {}).get("debate_id") == debate_id
        and (m["human_turn_requested"]["round"] == round_number)
    )


def ended(debate_id: str, kind: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: (
        m.get("event", {}).get("debate_id") == debate_id and (m["event"]["type"] == kind)
    )


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Iterator[Engine]:
    """One engine for the file (its start-up imports litellm: seconds), on its own files."""
    folder = tmp_path_factory.mktemp("enginehost")
    env = {**os.environ, "ROUNDTABLE_DATA_DIR": str(folder), "ROUNDTABLE_DEMO_SPEED": "40"}
    host = Engine(str(folder / "engine.db"), env)
    try:
        host.wait_for(lambda m: m.get("ready") is True, timeout=READY_S)
        yield host
    finally:
        if host.process.poll() is None:
            host.send(cmd="shutdown")
            try:
                host.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                host.process.kill()
                host.process.wait()


@pytest.mark.slow
def test_the_gui_is_asked_for_a_persons_turns_and_can_fork_the_debate(engine: Engine) -> None:
    engine.send(cmd="start", debate_id="d1", spec=to_jsonable(SPEC))

    request = engine.wait_for(asked("d1", 0))["human_turn_requested"]
    assert (request["seat_id"], request["seat_name"]) == ("you", "You")
    assert "What is 12+17*23+4-9*14?" in request["prompt"]
    # A turn nobody asked for is refused, and the debate keeps waiting.
    engine.send(cmd="human_turn", debate_id="d1", round=0, seat_id="ada", text="hi")
    error = engine.wait_for(lambda m: "error" in m)
    assert "waiting for a person" in error["error"]
    engine.send(
        cmd="human_turn",
        debate_id="d1",
        round=0,
        seat_id="you",
        text="Products first: 391 and 126, so 280.",
        answer="280",  # nobody else says so: there will be a round 2
        confidence=0.9,
    )
    second = engine.wait_for(asked("d1", 1))["human_turn_requested"]
    assert "### Ada (answer: " in second["prompt"]  # the others' answers, to read
    assert "Your previous answer was 280" in second["prompt"]
    engine.send(cmd="human_turn", debate_id="d1", round=1, seat_id="you", text="", **{"pass": True})
    engine.wait_for(ended("d1", "DebateFinished"))

    mine = [e for e in engine.events("d1", "TurnFinished") if e["seat_id"] == "you"]
    assert mine[0]["text"] == (
        "Products first: 391 and 126, so 280.\nFinal answer: 280\nConfidence: 0.9"
    )
    assert mine[0]["answer"]["display"] == "280"
    assert mine[1]["passed"] is True

    # A fork without the person: round 1 copied, round 2 played by the two models.
    engine.send(cmd="fork", debate_id="f1", parent_id="d1", from_round=1, drop_seats=["You"])
    engine.wait_for(ended("f1", "DebateFinished"))
    started = engine.events("f1", "DebateStarted")[0]
    assert (started["parent_id"], started["forked_from_round"]) == ("d1", 1)
    assert not any(m.get("human_turn_requested", {}).get("debate_id") == "f1" for m in engine.seen)
    copied = [e["text"] for e in engine.events("f1", "TurnFinished") if e["round"] == 0]
    assert copied == [e["text"] for e in engine.events("d1", "TurnFinished") if e["round"] == 0]


@pytest.mark.slow
def test_stop_while_a_person_types_cancels_and_resume_finishes_it(engine: Engine) -> None:
    engine.send(cmd="start", debate_id="d2", spec=to_jsonable(SPEC))
    engine.wait_for(asked("d2", 0))
    engine.send(cmd="cancel", debate_id="d2")
    engine.wait_for(ended("d2", "DebateCancelled"), timeout=5)
    # The person's late answer finds nothing waiting.
    engine.send(cmd="human_turn", debate_id="d2", round=0, seat_id="you", text="14")
    assert "waiting for a person" in engine.wait_for(lambda m: "error" in m)["error"]

    # Resumed from the GUI, the same debate asks the person again and finishes.
    engine.send(cmd="resume", debate_id="d2")
    while True:
        message = engine.wait_for(
            lambda m: "human_turn_requested" in m or ended("d2", "DebateFinished")(m)
        )
        if "event" in message:
            break
        turn = message["human_turn_requested"]
        engine.send(cmd="human_turn", text="", answer="280", **{k: turn[k] for k in KEY})
    resumed = engine.events("d2")
    assert [e["type"] for e in resumed].count("DebateStarted") == 2  # shown again on resume
    assert resumed[-1]["type"] == "DebateFinished"
    engine.send(cmd="resume", debate_id="d2")
    assert "already finished" in engine.wait_for(lambda m: "error" in m)["error"]


KEY = ("debate_id", "round", "seat_id")
