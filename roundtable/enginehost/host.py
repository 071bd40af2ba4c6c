"""`EngineHost`: carries out the GUI's commands on one asyncio loop, and is the only
writer of the database while the app runs."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO, assert_never

from roundtable import wire
from roundtable.domain import ConfigError, DebateSpec, Event, RoundtableError
from roundtable.enginehost.people import GuiHumanInput

if TYPE_CHECKING:
    from roundtable.engine.continuation import Continuation
    from roundtable.engine.continuation_service import StoredDebate
    from roundtable.storage import SavingRecorder

log = logging.getLogger(__name__)

#: The commands that can be refused (a refusal is answered with `CommandFailed`).
_Refusable = (
    wire.ForkDebate
    | wire.FollowUpDebate
    | wire.ResumeDebate
    | wire.HumanTurn
    | wire.RenameDebate
    | wire.DeleteDebate
)


class EngineHost:
    """Runs debates on one asyncio loop; every debate task is owned by `self._tasks`."""

    def __init__(self, db_location: str | None, out: TextIO) -> None:
        from roundtable.storage import open_database

        self._out = out
        self._write_lock = threading.Lock()
        self._database = open_database(db_location)
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        #: Each running debate's recorder (closed when its task ends).
        self._recorders: dict[str, SavingRecorder] = {}
        #: The seq of the last event sent to the GUI, per running debate.
        self._sent_seq: dict[str, int] = {}
        #: Pre-flight checks of debates about to start (owned, so none is orphaned).
        #: Debates whose pre-flight runs: the check, and the command that asked for it.
        self._checks: dict[str, tuple[asyncio.Task[None], wire.Command]] = {}
        self._gateway: Any = None
        self._people = GuiHumanInput(self.send)

    def send(self, message: wire.Reply) -> None:
        line = wire.encode(message).decode()
        with self._write_lock:
            self._out.write(line)
            self._out.flush()

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
                self._cancel(debate_id)
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
                    self._resume(command)
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

    def _cancel(self, debate_id: str) -> None:
        """Stop a running debate; one still being checked never starts, and the start is
        refused so the GUI lets go of it."""
        if (task := self._tasks.get(debate_id)) is not None:
            task.cancel()
        elif (check := self._checks.pop(debate_id, None)) is not None:
            check_task, command = check
            check_task.cancel()
            self._refuse(command, "Stopped before it started; nothing was stored.")

    def _start(self, debate_id: str, spec: DebateSpec) -> None:
        command = wire.StartDebate(debate_id=debate_id, spec=spec)
        try:
            self._checked_launch(command, debate_id, spec)
        except ConfigError as exc:  # an id already in use: refused, the engine goes on
            self._refuse(command, str(exc))

    def _checked_launch(
        self,
        command: wire.Command,
        debate_id: str,
        spec: DebateSpec,
        *,
        before: Callable[[], None] | None = None,
        continuation: Continuation | None = None,
        recorded_through: int | None = None,
    ) -> None:
        """Check the debate as the terminal does (`engine.preflight`), then run it; a
        problem goes back as the command's refusal, before anything is stored.
        `before` runs once the checks pass (a resume reopens its debate there)."""

        async def check_then_launch() -> None:
            from roundtable.engine.preflight import preflight_async

            try:
                await preflight_async(spec)
                if before is not None:
                    before()
                self._launch(
                    debate_id,
                    spec,
                    continuation=continuation,
                    recorded_through=recorded_through,
                )
            except (ValueError, TypeError, RoundtableError) as exc:
                self._refuse(command, str(exc))
            except Exception as exc:  # the window must hear of it, or it waits for ever
                log.exception("starting debate %s failed", debate_id)
                self._refuse(command, f"the engine failed: {exc}")

        if debate_id in self._checks or debate_id in self._tasks:
            raise ConfigError(f"debate {debate_id} is already running")
        check = asyncio.create_task(check_then_launch())
        self._checks[debate_id] = (check, command)

        def checked(task: asyncio.Task[None]) -> None:
            if self._checks.get(debate_id, (None,))[0] is task:
                del self._checks[debate_id]

        check.add_done_callback(checked)

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
        from roundtable.storage import SavingRecorder

        if debate_id in self._tasks:
            raise ConfigError(f"debate {debate_id} is already running")
        recorder = SavingRecorder(self._database, stored_through=recorded_through)
        self._recorders[debate_id] = recorder

        def emit(event: Event) -> None:
            recorder(event)  # stored first: the GUI may read it back at once
            self.send(wire.EventNotice(event=event))
            self._sent_seq[debate_id] = event.seq

        task = asyncio.create_task(
            run_debate(
                spec,
                gateway or self._gateway.with_turn_limits(spec),
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
        self._checked_launch(command, command.debate_id, plan.spec, continuation=plan.continuation)

    def _followup(self, command: wire.FollowUpDebate) -> None:
        from roundtable.engine.continuation_service import plan_followup

        plan = plan_followup(self._stored(command.parent_id), command.question)
        self._checked_launch(command, command.debate_id, plan.spec, continuation=plan.continuation)

    def _resume(self, command: wire.ResumeDebate) -> None:
        from roundtable.engine.continuation_service import plan_resume
        from roundtable.storage.reopen import reopen_debate

        debate_id = command.debate_id
        if debate_id in self._tasks:
            raise ConfigError(f"debate {debate_id} is already running")
        plan = plan_resume(self._stored(debate_id))
        through = plan.recorded_through
        assert through is not None  # a resume's plan always says it

        def reopen() -> None:
            # Checks the status again under the database's lock, with the same refusal.
            reopen_debate(self._database, debate_id, through_seq=through, rounds=plan.first_round)

        self._checked_launch(
            command,
            debate_id,
            plan.spec,
            before=reopen,
            continuation=plan.continuation,
            recorded_through=through,
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
        """A debate's task ended. One that ended in an error is ended as interrupted
        here and now (resumable at once, not only after the next start), and the GUI is
        told why."""
        from roundtable.domain import StorageError

        self._tasks.pop(debate_id, None)
        last_seq = self._sent_seq.pop(debate_id, -1)
        recorder = self._recorders.pop(debate_id, None)
        failure = recorder.failure if recorder is not None else None
        if recorder is not None and failure is None:
            try:
                recorder.close()  # flushes the last streamed text
            except StorageError as exc:
                failure = exc
        if failure is not None and recorder is not None:
            message = recorder.stopped_message()
        elif not task.cancelled() and task.exception() is not None:
            message = f"the engine failed: {task.exception()}"
        else:
            return
        self._end_as_interrupted(debate_id, last_seq, message.splitlines()[0])
        self.send(wire.CommandFailed(message=message, debate_id=debate_id))

    def _end_as_interrupted(self, debate_id: str, last_seq: int, reason: str) -> None:
        """Store and show the debate as interrupted; if even that cannot be stored (the
        disk is still full), the next start of the engine marks it."""
        from roundtable.domain import DebateInterrupted, StorageError
        from roundtable.storage import mark_interrupted

        try:
            ended = mark_interrupted(self._database, debate_id, reason)
        except StorageError:
            ended = None
        if ended is None:
            ended = DebateInterrupted(debate_id=debate_id, seq=last_seq + 1, reason=reason)
        self.send(wire.EventNotice(event=ended))

    async def stop_all(self) -> None:
        pending = [*(task for task, _ in self._checks.values()), *self._tasks.values()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for recorder in self._recorders.values():  # normally closed as each task ended
            recorder.close()
        self._recorders.clear()
        self._database.close()
