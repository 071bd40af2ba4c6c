"""Replaying a stored debate through the very widgets that show a live one.

A stored debate is its event log without the `TurnDelta`s (storage keeps every
event but those). `ReplayController` feeds those events to a target (the debate
view: anything with `clear()` and `apply(event)`) at a pace the user picks, and
puts the streaming back: while a turn is "running" it sends `TurnDelta`s that
reveal the turn's final text a little at a time, then its `TurnFinished`. Turns
of one round stream side by side, as they did live; each at the speed its model
streamed (from the stored usage), within readable bounds.

Positions are turn boundaries: position k means "the first k turns have ended"
(plus the round results that follow them); position 0 shows the empty table and
the last position shows everything, the debate's end state. Stepping forward
applies events at once; stepping back or scrubbing rebuilds the view from the
start (`clear()` then the prefix, no animation), so any position looks exactly
as it would if the debate had been played up to there.

One QTimer drives playback (about 30 ticks a second); nothing ever sleeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from roundtable.domain import (
    DebateStarted,
    Event,
    RoundFinished,
    TurnDelta,
    TurnRetrying,
    TurnStarted,
)
from roundtable.gui.debate.replay_status import ReplayPosition
from roundtable.gui.replay.timeline import (
    ROUND_EVENTS,
    TURN_ENDS,
    Flight,
    Timeline,
    TurnKey,
    flight_for,
)

#: The speeds the bar offers; 1.0 is "as the models streamed".
SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
#: ~30 updates a second at most: smooth to the eye, cheap for the view.
TICK_MS = 33
#: A tick that comes late (a busy GUI) must not make the replay jump ahead.
_MAX_TICK_S = 0.1
#: A short beat after each round's result so the eye catches the agreement change.
ROUND_BEAT_S = 0.6

#: A jump over more events than this goes to the target's `apply_all` if it has one.
#: Above a round's worth of events (a step into a new round of 8 seats applies ~12):
#: `apply_all` redraws the view's whole state, ~50 ms for a 1,000-turn debate, while
#: event by event only what changed is drawn.
BATCH_AT_ONCE = 48

PLAYING, PAUSED, ENDED = "playing", "paused", "ended"


class ReplayTarget(Protocol):
    """What a replay draws on: the debate view (or a test's recording fake). A target
    may also have `apply_all(events)` (a long jump drawn at once; given a prefix of the
    log from its `DebateStarted`, it starts again from that, so it is not cleared first)
    and `show_replay(ReplayPosition | None)` (where the replay stands, for its status
    line)."""

    def clear(self) -> None: ...

    def apply(self, event: Event) -> object: ...


class ReplayController(QObject):
    """Plays stored events into a target at a chosen speed, turn by turn or continuously.

    Signals:
    """

    #: (turns ended so far, total turns); also when the round changes or text first shows
    position_changed = Signal(int, int)
    #: "playing" | "paused" | "ended"
    state_changed = Signal(str)
    #: the new speed factor (0.5 .. 8.0)
    speed_changed = Signal(float)

    def __init__(self, target: ReplayTarget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._timeline = Timeline.build(())
        self._cursor = 0
        self._state = ENDED
        self._speed = 1.0
        self._round: int | None = None
        self._flights: dict[TurnKey, Flight] = {}
        self._beat_s = 0.0
        self._last_at: datetime | None = None
        self._last_seq = 0
        self._emitted: tuple[int, int, int | None, bool] | None = None
        #: The next events are drawn from the log's start (a jump back).
        self._from_start = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()

    # ------------------------------------------------------------------ reading
    @property
    def state(self) -> str:
        return self._state

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def total_turns(self) -> int:
        return self._timeline.total_turns

    @property
    def position(self) -> int:
        """Turns ended so far (0 .. total_turns)."""
        return self._timeline.position_at(self._cursor)

    @property
    def current_round(self) -> int | None:
        """The round (0-based, as stored) of the latest event shown, None before any."""
        return self._round

    @property
    def at_start(self) -> bool:
        """Nothing of the debate's turns is shown yet."""
        return self._cursor <= self._timeline.boundaries[0] and not self._revealing

    @property
    def at_end(self) -> bool:
        return self._cursor >= len(self._timeline.events)

    @property
    def has_events(self) -> bool:
        return bool(self._timeline.events)

    @property
    def is_active(self) -> bool:
        """True while the replay owns the view: playing, or stopped short of the end."""
        return self.has_events and (
            self._state == PLAYING or self._cursor < len(self._timeline.events)
        )

    # ------------------------------------------------------------------ loading
    def set_events(self, events: Sequence[Event]) -> None:
        """Take a stored debate's events. The target is assumed to show its end state
        already (the window applies them all when it opens a debate); replay starts
        on demand."""
        self._halt()
        self._timeline = Timeline.build(events)
        self._cursor = len(self._timeline.events)
        self._reset_progress()
        self._round = next(
            (e.round for e in reversed(self._timeline.events) if isinstance(e, ROUND_EVENTS)),
            None,
        )
        self._set_state(ENDED, force=True)
        self._emit_position(force=True)

    def stop(self) -> None:
        """Let go of the view (another debate or the setup page takes it): stop playing
        and forget the events. The target is left as it is."""
        self.set_events(())

    # ------------------------------------------------------------------ playback
    def set_speed(self, speed: float) -> None:
        speed = min(SPEEDS[-1], max(SPEEDS[0], float(speed)))
        if speed != self._speed:
            self._speed = speed
            self.speed_changed.emit(speed)

    def play(self) -> None:
        if not self.has_events or self._state == PLAYING:
            return
        if self._cursor >= len(self._timeline.events):
            self.seek(0)
        self._clock.start()
        self._timer.start()
        self._set_state(PLAYING)

    def pause(self) -> None:
        if self._state == PLAYING:
            self._halt()
            self._set_state(PAUSED)

    def toggle_play(self) -> None:
        if self._state == PLAYING:
            self.pause()
        else:
            self.play()

    def play_from_start(self) -> None:
        if self.has_events:
            self.seek(0)
            self.play()

    # ------------------------------------------------------------------ stepping
    def next_turn(self) -> None:
        """Show the next turn complete (and the round result right after it, if any)."""
        position = self.position
        if position < self.total_turns:
            self._step_to(self._timeline.boundaries[position + 1])

    def next_round(self) -> None:
        """Jump to just after the next round's result (or to the end)."""
        events = self._timeline.events
        result = next(
            (i for i in range(self._cursor, len(events)) if isinstance(events[i], RoundFinished)),
            None,
        )
        target = len(events)
        if result is not None:
            target = next(b for b in self._timeline.boundaries if b > result)
        self._step_to(target)

    def previous_turn(self) -> None:
        """Back to the previous turn boundary (the current one, if half-way into a turn)."""
        position = self.position
        exact = self._cursor == self._timeline.boundaries[position] and not self._revealing
        self.seek(position - 1 if exact else position)

    def to_start(self) -> None:
        self.seek(0)

    def to_end(self) -> None:
        self.seek(self.total_turns)

    def seek(self, position: int) -> None:
        """Show the view exactly as it is once `position` turns have ended; no animation."""
        if not self.has_events:
            return
        was_playing = self._state == PLAYING
        if was_playing:
            self._halt()
        position = min(self.total_turns, max(0, position))
        target = self._timeline.boundaries[position]
        if self._revealing or target < self._cursor:
            self._rebuild()
        self._apply_until(target)
        self._after_jump(paused=was_playing)

    def _step_to(self, target: int) -> None:
        # Stepping forward fast-forwards from wherever playback is, half-revealed
        # turns included, so play can carry on from there.
        if not self.has_events:
            return
        was_playing = self._state == PLAYING
        if was_playing:
            self._halt()
        self._apply_until(target)
        self._after_jump(paused=was_playing)

    def _after_jump(self, *, paused: bool) -> None:
        self._emit_position()
        if self._cursor >= len(self._timeline.events):
            self._set_state(ENDED)
        elif paused or self._state == ENDED:
            self._set_state(PAUSED)

    # ------------------------------------------------------------------ machinery
    @property
    def _revealing(self) -> bool:
        """Some turn shows part of its text: the view is then not an exact prefix of the
        log. A turn's end event replaces what was revealed with the stored text, so
        once every revealed turn has ended (a replay played to its end) it is exact again."""
        return any(flight.shown for flight in self._flights.values())

    def _halt(self) -> None:
        self._timer.stop()

    def _reset_progress(self) -> None:
        self._flights.clear()
        self._beat_s = 0.0

    def _rebuild(self) -> None:
        self._cursor = 0
        self._round = None
        self._reset_progress()
        self._from_start = True

    def _apply_until(self, target: int) -> None:
        batch = [self._take_next() for _ in range(self._cursor, target)]
        apply_all = getattr(self._target, "apply_all", None)
        restart = callable(apply_all) and bool(batch) and isinstance(batch[0], DebateStarted)
        from_start, self._from_start = self._from_start, False
        if from_start and not restart:
            self._target.clear()
        # The debate view folds a batch and draws once: far cheaper for a long jump,
        # while a short step is cheaper drawn event by event (only what changed). A jump
        # back is drawn as the whole prefix without clearing first: the view keeps the
        # turns on screen that are still there, instead of making them all again.
        if callable(apply_all) and (len(batch) > BATCH_AT_ONCE or (from_start and restart)):
            apply_all(batch)
        else:
            for event in batch:
                self._target.apply(event)

    def _apply_next(self) -> None:
        self._target.apply(self._take_next())

    def _take_next(self) -> Event:
        """Move the cursor past the next event, keeping the reveal bookkeeping."""
        event = self._timeline.events[self._cursor]
        index = self._cursor
        self._cursor += 1
        self._last_seq, self._last_at = event.seq, event.at
        if isinstance(event, ROUND_EVENTS):
            self._round = event.round
        if isinstance(event, TurnStarted):
            end_index = self._timeline.end_of_start.get(index)
            if end_index is not None:
                end = self._timeline.events[end_index]
                assert isinstance(end, TURN_ENDS)
                self._flights[(event.round, event.seat_id)] = flight_for(event, end)
        elif isinstance(event, TurnRetrying):
            flight = self._flights.get((event.round, event.seat_id))
            if flight is not None:  # the view voids the text: reveal it again
                flight.shown, flight.credit = 0, 0.0
        elif isinstance(event, TURN_ENDS):
            self._flights.pop((event.round, event.seat_id), None)
        return event

    def _tick(self) -> None:
        elapsed_s = min(_MAX_TICK_S, self._clock.restart() / 1000.0)
        self.advance(elapsed_s * self._speed)

    def advance(self, replay_s: float) -> None:
        """Move playback on by `replay_s` seconds of debate time (the timer's tick;
        public so a test or a benchmark can drive it without waiting)."""
        self._beat_s = max(0.0, self._beat_s - replay_s)
        self._run_events()
        for flight in list(self._flights.values()):
            self._reveal(flight, replay_s)
        self._run_events()
        self._emit_position()
        if self._cursor >= len(self._timeline.events):
            self._halt()
            self._set_state(ENDED)

    def _run_events(self) -> None:
        events = self._timeline.events
        while self._cursor < len(events) and self._beat_s <= 0:
            event = events[self._cursor]
            if isinstance(event, TURN_ENDS):
                flight = self._flights.get((event.round, event.seat_id))
                if flight is not None and not flight.done:
                    return  # its text is still being revealed
            self._apply_next()
            if isinstance(event, RoundFinished):
                self._beat_s = ROUND_BEAT_S

    def _reveal(self, flight: Flight, replay_s: float) -> None:
        if flight.done:
            return
        if flight.think_s > 0:
            flight.think_s -= replay_s
            return
        flight.credit += flight.chars_per_s * replay_s
        count = int(flight.credit)
        if count <= 0:
            return
        flight.credit -= count
        chunk = flight.text[flight.shown : flight.shown + count]
        flight.shown += len(chunk)
        start = flight.start
        # Debate time moves on with the text, so the view's clock advances as it did live.
        share = flight.shown / len(flight.text)
        at = start.at + (flight.end_at - start.at) * share
        if self._last_at is not None:
            at = max(at, self._last_at)
        self._last_at = at
        self._target.apply(
            TurnDelta(
                debate_id=start.debate_id,
                seq=self._last_seq,
                at=at,
                round=start.round,
                seat_id=start.seat_id,
                text=chunk,
            )
        )

    def _set_state(self, state: str, *, force: bool = False) -> None:
        if state != self._state or force:
            self._state = state
            self._tell_target()
            self.state_changed.emit(state)

    def _emit_position(self, *, force: bool = False) -> None:
        # at_start is in the key so the bar enables "back" as soon as text appears.
        now = (self.position, self.total_turns, self._round, self.at_start)
        if force or now != self._emitted:
            self._emitted = now
            self._tell_target()
            self.position_changed.emit(now[0], now[1])

    def _tell_target(self) -> None:
        """The target's status line says where the replay stands while it owns the view."""
        show = getattr(self._target, "show_replay", None)
        if not callable(show):
            return
        if not self.is_active:
            show(None)
            return
        show(
            ReplayPosition(
                turn=self.position,
                turns=self.total_turns,
                round=self._round,
                playing=self._state == PLAYING,
            )
        )
