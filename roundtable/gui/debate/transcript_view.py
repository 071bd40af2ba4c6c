"""The transcript: every round, every turn, and the outcome, in a reading column.

`TranscriptView` draws a `DebateState`. Streamed text is not drawn per delta: deltas
mark their turn dirty and one timer flushes the dirty turns at most ~30 times a
second, appending only the new text. The view follows the newest text only while the
reader is at the bottom; scrolling up to read is never undone.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import Usage
from roundtable.gui.debate.diff_dialog import DiffDialog
from roundtable.gui.debate.outcome_section import OutcomeSection
from roundtable.gui.debate.round_notes import round_notes_html
from roundtable.gui.debate.state import Change, DebateState, RoundView, TurnKey
from roundtable.gui.debate.turn_card import TurnCard
from roundtable.gui.style.colours import set_text_colour
from roundtable.gui.style.formatting import format_cost, format_tokens, percent, round_title
from roundtable.gui.style.theme import semantic_colours

#: At most ~30 flushes of streamed text per second.
FLUSH_INTERVAL_MS = 33
#: The reading column's widest width: long lines are hard to follow.
COLUMN_MAX_WIDTH = 1040
#: Within this many pixels of the end counts as "at the bottom".
_BOTTOM_SLACK = 24


class RoundSection(QWidget):
    """A round's heading, its result once known, and its turns in table order.

    Signals:
        fork_requested(int): "Fork from here…" was pressed (this round's index).
    """

    fork_requested = Signal(int)  #: (round index)

    def __init__(self, index: int, kind: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.title = QLabel(self)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 1.0) * 1.12)
        self.title.setFont(font)
        self.summary = QLabel(self)
        # Wraps under a narrow column: on one line, a long leading answer set the whole
        # transcript's minimum width and gave it a horizontal scrollbar.
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.fork_button = QToolButton(self)
        self.fork_button.setText("Fork from here…")
        self.fork_button.setToolTip(
            "Start a new debate that keeps the rounds up to this one and goes on with a "
            "changed table"
        )
        self.fork_button.setAutoRaise(True)
        self.fork_button.clicked.connect(lambda: self.fork_requested.emit(self.index))
        self.fork_button.hide()
        self.notes = QLabel(self)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.hide()
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.summary, 1)
        heading.addWidget(self.fork_button, 0, Qt.AlignmentFlag.AlignTop)
        self.cards = QVBoxLayout()
        self.cards.setSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 4)
        layout.setSpacing(8)
        layout.addLayout(heading)
        layout.addWidget(self.notes)
        layout.addLayout(self.cards)
        self._set_kind(kind)
        self.restyle()

    def _set_kind(self, kind: str) -> None:
        title = round_title(self.index, kind)
        if title == self.title.text():
            return
        self.title.setText(title)
        self.title.setAccessibleName(title)
        self.fork_button.setAccessibleName(f"Fork from {title}")
        self.notes.setAccessibleName(f"Notes of {title}")

    def insert_card(self, card: TurnCard) -> None:
        position = 0
        for i in range(self.cards.count()):
            item = self.cards.itemAt(i)
            other = item.widget() if item is not None else None
            if isinstance(other, TurnCard) and other.seat_index < card.seat_index:
                position = i + 1
        self.cards.insertWidget(position, card)

    def sync(self, rnd: RoundView, state: DebateState, *, can_fork: bool = False) -> None:
        self._set_kind(rnd.kind)
        self.fork_button.setVisible(rnd.finished and can_fork)
        if not rnd.finished:
            self.summary.hide()
            self.notes.hide()
            return
        notes = round_notes_html(rnd, state)
        self.notes.setText(notes)
        self.notes.setVisible(bool(notes))
        parts = [f"agreement {percent(rnd.agreement)}"]
        if rnd.leader:
            parts.append(f"leading answer: {rnd.leader}")
        if rnd.consensus:
            parts.append(f"consensus on {rnd.consensus}")
        spent = round_usage(rnd)
        if spent is not None:  # the round's total; its turns ran side by side, so no time
            parts.append(f"{format_tokens(spent.total_tokens)} · {format_cost(spent.cost_usd)}")
        self.summary.setText(" · ".join(parts))
        self.summary.show()

    def restyle(self) -> None:
        set_text_colour(self.summary, semantic_colours(self.palette()).muted)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()


def round_usage(rnd: RoundView) -> Usage | None:
    """What the round's turns spent together (None before any turn reported it)."""
    usages = [turn.usage for turn in rnd.turns.values() if turn.usage is not None]
    return sum(usages[1:], usages[0]) if usages else None


class TranscriptView(QScrollArea):
    """The debate as a readable transcript, built from a `DebateState`.

    Signals:
        diff_opened(int, str): a diff dialog was opened for (round, seat id).
    """

    diff_opened = Signal(int, str)  #: (round, seat_id)
    #: (round index) "Fork from here…" on a finished round of a stored debate.
    fork_requested = Signal(int)
    #: (question) "Ask a follow-up" under a finished debate.
    followup_requested = Signal(str)

    def __init__(self, state: DebateState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state or DebateState()
        self._sections: dict[int, RoundSection] = {}
        self._cards: dict[TurnKey, TurnCard] = {}
        self._dirty: set[TurnKey] = set()
        self._seat_filter: str | None = None
        self._follow = True
        self.last_diff_dialog: DiffDialog | None = None
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self.flush)
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Transcript")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        container = QWidget()
        container.setObjectName("transcript_container")
        outer = QHBoxLayout(container)
        outer.setContentsMargins(16, 6, 16, 16)
        self._column = QWidget(container)
        self._column.setMaximumWidth(COLUMN_MAX_WIDTH)
        outer.addStretch(0)
        outer.addWidget(self._column, 1)
        outer.addStretch(0)
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._empty = QLabel("The transcript appears here as the seats speak.", self._column)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._outcome = OutcomeSection(self._column)
        self._outcome.followup_requested.connect(self.followup_requested)
        self._outcome.hide()
        self._layout.addWidget(self._empty)
        self._layout.addWidget(self._outcome)
        self._layout.addStretch(1)
        self.setWidget(container)
        set_text_colour(self._empty, semantic_colours(self.palette()).muted)

    def _connect_signals(self) -> None:
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)

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

    def flush(self) -> None:
        """Append the streamed text that arrived since the last flush."""
        self._flush_timer.stop()
        dirty, self._dirty = self._dirty, set()
        for key in dirty:
            card = self._cards.get(key)
            turn = self._state.turn(*key)
            if turn is None:
                continue
            if card is None:
                self._sync_turn(key)
            else:
                card.append_streamed(turn)

    def rebuild(self) -> None:
        """Draw the whole state at once (a new debate, or a stored one opened at its end)."""
        self._flush_timer.stop()
        self._dirty.clear()
        self._column.setUpdatesEnabled(False)
        try:
            self._clear_sections()
            for rnd in self._state.rounds:
                self._sync_round(rnd.index)
                for seat_id in rnd.turns:
                    self._sync_turn((rnd.index, seat_id))
            self._sync_outcome()
        finally:
            self._column.setUpdatesEnabled(True)
        self._follow = True

    def set_seat_filter(self, seat_id: str | None) -> None:
        """Show only this seat's turns (None: every seat's)."""
        self._seat_filter = seat_id
        for card in self._cards.values():
            card.setVisible(seat_id is None or card.seat.id == seat_id)

    @property
    def seat_filter(self) -> str | None:
        return self._seat_filter

    def card(self, round_index: int, seat_id: str) -> TurnCard | None:
        return self._cards.get((round_index, seat_id))

    def cards(self) -> list[TurnCard]:
        return list(self._cards.values())

    @property
    def outcome(self) -> OutcomeSection:
        return self._outcome

    @property
    def following(self) -> bool:
        """True while the view sticks to the newest text."""
        return self._follow

    # ------------------------------------------------------------ building
    def _clear_sections(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and any(s.isAncestorOf(focus) for s in self._sections.values()):
            # The focused turn is about to go (a replay stepping back rebuilds the view):
            # the focus stays in the transcript, so the replay keys keep working.
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        for section in self._sections.values():
            self._layout.removeWidget(section)
            section.deleteLater()
        self._sections.clear()
        self._cards.clear()
        self._empty.setVisible(self._state.spec is None)

    def _section(self, index: int) -> RoundSection:
        section = self._sections.get(index)
        if section is None:
            rounds = self._state.rounds
            kind = rounds[index].kind if index < len(rounds) else ""
            section = RoundSection(index, kind, self._column)
            section.fork_requested.connect(self.fork_requested)
            # Sections sit in round order, before the outcome and the final stretch.
            position = 1 + sum(1 for other in self._sections if other < index)
            self._layout.insertWidget(position, section)
            self._sections[index] = section
            self._empty.hide()
        return section

    def _sync_round(self, index: int) -> None:
        if 0 <= index < len(self._state.rounds):
            self._section(index).sync(
                self._state.rounds[index], self._state, can_fork=self._can_fork()
            )

    def _can_fork(self) -> bool:
        # A fork copies stored rounds: offered once the debate is over (and stored).
        state = self._state
        return state.debate_id is not None and state.status is not None and not state.running

    def _sync_turn(self, key: TurnKey) -> None:
        turn = self._state.turn(*key)
        seat = self._state.seats.get(key[1])
        if turn is None or seat is None:
            return
        card = self._cards.get(key)
        if card is None:
            card = TurnCard(seat.seat, seat.index, key[0], self._column)
            card.diff_requested.connect(self.open_diff)
            card.setVisible(self._seat_filter in (None, seat.seat_id))
            self._section(key[0]).insert_card(card)
            self._cards[key] = card
        previous = self._state.previous_answer_text(key[1], key[0])
        names = {seat_id: view.seat.name for seat_id, view in self._state.seats.items()}
        card.sync(turn, can_diff=previous is not None, names=names)

    def _sync_outcome(self) -> None:
        self._outcome.sync(self._state)
        can_fork = self._can_fork()
        for index, section in self._sections.items():
            if index < len(self._state.rounds):
                section.fork_button.setVisible(self._state.rounds[index].finished and can_fork)
        self._empty.setVisible(self._state.spec is None)

    # ------------------------------------------------------------ diff
    def open_diff(self, round_index: int, seat_id: str) -> DiffDialog | None:
        turn = self._state.turn(round_index, seat_id)
        before = self._state.previous_answer_text(seat_id, round_index)
        seat = self._state.seats.get(seat_id)
        if turn is None or before is None or seat is None:
            return None
        earlier = max(
            r.index
            for r in self._state.rounds[:round_index]
            if (t := r.turns.get(seat_id)) is not None and t.text
        )
        dialog = DiffDialog(
            seat_name=seat.seat.name,
            before_round=earlier,
            after_round=round_index,
            before=before,
            after=turn.text,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._forget_dialog)
        self.last_diff_dialog = dialog
        dialog.show()
        self.diff_opened.emit(round_index, seat_id)
        return dialog

    def _forget_dialog(self) -> None:
        self.last_diff_dialog = None

    # ------------------------------------------------------------ following the newest text
    def _on_scrolled(self, value: int) -> None:
        self._follow = value >= self.verticalScrollBar().maximum() - _BOTTOM_SLACK

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            set_text_colour(self._empty, semantic_colours(self.palette()).muted)
