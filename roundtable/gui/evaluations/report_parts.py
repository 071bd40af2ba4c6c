"""Two pieces of the report page: the warning banner and the grid of charts.

- `Banner`: a label on a soft warning-tinted panel ("Simulated seats: ..."), painted
  from the palette and the theme's warning colour, so it reads in light and dark;
- `ChartGrid`: the run's charts (each a shared `ChartView`: hover shows a point's
  values, a click or Enter on a point with a link reports it), two a row when there
  is room for both, else one under another; a grid of cells (each question, before
  and after debate) takes a whole row. The chart widgets, and matplotlib with
  them, are made when the first charts arrive, not when the app starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from roundtable.charts.values import Chart, ChartKind
from roundtable.gui.style.colours import blend
from roundtable.gui.style.theme import semantic_colours

if TYPE_CHECKING:
    from roundtable.gui.widgets.chart_view import ChartView

#: Below this width a chart's labels crowd: the grid puts the charts one under another.
MIN_CHART_WIDTH = 600
_BANNER_RADIUS = 6.0


class Banner(QLabel):
    """A sentence that must not be missed, on a warning-tinted panel. No signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setContentsMargins(12, 8, 12, 8)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        warning = semantic_colours(palette).warning
        base = palette.color(QPalette.ColorRole.Base)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(blend(base, warning, 0.7), 1.0))
        painter.setBrush(blend(base, warning, 0.12))
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(rect, _BANNER_RADIUS, _BANNER_RADIUS)
        painter.end()
        super().paintEvent(event)


class ChartGrid(QWidget):
    """The run's charts in a grid that reflows with the width.

    Signals:
    """

    #: (link: str) a point with a link was clicked or chosen with Enter
    point_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.views: list[ChartView] = []
        self._columns = 0
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(16)

    def set_charts(self, charts: Sequence[Chart]) -> None:
        """Show `charts` in order; chart widgets are kept and reused between runs."""
        from roundtable.gui.widgets.chart_view import ChartView

        while len(self.views) < len(charts):
            view = ChartView(self)
            view.point_clicked.connect(self.point_clicked)
            self.views.append(view)
        for view, chart in zip(self.views, charts, strict=False):
            view.set_chart(chart)
            view.show()
        for view in self.views[len(charts) :]:
            view.hide()
        self._columns = 0  # lay out again
        self._reflow()

    def shown_views(self) -> list[ChartView]:
        return [view for view in self.views if not view.isHidden()]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self) -> None:
        columns = 2 if self.width() >= 2 * MIN_CHART_WIDTH + self._grid.horizontalSpacing() else 1
        if columns == self._columns:
            return
        self._columns = columns
        for view in self.views:
            self._grid.removeWidget(view)
        row = column = 0
        for view in self.shown_views():
            chart = view.chart
            # A grid of cells (one a question) reads left to right: give it the whole row.
            span = columns if chart is not None and chart.kind is ChartKind.GRID else 1
            if column + span > columns:
                row, column = row + 1, 0
            self._grid.addWidget(view, row, column, 1, span)
            column += span
            if column >= columns:
                row, column = row + 1, 0
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
