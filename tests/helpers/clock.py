"""Run asyncio code on a virtual clock: sleeps take no time and timing is exact.

    def test_seats_speak_at_once():
        elapsed = run_in_virtual_time(lambda: three_turns_of(0.3))
        ...

The loop's clock (`loop.time()`, which the engine reads for latencies and coalescing)
starts at 0 and only moves when every task is waiting: it then jumps to the next timer.
So a test can say "0.3 s, not 0.9 s" about code that sleeps, exactly, on a loaded
machine as on an idle one, and without waiting.

Only for code whose waits are timers (`asyncio.sleep`, `asyncio.timeout`,
`loop.call_later`). A real socket or thread would still take real time, and the
clock would not wait for it: use the wall clock there and assert order, not speed.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["VirtualClockLoop", "run_in_virtual_time"]

T = TypeVar("T")


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0


class _JumpingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    """Polls for I/O without blocking; when asked to wait, moves the clock instead."""

    def __init__(self, clock: _Clock) -> None:
        super().__init__()
        self._clock = clock

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:  # nothing scheduled: only real I/O can wake the loop
            return super().select(None)
        self._clock.now += timeout
        return []


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose `time()` is virtual (see the module docstring)."""

    def __init__(self) -> None:
        self._virtual = _Clock()
        super().__init__(_JumpingSelector(self._virtual))

    def time(self) -> float:
        return self._virtual.now


def run_in_virtual_time(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run `main()` to the end on a fresh `VirtualClockLoop`, then close the loop."""
    loop = VirtualClockLoop()
    try:
        return loop.run_until_complete(main())
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
