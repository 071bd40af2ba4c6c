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
applies the step's events at once; stepping back, scrubbing or a long jump restores
the nearest checkpoint of the folded state and applies the few events after it
(`cursor.ReplayCursor`, no animation), so any position looks exactly as it would if
the debate had been played up to there, at the same cost anywhere in the debate.

One QTimer drives playback (about 30 ticks a second); nothing ever sleeps.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from roundtable.domain import Event, RoundFinished
from roundtable.gui.debate.replay_status import ReplayPosition
from roundtable.gui.replay.cursor import ReplayCursor, ReplayTarget
from roundtable.gui.replay.timeline import TURN_ENDS

#: The speeds the bar offers; 1.0 is "as the models streamed".
SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
#: ~30 updates a second at most: smooth to the eye, cheap for the view.
TICK_MS = 33
#: A tick that comes late (a busy GUI) must not make the replay jump ahead.
_MAX_TICK_S = 0.1
#: A short beat after each round's result so the eye catches the agreement change.
ROUND_BEAT_S = 0.6
#: A step's next turns whose text is made ready once the step is drawn.
AHEAD_TURNS = 2
#: Checkpoints are made ahead of the first jump while the app is idle: this many every
#: `PREPARE_MS` (8 snapshots of 64 events: ~2 ms), from a while after a debate opens.
PREPARE_SNAPSHOTS, PREPARE_MS = 8, 250

#: A step forward over more events than this is a jump (restored from a checkpoint and
#: drawn once) rather than events applied one by one. Above a round's worth (a step
#: into a new round of 8 seats applies ~12): one by one, only what changed is drawn.
BATCH_AT_ONCE = 48

PLAYING, PAUSED, ENDED = "playing", "paused", "ended"

__all__ = ["BATCH_AT_ONCE", "SPEEDS", "TICK_MS", "ReplayController", "ReplayTarget"]


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
        self._cursor = ReplayCursor(target)
        self._state = ENDED
        self._speed = 1.0
        self._beat_s = 0.0
        self._emitted: tuple[int, int, int | None, bool] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        self._preparing = QTimer(self)
        self._preparing.setInterval(PREPARE_MS)
        self._preparing.timeout.connect(self._prepare)
        # After a move, once the event loop is idle: the next turns' text made ready.
        self._ahead = QTimer(self, singleShot=True, interval=0)
        self._ahead.timeout.connect(self._prepare_ahead)

    # ------------------------------------------------------------------ reading
    @property
    def state(self) -> str:
        return self._state

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def total_turns(self) -> int:
        return self._cursor.timeline.total_turns

    @property
    def position(self) -> int:
        """Turns ended so far (0 .. total_turns)."""
        return self._cursor.position

    @property
    def current_round(self) -> int | None:
        """The round (0-based, as stored) of the latest event shown, None before any."""
        return self._cursor.round

    @property
    def at_start(self) -> bool:
        """Nothing of the debate's turns is shown yet."""
        cursor = self._cursor
        return cursor.index <= cursor.timeline.boundaries[0] and not self.revealing

    @property
    def at_end(self) -> bool:
        return self._cursor.at_end

    @property
    def revealing(self) -> bool:
        """Playback shows part of a turn's text: the view is between two positions."""
        return self._cursor.revealing

    @property
    def has_events(self) -> bool:
        return bool(self._cursor.events)

    @property
    def is_active(self) -> bool:
        """True while the replay owns the view: playing, or stopped short of the end."""
        return self.has_events and (self._state == PLAYING or not self._cursor.at_end)

    # ------------------------------------------------------------------ loading
    def set_events(self, events: Sequence[Event]) -> None:
        """Take a stored debate's events. The target is assumed to show its end state
        already (the window applies them all when it opens a debate); replay starts
        on demand."""
        self._halt()
        self._cursor.load(events)
        self._beat_s = 0.0
        self._preparing.start()
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
        if self._cursor.at_end:
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
            self._step_to(position + 1)

    def next_round(self) -> None:
        """Jump to just after the next round's result (or to the end)."""
        cursor = self._cursor
        events = cursor.events
        result = next(
            (i for i in range(cursor.index, len(events)) if isinstance(events[i], RoundFinished)),
            None,
        )
        position = self.total_turns
        if result is not None:
            # The boundary just after the result: the position of the turn that ends
            # before it, plus one.
            position = min(self.total_turns, cursor.timeline.position_at(result) + 1)
        self._step_to(position)

    def previous_turn(self) -> None:
        """Back to the previous turn boundary (the current one, if half-way into a turn)."""
        position = self.position
        cursor = self._cursor
        exact = cursor.index == cursor.timeline.boundaries[position] and not cursor.revealing
        self.seek(position - 1 if exact else position)

    def to_start(self) -> None:
        self.seek(0)

    def to_end(self) -> None:
        self.seek(self.total_turns)

    def seek(self, position: int) -> None:
        """Show the view exactly as it is once `position` turns have ended; no animation."""
        if not self.has_events:
            return
        position = min(self.total_turns, max(0, position))
        cursor = self._cursor
        back = cursor.revealing or cursor.timeline.boundaries[position] < cursor.index
        self._move(position, jump=back)

    def _step_to(self, position: int) -> None:
        # Stepping forward fast-forwards from wherever playback is, half-revealed
        # turns included, so play can carry on from there.
        if self.has_events:
            self._move(position, jump=False)

    def _move(self, position: int, *, jump: bool) -> None:
        was_playing = self._state == PLAYING
        if was_playing:
            self._halt()
        cursor = self._cursor
        until = cursor.timeline.boundaries[position]
        if jump or until - cursor.index > BATCH_AT_ONCE:
            cursor.jump_to(position)
            self._beat_s = 0.0
        else:
            cursor.apply_until(until)
        self._emit_position()
        if cursor.at_end:
            self._set_state(ENDED)
        elif was_playing or self._state == ENDED:
            self._set_state(PAUSED)

    # ------------------------------------------------------------------ machinery
    def _halt(self) -> None:
        self._timer.stop()

    def _prepare(self) -> None:
        if self._cursor.prepare(PREPARE_SNAPSHOTS):
            self._preparing.stop()

    def _prepare_ahead(self) -> None:
        prepare = getattr(self._target, "prepare_ahead", None)
        if callable(prepare):
            prepare(self._cursor.coming(AHEAD_TURNS))

    def _tick(self) -> None:
        elapsed_s = min(_MAX_TICK_S, self._clock.restart() / 1000.0)
        self.advance(elapsed_s * self._speed)

    def advance(self, replay_s: float) -> None:
        """Move playback on by `replay_s` seconds of debate time (the timer's tick;
        public so a test or a benchmark can drive it without waiting)."""
        self._beat_s = max(0.0, self._beat_s - replay_s)
        self._run_events()
        for flight in list(self._cursor.flights.values()):
            self._cursor.reveal(flight, replay_s)
        self._run_events()
        self._emit_position()
        if self._cursor.at_end:
            self._halt()
            self._set_state(ENDED)

    def _run_events(self) -> None:
        cursor = self._cursor
        while (event := cursor.next_event()) is not None and self._beat_s <= 0:
            if isinstance(event, TURN_ENDS):
                flight = cursor.flights.get((event.round, event.seat_id))
                if flight is not None and not flight.done:
                    return  # its text is still being revealed
            cursor.apply_next()
            if isinstance(event, RoundFinished):
                self._beat_s = ROUND_BEAT_S

    def _set_state(self, state: str, *, force: bool = False) -> None:
        if state != self._state or force:
            self._state = state
            self._tell_target()
            self.state_changed.emit(state)

    def _emit_position(self, *, force: bool = False) -> None:
        # at_start is in the key so the bar enables "back" as soon as text appears.
        now = (self.position, self.total_turns, self.current_round, self.at_start)
        if force or now != self._emitted:
            self._emitted = now
            self._ahead.start()
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
                round=self.current_round,
                playing=self._state == PLAYING,
            )
        )
