"""How each kind of chart puts its points on the axes (called by `figures.draw_chart`).

Each drawer returns every point with the one artist that draws it, in drawing order;
the caller gives those artists their ids. Lines, intervals and labels around a point
are separate artists and need no id.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from roundtable.charts.palette import (
    BASELINE_DASHES,
    BASELINE_MARKERS,
    ON_FILL,
    SEAT_MARKERS,
    TABLE_MARKER,
    ChartTheme,
    answer_fill,
)
from roundtable.charts.values import Chart, ChartKind, Point, Series, SeriesRole

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.typing import LineStyleType

Targets = list[tuple[Point, "Artist"]]

#: The widest line of a cell's label, in characters, before it is cut with "…".
CELL_LABEL_CHARS = 12
#: A grid is at least this many columns wide, however few rounds it shows yet.
GRID_MIN_COLUMNS = 3
#: Dashes of reference lines (a guide, the diagonal of perfect calibration).
REFERENCE_DASHES = (0, (4, 3))


@dataclass(frozen=True, slots=True)
class Look:
    """How a series is drawn: colour, marker, line style and width, from its role."""

    colour: str
    marker: str
    linestyle: LineStyleType
    linewidth: float
    #: Stars and thin diamonds look smaller than circles of the same size.
    marker_scale: float = 1.0


def series_look(series: Series, theme: ChartTheme) -> Look:
    if series.role is SeriesRole.TABLE:
        return Look(theme.table_colour, TABLE_MARKER, "-", 2.6)
    if series.role is SeriesRole.BASELINE:
        return Look(
            theme.baseline_colour(series.index),
            BASELINE_MARKERS[series.index % len(BASELINE_MARKERS)],
            BASELINE_DASHES[series.index % len(BASELINE_DASHES)],
            1.8,
            marker_scale=1.4,
        )
    return Look(
        theme.seat_colour(series.index), SEAT_MARKERS[series.index % len(SEAT_MARKERS)], "-", 1.5
    )


def draw_marks(axes: Axes, chart: Chart, theme: ChartTheme) -> Targets:
    if chart.is_empty:
        return _draw_empty(axes, chart, theme)
    return _DRAWERS[chart.kind](axes, chart, theme)


def _draw_empty(axes: Axes, chart: Chart, theme: ChartTheme) -> Targets:
    axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        chart.empty_text,
        ha="center",
        va="center",
        color=theme.muted,
        transform=axes.transAxes,
    )
    return []


def _marker(
    axes: Axes, x: float, y: float, look: Look, theme: ChartTheme, *, size: float
) -> Artist:
    (marker,) = axes.plot(
        [x],
        [y],
        linestyle="none",
        marker=look.marker,
        markersize=size * look.marker_scale,
        color=look.colour,
        markeredgecolor=theme.background,
        markeredgewidth=1,
        zorder=5,
    )
    return marker


def _label(axes: Axes, point: Point, x: float, theme: ChartTheme, *, centred: bool) -> None:
    if point.label:
        axes.annotate(
            point.label,
            (x, point.y),
            xytext=(0, 8) if centred else (7, 5),
            textcoords="offset points",
            ha="center" if centred else "left",
            color=theme.foreground,
            fontsize=theme.font_size * 0.85,
            zorder=6,
        )


def _intervals(axes: Axes, series: Series, xs: list[float], colour: str) -> None:
    bounds = [
        (x, p.y, p.low, p.high)
        for x, p in zip(xs, series.points, strict=True)
        if p.low is not None and p.high is not None
    ]
    if not bounds:
        return
    axes.errorbar(
        [x for x, _, _, _ in bounds],
        [y for _, y, _, _ in bounds],
        yerr=[[y - low for _, y, low, _ in bounds], [high - y for _, y, _, high in bounds]],
        fmt="none",
        ecolor=colour,
        elinewidth=1.2,
        capsize=3,
        alpha=0.75,
        zorder=2,
    )


def _dodge(chart: Chart, series_index: int) -> float:
    """Series that share categorical x positions are nudged apart so their intervals do
    not hide one another; points keep their true x for everything but drawing."""
    count = len(chart.series)
    has_intervals = any(p.low is not None for _, p in chart.points())
    if count < 2 or not has_intervals or not chart.x.ticks:
        return 0.0
    step = min(0.06, 0.5 / count)
    return (series_index - (count - 1) / 2) * step


def _pad_categories(axes: Axes, chart: Chart) -> None:
    """Room either side of the first and last category, so no point sits on the frame."""
    positions = [at for at, _ in chart.x.ticks]
    if positions and chart.x.low is None and chart.x.high is None:
        axes.set_xlim(min(positions) - 0.3, max(positions) + 0.3)


# ---------------------------------------------------------------- the kinds
def _draw_lines(axes: Axes, chart: Chart, theme: ChartTheme) -> Targets:
    targets: Targets = []
    # One series alone carries its values as labels; several would crowd each other.
    labelled = len(chart.series) == 1
    for number, series in enumerate(chart.series):
        look = series_look(series, theme)
        xs = [p.x + _dodge(chart, number) for p in series.points]
        axes.plot(
            xs,
            [p.y for p in series.points],
            color=look.colour,
            linestyle=look.linestyle,
            linewidth=look.linewidth,
            zorder=4 if series.role is SeriesRole.TABLE else 3,
        )
        _intervals(axes, series, xs, look.colour)
        for point, x in zip(series.points, xs, strict=True):
            targets.append((point, _marker(axes, x, point.y, look, theme, size=7)))
            if labelled:
                _label(axes, point, x, theme, centred=True)
    _pad_categories(axes, chart)
    return targets


def _draw_scatter(axes: Axes, chart: Chart, theme: ChartTheme) -> Targets:
    targets: Targets = []
    for series in chart.series:
        look = series_look(series, theme)
        _intervals(axes, series, [p.x for p in series.points], look.colour)
        size = 9 if series.role is SeriesRole.TABLE else 8
        for point in series.points:
            targets.append((point, _marker(axes, point.x, point.y, look, theme, size=size)))
            _label(axes, point, point.x, theme, centred=False)
    axes.grid(True, color=theme.grid, linewidth=0.8)
    axes.set_axisbelow(True)
    return targets


def _draw_bars(axes: Axes, chart: Chart, theme: ChartTheme) -> Targets:
    targets: Targets = []
    count = len(chart.series)
    width = 0.7 / count
    colours = category_colours(chart)
    for number, series in enumerate(chart.series):
        shift = (number - (count - 1) / 2) * width
        look = series_look(series, theme)
        for point in series.points:
            fill = colours.get(point.category, look.colour)
            if series.role is not SeriesRole.ANSWER:
                fill = look.colour
            (bar,) = axes.bar(
                point.x + shift,
                point.y,
                width=width * 0.92,
                color=fill,
                edgecolor=theme.foreground if point.marked else fill,
                linewidth=1.6,
                zorder=3,
            )
            targets.append((point, bar))
            _label(axes, point, point.x + shift, theme, centred=True)
    axes.yaxis.grid(True, color=theme.grid, linewidth=0.8)
    axes.set_axisbelow(True)
    # A lone bar is as narrow as one of three: a wall of colour says nothing more.
    last = max(p.x for _, p in chart.points())
    span = max(last + 1, 3)
    middle = last / 2
    axes.set_xlim(middle - span / 2, middle + span / 2)
    return targets


def category_colours(chart: Chart) -> dict[str, str]:
    """Each category's fill: the chart's own order first, then order of appearance."""
    order = list(chart.categories)
    for _, point in chart.points():
        if point.category and point.category not in order:
            order.append(point.category)
    return {category: answer_fill(number) for number, category in enumerate(order)}


def _draw_grid(axes: Axes, chart: Chart, theme: ChartTheme) -> Targets:
    from matplotlib.patches import FancyBboxPatch

    targets: Targets = []
    colours = category_colours(chart)
    width, height = 0.9, 0.8
    columns = max((at for at, _ in chart.x.ticks), default=0) + 1
    # Narrow cells (a long eval run) get a thinner outline, or it would fill them.
    outline = 2.2 if columns <= 12 else 1.2
    for _, point in chart.points():
        fill = colours.get(point.category, theme.empty_fill)
        cell = FancyBboxPatch(
            (point.x - width / 2, point.y - height / 2),
            width,
            height,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=fill,
            edgecolor=theme.foreground if point.marked else fill,
            linewidth=outline if point.marked else 0.5,
            zorder=3,
        )
        axes.add_patch(cell)
        targets.append((point, cell))
        axes.text(
            point.x,
            point.y,
            _cut(point.label),
            ha="center",
            va="center",
            color=ON_FILL if point.category else theme.muted,
            fontsize=theme.font_size * 0.9,
            zorder=4,
            linespacing=1.25,
        )
    rows = max(len(chart.y.ticks), 1)
    # Room for at least GRID_MIN_COLUMNS, filled from the left as rounds finish: one
    # round alone is a column, not a banner across the page.
    axes.set_xlim(-0.55, max(columns, GRID_MIN_COLUMNS) - 0.45)
    axes.set_ylim(rows - 0.5, -0.5)  # row 0 at the top, as seats are listed
    for side in ("left", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(length=0)
    return targets


def _cut(label: str) -> str:
    return "\n".join(
        line if len(line) <= CELL_LABEL_CHARS else line[: CELL_LABEL_CHARS - 1] + "…"
        for line in label.splitlines()
    )


def _draw_calibration(axes: Axes, chart: Chart, theme: ChartTheme) -> Targets:
    axes.plot([0, 1], [0, 1], color=theme.muted, linestyle=REFERENCE_DASHES, linewidth=1)
    targets: Targets = []
    heaviest = max((p.weight for _, p in chart.points()), default=1) or 1
    for series in chart.series:
        look = series_look(series, theme)
        axes.plot(
            [p.x for p in series.points],
            [p.y for p in series.points],
            color=look.colour,
            linestyle=look.linestyle,
            linewidth=look.linewidth * 0.8,
            zorder=3,
        )
        for point in series.points:
            # Area, not radius, grows with the number of answers a point stands for.
            size = 5 + 9 * math.sqrt(max(point.weight, 0) / heaviest)
            targets.append((point, _marker(axes, point.x, point.y, look, theme, size=size)))
    axes.set_aspect("equal", adjustable="box")
    axes.grid(True, color=theme.grid, linewidth=0.8)
    axes.set_axisbelow(True)
    return targets


_DRAWERS: dict[ChartKind, Callable[[Axes, Chart, ChartTheme], Targets]] = {
    ChartKind.LINE: _draw_lines,
    ChartKind.SCATTER: _draw_scatter,
    ChartKind.BAR: _draw_bars,
    ChartKind.GRID: _draw_grid,
    ChartKind.CALIBRATION: _draw_calibration,
}
