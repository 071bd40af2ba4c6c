"""The bridge to the engine child process, against a real engine and a scripted fake.

The real engine imports litellm (several seconds), so one client is shared by the
tests that need it, in file order: a whole demo debate, a cancel, a bad spec, and
last a crash with its restart. The scripted fake (a few lines of Python in a child
process) covers the protocol's corners quickly: lines split across reads, crash
loops, a program that cannot start, an engine of another protocol version.
"""

from __future__ import annotations

import sys
import textwrap

import pytest
from PySide6.QtCore import QProcess

from roundtable import wire
from roundtable.domain import (
    DebateCancelled,
    DebateFinished,
    DebateInterrupted,
    DebateSpec,
    DebateStarted,
    Seat,
)
from roundtable.gui.live.engine_client import EngineClient

DEMO_SEATS = (Seat("ada", "Ada", "demo/ada"), Seat("basil", "Basil", "demo/basil"))
#: Long enough to cancel or kill mid-way at the demo speed set below.
LONG_QUESTION = "What is 12+17*23+4-9*14?"
ENGINE_READY_MS = 60_000


class Recorder:
    """Collects what a client reports, per debate."""

    def __init__(self, client: EngineClient) -> None:
        self.events: list[object] = []
        self.errors: list[tuple[str, object]] = []
        self.crashes: list[str] = []
        self.readies = 0
        client.event_received.connect(self.events.append)
        client.error_reported.connect(lambda m, d: self.errors.append((m, d)))
        client.crashed.connect(self.crashes.append)
        client.ready.connect(self._ready)

    def _ready(self) -> None:
        self.readies += 1

    def of(self, debate_id: str) -> list[object]:
        return [e for e in self.events if getattr(e, "debate_id", None) == debate_id]


@pytest.fixture(scope="module")
def engine(qapp, tmp_path_factory):
    """One real engine for the module, on its own database, demo models slowed a little."""
    mp = pytest.MonkeyPatch()
    # The child inherits the environment when it starts (and when it restarts).
    mp.setenv("ROUNDTABLE_DEMO_SPEED", "12")
    mp.setenv("ROUNDTABLE_DATA_DIR", str(tmp_path_factory.mktemp("engine-data")))
    db = tmp_path_factory.mktemp("engine-db") / "roundtable.db"
    client = EngineClient(db)
    recorder = Recorder(client)
    client.start()
    yield client, recorder
    client.shutdown()
    mp.undo()


def spec(question: str = LONG_QUESTION, rounds: int = 3) -> DebateSpec:
    return DebateSpec(question=question, seats=DEMO_SEATS, max_rounds=rounds, seed=3)


@pytest.mark.slow
def test_a_demo_debate_arrives_in_order_and_finishes(engine, qtbot):
    client, seen = engine
    debate_id = client.start_debate(spec())  # sent at once: the engine buffers it
    assert client.running_debates == (debate_id,)
    qtbot.waitUntil(lambda: client.is_ready, timeout=ENGINE_READY_MS)
    qtbot.waitUntil(
        lambda: any(isinstance(e, DebateFinished) for e in seen.of(debate_id)), timeout=30_000
    )
    events = seen.of(debate_id)
    assert [e.seq for e in events] == list(range(len(events)))
    assert isinstance(events[0], DebateStarted)
    assert events[0].spec.seats == DEMO_SEATS
    assert isinstance(events[-1], DebateFinished)
    assert events[-1].final_answer is not None
    assert client.running_debates == ()
    assert seen.errors == []
    assert seen.crashes == []


@pytest.mark.slow
def test_cancel_ends_the_debate_where_it_is(engine, qtbot):
    client, seen = engine
    qtbot.waitUntil(lambda: client.is_ready, timeout=ENGINE_READY_MS)
    debate_id = client.start_debate(spec())
    qtbot.waitUntil(lambda: len(seen.of(debate_id)) >= 3, timeout=10_000)
    client.cancel(debate_id)
    # Order and outcome, not speed: a loaded machine may take its time.
    qtbot.waitUntil(
        lambda: any(isinstance(e, DebateCancelled) for e in seen.of(debate_id)), timeout=10_000
    )
    events = seen.of(debate_id)
    assert isinstance(events[-1], DebateCancelled)
    assert not any(isinstance(e, DebateFinished) for e in events)
    assert debate_id not in client.running_debates


@pytest.mark.slow
def test_a_bad_spec_comes_back_as_an_error_for_that_debate(engine, qtbot):
    client, _seen = engine
    qtbot.waitUntil(lambda: client.is_ready, timeout=ENGINE_READY_MS)
    with qtbot.waitSignal(client.error_reported, timeout=5000) as blocker:
        debate_id = client.start_debate(DebateSpec(question="   ", seats=DEMO_SEATS))
    message, failed_id = blocker.args
    assert failed_id == debate_id
    assert "question is empty" in message
    assert debate_id not in client.running_debates


@pytest.mark.slow
def test_renames_and_deletes_are_done_by_the_engine_and_confirmed(engine, qtbot):
    client, _seen = engine
    qtbot.waitUntil(lambda: client.is_ready, timeout=ENGINE_READY_MS)
    with qtbot.waitSignal(client.event_received, timeout=30_000, check_params_cb=ended):
        debate_id = client.start_debate(spec("2+2?", rounds=1))
    with qtbot.waitSignal(client.debate_renamed, timeout=5000) as renamed:
        client.rename_debate(debate_id, "  Sums\n for beginners ")
    assert renamed.args == [debate_id, "Sums for beginners"]  # as stored
    with qtbot.waitSignal(client.debate_deleted, timeout=5000) as deleted:
        client.delete_debate(debate_id)
    assert deleted.args == [debate_id]
    with qtbot.waitSignal(client.history_edit_refused, timeout=5000) as refused:
        client.rename_debate(debate_id, "Gone")
    assert refused.args == [debate_id, f"no debate with id {debate_id!r}"]


def ended(event: object) -> bool:
    return isinstance(event, DebateFinished)


@pytest.mark.slow
def test_a_killed_engine_is_reported_interrupts_its_debate_and_restarts(engine, qtbot):
    client, seen = engine
    qtbot.waitUntil(lambda: client.is_ready, timeout=ENGINE_READY_MS)
    readies = seen.readies
    debate_id = client.start_debate(spec())
    qtbot.waitUntil(lambda: len(seen.of(debate_id)) >= 3, timeout=10_000)
    last_seq = seen.of(debate_id)[-1].seq
    with qtbot.waitSignal(client.crashed, timeout=5000) as blocker:
        client.process.kill()
    assert "stopped unexpectedly" in blocker.args[0]
    assert "Restarting" in blocker.args[0]
    ended = seen.of(debate_id)[-1]
    assert isinstance(ended, DebateInterrupted)
    assert ended.seq > last_seq
    assert [e.seq for e in seen.of(debate_id)] == list(range(len(seen.of(debate_id))))
    assert client.running_debates == ()
    assert not client.is_ready
    qtbot.waitUntil(lambda: seen.readies == readies + 1, timeout=ENGINE_READY_MS)
    assert client.is_ready


# ------------------------------------------------------------------ a scripted fake engine
FAKE_ENGINE = textwrap.dedent(
    """
    import json, sys, time
    # The ready line arrives in two pieces, as a pipe may deliver it.
    sys.stdout.write('{"type": "ready", "protocol_version": VERSION, "pid": 1, ')
    sys.stdout.flush()
    time.sleep(0.05)
    sys.stdout.write('"interrupted": ["old-1"]}\\n')
    sys.stdout.flush()
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["type"] == "shutdown":
            break
        if cmd["type"] == "start":
            event = {"type": "DebateStarted", "debate_id": cmd["debate_id"], "seq": 0,
                     "at": "2026-11-20T09:30:00+00:00", "spec": cmd["spec"]}
            print("not json at all", flush=True)
            print(json.dumps({"type": "event", "event": event}), flush=True)
            print("partial", end="", file=sys.stderr, flush=True)
            print(json.dumps({"type": "engine_failed", "message": "disk full"}), flush=True)
            sys.exit(3)
    """
).replace("VERSION", str(wire.PROTOCOL_VERSION))


def fake_client(**kwargs) -> EngineClient:
    return EngineClient(command=[sys.executable, "-c", FAKE_ENGINE], **kwargs)


def test_split_lines_are_joined_and_a_crash_names_the_last_error(qtbot):
    client = fake_client(max_restarts=1)
    seen = Recorder(client)
    with qtbot.waitSignal(client.debates_interrupted, timeout=10_000) as blocker:
        client.start()
    assert blocker.args == [["old-1"]]
    assert client.is_ready
    with qtbot.waitSignal(client.crashed, timeout=10_000) as crash:
        debate_id = client.start_debate(spec())
    message = crash.args[0]
    assert "exit code 3" in message
    assert "disk full" in message
    assert "interrupted" in message
    kinds = [type(e).__name__ for e in seen.of(debate_id)]
    assert kinds == ["DebateStarted", "DebateInterrupted"]  # the junk line was skipped
    assert seen.of(debate_id)[-1].seq == 1
    assert seen.errors == [("disk full", None)]
    assert client.running_debates == ()
    qtbot.waitUntil(lambda: seen.readies == 2, timeout=10_000)
    client.shutdown()
    assert client.process.state() == QProcess.ProcessState.NotRunning


def test_an_engine_that_keeps_crashing_is_given_up_on(qtbot):
    client = EngineClient(command=[sys.executable, "-c", "import sys; sys.exit(5)"], max_restarts=2)
    seen = Recorder(client)
    client.start()
    qtbot.waitUntil(lambda: len(seen.crashes) == 3, timeout=15_000)
    assert "Restarting" in seen.crashes[0]
    assert "will not restart it again" in seen.crashes[-1]
    assert client.process is None
    with qtbot.waitSignal(client.error_reported, timeout=1000) as blocker:
        debate_id = client.start_debate(spec())
    assert blocker.args == [
        "The debate engine is not running. Restart Roundtable to start debates.",
        debate_id,
    ]


def test_a_program_that_cannot_start_is_reported(qtbot):
    client = EngineClient(command=["/nonexistent/python-for-roundtable"], max_restarts=0)
    with qtbot.waitSignal(client.crashed, timeout=5000) as blocker:
        client.start()
    assert "could not be started" in blocker.args[0]
    assert "will not restart" in blocker.args[0]


def test_an_engine_of_another_protocol_version_is_refused_and_not_restarted(qtbot):
    other = 'print(\'{"type": "ready", "protocol_version": 0, "pid": 1}\', flush=True); input()'
    client = EngineClient(command=[sys.executable, "-c", other])
    seen = Recorder(client)
    with qtbot.waitSignal(client.crashed, timeout=10_000) as blocker:
        client.start()
    assert "different versions" in blocker.args[0]
    assert "start it again" in blocker.args[0]
    assert "Restarting" not in blocker.args[0]
    assert seen.readies == 0
    assert not client.is_ready
    with qtbot.waitSignal(client.error_reported, timeout=1000) as refused:
        debate_id = client.start_debate(spec())
    assert "different versions" in refused.args[0]
    assert refused.args[1] == debate_id
    assert len(seen.crashes) == 1


def test_the_first_line_the_engine_reads_is_the_handshake(qtbot, tmp_path):
    # The fake writes what it reads to a file, then stops at the shutdown.
    heard = tmp_path / "heard.jsonl"
    script = (
        "import sys\n"
        f"out = open({str(heard)!r}, 'w')\n"
        "for line in sys.stdin:\n"
        "    out.write(line); out.flush()\n"
        "    if '\"shutdown\"' in line: break\n"
    )
    client = EngineClient(command=[sys.executable, "-c", script])
    debate_id = client.start_debate(spec())  # before the process exists: buffered
    client.start()
    client.cancel(debate_id)
    qtbot.waitUntil(lambda: client.process.state() == QProcess.ProcessState.Running)
    client.shutdown()
    commands = [wire.decode_command(line) for line in heard.read_bytes().splitlines()]
    assert commands == [
        wire.Hello(),
        wire.StartDebate(debate_id=debate_id, spec=spec()),
        wire.CancelDebate(debate_id=debate_id),
        wire.Shutdown(),
    ]


def test_commands_for_a_persons_turn_a_fork_and_a_follow_up_are_typed(qtbot):
    client = EngineClient(command=["unused"])
    sent: list[wire.Command] = []
    client._send = sent.append  # type: ignore[method-assign]
    request = wire.HumanTurnRequested(
        debate_id="d", round=1, seat_id="you", seat_name="You", question="Q?", prompt="Q?"
    )
    with qtbot.waitSignal(client.human_turn_requested) as asked:
        client._handle_line(wire.encode(request))
    assert asked.args == [request]
    client.send_human_turn("d", 1, "you", "It is 5.\nFinal answer: 5")
    client.send_human_turn("d", 2, "you", "pass")
    new = Seat(id="ollie", name="Ollie", model="demo/ollie")
    fork_id = client.fork_debate("d", 2, add_seats=[new], drop_seats=["linus"])
    follow_id = client.followup("d", "And in euros?")
    assert sent == [
        wire.HumanTurn(debate_id="d", round=1, seat_id="you", text="It is 5.\nFinal answer: 5"),
        wire.HumanTurn(debate_id="d", round=2, seat_id="you", text="", passed=True),
        wire.ForkDebate(
            debate_id=fork_id,
            parent_id="d",
            from_round=2,
            add_seats=(new,),
            drop_seats=("linus",),
        ),
        wire.FollowUpDebate(debate_id=follow_id, parent_id="d", question="And in euros?"),
    ]
    assert set(client.running_debates) == {fork_id, follow_id}


def test_a_rename_or_delete_with_no_engine_left_is_refused_not_lost(qtbot):
    client = EngineClient(command=["/nonexistent/python-for-roundtable"], max_restarts=0)
    with qtbot.waitSignal(client.crashed, timeout=5000):
        client.start()
    with qtbot.waitSignal(client.history_edit_refused, timeout=2000) as refused:
        client.rename_debate("d1", "A better title")
    assert refused.args[0] == "d1"
    assert "not running" in refused.args[1]
    with qtbot.waitSignal(client.history_edit_refused, timeout=2000) as refused:
        client.delete_debate("d2")
    assert refused.args[0] == "d2"


def test_an_edit_in_flight_when_the_engine_dies_is_refused(qtbot):
    # An engine that reads the hello and one command, and dies without answering.
    script = "import sys; sys.stdin.readline(); sys.stdin.readline(); sys.exit(4)"
    client = EngineClient(command=[sys.executable, "-c", script], max_restarts=0)
    client.start()
    with qtbot.waitSignal(client.history_edit_refused, timeout=10_000) as refused:
        client.rename_debate("d1", "New title")
    assert refused.args == [
        "d1",
        "The debate engine stopped; this change may not have been stored.",
    ]


def test_a_refused_answer_from_a_person_leaves_the_debate_running(qtbot):
    client = EngineClient(command=["unused"])
    sent: list[wire.Command] = []
    client._send = sent.append  # type: ignore[method-assign]
    debate_id = client.start_debate(spec())
    refusal = wire.CommandFailed(
        message="That turn was already answered.", debate_id=debate_id, command="human_turn"
    )
    with qtbot.waitSignal(client.error_reported) as reported:
        client._handle_line(wire.encode(refusal))
    assert reported.args == ["That turn was already answered.", None]
    assert client.running_debates == (debate_id,)
    client.cancel(debate_id)  # Stop still reaches it
    assert sent[-1] == wire.CancelDebate(debate_id=debate_id)
