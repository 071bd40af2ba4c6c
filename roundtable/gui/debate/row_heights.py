"""How tall a transcript row is: measured from its laid-out widget, or estimated from its
text before any widget exists for it.

An estimate only has to be close: it sizes the scroll bar and places rows not yet made;
once a row is made its widget is measured, and the transcript keeps the row at the top
of the view where it is while the rows above it settle.
"""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

from roundtable.gui.debate.state import DebateState, Phase
from roundtable.gui.debate.transcript_rows import ROUND, TURN, RowKey, turn_key
from roundtable.gui.debate.turn_card import STREAMING_TAIL_LINES

#: A turn card's frame around its body: margins, header, spacing (pixels, measured).
_CARD_CHROME = 56
#: The body's inset from the card's edges (card margins and the document margin).
_BODY_INSET = 34
#: Space Markdown puts between paragraphs, lists and headings.
_BLOCK_GAP = 9
_SAMPLE = "The seats weigh each answer, and most of them agree on forty-two (with 0.8)."


def fitted_height(widget: QWidget, width: int) -> int:
    """Lay `widget` out at `width` and return the height it needs there.

    A turn's text fits its height to its width only once it has that width, which asks
    for a new layout: settle in a few rounds rather than wait for the event loop."""
    wanted = widget.height()
    for _ in range(4):
        layout = widget.layout()
        if layout is not None:
            layout.activate()
        wanted = widget.heightForWidth(width)
        if wanted < 0:
            wanted = widget.sizeHint().height()
        if widget.width() == width and widget.height() == wanted:
            break
        widget.resize(width, wanted)
    return wanted


class RowEstimator:
    """Estimates rows' heights from the state and the transcript's font and width."""

    def __init__(self, state: DebateState, view: QWidget) -> None:
        self._state = state
        self._view = view
        self._measure: tuple[int, int] | None = None  # line height, characters per line

    def reset(self) -> None:
        """The font or the width changed."""
        self._measure = None

    def _line_and_width(self) -> tuple[int, int]:
        if self._measure is None:
            metrics = QFontMetrics(self._view.font())
            body = min(1040, max(200, self._view.width() - 32)) - _BODY_INSET
            average = metrics.horizontalAdvance(_SAMPLE) / len(_SAMPLE)
            self._measure = (metrics.lineSpacing(), max(10, int(body / average)))
        return self._measure

    def height(self, key: RowKey) -> int:
        line, per_line = self._line_and_width()
        if key[0] == ROUND:
            return 10 + round(line * 1.4)
        if key[0] != TURN:
            return 0
        turn = self._state.turn(*turn_key(key))
        if turn is None:
            return 0
        height = _CARD_CHROME
        if turn.phase is Phase.DONE:
            height += _text_height(turn.text, per_line, line)
        elif turn.text:
            height += round(min(_line_count(turn.text, per_line), STREAMING_TAIL_LINES) * line)
        if turn.usage is not None:
            height += line + 6
        if turn.error or turn.phase in (Phase.FAILED, Phase.STOPPED):
            height += line + 6
        return height


def _line_count(text: str, per_line: int) -> float:
    # Each line break starts a line, and on average leaves half a line unused.
    return len(text) / per_line + text.count("\n") * 0.5 + 1


def _text_height(text: str, per_line: int, line: int) -> int:
    """Markdown's height: wrapped lines, and a gap between blocks."""
    blocks = text.count("\n\n") + 1
    return round(_line_count(text, per_line) * line) + blocks * _BLOCK_GAP
