"""What asking the table returns: the CLI's `run --json` summary, with the verdict up
front and a short account of where the seats disagreed.

The summary is the one `roundtable run --json` and `show --json` print
(`roundtable.cli.summary.JsonSummary`), so a client reads the same fields a script
does; this module only adds the words an assistant can pass on to its person.
"""

from __future__ import annotations

from typing import Any

from roundtable.domain import Event, RoundFinished


class Disputes:
    """Collects what judges named as still disputed, round by round (a sink)."""

    def __init__(self) -> None:
        self.by_round: dict[int, tuple[str, ...]] = {}

    def __call__(self, event: Event) -> None:
        if isinstance(event, RoundFinished) and event.disputed:
            self.by_round[event.round] = event.disputed


def answer_of(summary: dict[str, Any], disputes: Disputes) -> dict[str, Any]:
    """The tool result: the answer, whether the table agreed, the vote, the account of
    disagreements, the cost, the debate id, and every round's answers."""
    usage = summary["usage"]
    return {
        "debate_id": summary["id"],
        "status": summary["status"],
        "final_answer": summary["final_answer"],
        "agreed": summary["consensus"],
        "vote": summary["tally"],
        "rule": summary["rule"],
        "disagreements": disagreements(summary["rounds"], disputes),
        "cost_usd": usage["cost_usd"],
        "total_tokens": usage["total_tokens"],
        "error": summary["error"],
        "question": summary["question"],
        "protocol": summary["protocol"],
        "rounds": summary["rounds"],
    }


def disagreements(rounds: list[list[dict[str, Any]]], disputes: Disputes) -> str:
    """Where the seats disagreed, one line per round that split (rounds from 1):
    "Round 1: 391 (Ada, Basil) against 401 (Cyra)."."""
    lines = []
    for index, turns in enumerate(rounds):
        camps: dict[str, list[str]] = {}
        for turn in turns:
            if turn["answer"] is not None:
                camps.setdefault(turn["answer"], []).append(turn["seat"])
        line = ""
        if len(camps) > 1:
            biggest_first = sorted(camps.items(), key=lambda camp: -len(camp[1]))
            sides = [f"{answer} ({', '.join(seats)})" for answer, seats in biggest_first]
            line = f"Round {index + 1}: {' against '.join(sides)}."
        if index in disputes.by_round:
            points = "; ".join(disputes.by_round[index])
            line = f"{line or f'Round {index + 1}:'} Still disputed: {points}."
        if line:
            lines.append(line)
    if not lines:
        answered = any(turn["answer"] is not None for turns in rounds for turn in turns)
        return "The seats gave the same answer in every round." if answered else "No seat answered."
    return "\n".join(lines)
