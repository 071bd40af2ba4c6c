"""The widgets that exist for the transcript's rows, and letting go of those out of view.

A long transcript keeps only the rows near the screen as widgets (round headings, turn
cards, the outcome); every other row is a number in `TranscriptRows`. This module holds
the widgets that exist and decides which ones go: those no longer shown, and, beyond
`MAX_REALISED`, those farthest from what is in view. Making a row's widget stays with
`TranscriptView`, which knows how to bring it up to date with the debate.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from roundtable.gui.debate.outcome_section import OutcomeSection
from roundtable.gui.debate.round_heading import RoundHeading
from roundtable.gui.debate.state_values import TurnKey
from roundtable.gui.debate.transcript_rows import (
    OUTCOME,
    ROUND,
    RowKey,
    TranscriptRows,
    heading_row,
    turn_key,
    turn_row,
)
from roundtable.gui.debate.turn_card import TurnCard

#: Widgets kept at most; beyond that, those farthest out of view are let go.
MAX_REALISED = 40
#: Turn cards let go that are kept, hidden, to be used again for the next turns shown.
SPARE_CARDS = 6


class RowWidgets:
    """The round headings and turn cards made so far, by row; and the outcome, which
    always exists. `view` watches each widget's size and takes the focus of one let go."""

    def __init__(self, view: QWidget, outcome: OutcomeSection) -> None:
        self._view = view
        self.outcome = outcome
        self.headings: dict[int, RoundHeading] = {}
        self.cards: dict[TurnKey, TurnCard] = {}
        self._spare: list[TurnCard] = []

    def widget(self, key: RowKey) -> QWidget | None:
        if key[0] == ROUND:
            return self.headings.get(key[1])
        if key[0] == OUTCOME:
            return self.outcome
        return self.cards.get(turn_key(key))

    def realised(self) -> list[RowKey]:
        """The rows of the headings and cards that exist (the outcome is not one)."""
        return [heading_row(i) for i in self.headings] + [turn_row(k) for k in self.cards]

    def let_go(self, key: RowKey) -> None:
        widget = self.widget(key)
        if widget is None or widget is self.outcome:
            return
        focus = QApplication.focusWidget()
        if focus is not None and widget.isAncestorOf(focus):
            # The focused turn goes: the focus stays in the transcript, so the replay
            # keys keep working.
            self._view.setFocus(Qt.FocusReason.OtherFocusReason)
        if key[0] == ROUND:
            del self.headings[key[1]]
        else:
            del self.cards[turn_key(key)]
        widget.removeEventFilter(self._view)
        widget.hide()
        if isinstance(widget, TurnCard) and len(self._spare) < SPARE_CARDS:
            self._spare.append(widget)
        else:
            widget.deleteLater()

    def spare_card(self) -> TurnCard | None:
        """A card let go, hidden, to be used for another turn (`TurnCard.reuse_for`)."""
        return self._spare.pop() if self._spare else None

    def let_go_all(self) -> None:
        for key in self.realised():
            self.let_go(key)

    def let_go_missing(self, rows: TranscriptRows) -> None:
        """Let go of the widgets of rows no longer shown."""
        for key in self.realised():
            if rows.index(key) is None:
                self.let_go(key)

    def let_go_far(
        self, rows: TranscriptRows, top: int, bottom: int, keep: int = MAX_REALISED
    ) -> None:
        """Beyond `keep` widgets, let go of those farthest from [top, bottom]."""
        realised = self.realised()
        if len(realised) <= keep:
            return

        def distance(key: RowKey) -> int:
            i = rows.index(key)
            if i is None:
                return 1 << 40
            start = rows.top(i)
            end = start + rows.height(i)
            return max(0, top - end, start - bottom)

        realised.sort(key=distance, reverse=True)
        for key in realised[: len(realised) - keep]:
            if distance(key) > 0:
                self.let_go(key)
