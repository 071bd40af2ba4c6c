"""When to start the engine again after it died, and what to tell the user.

An engine that dies now and then (a provider library's bug, the OOM killer) is
restarted at once, so the app never goes down with it; one that dies again and again
would only burn CPU and flood the user with notices, so after `max_restarts` deaths
within `window_s` the client stops trying and says how to find out why. No Qt here:
the rule and its words are plain values, tested without a process.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Crash:
    """One unexpected death of the engine, as the user is told about it."""

    #: How it ended: "it crashed", "exit code 3", "it could not be started: …".
    how: str
    #: The engine's last error or stderr line ("" when it said nothing).
    last_words: str
    #: How many running debates it took with it.
    interrupted: int


class RestartPolicy:
    """Counts the engine's deaths in a sliding window and decides whether to restart."""

    def __init__(
        self,
        max_restarts: int = 3,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max_restarts = max_restarts
        self._window_s = window_s
        self._clock = clock
        self._restarts: deque[float] = deque()

    def reset(self) -> None:
        """Forget past deaths (the user started the engine again themselves)."""
        self._restarts.clear()

    def after(self, crash: Crash) -> tuple[bool, str]:
        """Record a death: (restart?, the message for the user)."""
        now = self._clock()
        while self._restarts and now - self._restarts[0] > self._window_s:
            self._restarts.popleft()
        give_up = len(self._restarts) >= self._max_restarts
        message = self._message(crash, give_up)
        if not give_up:
            self._restarts.append(now)
        return not give_up, message

    def _message(self, crash: Crash, give_up: bool) -> str:
        parts = [f"The debate engine stopped unexpectedly ({crash.how})."]
        if crash.last_words:
            parts.append(f"Its last message: {crash.last_words}")
        if crash.interrupted == 1:
            parts.append("The running debate was interrupted; you can run it again.")
        elif crash.interrupted > 1:
            parts.append(
                f"{crash.interrupted} running debates were interrupted; you can run them again."
            )
        if give_up:
            times = len(self._restarts) + 1
            parts.append(
                f"It stopped {times} time{'s' if times != 1 else ''} within "
                f"{round(self._window_s)} seconds, so Roundtable will not restart it again. "
                "Check the log, then restart Roundtable (`roundtable run` in a terminal "
                "shows the engine's errors)."
            )
        else:
            parts.append("Restarting the engine…")
        return " ".join(parts)
