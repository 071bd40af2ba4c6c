"""The charts of one debate: agreement by round, each seat's answer by round, the votes.

    charts = debate_charts(facts_from_record(record))      # an export
    charts = debate_charts(facts_from_events(events))      # the app, live or replayed

Both sources are folded into the same `DebateFacts` first, so a stored debate and
the events it was recorded from give the same charts (tested), and the app shows a
replay's charts as they stood at the replay's position.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from roundtable.charts.values import (
    Axis,
    Chart,
    ChartKind,
    Guide,
    Point,
    Series,
    SeriesRole,
    share_text,
)
from roundtable.domain import (
    DebateFinished,
    DebateStarted,
    Event,
    RoundFinished,
    TurnFailed,
    TurnFinished,
    TurnStatus,
)
from roundtable.domain.formatting import round_label
from roundtable.engine.protocols import planned_rounds
from roundtable.storage.records import DebateRecord

#: The chart keys, in the order the charts are shown (also their ids in a page).
DEBATE_CHART_KEYS = ("agreement", "answers", "votes")


@dataclass(frozen=True, slots=True)
class SeatAnswer:
    """What one seat said in one round: its answer (None: none found) or a failure."""

    round: int
    seat_id: str
    answer: str | None
    confidence: float | None = None
    failed: bool = False


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    round: int
    agreement: float
    leader: str | None
    tally: dict[str, float]


@dataclass(frozen=True, slots=True)
class DebateFacts:
    """What the debate charts are drawn from, from a record or from events."""

    debate_id: str
    #: (seat id, name) in table order.
    seats: tuple[tuple[str, str], ...]
    answers: tuple[SeatAnswer, ...]
    rounds: tuple[RoundOutcome, ...]
    #: The final vote; None until the debate finished.
    final_tally: dict[str, float] | None = None
    final_answer: str | None = None
    consensus_threshold: float = 1.0
    #: Rounds the protocol plans at most (a vote: 1).
    planned_rounds: int = 0


# ---------------------------------------------------------------- the two sources
def facts_from_record(record: DebateRecord) -> DebateFacts:
    answers = []
    for turn in record.turns:
        if turn.status is TurnStatus.FAILED:
            answers.append(SeatAnswer(turn.round, turn.seat_id, None, failed=True))
        elif turn.status is TurnStatus.DONE:
            answer = turn.answer
            answers.append(
                SeatAnswer(
                    turn.round,
                    turn.seat_id,
                    answer.display if answer else None,
                    answer.confidence if answer else None,
                )
            )
    finished = record.rule is not None
    return DebateFacts(
        debate_id=record.id,
        seats=tuple((seat.seat_id, seat.name) for seat in record.seats),
        answers=tuple(answers),
        rounds=tuple(
            RoundOutcome(r.round, r.agreement, r.leader, dict(r.tally)) for r in record.rounds
        ),
        final_tally=dict(record.tally) if finished else None,
        final_answer=record.summary.final_answer,
        consensus_threshold=record.spec.consensus.threshold,
        planned_rounds=planned_rounds(record.spec),
    )


def facts_from_events(events: Iterable[Event]) -> DebateFacts:
    """Fold a debate's events (all of them, or the first n of a replay)."""
    debate_id = ""
    seats: tuple[tuple[str, str], ...] = ()
    threshold, planned = 1.0, 0
    answers: dict[tuple[int, str], SeatAnswer] = {}
    rounds: dict[int, RoundOutcome] = {}
    final_tally: dict[str, float] | None = None
    final_answer: str | None = None
    for event in events:
        if isinstance(event, DebateStarted):
            debate_id = event.debate_id
            seats = tuple((seat.id, seat.name) for seat in event.spec.seats)
            threshold = event.spec.consensus.threshold
            planned = planned_rounds(event.spec)
        elif isinstance(event, TurnFinished):
            answer = event.answer
            answers[event.round, event.seat_id] = SeatAnswer(
                event.round,
                event.seat_id,
                answer.display if answer else None,
                answer.confidence if answer else None,
            )
        elif isinstance(event, TurnFailed):
            answers[event.round, event.seat_id] = SeatAnswer(
                event.round, event.seat_id, None, failed=True
            )
        elif isinstance(event, RoundFinished):
            rounds[event.round] = RoundOutcome(
                event.round, event.agreement, event.leader, dict(event.tally)
            )
        elif isinstance(event, DebateFinished):
            final_tally, final_answer = dict(event.tally), event.final_answer
    order = {seat_id: place for place, (seat_id, _) in enumerate(seats)}
    return DebateFacts(
        debate_id=debate_id,
        seats=seats,
        # Storage's order: by round, then by place at the table.
        answers=tuple(
            sorted(answers.values(), key=lambda a: (a.round, order.get(a.seat_id, len(order))))
        ),
        rounds=tuple(rounds[number] for number in sorted(rounds)),
        final_tally=final_tally,
        final_answer=final_answer,
        consensus_threshold=threshold,
        planned_rounds=planned,
    )


# ---------------------------------------------------------------- the charts
def debate_charts(facts: DebateFacts) -> tuple[Chart, ...]:
    """Agreement by round, each seat's answer by round, the final vote (in that order)."""
    categories = _answer_order(facts)
    return (
        agreement_chart(facts),
        answers_chart(facts, categories),
        votes_chart(facts, categories),
    )


def agreement_chart(facts: DebateFacts) -> Chart:
    points = tuple(
        Point(
            x=outcome.round,
            y=outcome.agreement,
            tooltip=f"{round_label(outcome.round)}: {share_text(outcome.agreement)} agree"
            + (f" on {outcome.leader}" if outcome.leader else ""),
            label=share_text(outcome.agreement),
        )
        for outcome in facts.rounds
    )
    guides: tuple[Guide, ...] = ()
    if facts.planned_rounds != 1:
        guides = (Guide(facts.consensus_threshold, _threshold_words(facts.consensus_threshold)),)
    shares = ", ".join(
        f"{share_text(o.agreement)} in {round_label(o.round).lower()}" for o in facts.rounds
    )
    return Chart(
        key="agreement",
        kind=ChartKind.LINE,
        title="Agreement by round",
        caption=f"Share of the seats that gave the leading answer: {shares}."
        if shares
        else "Share of the seats that gave the leading answer, after each round.",
        x=_round_axis(o.round for o in facts.rounds),
        y=Axis("Seats agreeing", percent=True, low=0.0, high=1.05),
        series=(Series("Agreement", points, SeriesRole.TABLE),),
        guides=guides,
        empty_text="Agreement shows once the first round has finished.",
    )


def answers_chart(facts: DebateFacts, categories: tuple[str, ...] = ()) -> Chart:
    names = dict(facts.seats)
    place = {seat_id: row for row, (seat_id, _) in enumerate(facts.seats)}
    previous: dict[str, str] = {}
    moves: list[str] = []
    rows: dict[str, list[Point]] = {seat_id: [] for seat_id, _ in facts.seats}
    for said in facts.answers:
        if said.seat_id not in place:
            continue
        name = names[said.seat_id]
        before = previous.get(said.seat_id)
        moved = said.answer is not None and before is not None and said.answer != before
        if moved:
            moves.append(f"{name} moved from {before} to {said.answer} in {_round_words(said)}")
        rows[said.seat_id].append(
            Point(
                x=said.round,
                y=place[said.seat_id],
                tooltip=_answer_tooltip(name, said, before if moved else None),
                label=_cell_label(said),
                link=f"turn:{said.round}:{said.seat_id}",
                category=said.answer or "",
                marked=moved,
            )
        )
        if said.answer is not None:
            previous[said.seat_id] = said.answer
    if moves:
        story = "; ".join(moves) + "."
    elif facts.answers:
        story = "No seat changed its answer."
    else:
        story = ""
    return Chart(
        key="answers",
        kind=ChartKind.GRID,
        title="Each seat's answer by round",
        caption=(
            "Each seat's answer and stated confidence after each round; an outlined cell "
            f"is a seat that changed its answer. {story}"
        ).strip(),
        x=_round_axis(sorted({a.round for a in facts.answers})),
        y=Axis("", ticks=tuple((row, name) for row, (_, name) in enumerate(facts.seats))),
        series=tuple(
            Series(names[seat_id], tuple(points), SeriesRole.ANSWER, place[seat_id])
            for seat_id, points in rows.items()
        ),
        categories=categories,
        empty_text="Answers show as the seats finish their turns.",
    )


def votes_chart(facts: DebateFacts, categories: tuple[str, ...] = ()) -> Chart:
    if facts.final_tally is not None:
        tally, title = facts.final_tally, "Votes of the final round"
    elif facts.rounds:
        last = facts.rounds[-1]
        tally, title = last.tally, f"Votes after {round_label(last.round).lower()}"
    else:
        tally, title = {}, "Votes of the final round"
    total = sum(tally.values())
    ranked = sorted(tally.items(), key=lambda item: -item[1])
    points = tuple(
        Point(
            x=number,
            y=votes / total if total else 0.0,
            tooltip=f"{answer}: {votes:g} of {total:g} votes ({share_text(votes / total)})"
            if total
            else f"{answer}: no votes",
            label=share_text(votes / total) if total else "0%",
            category=answer,
            marked=answer == facts.final_answer,
        )
        for number, (answer, votes) in enumerate(ranked)
    )
    split = (
        ", ".join(f"{answer} {share_text(votes / total)}" for answer, votes in ranked)
        if total
        else ""
    )
    chosen = f" The final answer is {facts.final_answer} (outlined)." if facts.final_answer else ""
    return Chart(
        key="votes",
        kind=ChartKind.BAR,
        title=title,
        caption=(
            "How the votes split between the answers, weighted as the protocol counts them"
            + (f": {split}." if split else ".")
            + chosen
        ),
        x=Axis("Answer", ticks=tuple((n, _short(answer)) for n, (answer, _) in enumerate(ranked))),
        y=Axis("Share of the votes", percent=True, low=0.0, high=1.1),
        series=(Series("Votes", points, SeriesRole.ANSWER),),
        categories=categories,
        empty_text="The vote shows once the first round has finished.",
    )


# ---------------------------------------------------------------- words and orders
def _answer_order(facts: DebateFacts) -> tuple[str, ...]:
    """Answers in the order they get colours: the final vote's (most votes first),
    then any other answer as it first appeared, so both charts colour alike."""
    tally = (
        facts.final_tally
        if facts.final_tally is not None
        else (facts.rounds[-1].tally if facts.rounds else {})
    )
    ordered = [answer for answer, _ in sorted(tally.items(), key=lambda item: -item[1])]
    for said in facts.answers:
        if said.answer is not None and said.answer not in ordered:
            ordered.append(said.answer)
    return tuple(ordered)


def _round_axis(rounds: Iterable[int]) -> Axis:
    return Axis("", ticks=tuple((number, round_label(number)) for number in rounds))


def _round_words(said: SeatAnswer) -> str:
    return round_label(said.round).lower()


def _threshold_words(threshold: float) -> str:
    return "consensus: all agree" if threshold >= 1.0 else f"consensus at {share_text(threshold)}"


def _cell_label(said: SeatAnswer) -> str:
    if said.failed:
        return "failed"
    if said.answer is None:
        return "no answer"
    if said.confidence is None:
        return said.answer
    return f"{said.answer}\n{share_text(said.confidence)}"


def _answer_tooltip(name: str, said: SeatAnswer, moved_from: str | None) -> str:
    where = f"{name}, {_round_words(said)}"
    if said.failed:
        return f"{where}: the turn failed"
    if said.answer is None:
        return f"{where}: no answer found"
    confidence = (
        f" (confidence {share_text(said.confidence)})" if said.confidence is not None else ""
    )
    moved = f", changed from {moved_from}" if moved_from is not None else ""
    return f"{where}: {said.answer}{confidence}{moved}"


def _short(answer: str, limit: int = 16) -> str:
    return answer if len(answer) <= limit else answer[: limit - 1] + "…"
