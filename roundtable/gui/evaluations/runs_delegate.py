"""How one evaluation run is drawn in the list of runs.

    ┌──────────────────────────────────────────┐
    │ arithmetic                          85 % │
    │ 20 of 20 questions · finished · $0       │
    │ roundtable · Ada, Basil, Cyra  simulated │
    │ 2026-12-03 14:02                         │
    └──────────────────────────────────────────┘

Measured from the view's font and coloured from its palette and the theme's semantic
colours, like the history list, so it scales and reads in light and dark.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from roundtable.domain.evaluation import EvalRunSummary
from roundtable.gui.evaluations.report_text import run_accuracy, run_date, run_progress, run_table
from roundtable.gui.evaluations.runs_model import SummaryRole
from roundtable.gui.style.colours import blend
from roundtable.gui.style.painting import item_background, scaled_font
from roundtable.gui.style.theme import semantic_colours

_Index = QModelIndex | QPersistentModelIndex
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SIMULATED_TAG = "simulated"


@dataclass(frozen=True, slots=True)
class _Fonts:
    title: QFont
    small: QFont
    tag: QFont

    @classmethod
    def of(cls, base: QFont) -> _Fonts:
        return cls(
            title=scaled_font(base, 1.0, bold=True),
            small=scaled_font(base, 0.9),
            tag=scaled_font(base, 0.85, bold=True),
        )


class RunDelegate(QStyledItemDelegate):
    """Paints a `RunListModel` row. No signals."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fonts = _Fonts.of(option.font)
        title_h = QFontMetrics(fonts.title).height()
        small_h = QFontMetrics(fonts.small).height()
        pad = max(6, small_h // 2)
        return QSize(220, title_h + 3 * small_h + 3 * (small_h // 5) + 2 * pad + 1)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        summary = index.data(SummaryRole)
        if not isinstance(summary, EvalRunSummary):
            super().paint(painter, option, index)
            return
        with item_background(self, painter, option, index) as opt:
            self._draw(painter, opt, summary)

    def _draw(self, painter: QPainter, opt: QStyleOptionViewItem, run: EvalRunSummary) -> None:
        fonts = _Fonts.of(opt.font)
        palette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text = palette.color(text_role)
        semantic = semantic_colours(palette)
        muted = (
            blend(text, palette.color(QPalette.ColorRole.Highlight), 0.25)
            if selected
            else (semantic.muted)
        )
        title_m, small_m = QFontMetrics(fonts.title), QFontMetrics(fonts.small)
        pad = max(6, small_m.height() // 2)
        pad_x = max(8, small_m.height() * 2 // 3)
        gap = max(2, small_m.height() // 5)
        rect = opt.rect.adjusted(pad_x, pad, -pad_x, -pad)

        # Line 1: the task, and the share right on the right, where the eye compares runs.
        accuracy = run_accuracy(run)
        accuracy_w = title_m.horizontalAdvance(accuracy)
        line = QRect(rect.left(), rect.top(), rect.width(), title_m.height())
        painter.setFont(fonts.title)
        painter.setPen(text)
        painter.drawText(line, _RIGHT, accuracy)
        task = title_m.elidedText(
            run.task_name, Qt.TextElideMode.ElideMiddle, max(0, rect.width() - accuracy_w - 12)
        )
        painter.drawText(line, _LEFT, task)

        painter.setFont(fonts.small)
        painter.setPen(muted)
        top = line.bottom() + 1 + gap
        for words in (run_progress(run), None, run_date(run.created_at)):
            line = QRect(rect.left(), top, rect.width(), small_m.height())
            if words is None:
                self._seats_line(painter, line, run, fonts, muted, semantic.warning, selected)
            else:
                shown = small_m.elidedText(words, Qt.TextElideMode.ElideRight, line.width())
                painter.drawText(line, _LEFT, shown)
            top = line.bottom() + 1 + gap

        # A hairline between runs, as in the history list.
        painter.setPen(blend(palette.color(QPalette.ColorRole.Base), text, 0.12))
        bottom = opt.rect.bottom()
        painter.drawLine(opt.rect.left(), bottom, opt.rect.right(), bottom)

    @staticmethod
    def _seats_line(  # noqa: PLR0917  (one line's paint job)
        painter: QPainter,
        line: QRect,
        run: EvalRunSummary,
        fonts: _Fonts,
        muted: QColor,
        warning: QColor,
        selected: bool,
    ) -> None:
        """The table, and "simulated" marked in the warning colour when it was."""
        small_m = QFontMetrics(fonts.small)
        room = line.width()
        if run.simulated:
            tag_w = QFontMetrics(fonts.tag).horizontalAdvance(SIMULATED_TAG)
            painter.setFont(fonts.tag)
            painter.setPen(muted if selected else warning)
            painter.drawText(line, _RIGHT, SIMULATED_TAG)
            room -= tag_w + 10
        painter.setFont(fonts.small)
        painter.setPen(muted)
        shown = small_m.elidedText(run_table(run), Qt.TextElideMode.ElideRight, max(0, room))
        painter.drawText(line, _LEFT, shown)
