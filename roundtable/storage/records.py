"""What storage hands out: frozen values built from rows (rows never leave storage)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from roundtable.domain import Answer, DebateSpec, DebateStatus, Seat, TurnStatus, Usage

#: Around the matched words of a search snippet: control characters never found in text.
SNIPPET_START = "\x02"
SNIPPET_END = "\x03"


@dataclass(frozen=True, slots=True)
class DebateSummary:
    """One line of the history: enough to list, sort and pick a debate."""

    id: str
    title: str
    question: str
    protocol: str
    status: DebateStatus
    created_at: datetime
    finished_at: datetime | None
    seat_count: int
    rounds_done: int
    consensus: bool
    final_answer: str | None
    total_tokens: int
    #: None when any call's price was unknown.
    cost_usd: float | None
    parent_id: str | None
    forked_from_round: int | None = None
    #: Why the debate was cancelled, interrupted or failed; None otherwise.
    status_detail: str | None = None
    #: Seats of the offline demo provider: a verdict they gave is simulated.
    demo_seats: int = 0
    #: Who started it (`roundtable.storage.people`); None for a debate from before.
    started_by: str | None = None


@dataclass(frozen=True, slots=True)
class SeatRecord:
    """A seat as it sat at this debate's table."""

    seat_id: str
    position: int
    name: str
    model: str
    api_base: str | None
    persona: str
    temperature: float | None
    max_tokens: int | None

    def as_seat(self) -> Seat:
        return Seat(
            id=self.seat_id,
            name=self.name,
            model=self.model,
            api_base=self.api_base,
            persona=self.persona,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
        )

    @property
    def is_demo(self) -> bool:
        """A simulated offline model: every rendering must say so."""
        return self.as_seat().is_demo


@dataclass(frozen=True, slots=True)
class RoundRecord:
    round: int
    agreement: float
    leader: str | None
    tally: dict[str, float]


@dataclass(frozen=True, slots=True)
class TurnRecord:
    round: int
    seat_id: str
    status: TurnStatus
    text: str
    answer: Answer | None
    usage: Usage
    error_kind: str | None
    error: str | None
    incomplete: bool
    started_at: datetime | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DebateRecord:
    """A whole stored debate, as the projections hold it (the events are separate)."""

    summary: DebateSummary
    spec: DebateSpec
    seats: tuple[SeatRecord, ...]
    rounds: tuple[RoundRecord, ...]
    #: In round order, then seat order.
    turns: tuple[TurnRecord, ...]
    #: How the final answer was chosen; None until the debate finished.
    rule: str | None
    tally: dict[str, float]

    @property
    def id(self) -> str:
        return self.summary.id

    def seat(self, seat_id: str) -> SeatRecord | None:
        return next((seat for seat in self.seats if seat.seat_id == seat_id), None)

    def round_numbers(self) -> list[int]:
        """Every round that has a turn or a result, in order."""
        return sorted({turn.round for turn in self.turns} | {r.round for r in self.rounds})

    def turns_in(self, round_number: int) -> list[TurnRecord]:
        return [turn for turn in self.turns if turn.round == round_number]

    def round_result(self, round_number: int) -> RoundRecord | None:
        return next((r for r in self.rounds if r.round == round_number), None)


@dataclass(frozen=True, slots=True)
class SearchHit:
    summary: DebateSummary
    #: Context around the match; matched words sit between SNIPPET_START and SNIPPET_END.
    snippet: str
    #: bm25 score of the best matching passage: lower is a better match (FTS5's
    #: convention); 0.0 where search falls back to LIKE.
    rank: float
