"""A `Chart` drawn as a matplotlib Figure: the one drawing code of every chart.

The app shows the Figure on matplotlib's Qt canvas, the HTML exports save it as SVG
(`charts.svg`); both call `draw_chart`, so they cannot draw differently. Figures are
made directly (`matplotlib.figure.Figure`), never through pyplot, so no global backend
is chosen and nothing here touches the GUI. matplotlib is imported inside the
functions: it costs about half a second, which only a shown chart should pay.

Every point is its own artist with a stable gid (`point_gid`), so the SVG can give
each a `<title>` tooltip and the app can find the point under the mouse.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from roundtable.charts.marks import REFERENCE_DASHES, draw_marks, series_look
from roundtable.charts.palette import ChartTheme
from roundtable.charts.values import Axis, Chart, ChartKind, Point

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

#: Inches: wide enough for a page column (46 rem) or a panel; height per kind below.
DEFAULT_WIDTH = 7.2
DEFAULT_HEIGHT = 3.4
#: A grid grows by this much per row (seat) beyond its title and axes.
GRID_ROW_HEIGHT = 0.48
#: Fonts tried, where the machine has them, for a glyph DejaVu Sans lacks (a seat or a
#: task named in Japanese, Chinese, Arabic…); matplotlib falls back glyph by glyph.
FALLBACK_FONTS = (
    "Noto Sans",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Source Han Sans",
    "Droid Sans Fallback",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "Yu Gothic",
    "Hiragino Sans",
    "Arial Unicode MS",
    "Segoe UI",
    "Segoe UI Symbol",
)


@dataclass(frozen=True, slots=True)
class DrawnChart:
    """A drawn chart: its Figure, and each point with the artist that draws it."""

    figure: Figure
    axes: Axes
    targets: tuple[tuple[Point, Artist], ...]


def point_gid(index: int) -> str:
    """The id of the artist that draws a chart's `index`-th point (SVG and hit tests)."""
    return f"point{index}"


def preferred_size(chart: Chart) -> tuple[float, float]:
    """Width and height in inches that fit the chart's content."""
    if chart.kind is ChartKind.GRID:
        rows = max(1, len(chart.y.ticks))
        return DEFAULT_WIDTH, max(DEFAULT_HEIGHT * 0.75, 1.5 + GRID_ROW_HEIGHT * rows)
    return DEFAULT_WIDTH, DEFAULT_HEIGHT


@contextmanager
def theme_context(theme: ChartTheme) -> Iterator[None]:
    """matplotlib's defaults for `theme`, for whatever reads them at creation or save."""
    import matplotlib as mpl

    with mpl.rc_context(), glyphs_may_be_missing():
        mpl.rcParams.update(_rc(theme))
        yield


@contextmanager
def glyphs_may_be_missing() -> Iterator[None]:
    """Draw a character no installed font has as a box, quietly: the name is still
    right in the tooltip and the caption, and nobody can act on matplotlib's warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from font", UserWarning)
        yield


@functools.cache
def font_families() -> list[str]:
    """DejaVu Sans (shipped with matplotlib: the same glyphs everywhere), then the
    fallback fonts this machine has."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(name for name in FALLBACK_FONTS if name in installed)]


def new_figure(chart: Chart, theme: ChartTheme) -> Figure:
    """An empty Figure of the chart's preferred size, with no canvas of its own yet."""
    from matplotlib.figure import Figure

    with theme_context(theme):
        return Figure(figsize=preferred_size(chart), layout="constrained")


def draw_chart(chart: Chart, theme: ChartTheme, figure: Figure | None = None) -> DrawnChart:
    """Draw `chart` into `figure` (cleared first; a new one when None)."""
    if figure is None:
        figure = new_figure(chart, theme)
    with theme_context(theme):
        figure.clear()
        figure.set_layout_engine("constrained")
        figure.set_facecolor(theme.background)
        axes = figure.add_subplot()
        _style_axes(axes, theme)
        axes.set_title(chart.title, loc="left", color=theme.foreground, fontweight="bold")
        targets = draw_marks(axes, chart, theme)
        if not chart.is_empty:
            _decorate(figure, axes, chart, theme)
    for index, (_, artist) in enumerate(targets):
        artist.set_gid(point_gid(index))
    return DrawnChart(figure, axes, tuple(targets))


def _decorate(figure: Figure, axes: Axes, chart: Chart, theme: ChartTheme) -> None:
    """Axes, reference lines and the legend around the marks."""
    _set_axis(axes, chart.x, "x", theme)
    _set_axis(axes, chart.y, "y", theme)
    for guide in chart.guides:
        axes.axhline(guide.y, color=theme.muted, linewidth=1, linestyle=REFERENCE_DASHES, zorder=1)
        # Below the line at the left: the last round's label sits above its point, and
        # the line most often reaches the guide on the right.
        axes.annotate(
            guide.label,
            (0.0, guide.y),
            xycoords=("axes fraction", "data"),
            xytext=(4, -3),
            textcoords="offset points",
            ha="left",
            va="top",
            color=theme.muted,
            fontsize=theme.font_size * 0.85,
        )
    if chart.kind in (ChartKind.LINE, ChartKind.SCATTER, ChartKind.CALIBRATION):
        _legend(figure, chart, theme)


# ---------------------------------------------------------------- the look
def _rc(theme: ChartTheme) -> dict[RcKeyType, Any]:
    return {
        "font.size": theme.font_size,
        "font.family": font_families(),
        "text.color": theme.foreground,
        "axes.labelcolor": theme.foreground,
        "axes.edgecolor": theme.muted,
        "axes.facecolor": theme.background,
        "axes.titlesize": theme.font_size * 1.1,
        "figure.facecolor": theme.background,
        "savefig.facecolor": theme.background,
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "xtick.labelcolor": theme.foreground,
        "ytick.labelcolor": theme.foreground,
        "grid.color": theme.grid,
        "legend.frameon": False,
        "legend.labelcolor": theme.foreground,
        # SVG: glyphs as paths (identical on every machine), ids that do not change.
        "svg.fonttype": "path",
        "svg.hashsalt": "roundtable",
    }


def _style_axes(axes: Axes, theme: ChartTheme) -> None:
    axes.set_facecolor(theme.background)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(theme.muted)
    axes.tick_params(colors=theme.muted, labelcolor=theme.foreground, labelsize=theme.font_size)
    axes.xaxis.label.set_color(theme.foreground)
    axes.yaxis.label.set_color(theme.foreground)


def _set_axis(axes: Axes, axis: Axis, which: str, theme: ChartTheme) -> None:
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    target = axes.xaxis if which == "x" else axes.yaxis
    target.set_label_text(axis.label, color=theme.foreground)
    if axis.ticks:
        target.set_ticks([at for at, _ in axis.ticks], [name for _, name in axis.ticks])
    elif axis.percent:
        target.set_major_formatter(PercentFormatter(1.0, decimals=0))
    elif axis.dollars:
        target.set_major_formatter(FuncFormatter(lambda value, _pos: _dollars(value)))
    low, high = axis.low, axis.high
    if low is not None or high is not None:
        (axes.set_xlim if which == "x" else axes.set_ylim)(low, high)


def _dollars(value: float) -> str:
    if value == 0:
        return "$0"
    return f"${value:.4f}".rstrip("0") if abs(value) < 0.01 else f"${value:,.2f}"


def _legend(figure: Figure, chart: Chart, theme: ChartTheme) -> None:
    """Below the plot, one entry per series (line and marker together)."""
    from matplotlib.lines import Line2D

    handles: list[Artist] = []
    labels: list[str] = []
    if chart.kind is ChartKind.CALIBRATION:
        handles.append(Line2D([], [], color=theme.muted, linestyle=REFERENCE_DASHES, linewidth=1))
        labels.append("perfectly calibrated")
    elif len(chart.series) < 2:
        return
    for series in chart.series:
        look = series_look(series, theme)
        line = "none" if chart.kind is ChartKind.SCATTER else look.linestyle
        handles.append(
            Line2D(
                [],
                [],
                color=look.colour,
                linestyle=line,
                linewidth=look.linewidth,
                marker=look.marker,
                markersize=7,
            )
        )
        labels.append(series.name)
    figure.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=min(len(handles), 4),
        fontsize=theme.font_size * 0.9,
        handlelength=2.6,
    )
