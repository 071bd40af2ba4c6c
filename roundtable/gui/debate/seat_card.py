"""Painting one seat's card at the round table (used by `RoundTableWidget`).

A card shows who sits there (seat colour dot, name, model, provider colour strip,
"simulated" for demo seats), what they are doing (a state badge, animated while they
think or stream), what they answer (large and bold) and how sure they are (a bar).
It shows less as it shrinks (`CardDetail`), never overlapping text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen

from roundtable.gui.debate.round_table_layout import CardDetail
from roundtable.gui.debate.state_values import Phase, SeatView
from roundtable.gui.style import colours
from roundtable.gui.style.painting import paint_accent_bar, paint_panel, scaled_font
from roundtable.gui.style.theme import semantic_colours

_RADIUS = 9.0

#: Where a card's animated indicator sits: a strip along its top-right corner. Only
#: this part of a working seat's card is repainted on each animation frame.
INDICATOR_WIDTH = 110.0
INDICATOR_HEIGHT = 30.0

_PHASE_WORDS = {
    Phase.WAITING: "waiting",
    Phase.QUEUED: "queued",
    Phase.THINKING: "thinking",
    Phase.STREAMING: "streaming",
    Phase.RETRYING: "retrying",
    Phase.DONE: "done",
    Phase.FAILED: "failed",
    Phase.STOPPED: "stopped",
    Phase.SAT_OUT: "sat out",
}


def phase_words(phase: Phase) -> str:
    return _PHASE_WORDS[phase]


def sat_out_words(first_round: int) -> str:
    """ "left after round 1": a seat a fork dropped (rounds counted from 1, as shown);
    "sits out" when it takes no round at all (a follow-up of that fork keeps its place)."""
    return f"left after round {first_round}" if first_round else "sits out"


def phase_colour(phase: Phase, palette: QPalette) -> QColor:
    """The colour of a seat's state badge: the meaning's colour where the state has one."""
    meaning = semantic_colours(palette)
    if phase is Phase.DONE:
        return meaning.success
    if phase is Phase.FAILED:
        return meaning.error
    if phase is Phase.RETRYING:
        return meaning.warning
    if phase.active:
        return palette.color(QPalette.ColorRole.Highlight)
    return meaning.muted


@dataclass(frozen=True, slots=True)
class CardLook:
    """What a card needs to know beyond its seat: how big, which frame of animation, focus."""

    detail: CardDetail
    tick: int = 0
    selected: bool = False
    focused: bool = False
    hovered: bool = False
    #: The seat's answer is from an earlier round while a new turn runs: drawn faded.
    stale_answer: bool = False


class SeatCardPainter:
    """Paints seat cards with one palette and font; make one per paint event."""

    def __init__(self, painter: QPainter, palette: QPalette, font: QFont) -> None:
        self.p = painter
        self.palette = palette
        self.text = palette.color(QPalette.ColorRole.WindowText)
        self.muted = semantic_colours(palette).muted
        self.highlight = palette.color(QPalette.ColorRole.Highlight)
        self.name_font = scaled_font(font, 1.0, bold=True)
        self.small_font = scaled_font(font, 0.85)
        self.badge_font = scaled_font(font, 0.8, bold=True)
        self.answer_fonts = {
            CardDetail.FULL: scaled_font(font, 1.75, bold=True),
            CardDetail.COMPACT: scaled_font(font, 1.35, bold=True),
            CardDetail.TINY: scaled_font(font, 1.1, bold=True),
        }

    # ------------------------------------------------------------ the card
    def paint(self, rect: QRectF, seat: SeatView, look: CardLook) -> None:
        p = self.p
        p.save()
        # A hairline shadow lifts the card off the table on both themes.
        p.setPen(QPen(QColor(0, 0, 0, 45), 1.4))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(rect.translated(0, 1.2), _RADIUS, _RADIUS)
        paint_panel(
            p,
            rect,
            colours.surface(self.palette, 0.025 if look.hovered else 0.0),
            self._frame_pen(seat, look),
            _RADIUS,
        )
        paint_accent_bar(p, rect, colours.provider_colour(seat.seat.provider))
        inner = rect.adjusted(13, 7, -9, -7)
        if look.detail is CardDetail.FULL:
            self._paint_full(inner, seat, look)
        elif look.detail is CardDetail.COMPACT:
            self._paint_compact(inner, seat, look)
        else:
            self._paint_tiny(inner, seat, look)
        if look.focused:
            p.setPen(QPen(self.highlight, 1.5, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), _RADIUS + 2, _RADIUS + 2)
        p.restore()

    def _frame_pen(self, seat: SeatView, look: CardLook) -> QPen:
        if look.selected:
            return QPen(self.highlight, 2.4)
        if seat.phase.active:
            return QPen(
                colours.blend(
                    phase_colour(seat.phase, self.palette),
                    colours.surface(self.palette),
                    0.35,
                ),
                1.5,
            )
        if seat.phase is Phase.FAILED:
            return QPen(semantic_colours(self.palette).error, 1.4)
        return QPen(colours.border(self.palette), 1.0)

    def _paint_full(self, r: QRectF, seat: SeatView, look: CardLook) -> None:
        name_h = QFontMetricsF(self.name_font).height()
        small_h = QFontMetricsF(self.small_font).height()
        badge_w = self._badge(QRectF(r.left(), r.top(), r.width(), name_h), seat.phase, look.tick)
        self._name_row(QRectF(r.left(), r.top(), r.width() - badge_w - 6, name_h), seat)
        model_row = QRectF(r.left(), r.top() + name_h + 1, r.width(), small_h)
        self._model_row(model_row, seat)
        bottom = QRectF(r.left(), r.bottom() - small_h, r.width(), small_h)
        self._bottom_row(bottom, seat, show_state=False)
        middle = QRectF(r.left(), model_row.bottom(), r.width(), bottom.top() - model_row.bottom())
        self._answer(middle, seat, look)

    def _paint_compact(self, r: QRectF, seat: SeatView, look: CardLook) -> None:
        name_h = QFontMetricsF(self.name_font).height()
        small_h = QFontMetricsF(self.small_font).height()
        dot_w = self._phase_dot(QRectF(r.right() - 12, r.top(), 12, name_h), seat.phase, look.tick)
        self._name_row(QRectF(r.left(), r.top(), r.width() - dot_w - 4, name_h), seat, tag=True)
        bottom = QRectF(r.left(), r.bottom() - small_h, r.width(), small_h)
        self._bottom_row(bottom, seat, show_state=True)
        middle = QRectF(r.left(), r.top() + name_h, r.width(), bottom.top() - r.top() - name_h)
        self._answer(middle, seat, look)

    def _paint_tiny(self, r: QRectF, seat: SeatView, look: CardLook) -> None:
        name_h = QFontMetricsF(self.name_font).height()
        self._phase_dot(QRectF(r.right() - 10, r.top(), 10, name_h), seat.phase, look.tick)
        self._name_row(QRectF(r.left(), r.top(), r.width() - 14, name_h), seat, tag=True)
        rest = QRectF(r.left(), r.top() + name_h, r.width(), r.height() - name_h)
        conf = seat.confidence
        if conf is not None and seat.phase not in (Phase.FAILED, Phase.SAT_OUT):
            self.p.setFont(self.small_font)
            self.p.setPen(self.muted)
            self.p.drawText(
                rest, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{conf:.0%}"
            )
            rest.setRight(
                rest.right() - QFontMetricsF(self.small_font).horizontalAdvance("100%") - 4
            )
        self._answer(rest, seat, look, align=Qt.AlignmentFlag.AlignLeft)

    # ------------------------------------------------------------ rows
    def _name_row(self, r: QRectF, seat: SeatView, *, tag: bool = False) -> None:
        p = self.p
        dot = seat_dot_colour(seat, self.palette)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(dot)
        p.drawEllipse(QPointF(r.left() + 4.5, r.center().y()), 4.5, 4.5)
        text_r = r.adjusted(14, 0, 0, 0)
        tag_w = 0.0
        if tag and seat.seat.is_demo:
            fm = QFontMetricsF(self.badge_font)
            tag_w = fm.horizontalAdvance("simulated") + 10
            name_w = QFontMetricsF(self.name_font).horizontalAdvance(seat.seat.name)
            if name_w + tag_w + 4 > text_r.width():
                tag_w = 0.0  # no room: the tooltip still says so
        p.setFont(self.name_font)
        p.setPen(self.text)
        fm = QFontMetricsF(self.name_font)
        name = fm.elidedText(seat.seat.name, Qt.TextElideMode.ElideRight, text_r.width() - tag_w)
        p.drawText(text_r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        if tag_w:
            left = text_r.left() + fm.horizontalAdvance(name) + 6
            self._tag(QPointF(left, r.center().y()), "simulated")

    def _model_row(self, r: QRectF, seat: SeatView) -> None:
        p = self.p
        p.setFont(self.small_font)
        p.setPen(self.muted)
        fm = QFontMetricsF(self.small_font)
        tag_w = QFontMetricsF(self.badge_font).horizontalAdvance("simulated") + 14
        room = r.width() - (tag_w if seat.seat.is_demo else 0)
        model = fm.elidedText(seat.seat.model, Qt.TextElideMode.ElideMiddle, room)
        p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, model)
        if seat.seat.is_demo:
            self._tag(
                QPointF(r.left() + fm.horizontalAdvance(model) + 6, r.center().y()), "simulated"
            )

    def _answer(
        self,
        r: QRectF,
        seat: SeatView,
        look: CardLook,
        *,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    ) -> None:
        p = self.p
        font = self.answer_fonts[look.detail]
        if seat.answer is None:
            # Nothing yet is shown as nothing; a finished turn without one says so.
            if seat.phase is not Phase.DONE:
                return
            font, text, colour = self.small_font, "no answer", self.muted
        else:
            text = seat.answer.display
            faded = look.stale_answer or seat.phase in (Phase.FAILED, Phase.STOPPED, Phase.SAT_OUT)
            colour = colours.blend(self.text, self.muted, 0.7) if faded else self.text
        fm = QFontMetricsF(font)
        p.setFont(font)
        p.setPen(colour)
        elided = fm.elidedText(text, Qt.TextElideMode.ElideRight, r.width())
        p.drawText(r, align | Qt.AlignmentFlag.AlignVCenter, elided)

    def _bottom_row(self, r: QRectF, seat: SeatView, *, show_state: bool) -> None:
        """The confidence bar, or what went wrong, or (compact) what the seat is doing."""
        p = self.p
        p.setFont(self.small_font)
        fm = QFontMetricsF(self.small_font)
        message, colour = "", self.muted
        if seat.your_turn:
            # Whatever the size of the card: a person must see that the table waits for them.
            message, colour = "your turn", semantic_colours(self.palette).warning
        elif seat.phase is Phase.FAILED:
            message = without_seat_prefix(seat.error, seat) or "failed"
            colour = semantic_colours(self.palette).error
        elif seat.phase is Phase.RETRYING:
            message, colour = seat.error or "retrying", semantic_colours(self.palette).warning
        elif seat.phase is Phase.QUEUED:
            message = f"waiting for {seat.waiting_for or 'its server'}"
        elif seat.sat_out_from is not None:
            message = sat_out_words(seat.sat_out_from)
        elif show_state and seat.phase.active:
            message = f"{phase_words(seat.phase)}…"
        if message:
            p.setPen(colour)
            elided = fm.elidedText(message, Qt.TextElideMode.ElideRight, r.width())
            p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
            return
        conf = seat.confidence
        if conf is None:
            return
        label = f"{conf:.0%}"
        label_w = fm.horizontalAdvance("100%") + 4
        bar = QRectF(r.left(), r.center().y() - 2.5, r.width() - label_w - 4, 5)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colours.blend(self.muted, colours.surface(self.palette), 0.6))
        p.drawRoundedRect(bar, 2.5, 2.5)
        if conf > 0:
            filled = QRectF(
                bar.left(), bar.top(), max(5.0, bar.width() * min(conf, 1.0)), bar.height()
            )
            p.setBrush(seat_dot_colour(seat, self.palette))
            p.drawRoundedRect(filled, 2.5, 2.5)
        p.setPen(self.muted)
        p.drawText(
            QRectF(r.right() - label_w, r.top(), label_w, r.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            label,
        )

    # ------------------------------------------------------------ badges
    def _badge(self, r: QRectF, phase: Phase, tick: int) -> float:
        """A pill with the state's name at the right of `r`; returns its width."""
        p = self.p
        fm = QFontMetricsF(self.badge_font)
        word = phase_words(phase)
        dots_w = 13.0 if phase.active else 0.0
        width = fm.horizontalAdvance(word) + 12 + dots_w
        height = min(r.height(), fm.height() + 4)
        pill = QRectF(r.right() - width, r.center().y() - height / 2, width, height)
        colour = phase_colour(phase, self.palette)
        fill = QColor(colour)
        fill.setAlphaF(0.16)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRoundedRect(pill, height / 2, height / 2)
        p.setFont(self.badge_font)
        p.setPen(colours.blend(colour, self.text, 0.25))
        text_r = pill.adjusted(6, 0, -6 - dots_w, 0)
        p.drawText(text_r, Qt.AlignmentFlag.AlignCenter, word)
        if dots_w:
            self._dots(QPointF(text_r.right() + 3, pill.center().y()), colour, tick)
        return width

    def _dots(self, left: QPointF, colour: QColor, tick: int) -> None:
        """Three dots lighting up in turn: the one animation a working seat shows."""
        p = self.p
        p.setPen(Qt.PenStyle.NoPen)
        for i in range(3):
            dot = QColor(colour)
            dot.setAlphaF(1.0 if (tick // 3) % 3 == i else 0.3)
            p.setBrush(dot)
            p.drawEllipse(QPointF(left.x() + 1.5 + i * 4, left.y()), 1.5, 1.5)

    def _phase_dot(self, r: QRectF, phase: Phase, tick: int) -> float:
        p = self.p
        colour = phase_colour(phase, self.palette)
        centre = QPointF(r.right() - 5, r.center().y())
        if phase.active:
            halo = QColor(colour)
            halo.setAlphaF(0.15 + 0.25 * abs((tick % 12) - 6) / 6)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(halo)
            p.drawEllipse(centre, 5.5, 5.5)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(centre, 3.5, 3.5)
        return 12.0

    def _tag(self, left_centre: QPointF, text: str) -> None:
        p = self.p
        fm = QFontMetricsF(self.badge_font)
        width = fm.horizontalAdvance(text) + 8
        rect = QRectF(left_centre.x(), left_centre.y() - fm.height() / 2, width, fm.height())
        p.setPen(QPen(self.muted, 0.8))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(rect, 3, 3)
        p.setFont(self.badge_font)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def without_seat_prefix(message: str, seat: SeatView) -> str:
    """An error message without the "Name (model) " it starts with: the card says who."""
    for prefix in (f"{seat.seat.name} ({seat.seat.model}) ", f"{seat.seat.name}: "):
        if message.startswith(prefix):
            rest = message[len(prefix) :]
            return rest[:1].upper() + rest[1:]
    return message


def seat_dot_colour(seat: SeatView, palette: QPalette) -> QColor:
    return colours.seat_colour(seat.index, palette)
