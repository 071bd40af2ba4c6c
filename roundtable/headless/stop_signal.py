"""SIGTERM (a logout, `kill`, a service manager) stops a command as Ctrl+C does.

Python's default for SIGTERM is to die on the spot: no event is stored, the debate
stays "running" until a later command notices, and nothing is said. Here SIGTERM is
handed to whatever answers Ctrl+C at that moment, so there is one way to stop:

- inside `asyncio.run` (a debate, an evaluation, the MCP server), asyncio's own
  Ctrl+C handler cancels the main task; the engine records the debate as cancelled
  (resumable) and the command says how to finish it;
- anywhere else (the engine warming up, a prompt), KeyboardInterrupt is raised.

The only difference a person sees is the exit code: 143 (128 + SIGTERM), as a shell
reports a process ended by SIGTERM, rather than Ctrl+C's 130; and the words "Stopped
by SIGTERM".
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

#: The exit code of a command stopped by SIGTERM (128 + 15), as the shell would say.
EXIT_TERMINATED = 128 + signal.SIGTERM


class _Received:
    """Whether SIGTERM arrived in this process (set by the handler, read at exit)."""

    sigterm = False


@contextlib.contextmanager
def sigterm_as_ctrl_c() -> Iterator[None]:
    """Within this block SIGTERM stops the process as Ctrl+C does; the handler before
    it comes back after (a test running commands in its own process keeps its own).
    Main thread only: Python lets no other thread set a signal handler."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _Received.sigterm = False
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stopped_by_sigterm() -> bool:
    """Whether this process was asked to stop with SIGTERM."""
    return _Received.sigterm


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _Received.sigterm = True
    ctrl_c = signal.getsignal(signal.SIGINT)
    if callable(ctrl_c):  # asyncio's (cancel the main task) or Python's (raise)
        ctrl_c(signal.SIGINT, frame)
        return
    # Ctrl+C ignored (a background job of a script): SIGTERM must still stop it.
    signal.default_int_handler(signal.SIGINT, frame)
