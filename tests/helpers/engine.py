"""`FakeEngine`: the window's engine client, standing in for the engine process.

It runs nothing and records each command it is sent, so a window test can check what
a click asked for, and feed the window the events it wants the engine to have sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from roundtable.domain import DebateSpec, Seat

__all__ = ["FakeEngine"]


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
