"""The debate view: the round table above, the transcript below, one renderer for both
a live debate and a replay.

Whoever has events (the engine bridge while a debate runs, replay controls, the
history when a stored debate is opened) calls `apply(event)` or `apply_all(events)`;
nothing else draws a debate.
"""

from __future__ import annotations

import gc
import html
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import DebateStatus, Event, TurnFinished
from roundtable.gui.debate.charts_panel import ChartsPanel
from roundtable.gui.debate.replay_status import ReplayPosition, replay_words
from roundtable.gui.debate.round_table import RoundTableWidget
from roundtable.gui.debate.state import Change, DebateState, StateSnapshot
from roundtable.gui.debate.transcript_view import TranscriptView
from roundtable.gui.debate.turn_card import convert_markdown_ahead
from roundtable.gui.style import colours
from roundtable.gui.style.formatting import format_cost, format_seconds, format_tokens
from roundtable.gui.style.theme import semantic_colours

if TYPE_CHECKING:
    from roundtable.storage.links import DebateLinks

_ALL_SEATS = "All seats"
#: The table's share of the view's height until the user moves the splitter.
TABLE_SHARE = 0.45


class DebateView(QWidget):
    """Shows one debate as it happens (or as it happened).

    Signals:
        seat_selected(str): the transcript was filtered to this seat (by a click on the
            table or the seat menu); "" when it shows every seat again.
    """

    seat_selected = Signal(str)  #: (seat_id, or "" for all seats)
    #: (debate_id) a linked debate (parent, fork, follow-up) was clicked in the header.
    open_requested = Signal(str)
    #: () "Compare with parent" was clicked.
    compare_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = DebateState()
        self.table = RoundTableWidget(self._state, self)
        self.transcript = TranscriptView(self._state, self)
        self.charts = ChartsPanel(self)
        self.tabs = self._transcript_and_charts()
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Debate status")
        # On a narrow window the line wraps rather than running under "Show:"; it wraps
        # only then (`_fit_status`): a wrapping label's every new text lays the whole
        # view out again, ~3 ms of each replay step. Its width is the row's, not its text's.
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status_label.installEventFilter(self)
        self.links_label = self._links_label()
        self.seat_filter = QComboBox(self)
        self.seat_filter.setAccessibleName("Show the turns of")
        self.seat_filter.setToolTip("Show every seat's turns, or one seat's only")
        self.seat_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        filter_label = QLabel("Sh&ow:", self)
        filter_label.setBuddy(self.seat_filter)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 6, 16, 2)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(filter_label)
        bar.addWidget(self.seat_filter)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.setSpacing(0)
        lower_layout.addWidget(self.links_label)
        lower_layout.addLayout(bar)
        lower_layout.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setAccessibleName("Table and transcript")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self._split_by_user = False
        #: Where a replay stands while one owns the view (None: live, or at the end).
        self._replay: ReplayPosition | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setTabOrder(self.table, self.seat_filter)
        self.setTabOrder(self.seat_filter, self.transcript)
        self._fill_seat_filter()
        self._update_status()
        self._connect_signals()

    def _links_label(self) -> QLabel:
        """Where the debate came from and what was made from it, as links."""
        label = QLabel(self)
        label.setAccessibleName("Related debates")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        label.linkActivated.connect(self._link_clicked)
        label.setContentsMargins(16, 4, 16, 0)
        label.hide()
        return label

    def _transcript_and_charts(self) -> QTabWidget:
        """The transcript and the charts share the lower half, one tab each."""
        tabs = QTabWidget(self)
        tabs.setDocumentMode(True)
        tabs.setAccessibleName("Transcript and charts")
        tabs.addTab(self.transcript, "&Transcript")
        tabs.addTab(self.charts, "Ch&arts")
        return tabs

    def _connect_signals(self) -> None:
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.table.seat_clicked.connect(self._on_seat_clicked)
        self.seat_filter.currentIndexChanged.connect(self._on_filter_chosen)
        self.charts.point_clicked.connect(self._on_chart_point_clicked)

    # ------------------------------------------------------------ public API
    @property
    def state(self) -> DebateState:
        """The reducer behind the view (read it; only `apply` changes it)."""
        return self._state

    def clear(self) -> None:
        """Show no debate."""
        self._state.clear()
        self.charts.clear()
        self.set_links(None)
        self._redraw_all()

    def focus_transcript(self) -> None:
        """Take the keyboard focus (onto the transcript) unless it is already in the view:
        a replay's keys work wherever the focus is in the debate, not from the history."""
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.transcript.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_replay(self, position: ReplayPosition | None) -> None:
        """A replay owns the view and stands at `position` (None: it let go, or ended)."""
        if position != self._replay:
            self._replay = position
            self._update_status()
            # A paused replay holds still: its working seats' dots stop with it.
            self.table.set_still(position is not None and not position.playing)

    def mark_your_turn(self, seat_id: str, waiting: bool) -> None:
        """A person's seat is (no longer) asked for its turn: its card says so."""
        change = self._state.mark_your_turn(seat_id, waiting)
        if not change.empty:
            self.table.refresh(change)

    def set_links(self, links: DebateLinks | None) -> None:
        """Show where this debate came from and what was made from it (None: nothing)."""
        parts = []
        parent = links.parent if links is not None else None
        if parent is not None:
            title = _link(parent.summary.id, parent.summary.title or parent.summary.question)
            if parent.is_followup:
                parts.append(f"Follow-up to {title}")
            else:
                at = self._state.forked_from_round or parent.summary.rounds_done
                parts.append(f"Forked from {title} at round {at}")
            parts.append("<a href='compare:'>Compare with parent</a>")
        children = links.children if links is not None else ()
        for word, followups in (("Forks", False), ("Follow-ups", True)):
            found = [c for c in children if c.is_followup == followups]
            if found:
                titles = ", ".join(
                    _link(c.summary.id, c.summary.title or c.summary.question) for c in found
                )
                parts.append(f"{word}: {titles}")
        self.links_label.setText(" · ".join(parts))
        self.links_label.setVisible(bool(parts))

    def _link_clicked(self, href: str) -> None:
        kind, _, target = href.partition(":")
        if kind == "compare":
            self.compare_requested.emit()
        elif kind == "debate" and target:
            self.open_requested.emit(target)

    def apply(self, event: Event) -> Change:
        """Fold one event in and update just what it changed."""
        change = self._state.apply(event)
        self.charts.apply(event)
        if change.empty:
            return change
        if change.reset:
            self._redraw_all()
            return change
        self.table.refresh(change)
        self.transcript.refresh(change)
        if change.debate:
            self._update_status()
        return change

    def apply_all(self, events: Iterable[Event]) -> None:
        """Fold many events (a stored debate) and draw the end state once."""
        shown = self._state.debate_id
        for event in events:
            self._state.apply(event)
            self.charts.apply(event)
        if self._state.debate_id != shown:
            # A debate just opened: its thousands of values live as long as it is shown.
            # Out of the collector's sight, a full collection no longer walks them in the
            # middle of a scroll (96 ms for a 1,000-turn debate); reference counting
            # still frees them when another debate takes the view. (A replay's jumps
            # stay on the same debate and freeze nothing.)
            gc.freeze()
        self._redraw_all()

    def restore_prefix(
        self, snapshot: StateSnapshot, events: Sequence[Event], since: int, until: int
    ) -> None:
        """Show the debate as it stood after its first `until` events, from `snapshot`,
        the state after the first `since` of them (a replay's jump: the cost of the
        events in between, not of the debate's length). The seat filter stays."""
        state = self._state
        shown, seats, rounds = state.debate_id, dict(state.seats), len(state.rounds)
        state.restore(snapshot)
        for event in events[since:until]:
            state.apply(event)
        self.charts.show_events(events, until)
        if state.debate_id != shown:
            self._redraw_all()
            return
        if len(state.rounds) != rounds:  # a card's look depends on the round too
            self.table.refresh()
        else:  # the cards of the seats that moved, and the table's centre
            moved = frozenset(s for s, seat in state.seats.items() if seats.get(s) != seat)
            self.table.refresh(Change(seats=moved, debate=True))
        self.transcript.rebuild()
        self._update_status()

    def prepare_ahead(self, events: Sequence[Event]) -> None:
        """Convert the Markdown of the turns a replay is about to finish (it is cached),
        so the step that shows one does not pay for it: a replay target's hook."""
        for event in events:
            if isinstance(event, TurnFinished) and not event.passed:
                seat = self._state.seats.get(event.seat_id)
                if seat is not None:
                    convert_markdown_ahead(event.text, seat.seat, self.palette())

    def set_seat_filter(self, seat_id: str | None) -> None:
        """Show one seat's turns only (None: all); the table highlights that seat."""
        if seat_id is not None and seat_id not in self._state.seats:
            seat_id = None
        self.transcript.set_seat_filter(seat_id)
        self.table.set_selected_seat(seat_id)
        index = self.seat_filter.findData(seat_id) if seat_id else 0
        if index >= 0 and index != self.seat_filter.currentIndex():
            self.seat_filter.blockSignals(True)
            self.seat_filter.setCurrentIndex(index)
            self.seat_filter.blockSignals(False)

    # ------------------------------------------------------------ internals
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._split_by_user:
            # Until the user drags the handle, the table takes 45% of the height.
            height = self.splitter.height()
            table = max(self.table.minimumSizeHint().height(), round(height * TABLE_SHARE))
            self.splitter.setSizes([table, max(1, height - table)])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.status_label and event.type() == QEvent.Type.Resize:
            self._fit_status()
        return super().eventFilter(watched, event)

    def _fit_status(self) -> None:
        """Wrap the status line when it does not fit on one line, and only then."""
        label = self.status_label
        wrap = label.fontMetrics().horizontalAdvance(label.text()) > label.contentsRect().width()
        if wrap != label.wordWrap():
            label.setWordWrap(wrap)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            colours.set_text_colour(self.status_label, semantic_colours(self.palette()).muted)

    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._split_by_user = True

    def _redraw_all(self) -> None:
        self.transcript.set_seat_filter(None)
        self.table.set_selected_seat(None)
        self.table.refresh()
        self.transcript.rebuild()
        self._fill_seat_filter()
        self._update_status()

    def _fill_seat_filter(self) -> None:
        self.seat_filter.blockSignals(True)
        self.seat_filter.clear()
        self.seat_filter.addItem(_ALL_SEATS, None)
        for seat in self._state.seats.values():
            self.seat_filter.addItem(seat.seat.name, seat.seat_id)
        self.seat_filter.setCurrentIndex(0)
        self.seat_filter.setEnabled(bool(self._state.seats))
        self.seat_filter.blockSignals(False)

    def _on_seat_clicked(self, seat_id: str) -> None:
        # A second click on the chosen seat goes back to every seat.
        chosen = None if self.transcript.seat_filter == seat_id else seat_id
        self.set_seat_filter(chosen)
        self.seat_selected.emit(chosen or "")

    def _on_chart_point_clicked(self, link: str) -> None:
        """A seat's answer in the charts was clicked: show that turn in the transcript."""
        kind, _, where = link.partition(":")
        round_text, _, seat_id = where.partition(":")
        if kind != "turn" or not round_text.isdigit():
            return
        if self._state.turn(int(round_text), seat_id) is not None:
            self.tabs.setCurrentWidget(self.transcript)
            self.transcript.show_turn(int(round_text), seat_id)

    def _on_filter_chosen(self, index: int) -> None:
        seat_id = self.seat_filter.itemData(index)
        chosen = seat_id if isinstance(seat_id, str) else None
        self.set_seat_filter(chosen)
        self.seat_selected.emit(chosen or "")

    def _elapsed_s(self) -> float:
        """Event time; while running, the wall clock since the debate started (a slow
        first token must still show the time passing)."""
        state = self._state
        if state.running and state.started_at is not None and self._replay is None:
            return max(state.elapsed_s, (datetime.now(UTC) - state.started_at).total_seconds())
        return state.elapsed_s

    def tick(self) -> None:
        """Advance the elapsed time of a running debate between events (a 1 s timer)."""
        if self._state.running and self._replay is None:
            self._update_status()

    def _update_status(self) -> None:
        state = self._state
        if state.spec is None:
            self.status_label.setText("No debate open")
        else:
            words = {
                DebateStatus.RUNNING: "Running",
                DebateStatus.FINISHED: "Finished",
                DebateStatus.CANCELLED: "Cancelled",
                DebateStatus.INTERRUPTED: "Interrupted",
                DebateStatus.FAILED: "Failed",
            }
            status = words.get(state.status, "") if state.status else ""
            parts = [status]
            if self._replay is not None:
                parts = replay_words(self._replay)
            elif state.running and state.current_round is not None:
                parts.append(f"round {state.current_round.index + 1} of {state.planned_rounds}")
            elif state.rounds:
                parts.append(state.rounds_words)  # as the history counts them
            parts += [
                format_tokens(state.total_tokens),
                format_cost(state.total_cost_usd),
                format_seconds(self._elapsed_s()),
            ]
            self.status_label.setText(" · ".join(p for p in parts if p))
        self._fit_status()
        muted = semantic_colours(self.palette()).muted
        if self.status_label.palette().color(QPalette.ColorRole.WindowText) != muted:
            colours.set_text_colour(self.status_label, muted)


def _link(debate_id: str, title: str) -> str:
    short = title if len(title) <= 60 else title[:59] + "…"
    return f"<a href='debate:{html.escape(debate_id)}'>‹{html.escape(short)}›</a>"
