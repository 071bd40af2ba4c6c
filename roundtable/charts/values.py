"""A chart as a pure value: what to draw, with every number and word already decided.

The debate and eval builders (`debate_charts`, `eval_charts`) compute these from stored
results; `figures.draw_chart` turns one into a matplotlib Figure, which the app shows
on its Qt canvas and the HTML exports save as SVG. So both draw the very same numbers
with the very same code, and a test can check a chart's numbers without drawing it.

Coordinates are data coordinates of the one plot a chart has: a point is drawn at
`(x, y)`. Categorical axes (rounds, answers, seats) place their categories at 0, 1,
2... and name them with `Axis.ticks`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass


class ChartKind(enum.StrEnum):
    """How a chart's points are drawn."""

    #: Series of points joined by lines; a point's low/high is drawn as an error bar.
    LINE = "line"
    #: Points alone, each labelled (cost vs accuracy: one point per seat or baseline).
    SCATTER = "scatter"
    #: One bar per point, at x, of height y, labelled with its value.
    BAR = "bar"
    #: A grid of labelled cells: x is the column (round), y the row (seat), `category`
    #: picks the fill (the answer), so whoever moved changes colour.
    GRID = "grid"
    #: A reliability diagram: stated confidence (x) against accuracy (y), with the
    #: diagonal of perfect calibration; a point's `weight` is how many answers it holds.
    CALIBRATION = "calibration"


class SeriesRole(enum.StrEnum):
    """What a series stands for, which decides its colour, marker and line."""

    TABLE = "table"  # the whole table: drawn boldest
    SEAT = "seat"  # one seat: the seat's colour (its place at the table)
    BASELINE = "baseline"  # a comparison (majority of round 0, self-consistency): dashed
    ANSWER = "answer"  # points coloured per answer (`Point.category`), as in a vote


@dataclass(frozen=True, slots=True)
class Point:
    """One thing a person can point at: its place, its interval, what hovering shows.

    `tooltip` is the whole story of the point in words ("Ada, round 2: 281, confidence
    90%"); `label` is the short text drawn on or beside it; `link` is what a click
    opens (a debate id in the app, "" for nothing); `category` groups points by
    meaning (an answer's value) for colour; `weight` scales a calibration point.
    """

    x: float
    y: float
    tooltip: str
    low: float | None = None
    high: float | None = None
    label: str = ""
    link: str = ""
    category: str = ""
    weight: int = 0
    #: Drawn emphasised (a seat that changed its answer this round).
    marked: bool = False


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    points: tuple[Point, ...]
    role: SeriesRole = SeriesRole.SEAT
    #: Which colour of its role: a seat's place at the table, a baseline's number.
    index: int = 0


@dataclass(frozen=True, slots=True)
class Axis:
    label: str
    #: Category names at positions: ((0, "Round 1"), (1, "Round 2")); empty: numbers.
    ticks: tuple[tuple[float, str], ...] = ()
    low: float | None = None
    high: float | None = None
    #: Values are shares (0..1) shown as percentages.
    percent: bool = False
    #: Values are dollars.
    dollars: bool = False


@dataclass(frozen=True, slots=True)
class Guide:
    """A horizontal reference line ("consensus at 100 %")."""

    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart. `key` is a short stable name ("agreement"): it names the chart's
    element ids in an HTML page, so two charts on one page never clash."""

    key: str
    kind: ChartKind
    title: str
    #: What the chart shows, in plain words, for a person who cannot see it (screen
    #: readers, the page's figure caption).
    caption: str
    x: Axis
    y: Axis
    series: tuple[Series, ...]
    guides: tuple[Guide, ...] = ()
    #: Point categories in the order they take colours; charts of the same debate pass
    #: the same order, so an answer has one colour in all of them. Categories missing
    #: here follow in order of first appearance.
    categories: tuple[str, ...] = ()
    #: Said instead of a plot when there is nothing to draw yet.
    empty_text: str = "Nothing to show yet."

    def points(self) -> Iterator[tuple[Series, Point]]:
        """Every point with its series, in drawing order."""
        for series in self.series:
            for point in series.points:
                yield series, point

    @property
    def is_empty(self) -> bool:
        return not any(series.points for series in self.series)


def share_text(value: float) -> str:
    """A share as the rest of the app writes it: 0.6667 -> "67%"."""
    return f"{value:.0%}"
