"""What the protocols record besides answers, as the exports show it.

The stored projections (`DebateRecord`) hold answers, agreement and votes; the event
log holds the rest each protocol adds: a council's peer ranking (each reviewer's and
the average), the chair and its synthesis, a moderator's or judge's decisions, the
points still disputed, and the seats flagged for switching to the majority without a
new argument. `ProtocolNotes` collects them from the log, and the helpers below
write them as Markdown for `markdown.debate_to_markdown` (and so for HTML too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from roundtable.domain import Event, RoundFinished, TurnFinished
from roundtable.domain.endings import describe_ending

#: Shown on a flagged turn, and explained once under the seats.
CAPITULATION_NOTE = "switched to the majority's answer without a new argument"


@dataclass(frozen=True, slots=True)
class ProtocolNotes:
    """Per round and per turn, the protocol's extra record (the last event of each wins:
    a resumed round is recorded again)."""

    rounds: dict[int, RoundFinished] = field(default_factory=dict)
    turns: dict[tuple[int, str], TurnFinished] = field(default_factory=dict)

    @classmethod
    def from_events(cls, events: Sequence[Event]) -> ProtocolNotes:
        rounds: dict[int, RoundFinished] = {}
        turns: dict[tuple[int, str], TurnFinished] = {}
        for event in events:
            if isinstance(event, RoundFinished):
                rounds[event.round] = event
            elif isinstance(event, TurnFinished):
                turns[event.round, event.seat_id] = event
        return cls(rounds, turns)

    @property
    def any_capitulation(self) -> bool:
        return any(turn.capitulated for turn in self.turns.values())

    def ending(self, round_number: int, seat_id: str) -> str:
        """How a turn's reply ended when it was not a plain answer ("" if it was)."""
        event = self.turns.get((round_number, seat_id))
        return event.ending if event is not None else ""

    def reviews(self, round_number: int) -> list[TurnFinished]:
        """The turns of a round that ranked the others (a council's peer review)."""
        return [t for (r, _), t in self.turns.items() if r == round_number and t.ranking]


def round_notes(
    notes: ProtocolNotes,
    round_number: int,
    name: Callable[[str], str],
    text: Callable[[str], str],
    order: Sequence[str] = (),
) -> list[str]:
    """Markdown paragraphs for a round: the decision, the ranking tables, disputed points.

    `name` turns a seat id into its escaped display name; `text` escapes plain text;
    `order` is the table's seat ids, for listing reviewers in seat order.
    """
    event = notes.rounds.get(round_number)
    if event is None:
        return []
    parts = []
    if event.verdict:
        verdict = text(event.verdict)
        judge = name(event.judged_by) if event.judged_by else ""
        # "The moderator Cyra stops…" names its judge already; an agreement rating does not.
        by = f" (judged by {judge})" if judge and judge not in verdict else ""
        parts.append(f"**Decision:** {verdict}{by}")
    if event.rankings:
        rows = ["| Seat | Average rank (1 = best) |", "| --- | ---: |"]
        rows += [f"| {name(seat_id)} | {rank:.2f} |" for seat_id, rank in event.rankings.items()]
        parts.append("**Peer review** (answers anonymised and shuffled for each reviewer):")
        parts.append("\n".join(rows))
        place = {seat_id: index for index, seat_id in enumerate(order)}
        reviews = sorted(notes.reviews(round_number), key=lambda t: place.get(t.seat_id, 0))
        if reviews:
            table = ["| Reviewer | Ranking, best first |", "| --- | --- |"]
            table += [
                f"| {name(t.seat_id)} | {' > '.join(name(s) for s in t.ranking)} |" for t in reviews
            ]
            parts.append("\n".join(table))
    if event.disputed:
        points = "\n".join(f"- {text(point)}" for point in event.disputed)
        parts.append(f"**Still disputed:**\n\n{points}")
    return parts


def turn_notes(
    notes: ProtocolNotes, round_number: int, seat_id: str, name: Callable[[str], str]
) -> list[str]:
    """Markdown lines for a turn: how an odd reply ended (empty, length-cut, filtered…),
    its capitulation flag and, for a review, its ranking."""
    event = notes.turns.get((round_number, seat_id))
    if event is None:
        return []
    lines = []
    words = describe_ending(event.ending)
    if words:
        lines.append(f"*{words[0].upper()}{words[1:]}.*")
    if event.capitulated:
        lines.append(f"*Capitulation: {CAPITULATION_NOTE}.*")
    if event.ranking:
        lines.append("**Ranked:** " + " > ".join(name(s) for s in event.ranking))
    return lines
