"""`SeatEditor`: edit the selected seat's name, persona, temperature, reply length
(max tokens) and own price.

Edits are emitted as a new `Seat` value as the user types (seats are frozen
dataclasses), so the seat list and the table shown elsewhere update at once.

The price row says what the seat costs now and where that comes from (litellm's
price list, free on the user's machine, unknown); "Own price" sets the input and
output price together (USD per million tokens), for a local, proxied or custom
model: both or neither, never negative, so the seat is never half-priced.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import Seat
from roundtable.domain.pricing import describe_price
from roundtable.domain.reply_size import MAX_TOKENS_CEILING
from roundtable.gui.setup.form_parts import form_minimum_height
from roundtable.gui.style.theme import set_role
from roundtable.providers.prices import seat_price
from roundtable.providers.reply_limits import default_max_tokens

#: The spin box's lowest value stands for "no temperature: the provider's default".
_DEFAULT_SENTINEL = -0.1
#: The highest own price accepted, USD per million tokens (well above any model's).
MAX_PRICE_PER_MTOK = 10_000.0


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
        self.persona_edit.setMinimumHeight(44)

        self.temperature_spin = QDoubleSpinBox()
        self.temperature_spin.setAccessibleName("Seat temperature")
        self.temperature_spin.setRange(_DEFAULT_SENTINEL, 2.0)
        self.temperature_spin.setSingleStep(0.1)
        self.temperature_spin.setDecimals(1)
        self.temperature_spin.setSpecialValueText("provider default")
        self.temperature_spin.setToolTip(
            "0 = focused and repeatable, 1 = varied; leave at “provider default” if unsure."
        )

        self.max_tokens_spin = QSpinBox()
        self.max_tokens_spin.setAccessibleName("Seat max tokens")
        # 0 stands for "the default": the spin box shows it in words (`_show_max_tokens`).
        self.max_tokens_spin.setRange(0, MAX_TOKENS_CEILING)
        self.max_tokens_spin.setSingleStep(1024)
        self.max_tokens_spin.setGroupSeparatorShown(True)
        self.max_tokens_spin.setToolTip(
            "The longest reply this seat may give, in tokens (a token is about ¾ of a word). "
            "A reasoning model's thinking counts too. Leave at the default if unsure."
        )

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_buddy("&Name:", self.name_edit), self.name_edit)
        form.addRow("Model:", self.model_label)
        form.addRow(_buddy("&Persona:", self.persona_edit), self.persona_edit)
        form.addRow(_buddy("&Temperature:", self.temperature_spin), self.temperature_spin)
        form.addRow(_buddy("Max to&kens:", self.max_tokens_spin), self.max_tokens_spin)
        form.addRow("Price:", self._build_price())
        self._connect_signals()
        self.set_seat(None)

    def _build_price(self) -> QWidget:
        """One line: what the seat costs now and why, or the user's own two prices."""
        self.price_label = QLabel()
        self.price_label.setAccessibleName("Seat price")
        self.price_label.setWordWrap(True)
        set_role(self.price_label, "muted")
        self.price_in_spin = _price_box("Seat input price", "in")
        self.price_out_spin = _price_box("Seat output price", "out")
        self.own_price_check = QCheckBox("&Own price per M tokens")
        self.own_price_check.setToolTip(
            "Your price for this model, in US dollars per million tokens: for a local, "
            "proxied or custom model. It wins over the listed price and the provider's figure."
        )
        # The user's two prices go on a line of their own under the check box: beside
        # it they made the editor (and so the whole form) ~180 px wider, squeezing the
        # history on a small screen.
        first = QHBoxLayout()
        first.addWidget(self.price_label, 1)
        first.addStretch(0)
        first.addWidget(self.own_price_check)
        own = QHBoxLayout()
        own.addWidget(self.price_in_spin, 1)
        own.addWidget(self.price_out_spin, 1)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(first)
        column.addLayout(own)
        return box

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._keep_rows_apart()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a row appeared or changed
            self._keep_rows_apart()
        return handled

    def _keep_rows_apart(self) -> None:
        # Wrapped lines (the model and its server, the price) need more height as the
        # editor narrows, and the own prices take a line of their own; below that the
        # rows would overlap.
        form = self.layout()
        if isinstance(form, QFormLayout):
            needed = form_minimum_height(form)
            if needed != self.minimumHeight():
                self.setMinimumHeight(needed)

    def _connect_signals(self) -> None:
        self.name_edit.textEdited.connect(self._emit)
        self.persona_edit.textChanged.connect(self._emit)
        self.temperature_spin.valueChanged.connect(self._emit)
        self.max_tokens_spin.valueChanged.connect(self._emit)
        self.own_price_check.toggled.connect(self._emit)
        self.price_in_spin.valueChanged.connect(self._emit)
        self.price_out_spin.valueChanged.connect(self._emit)

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
            self._show_max_tokens(seat)
            self._show_price(seat)
        finally:
            self._loading = False

    def _show_max_tokens(self, seat: Seat | None) -> None:
        default = default_max_tokens(seat.model) if seat is not None else 0
        self.max_tokens_spin.setSpecialValueText(f"default ({default:,})" if default else "default")
        self.max_tokens_spin.setValue((seat.max_tokens or 0) if seat is not None else 0)
        # A person types their own reply: there is no model to limit.
        self.max_tokens_spin.setVisible(seat is None or not seat.is_human)

    def _show_price(self, seat: Seat | None) -> None:
        own = seat is not None and seat.price_in_per_mtok is not None
        self.own_price_check.setChecked(own)
        self.price_in_spin.setValue((seat.price_in_per_mtok or 0.0) if seat else 0.0)
        self.price_out_spin.setValue((seat.price_out_per_mtok or 0.0) if seat else 0.0)
        # The user's two prices replace the line that says where the price comes from.
        self.price_in_spin.setVisible(own)
        self.price_out_spin.setVisible(own)
        self.price_label.setVisible(not own)
        self.own_price_check.setVisible(seat is None or not (seat.is_demo or seat.is_human))
        price = seat_price(seat) if seat is not None else None
        self.price_label.setText(describe_price(price) if seat is not None else "")
        set_role(self.price_label, "warning" if seat is not None and price is None else "muted")

    def _emit(self) -> None:
        if self._loading or self._seat is None:
            return
        value = round(self.temperature_spin.value(), 1)
        temperature = None if value <= _DEFAULT_SENTINEL + 1e-9 else value
        name = self.name_edit.text().strip() or self._seat.name
        own = self.own_price_check.isChecked()
        seat = replace(
            self._seat,
            name=name,
            persona=self.persona_edit.toPlainText(),
            temperature=temperature,
            max_tokens=self.max_tokens_spin.value() or None,
            price_in_per_mtok=round(self.price_in_spin.value(), 3) if own else None,
            price_out_per_mtok=round(self.price_out_spin.value(), 3) if own else None,
        )
        if seat != self._seat:
            self._seat = seat
            self._loading = True
            try:
                self._show_price(seat)
            finally:
                self._loading = False
            self.seat_edited.emit(seat)


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class _PriceBox(QDoubleSpinBox):
    """A price box as wide as any real price needs, not as the range's top ($10,000),
    which made the two boxes wider than the seat editor on a small screen."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        metrics = self.fontMetrics()
        widest = self.prefix() + self.textFromValue(self.maximum()) + self.suffix()
        plausible = self.prefix() + "999.999" + self.suffix()
        spare = metrics.horizontalAdvance(widest) - metrics.horizontalAdvance(plausible)
        return QSize(hint.width() - max(spare, 0), hint.height())


def _price_box(name: str, what: str) -> QDoubleSpinBox:
    box = _PriceBox()
    # Preferred, not the spin box's Minimum: with Minimum its (range-wide) size hint is
    # its least width and `minimumSizeHint` is never asked.
    box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    box.setAccessibleName(name)
    box.setRange(0.0, MAX_PRICE_PER_MTOK)
    box.setDecimals(3)
    box.setSingleStep(0.1)
    box.setPrefix("$")
    box.setSuffix(f" {what}")  # per million tokens: the check box beside says so
    box.setToolTip(f"US dollars per million {'prompt' if what == 'in' else 'completion'} tokens")
    return box


def _describe_model(seat: Seat) -> str:
    text = seat.model + (" — simulated, offline" if seat.is_demo else "")
    return f"{text}\n{seat.api_base}" if seat.api_base else text
