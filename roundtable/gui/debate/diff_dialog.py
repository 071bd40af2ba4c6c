"""How a seat's text changed since its previous round: a word-level diff in a dialog."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from roundtable.gui.debate.state import DebateState
from roundtable.gui.style.colours import blend
from roundtable.gui.style.theme import semantic_colours
from roundtable.gui.widgets.markdown_view import SafeTextBrowser

#: Words, numbers (3.14, 1,000), runs of spaces and single punctuation marks.
_TOKENS = re.compile(r"\s+|\d+(?:[.,]\d+)*|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class TextDiff:
    """A diff as (op, text) pieces: op is "equal", "removed" or "added"."""

    pieces: tuple[tuple[str, str], ...]

    @property
    def removed_words(self) -> int:
        return sum(_count_words(text) for op, text in self.pieces if op == "removed")

    @property
    def added_words(self) -> int:
        return sum(_count_words(text) for op, text in self.pieces if op == "added")


def _count_words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def word_diff(before: str, after: str) -> TextDiff:
    """Which words went and which came, grouped so a change reads as one phrase."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    return TextDiff(_grouped(_pieces(old, new)))


def line_diff(before: str, after: str) -> TextDiff:
    """Which lines went and which came (each piece ends with its newline)."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    # A last line without its newline still compares equal to one with it.
    old = [line if line.endswith("\n") else line + "\n" for line in old]
    new = [line if line.endswith("\n") else line + "\n" for line in new]
    return TextDiff(tuple(_pieces(old, new)))


def _pieces(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[tuple[str, str]] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(old[a0:a1])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("removed", "".join(old[a0:a1])))
        if op in ("insert", "replace"):
            pieces.append(("added", "".join(new[b0:b1])))
    return pieces


def _grouped(pieces: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Make a word diff readable: each run of changes becomes its removed text followed by
    its added text, and a lone word left standing between two bigger changes joins them
    (the way a person marks up a rewritten sentence); line breaks stay as anchors."""
    runs: list[list[str]] = []  # ["equal", text] or ["change", removed, added]
    for op, text in pieces:
        if op == "equal":
            runs.append(["equal", text])
            continue
        if not runs or runs[-1][0] != "change":
            runs.append(["change", "", ""])
        runs[-1][1 if op == "removed" else 2] += text
    merged = True
    while merged:
        merged = False
        for i in range(1, len(runs) - 1):
            before, middle, after = runs[i - 1], runs[i], runs[i + 1]
            if middle[0] != "equal" or before[0] != "change" or after[0] != "change":
                continue
            changed = max(len(before[1]), len(before[2])) + max(len(after[1]), len(after[2]))
            lone_word = _count_words(middle[1]) <= 1 and "\n" not in middle[1]
            if lone_word and len(middle[1]) * 2 <= changed:
                runs[i - 1 : i + 2] = [
                    [
                        "change",
                        before[1] + middle[1] + after[1],
                        before[2] + middle[1] + after[2],
                    ]
                ]
                merged = True
                break
    result: list[tuple[str, str]] = []
    for run in runs:
        if run[0] == "equal":
            result.append(("equal", run[1]))
            continue
        if run[1]:
            result.append(("removed", run[1]))
        if run[2]:
            result.append(("added", run[2]))
    return tuple(result)


def diff_html(diff: TextDiff, palette: QPalette, *, lines: bool = False) -> str:
    """The diff as rich text: removed text struck through in red, added text in green."""
    # The theme's error and success colours, softened toward the page for a background.
    meaning = semantic_colours(palette)
    page = palette.color(QPalette.ColorRole.Base)
    removed_bg = blend(page, meaning.error, 0.25).name()
    added_bg = blend(page, meaning.success, 0.25).name()
    parts = []
    previous = "equal"
    for op, text in diff.pieces:
        if lines and op != "equal":
            mark = "− " if op == "removed" else "+ "
            shown = "".join(mark + line for line in text.splitlines(keepends=True))
        else:
            shown = text
        escaped = html.escape(shown).replace("\n", "<br>")
        if op == "removed":
            parts.append(
                f'<span style="background-color: {removed_bg}; text-decoration: line-through;">'
                f"{escaped}</span>"
            )
        elif op == "added":
            # A plain space keeps a replaced phrase and its replacement apart.
            gap = " " if previous == "removed" and not lines else ""
            parts.append(f'{gap}<span style="background-color: {added_bg};">{escaped}</span>')
        else:
            parts.append(escaped)
        previous = op
    return f'<div style="white-space: pre-wrap;">{"".join(parts)}</div>'


class DiffDialog(QDialog):
    """Shows what one seat changed between two rounds, word by word or line by line."""

    def __init__(
        self,
        *,
        seat_name: str,
        before_round: int,
        after_round: int,
        before: str,
        after: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = f"{seat_name}: round {before_round + 1} → round {after_round + 1}"
        self.setWindowTitle(title)
        self.setAccessibleName(f"Changes by {seat_name}")
        self._before, self._after = before, after
        self.diff = word_diff(before, after)
        summary = QLabel(
            f"<b>{html.escape(title)}</b> · {self.diff.removed_words} words removed "
            f"(struck through), {self.diff.added_words} added (highlighted)",
            self,
        )
        summary.setTextFormat(Qt.TextFormat.RichText)
        summary.setWordWrap(True)
        self.words_button = QRadioButton("&Words", self)
        self.words_button.setAccessibleName("Compare word by word")
        self.lines_button = QRadioButton("&Lines", self)
        self.lines_button.setAccessibleName("Compare line by line")
        self.words_button.setChecked(True)
        modes = QHBoxLayout()
        modes.addWidget(QLabel("Compare:", self))
        modes.addWidget(self.words_button)
        modes.addWidget(self.lines_button)
        modes.addStretch(1)
        self.view = SafeTextBrowser(self, fit_content=False)
        self.view.setAccessibleName("Differences")
        self.view.setFrameShape(SafeTextBrowser.Shape.StyledPanel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(modes)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.words_button.toggled.connect(self._show)
        self._show()
        self.resize(720, 520)

    def set_line_mode(self, lines: bool) -> None:
        (self.lines_button if lines else self.words_button).setChecked(True)

    def _show(self) -> None:
        lines = self.lines_button.isChecked()
        diff = line_diff(self._before, self._after) if lines else self.diff
        self.view.setHtml(diff_html(diff, self.palette(), lines=lines))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The highlight colours follow the theme (once the view exists).
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "view", None) is not None:
            self._show()

    def plain_text(self) -> str:
        """What the dialog shows, as text (for tests and copy)."""
        return self.view.toPlainText()


def turn_diff_dialog(
    state: DebateState, round_index: int, seat_id: str, parent: QWidget
) -> DiffDialog | None:
    """A dialog (deleted on close) comparing the seat's turn in `round_index` with its
    nearest earlier turn that has text; None when there is nothing to compare."""
    turn = state.turn(round_index, seat_id)
    before = state.previous_answer_text(seat_id, round_index)
    seat = state.seats.get(seat_id)
    if turn is None or before is None or seat is None:
        return None
    earlier = max(
        r.index
        for r in state.rounds[:round_index]
        if (t := r.turns.get(seat_id)) is not None and t.text
    )
    dialog = DiffDialog(
        seat_name=seat.seat.name,
        before_round=earlier,
        after_round=round_index,
        before=before,
        after=turn.text,
        parent=parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog
