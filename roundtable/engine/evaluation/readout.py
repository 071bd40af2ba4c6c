"""Read a finished debate's events as the evaluation scores them: answers round by round.

The engine already decided everything an evaluation needs while the debate ran: each
seat's parsed answer (`TurnFinished.answer`), the table's leading answer after each
round (`RoundFinished.leader`) and the final answer by the protocol's own rule
(`DebateFinished.final_answer`). This module only collects them, so an evaluation
scores exactly what the user saw in the debate, never a second reading of the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from roundtable.domain import (
    Answer,
    DebateFinished,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    TurnFailed,
    TurnFinished,
    Usage,
)
from roundtable.domain.evaluation import RoundAnswers
from roundtable.engine.parsing import parse_answer


@dataclass(slots=True)
class _Round:
    speakers: tuple[str, ...] = ()
    answers: dict[str, Answer | None] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    seat_usage: dict[str, Usage] = field(default_factory=dict)
    started: datetime | None = None
    finished: datetime | None = None
    leader: str | None = None


def round_answers(events: Sequence[Event]) -> tuple[RoundAnswers, ...]:
    """Each played round's answers: the table's after it, and every speaker's, in seat order.

    The last round's table answer is the debate's final answer (by the protocol's rule:
    a vote, a chair's synthesis...); an earlier round's is the leader of its count. A
    seat whose turn failed has no answer (None) in that round. Rounds that never
    finished (a cancelled debate) are left out.
    """
    seat_order: tuple[str, ...] = ()
    rounds: dict[int, _Round] = {}
    final: DebateFinished | None = None
    for event in events:
        match event:
            case DebateStarted(spec=spec):
                seat_order = tuple(seat.id for seat in spec.seats)
            case RoundStarted(round=number, seat_ids=speakers, at=at):
                rounds[number] = _Round(speakers=speakers, started=at)
            case TurnFinished(round=number, seat_id=seat_id, answer=answer, usage=usage):
                played = rounds.setdefault(number, _Round())
                played.answers[seat_id] = answer
                played.usage += usage
                played.seat_usage[seat_id] = usage
            case TurnFailed(round=number, seat_id=seat_id):
                rounds.setdefault(number, _Round()).answers[seat_id] = None
            case RoundFinished(round=number, leader=leader, at=at):
                played = rounds.setdefault(number, _Round())
                played.leader, played.finished = leader, at
            case DebateFinished():
                final = event
            case _:
                pass
    finished = sorted(number for number, played in rounds.items() if played.finished is not None)
    result = []
    for position, number in enumerate(finished):
        played = rounds[number]
        is_last = position == len(finished) - 1
        leader = final.final_answer if is_last and final is not None else played.leader
        known = [played.answers, *(rounds[n].answers for n in reversed(finished[:position]))]
        seats = tuple(
            (seat_id, played.answers.get(seat_id))
            for seat_id in seat_order
            if seat_id in played.answers or seat_id in played.speakers
        )
        result.append(
            RoundAnswers(
                table=_resolve(leader, known),
                seats=seats,
                usage=Usage(
                    prompt_tokens=played.usage.prompt_tokens,
                    completion_tokens=played.usage.completion_tokens,
                    cost_usd=played.usage.cost_usd,
                    latency_s=_seconds(played.started, played.finished),
                ),
                seat_usage=dict(played.seat_usage),
            )
        )
    return tuple(result)


def _resolve(display: str | None, known: Sequence[dict[str, Answer | None]]) -> Answer | None:
    """The answer a display form stands for: the seat answer it was counted from (this
    round's first, then earlier rounds'), else the display read as an answer itself (a
    chair's synthesis may word it anew)."""
    if display is None:
        return None
    for answers in known:
        for answer in answers.values():
            if answer is not None and answer.display == display:
                return answer
    return parse_answer(f"Final answer: {display}")


def _seconds(started: datetime | None, finished: datetime | None) -> float:
    if started is None or finished is None:
        return 0.0
    return max(0.0, (finished - started).total_seconds())
