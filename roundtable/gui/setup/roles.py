"""The role pickers under the protocol: who chairs, aggregates or judges.

Which pickers show depends on the protocol (the engine's protocols read
`DebateSpec.chair` and `DebateSpec.judge`, by seat id or name):

- council: the chair writes the synthesis; a seat, or "elected" by the peer ranking;
- mixture: the aggregator writes the final answer (`chair`);
- moderated: the judge (moderator) decides each round (`chair`; the engine reads
  `judge` first, so no separate agreement judge is offered there); seats 1 and 2 argue
  the affirmative and the negative, which a line under the picker says;
- every protocol but moderated and vote: an optional agreement judge (`judge`) that
  rates agreement on free-form answers and spots capitulation.

Seats are offered by name and stored by id (the seat list's ids, derived from names).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from roundtable.domain import Seat
from roundtable.gui.style.theme import set_role

ELECTED = "elected"

#: protocol -> (label of the chair picker, its tooltip, whether "elected" is offered).
_CHAIR_ROLES = {
    "council": (
        "C&hair:",
        "The seat that writes the synthesis after the anonymised peer review",
        True,
    ),
    "mixture": ("A&ggregator:", "The seat that writes the final answer from the last layer", False),
    "moderated": ("&Judge:", "The moderator who decides each round which side holds", False),
}
#: Protocols whose answers an agreement judge can rate (vote never talks; moderated has one).
_JUDGED = {"roundtable", "debate", "council", "mixture"}


class RolePickers(QWidget):
    """Chair/aggregator/judge and agreement-judge pickers for the chosen protocol."""

    #: () a pick changed.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._protocol = "roundtable"
        self._seats: tuple[Seat, ...] = ()
        self.chair_combo = QComboBox(self)
        self.chair_combo.setAccessibleName("Chair")
        self.judge_combo = QComboBox(self)
        self.judge_combo.setAccessibleName("Agreement judge")
        self.judge_combo.setToolTip(
            "Optional: a seat that rates how far free-form answers agree (0-1), names the "
            "points still disputed, and tells persuasion from conformity"
        )
        self.chair_label = QLabel("C&hair:", self)
        self.chair_label.setBuddy(self.chair_combo)
        self.judge_label = QLabel("Agreement j&udge:", self)
        self.judge_label.setBuddy(self.judge_combo)
        self.sides_label = QLabel(self)
        self.sides_label.setAccessibleName("Sides")
        self.sides_label.setWordWrap(True)
        set_role(self.sides_label, "muted")
        # One row whatever the protocol (chair and judge, or the moderator and its
        # sides, or the judge alone): the form under it never jumps when the protocol
        # changes, and a small window keeps the height for the question.
        for combo in (self.chair_combo, self.judge_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.chair_label)
        row.addWidget(self.chair_combo, 1)
        row.addWidget(self.sides_label, 1)
        row.addSpacing(12)
        row.addWidget(self.judge_label)
        row.addWidget(self.judge_combo, 1)
        self.chair_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.judge_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._refill()

    # ------------------------------------------------------------ public API
    def set_protocol(self, protocol: str) -> None:
        self._protocol = protocol
        self._refill()

    def set_seats(self, seats: Sequence[Seat]) -> None:
        """The table changed: offer its seats, keeping the picks whose seat is still there."""
        self._seats = tuple(seats)
        self._refill()

    def set_roles(self, chair: str | None, judge: str | None) -> None:
        """Pick `chair` and `judge` (seat ids or names, or "elected"), e.g. from a panel."""
        _pick(self.chair_combo, chair, self._seats)
        _pick(self.judge_combo, judge, self._seats)

    def chair(self) -> str | None:
        """The chair/aggregator/moderator for the spec, or None (the protocol's default)."""
        if self._protocol not in _CHAIR_ROLES:
            return None
        data = self.chair_combo.currentData()
        return str(data) if data else None

    def judge(self) -> str | None:
        """The agreement judge for the spec, or None."""
        if self._protocol not in _JUDGED:
            return None
        data = self.judge_combo.currentData()
        return str(data) if data else None

    def has_roles(self) -> bool:
        """Whether the protocol has a role to pick (the row is hidden otherwise)."""
        return self._protocol in _CHAIR_ROLES or self._protocol in _JUDGED

    # ------------------------------------------------------------ internals
    def _refill(self) -> None:
        role = _CHAIR_ROLES.get(self._protocol)
        chair_kept, judge_kept = self.chair_combo.currentData(), self.judge_combo.currentData()
        for combo in (self.chair_combo, self.judge_combo):
            combo.blockSignals(True)
            combo.clear()
        if role is not None:
            label, tip, electable = role
            self.chair_label.setText(label)
            self.chair_combo.setToolTip(tip)
            default = {
                "moderated": "Default (seat 3)",
            }.get(self._protocol, "Default (seat 1)")
            self.chair_combo.addItem(default, None)
            if electable:
                self.chair_combo.addItem("Elected by the peer ranking", ELECTED)
            for seat in self._seats:
                self.chair_combo.addItem(seat.name, seat.id)
        self.judge_combo.addItem("None (compare short answers)", None)
        for seat in self._seats:
            self.judge_combo.addItem(seat.name, seat.id)
        _pick(self.chair_combo, chair_kept, self._seats)
        _pick(self.judge_combo, judge_kept, self._seats)
        for combo in (self.chair_combo, self.judge_combo):
            combo.blockSignals(False)
        self.chair_label.setVisible(role is not None)
        self.chair_combo.setVisible(role is not None)
        self.judge_label.setVisible(self._protocol in _JUDGED)
        self.judge_combo.setVisible(self._protocol in _JUDGED)
        self._sync_sides()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint().expandedTo(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        # A combo's height even when no role shows (vote): the row keeps its place.
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self.chair_combo.sizeHint().height()))

    def _sync_sides(self) -> None:
        if self._protocol != "moderated":
            self.sides_label.hide()
            return
        names = [seat.name for seat in self._seats]
        first = names[0] if names else "seat 1"
        second = names[1] if len(names) > 1 else "seat 2"
        self.sides_label.setText(f"Affirmative: {first} · Negative: {second}")
        self.sides_label.show()


def _pick(combo: QComboBox, ref: object, seats: Sequence[Seat]) -> None:
    """Select the item for `ref` (a seat id, a seat name, "elected"), else the default."""
    index = combo.findData(ref) if ref else 0
    if index < 0 and isinstance(ref, str):
        folded = ref.strip().casefold()
        match = next((s.id for s in seats if s.name.strip().casefold() == folded), None)
        index = combo.findData(match) if match else -1
    combo.setCurrentIndex(max(index, 0))
