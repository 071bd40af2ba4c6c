"""The GUI's bridge to the engine child process (`python -m roundtable.enginehost`).

The engine runs in its own interpreter (DESIGN.md: litellm's import, CPU per chunk and
garbage collections would otherwise stall the GUI). This class starts it with
`QProcess`, writes JSON-line commands to its stdin and turns the JSON lines it prints
into Qt signals carrying domain events. Nothing here blocks the GUI thread, except
`shutdown()` at exit, which waits a moment for the engine to close its database.

If the engine dies while we did not ask it to, the user is told (`crashed`), every
debate it was running ends with a `DebateInterrupted` event (so views stop showing it
as live) and a new engine is started, up to `max_restarts` times per
`restart_window_s`; after that the client stops trying and says so.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QProcess,
    QProcessEnvironment,
    Qt,
    QTimer,
    Signal,
)

from roundtable.domain import DebateInterrupted, DebateSpec, Seat
from roundtable.domain.events import TERMINAL_EVENTS, event_from_dict, to_jsonable

log = logging.getLogger(__name__)

#: How long `shutdown()` lets the engine finish writing before it is killed.
SHUTDOWN_WAIT_MS = 3000
_STDERR_TAIL = 20


class EngineClient(QObject):
    """Owns the engine process; one instance for the app's lifetime.

    Signals carry facts from the engine; none is emitted from inside a method call
    of this class except where noted, so callers may connect after calling methods.
    """

    #: () the engine is warm (litellm loaded) and takes commands; again after a restart.
    ready = Signal()
    #: (event: roundtable.domain.Event) one event of a debate, in seq order per debate.
    event_received = Signal(object)
    #: (message: str, debate_id: str | None) a command the engine could not carry out.
    error_reported = Signal(str, object)
    #: (message: str) the engine stopped unexpectedly; the message says what happens now.
    crashed = Signal(str)
    #: (debate_ids: list[str]) debates a previous engine left running, now interrupted.
    debates_interrupted = Signal(list)
    #: (request: dict) a person's seat is to speak: debate_id, round, seat_id, seat_name,
    #: question, prompt (what the protocol shows the seat); answer with `send_human_turn`.
    human_turn_requested = Signal(dict)
    #: internal: `error_reported`, delivered from the event loop.
    _error_later = Signal(str, object)

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
        self._command = list(command)
        self._max_restarts = max_restarts
        self._restart_window_s = restart_window_s
        self._clock = clock
        self._process: QProcess | None = None
        self._ready = False
        self._shutting_down = False
        self._given_up = False
        #: debate id -> seq of the last event seen (-1: none yet), in start order.
        self._running: dict[str, int] = {}
        #: Commands written once the process has started (it buffers until ready).
        self._pending: list[bytes] = []
        self._restarts: deque[float] = deque()
        self._stderr_tail: deque[str] = deque(maxlen=_STDERR_TAIL)
        self._stderr_partial = b""
        self._last_error: str | None = None
        self._already_interrupted: set[str] = set()
        self._dead: list[QProcess] = []
        # A child timer (not QTimer.singleShot) dies with us if we go first.
        self._relaunch_timer = QTimer(self)
        self._relaunch_timer.setSingleShot(True)
        self._relaunch_timer.setInterval(0)
        self._relaunch_timer.timeout.connect(self._relaunch)
        self._error_later.connect(self.error_reported, Qt.ConnectionType.QueuedConnection)
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
    def running_debates(self) -> tuple[str, ...]:
        """Ids of the debates started and not yet ended, oldest first."""
        return tuple(self._running)

    @property
    def process(self) -> QProcess | None:
        """The current engine process (tests kill it to simulate a crash)."""
        return self._process

    # ------------------------------------------------------------------ commands
    def start(self) -> None:
        """Start the engine process (again, after `shutdown()` or after giving up)."""
        if self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning:
            return
        self._shutting_down = False
        self._given_up = False
        self._restarts.clear()
        self._launch()

    def start_debate(self, spec: DebateSpec) -> str:
        """Ask the engine to run `spec`; returns the new debate's id at once.

        Its events then arrive through `event_received`; a spec the engine refuses
        comes back through `error_reported` with this id.
        """
        return self._start_command("start", {"spec": to_jsonable(spec)})

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
        command: dict[str, Any] = {"parent_id": parent_id, "from_round": from_round}
        if add_seats:
            command["add_seats"] = [to_jsonable(seat) for seat in add_seats]
        if drop_seats:
            command["drop_seats"] = list(drop_seats)
        return self._start_command("fork", command)

    def followup(self, parent_id: str, question: str) -> str:
        """Ask finished debate `parent_id`'s table a new question; returns the new id."""
        return self._start_command("followup", {"parent_id": parent_id, "question": question})

    def resume(self, debate_id: str) -> None:
        """Continue a cancelled or interrupted debate from its last complete round; its
        events come again from the start (the kept rounds), then the new ones."""
        self._run_command("resume", debate_id, {})

    def send_human_turn(self, debate_id: str, round_index: int, seat_id: str, text: str) -> None:
        """A person's turn, answering `human_turn_requested`; "" or "pass" passes."""
        passed = text.strip().casefold() in ("", "pass")
        self._send(
            {
                "cmd": "human_turn",
                "debate_id": debate_id,
                "round": round_index,
                "seat_id": seat_id,
                "text": "" if passed else text,
                "pass": passed,
            }
        )

    def _start_command(self, kind: str, fields: dict[str, Any]) -> str:
        """Send a command that starts a new debate (like `start_debate`); its id."""
        debate_id = uuid.uuid4().hex
        self._run_command(kind, debate_id, fields)
        return debate_id

    def _run_command(self, kind: str, debate_id: str, fields: dict[str, Any]) -> None:
        """Ask the engine to run debate `debate_id` (new, forked, resumed…)."""
        if self._given_up:
            message = "The debate engine is not running. Restart Roundtable to start debates."
            # Queued, so the caller knows the id before it hears about it.
            self._error_later.emit(message, debate_id)
            return
        self._running[debate_id] = -1
        self._send({"cmd": kind, "debate_id": debate_id, **fields})

    def cancel(self, debate_id: str) -> None:
        """Stop a running debate; a `DebateCancelled` event follows."""
        if debate_id in self._running:
            self._send({"cmd": "cancel", "debate_id": debate_id})

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> None:
        """Ask the engine to stop, wait up to `wait_ms`, then kill it. Blocks briefly."""
        self._shutting_down = True
        self._ready = False
        self._pending.clear()
        process = self._process
        if process is None or process.state() == QProcess.ProcessState.NotRunning:
            return
        if process.state() == QProcess.ProcessState.Running:
            process.write(_line({"cmd": "shutdown"}))
            process.closeWriteChannel()
            if process.waitForFinished(wait_ms):
                return
            log.warning("the engine did not stop within %d ms; killing it", wait_ms)
        process.kill()
        process.waitForFinished(1000)

    # ------------------------------------------------------------------ process
    def _launch(self) -> None:
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        # JSON lines are UTF-8 whatever the locale, and must not sit in a pipe buffer.
        env.insert("PYTHONIOENCODING", "utf-8")
        env.insert("PYTHONUNBUFFERED", "1")
        process.setProcessEnvironment(env)
        process.setProgram(self._command[0])
        process.setArguments(self._command[1:])
        # Each handler checks that the signal comes from the current process: a late
        # signal of one already replaced must not touch its successor's state.
        process.started.connect(lambda: self._flush_pending(process))
        process.readyReadStandardOutput.connect(lambda: self._read_stdout(process))
        process.readyReadStandardError.connect(lambda: self._read_stderr(process))
        process.finished.connect(lambda code, status: self._on_finished(process, code, status))
        process.errorOccurred.connect(lambda error: self._on_error(process, error))
        if self._process is not None:  # after shutdown(): the old one has finished
            self._dead.append(self._process)
        for dead in self._dead:
            dead.deleteLater()
        self._dead.clear()
        self._process = process
        self._ready = False
        self._last_error = None
        self._stderr_tail.clear()
        self._stderr_partial = b""
        log.info("starting the engine: %s", " ".join(self._command))
        process.start()

    def _send(self, command: dict[str, Any]) -> None:
        data = _line(command)
        process = self._process
        if process is not None and process.state() == QProcess.ProcessState.Running:
            process.write(data)
        else:
            self._pending.append(data)

    def _flush_pending(self, process: QProcess) -> None:
        if process is not self._process:
            return
        pending, self._pending = self._pending, []
        for data in pending:
            process.write(data)

    def _read_stdout(self, process: QProcess) -> None:
        if process is not self._process:
            return
        # Only whole lines: a partial one stays in QProcess's buffer until its newline.
        while process.canReadLine():
            self._handle_line(bytes(process.readLine().data()))

    def _read_stderr(self, process: QProcess) -> None:
        if process is not self._process:
            return
        data = self._stderr_partial + bytes(process.readAllStandardError().data())
        *lines, self._stderr_partial = data.split(b"\n")
        for raw in lines:
            self._log_stderr(raw)

    def _log_stderr(self, raw: bytes) -> None:
        text = raw.decode("utf-8", "replace").rstrip()
        if text:
            self._stderr_tail.append(text)
            log.warning("engine: %s", text)

    def _handle_line(self, raw: bytes) -> None:
        text = raw.decode("utf-8", "replace").strip()
        if not text:
            return
        try:
            message = json.loads(text)
        except json.JSONDecodeError:
            log.warning("engine printed a line that is not JSON: %.200s", text)
            return
        if not isinstance(message, dict):
            log.warning("engine printed unexpected JSON: %.200s", text)
        elif "event" in message:
            self._handle_event(message["event"])
        elif "human_turn_requested" in message:
            request = message["human_turn_requested"]
            if isinstance(request, dict):
                self.human_turn_requested.emit(request)
        elif "ready" in message:
            self._handle_ready(message)
        elif "error" in message:
            self._handle_error(message)
        else:
            log.warning("engine printed an unknown message: %.200s", text)

    def _handle_event(self, data: Any) -> None:
        try:
            event = event_from_dict(data)
        except (ValueError, TypeError) as exc:
            log.warning("engine sent an event that does not decode (%s)", exc)
            return
        if isinstance(event, TERMINAL_EVENTS):
            self._running.pop(event.debate_id, None)
        elif event.debate_id in self._running:
            self._running[event.debate_id] = event.seq
        self.event_received.emit(event)

    def _handle_ready(self, message: dict[str, Any]) -> None:
        self._ready = True
        ids = [str(i) for i in message.get("interrupted") or ()]
        # Debates this client already ended with DebateInterrupted need no second notice.
        fresh = [i for i in ids if i not in self._already_interrupted]
        log.info("engine ready (pid %s)", message.get("pid"))
        self.ready.emit()
        if fresh:
            self.debates_interrupted.emit(fresh)

    def _handle_error(self, message: dict[str, Any]) -> None:
        text = str(message.get("error") or "the engine reported an unknown error")
        raw_id = message.get("debate_id")
        debate_id = str(raw_id) if raw_id is not None else None
        if debate_id is not None:
            # The engine refused the start, or its task died: either way it is not running.
            self._running.pop(debate_id, None)
        else:
            self._last_error = text
        self.error_reported.emit(text, debate_id)

    def _on_error(self, process: QProcess, error: QProcess.ProcessError) -> None:
        # A crash also ends in `finished`; only a failed start never does.
        if process is self._process and error == QProcess.ProcessError.FailedToStart:
            self._died(f"it could not be started: {process.errorString()}")

    def _on_finished(self, process: QProcess, exit_code: int, status: QProcess.ExitStatus) -> None:
        # At interpreter exit Qt may delete the QProcess before this queued call runs.
        if process is not self._process or not shiboken6.isValid(process):
            return
        # Whatever the engine printed before it stopped still counts, in order.
        self._read_stdout(process)
        rest = bytes(process.readAllStandardOutput().data())
        if rest.strip():
            self._handle_line(rest)
        self._read_stderr(process)
        if self._stderr_partial:
            self._log_stderr(self._stderr_partial)
            self._stderr_partial = b""
        if self._shutting_down:
            self._ready = False
            return
        how = "it crashed" if status == QProcess.ExitStatus.CrashExit else f"exit code {exit_code}"
        self._died(how)

    def _died(self, how: str) -> None:
        """The engine is gone without being asked: tell, interrupt, restart (or stop)."""
        self._ready = False
        old = self._process
        self._process = None
        if old is not None:
            # Deleted by the next launch, not here inside its own signal: PySide crashed
            # when a QProcess deleted from its errorOccurred handler outlived its parent.
            self._dead.append(old)
        self._pending.clear()
        interrupted = list(self._running.items())
        self._running.clear()
        now = self._clock()
        while self._restarts and now - self._restarts[0] > self._restart_window_s:
            self._restarts.popleft()
        give_up = len(self._restarts) >= self._max_restarts
        self.crashed.emit(self._crash_message(how, len(interrupted), give_up))
        for debate_id, last_seq in interrupted:
            self._already_interrupted.add(debate_id)
            self.event_received.emit(
                DebateInterrupted(
                    debate_id=debate_id,
                    seq=last_seq + 1,
                    reason="the debate engine stopped unexpectedly",
                )
            )
        if give_up:
            self._given_up = True
            log.error("the engine keeps stopping; not restarting it again")
            return
        self._restarts.append(now)
        # From the event loop, not from inside the dead process's signal handler.
        self._relaunch_timer.start()

    def _relaunch(self) -> None:
        if not self._shutting_down and self._process is None:
            self._launch()

    def _crash_message(self, how: str, interrupted: int, give_up: bool) -> str:
        detail = self._last_error or (self._stderr_tail[-1] if self._stderr_tail else "")
        parts = [f"The debate engine stopped unexpectedly ({how})."]
        if detail:
            parts.append(f"Its last message: {detail}")
        if interrupted == 1:
            parts.append("The running debate was interrupted; you can run it again.")
        elif interrupted > 1:
            parts.append(f"{interrupted} running debates were interrupted; you can run them again.")
        if give_up:
            window = round(self._restart_window_s)
            times = len(self._restarts) + 1
            parts.append(
                f"It stopped {times} time{'s' if times != 1 else ''} within {window} seconds, so "
                "Roundtable will not restart it again. Check the log, then restart "
                "Roundtable (`roundtable run` in a terminal shows the engine's errors)."
            )
        else:
            parts.append("Restarting the engine…")
        return " ".join(parts)


def _line(command: dict[str, Any]) -> bytes:
    return (json.dumps(command, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
