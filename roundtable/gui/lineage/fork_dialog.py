"""The "Fork from here…" dialog: change the table, then play on from a round.

It lists the parent debate's seats, each with a box to keep it (untick to drop it
from the rounds still to come) and new seats added with the model picker. The
result is what the engine's `fork` command takes: seats to add, seat ids to drop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import HUMAN_MODEL, Seat
from roundtable.domain.panel import default_name, distinct_name, unique_ids
from roundtable.gui.style.formatting import round_title
from roundtable.gui.widgets.model_picker import ModelPicker

_NEW = Qt.ItemDataRole.UserRole + 1


class ForkDialog(QDialog):
    """Keep, drop and add seats for a fork after round `round_index` (0-based)."""

    def __init__(
        self,
        seats: Sequence[Seat],
        round_index: int,
        models: Sequence[Any] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fork the debate")
        self.round_index = round_index
        self._parent_seats = tuple(seats)
        self._added: list[Seat] = []
        intro = QLabel(
            f"The new debate keeps the rounds up to {round_title(round_index)} and goes on "
            "with the table below. Untick a seat to leave it out; add seats with the picker.",
            self,
        )
        intro.setWordWrap(True)
        self.seat_list = QListWidget(self)
        self.seat_list.setAccessibleName("Seats of the fork")
        for seat in seats:
            item = QListWidgetItem(f"{seat.name} · {seat.model}", self.seat_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, seat.id)
        self.picker = ModelPicker(self)
        self.picker.refresh_button.hide()
        self.picker.set_models(list(models))
        self.picker.seat_requested.connect(self.add_seat)
        self.you_button = QPushButton("Add a seat for &you", self)
        self.you_button.clicked.connect(
            lambda: self.add_seat(Seat(id="", name="You", model=HUMAN_MODEL))
        )
        self.problem = QLabel(self)
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.fork_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.fork_button.setText("Start the fork")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.seat_list.itemChanged.connect(lambda _item: self._update())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.seat_list, 1)
        layout.addWidget(self.picker)
        layout.addWidget(self.you_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(560, 460)
        self._update()

    @property
    def from_round(self) -> int:
        """The engine's `from_round`: rounds before it are copied (this one included)."""
        return self.round_index + 1

    def add_seat(self, seat: Seat) -> None:
        """A new seat for the fork; its id is made unique against the table's."""
        taken = [s.id for s in self._parent_seats] + [s.id for s in self._added]
        # Named as the engine will name it: "Ada (2)" beside an "Ada" already seated.
        names = [s.name for s in self._parent_seats] + [s.name for s in self._added]
        name = distinct_name(seat.name or default_name(seat.model), names)
        new_id = unique_ids([*taken, name])[-1]
        seat = replace(seat, id=new_id, name=name)
        self._added.append(seat)
        item = QListWidgetItem(f"{seat.name} · {seat.model} (new)", self.seat_list)
        item.setData(_NEW, len(self._added) - 1)
        self._update()

    def add_seats(self) -> list[Seat]:
        return list(self._added)

    def drop_seats(self) -> list[str]:
        """Ids of the parent's seats the user unticked."""
        dropped = []
        for row in range(self.seat_list.count()):
            item = self.seat_list.item(row)
            if item.data(_NEW) is None and item.checkState() != Qt.CheckState.Checked:
                dropped.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return dropped

    def _update(self) -> None:
        playing = len(self._parent_seats) - len(self.drop_seats()) + len(self._added)
        ok = playing >= 2
        self.problem.setText("" if ok else "A debate needs at least two seats: keep or add one.")
        self.problem.setVisible(not ok)
        self.fork_button.setEnabled(ok)
