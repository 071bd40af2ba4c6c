"""What the debate view's status line says while a stored debate is being replayed.

A replay feeds the view the debate's events from the start, so without this the
status line would read "Running" with a clock counting from when the debate really
began (minutes or days ago, still counting while the replay is paused). The replay
controller tells the view where it is instead; the view then says it is replaying,
which turn and which round it shows, and the debate time at that point.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReplayPosition:
    """Where a replay stands: `turn` of `turns` ended, in `round` (0-based)."""

    turn: int
    turns: int
    round: int | None
    playing: bool


def replay_words(position: ReplayPosition) -> list[str]:
    """The status line's first parts: "Replaying", "3 of 9 turns done", "round 2"."""
    parts = ["Replaying" if position.playing else "Replay paused"]
    # Counted as the bar counts: turns ended (several may be under way at once).
    parts.append(f"{position.turn} of {position.turns} turns done")
    if position.round is not None:
        # Not "of N": the table's own label counts the rounds the protocol planned.
        parts.append(f"round {position.round + 1}")
    return parts
