"""Parent and child side by side: final answers, votes and costs of a fork or follow-up.

Both debates are folded from their stored events into `DebateState`s (the same reducer
the debate view uses), so what is compared is exactly what each view shows.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from roundtable.gui.debate.outcome_section import tally_html
from roundtable.gui.debate.state import DebateState
from roundtable.gui.style.formatting import format_cost, format_tokens


def column_html(heading: str, state: DebateState) -> str:
    """One side of the comparison: its question, table, answer, votes, cost."""
    spec = state.spec
    question = html.escape(spec.question) if spec is not None else ""
    # The table is who played on: a seat the fork dropped is named apart, not at it.
    out = set(spec.sitting_out) if spec is not None else set()
    names: dict[bool, list[str]] = {True: [], False: []}
    for view in state.seats.values():
        names[view.seat_id in out].append(html.escape(view.seat.name))
    seats = ", ".join(names[False])
    if names[True]:
        seats += f"<br>Sat out (dropped by the fork): {', '.join(names[True])}"
    answer = html.escape(state.final_answer or "No answer")
    status = state.status.value if state.status is not None else "unknown"
    consensus = "yes" if state.consensus else "no"
    rounds = len(state.rounds)
    return (
        f"<h3>{html.escape(heading)}</h3>"
        f"<p><i>{question}</i></p>"
        f"<p>Table: {seats}</p>"
        f"<p style='font-size:large'><b>{answer}</b></p>"
        f"<p>Status: {status} · consensus: {consensus} · {rounds} round"
        f"{'' if rounds == 1 else 's'}</p>"
        f"{tally_html(state.tally)}"
        f"<p>{format_tokens(state.total_tokens)} · {format_cost(state.total_cost_usd)}</p>"
    )


class CompareDialog(QDialog):
    """Two columns: the parent debate and its fork or follow-up."""

    def __init__(
        self,
        parent_state: DebateState,
        child_state: DebateState,
        *,
        relation: str = "fork",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare with parent")
        kind = "Follow-up" if relation == "followup" else "Fork"
        self.parent_column = _column(column_html("Parent", parent_state), "Parent debate")
        self.child_column = _column(column_html(kind, child_state), kind)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addWidget(self.parent_column, 1)
        columns.addWidget(self.child_column, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)
        self.resize(820, 420)


def _column(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setAccessibleName(name)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
