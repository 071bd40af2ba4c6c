"""The end of the transcript: the final answer, whether the table agreed, and how it chose."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import DebateStatus
from roundtable.gui.debate.round_notes import rankings_html
from roundtable.gui.debate.state import DebateState
from roundtable.gui.style import colours
from roundtable.gui.style.colours import set_text_colour
from roundtable.gui.style.formatting import format_cost, format_seconds, format_tokens
from roundtable.gui.style.painting import paint_panel
from roundtable.gui.style.theme import semantic_colours
from roundtable.gui.widgets.copy_button import CopyButton

_TITLES = {
    DebateStatus.FINISHED: "Outcome",
    DebateStatus.CANCELLED: "Debate cancelled",
    DebateStatus.INTERRUPTED: "Debate interrupted",
    DebateStatus.FAILED: "Debate failed",
}


class OutcomeSection(QFrame):
    """Final answer, consensus yes/no, the rule that chose the answer, the tally, totals,
    the council's rankings, and a field to ask the same table a follow-up.

    Signals:
        followup_requested(str): the user asked a follow-up question.
    """

    followup_requested = Signal(str)  #: (question)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Outcome")
        self._status: DebateStatus | None = None
        self._consensus: bool | None = None
        self.title = QLabel(self)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(max(title_font.pointSizeF(), 1.0) * 1.12)
        self.title.setFont(title_font)
        self.answer = QLabel(self)
        answer_font = QFont(self.font())
        answer_font.setBold(True)
        answer_font.setPointSizeF(max(answer_font.pointSizeF(), 1.0) * 1.6)
        self.answer.setFont(answer_font)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.consensus = QLabel(self)
        self.simulated = QLabel(self)
        self.simulated.setAccessibleName("Simulated")
        self.simulated.setWordWrap(True)
        self.rule = QLabel(self)
        self.rule.setWordWrap(True)
        self.rule.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tally = QLabel(self)
        self.tally.setTextFormat(Qt.TextFormat.RichText)
        self.totals = QLabel(self)
        self.rankings = QLabel(self)
        self.rankings.setAccessibleName("Peer ranking")
        self.rankings.setTextFormat(Qt.TextFormat.RichText)
        self._build_followup()
        self.copy_button = CopyButton(
            lambda: self.answer_text(markdown=True), self.answer_text, "the final answer", self
        )
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 14)
        layout.setSpacing(6)
        layout.addLayout(title_row)
        for widget in (
            self.answer,
            self.simulated,
            self.consensus,
            self.rule,
            self.tally,
            self.rankings,
            self.totals,
        ):
            layout.addWidget(widget)
        layout.addLayout(self.followup_row)

    def _build_followup(self) -> None:
        self.followup_edit = QLineEdit(self)
        self.followup_edit.setAccessibleName("Ask a follow-up")
        self.followup_edit.setPlaceholderText(
            "Ask a follow-up: the same table, this debate as context"
        )
        self.followup_button = QPushButton("Ask a follow-up", self)
        self.followup_button.setEnabled(False)
        self.followup_edit.textChanged.connect(
            lambda text: self.followup_button.setEnabled(bool(text.strip()))
        )
        self.followup_edit.returnPressed.connect(self._ask_followup)
        self.followup_button.clicked.connect(self._ask_followup)
        self.followup_row = QHBoxLayout()
        self.followup_row.addWidget(self.followup_edit, 1)
        self.followup_row.addWidget(self.followup_button)

    def _ask_followup(self) -> None:
        question = self.followup_edit.text().strip()
        if question:
            self.followup_requested.emit(question)
            self.followup_edit.clear()

    def answer_text(self, *, markdown: bool = False) -> str:
        """The final answer, whether the table agreed and how it chose, to copy."""
        answer = self.answer.text()
        lines = [f"**Final answer:** {answer}" if markdown else f"Final answer: {answer}"]
        labels = (self.consensus, self.rule, self.simulated)
        lines += [label.text() for label in labels if label.text() and not label.isHidden()]
        return ("\n\n" if markdown else "\n").join(lines)

    def sync(self, state: DebateState) -> None:
        status = state.status
        if status is None or status is DebateStatus.RUNNING:
            self.hide()
            return
        self._status, self._consensus = status, state.consensus
        self.title.setText(_TITLES[status])
        finished = status is DebateStatus.FINISHED
        self.answer.setVisible(finished)
        self.consensus.setVisible(finished)
        self.tally.setVisible(finished and bool(state.tally))
        rankings = state.final_rankings
        self.rankings.setText("<b>Peer ranking</b>" + rankings_html(rankings, state))
        self.rankings.setVisible(bool(rankings))
        # A follow-up needs the parent's final answer: finished debates only.
        self.followup_edit.setVisible(finished)
        self.followup_button.setVisible(finished)
        self.copy_button.setVisible(finished)
        if finished:
            self.answer.setText(state.final_answer or "No answer")
            verdict, rule = consensus_lines(bool(state.consensus), state.rule)
            self.consensus.setText(verdict)
            self.rule.setText(rule)
            self.tally.setText(tally_html(state.tally))
            self.simulated.setText(simulated_sentence(state))
        else:
            self.rule.setText(state.status_reason)
        self.rule.setVisible(bool(self.rule.text()))
        self.simulated.setVisible(finished and bool(state.simulated))
        self.totals.setText(
            " · ".join(
                (
                    format_tokens(state.total_tokens),
                    format_cost(state.total_cost_usd),
                    format_seconds(state.elapsed_s),
                    state.rounds_words,
                )
            )
        )
        self.restyle()
        self.show()

    def restyle(self) -> None:
        palette = self.palette()
        muted = semantic_colours(palette).muted
        for label in (self.rule, self.totals):
            set_text_colour(label, muted)
        set_text_colour(self.simulated, semantic_colours(palette).warning)
        if self._consensus:
            set_text_colour(self.consensus, semantic_colours(palette).success)
        else:
            set_text_colour(self.consensus, semantic_colours(palette).warning)
        title_colour = palette.color(QPalette.ColorRole.WindowText)
        if self._status is DebateStatus.FAILED:
            title_colour = semantic_colours(palette).error
        set_text_colour(self.title, title_colour)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.75, 0.75, -0.75, -0.75)
        accent = semantic_colours(palette).success if self._consensus else colours.border(palette)
        if self._status is not DebateStatus.FINISHED:
            accent = semantic_colours(palette).warning
        paint_panel(painter, rect, palette.color(QPalette.ColorRole.Base), QPen(accent, 1.5))
        painter.end()


def simulated_sentence(state: DebateState) -> str:
    """Under a verdict the demo table gave: it is not a real one."""
    if not state.simulated:
        return ""
    if state.simulated == "simulated":
        return "Simulated: the offline demo models gave this verdict, not real language models."
    demo = sum(view.seat.is_demo for view in state.seats.values())
    return (
        f"Partly simulated: {demo} of {len(state.seats)} seats are offline demo models, "
        "not real language models."
    )


def consensus_lines(consensus: bool, rule: str) -> tuple[str, str]:
    """The verdict line and the rule line under the answer, without saying "Consensus:"
    twice: the engine's rule for an agreed table starts with it already."""
    if not consensus:
        return "Consensus: no", rule
    reason = rule.removeprefix("Consensus:").strip() if rule.startswith("Consensus:") else ""
    if reason:
        return f"Consensus: yes — {reason}", ""
    return "Consensus: yes, the table agreed", rule


def tally_html(tally: dict[str, float]) -> str:
    """The weighted votes per answer, heaviest first, with each one's share."""
    if not tally:
        return ""
    total = sum(tally.values()) or 1.0
    rows = "".join(
        f"<tr><td><b>{html.escape(answer)}</b></td>"
        f'<td align="right">&nbsp;&nbsp;{weight:g}</td>'
        f'<td align="right">&nbsp;&nbsp;{weight / total:.0%}</td></tr>'
        for answer, weight in sorted(tally.items(), key=lambda item: -item[1])
    )
    return (
        '<table cellspacing="0" cellpadding="1"><tr><th align="left">Answer</th>'
        '<th align="right">&nbsp;&nbsp;Votes</th><th align="right">&nbsp;&nbsp;Share</th></tr>'
        f"{rows}</table>"
    )
