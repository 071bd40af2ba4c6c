"""Saved tables: panel TOML files in `<data dir>/tables/`, offered in a combo box.

A saved table is the same panel file `roundtable run --panel` reads
(`roundtable.domain.panel`), so a table set in the app can be used headless and the
other way round. Listing the folder and reading one small file are the only disk
access, both tiny.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from roundtable.domain import ConfigError
from roundtable.domain.panel import Panel, slug
from roundtable.storage.saved_tables import (
    read_panel_file,
    saved_table_path,
    saved_tables,
    tables_dir,
)

_PLACEHOLDER = "Choose a saved table…"


class TablePresets(QWidget):
    """A "saved tables" combo (choosing one loads it) and a Save button."""

    #: (panel: Panel, name: str) a saved table was chosen and read.
    panel_loaded = Signal(Panel, str)
    #: (message: str) reading or writing a saved table failed.
    failed = Signal(str)
    #: (name: str) the user asked to save the current table under this name.
    save_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName("Saved tables")
        self.combo.setMinimumContentsLength(16)
        label = QLabel("Saved ta&bles:")
        label.setBuddy(self.combo)
        self.save_button = QPushButton("Save table…")
        self.save_button.setAccessibleName("Save this table")
        self.save_button.setToolTip(f"Save the seats as a panel file in {tables_dir()}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.save_button)
        self.combo.activated.connect(self._chosen)
        self.save_button.clicked.connect(self._ask_name)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """List the saved tables again (after a save, or when the window gains focus)."""
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(_PLACEHOLDER, None)
        paths = saved_tables()
        for path in paths:
            self.combo.addItem(path.stem, str(path))
            if select is not None and path.stem == select:
                self.combo.setCurrentIndex(self.combo.count() - 1)
        self.combo.setEnabled(bool(paths))
        self.combo.blockSignals(False)

    def names(self) -> list[str]:
        return [self.combo.itemText(i) for i in range(1, self.combo.count())]

    def load(self, name: str) -> bool:
        """Load the saved table called `name` as if the user had chosen it."""
        index = self.combo.findText(name)
        if index < 1:
            return False
        self.combo.setCurrentIndex(index)
        self._chosen(index)
        return True

    def _chosen(self, index: int) -> None:
        raw = self.combo.itemData(index)
        if not raw:
            return
        try:
            panel = read_panel_file(Path(raw), what="saved table")
        except ConfigError as exc:
            self.failed.emit(str(exc))
            return
        self.panel_loaded.emit(panel, self.combo.itemText(index))

    def _ask_name(self) -> None:
        current = self.combo.currentText() if self.combo.currentIndex() > 0 else ""
        name, ok = QInputDialog.getText(self, "Save table", "Name of this table:", text=current)
        name = name.strip()
        if not ok or not name:
            return
        if saved_table_path(name).exists():
            answer = QMessageBox.question(
                self, "Save table", f"A saved table called “{slug(name)}” exists. Replace it?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.save_requested.emit(name)
