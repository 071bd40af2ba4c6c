"""`RecordVoteOption`: "Weigh the vote by track record", the app's opt-in to the
record-weighted vote (`roundtable run --rule record-weighted` on the command line).

When the table does not agree, each seat's answer counts by its model's record in the
user's evaluation runs (per kind of answer, over every task) instead of the protocol's
own rule; the outcome says so. The records are resolved here, before the debate starts,
from the window's `ModelCatalogue` (read off the GUI thread), so the engine never reads
the database. The box is offered only for protocols whose answer is a vote, and a
ticked box with no recorded seat stops Start with a line that says what to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from roundtable.domain import ConfigError, Seat
from roundtable.domain.values import RecordWeights
from roundtable.gui.style.theme import set_role

if TYPE_CHECKING:
    from roundtable.engine.evaluation.track_record import ModelRecord

#: Said when the box is ticked but no seated model has a record to weigh by.
NO_RECORDS = (
    "No seat's model has a track record yet, so there is nothing to weigh the vote by. "
    "Measure them first (roundtable eval arithmetic --limit 50 with the same seats), or "
    "untick “Weigh the vote by track record”."
)


class RecordVoteOption(QWidget):
    """The check box and a muted line saying whose records would count.

    Signals:
        changed(): the box was ticked or unticked, or the records it weighs by changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox("&Weigh the vote by track record")
        self.check.setAccessibleName("Weigh the vote by track record")
        self.check.setToolTip(
            "If the table does not agree, count each seat's answer by how often its model "
            "was right in your evaluation runs, instead of the protocol's rule."
        )
        self.note = QLabel()
        self.note.setAccessibleName("Track records used")
        set_role(self.note, "muted")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.note, 1)
        self._records: dict[str, ModelRecord] = {}
        self._seats: tuple[Seat, ...] = ()
        self._by_vote = True
        self.check.toggled.connect(self._toggled)
        self._refresh()

    def set_protocol(self, name: str) -> None:
        """Offer the box only when `name`'s answer is a vote of the seats."""
        from roundtable.engine.protocols import get_protocol

        try:
            get_protocol(name).check_decides_by_vote()
        except ConfigError as exc:
            self._by_vote = False
            self.check.setToolTip(str(exc))
        else:
            self._by_vote = True
        self._refresh()

    def set_records(self, records: Mapping[str, ModelRecord]) -> None:
        self._records = dict(records)
        self._refresh()
        self.changed.emit()  # what the vote would weigh by, and so Start, may change

    def set_seats(self, seats: Sequence[Seat]) -> None:
        self._seats = tuple(seats)
        self._refresh()

    def is_on(self) -> bool:
        return self.check.isChecked() and self._by_vote

    def weights(self, seats: Sequence[Seat]) -> RecordWeights | None:
        """The records the vote needs for `seats`, or None when the box is off."""
        if not self.is_on():
            return None
        from roundtable.engine.evaluation.track_record import record_weights

        return record_weights(seats, self._records)

    def problem(self, seats: Sequence[Seat]) -> str | None:
        """Why Start must wait: the box is ticked and no seat has a record."""
        weights = self.weights(seats)
        return NO_RECORDS if weights is not None and not weights.records else None

    def _toggled(self) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        self.check.setEnabled(self._by_vote)
        recorded = [seat.name for seat in self._seats if seat.model in self._records]
        if not self.is_on():
            self.note.setText("")
        elif recorded:
            self.note.setText("Records of " + ", ".join(recorded))
        else:
            self.note.setText("No seat has a record yet")
