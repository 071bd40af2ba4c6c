"""The engine as a long-lived child process of the GUI (DESIGN.md).

The GUI never imports litellm and never shares its interpreter with the engine: it
starts `python -m roundtable.enginehost --db URL` once, writes commands to its stdin and
reads replies from its stdout, one JSON line each, as `roundtable.wire` defines them.

Once warm (litellm loaded) the engine prints `Ready`; then it carries out each command
and prints every event of every debate, a `HumanTurnRequested` when a person's seat is
to speak, a confirmation of each rename and delete, and a `CommandFailed` for a command
it could not carry out.

This process is the single writer of the database, renames and deletes included; the
GUI only reads it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO, assert_never

from roundtable import wire
from roundtable.domain import ConfigError, DebateSpec, Event, RoundtableError

if TYPE_CHECKING:
    from roundtable.engine.continuation import Continuation
    from roundtable.engine.continuation_service import StoredDebate
    from roundtable.engine.human import HumanReply, HumanTurnRequest

#: (debate id, round, seat id): one turn of a person.
_TurnKey = tuple[str, int, str]
#: The commands that can be refused (a refusal is answered with `CommandFailed`).
_Refusable = (
    wire.ForkDebate
    | wire.FollowUpDebate
    | wire.ResumeDebate
    | wire.HumanTurn
    | wire.RenameDebate
    | wire.DeleteDebate
)


class GuiHumanInput:
    """A person's turns come from the GUI: `ask` sends `HumanTurnRequested` and waits
    for `deliver` to be called with the matching `HumanTurn` command."""

    def __init__(self, send: Callable[[wire.Reply], None]) -> None:
        self._send = send
        self._waiting: dict[_TurnKey, asyncio.Future[HumanReply]] = {}

    async def ask(self, request: HumanTurnRequest) -> HumanReply:
        key = (request.debate_id, request.round, request.seat.id)
        future: asyncio.Future[HumanReply] = asyncio.get_running_loop().create_future()
        self._waiting[key] = future
        self._send(
            wire.HumanTurnRequested(
                debate_id=request.debate_id,
                round=request.round,
                seat_id=request.seat.id,
                seat_name=request.seat.name,
                question=request.question,
                prompt=request.prompt,
            )
        )
        try:
            return await future  # cancelled with the debate
        finally:
            self._waiting.pop(key, None)

    def deliver(self, turn: wire.HumanTurn) -> None:
        """Answer a waiting turn; ConfigError if none waits."""
        from roundtable.engine.human import HumanReply
        from roundtable.engine.parsing import parse_confidence

        future = self._waiting.get((turn.debate_id, turn.round, turn.seat_id))
        if future is None or future.done():
            raise ConfigError(
                f"no turn of seat {turn.seat_id!r} in round {turn.round} of debate "
                f"{turn.debate_id!r} is waiting for a person"
            )
        # Read like a model's ("0.8", "80" and "80%" all mean 0.8).
        confidence = None if turn.confidence is None else parse_confidence(repr(turn.confidence))
        future.set_result(
            HumanReply(
                text=turn.text, answer=turn.answer, confidence=confidence, passed=turn.passed
            )
        )


class EngineHost:
    """Runs debates on one asyncio loop; every debate task is owned by `self._tasks`."""

    def __init__(self, db_location: str | None, out: TextIO) -> None:
        from roundtable.storage import Recorder, open_database

        self._out = out
        self._write_lock = threading.Lock()
        self._database = open_database(db_location)
        self._recorder = Recorder(self._database)
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        #: Pre-flight checks of debates about to start (owned, so none is orphaned).
        self._checks: set[asyncio.Task[None]] = set()
        self._gateway: Any = None
        self._people = GuiHumanInput(self.send)

    def send(self, message: wire.Reply) -> None:
        line = wire.encode(message).decode()
        with self._write_lock:
            self._out.write(line)
            self._out.flush()

    def emit(self, event: Event) -> None:
        self._recorder(event)
        self.send(wire.EventNotice(event=event))

    def warm_up(self) -> list[str]:
        """Load litellm and mark debates a dead process left running as interrupted."""
        from roundtable.providers import LiteLLMGateway, load_litellm
        from roundtable.storage import mark_orphans_interrupted

        load_litellm()
        self._gateway = LiteLLMGateway()
        # Long-lived objects from the imports never need collecting; freezing them keeps
        # full collections (150-290 ms with litellm loaded, docs/notes.md) off the hot path.
        gc.freeze()
        return mark_orphans_interrupted(self._database)

    async def handle(self, command: wire.Command) -> bool:
        """Carry out one command; False means shut down. A command that cannot be
        carried out is answered with `CommandFailed`, naming it."""
        match command:
            case wire.Shutdown():
                return False
            case wire.Hello():
                pass  # its version was checked when the line was read
            case wire.StartDebate(debate_id=debate_id, spec=spec):
                self._start(debate_id, spec)
            case wire.CancelDebate(debate_id=debate_id):
                task = self._tasks.get(debate_id)
                if task is not None:
                    task.cancel()
            case _:
                self._guarded(command)
        return True

    def _guarded(self, command: _Refusable) -> None:
        """Do a command that may be refused; the refusal goes back to the GUI."""
        try:
            match command:
                case wire.ForkDebate():
                    self._fork(command)
                case wire.FollowUpDebate():
                    self._followup(command)
                case wire.ResumeDebate():
                    self._resume(command.debate_id)
                case wire.HumanTurn():
                    self._people.deliver(command)
                case wire.RenameDebate():
                    self._rename(command)
                case wire.DeleteDebate():
                    self._delete(command)
                case _:  # a new command type makes the type checker say so here
                    assert_never(command)
        except (ValueError, TypeError, RoundtableError) as exc:
            self._refuse(command, str(exc))

    def _refuse(self, command: wire.Command, message: str) -> None:
        self.send(
            wire.CommandFailed(
                message=message,
                debate_id=getattr(command, "debate_id", None),
                command=wire.wire_name(type(command)),
            )
        )

    def _start(self, debate_id: str, spec: DebateSpec) -> None:
        from roundtable.engine import validate_spec

        try:
            validate_spec(spec)
            # The debate's own per-turn limit (Settings › Turn timeout), if it has one.
            gateway = self._gateway.with_turn_timeout(spec.turn_timeout_s)
        except (ValueError, TypeError, RoundtableError) as exc:
            self._refuse(wire.StartDebate(debate_id=debate_id, spec=spec), str(exc))
            return
        check = asyncio.create_task(self._check_then_launch(debate_id, spec, gateway))
        self._checks.add(check)
        check.add_done_callback(self._checks.discard)

    async def _check_then_launch(self, debate_id: str, spec: DebateSpec, gateway: Any) -> None:
        """The CLI's pre-flight, for the GUI too: a local or configured server that does
        not answer is named before the debate starts (at most ~2 s), not after retries."""
        from roundtable.providers import find_unreachable

        start = wire.StartDebate(debate_id=debate_id, spec=spec)
        unreachable = await find_unreachable(spec.seats)
        if unreachable:
            self._refuse(start, "\n".join(problem.message for problem in unreachable))
            return
        try:
            self._launch(debate_id, spec, gateway=gateway)
        except RoundtableError as exc:
            self._refuse(start, str(exc))

    def _launch(
        self,
        debate_id: str,
        spec: DebateSpec,
        *,
        gateway: Any = None,
        continuation: Continuation | None = None,
        recorded_through: int | None = None,
    ) -> None:
        """Run a debate as a task this host owns. `recorded_through`: events up to this
        seq are stored already (a resume sends them to the GUI again, not to the store)."""
        from roundtable.engine import run_debate

        if debate_id in self._tasks:
            raise ConfigError(f"debate {debate_id} is already running")
        emit = self.emit
        if recorded_through is not None:
            through = recorded_through

            def emit(event: Event) -> None:
                if event.seq > through:
                    self._recorder(event)
                self.send(wire.EventNotice(event=event))

        task = asyncio.create_task(
            run_debate(
                spec,
                gateway or self._gateway.with_turn_timeout(spec.turn_timeout_s),
                emit,
                debate_id=debate_id,
                continuation=continuation,
                human=self._people,
            ),
            name=debate_id,
        )
        self._tasks[debate_id] = task
        task.add_done_callback(lambda t: self._finished(debate_id, t))

    # ------------------------------------------------------------ forks, follow-ups, resumes
    def _stored(self, debate_id: str) -> StoredDebate:
        from roundtable.engine.continuation_service import StoredDebate
        from roundtable.storage import load_debate, load_events

        return StoredDebate.of(
            load_debate(self._database, debate_id), load_events(self._database, debate_id)
        )

    def _fork(self, command: wire.ForkDebate) -> None:
        from roundtable.engine.continuation_service import plan_fork

        plan = plan_fork(
            self._stored(command.parent_id),
            from_round=command.from_round,
            add=command.add_seats,
            drop=command.drop_seats,
            max_rounds=command.max_rounds,
        )
        self._launch(command.debate_id, plan.spec, continuation=plan.continuation)

    def _followup(self, command: wire.FollowUpDebate) -> None:
        from roundtable.engine.continuation_service import plan_followup

        plan = plan_followup(self._stored(command.parent_id), command.question)
        self._launch(command.debate_id, plan.spec, continuation=plan.continuation)

    def _resume(self, debate_id: str) -> None:
        from roundtable.engine.continuation_service import plan_resume
        from roundtable.storage.reopen import reopen_debate

        if debate_id in self._tasks:
            raise ConfigError(f"debate {debate_id} is already running")
        plan = plan_resume(self._stored(debate_id))
        assert plan.recorded_through is not None  # a resume's plan always says it
        # Checks the status again under the database's lock, with the same refusal.
        reopen_debate(
            self._database, debate_id, through_seq=plan.recorded_through, rounds=plan.first_round
        )
        self._launch(
            debate_id,
            plan.spec,
            continuation=plan.continuation,
            recorded_through=plan.recorded_through,
        )

    # ------------------------------------------------------------ the GUI's edits of the history
    def _rename(self, command: wire.RenameDebate) -> None:
        from roundtable.storage import load_debate, rename_debate

        self._refuse_if_running(command.debate_id, "renamed")
        rename_debate(self._database, command.debate_id, command.title)
        title = load_debate(self._database, command.debate_id).summary.title
        self.send(wire.DebateRenamed(debate_id=command.debate_id, title=title))

    def _delete(self, command: wire.DeleteDebate) -> None:
        from roundtable.storage import delete_debate

        self._refuse_if_running(command.debate_id, "deleted")
        delete_debate(self._database, command.debate_id)
        self.send(wire.DebateDeleted(debate_id=command.debate_id))

    def _refuse_if_running(self, debate_id: str, what: str) -> None:
        """A debate being recorded (here, or by another process such as the CLI) is
        its recorder's to write until it ends."""
        from roundtable.domain import DebateStatus
        from roundtable.storage import load_debate

        stored = load_debate(self._database, debate_id).summary
        if debate_id in self._tasks or stored.status is DebateStatus.RUNNING:
            raise ConfigError(wire.still_running(what))

    def _finished(self, debate_id: str, task: asyncio.Task[Any]) -> None:
        self._tasks.pop(debate_id, None)
        if not task.cancelled() and task.exception() is not None:
            self.send(
                wire.CommandFailed(
                    message=f"the engine failed: {task.exception()}", debate_id=debate_id
                )
            )

    async def stop_all(self) -> None:
        pending = [*self._checks, *self._tasks.values()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        self._recorder.close()
        self._database.close()


def read_command(line: str) -> wire.Command | wire.CommandFailed | wire.EngineFailed:
    """The command on one line, or what to answer when it is not one: a line from a
    GUI that speaks another protocol version ends the engine."""
    try:
        return wire.decode_command(line)
    except wire.WireVersionMismatch as exc:
        return wire.EngineFailed(message=str(exc))
    except wire.WireError as exc:
        return wire.CommandFailed(message=f"{exc}: {line[:200]}")


def _read_commands(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[Any]) -> None:
    """Reader thread: stdin lines -> the loop's queue; None at end of input."""
    for raw in sys.stdin:
        line = raw.strip()
        if line:
            loop.call_soon_threadsafe(queue.put_nowait, read_command(line))
    loop.call_soon_threadsafe(queue.put_nowait, None)


async def serve(db_location: str | None) -> None:
    host = EngineHost(db_location, sys.stdout)
    interrupted = host.warm_up()
    host.send(wire.Ready(pid=os.getpid(), interrupted=tuple(interrupted)))
    queue: asyncio.Queue[Any] = asyncio.Queue()
    threading.Thread(
        target=_read_commands, args=(asyncio.get_running_loop(), queue), daemon=True
    ).start()
    try:
        while (command := await queue.get()) is not None:
            if isinstance(command, wire.CommandFailed):
                host.send(command)
            elif isinstance(command, wire.EngineFailed):
                host.send(command)
                break
            elif not await host.handle(command):
                break
    finally:
        await host.stop_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m roundtable.enginehost")
    parser.add_argument("--db", default=None, help="database path or SQLAlchemy URL")
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.db))
    except RoundtableError as exc:
        sys.stdout.buffer.write(wire.encode(wire.EngineFailed(message=str(exc))))
        sys.stdout.flush()
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
