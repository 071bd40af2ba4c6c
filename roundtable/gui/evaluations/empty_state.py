"""What the Evaluations view says before there is any run: what one is and how to make it.

Runs are made from a terminal (`roundtable eval`), so the page gives the command in a
field that can be selected, and a Copy button that puts it on the clipboard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from roundtable.gui.evaluations.report_text import FIRST_RUN_COMMAND
from roundtable.gui.style.painting import scaled_font
from roundtable.gui.style.theme import set_role

EMPTY_TITLE = "No evaluation runs yet"
EMPTY_TEXT = (
    "An evaluation run asks your table every question of a task, then measures whether "
    "the debate beat each model alone, the majority of their first answers and the best "
    "model sampled several times: accuracy with 95 % intervals, a test of whether the "
    "difference is more than chance, and the cost of each right answer."
)
EMPTY_HOW = "Make one from a terminal (the simulated demo table answers unless you name seats):"
EMPTY_AFTER = (
    "Your own seats: add --seat MODEL for each (or --panel FILE). Your own questions: give "
    "a GSM8K JSONL, an MMLU CSV, or a JSONL/CSV file with question and answer instead of "
    "arithmetic. roundtable eval --help lists the rest. Runs show here when you come back."
)
COPIED_MS = 1500


class EmptyState(QWidget):
    """The page shown when no run is stored.

    Signals:
    """

    #: () the command was copied to the clipboard
    copied = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(EMPTY_TITLE)
        title.setFont(scaled_font(self.font(), 1.35, bold=True))
        text = QLabel(EMPTY_TEXT)
        how = QLabel(EMPTY_HOW)
        after = QLabel(EMPTY_AFTER)
        set_role(after, "muted")
        for label in (text, how, after):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.command = QLineEdit(FIRST_RUN_COMMAND)
        self.command.setReadOnly(True)
        self.command.setAccessibleName("Command to make an evaluation run")
        self.command.setFont(_monospace(self.command.font()))
        self.command.setMinimumWidth(
            self.command.fontMetrics().horizontalAdvance(FIRST_RUN_COMMAND) + 24
        )
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the command to the clipboard")
        self.copy_button.setAccessibleName("Copy the command")

        command_row = QHBoxLayout()
        command_row.setSpacing(8)
        command_row.addWidget(self.command, 1)
        command_row.addWidget(self.copy_button)
        column = QWidget()
        column.setMaximumWidth(640)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(6)
        layout.addWidget(how)
        layout.addLayout(command_row)
        layout.addSpacing(6)
        layout.addWidget(after)
        # Centred by stretches, not by an alignment flag: an aligned widget is given its
        # size hint, and wrapped labels inside it would then be cut instead of growing.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self._reset_timer = QTimer(self)
        self._reset_timer.setSingleShot(True)
        self._reset_timer.setInterval(COPIED_MS)
        self._reset_timer.timeout.connect(lambda: self.copy_button.setText("Copy"))
        self.copy_button.clicked.connect(self.copy_command)

    def copy_command(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.command.text())
        self.copy_button.setText("Copied")
        self._reset_timer.start()
        self.copied.emit()


def _monospace(base: QFont) -> QFont:
    """The system's fixed-width font at the size of `base`."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF())
    return font
