"""The GUI's bridge to the engine child process (`python -m roundtable.enginehost`).

The engine runs in its own interpreter (DESIGN.md: litellm's import, CPU per chunk and
garbage collections would otherwise stall the GUI). This class starts it (through
`EngineProcess`, the pipe), writes `roundtable.wire` commands to its stdin and turns the replies it
prints into Qt signals carrying typed values (domain events, a person's turn
request). Renames and deletes of stored debates go through here too: the engine is
the database's only writer. Nothing here blocks the GUI thread, except `shutdown()`
at exit, which waits a moment for the engine to close its database.

If the engine dies while we did not ask it to, the user is told (`crashed`), every
debate it was running ends with a `DebateInterrupted` event (so views stop showing it
as live) and a new engine is started while `RestartPolicy` allows; after that the
client stops trying and says so. An engine that speaks another protocol version is
not restarted: the same program would answer the same way.
"""

from __future__ import annotations

import logging
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import assert_never

from PySide6.QtCore import QCoreApplication, QObject, QProcess, Qt, QTimer, Signal

from roundtable import wire
from roundtable.domain import DebateInterrupted, DebateSpec, Event, Seat
from roundtable.domain.events import TERMINAL_EVENTS, BaseEvent
from roundtable.gui.live.engine_process import EngineProcess
from roundtable.gui.live.restart_policy import Crash, RestartPolicy
from roundtable.gui.support import messages

log = logging.getLogger(__name__)

#: How long `shutdown()` lets the engine finish writing before it is killed.
SHUTDOWN_WAIT_MS = 3000


#: Refusals that concern a running debate without ending it (a person's answer).
_LEAVES_THE_DEBATE_RUNNING = frozenset({wire.wire_name(wire.HumanTurn)})


class EngineClient(QObject):
    """Owns the engine process; one instance for the app's lifetime.

    Signals carry facts from the engine; none is emitted from inside a method call
    of this class except where noted, so callers may connect after calling methods.
    """

    #: () the engine is warm (litellm loaded) and takes commands; again after a restart.
    ready = Signal()
    #: (event: roundtable.domain.Event) one event of a debate, in seq order per debate.
    event_received = Signal(BaseEvent)
    #: (message: str, debate_id: str | None) a command the engine could not carry out.
    error_reported = Signal(str, object)
    #: (message: str) the engine stopped unexpectedly; the message says what happens now.
    crashed = Signal(str)
    #: (debate_ids: list[str]) debates a previous engine left running, now interrupted.
    debates_interrupted = Signal(list)
    #: (request: wire.HumanTurnRequested) a person's seat is to speak; answer with
    #: `send_human_turn`.
    human_turn_requested = Signal(wire.HumanTurnRequested)
    #: (debate_id: str, title: str) the engine stored a rename asked for by `rename_debate`.
    debate_renamed = Signal(str, str)
    #: (debate_id: str) the engine deleted a debate asked for by `delete_debate`.
    debate_deleted = Signal(str)
    #: (debate_id: str, message: str) the engine refused a rename or a delete.
    history_edit_refused = Signal(str, str)
    #: internal: `error_reported`, delivered from the event loop.
    _error_later = Signal(str, object)
    #: internal: `history_edit_refused`, delivered from the event loop.
    _edit_refused_later = Signal(str, str)

    def __init__(
        self,
        db_location: str | Path | None = None,
        parent: QObject | None = None,
        *,
        command: Sequence[str] | None = None,
        max_restarts: int = 3,
        restart_window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        if command is None:
            command = [sys.executable, "-m", "roundtable.enginehost"]
            if db_location is not None:
                command += ["--db", str(db_location)]
        self._pipe = EngineProcess(command, self._handle_line, self._died, self)
        self._restart_policy = RestartPolicy(max_restarts, restart_window_s, clock)
        self._ready = False
        self._shutting_down = False
        self._given_up = False
        #: debate id -> seq of the last event seen (-1: none yet), in start order.
        self._running: dict[str, int] = {}
        #: Why the engine is not to be restarted: it speaks another protocol version.
        self._incompatible: str | None = None
        self._last_error: str | None = None
        self._already_interrupted: set[str] = set()
        #: Renames and deletes sent and not yet answered: how many, by debate id.
        self._edits_in_flight: Counter[str] = Counter()
        # A child timer (not QTimer.singleShot) dies with us if we go first.
        self._relaunch_timer = QTimer(self)
        self._relaunch_timer.setSingleShot(True)
        self._relaunch_timer.setInterval(0)
        self._relaunch_timer.timeout.connect(self._relaunch)
        self._error_later.connect(self.error_reported, Qt.ConnectionType.QueuedConnection)
        self._edit_refused_later.connect(
            self.history_edit_refused, Qt.ConnectionType.QueuedConnection
        )
        app = QCoreApplication.instance()
        if app is not None:
            # A QProcess destroyed while its child runs makes Qt warn, and the engine
            # deserves a chance to close the database cleanly.
            app.aboutToQuit.connect(self.shutdown)

    # ------------------------------------------------------------------ state
    @property
    def is_ready(self) -> bool:
        return self._ready

    @property
    def gave_up(self) -> bool:
        """The engine kept stopping (or speaks another version): it is not restarted."""
        return self._given_up

    @property
    def running_debates(self) -> tuple[str, ...]:
        """Ids of the debates started and not yet ended, oldest first."""
        return tuple(self._running)

    @property
    def process(self) -> QProcess | None:
        """The current engine process (tests kill it to simulate a crash)."""
        return self._pipe.process

    # ------------------------------------------------------------------ commands
    def start(self) -> None:
        """Start the engine process (again, after `shutdown()` or after giving up)."""
        if self._pipe.is_alive:
            return
        self._shutting_down = False
        self._given_up = False
        self._incompatible = None
        self._restart_policy.reset()
        self._launch()

    def start_debate(self, spec: DebateSpec) -> str:
        """Ask the engine to run `spec`; returns the new debate's id at once.

        Its events then arrive through `event_received`; a spec the engine refuses
        comes back through `error_reported` with this id.
        """
        debate_id = uuid.uuid4().hex
        self._run(wire.StartDebate(debate_id=debate_id, spec=spec))
        return debate_id

    def fork_debate(
        self,
        parent_id: str,
        from_round: int,
        *,
        add_seats: Sequence[Seat] = (),
        drop_seats: Sequence[str] = (),
    ) -> str:
        """Fork stored debate `parent_id`: its rounds before `from_round` are copied, then
        the changed table (seats added, seat ids dropped) plays on. Returns the new id."""
        debate_id = uuid.uuid4().hex
        self._run(
            wire.ForkDebate(
                debate_id=debate_id,
                parent_id=parent_id,
                from_round=from_round,
                add_seats=tuple(add_seats),
                drop_seats=tuple(drop_seats),
            )
        )
        return debate_id

    def followup(self, parent_id: str, question: str) -> str:
        """Ask finished debate `parent_id`'s table a new question; returns the new id."""
        debate_id = uuid.uuid4().hex
        self._run(wire.FollowUpDebate(debate_id=debate_id, parent_id=parent_id, question=question))
        return debate_id

    def resume(self, debate_id: str) -> None:
        """Continue a cancelled or interrupted debate from its last complete round; its
        events come again from the start (the kept rounds), then the new ones."""
        self._run(wire.ResumeDebate(debate_id=debate_id))

    def send_human_turn(self, debate_id: str, round_index: int, seat_id: str, text: str) -> None:
        """A person's turn, answering `human_turn_requested`; "" or "pass" passes."""
        passed = text.strip().casefold() in ("", "pass")
        self._send(
            wire.HumanTurn(
                debate_id=debate_id,
                round=round_index,
                seat_id=seat_id,
                text="" if passed else text,
                passed=passed,
            )
        )

    def rename_debate(self, debate_id: str, title: str) -> None:
        """Ask the engine to store a new title; `debate_renamed` (with the title as
        stored) or `history_edit_refused` follows."""
        self._send_edit(wire.RenameDebate(debate_id=debate_id, title=title))

    def delete_debate(self, debate_id: str) -> None:
        """Ask the engine to delete a stored debate; `debate_deleted` or
        `history_edit_refused` follows."""
        self._send_edit(wire.DeleteDebate(debate_id=debate_id))

    def _send_edit(self, command: wire.RenameDebate | wire.DeleteDebate) -> None:
        # The engine is the only writer: with no engine, the edit is refused, never lost.
        if self._given_up:
            message = self._incompatible or (
                "The debate engine is not running, so this change cannot be stored. "
                "Restart Roundtable."
            )
            self._edit_refused_later.emit(command.debate_id, message)
            return
        self._edits_in_flight[command.debate_id] += 1
        self._send(command)

    def _edit_answered(self, debate_id: str) -> None:
        self._edits_in_flight[debate_id] -= 1
        if self._edits_in_flight[debate_id] <= 0:
            del self._edits_in_flight[debate_id]

    def _run(
        self,
        command: wire.StartDebate | wire.ForkDebate | wire.FollowUpDebate | wire.ResumeDebate,
    ) -> None:
        """Ask the engine to run a debate (new, forked, followed up, resumed)."""
        if self._given_up:
            # Queued, so the caller knows the id before it hears about it.
            message = self._incompatible or (
                "The debate engine is not running. Restart Roundtable to start debates."
            )
            self._error_later.emit(message, command.debate_id)
            return
        self._running[command.debate_id] = -1
        self._send(command)

    def cancel(self, debate_id: str) -> None:
        """Stop a running debate; a `DebateCancelled` event follows."""
        if debate_id in self._running:
            self._send(wire.CancelDebate(debate_id=debate_id))

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> None:
        """Ask the engine to stop, wait up to `wait_ms`, then kill it. Blocks briefly."""
        self._shutting_down = True
        self._ready = False
        self._pipe.stop(wire.encode(wire.Shutdown()), wait_ms)

    # ------------------------------------------------------------------ process
    def _launch(self) -> None:
        self._ready = False
        self._last_error = None
        # The handshake goes first: the engine reads the commands in the order written.
        self._pipe.launch(wire.encode(wire.Hello()))

    def _send(self, command: wire.Command) -> None:
        self._pipe.write(wire.encode(command))

    def _handle_line(self, raw: bytes) -> None:
        if not raw.strip():
            return
        try:
            reply = wire.decode_reply(raw)
        except wire.WireVersionMismatch as exc:
            self._refuse_engine(str(exc))
            return
        except wire.WireError as exc:
            log.warning("engine printed a line that is not a reply (%s): %.200r", exc, raw)
            return
        match reply:
            case wire.EventNotice(event=event):
                self._handle_event(event)
            case wire.HumanTurnRequested():
                self.human_turn_requested.emit(reply)
            case wire.Ready():
                self._handle_ready(reply)
            case wire.DebateRenamed(debate_id=debate_id, title=title):
                self._edit_answered(debate_id)
                self.debate_renamed.emit(debate_id, title)
            case wire.DebateDeleted(debate_id=debate_id):
                self._edit_answered(debate_id)
                self.debate_deleted.emit(debate_id)
            case wire.CommandFailed():
                self._handle_failure(reply)
            case wire.EngineFailed(message=message):
                self._last_error = message
                self.error_reported.emit(message, None)
            case _:  # a new reply type makes the type checker say so here
                assert_never(reply)

    def _handle_event(self, event: Event) -> None:
        if isinstance(event, TERMINAL_EVENTS):
            self._running.pop(event.debate_id, None)
        elif event.debate_id in self._running:
            self._running[event.debate_id] = event.seq
        self.event_received.emit(event)

    def _handle_ready(self, ready: wire.Ready) -> None:
        self._ready = True
        # Debates this client already ended with DebateInterrupted need no second notice.
        fresh = [i for i in ready.interrupted if i not in self._already_interrupted]
        log.info("engine ready (pid %s)", ready.pid)
        self.ready.emit()
        if fresh:
            self.debates_interrupted.emit(fresh)

    def _handle_failure(self, failure: wire.CommandFailed) -> None:
        edits = (wire.wire_name(wire.RenameDebate), wire.wire_name(wire.DeleteDebate))
        if failure.command in edits and failure.debate_id is not None:
            self._edit_answered(failure.debate_id)
            self.history_edit_refused.emit(failure.debate_id, failure.message)
            return
        if failure.command in _LEAVES_THE_DEBATE_RUNNING:
            # A refused answer: the debate goes on, so Stop must still reach it.
            self.error_reported.emit(failure.message, None)
            return
        if failure.debate_id is not None:
            # The engine refused the start, or its task died: either way it is not running.
            self._running.pop(failure.debate_id, None)
        else:
            self._last_error = failure.message
        self.error_reported.emit(failure.message, failure.debate_id)

    def _refuse_engine(self, message: str) -> None:
        """The engine speaks another protocol version: stop it, and do not restart it."""
        log.error("%s", message)
        self._incompatible = message
        self._pipe.kill()  # `_died` follows, and tells the user

    def _died(self, how: str) -> None:
        """The engine is gone without being asked: tell, interrupt, restart (or stop)."""
        self._ready = False
        interrupted = list(self._running.items())
        self._running.clear()
        if self._incompatible is not None:
            restart, message = False, self._incompatible
        else:
            last_words = self._last_error or self._pipe.last_stderr_line
            crash = Crash(how=how, last_words=last_words, interrupted=len(interrupted))
            restart, message = self._restart_policy.after(crash)
        self._given_up = not restart  # before telling, so listeners can ask `gave_up`
        # Told once, through the app's one message bridge: a dialog when it is final.
        (messages.warning if restart else messages.error)(message)
        self.crashed.emit(message)
        unanswered, self._edits_in_flight = self._edits_in_flight, Counter()
        for debate_id in sorted(unanswered):  # the history reloads and shows what was kept
            self.history_edit_refused.emit(
                debate_id, "The debate engine stopped; this change may not have been stored."
            )
        for debate_id, last_seq in interrupted:
            self._already_interrupted.add(debate_id)
            self.event_received.emit(
                DebateInterrupted(
                    debate_id=debate_id,
                    seq=last_seq + 1,
                    reason="the debate engine stopped unexpectedly",
                )
            )
        if not restart:
            log.error("the engine keeps stopping; not restarting it again")
            return
        # From the event loop, not from inside the dead process's signal handler.
        self._relaunch_timer.start()

    def _relaunch(self) -> None:
        if not self._shutting_down and not self._pipe.is_alive:
            self._launch()
