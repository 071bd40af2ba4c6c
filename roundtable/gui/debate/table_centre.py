"""Painting the middle of the round table: status, question, consensus meter, final answer."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QTextLayout

from roundtable.domain import DebateStatus
from roundtable.gui.debate.state import DebateState
from roundtable.gui.style import colours
from roundtable.gui.style.formatting import round_title
from roundtable.gui.style.painting import scaled_font
from roundtable.gui.style.theme import semantic_colours

_BAR_HEIGHT = 8.0
_CHART_HEIGHT = _BAR_HEIGHT * 2.2
_CHART_WIDTH_PER_ROUND = 7.0


def elided_lines(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """`text` wrapped to `width`, at most `max_lines` lines, the last one elided if cut."""
    text = " ".join(text.split())
    if max_lines <= 0 or width <= 0 or not text:
        return []
    layout = QTextLayout(text, font)
    layout.beginLayout()
    starts: list[tuple[int, int]] = []
    while len(starts) <= max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append((line.textStart(), line.textLength()))
    layout.endLayout()
    lines = [text[start : start + length].strip() for start, length in starts[:max_lines]]
    if len(starts) > max_lines:
        last_start = starts[max_lines - 1][0]
        fm = QFontMetricsF(font)
        lines[-1] = fm.elidedText(text[last_start:], Qt.TextElideMode.ElideRight, width)
    return lines


def final_answer_words(state: DebateState) -> str:
    """ "Final answer: 391", or "Simulated answer: 391" when the demo table gave it: the
    word that marks it replaces "Final", so the mark costs the narrow table no room."""
    simulated = state.simulated
    label = f"{simulated.capitalize()} answer" if simulated else "Final answer"
    if not state.final_answer:
        return f"No answer ({simulated})" if simulated else "No answer"
    return f"{label}: {state.final_answer}"


class TableCentrePainter:
    """Paints the table's text block, centred in the rectangle inscribed in the oval."""

    def __init__(
        self, painter: QPainter, palette: QPalette, font: QFont, state: DebateState
    ) -> None:
        self.p = painter
        self.palette = palette
        self.state = state
        self.text = palette.color(QPalette.ColorRole.WindowText)
        self.muted = semantic_colours(palette).muted
        self.status_font = scaled_font(font, 0.82, bold=True)
        self.question_font = scaled_font(font, 1.05)
        self.meter_font = scaled_font(font, 0.92)
        self.final_font = scaled_font(font, 1.25, bold=True)

    def paint(self, rect: QRectF) -> None:
        state = self.state
        if state.spec is None:
            self.p.setFont(self.question_font)
            self.p.setPen(self.muted)
            self.p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No debate yet")
            return
        status, status_colour = self._status()
        status_h = QFontMetricsF(self.status_font).height()
        q_fm = QFontMetricsF(self.question_font)
        meter_h = self._meter_height()
        gap = 6.0
        # The question matters more than the status line: the status goes first when short.
        room = rect.height() - meter_h - gap
        wanted = len(elided_lines(state.spec.question, self.question_font, rect.width(), 3))
        show_status = room - status_h - 2 >= max(1, min(wanted, 2)) * q_fm.lineSpacing()
        if show_status:
            room -= status_h + 2
        max_lines = max(1, min(3, int(room // q_fm.lineSpacing())))
        lines = elided_lines(state.spec.question, self.question_font, rect.width(), max_lines)
        block_h = (
            (status_h + 2 if show_status else 0) + len(lines) * q_fm.lineSpacing() + gap + meter_h
        )
        y = rect.top() + max(0.0, (rect.height() - block_h) / 2)
        p = self.p
        if show_status:
            p.setFont(self.status_font)
            p.setPen(status_colour)
            elided = QFontMetricsF(self.status_font).elidedText(
                status, Qt.TextElideMode.ElideRight, rect.width()
            )
            p.drawText(
                QRectF(rect.left(), y, rect.width(), status_h), Qt.AlignmentFlag.AlignCenter, elided
            )
            y += status_h + 2
        p.setFont(self.question_font)
        p.setPen(self.text)
        for line in lines:
            p.drawText(
                QRectF(rect.left(), y, rect.width(), q_fm.lineSpacing()),
                Qt.AlignmentFlag.AlignCenter,
                line,
            )
            y += q_fm.lineSpacing()
        y += gap
        self._paint_meter(QRectF(rect.left(), y, rect.width(), meter_h))

    # ------------------------------------------------------------ status line
    def _status(self) -> tuple[str, QColor]:
        state = self.state
        assert state.spec is not None
        rounds = len(state.rounds)
        if state.status is DebateStatus.FINISHED:
            plural = "round" if rounds == 1 else "rounds"
            return f"Finished after {rounds} {plural}", self.muted
        if state.status is DebateStatus.CANCELLED:
            return f"Cancelled: {state.status_reason}", semantic_colours(self.palette).warning
        if state.status is DebateStatus.INTERRUPTED:
            return f"Interrupted: {state.status_reason}", semantic_colours(self.palette).warning
        if state.status is DebateStatus.FAILED:
            return f"Failed: {state.status_reason}", semantic_colours(self.palette).error
        current = state.current_round
        if current is None:
            return "Starting…", self.muted
        return round_title(current.index, current.kind, of=state.planned_rounds), self.muted

    # ------------------------------------------------------------ consensus meter
    def _meter_height(self) -> float:
        label_font = self.final_font if self._final_text() else self.meter_font
        return QFontMetricsF(label_font).height() + 4 + _BAR_HEIGHT + self._chart_rise()

    def _chart_rise(self) -> float:
        """How far the per-round chart stands above the bar: room kept under the label."""
        return _CHART_HEIGHT - _BAR_HEIGHT if len(self.state.agreement_history) > 1 else 0.0

    def _final_text(self) -> str | None:
        state = self.state
        if state.status is not DebateStatus.FINISHED:
            return None
        return final_answer_words(state)

    def _fitting_final(self, final: str, font: QFont, width: float) -> str:
        """The longest telling of the result that fits: with "· consensus", without it,
        then the answer alone (marked if simulated). A narrow table showed
        "Final answer: SQLit…" and then, marked, "Simulated answer: …": no answer at all."""
        state = self.state
        suffix = " · consensus" if state.consensus else " · no consensus"
        answer = state.final_answer or "No answer"
        tellings = [final + suffix, final]
        tellings.append(f"{answer} ({state.simulated})" if state.simulated else answer)
        fm = QFontMetricsF(font)
        return next((t for t in tellings if fm.horizontalAdvance(t) <= width), tellings[-1])

    def _paint_meter(self, r: QRectF) -> None:
        p = self.p
        state = self.state
        agreement = state.latest_agreement
        final = self._final_text()
        # The latest rounds that fit beside the bar: 125 rounds ran across the whole table.
        fits = max(2, int(r.width() * 0.45 // _CHART_WIDTH_PER_ROUND))
        history = state.agreement_history[-fits:]
        chart_w = _CHART_WIDTH_PER_ROUND * len(history) + 8 if len(history) > 1 else 0.0
        bar_w = min(r.width() - chart_w, max(140.0, r.width() * 0.7), 360.0)
        left = r.left() + (r.width() - bar_w - chart_w) / 2
        label_font = self.final_font if final else self.meter_font
        label_h = QFontMetricsF(label_font).height()
        label_rect = QRectF(r.left(), r.top(), r.width(), label_h)
        agreed = bool(state.consensus or state.consensus_answer)
        if final:
            label, colour = self._fitting_final(final, label_font, r.width()), self.text
        elif agreement is None:
            label, colour = "Agreement: waiting for the first round", self.muted
        else:
            leader = state.latest_leader or "no answer yet"
            label, colour = f"Agreement {agreement:.0%} · leading: {leader}", self.text
        p.setFont(label_font)
        p.setPen(colour)
        label = QFontMetricsF(label_font).elidedText(label, Qt.TextElideMode.ElideRight, r.width())
        p.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, label)
        bar = QRectF(left, r.top() + label_h + 4 + self._chart_rise(), bar_w, _BAR_HEIGHT)
        fill = (
            semantic_colours(self.palette).success
            if agreed
            else self.palette.color(QPalette.ColorRole.Highlight)
        )
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colours.blend(self.muted, self.palette.color(QPalette.ColorRole.Window), 0.55))
        p.drawRoundedRect(bar, _BAR_HEIGHT / 2, _BAR_HEIGHT / 2)
        if agreement:
            filled = QRectF(
                bar.left(), bar.top(), max(_BAR_HEIGHT, bar.width() * agreement), bar.height()
            )
            p.setBrush(fill)
            p.drawRoundedRect(filled, _BAR_HEIGHT / 2, _BAR_HEIGHT / 2)
        if chart_w:
            self._paint_chart(QPointF(bar.right() + 8, bar.bottom()), history, fill)

    def _paint_chart(self, bottom_left: QPointF, history: list[float], colour: QColor) -> None:
        """One tiny bar per round: how agreement moved."""
        p = self.p
        full = _CHART_HEIGHT
        for i, value in enumerate(history):
            height = max(2.0, full * value)
            x = bottom_left.x() + i * _CHART_WIDTH_PER_ROUND
            track = QRectF(x, bottom_left.y() - full, _CHART_WIDTH_PER_ROUND - 2, full)
            p.setBrush(
                colours.blend(self.muted, self.palette.color(QPalette.ColorRole.Window), 0.7)
            )
            p.drawRect(track)
            p.setBrush(colour if i == len(history) - 1 else colours.blend(colour, self.muted, 0.45))
            p.drawRect(QRectF(x, bottom_left.y() - height, _CHART_WIDTH_PER_ROUND - 2, height))
