"""The transcript: every round, every turn, and the outcome, in a reading column.

`TranscriptView` draws a `DebateState`, live or replayed, short or 1,000 turns long, the
same way. Only the rows near the screen exist as widgets (a round's heading, a turn's
card, the outcome); every other row is a height in `TranscriptRows`, measured once its
widget was laid out and estimated from its text before that. So opening, scrolling and
replaying a long debate costs what a screenful costs. A row scrolling into view is made
on the event loop's idle passes while it is still a screen or so away (`rows_ahead`), so
scrolling finds it made; one that is not yet is made as it comes into view, no more per
pass than fit in a frame's time (one still waiting is painted as an empty card for that
frame); rows far out of view are let go once more than `MAX_REALISED` widgets exist
(`row_widgets`).

Streamed text is not drawn per delta: deltas mark their turn dirty and one timer
flushes the dirty turns at most ~30 times a second, appending only the new text. The
view follows the newest text only while the reader is at the bottom; scrolling up to
read is never undone, and while heights above are corrected the row at the top of the
view stays where it is (`reading_position`).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from roundtable.gui.debate.diff_dialog import DiffDialog, turn_diff_dialog
from roundtable.gui.debate.outcome_section import OutcomeSection
from roundtable.gui.debate.reading_position import ReadingPosition
from roundtable.gui.debate.round_heading import RoundHeading
from roundtable.gui.debate.row_heights import RowEstimator, fitted_height
from roundtable.gui.debate.row_widgets import RowWidgets
from roundtable.gui.debate.rows_ahead import Job, RowsAhead
from roundtable.gui.debate.state import Change, DebateState, TurnKey
from roundtable.gui.debate.transcript_canvas import TranscriptCanvas
from roundtable.gui.debate.transcript_rows import (
    OUTCOME,
    OUTCOME_ROW,
    ROUND,
    RowKey,
    TranscriptRows,
    heading_row,
    rows_of,
    turn_key,
    turn_row,
    unsettled_rows,
)
from roundtable.gui.debate.turn_card import TurnCard
from roundtable.gui.style.colours import set_text_colour
from roundtable.gui.style.theme import semantic_colours

#: At most ~30 flushes of streamed text per second.
FLUSH_INTERVAL_MS = 33
#: The reading column's widest width: long lines are hard to follow.
COLUMN_MAX_WIDTH = 1040
#: The reading column's margins: each side, above the first row, below the last.
_SIDE, _TOP, _BOTTOM = 16, 6, 16
#: Rows within this many screens beyond the view are made on idle passes, ahead of need.
_AHEAD_SCREENS = 2.0
#: Time one pass may spend making rows that came into view; the rest on the next pass.
_REALISE_BUDGET_S = 0.010
#: Time one idle pass may spend making rows ahead. A frame that scrolls costs ~12 ms
#: besides; a card's three steps ~10 ms, and a fast scroll brings in most of a card a frame.
_AHEAD_BUDGET_S = 0.010


class TranscriptView(QScrollArea):
    """The debate as a readable transcript, built from a `DebateState`.

    Signals:
        diff_opened(int, str): a diff dialog was opened for (round, seat id).
        fork_requested(int): "Fork from here…" on a finished round of a stored debate.
        followup_requested(str): "Ask a follow-up" under a finished debate.
    """

    diff_opened = Signal(int, str)  #: (round, seat_id)
    fork_requested = Signal(int)  #: (round index)
    followup_requested = Signal(str)  #: (question)

    def __init__(self, state: DebateState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state or DebateState()
        self._estimator = RowEstimator(self._state, self)
        self._rows = TranscriptRows(self._estimator.height)
        self._position = ReadingPosition(self._rows, top=_TOP, bottom=_BOTTOM)
        self._dirty: set[TurnKey] = set()
        self._seat_filter: str | None = None
        #: The debate whose row heights `_rows` knows.
        self._heights_of: str | None = None
        self._column = (0, 0)  # x, width
        self._placing = False
        self._rows_stale = False
        self.last_diff_dialog: DiffDialog | None = None
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self.flush)
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(0)
        self._place_timer.timeout.connect(self.place)
        self._ahead = RowsAhead(self, self._rows, self._state, _AHEAD_BUDGET_S, self)
        self._last_value = 0
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Transcript")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._canvas = TranscriptCanvas(self, self.waiting_rects)
        self._canvas.setObjectName("transcript_container")
        self._empty = QLabel("The transcript appears here as the seats speak.", self._canvas)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._outcome = OutcomeSection(self._canvas)
        self._outcome.followup_requested.connect(self.followup_requested)
        self._outcome.hide()
        self._outcome.installEventFilter(self)
        self._widgets = RowWidgets(self, self._outcome)
        self.setWidget(self._canvas)
        set_text_colour(self._empty, semantic_colours(self.palette()).muted)

    def _connect_signals(self) -> None:
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)

    # ------------------------------------------------------------ public API
    def refresh(self, change: Change) -> None:
        """Update what `change` touched; streamed text waits for the next flush."""
        if change.reset:
            self.rebuild()
            return
        for key in change.turns:
            if change.appended:
                self._dirty.add(key)
                if not self._flush_timer.isActive():
                    self._flush_timer.start()
            else:
                self._dirty.discard(key)
                self._sync_turn(key)
        for index in change.rounds:
            self._sync_round(index)
        if change.debate:
            self._sync_outcome()
        if not change.appended:
            self._update_rows()

    def flush(self) -> None:
        """Append the streamed text that arrived since the last flush."""
        self._flush_timer.stop()
        dirty, self._dirty = self._dirty, set()
        for key in dirty:
            card = self._widgets.cards.get(key)
            turn = self._state.turn(*key)
            if turn is None:
                continue
            if card is None:
                self._sync_turn(key)
            else:
                card.append_streamed(turn)
        if dirty:
            self._update_rows()

    def rebuild(self) -> None:
        """Draw the whole state afresh (a new debate, a stored one opened at its end, a
        replay's jump). Cards of turns that are still there are kept and brought up to
        date; a finished turn keeps its measured height, so a long debate opens at once."""
        self._flush_timer.stop()
        self._dirty.clear()
        debate_id = self._state.debate_id
        if debate_id is not None and debate_id != self._heights_of:
            self._rows.forget()
            self._heights_of = debate_id
            self._widgets.let_go_all()
            self._ahead.drop_built()
        self._rows.changed(unsettled_rows(self._state))
        self._rows.set_keys(rows_of(self._state, self._seat_filter))
        self._rows_stale = False
        self._position.follow()
        self._widgets.let_go_missing(self._rows)
        # A replay's jump redraws at the end: cards elsewhere would be brought up to date
        # for nothing (they are made again, up to date, if they scroll into view).
        height = self.viewport().height()
        end = self._wanted_value(height)
        self._widgets.let_go_far(self._rows, end, end + height, keep=0)
        for key in list(self._widgets.cards):
            self._sync_turn(key)
        for index in list(self._widgets.headings):
            self._sync_round(index)
        self._sync_outcome()
        self.place()

    def set_seat_filter(self, seat_id: str | None) -> None:
        """Show only this seat's turns (None: every seat's)."""
        if seat_id == self._seat_filter:
            return
        self._seat_filter = seat_id
        self._update_rows()

    @property
    def seat_filter(self) -> str | None:
        return self._seat_filter

    def card(self, round_index: int, seat_id: str) -> TurnCard | None:
        """The turn's card, made now if it was not (None: no such turn is shown)."""
        key = (round_index, seat_id)
        self._ensure_rows()
        card = self._widgets.cards.get(key)
        if card is None and self._rows.index(turn_row(key)) is not None:
            self._realise(turn_row(key))
            self.place()
            card = self._widgets.cards.get(key)
        return card

    def cards(self) -> list[TurnCard]:
        """The turn cards that exist now (those on or near the screen), top to bottom."""
        self._ensure_rows()
        return sorted(
            self._widgets.cards.values(), key=lambda c: self._rows.index(turn_row(c.key)) or 0
        )

    def heading(self, index: int) -> RoundHeading | None:
        """The round's heading, made now if it was not (None: no such round)."""
        self._ensure_rows()
        if index not in self._widgets.headings and self._rows.index(heading_row(index)) is not None:
            self._realise(heading_row(index))
            self.place()
        return self._widgets.headings.get(index)

    def show_turn(self, round_index: int, seat_id: str) -> None:
        """Scroll so that the turn's card starts at the top of the view."""
        self._ensure_rows()
        i = self._rows.index(turn_row((round_index, seat_id)))
        if i is not None:
            self._position.hold_at(self._rows.keys[i])
            self.place()

    @property
    def outcome(self) -> OutcomeSection:
        return self._outcome

    @property
    def settled(self) -> bool:
        """Nothing is waiting to be made or placed (the rows near the view are made)."""
        return not self._ahead.work.pending and not self._place_timer.isActive()

    @property
    def following(self) -> bool:
        """True while the view sticks to the newest text."""
        return self._position.following

    # ------------------------------------------------------------ rows
    def _update_rows(self) -> None:
        """The state's rows may have changed: worked out once, on the next pass."""
        self._rows_stale = True
        self._schedule_place()

    def _ensure_rows(self) -> None:
        if self._rows_stale:
            self._rows_stale = False
            if self._rows.set_keys(rows_of(self._state, self._seat_filter)):
                self._widgets.let_go_missing(self._rows)
                self._ahead.rows_changed()

    def _sync_round(self, index: int) -> None:
        heading = self._widgets.headings.get(index)
        if heading is None:
            self._rows.changed([heading_row(index)])
            self._schedule_place()
        elif 0 <= index < len(self._state.rounds):
            heading.sync(self._state.rounds[index], self._state, can_fork=self._can_fork())

    def _can_fork(self) -> bool:
        # A fork copies stored rounds: offered once the debate is over (and stored).
        state = self._state
        return state.debate_id is not None and state.status is not None and not state.running

    def _sync_turn(self, key: TurnKey) -> None:
        card = self._widgets.cards.get(key)
        turn = self._state.turn(*key)
        if card is None or turn is None:
            self._rows.changed([turn_row(key)])
            self._schedule_place()
            return
        # Offered once the turn has ended, as when its card was made at its start: a card
        # made mid-stream (scrolled to, replayed to) must not offer it sooner.
        can_diff = not turn.phase.active and self._state.previous_answer_text(key[1], key[0])
        names = {seat_id: view.seat.name for seat_id, view in self._state.seats.items()}
        card.sync(turn, can_diff=bool(can_diff), names=names)

    def _sync_outcome(self) -> None:
        self._outcome.sync(self._state)
        can_fork = self._can_fork()
        for index, heading in self._widgets.headings.items():
            if index < len(self._state.rounds):
                heading.fork_button.setVisible(self._state.rounds[index].finished and can_fork)
        self._empty.setVisible(self._state.spec is None)
        self._schedule_place()

    # ------------------------------------------------------------ widgets for rows
    def _realise(self, key: RowKey) -> QWidget | None:
        """Make the widget of row `key`, up to date with the state."""
        widget: QWidget
        if key[0] == OUTCOME:
            return self._outcome
        if key[0] == ROUND:
            rounds = self._state.rounds
            if key[1] >= len(rounds):
                return None
            heading = RoundHeading(key[1], rounds[key[1]].kind, self._canvas)
            heading.fork_requested.connect(self.fork_requested)
            heading.sync(rounds[key[1]], self._state, can_fork=self._can_fork())
            self._widgets.headings[key[1]] = widget = heading
        else:
            seat = self._state.seats.get(key[2])
            if seat is None or self._state.turn(*turn_key(key)) is None:
                return None
            card = self._ahead.take_built(key) or self.new_card(key)
            self._widgets.cards[turn_key(key)] = widget = card
            self._sync_turn(card.key)
        widget.installEventFilter(self)
        widget.show()
        return widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A row's widget asked for a new size (a streaming turn grew, a turn finished and
        # its Markdown was rendered): the rows below move on the next pass.
        if event.type() == QEvent.Type.LayoutRequest and isinstance(watched, QWidget):
            self._schedule_place()
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ placing rows
    def _schedule_place(self) -> None:
        if not self._place_timer.isActive():
            self._place_timer.start()

    def place(self) -> None:
        """Make, measure and position the rows in view; size the scrolled surface."""
        if self._placing:
            self._schedule_place()
            return
        self._placing = True
        try:
            self._place()
        finally:
            self._placing = False

    def _place(self) -> None:
        self._place_timer.stop()
        self._ensure_rows()
        viewport = self.viewport()
        width, height = viewport.width(), viewport.height()
        column = max(1, min(COLUMN_MAX_WIDTH, width - 2 * _SIDE))
        if column != self._column[1]:
            self._estimator.reset()
            self._rows.width_changed()
        self._column = (max(_SIDE, (width - column) // 2), column)
        deadline = time.perf_counter() + _REALISE_BUDGET_S
        waiting = False
        for _ in range(4):  # measured heights move the rows: look again where they went
            value = self._wanted_value(height)
            moved = False
            for i in self._rows.between(value - _TOP, value + height):
                key = self._rows.keys[i]
                widget = self._widgets.widget(key)
                if widget is None:
                    if time.perf_counter() > deadline:
                        waiting = True
                        continue
                    widget = self._realise(key)
                    if widget is None:
                        continue
                moved |= self._rows.measured(key, self._fit(widget, column))
            if not moved:
                break
        total = _TOP + self._rows.total + _BOTTOM
        self._canvas.resize(width, max(total, height))
        value = self._wanted_value(height)
        self.verticalScrollBar().setValue(value)
        self._position_widgets()
        self._empty.setGeometry(0, 0, width, height)
        reach = round(height * _AHEAD_SCREENS)
        self._widgets.let_go_far(self._rows, value - reach, value + height + reach)
        self._position.remember(self.verticalScrollBar().value())
        if waiting:
            self._canvas.update()
            self._schedule_place()
        self._ahead.work.wake()

    # ------------------------------------------------------------ rows ahead (AheadHost)
    def span(self) -> tuple[int, int, int] | None:
        if self._placing:
            return None  # `place` wakes the work ahead again when it is done
        top, height = self.verticalScrollBar().value() - _TOP, self.viewport().height()
        return top, top + height, round(height * _AHEAD_SCREENS)

    def place_due(self) -> Job | None:
        due = not self._placing and (self._rows_stale or self._place_timer.isActive())
        return self.place if due else None

    def has_widget(self, key: RowKey) -> bool:
        return self._widgets.widget(key) is not None

    def new_card(self, key: RowKey) -> TurnCard:
        seat = self._state.seats[key[2]]
        card = self._widgets.spare_card()
        if card is not None:
            card.reuse_for(seat.seat, seat.index, key[1])
            return card
        card = TurnCard(seat.seat, seat.index, key[1], self._canvas)
        card.diff_requested.connect(self.open_diff)
        return card

    def make_row(self, key: RowKey) -> bool:
        widget = self._realise(key)
        if widget is None:
            return False
        self._rows.measured(key, self._fit(widget, self._column[1]))
        self.place()  # puts it where it goes before anything paints it
        return True

    def _fit(self, widget: QWidget, width: int) -> int:
        if widget is self._outcome and widget.isHidden():
            return 0
        return fitted_height(widget, width)

    def _wanted_value(self, height: int) -> int:
        return self._position.wanted_value(height, self.verticalScrollBar().value())

    def _position_widgets(self) -> None:
        x, column = self._column
        for key in [*self._widgets.realised(), OUTCOME_ROW]:
            i = self._rows.index(key)
            widget = self._widgets.widget(key)
            if i is None or widget is None:
                continue
            height = self._rows.height(i)
            if widget.geometry().getRect() != (x, _TOP + self._rows.top(i), column, height):
                widget.setGeometry(x, _TOP + self._rows.top(i), column, height)

    def waiting_rects(self, top: int, bottom: int) -> list[QRectF]:
        """Where turns in [top, bottom] whose cards are not made yet sit (to paint)."""
        x, column = self._column
        rects = []
        for i in self._rows.between(top - _TOP, bottom - _TOP):
            key = self._rows.keys[i]
            if key[0] not in (ROUND, OUTCOME) and self._widgets.widget(key) is None:
                y = _TOP + self._rows.top(i)
                rects.append(QRectF(x, y, column, self._rows.height(i)))
        return rects

    # ------------------------------------------------------------ diff
    def open_diff(self, round_index: int, seat_id: str) -> DiffDialog | None:
        dialog = turn_diff_dialog(self._state, round_index, seat_id, self)
        if dialog is None:
            return None
        dialog.destroyed.connect(self._forget_dialog)
        self.last_diff_dialog = dialog
        dialog.show()
        self.diff_opened.emit(round_index, seat_id)
        return dialog

    def _forget_dialog(self) -> None:
        self.last_diff_dialog = None

    # ------------------------------------------------------------ scrolling
    def _on_scrolled(self, value: int) -> None:
        if self._placing:
            return
        self._ahead.downward = value >= self._last_value
        self._last_value = value
        self._position.scrolled(value, self.verticalScrollBar().maximum())
        self.place()  # make what scrolled in before this frame is painted

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            set_text_colour(self._empty, semantic_colours(self.palette()).muted)
            self._estimator.reset()
            self._rows.width_changed()
            self._schedule_place()
