"""`ChartsPanel`: the debate's charts, beside the transcript, folded from the same events.

The debate view hands it every event it applies (live, replayed or opened from the
history), so the charts show the debate as far as the view does: at a replay's
position, or up to the round a live debate has just finished. The numbers come from
`roundtable.charts.debate_charts`, the very ones the HTML export draws.

Drawing costs tens of milliseconds a chart, so the panel keeps only the events the
charts read, and draws when it is on screen, at most once per `REDRAW_DELAY_MS`
(eight seats finishing together cost one drawing). The chart widgets, and matplotlib
with them, are made the first time the panel is shown; the chart values (which ask the
engine's protocols how many rounds a debate plans) load then too, not at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from roundtable.domain import (
    DebateFinished,
    DebateStarted,
    Event,
    RoundFinished,
    TurnFailed,
    TurnFinished,
)

if TYPE_CHECKING:
    from roundtable.gui.widgets.chart_view import ChartView

#: Events the charts are computed from; the rest (text deltas above all) are skipped.
CHART_EVENTS = (DebateStarted, TurnFinished, TurnFailed, RoundFinished, DebateFinished)
REDRAW_DELAY_MS = 150
#: Charts read best up to this width; wider, they sit centred.
COLUMN_MAX_WIDTH = 980


class ChartsPanel(QScrollArea):
    """The debate charts, one under another.

    Signals:
        point_clicked(str): a chart point was clicked; its link ("turn:1:grace").
    """

    point_clicked = Signal(str)  #: (link of the point)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._events: list[Event] = []
        #: A log and how many of its events to chart, picked out when next needed (a
        #: replay's jump must not walk the whole log when the charts are not shown).
        self._prefix: tuple[Sequence[Event], int] | None = None
        self._stale = True
        self.views: list[ChartView] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Charts")
        container = QWidget()
        outer = QHBoxLayout(container)
        outer.setContentsMargins(16, 8, 16, 16)
        self._column = QWidget(container)
        self._column.setMaximumWidth(COLUMN_MAX_WIDTH)
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(18)
        self._layout.addStretch(1)
        outer.addStretch(0)
        outer.addWidget(self._column, 1)
        outer.addStretch(0)
        self.setWidget(container)

    # ------------------------------------------------------------ events in
    def clear(self) -> None:
        self._prefix = None
        self._events.clear()
        self._changed()

    def show_events(self, events: Sequence[Event], count: int) -> None:
        """Chart the first `count` of `events` (instead of what was applied so far)."""
        self._prefix = (events, count)
        self._changed()

    def apply(self, event: Event) -> None:
        """Take one event the debate view applied; charts follow when shown."""
        if not isinstance(event, CHART_EVENTS):
            return
        self._pick_prefix()
        if isinstance(event, DebateStarted):
            self._events.clear()
        self._events.append(event)
        self._changed()

    def apply_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.apply(event)

    # ------------------------------------------------------------ drawing
    def refresh(self) -> None:
        """Draw the charts for the events so far (a chart that did not change is kept)."""
        from roundtable.charts.debate_charts import debate_charts, facts_from_events

        self._timer.stop()
        self._stale = False
        self._pick_prefix()
        charts = debate_charts(facts_from_events(self._events))
        if not self.views:
            self._make_views(len(charts))
        for view, chart in zip(self.views, charts, strict=True):
            view.set_chart(chart)

    def _pick_prefix(self) -> None:
        if self._prefix is not None:
            events, count = self._prefix
            self._prefix = None
            self._events = [e for e in events[:count] if isinstance(e, CHART_EVENTS)]

    def _make_views(self, count: int) -> None:
        from roundtable.gui.widgets.chart_view import ChartView

        for _ in range(count):
            view = ChartView(self._column)
            view.point_clicked.connect(self.point_clicked)
            self._layout.insertWidget(self._layout.count() - 1, view)  # above the stretch
            self.views.append(view)

    def _changed(self) -> None:
        self._stale = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
