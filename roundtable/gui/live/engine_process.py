"""The pipe to the engine child process: bytes in, whole lines out, and how it ended.

`EngineClient` speaks the protocol; this class only keeps one `QProcess` at a time:
it starts the program with UTF-8 unbuffered output, holds what is written until the
process has started, hands over each whole line the engine prints, keeps the last
lines of its stderr for the crash message, and reports an end nobody asked for.
Nothing here blocks the GUI thread except `stop()`, at exit.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QObject, QProcess, QProcessEnvironment

log = logging.getLogger(__name__)

_STDERR_TAIL = 20


class EngineProcess(QObject):
    """One engine process at a time; `launch` again after it ended.

    `on_line(line)` gets every whole line the engine printed, in order, including
    the ones still buffered when it stopped; `on_ended(how)` is called once when it
    stopped without `stop()` ("it crashed", "exit code 3", "it could not be
    started: …").
    """

    def __init__(
        self,
        command: Sequence[str],
        on_line: Callable[[bytes], None],
        on_ended: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._command = list(command)
        self._on_line = on_line
        self._on_ended = on_ended
        self._process: QProcess | None = None
        self._stopping = False
        #: Written once the process has started.
        self._pending: list[bytes] = []
        self._stderr_tail: deque[str] = deque(maxlen=_STDERR_TAIL)
        self._stderr_partial = b""
        self._dead: list[QProcess] = []

    @property
    def process(self) -> QProcess | None:
        """The current process (tests kill it to simulate a crash)."""
        return self._process

    @property
    def is_alive(self) -> bool:
        return (
            self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning
        )

    @property
    def last_stderr_line(self) -> str:
        return self._stderr_tail[-1] if self._stderr_tail else ""

    def launch(self, first: bytes) -> None:
        """Start the program; `first` is written before anything else (the handshake)."""
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        # JSON lines are UTF-8 whatever the locale, and must not sit in a pipe buffer.
        env.insert("PYTHONIOENCODING", "utf-8")
        env.insert("PYTHONUNBUFFERED", "1")
        process.setProcessEnvironment(env)
        process.setProgram(self._command[0])
        process.setArguments(self._command[1:])
        self._pending.insert(0, first)
        # Each handler checks that the signal comes from the current process: a late
        # signal of one already replaced must not touch its successor's state.
        process.started.connect(lambda: self._flush_pending(process))
        process.readyReadStandardOutput.connect(lambda: self._read_stdout(process))
        process.readyReadStandardError.connect(lambda: self._read_stderr(process))
        process.finished.connect(lambda code, status: self._on_finished(process, code, status))
        process.errorOccurred.connect(lambda error: self._on_error(process, error))
        if self._process is not None:  # after stop(): the old one has finished
            self._dead.append(self._process)
        for dead in self._dead:
            dead.deleteLater()
        self._dead.clear()
        self._process = process
        self._stopping = False
        self._stderr_tail.clear()
        self._stderr_partial = b""
        log.info("starting the engine: %s", " ".join(self._command))
        process.start()

    def write(self, data: bytes) -> None:
        process = self._process
        if process is not None and process.state() == QProcess.ProcessState.Running:
            process.write(data)
        else:
            self._pending.append(data)

    def stop(self, last_words: bytes, wait_ms: int) -> None:
        """Write `last_words` (the shutdown command), wait up to `wait_ms` for the
        process to exit, then kill it. Blocks briefly."""
        self._stopping = True
        self._pending.clear()
        process = self._process
        if process is None or process.state() == QProcess.ProcessState.NotRunning:
            return
        if process.state() == QProcess.ProcessState.Running:
            process.write(last_words)
            process.closeWriteChannel()
            if process.waitForFinished(wait_ms):
                return
            log.warning("the engine did not stop within %d ms; killing it", wait_ms)
        process.kill()
        process.waitForFinished(1000)

    def kill(self) -> None:
        """End the process at once; `on_ended` follows as for a crash."""
        if self._process is not None:
            self._process.kill()

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
            self._on_line(bytes(process.readLine().data()))

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

    def _on_error(self, process: QProcess, error: QProcess.ProcessError) -> None:
        # A crash also ends in `finished`; only a failed start never does.
        if process is self._process and error == QProcess.ProcessError.FailedToStart:
            self._ended(f"it could not be started: {process.errorString()}")

    def _on_finished(self, process: QProcess, exit_code: int, status: QProcess.ExitStatus) -> None:
        # At interpreter exit Qt may delete the QProcess before this queued call runs.
        if process is not self._process or not shiboken6.isValid(process):
            return
        # Whatever the engine printed before it stopped still counts, in order.
        self._read_stdout(process)
        rest = bytes(process.readAllStandardOutput().data())
        if rest.strip():
            self._on_line(rest)
        self._read_stderr(process)
        if self._stderr_partial:
            self._log_stderr(self._stderr_partial)
            self._stderr_partial = b""
        if self._stopping:
            return
        how = "it crashed" if status == QProcess.ExitStatus.CrashExit else f"exit code {exit_code}"
        self._ended(how)

    def _ended(self, how: str) -> None:
        old, self._process = self._process, None
        if old is not None:
            # Deleted by the next launch, not here inside its own signal: PySide crashed
            # when a QProcess deleted from its errorOccurred handler outlived its parent.
            self._dead.append(old)
        self._pending.clear()
        self._on_ended(how)
