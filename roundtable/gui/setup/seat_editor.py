"""`SeatEditor`: edit the selected seat's name, persona and temperature.

Edits are emitted as a new `Seat` value as the user types (seats are frozen
dataclasses), so the seat list and the table shown elsewhere update at once.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from roundtable.domain import Seat

#: The spin box's lowest value stands for "no temperature: the provider's default".
_DEFAULT_SENTINEL = -0.1


class SeatEditor(QWidget):
    """A small form for one seat; disabled while no seat is selected."""

    #: (seat: Seat) the edited seat, emitted on every change.
    seat_edited = Signal(Seat)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._seat: Seat | None = None
        self._loading = False

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Seat name")
        self.name_edit.setPlaceholderText("How the table calls this seat")
        self.name_edit.setMaxLength(60)

        self.model_label = QLabel()
        self.model_label.setAccessibleName("Seat model")
        self.model_label.setWordWrap(True)
        self.model_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.persona_edit = QPlainTextEdit()
        self.persona_edit.setAccessibleName("Seat persona")
        self.persona_edit.setPlaceholderText(
            "Optional: who this seat is, e.g. “You are a careful statistician.”"
        )
        self.persona_edit.setTabChangesFocus(True)
        self.persona_edit.setMinimumHeight(64)

        self.temperature_spin = QDoubleSpinBox()
        self.temperature_spin.setAccessibleName("Seat temperature")
        self.temperature_spin.setRange(_DEFAULT_SENTINEL, 2.0)
        self.temperature_spin.setSingleStep(0.1)
        self.temperature_spin.setDecimals(1)
        self.temperature_spin.setSpecialValueText("provider default")
        self.temperature_spin.setToolTip(
            "0 = focused and repeatable, 1 = varied; leave at “provider default” if unsure."
        )

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_buddy("&Name:", self.name_edit), self.name_edit)
        form.addRow("Model:", self.model_label)
        form.addRow(_buddy("&Persona:", self.persona_edit), self.persona_edit)
        form.addRow(_buddy("&Temperature:", self.temperature_spin), self.temperature_spin)
        self._connect_signals()
        self.set_seat(None)

    def _connect_signals(self) -> None:
        self.name_edit.textEdited.connect(self._emit)
        self.persona_edit.textChanged.connect(self._emit)
        self.temperature_spin.valueChanged.connect(self._emit)

    def seat(self) -> Seat | None:
        return self._seat

    def set_seat(self, seat: Seat | None) -> None:
        """Show `seat` (None: nothing selected) without emitting `seat_edited`."""
        self._seat = seat
        self._loading = True
        try:
            self.setEnabled(seat is not None)
            self.name_edit.setText(seat.name if seat else "")
            self.model_label.setText(_describe_model(seat) if seat else "Select a seat to edit it.")
            if seat is None or self.persona_edit.toPlainText() != seat.persona:
                self.persona_edit.setPlainText(seat.persona if seat else "")
            temperature = seat.temperature if seat else None
            self.temperature_spin.setValue(
                _DEFAULT_SENTINEL if temperature is None else temperature
            )
        finally:
            self._loading = False

    def _emit(self) -> None:
        if self._loading or self._seat is None:
            return
        value = round(self.temperature_spin.value(), 1)
        temperature = None if value <= _DEFAULT_SENTINEL + 1e-9 else value
        name = self.name_edit.text().strip() or self._seat.name
        seat = replace(
            self._seat, name=name, persona=self.persona_edit.toPlainText(), temperature=temperature
        )
        if seat != self._seat:
            self._seat = seat
            self.seat_edited.emit(seat)


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _describe_model(seat: Seat) -> str:
    text = seat.model + (" — simulated, offline" if seat.is_demo else "")
    return f"{text}\n{seat.api_base}" if seat.api_base else text
