"""`TableEditor`: the seats part of the setup panel.

A list of seats (double-click or F2 renames; Alt+Up / Alt+Down reorder; Delete
removes), an editor for the selected seat, the model picker and the saved tables,
all in one card. A seat whose provider needs a key that is missing is marked with
a warning icon and the fix in its tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import Seat
from roundtable.gui.setup.presets import TablePresets
from roundtable.gui.setup.seat_editor import SeatEditor
from roundtable.gui.setup.seat_list_model import SeatListModel
from roundtable.gui.style.theme import set_role
from roundtable.gui.support.workers import run_in_thread
from roundtable.gui.widgets.model_picker import ModelPicker

DEMO_HINT = "These are simulated models. Add real ones in Settings › Providers (Ctrl+,)."
#: Listed while seats' keys are being looked up (it keeps Start disabled briefly).
CHECKING_KEYS = "Checking the seats' API keys…"

_KeyProblemKey = tuple[str, str | None, str | None]
#: Stands for the seat's name in a cached problem text (invisible separators around it).
_NAME = "\u2063seat\u2063"


class TableEditor(QFrame):
    """The seats card. `seat_model.seats()` is the table; `changed` says it moved."""

    #: () a seat was added, removed, moved or edited, or key checks were redone.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self._key_problems: dict[_KeyProblemKey, str | None] = {}
        self._checking: set[_KeyProblemKey] = set()
        self._generation = 0
        #: Whether the model list offers a real model (a key, a local server).
        self._real_models_found = False
        self.seat_model = SeatListModel(parent=self, problem_for=self._problem_for)
        self.seat_list = QListView()
        self.seat_list.setModel(self.seat_model)
        self.seat_list.setAccessibleName("Seats at the table")
        self.seat_list.setObjectName("seatList")
        self.seat_list.setUniformItemSizes(True)
        self.seat_list.setIconSize(QSize(16, 16))
        self.seat_list.setMinimumWidth(220)
        self.seat_list.setEditTriggers(
            QListView.EditTrigger.DoubleClicked | QListView.EditTrigger.EditKeyPressed
        )
        self.up_button = _tool_button("↑", "Move the selected seat up (Alt+Up)")
        self.down_button = _tool_button("↓", "Move the selected seat down (Alt+Down)")
        self.remove_button = _tool_button("&Remove", "Remove the selected seat (Delete)")
        self.you_button = _tool_button(
            "Add a seat for &you", "Take a seat yourself: you answer in a box when your turn comes"
        )
        self.editor = SeatEditor()
        self.picker = ModelPicker()
        self.presets = TablePresets()
        self.hint_label = QLabel(DEMO_HINT)
        self.hint_label.setAccessibleName("Hint")
        self.hint_label.setWordWrap(True)
        set_role(self.hint_label, "hint")
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Saved table status")
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self._lay_out()
        self._connect_signals()
        self._update()

    def hasHeightForWidth(self) -> bool:
        # Like the panel's other card: the wrapped model line inside must not turn the
        # card's preferred height into its minimum (it squeezed the next card).
        return False

    def _lay_out(self) -> None:
        seat_buttons = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button):
            seat_buttons.addWidget(button)
        seat_buttons.addStretch(1)
        seat_buttons.addWidget(self.you_button)
        left = QVBoxLayout()
        left.addWidget(self.seat_list, 1)
        left.addLayout(seat_buttons)
        seats_row = QHBoxLayout()
        seats_row.addLayout(left, 2)
        seats_row.addSpacing(8)
        seats_row.addWidget(self.editor, 3)
        header = QHBoxLayout()
        title = QLabel("The table")
        title.setProperty("heading", True)
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.presets, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.hint_label)
        layout.addLayout(seats_row, 1)
        layout.addWidget(self.picker)
        layout.addWidget(self.status_label)

    def _connect_signals(self) -> None:
        self.seat_list.selectionModel().currentChanged.connect(self._current_changed)
        for signal in (
            self.seat_model.rowsInserted,
            self.seat_model.rowsRemoved,
            self.seat_model.rowsMoved,
            self.seat_model.modelReset,
        ):
            signal.connect(self._update)
        self.seat_model.dataChanged.connect(self._data_changed)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.remove_button.clicked.connect(self.remove_current)
        # Keys on the list itself (an event filter, not QShortcuts): Delete must not
        # remove a seat while the user deletes text in the editor next to it.
        self.seat_list.installEventFilter(self)
        self.editor.seat_edited.connect(self._seat_edited)
        self.presets.failed.connect(lambda message: self.show_status(message, "error"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.seat_list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            editing = self.seat_list.state() == QAbstractItemView.State.EditingState
            if not editing and self._handle_key(event):
                return True
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        alt = event.modifiers() == Qt.KeyboardModifier.AltModifier
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        if event.matches(QKeySequence.StandardKey.Delete) or (
            event.key() == Qt.Key.Key_Backspace
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.remove_current()
            return True
        return False

    # ------------------------------------------------------------------ seats
    def seats(self) -> tuple[Seat, ...]:
        return self.seat_model.seats()

    def set_seats(self, seats: Sequence[Seat]) -> None:
        self.seat_model.set_seats(seats)
        if seats:
            self.seat_list.setCurrentIndex(self.seat_model.index(0))
        else:
            self.editor.set_seat(None)

    def add_seat(self, seat: Seat) -> None:
        row = self.seat_model.add_seat(seat)
        self.seat_list.setCurrentIndex(self.seat_model.index(row))

    def move_current(self, delta: int) -> None:
        row = self.seat_list.currentIndex().row()
        if row >= 0:
            new_row = self.seat_model.move_seat(row, delta)
            self.seat_list.setCurrentIndex(self.seat_model.index(new_row))

    def remove_current(self) -> None:
        row = self.seat_list.currentIndex().row()
        if row < 0 or not self.seat_model.remove_seat(row):
            return
        remaining = self.seat_model.rowCount()
        if remaining:
            self.seat_list.setCurrentIndex(self.seat_model.index(min(row, remaining - 1)))
        else:
            self.editor.set_seat(None)

    def problems(self) -> list[str]:
        found = [problem for _seat, problem in self.seat_model.problems()]
        if self._checking:
            found.append(CHECKING_KEYS)
        return found

    def refresh_key_status(self) -> None:
        """Forget what is known about keys and look again (after keys changed)."""
        self._generation += 1
        self._key_problems.clear()
        self._checking.clear()
        self.seat_model.refresh_problems()
        self._update()

    def show_status(self, message: str, role: str) -> None:
        self.status_label.setText(message)
        self.status_label.setVisible(bool(message))
        set_role(self.status_label, role)

    # ------------------------------------------------------------------ reactions
    def _current_changed(self) -> None:
        index = self.seat_list.currentIndex()
        self.editor.set_seat(self.seat_model.seat(index.row()) if index.isValid() else None)
        self._update_buttons()

    def _seat_edited(self, seat: Seat) -> None:
        row = self.seat_list.currentIndex().row()
        if row >= 0:
            self.seat_model.replace_seat(row, seat)

    def _data_changed(self) -> None:
        index = self.seat_list.currentIndex()
        if index.isValid() and self.editor.seat() != self.seat_model.seat(index.row()):
            self.editor.set_seat(self.seat_model.seat(index.row()))  # renamed in the list
        self._update()

    def set_real_models_found(self, found: bool) -> None:
        """The model list offers real models (or no longer does): the banner that says
        these seats are simulated, and where to add real ones, goes once they are found."""
        if found != self._real_models_found:
            self._real_models_found = found
            self._update()

    def _update(self) -> None:
        seats = self.seat_model.seats()
        all_demo = bool(seats) and all(seat.is_demo for seat in seats)
        self.hint_label.setVisible(all_demo and not self._real_models_found)
        self.presets.save_button.setEnabled(bool(seats))
        self._update_buttons()
        self.changed.emit()

    def _update_buttons(self) -> None:
        row = self.seat_list.currentIndex().row()
        count = self.seat_model.rowCount()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        self.remove_button.setEnabled(row >= 0)

    def _problem_for(self, seat: Seat) -> str | None:
        """The seat's missing-key problem, once known; looked up off the GUI thread.

        A keyring look-up is IPC and may wait on an unlock prompt, so it never runs
        here: the first ask starts a worker and `problems()` says "checking" meanwhile.
        """
        if seat.is_demo or seat.is_human:
            return None  # simulated models and people need no key; asking would be a waste
        # Keyed without the name, so renaming a seat does not look its key up again.
        key = (seat.model, seat.api_base, seat.api_key_env)
        if key in self._key_problems:
            problem = self._key_problems[key]
            return problem.replace(_NAME, seat.name) if problem else None
        if key not in self._checking:
            self._checking.add(key)
            generation = self._generation
            job = run_in_thread(lambda: _check_key(generation, key, seat), name="check_key")
            job.succeeded.connect(self._key_checked)
        return None

    def _key_checked(self, result: tuple[int, _KeyProblemKey, str | None]) -> None:
        generation, key, problem = result
        if generation != self._generation:
            return  # asked before the keys changed: a newer answer is on its way
        self._checking.discard(key)
        self._key_problems[key] = problem
        self.seat_model.refresh_problems()
        self._update()

    def tab_chain(self) -> list[QWidget]:
        """The card's widgets in keyboard order."""
        return [
            self.presets.combo,
            self.presets.save_button,
            self.seat_list,
            self.up_button,
            self.down_button,
            self.remove_button,
            self.you_button,
            self.editor.name_edit,
            self.editor.persona_edit,
            self.editor.temperature_spin,
            self.editor.max_tokens_spin,
            self.editor.own_price_check,
            self.editor.price_in_spin,
            self.editor.price_out_spin,
            self.picker.combo,
            self.picker.add_button,
            self.picker.custom_edit,
            self.picker.custom_button,
            self.picker.refresh_button,
        ]


def _check_key(
    generation: int, key: _KeyProblemKey, seat: Seat
) -> tuple[int, _KeyProblemKey, str | None]:
    """Worker side of `_problem_for`: never raises, a broken keyring means "unknown"."""
    from roundtable.providers.keys import missing_key_problem

    try:
        return generation, key, missing_key_problem(replace(seat, name=_NAME))
    except Exception:  # the engine's own pre-flight check will still catch a real gap
        return generation, key, None


def _tool_button(text: str, tooltip: str) -> QToolButton:
    # Tool buttons, not push buttons: a push button with text is never narrower than
    # 80 px, and this row of four set the seat list's least width, leaving the seat
    # editor beside it too narrow on a small screen.
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tooltip)
    button.setAccessibleName(tooltip.split(" (", maxsplit=1)[0])
    hint = button.sizeHint()
    button.setMinimumWidth(max(hint.width(), hint.height() + 6))  # whole words; arrows square-ish
    return button
