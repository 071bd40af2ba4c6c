"""Where the transcript's reader stands: at the newest text, or at a row they scrolled to.

The transcript follows the newest text only while the reader is at the bottom; scrolling
up to read is never undone. Rows above change height as they are measured or stream, so
the place is kept as the row at the top of the view and how far into it the view starts,
not as a pixel offset: the view is put back there after each pass, and what the reader
was reading stays where it was.
"""

from __future__ import annotations

from roundtable.gui.debate.transcript_rows import RowKey, TranscriptRows

#: Within this many pixels of the end counts as "at the bottom".
_BOTTOM_SLACK = 24


class ReadingPosition:
    """The view's place over `rows`, whose first row starts `top` pixels down the scrolled
    surface and whose last ends `bottom` pixels above its end."""

    def __init__(self, rows: TranscriptRows, *, top: int, bottom: int) -> None:
        self._rows = rows
        self._top = top
        self._bottom = bottom
        #: True while the view sticks to the newest text.
        self.following = True
        #: The row at the top of the view and how far the view's top is below it.
        self._anchor: tuple[RowKey, int] | None = None

    def follow(self) -> None:
        """Stand at the end, following the newest text."""
        self.following = True
        self._anchor = None

    def hold_at(self, key: RowKey) -> None:
        """Stand with row `key` at the top of the view, and stay there."""
        self.following = False
        self._anchor = (key, 0)

    def scrolled(self, value: int, maximum: int) -> None:
        """The reader moved the view to `value` (of `maximum`)."""
        self.following = value >= maximum - _BOTTOM_SLACK
        self.remember(value)

    def wanted_value(self, height: int, current: int) -> int:
        """Where a view `height` tall, now at `current`, should stand: at the end while
        following, else where the row at its top still is at the top."""
        end = max(0, self._top + self._rows.total + self._bottom - height)
        if self.following or self._anchor is None:
            return end
        key, offset = self._anchor
        i = self._rows.index(key)
        if i is None:
            return min(end, current)
        return max(0, min(end, self._top + self._rows.top(i) + offset))

    def remember(self, value: int) -> None:
        """The view stands at `value`: note the row at its top."""
        if not self._rows.keys:
            self._anchor = None
            return
        i = self._rows.at(value - self._top)
        self._anchor = (self._rows.keys[i], value - self._top - self._rows.top(i))
