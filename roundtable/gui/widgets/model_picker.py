"""`ModelPicker`: choose a model to seat, from what is available or by typing its id.

The list groups every model the providers found (`roundtable.providers.list_models`,
run off the GUI thread by the setup panel): cloud providers with a key, models on
Ollama and on other local servers, and the offline demo models, labelled
"simulated". A model with a track record from the user's evaluation runs shows it
beside its name ("GPT-4o · 81 % on arithmetic (n=200) · well calibrated"). Any litellm
model id can also be typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from roundtable.domain import ConfigError, Seat
from roundtable.domain.panel import default_name
from roundtable.domain.pricing import describe_price
from roundtable.gui.style.theme import set_role

#: Group titles, in the order the list shows them.
SOURCE_TITLES: dict[str, str] = {
    "configured": "Cloud providers (key set)",
    "gateway": "Team gateway (LiteLLM proxy)",
    "ollama": "Ollama on this computer",
    "server": "Local servers",
    "demo": "Simulated demo models (offline)",
}
_ModelRole = Qt.ItemDataRole.UserRole + 1


class ModelPicker(QWidget):
    """Grouped model list + Add, a free-text model id + Add, and a discovery status."""

    #: (seat: Seat) a seat for the chosen model (id and name still to be settled).
    seat_requested = Signal(Seat)
    #: () the user asked to look for local servers again.
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._models = QStandardItemModel(self)
        self._shown: list[Any] = []  # the ModelInfos listed, to list again with records
        self._records: dict[str, str] = {}
        self.combo = QComboBox()
        self.combo.setModel(self._models)
        self.combo.setAccessibleName("Available models")
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.add_button = QPushButton("&Add seat")
        self.add_button.setAccessibleName("Add a seat with the chosen model")

        self.custom_edit = QLineEdit()
        self.custom_edit.setAccessibleName("Any model id")
        self.custom_edit.setPlaceholderText(
            "or type any litellm id, e.g. mistral/mistral-large-latest"
        )
        self.custom_edit.setClearButtonEnabled(True)
        self.custom_button = QPushButton("Add &id")
        self.custom_button.setAccessibleName("Add a seat with the typed model id")
        self.custom_button.setEnabled(False)

        self.status_label = QLabel()
        self.status_label.setAccessibleName("Model discovery status")
        self.status_label.setWordWrap(True)
        set_role(self.status_label, "muted")
        self.refresh_button = QPushButton("&Look again")
        self.refresh_button.setAccessibleName("Look for local servers again")

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 0, 0)
        layout.addWidget(self.add_button, 0, 1)
        layout.addWidget(self.custom_edit, 1, 0)
        layout.addWidget(self.custom_button, 1, 1)
        layout.addWidget(self.status_label, 2, 0)
        layout.addWidget(self.refresh_button, 2, 1)
        layout.setColumnStretch(0, 1)
        self._connect_signals()
        self.set_models([])

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._add_chosen)
        self.custom_edit.textChanged.connect(self._custom_changed)
        self.custom_edit.returnPressed.connect(self._add_custom)
        self.custom_button.clicked.connect(self._add_custom)
        self.refresh_button.clicked.connect(self.refresh_requested)

    # ------------------------------------------------------------------ filling
    def set_searching(self) -> None:
        self.status_label.setText("Looking for local servers…")
        set_role(self.status_label, "muted")
        self.refresh_button.setEnabled(False)

    def set_search_failed(self, message: str) -> None:
        self.status_label.setText(f"Could not list models: {message}")
        set_role(self.status_label, "error")
        self.refresh_button.setEnabled(True)

    def set_models(self, models: list[Any]) -> None:
        """Show `models` (`ModelInfo`s) grouped by source; keeps the chosen one if present."""
        current = self.chosen_model()
        current_id = getattr(current, "id", None)
        self._shown = list(models)
        self._models.clear()
        groups: dict[str, list[Any]] = {}
        for info in models:
            groups.setdefault(str(getattr(info, "source", "configured")), []).append(info)
        order = [*SOURCE_TITLES, *sorted(set(groups) - set(SOURCE_TITLES))]
        for source in order:
            if source not in groups:
                continue
            self._models.appendRow(_header(SOURCE_TITLES.get(source, source.title())))
            for info in groups[source]:
                self._models.appendRow(_entry(info, self._records.get(str(info.id))))
        self.refresh_button.setEnabled(True)
        self._select_first(current_id)
        self.add_button.setEnabled(self.chosen_model() is not None)
        self.combo.setEnabled(bool(models))
        if models:
            self.status_label.setText(_summary(groups))
            set_role(self.status_label, "muted")

    def set_records(self, records: dict[str, str]) -> None:
        """Show each model's track record (a line by model id) beside its name."""
        if records != self._records:
            self._records = dict(records)
            self.set_models(self._shown)

    def model_ids(self) -> list[str]:
        """Every selectable model id, in list order."""
        ids = []
        for row in range(self._models.rowCount()):
            info = self._models.item(row).data(_ModelRole)
            if info is not None:
                ids.append(str(info.id))
        return ids

    def chosen_model(self) -> Any:
        if self.combo.currentIndex() < 0:
            return None
        item = self._models.item(self.combo.currentIndex())
        return item.data(_ModelRole) if item is not None else None

    def choose(self, model_id: str) -> bool:
        for row in range(self._models.rowCount()):
            info = self._models.item(row).data(_ModelRole)
            if info is not None and info.id == model_id:
                self.combo.setCurrentIndex(row)
                return True
        return False

    def _select_first(self, preferred: str | None) -> None:
        if preferred and self.choose(preferred):
            return
        for row in range(self._models.rowCount()):
            if self._models.item(row).data(_ModelRole) is not None:
                self.combo.setCurrentIndex(row)
                return
        self.combo.setCurrentIndex(-1)

    # ------------------------------------------------------------------ adding
    def _add_chosen(self) -> None:
        info = self.chosen_model()
        if info is not None:
            self.seat_requested.emit(seat_for_model(info))

    def _custom_changed(self, text: str) -> None:
        self.custom_button.setEnabled(bool(text.strip()))
        if self.status_label.property("role") == "error":
            self.status_label.setText("")

    def _add_custom(self) -> None:
        model = self.custom_edit.text().strip()
        if not model:
            return
        problem = check_model(model)
        if problem:
            self.status_label.setText(problem)
            set_role(self.status_label, "error")
            return
        self.custom_edit.clear()
        self.seat_requested.emit(Seat(id="", name=default_name(model), model=model))


def seat_for_model(info: Any) -> Seat:
    """A new seat for a `ModelInfo`: named like the model (the demo ones by their name)."""
    model = str(info.id)
    name = default_name(model)
    if model.startswith("demo/"):
        from roundtable.providers.demo.models import DEMO_MODELS

        name = next((m.name for m in DEMO_MODELS if m.id == model), name)
    # A team gateway's model follows the gateway setting rather than one address: a
    # table saved with it works for a colleague whose gateway address differs.
    api_base = None if getattr(info, "source", "") == "gateway" else getattr(info, "api_base", None)
    return Seat(id="", name=name, model=model, api_base=api_base)


def check_model(model: str) -> str | None:
    """Why a typed model id cannot work, or None (the providers' static check)."""
    try:
        from roundtable.providers import check_model_id
    except ImportError:  # older providers package: accept, the engine checks again
        return None
    try:
        # Never consult litellm here: importing it would cost the GUI ~3 s and 170 MB.
        check_model_id(model, consult_litellm=False)
    except ConfigError as exc:
        return str(exc)
    return None


def _header(title: str) -> QStandardItem:
    item = QStandardItem(title)
    item.setFlags(Qt.ItemFlag.NoItemFlags)  # a group title cannot be chosen
    font = QFont()
    font.setBold(True)
    item.setFont(font)
    item.setData(f"Group: {title}", Qt.ItemDataRole.AccessibleTextRole)
    return item


def _entry(info: Any, record: str | None = None) -> QStandardItem:
    label = str(getattr(info, "label", "") or info.id)
    if getattr(info, "source", "") == "demo":
        label = f"{seat_for_model(info).name} — simulated"
    price = getattr(info, "price", None)
    if price is not None:  # the team gateway's own price
        label += f" · ${price.in_per_mtok:.2f} / ${price.out_per_mtok:.2f} per M"
    if record:
        # A simulated model's record says "simulated" already: once is enough.
        label += (
            f" · {record.removesuffix(' · simulated')}" if "simulated" in label else f" · {record}"
        )
    item = QStandardItem(label)
    item.setData(info, _ModelRole)
    tip = str(info.id)
    if record:
        tip += f"\nTrack record from your evaluation runs: {record}"
    if getattr(info, "description", ""):
        tip += f"\n{info.description}"
    if getattr(info, "api_base", None):
        tip += f"\non {info.api_base}"
    if getattr(info, "found_via", ""):
        tip += f"\nFound through {info.found_via}"
    if getattr(info, "price", None) is not None:
        tip += f"\n{describe_price(info.price)}"
    if getattr(info, "needs_key", False) and not getattr(info, "key_present", True):
        tip += "\nNo key yet: add it in Settings › Providers."
    item.setToolTip(tip)
    item.setData(label, Qt.ItemDataRole.AccessibleTextRole)
    return item


def _summary(groups: dict[str, list[Any]]) -> str:
    local = len(groups.get("ollama", [])) + len(groups.get("server", []))
    cloud = len(groups.get("configured", []))
    team = len(groups.get("gateway", []))
    if not local and not cloud and not team:
        return "No keys and no local servers found: only the simulated models are available."
    parts = []
    if team:
        parts.append(f"{team} team gateway model{'s' if team != 1 else ''}")
    if cloud:
        parts.append(f"{cloud} cloud model{'s' if cloud != 1 else ''}")
    if local:
        parts.append(f"{local} local model{'s' if local != 1 else ''}")
    return "Found " + " and ".join(parts) + "."
