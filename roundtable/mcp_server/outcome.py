"""What asking the table returns: the CLI's `run --json` summary, with the verdict up
front and a short account of where the seats disagreed.

The summary is the one `roundtable run --json` and `show --json` print
(`roundtable.headless.summaries.JsonSummary`), so a client reads the same fields a script
does; this module only adds the words an assistant can pass on to its person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from roundtable.domain import Event, RoundFinished

if TYPE_CHECKING:
    from roundtable.headless.summaries import JsonSummary


class Disputes:
    """Collects what judges named as still disputed, round by round (a sink)."""

    def __init__(self) -> None:
        self.by_round: dict[int, tuple[str, ...]] = {}

    def __call__(self, event: Event) -> None:
        if isinstance(event, RoundFinished) and event.disputed:
            self.by_round[event.round] = event.disputed


def answer_of(summary: JsonSummary, wall_time_s: float, disputes: Disputes) -> dict[str, Any]:
    """The tool result: the answer, whether the table agreed, the vote, the account of
    disagreements, the cost, the debate id, and every round's answers. `simulated`
    names the seats that are offline demo models, whose verdict is not a real model's:
    the app labels such an answer, and a client should too."""
    result = summary.result(wall_time_s)
    usage = result["usage"]
    seats = summary.spec.seats if summary.spec else ()
    return {
        "debate_id": result["id"],
        "status": result["status"],
        "final_answer": result["final_answer"],
        "agreed": result["consensus"],
        "vote": result["tally"],
        "rule": result["rule"],
        "disagreements": disagreements(result["rounds"], disputes),
        "cost_usd": usage["cost_usd"],
        "total_tokens": usage["total_tokens"],
        "simulated": [seat.name for seat in seats if seat.is_demo],
        "error": result["error"],
        "question": result["question"],
        "protocol": result["protocol"],
        "rounds": result["rounds"],
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
