"""The round table: seats as cards around an oval that shows the question and agreement.

`RoundTableWidget` paints a `DebateState` (it never changes it). The table in the
middle shows the question, the consensus meter (agreement of the latest round, the
leading answer, a tiny chart of agreement per round) and, at the end, the final answer.
One QTimer drives every animated indicator, and only while some seat is working.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from roundtable.domain import DebateStatus
from roundtable.gui.debate.round_table_layout import TableLayout, table_layout
from roundtable.gui.debate.seat_card import (
    INDICATOR_HEIGHT,
    INDICATOR_WIDTH,
    CardLook,
    SeatCardPainter,
    phase_words,
    sat_out_words,
)
from roundtable.gui.debate.state import Change, DebateState, Phase, SeatView
from roundtable.gui.debate.table_centre import TableCentrePainter, final_answer_words
from roundtable.gui.style import colours
from roundtable.gui.style.formatting import format_cost, format_tokens

#: Frame interval of the working-seat animation (12 fps is plenty for pulsing dots).
_ANIMATION_MS = 85


class RoundTableWidget(QWidget):
    """Seats around a table, painted from a `DebateState`.

    Signals:
        seat_clicked(str): the user clicked a seat, or pressed Enter/Space on it (seat id).
    """

    seat_clicked = Signal(str)  #: (seat_id)

    def __init__(self, state: DebateState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state or DebateState()
        self._selected: str | None = None
        self._focus_index = 0
        self._hover: str | None = None
        self._keyboard_focus = False
        self._tick = 0
        self._still = False
        self._timer = QTimer(self)
        self._timer.setInterval(_ANIMATION_MS)
        self._timer.timeout.connect(self._animate)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Round table")
        self._update_description()

    # ------------------------------------------------------------ public API
    def refresh(self, change: Change | None = None) -> None:
        """Repaint what `change` touched (everything when None) and start/stop the animation."""
        if change is None or change.reset:
            self.update()
        else:
            # A turn's end repaints its seat and the table's centre (meter, totals, the
            # round), not all the cards: eight of them cost ~10 ms a paint, and a replay
            # steps, or eight seats finish, several times a second.
            for seat_id in change.seats:
                rect = self.seat_rect(seat_id)
                if rect is not None:
                    self.update(rect.adjusted(-5, -5, 5, 6).toAlignedRect())
            if change.debate or change.rounds:
                self.update(self._layout().table_text_rect.adjusted(-4, -4, 4, 4).toAlignedRect())
        if change is None or not change.empty:
            self._update_animation()
            if change is None or change.seats or change.debate or change.reset:
                self._update_description()

    def set_still(self, still: bool) -> None:
        """Hold the working seats' dots still (a paused replay), or let them move again.
        Still, an idle table costs nothing: the dots of seven thinking seats repainted
        seven cards every tick."""
        if still != self._still:
            self._still = still
            self._update_animation()

    def set_selected_seat(self, seat_id: str | None) -> None:
        """Highlight the seat the transcript is filtered to (None: no highlight)."""
        if seat_id != self._selected:
            self._selected = seat_id
            self.update()

    @property
    def selected_seat(self) -> str | None:
        return self._selected

    @property
    def animating(self) -> bool:
        return self._timer.isActive()

    def seat_rect(self, seat_id: str) -> QRectF | None:
        # zip: before the first layout (a widget never shown) there are no card rects.
        for seat, rect in zip(self._seats(), self._layout().cards, strict=False):
            if seat.seat_id == seat_id:
                return rect
        return None

    def seat_at(self, pos: QPointF) -> str | None:
        for seat, rect in zip(self._seats(), self._layout().cards, strict=False):
            if rect.contains(pos):
                return seat.seat_id
        return None

    # ------------------------------------------------------------ geometry
    def _seats(self) -> list[SeatView]:
        return list(self._state.seats.values())

    def _layout(self) -> TableLayout:
        return table_layout(float(self.width()), float(self.height()), len(self._state.seats))

    def sizeHint(self) -> QSize:
        return QSize(960, 400)

    def minimumSizeHint(self) -> QSize:
        return QSize(420, 220)

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        layout = self._layout()
        # The region, not its bounding rect: a seat's card and the table's centre
        # repainted together must not repaint the cards between them.
        region = event.region()
        if region.intersects(layout.table.toAlignedRect()):
            self._paint_table(painter, layout)
        cards = SeatCardPainter(painter, self.palette(), self.font())
        current = self._state.current_round
        for index, (seat, rect) in enumerate(zip(self._seats(), layout.cards, strict=False)):
            if not region.intersects(rect.adjusted(-5, -5, 5, 6).toAlignedRect()):
                continue
            stale = (
                seat.phase.active
                and current is not None
                and seat.answer_round is not None
                and seat.answer_round < current.index
            )
            look = CardLook(
                detail=layout.detail,
                tick=self._tick,
                selected=seat.seat_id == self._selected,
                focused=self.hasFocus() and self._keyboard_focus and index == self._focus_index,
                hovered=seat.seat_id == self._hover,
                stale_answer=stale,
            )
            cards.paint(rect, seat, look)
        painter.end()

    def _paint_table(self, p: QPainter, layout: TableLayout) -> None:
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        felt = colours.blend(window, palette.color(QPalette.ColorRole.Highlight), 0.10)
        p.setPen(QPen(colours.border(palette), 1.2))
        p.setBrush(felt)
        p.drawEllipse(layout.table)
        rim = QColor(colours.border(palette))
        rim.setAlphaF(0.35)
        p.setPen(QPen(rim, 1.0))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(layout.table.adjusted(6, 6, -6, -6))
        TableCentrePainter(p, palette, self.font(), self._state).paint(layout.table_text_rect)

    # ------------------------------------------------------------ animation
    def _update_animation(self) -> None:
        active = not self._still and self._state.running and self._state.any_active
        if active and not self._timer.isActive():
            self._timer.start()
        elif not active and self._timer.isActive():
            # Nothing to repaint: a card draws its indicator while its seat works, and a
            # seat that stopped working was in the change that stopped it (repainted).
            # (A replay step starts and ends a turn: eight cards cost ~10 ms a paint.)
            self._timer.stop()

    def _animate(self) -> None:
        self._tick += 1
        # Only the indicator moves: repaint that corner of each working seat's card.
        for seat in self._seats():
            if seat.phase.active:
                rect = self.seat_rect(seat.seat_id)
                if rect is not None:
                    corner = QRectF(
                        rect.right() - INDICATOR_WIDTH,
                        rect.top(),
                        INDICATOR_WIDTH,
                        min(INDICATOR_HEIGHT, rect.height()),
                    )
                    self.update(corner.toAlignedRect())

    # ------------------------------------------------------------ interaction
    def mousePressEvent(self, event: QMouseEvent) -> None:
        seat_id = self.seat_at(event.position())
        if seat_id is not None and event.button() == Qt.MouseButton.LeftButton:
            self._focus_index = self._state.seat_order.get(seat_id, 0)
            self.seat_clicked.emit(seat_id)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hover = self.seat_at(event.position())
        if hover != self._hover:
            self._hover = hover
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if hover else Qt.CursorShape.ArrowCursor
            )
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        seats = self._seats()
        key = event.key()
        if not seats:
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._focus_index = (self._focus_index + 1) % len(seats)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._focus_index = (self._focus_index - 1) % len(seats)
        elif key == Qt.Key.Key_Home:
            self._focus_index = 0
        elif key == Qt.Key.Key_End:
            self._focus_index = len(seats) - 1
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.seat_clicked.emit(seats[min(self._focus_index, len(seats) - 1)].seat_id)
        else:
            super().keyPressEvent(event)
            return
        self._keyboard_focus = True
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        # The focus ring is for keyboard users; a click or the window opening shows none.
        self._keyboard_focus = event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        )
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = QPointF(event.pos())
            seat_id = self.seat_at(pos)
            text = ""
            if seat_id is not None:
                text = seat_tooltip(self._state.seats[seat_id])
            elif _inside_oval(self._layout().table, pos):
                text = agreement_tooltip(self._state)
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # ------------------------------------------------------------ accessibility
    def _update_description(self) -> None:
        self.setAccessibleDescription(describe_table(self._state))


#: A persona longer than this is cut in the tooltip (the whole is in the export).
_PERSONA_CHARS = 240


def seat_tooltip(seat: SeatView) -> str:
    """Everything about a seat in a few lines: the full error of a failed seat included."""
    model = seat.seat.model + (" (simulated)" if seat.seat.is_demo else "")
    lines = [f"<b>{_esc(seat.seat.name)}</b> — {_esc(model)}"]
    persona = seat.seat.persona.strip()
    if persona:  # who the seat was told to be: it explains how it argues
        shown = persona if len(persona) <= _PERSONA_CHARS else persona[: _PERSONA_CHARS - 1] + "…"
        lines.append(f"Persona: <i>{_esc(shown)}</i>")
    state = phase_words(seat.phase)
    if seat.phase is Phase.QUEUED and seat.waiting_for:
        state = f"{state}, waiting for {_esc(seat.waiting_for)}"
    lines.append(f"State: {state}")
    if seat.sat_out_from is not None:
        lines.append(f"The fork dropped this seat: it {sat_out_words(seat.sat_out_from)}")
    if seat.answer is not None:
        conf = "" if seat.confidence is None else f" ({seat.confidence:.0%} confident)"
        lines.append(f"Answer: {_esc(seat.answer.display)}{conf}")
        if seat.sat_out_from is not None and seat.answer_round is not None:
            lines.append(f"(given in round {seat.answer_round + 1}, before it left)")
    lines.append(f"{format_tokens(seat.tokens)} · {format_cost(seat.cost_usd)}")
    if seat.error_detail:
        lines.append(f"<span>Error: {_esc(seat.error_detail)}</span>")
    return "<br>".join(lines)


def agreement_tooltip(state: DebateState) -> str:
    """The consensus meter's numbers: agreement and leading answer of every round."""
    lines = [
        f"Round {r.index + 1}: {r.agreement:.0%} agree, leading {_esc(r.leader or 'none')}"
        for r in state.rounds
        if r.agreement is not None
    ]
    return "<br>".join(lines)


def _inside_oval(oval: QRectF, pos: QPointF) -> bool:
    if oval.width() <= 0 or oval.height() <= 0:
        return False
    dx = (pos.x() - oval.center().x()) / (oval.width() / 2)
    dy = (pos.y() - oval.center().y()) / (oval.height() / 2)
    return dx * dx + dy * dy <= 1.0


def describe_table(state: DebateState) -> str:
    """The table in words, for screen readers."""
    if state.spec is None:
        return "No debate."
    parts = [f"Question: {state.spec.question}"]
    for seat in state.seats.values():
        text = f"{seat.seat.name}: {phase_words(seat.phase)}"
        if seat.answer is not None:
            text += f", answer {seat.answer.display}"
            if seat.confidence is not None:
                text += f" ({seat.confidence:.0%})"
        if seat.error:
            text += f", {seat.error}"
        parts.append(text)
    if state.latest_agreement is not None:
        parts.append(f"Agreement {state.latest_agreement:.0%}, leading {state.latest_leader}")
    if state.status is DebateStatus.FINISHED:
        parts.append(final_answer_words(state))
    return ". ".join(parts) + "."


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
