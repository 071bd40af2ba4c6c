"""`ChartView`: one chart on matplotlib's Qt canvas, the very drawing the HTML exports save.

The Figure comes from `roundtable.charts.figures.draw_chart`, in colours taken from
the widget's palette and at the app's font size; it is drawn again when either
changes. Hovering a point shows its tooltip; clicking it (or Enter on the point
chosen with the arrow keys) emits its link. The chart's title and caption are the
widget's accessible name and description, and the caption is shown below the plot.

matplotlib is imported when the first ChartView is made (about half a second), not
when this module is: the app starts without it.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from roundtable.charts.figures import (
    DrawnChart,
    draw_chart,
    glyphs_may_be_missing,
    preferred_size,
)
from roundtable.charts.palette import ChartTheme
from roundtable.charts.values import Chart, Point
from roundtable.gui.style import colours
from roundtable.gui.style.theme import is_dark, semantic_colours

if TYPE_CHECKING:
    from matplotlib.backend_bases import LocationEvent, MouseEvent
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.lines import Line2D

#: How near (logical pixels) the mouse must come to a point's centre when it is not
#: over the point's own shape: a small marker is hard to hit exactly.
HOVER_RADIUS = 14
#: matplotlib's dots per inch before the screen's pixel ratio (its default).
FIGURE_DPI = 100
#: Keys that move the chosen point, and by how much.
_STEPS = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}


def chart_theme(palette: QPalette, font_points: float) -> ChartTheme:
    """The chart colours of a palette: its window and text colours (a chart sits on the
    panel, not in a box), the app's muted grey, a grid line between, the app's font size."""
    base = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return ChartTheme(
        dark=is_dark(palette),
        background=colours.css(base),
        foreground=colours.css(text),
        muted=colours.css(semantic_colours(palette).muted),
        grid=colours.css(colours.blend(base, text, 0.14)),
        font_size=font_points,
    )


class ChartView(QWidget):
    """One chart, its caption below it.

    Signals:
        point_clicked(str): a point with a link was clicked or activated from the keyboard.
    """

    point_clicked = Signal(str)  #: (link of the point, e.g. a debate id)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart: Chart | None = None
        self._theme: ChartTheme | None = None
        self._drawn: DrawnChart | None = None
        #: The point chosen with the keyboard (index into the drawn targets).
        self._chosen: int | None = None
        self._hovered: int | None = None
        self._ring: Line2D | None = None
        self.canvas: FigureCanvasQTAgg = _canvas_class()()
        self.canvas.setParent(self)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # As wide as there is room for, as high as the chart needs (a grid grows per seat).
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setContentsMargins(8, 0, 8, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.caption)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.canvas.mpl_connect("motion_notify_event", self._on_motion)
        self.canvas.mpl_connect("button_press_event", self._on_press)
        self.canvas.mpl_connect("figure_leave_event", self._on_leave)

    # ------------------------------------------------------------ public API
    @property
    def chart(self) -> Chart | None:
        return self._chart

    def set_chart(self, chart: Chart) -> None:
        """Show `chart` (nothing is drawn again when it is the one already shown)."""
        if chart == self._chart:
            return
        self._chart = chart
        self._chosen = None
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(chart.caption)
        self.caption.setText(chart.caption)
        _, height_in = preferred_size(chart)
        self.canvas.setFixedHeight(round(height_in * FIGURE_DPI * self._font_scale()))
        self._redraw()

    def points(self) -> list[Point]:
        """The points drawn, in drawing order."""
        return [point for point, _ in self._drawn.targets] if self._drawn else []

    def point_position(self, index: int) -> QPoint:
        """Where the `index`-th point is drawn, in the canvas's own coordinates."""
        if self._drawn is None:
            raise IndexError(index)
        self._ensure_laid_out()
        x, y = self._centre(index)
        ratio = self.canvas.device_pixel_ratio or 1.0
        height = self._drawn.figure.bbox.height
        return QPoint(round(x / ratio), round((height - y) / ratio))

    # ------------------------------------------------------------ drawing
    def _font_scale(self) -> float:
        return max(1.0, self.font().pointSizeF() / 10.0)

    def _redraw(self) -> None:
        if self._chart is None:
            return
        self._theme = chart_theme(self.palette(), self.font().pointSizeF())
        # The canvas's own Figure, drawn again: the canvas keeps sizing it to the widget.
        self._drawn = draw_chart(self._chart, self._theme, self.canvas.figure)
        self._ring = None
        if self._chosen is not None and self._chosen < len(self._drawn.targets):
            self._show_ring(self._chosen)
        self._draw_later()
        colours.set_text_colour(self.caption, semantic_colours(self.palette()).muted)

    def _draw_later(self) -> None:
        """Draw at the next paint: several changes in one event cost one drawing."""
        self.canvas.draw_idle()  # type: ignore[no-untyped-call]  # the Qt backend is untyped

    def _show_ring(self, index: int) -> None:
        """Circle the point chosen from the keyboard, so sighted keyboard users see it."""
        assert self._drawn is not None
        if self._ring is not None:
            self._ring.remove()
        axes = self._drawn.axes
        x, y = axes.transData.inverted().transform(self._centre(index))
        (self._ring,) = axes.plot(
            [x],
            [y],
            marker="o",
            markersize=22,
            markerfacecolor="none",
            markeredgecolor=colours.css(self.palette().color(QPalette.ColorRole.Highlight)),
            markeredgewidth=2.5,
            zorder=10,
        )
        self._draw_later()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._redraw()

    def _ensure_laid_out(self) -> None:
        """Positions are known once the figure has been laid out and drawn at its size."""
        if self._drawn is not None and self.canvas.figure.stale:
            self.canvas.draw()  # type: ignore[no-untyped-call]  # the Qt backend is untyped

    # ------------------------------------------------------------ finding points
    def _centre(self, index: int) -> tuple[float, float]:
        assert self._drawn is not None
        extent = self._drawn.targets[index][1].get_window_extent()
        return (extent.x0 + extent.x1) / 2, (extent.y0 + extent.y1) / 2

    def _point_at(self, event: MouseEvent) -> int | None:
        """The point under the mouse, else the nearest within HOVER_RADIUS."""
        if self._drawn is None:
            return None
        x, y = event.x, event.y
        for index, (_, artist) in enumerate(self._drawn.targets):
            if artist.contains(event)[0]:
                return index
        radius = HOVER_RADIUS * (self.canvas.device_pixel_ratio or 1.0)
        best, best_distance = None, radius
        for index in range(len(self._drawn.targets)):
            cx, cy = self._centre(index)
            distance = math.hypot(cx - x, cy - y)
            if distance <= best_distance:
                best, best_distance = index, distance
        return best

    # ------------------------------------------------------------ mouse
    def _on_motion(self, event: MouseEvent) -> None:
        index = self._point_at(event)
        if index == self._hovered:
            return
        self._hovered = index
        if index is None:
            QToolTip.hideText()
            self.canvas.unsetCursor()
            return
        point = self.points()[index]
        self.canvas.setCursor(
            Qt.CursorShape.PointingHandCursor if point.link else Qt.CursorShape.ArrowCursor
        )
        QToolTip.showText(self.canvas.mapToGlobal(self._local(index)), point.tooltip, self.canvas)

    def _on_leave(self, _event: LocationEvent) -> None:
        self._hovered = None
        QToolTip.hideText()

    def _on_press(self, event: MouseEvent) -> None:
        index = self._point_at(event)
        if index is not None:
            self._chosen = index
            self._activate(index)

    def _local(self, index: int) -> QPoint:
        return self.point_position(index) + QPoint(0, -8)

    def _activate(self, index: int) -> None:
        link = self.points()[index].link
        if link:
            self.point_clicked.emit(link)

    # ------------------------------------------------------------ keyboard
    def keyPressEvent(self, event: QKeyEvent) -> None:
        points = self.points()
        step = _STEPS.get(Qt.Key(event.key()))
        if points and step is not None:
            current = self._chosen if self._chosen is not None else (-1 if step > 0 else 0)
            self._choose((current + step) % len(points))
            return
        if (
            points
            and self._chosen is not None
            and event.key()
            in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
                Qt.Key.Key_Space,
            )
        ):
            self._activate(self._chosen)
            return
        super().keyPressEvent(event)

    def _choose(self, index: int) -> None:
        self._chosen = index
        self._ensure_laid_out()
        self._show_ring(index)
        point = self.points()[index]
        # A screen reader reads the description of the focused widget: the chosen point.
        self.setAccessibleDescription(point.tooltip)
        QToolTip.showText(self.canvas.mapToGlobal(self._local(index)), point.tooltip, self.canvas)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self._ring is not None:
            self._ring.remove()
            self._ring = None
            self._draw_later()
        self._chosen = None
        if self._chart is not None:
            self.setAccessibleDescription(self._chart.caption)


@functools.cache
def _canvas_class() -> type[FigureCanvasQTAgg]:
    """matplotlib's Qt canvas, drawing a glyph no font has as a box without a warning
    at every paint (made on first use: importing matplotlib costs half a second)."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    class Canvas(FigureCanvasQTAgg):
        def draw(self) -> None:
            with glyphs_may_be_missing():
                super().draw()  # type: ignore[no-untyped-call]  # the Qt backend is untyped

    return Canvas
