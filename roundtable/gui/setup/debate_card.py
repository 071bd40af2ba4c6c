"""`DebateCard`: the setup form's card for how the table debates.

Its fields, top to bottom: the protocol with its summary, the number of rounds and
the budget on the same row, the chair and judge (where the protocol has them), the
vote by track record, and the question. It lives apart from `SetupPanel` (panel.py)
because it is one idea, the debate's settings, beside the panel's other one, the
whole form (seats, Start and what stops it, saved tables, the first run's demo
table): the card builds and lays out its fields and keeps the protocol's summary,
roles and record vote in step with the chosen protocol; the panel reads the fields
and decides whether Start is possible.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from roundtable.gui.setup.cost_estimate import budget_box
from roundtable.gui.setup.form_parts import Card, SteadyLabel, short_summary
from roundtable.gui.setup.question_edit import QuestionEdit
from roundtable.gui.setup.record_vote import RecordVoteOption
from roundtable.gui.setup.roles import RolePickers
from roundtable.gui.style.theme import set_role
from roundtable.gui.support.settings_store import MAX_ROUNDS, MIN_ROUNDS
from roundtable.gui.widgets.protocol_choices import protocol_choices

#: Du et al.'s arithmetic task: the demo models slip on it differently, then converge.
SAMPLE_QUESTION = "What is 12+17*23+4-9*14?"


class DebateCard(Card):
    """The protocol, rounds, budget, roles and question (no signals of its own: the
    panel connects to its fields)."""

    def __init__(self) -> None:
        super().__init__()
        self.protocol_combo = QComboBox()
        self.protocol_combo.setAccessibleName("Protocol")
        # As narrow as a short title: the longest would set the whole form's minimum
        # width and squeeze the history beside it on a small screen.
        self.protocol_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.protocol_combo.setMinimumContentsLength(16)
        for name, label, summary in protocol_choices():
            self.protocol_combo.addItem(label, name)
            self.protocol_combo.setItemData(
                self.protocol_combo.count() - 1, summary, Qt.ItemDataRole.ToolTipRole
            )
        self.protocol_summary = SteadyLabel(
            [short_summary(summary) for _name, _label, summary in protocol_choices()]
        )
        self.protocol_summary.setAccessibleName("Protocol summary")
        set_role(self.protocol_summary, "muted")
        self.roles = RolePickers()
        self.record_vote = RecordVoteOption()
        self.rounds_spin = QSpinBox()
        self.rounds_spin.setAccessibleName("Rounds")
        self.rounds_spin.setRange(MIN_ROUNDS, MAX_ROUNDS)
        self.rounds_spin.setToolTip("Rounds including the first, independent answers.")
        self.budget_spin = budget_box()
        self.question_edit = QuestionEdit()
        self.question_edit.setAccessibleName("Question")
        self.question_edit.setPlaceholderText(
            f"Ask the table anything (Markdown allowed), e.g. “{SAMPLE_QUESTION}”"
        )
        self.question_edit.setTabChangesFocus(True)
        # Preferred, not Expanding: spare height goes to the seat list first.
        self.question_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        protocol_row = QHBoxLayout()
        protocol_row.addWidget(self.protocol_combo, 1)
        protocol_row.addSpacing(12)
        protocol_row.addWidget(_buddy("R&ounds:", self.rounds_spin))
        protocol_row.addWidget(self.rounds_spin)
        protocol_row.addSpacing(12)
        protocol_row.addWidget(_buddy("Bud&get:", self.budget_spin))
        protocol_row.addWidget(self.budget_spin)
        form.addRow(_buddy("Proto&col:", self.protocol_combo), protocol_row)
        form.addRow("", self.protocol_summary)
        form.addRow("", self.roles)
        form.addRow("", self.record_vote)
        form.addRow(_buddy("&Question:", self.question_edit), self.question_edit)

    def protocol(self) -> str:
        return str(self.protocol_combo.currentData() or "roundtable")

    def show_protocol(self) -> None:
        """Show the chosen protocol's summary and the roles and vote it offers."""
        tip = str(self.protocol_combo.currentData(Qt.ItemDataRole.ToolTipRole) or "")
        self.protocol_summary.setText(short_summary(tip))
        self.protocol_summary.setToolTip(tip)
        self.roles.set_protocol(self.protocol())
        self.record_vote.set_protocol(self.protocol())

    def select_protocol(self, name: str) -> None:
        """Choose protocol `name`, offering it even when it is not one of the known ones."""
        index = self.protocol_combo.findData(name)
        if index < 0:
            self.protocol_combo.addItem(name, name)
            index = self.protocol_combo.count() - 1
        self.protocol_combo.setCurrentIndex(index)


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label
