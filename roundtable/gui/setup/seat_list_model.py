"""`SeatListModel`: the seats at the table being set, as a Qt list model.

It holds domain `Seat` values (frozen; an edit replaces the seat) in table order.
Names and ids are made distinct whenever the seats are read or shown (`seats()`,
through the domain's one naming rule), so two seats never share a name or an id
however they are added or renamed. A seat with a problem (for
example a missing API key) shows a warning icon and the fix in its tooltip; the
problems come from a callable the panel injects, so this model stays free of
provider look-ups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QApplication, QStyle

from roundtable.domain import Seat
from roundtable.domain.panel import default_name, distinct_name, distinct_names, unique_ids

_Index = QModelIndex | QPersistentModelIndex

#: The Seat value of a row.
SeatRole = Qt.ItemDataRole.UserRole + 1
#: The row's problem text, or None.
ProblemRole = Qt.ItemDataRole.UserRole + 2


class SeatListModel(QAbstractListModel):
    """The table's seats; `Qt.DisplayRole` is "Name — model", EditRole the name."""

    def __init__(
        self,
        seats: Iterable[Seat] = (),
        parent: QObject | None = None,
        *,
        problem_for: Callable[[Seat], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._seats: list[Seat] = list(seats)
        self._problem_for = problem_for or (lambda _seat: None)

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._seats)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        # As the debate will name it: a name another seat already has is numbered.
        seat = replace(self._seats[index.row()], name=self._names()[index.row()])
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{seat.name} — {_model_label(seat)}"
        if role == Qt.ItemDataRole.EditRole:
            return seat.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(seat)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            problem = self._problem_for(seat)
            text = f"{seat.name}, {_model_label(seat)}"
            return f"{text}. Problem: {problem}" if problem else text
        if role == Qt.ItemDataRole.DecorationRole:
            if self._problem_for(seat) is None:
                return None
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == SeatRole:
            return seat
        if role == ProblemRole:
            return self._problem_for(seat)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self._valid(index) or role != Qt.ItemDataRole.EditRole:
            return False
        name = str(value).strip()
        if not name:
            return False  # an empty name would make an unreadable transcript
        return self.replace_seat(index.row(), replace(self._seats[index.row()], name=name))

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # ------------------------------------------------------------------ seats
    def seats(self) -> tuple[Seat, ...]:
        """The seats in table order, each with a name no other seat has (renamed in the
        editor to another seat's name, it is numbered) and an id derived from it."""
        names = self._names()
        ids = unique_ids(names)
        return tuple(
            replace(seat, id=i, name=name)
            for seat, i, name in zip(self._seats, ids, names, strict=True)
        )

    def seat(self, row: int) -> Seat:
        return self._seats[row]

    def set_seats(self, seats: Iterable[Seat]) -> None:
        self.beginResetModel()
        self._seats = list(seats)
        self.endResetModel()

    def add_seat(self, seat: Seat) -> int:
        """Append a seat (named after its model when unnamed); returns its row."""
        name = seat.name.strip() or default_name(seat.model)
        # The same model seated twice: "fake-gpt" and "fake-gpt (2)", in the list as
        # in the transcript, not two seats told apart only by colour.
        seat = replace(seat, name=distinct_name(name, (s.name for s in self._seats)))
        row = len(self._seats)
        self.beginInsertRows(QModelIndex(), row, row)
        self._seats.append(seat)
        self.endInsertRows()
        return row

    def replace_seat(self, row: int, seat: Seat) -> bool:
        if not 0 <= row < len(self._seats):
            return False
        if seat == self._seats[row]:
            return True
        self._seats[row] = seat
        index = self.index(row)
        self.dataChanged.emit(index, index)
        return True

    def remove_seat(self, row: int) -> bool:
        if not 0 <= row < len(self._seats):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._seats[row]
        self.endRemoveRows()
        return True

    def move_seat(self, row: int, delta: int) -> int:
        """Move a seat up (delta < 0) or down; returns its new row (unchanged at an end)."""
        target = row + delta
        if not (0 <= row < len(self._seats) and 0 <= target < len(self._seats)) or delta == 0:
            return row
        # Qt wants the destination as the row the item is inserted *before*.
        destination = target + 1 if delta > 0 else target
        if not self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination):
            return row
        seat = self._seats.pop(row)
        self._seats.insert(target, seat)
        self.endMoveRows()
        return target

    def refresh_problems(self) -> None:
        """Re-ask the problem callable for every row (after keys or servers changed)."""
        if self._seats:
            self.dataChanged.emit(self.index(0), self.index(len(self._seats) - 1))

    def problems(self) -> list[tuple[Seat, str]]:
        return [(seat, p) for seat in self._seats if (p := self._problem_for(seat)) is not None]

    # ------------------------------------------------------------------ helpers
    def _names(self) -> list[str]:
        return distinct_names([seat.name for seat in self._seats])

    def _valid(self, index: _Index) -> bool:
        return index.isValid() and not index.parent().isValid() and index.row() < len(self._seats)

    def _tooltip(self, seat: Seat) -> str:
        lines = [f"{seat.name}: {seat.model}"]
        if seat.api_base:
            lines.append(f"Server: {seat.api_base}")
        if seat.temperature is not None:
            lines.append(f"Temperature: {seat.temperature:g}")
        if seat.max_tokens is not None:
            lines.append(f"Max tokens: {seat.max_tokens:,}")
        if seat.persona.strip():
            persona = seat.persona.strip()
            lines.append(f"Persona: {persona[:120]}{'…' if len(persona) > 120 else ''}")
        problem = self._problem_for(seat)
        if problem:
            lines.append(f"⚠ {problem}")
        return "\n".join(lines)


def _model_label(seat: Seat) -> str:
    return f"{seat.model} (simulated)" if seat.is_demo else seat.model
