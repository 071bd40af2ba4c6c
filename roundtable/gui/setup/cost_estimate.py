"""`CostEstimate`: what the debate on the form would cost, live under Start.

Shows the range of `roundtable.engine.estimate` for the table, protocol, rounds and
question as they are (no network, nothing called), and what the budget means for
it. The estimate is worked out on a worker thread, a moment after the last change
(typing a question changes it on every key): a big table takes up to ~0.1 s, which
the window must not spend. Prices come from the one price rule,
`roundtable.providers.prices.seat_price`, which reads litellm's price list without
importing litellm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QWidget

from roundtable.domain import DebateSpec
from roundtable.domain.formatting import format_cost, round_label
from roundtable.domain.pricing import describe_price
from roundtable.gui.style.theme import set_role
from roundtable.gui.support.workers import run_in_thread
from roundtable.providers.prices import seat_price

if TYPE_CHECKING:
    from roundtable.engine.estimate import DebateEstimate

#: How long after the last change the estimate is worked out again.
SETTLE_MS = 150
WAITING = "Estimating the cost…"
#: The budget box's lowest value, which stands for no budget at all.
NO_BUDGET = "no limit"
MAX_BUDGET_USD = 100_000.0


def budget_box() -> QDoubleSpinBox:
    """The budget field: dollars, or "no limit" at its lowest value."""
    box = QDoubleSpinBox()
    box.setAccessibleName("Budget")
    box.setRange(0.0, MAX_BUDGET_USD)
    box.setDecimals(2)
    box.setSingleStep(0.5)
    box.setPrefix("$")
    box.setSpecialValueText(NO_BUDGET)
    box.setToolTip(
        "The most this debate may cost: it stops before a round that could cross it, and "
        "you can resume it with a higher budget. Every seat needs a known price."
    )
    return box


def budget_of(box: QDoubleSpinBox) -> float | None:
    """The budget a box holds in USD; None for no limit."""
    value = round(box.value(), 2)
    return value if value > 0 else None


class CostEstimate(QWidget):
    """One line, right-aligned: the estimated range, and the budget's verdict on it.

    Signals:
    """

    #: (estimate: DebateEstimate) a new estimate is shown.
    estimated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spec: DebateSpec | None = None
        self._generation = 0
        self.estimate: DebateEstimate | None = None
        self.range_label = QLabel()
        self.range_label.setAccessibleName("Estimated cost")
        self.range_label.setWordWrap(True)
        self.range_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.range_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.range_label, "muted")
        self.budget_label = QLabel()
        self.budget_label.setAccessibleName("Budget")
        self.budget_label.setWordWrap(True)
        self.budget_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.budget_label.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        # The labels take the whole width (right-aligned): a wrapped label in a stretch
        # gets a narrow hint and read as four short lines under Start.
        layout.addWidget(self.range_label, 1)
        layout.addWidget(self.budget_label, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._estimate_now)

    def set_spec(self, spec: DebateSpec | None) -> None:
        """Estimate `spec` a moment from now (None: nothing to estimate yet)."""
        if spec == self._spec:
            return
        self._spec = spec
        self._generation += 1
        if spec is None:
            self._timer.stop()
            self.estimate = None
            self.range_label.setText("")
            self.range_label.setToolTip("")
            self.budget_label.hide()
            return
        if self.estimate is None:
            self.range_label.setText(WAITING)
        self._timer.start()

    # ------------------------------------------------------------ internals
    def _estimate_now(self) -> None:
        spec, generation = self._spec, self._generation
        if spec is None:
            return
        job = run_in_thread(lambda: (generation, _estimate(spec)), name="estimate the cost")
        job.succeeded.connect(self._estimated)
        job.failed.connect(self._failed)

    def _estimated(self, result: tuple[int, DebateEstimate]) -> None:
        generation, estimate = result
        if generation != self._generation or self._spec is None:
            return  # the form changed meanwhile: a newer estimate is on its way
        self.estimate = estimate
        self.range_label.setText(f"Estimate: {estimate.describe()}")
        self.range_label.setToolTip(_details(self._spec, estimate))
        self._show_budget(self._spec, estimate)
        self.estimated.emit(estimate)

    def _failed(self, error: object) -> None:
        # A spec the engine would refuse (the panel lists why) has no estimate.
        self.estimate = None
        self.range_label.setText("")
        self.budget_label.hide()

    def _show_budget(self, spec: DebateSpec, estimate: DebateEstimate) -> None:
        budget = spec.budget_usd
        if budget is None:
            self.budget_label.hide()
            return
        high = estimate.high_cost_usd
        limit = format_cost(budget)
        if high is None:
            text, role = f"Budget {limit}: cannot be kept, a price is unknown.", "error"
        elif high <= budget:
            text, role = f"Budget {limit}: the whole debate fits.", "success"
        else:
            stop = _first_round_over(estimate, budget)
            where = f" before {round_label(stop).lower()}" if stop is not None else ""
            text = f"Budget {limit}: may stop{where} (resumable with more)."
            role = "warning"
        self.budget_label.setText(text)
        set_role(self.budget_label, role)
        self.budget_label.show()


def _estimate(spec: DebateSpec) -> DebateEstimate:
    """Worker side: the estimator (and the statistics it draws on) loads here, on the
    first estimate, not with the window."""
    from roundtable.engine.estimate import estimate_debate

    return estimate_debate(spec, seat_price)


def _first_round_over(estimate: DebateEstimate, budget: float) -> int | None:
    """The first round whose high end takes the running total past `budget`."""
    spent = 0.0
    for round_estimate in estimate.high:
        cost = round_estimate.cost_usd
        if cost is None:
            return round_estimate.round
        spent += cost
        if spent > budget:
            return round_estimate.round
    return None


def _details(spec: DebateSpec, estimate: DebateEstimate) -> str:
    """The tooltip: each round's high end and each seat's price."""
    lines = [
        "Low: the table agrees at once. High: every round, every seat, long replies.",
        "",
    ]
    for r in estimate.high:
        lines.append(
            f"{round_label(r.round)} at most: {r.total_tokens:,} tokens, {format_cost(r.cost_usd)}"
        )
    lines.append("")
    for seat in spec.active_seats:
        lines.append(f"{seat.name}: {describe_price(seat_price(seat))}")
    return "\n".join(lines)
