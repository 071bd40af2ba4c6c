"""The engine, for tests of what talks to it.

- `FakeEngine` stands in for the window's engine client: it runs nothing and records
  each command it is sent, so a window test can check what a click asked for;
- `EngineProcess` is the real thing, `python -m roundtable.enginehost` on a database
  of the test's own, spoken to in `roundtable.wire` messages as the GUI does.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from roundtable import wire
from roundtable.domain import DebateSpec, Event, Seat

__all__ = ["EngineProcess", "FakeEngine"]

ROOT = Path(__file__).resolve().parents[2]


class FakeEngine:
    """Records what the window asks of the engine; every command returns at once.

    `calls` holds one tuple per command, its name first: `("start", spec)`,
    `("fork", parent_id, from_round, added_seats, dropped_seat_ids)`,
    `("followup", parent_id, question)`, `("resume", debate_id)`,
    `("human_turn", debate_id, round, seat_id, text)`, `("rename", debate_id, title)`,
    `("delete", debate_id)`, `("cancel", debate_id)`.
    """

    def __init__(
        self,
        *,
        start_id: str = "live-1",
        fork_id: str = "fork-1",
        followup_id: str = "follow-1",
        ready: bool = True,
    ) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.is_ready = ready
        self.gave_up = False
        self.running_debates: tuple[str, ...] = ()
        self._ids = {"start": start_id, "fork": fork_id, "followup": followup_id}
        self.shut_down = False

    def of(self, command: str) -> list[tuple[Any, ...]]:
        """The calls of one command, in order."""
        return [call for call in self.calls if call[0] == command]

    def _run(self, command: str, *args: Any) -> str:
        self.calls.append((command, *args))
        debate_id = self._ids[command]
        self.running_debates = (*self.running_debates, debate_id)
        return debate_id

    def start_debate(self, spec: DebateSpec) -> str:
        return self._run("start", spec)

    def fork_debate(
        self,
        parent_id: str,
        from_round: int,
        *,
        add_seats: Iterable[Seat] = (),
        drop_seats: Iterable[str] = (),
    ) -> str:
        return self._run("fork", parent_id, from_round, list(add_seats), list(drop_seats))

    def followup(self, parent_id: str, question: str) -> str:
        return self._run("followup", parent_id, question)

    def resume(self, debate_id: str) -> None:
        self.calls.append(("resume", debate_id))

    def send_human_turn(self, debate_id: str, round_index: int, seat_id: str, text: str) -> None:
        self.calls.append(("human_turn", debate_id, round_index, seat_id, text))

    def rename_debate(self, debate_id: str, title: str) -> None:
        self.calls.append(("rename", debate_id, title))

    def delete_debate(self, debate_id: str) -> None:
        self.calls.append(("delete", debate_id))

    def cancel(self, debate_id: str) -> None:
        self.calls.append(("cancel", debate_id))

    def shutdown(self, wait_ms: int = 0) -> None:
        self.shut_down = True


class EngineProcess:
    """A running `python -m roundtable.enginehost --db DB`, spoken to as the GUI does.

    It says `Hello` first, as the GUI's engine client does; `replies` grows, decoded, as
    lines arrive on a reader thread. `next_reply(match)` waits for the next reply that
    matches after those already taken; `wait_until(condition)` for the whole list to
    satisfy a condition. Both fail the test, saying what was awaited, at `timeout`.
    """

    def __init__(self, db: Path | str, env: Mapping[str, str], *, hello: bytes = b"") -> None:
        """`hello`: a raw first line instead of this version's `Hello` (to play an
        app of another version)."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "roundtable.enginehost", "--db", str(db)],
            cwd=ROOT,
            env=dict(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.replies: list[wire.Reply] = []
        self._taken = 0
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if hello:
            assert self.process.stdin is not None
            self.process.stdin.write(hello + b"\n")
            self.process.stdin.flush()
        else:
            self.send(wire.Hello())

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._arrived:
                self.replies.append(wire.decode_reply(line))
                self._arrived.notify_all()

    def send(self, command: wire.Command) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(wire.encode(command))
        self.process.stdin.flush()

    def next_reply(
        self, match: Callable[[wire.Reply], bool], *, timeout: float = 120, what: str = ""
    ) -> wire.Reply:
        """The first reply after those already taken that `match`es; takes it."""

        def found() -> bool:
            while self._taken < len(self.replies):
                self._taken += 1
                if match(self.replies[self._taken - 1]):
                    return True
            return False

        with self._arrived:
            assert self._arrived.wait_for(found, timeout=timeout), (
                f"the engine never sent {what or 'the awaited reply'}"
            )
            return self.replies[self._taken - 1]

    def wait_until(
        self,
        condition: Callable[[list[wire.Reply]], bool],
        *,
        timeout: float = 120,
        what: str = "",
    ) -> None:
        with self._arrived:
            assert self._arrived.wait_for(lambda: condition(self.replies), timeout=timeout), (
                f"timed out waiting for {what or 'the engine'}"
            )

    def events(self, debate_id: str | None = None) -> list[Event]:
        """The events it has sent so far, of one debate if given, in order."""
        with self._arrived:
            return [
                r.event
                for r in self.replies
                if isinstance(r, wire.EventNotice)
                and (debate_id is None or r.event.debate_id == debate_id)
            ]

    def stop(self, *, timeout: float = 10) -> None:
        """Ask it to shut down; kill it if it does not within `timeout`. Idempotent."""
        if self.process.poll() is None:
            try:
                self.send(wire.Shutdown())
                self.process.wait(timeout=timeout)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        self.join()

    def join(self) -> None:
        """Wait for the reader: what was already in the pipe is still read."""
        self._reader.join(timeout=10)
