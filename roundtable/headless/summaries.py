"""The JSON shapes both front ends give: a debate as `roundtable run --json` prints it
(one object built from the event stream), and a stored debate as `list --json` lists it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from roundtable.domain import (
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    DebateSpec,
    DebateStarted,
    Event,
    RoundStarted,
    TurnFailed,
    TurnFinished,
    Usage,
)

if TYPE_CHECKING:
    from roundtable.storage import DebateSummary


class JsonSummary:
    """Collects what `--json` prints. Call it with each event; `.result()` at the end."""

    def __init__(self, *, first_new_round: int = 0) -> None:
        #: Rounds before this one (0-based) were copied or kept, not played by this run.
        self.first_new_round = first_new_round
        self.earlier_usage = self.new_usage = Usage()
        self.debate_id = ""
        self.spec: DebateSpec | None = None
        self.rounds: list[list[dict[str, Any]]] = []
        self.status = "running"
        self.final: DebateFinished | None = None
        self.error: str | None = None
        self.usage = Usage()

    def __call__(self, event: Event) -> None:
        match event:
            case DebateStarted(spec=spec):
                self.debate_id, self.spec = event.debate_id, spec
            case RoundStarted():
                self.rounds.append([])
            case TurnFinished(answer=answer):
                self.usage = self.usage + event.usage
                if event.round < self.first_new_round:
                    self.earlier_usage = self.earlier_usage + event.usage
                else:
                    self.new_usage = self.new_usage + event.usage
                self.rounds[-1].append(
                    self._turn(
                        event.seat_id,
                        "passed" if event.passed else "incomplete" if event.incomplete else "done",
                    )
                    | {
                        "answer": answer.display if answer else None,
                        "confidence": answer.confidence if answer else None,
                    }
                )
            case TurnFailed():
                self.rounds[-1].append(
                    self._turn(event.seat_id, "failed") | {"error": event.message}
                )
            case DebateFinished():
                self.status, self.final = "finished", event
            case DebateCancelled() | DebateInterrupted():
                self.status = "cancelled" if isinstance(event, DebateCancelled) else "interrupted"
            case DebateFailed(message=message):
                self.status, self.error = "failed", message
            case _:
                pass

    def _turn(self, seat_id: str, status: str) -> dict[str, Any]:
        assert self.spec is not None
        seat = self.spec.seat(seat_id)
        return {
            "_position": self.spec.seats.index(seat),
            "seat": seat.name,
            "model": seat.model,
            "answer": None,
            "confidence": None,
            "status": status,
        }

    def result(self, wall_time_s: float) -> dict[str, Any]:
        usage = self.final.usage if self.final else self.usage
        return {
            "id": self.debate_id,
            "question": self.spec.question if self.spec else None,
            "protocol": self.spec.protocol if self.spec else None,
            "status": self.status,
            "final_answer": self.final.final_answer if self.final else None,
            "consensus": self.final.consensus if self.final else False,
            "rule": self.final.rule if self.final else None,
            "tally": self.final.tally if self.final else {},
            "error": self.error,
            # Turns finish in any order; a reader expects them in seat order.
            "rounds": [
                [
                    {k: v for k, v in turn.items() if k != "_position"}
                    for turn in sorted(turns, key=lambda turn: turn["_position"])
                ]
                for turns in self.rounds
            ],
            "usage": _usage_json(usage) | {"wall_time_s": round(wall_time_s, 3)} | self._split(),
        }

    def _split(self) -> dict[str, Any]:
        """For a fork or resume: the copied or kept rounds' usage, and this run's, apart
        (the wall time is this run's alone)."""
        if not self.first_new_round:
            return {}
        return {
            "earlier_rounds": _usage_json(self.earlier_usage),
            "this_run": _usage_json(self.new_usage),
        }


def _usage_json(usage: Usage) -> dict[str, Any]:
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
        "cost_usd": usage.cost_usd,
    }


def summary_json(summary: DebateSummary, snippet: str = "") -> dict[str, Any]:
    """One debate of `list --json`: its whole id and what the table shows, unabridged."""
    from roundtable.storage import SNIPPET_END, SNIPPET_START

    data: dict[str, Any] = {
        "id": summary.id,
        "created_at": summary.created_at.isoformat(),
        "title": summary.title,
        "question": summary.question,
        "protocol": summary.protocol,
        "status": str(summary.status),
        "seats": summary.seat_count,
        "rounds": summary.rounds_done,
        "consensus": summary.consensus,
        "final_answer": summary.final_answer,
        "total_tokens": summary.total_tokens,
        "cost_usd": summary.cost_usd,
        "parent_id": summary.parent_id,
        "started_by": summary.started_by,
    }
    if snippet:
        data["snippet"] = snippet.replace(SNIPPET_START, "").replace(SNIPPET_END, "")
    return data
