"""What the debate view shows, folded from the event stream (no Qt here).

`DebateState.apply(event)` is a reducer: it updates the state and returns a `Change`
naming what moved (which seats, which turns, which rounds, the debate as a whole), so
widgets repaint only that. A live debate and a replay feed it the very same events,
which is what keeps the two views identical.

The state is mutable on purpose: a debate of twelve seats streams dozens of deltas a
second, and copying the whole state per delta would be waste. Widgets read it; only
`apply` (and `restore`) writes it.

A replay jumps about a stored debate: `snapshot()` keeps the state as it is, and
`restore(snapshot)` brings it back, each for a copy of the seats and a pointer a round.
Rounds are shared between the state and its snapshots and copied on the first write
after a snapshot or a restore (`_round`), so a snapshot never changes.
"""

from __future__ import annotations

from datetime import datetime

from roundtable.domain import (
    ConsensusReached,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    DebateSpec,
    DebateStarted,
    DebateStatus,
    Event,
    RoundFinished,
    RoundStarted,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnQueued,
    TurnRetrying,
    TurnSent,
    TurnStarted,
    Usage,
)
from roundtable.engine.protocols import planned_rounds, round_kind
from roundtable.gui.debate import turn_life
from roundtable.gui.debate.state_readings import DebateReadings
from roundtable.gui.debate.state_values import (
    Change,
    Phase,
    RoundView,
    SeatView,
    StateSnapshot,
    TurnKey,
    TurnView,
    copy_round,
    describe_error_kind,
)

__all__ = [
    "Change",
    "DebateState",
    "Phase",
    "RoundView",
    "SeatView",
    "StateSnapshot",
    "TurnKey",
    "TurnView",
    "describe_error_kind",
]

_NOTHING = Change()


class DebateState(DebateReadings):
    """The reducer behind the debate view: call `apply(event)` for each event, in order."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.debate_id: str | None = None
        self.spec: DebateSpec | None = None
        #: The most rounds the debate's protocol runs (a vote: 1, a council: 3).
        self.planned_rounds = 0
        self.status: DebateStatus | None = None
        self.status_reason = ""
        self.seats: dict[str, SeatView] = {}
        self.rounds: list[RoundView] = []
        self.final_answer: str | None = None
        self.consensus: bool | None = None
        self.consensus_answer: str | None = None
        self.rule = ""
        self.tally: dict[str, float] = {}
        self.final_usage: Usage | None = None
        self.started_at: datetime | None = None
        self.last_at: datetime | None = None
        self.parent_id: str | None = None
        self.forked_from_round: int | None = None
        #: "fork" or "followup" when `parent_id` is set.
        self.relation = "fork"
        self._seat_order: dict[str, int] = {}
        #: Indexes of the rounds this state may write in place; the others are shared
        #: with a snapshot and copied first (`_round`).
        self._own: set[int] = set()

    # ------------------------------------------------------------ snapshots
    def snapshot(self) -> StateSnapshot:
        """The state as it is now, to `restore` later; costs the seats and a pointer a
        round (the rounds are shared, copied on their next write)."""
        self._own = set()
        return StateSnapshot.taken(vars(self))

    def restore(self, snapshot: StateSnapshot) -> None:
        """Be exactly the state `snapshot` was taken of (the widgets keep reading this
        object; redraw them after)."""
        vars(self).update(snapshot.fields())
        self._own = set()

    def mark_your_turn(self, seat_id: str, waiting: bool) -> Change:
        """A person's seat is (no longer) waited for: its card says "your turn"."""
        seat = self.seats.get(seat_id)
        if seat is None or seat.your_turn == waiting:
            return _NOTHING
        seat.your_turn = waiting
        return Change(seats=frozenset({seat_id}))

    # ------------------------------------------------------------ writing
    def apply(self, event: Event) -> Change:
        """Fold one event into the state; return what changed (empty if nothing did)."""
        if isinstance(event, DebateStarted):
            return self._started(event)
        if self.debate_id is None or event.debate_id != self.debate_id:
            # An event of another debate (or before any start) must not corrupt this view.
            return _NOTHING
        self.last_at = event.at
        match event:
            case RoundStarted():
                return self._round_started(event)
            case TurnStarted():
                return self._turn_started(event)
            case TurnQueued() | TurnSent():
                return self._turn_queue(event)
            case TurnDelta():
                return self._turn_delta(event)
            case TurnRetrying():
                return self._turn_retrying(event)
            case TurnFinished():
                return self._turn_finished(event)
            case TurnFailed():
                return self._turn_failed(event)
            case RoundFinished():
                return self._round_finished(event)
            case ConsensusReached():
                return self._consensus(event)
            case DebateFinished():
                return self._finished(event)
            case DebateCancelled():
                return self._stopped(DebateStatus.CANCELLED, event.reason)
            case DebateInterrupted():
                return self._stopped(DebateStatus.INTERRUPTED, event.reason)
            case DebateFailed():
                return self._stopped(DebateStatus.FAILED, event.message)
        return _NOTHING

    def _started(self, event: DebateStarted) -> Change:
        self.clear()
        self.debate_id = event.debate_id
        self.spec = event.spec
        self.planned_rounds = planned_rounds(event.spec)
        self.status = DebateStatus.RUNNING
        self.started_at = self.last_at = event.at
        self.parent_id = event.parent_id
        self.forked_from_round = event.forked_from_round
        self.relation = event.relation
        for index, seat in enumerate(event.spec.seats):
            self.seats[seat.id] = SeatView(seat=seat, index=index)
            self._seat_order[seat.id] = index
        return Change(reset=True, debate=True)

    def _round(self, index: int) -> RoundView:
        """Round `index`, to write to: made if missing, copied if a snapshot shares it."""
        # Rounds arrive in order; a gap (a stored debate missing an event) is filled in.
        while len(self.rounds) <= index:
            missing = len(self.rounds)
            self.rounds.append(RoundView(index=missing, kind=self._kind(missing, len(self.seats))))
            self._own.add(missing)
        if index not in self._own:
            self.rounds[index] = copy_round(self.rounds[index])
            self._own.add(index)
        return self.rounds[index]

    def _kind(self, index: int, speakers: int) -> str:
        # The protocol names its rounds; the GUI never guesses (a council's round 2 is
        # its peer review, a vote's only round is the vote).
        return round_kind(self.spec.protocol, index, speakers) if self.spec else ""

    def _round_started(self, event: RoundStarted) -> Change:
        rnd = self._round(event.round)
        rnd.seat_ids = event.seat_ids
        rnd.kind = self._kind(event.round, len(event.seat_ids))
        touched = set()
        for seat_id in event.seat_ids:
            seat = self.seats.get(seat_id)
            if seat is not None:
                seat.phase = Phase.WAITING
                seat.error = seat.error_detail = ""
                touched.add(seat_id)
        sitting_out = self.spec.sitting_out if self.spec is not None else ()
        for seat_id in sitting_out:
            # A seat a fork dropped keeps its copied turns, but from the first round
            # played without it, its card must not look as if it were still at the table.
            seat = self.seats.get(seat_id)
            if seat is not None and seat_id not in event.seat_ids and seat.sat_out_from is None:
                seat.phase, seat.sat_out_from = Phase.SAT_OUT, event.round
                seat.your_turn = False
                touched.add(seat_id)
        return Change(seats=frozenset(touched), rounds=frozenset({event.round}), debate=True)

    def _turn_started(self, event: TurnStarted) -> Change:
        if self._open_turn(event.round, event.seat_id) is None:
            return _NOTHING
        return self._turn_change(event.round, event.seat_id, rounds=frozenset({event.round}))

    def _open_turn(self, round_index: int, seat_id: str) -> TurnView | None:
        seat = self.seats.get(seat_id)
        if seat is None:
            return None
        turn = TurnView(round=round_index, seat_id=seat_id)
        self._round(round_index).turns[seat_id] = turn
        turn_life.start(turn, seat)
        return turn

    def _existing_turn(self, round_index: int, seat_id: str) -> TurnView | None:
        """The turn, to write to; a turn event without its TurnStarted (a trimmed replay)
        opens the turn here."""
        if self.turn(round_index, seat_id) is None:
            return self._open_turn(round_index, seat_id)
        return self._round(round_index).turns[seat_id]

    def _turn_delta(self, event: TurnDelta) -> Change:
        turn = self._existing_turn(event.round, event.seat_id)
        if turn is None or not event.text:
            return _NOTHING
        badge_changed = turn_life.stream(turn, self.seats[event.seat_id], event.text)
        seats = frozenset({event.seat_id}) if badge_changed else frozenset()
        return Change(seats=seats, turns=frozenset({turn.key}), appended=event.text)

    def _turn_queue(self, event: TurnQueued | TurnSent) -> Change:
        turn = self._existing_turn(event.round, event.seat_id)
        if turn is None:
            return _NOTHING
        seat = self.seats[event.seat_id]
        if isinstance(event, TurnQueued):
            turn_life.queue(turn, seat, event.server)
        else:
            turn_life.send(turn, seat)
        return self._turn_change(event.round, event.seat_id)

    def _turn_retrying(self, event: TurnRetrying) -> Change:
        turn = self._existing_turn(event.round, event.seat_id)
        if turn is None:
            return _NOTHING
        turn_life.retry(turn, self.seats[event.seat_id], event)
        return self._turn_change(event.round, event.seat_id)

    def _turn_finished(self, event: TurnFinished) -> Change:
        turn = self._existing_turn(event.round, event.seat_id)
        if turn is None:
            return _NOTHING
        turn_life.finish(turn, self.seats[event.seat_id], event)
        return self._turn_change(event.round, event.seat_id, debate=True)

    def _turn_failed(self, event: TurnFailed) -> Change:
        turn = self._existing_turn(event.round, event.seat_id)
        if turn is None:
            return _NOTHING
        turn_life.fail(turn, self.seats[event.seat_id], event)
        return self._turn_change(event.round, event.seat_id)

    def _turn_change(
        self,
        round_index: int,
        seat_id: str,
        *,
        rounds: frozenset[int] = frozenset(),
        debate: bool = False,
    ) -> Change:
        return Change(
            seats=frozenset({seat_id}),
            turns=frozenset({(round_index, seat_id)}),
            rounds=rounds,
            debate=debate,
        )

    def _round_finished(self, event: RoundFinished) -> Change:
        rnd = self._round(event.round)
        rnd.finished = True
        rnd.agreement = event.agreement
        rnd.tally = dict(event.tally)
        rnd.leader = event.leader
        rnd.rankings = dict(event.rankings)
        rnd.verdict = event.verdict
        rnd.disputed = tuple(event.disputed)
        rnd.judged_by = event.judged_by
        return Change(rounds=frozenset({event.round}), debate=True)

    def _consensus(self, event: ConsensusReached) -> Change:
        self._round(event.round).consensus = event.answer
        self.consensus_answer = event.answer
        return Change(rounds=frozenset({event.round}), debate=True)

    def _finished(self, event: DebateFinished) -> Change:
        self.status = DebateStatus.FINISHED
        self.final_answer = event.final_answer
        self.consensus = event.consensus
        self.rule = event.rule
        self.tally = dict(event.tally)
        self.final_usage = event.usage
        seats, turns = turn_life.stop_running(self._running_rounds(), self.seats, waiting_too=False)
        return Change(seats=seats, turns=turns, debate=True)

    def _stopped(self, status: DebateStatus, reason: str) -> Change:
        self.status = status
        self.status_reason = reason
        seats, turns = turn_life.stop_running(self._running_rounds(), self.seats, waiting_too=True)
        return Change(seats=seats, turns=turns, debate=True)

    def _running_rounds(self) -> list[RoundView]:
        """The rounds with a turn still running, to write to (the debate is ending)."""
        return [
            self._round(rnd.index)
            for rnd in self.rounds
            if any(turn.phase.active for turn in rnd.turns.values())
        ]
