"""A round's heading in the transcript: its title, its result once known, a judge's or
a council's notes, and "Fork from here…".

The transcript lays its rows out itself (only those on screen exist as widgets), so a
heading is a row of its own, above the round's turn cards, not a box holding them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from roundtable.domain import Usage
from roundtable.gui.debate.round_notes import round_notes_html
from roundtable.gui.debate.state import DebateState, RoundView
from roundtable.gui.style.colours import set_text_colour
from roundtable.gui.style.formatting import format_cost, format_tokens, percent, round_title
from roundtable.gui.style.theme import semantic_colours


class RoundHeading(QWidget):
    """A round's title, its result once known, and its notes.

    Signals:
        fork_requested(int): "Fork from here…" was pressed (this round's index).
    """

    fork_requested = Signal(int)  #: (round index)

    def __init__(self, index: int, kind: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.title = QLabel(self)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 1.0) * 1.12)
        self.title.setFont(font)
        self.summary = QLabel(self)
        # Wraps under a narrow column: on one line, a long leading answer set the whole
        # transcript's minimum width and gave it a horizontal scrollbar.
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.fork_button = QToolButton(self)
        self.fork_button.setText("Fork from here…")
        self.fork_button.setToolTip(
            "Start a new debate that keeps the rounds up to this one and goes on with a "
            "changed table"
        )
        self.fork_button.setAutoRaise(True)
        self.fork_button.clicked.connect(lambda: self.fork_requested.emit(self.index))
        self.fork_button.hide()
        self.notes = QLabel(self)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.hide()
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.summary, 1)
        heading.addWidget(self.fork_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(heading)
        layout.addWidget(self.notes)
        self._set_kind(kind)
        self.restyle()

    def _set_kind(self, kind: str) -> None:
        title = round_title(self.index, kind)
        if title == self.title.text():
            return
        self.title.setText(title)
        self.title.setAccessibleName(title)
        self.fork_button.setAccessibleName(f"Fork from {title}")
        self.notes.setAccessibleName(f"Notes of {title}")

    def sync(self, rnd: RoundView, state: DebateState, *, can_fork: bool = False) -> None:
        self._set_kind(rnd.kind)
        self.fork_button.setVisible(rnd.finished and can_fork)
        if not rnd.finished:
            self.summary.hide()
            self.notes.hide()
            return
        notes = round_notes_html(rnd, state)
        self.notes.setText(notes)
        self.notes.setVisible(bool(notes))
        parts = [f"agreement {percent(rnd.agreement)}"]
        if rnd.leader:
            parts.append(f"leading answer: {rnd.leader}")
        if rnd.consensus:
            parts.append(f"consensus on {rnd.consensus}")
        spent = round_usage(rnd)
        if spent is not None:  # the round's total; its turns ran side by side, so no time
            parts.append(f"{format_tokens(spent.total_tokens)} · {format_cost(spent.cost_usd)}")
        self.summary.setText(" · ".join(parts))
        self.summary.show()

    def restyle(self) -> None:
        set_text_colour(self.summary, semantic_colours(self.palette()).muted)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()


def round_usage(rnd: RoundView) -> Usage | None:
    """What the round's turns spent together (None before any turn reported it)."""
    usages = [turn.usage for turn in rnd.turns.values() if turn.usage is not None]
    return sum(usages[1:], usages[0]) if usages else None
