"""How one debate is drawn in the history list.

    ┌────────────────────────────────────────────────┐
    │ The title of the debate, on up to two lines,   │
    │ then elided…                                   │
    │ (✓ agreed) 3 seats · 2 rounds · roundtable  today 14:02 │
    │ Answer: 42                               $0.02 │
    │ …the snippet with **matched** words (searching)│
    └────────────────────────────────────────────────┘

Everything is measured from the view's font (so it scales with the user's font size
and the screen's DPI) and coloured from its palette and the theme's semantic colours
(so it reads on light and dark). The title is renamed in place with a line edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from roundtable.gui.history.model import (
    BadgeRole,
    DateRole,
    DepthRole,
    SnippetRole,
    SummaryRole,
)
from roundtable.gui.history.summary_text import (
    AGREED,
    CANCELLED,
    FAILED,
    RUNNING,
    cost_text,
    display_title,
    meta_text,
    outcome_text,
)
from roundtable.gui.history.threads import MAX_INDENT_DEPTH
from roundtable.gui.style.colours import blend
from roundtable.gui.style.painting import item_background
from roundtable.gui.style.theme import semantic_colours
from roundtable.storage.records import DebateSummary

_Index = QModelIndex | QPersistentModelIndex
_Role = QPalette.ColorRole
_TOKEN = re.compile(r"\S+\s*|\s+")
#: Lines of snippet shown under a search result.
SNIPPET_LINES = 2


@dataclass(frozen=True, slots=True)
class _Fonts:
    title: QFont
    body: QFont
    small: QFont
    small_bold: QFont

    @classmethod
    def of(cls, base: QFont) -> _Fonts:
        title = QFont(base)
        title.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9 if base.pointSizeF() > 0 else 9)
        small_bold = QFont(small)
        small_bold.setWeight(QFont.Weight.Bold)
        return cls(title, QFont(base), small, small_bold)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where each line of an item goes, for a given font and item rectangle."""

    pad_x: int
    pad_y: int
    gap: int
    title_h: int
    badge_h: int
    body_h: int
    small_h: int

    @classmethod
    def of(cls, fonts: _Fonts) -> _Layout:
        small_h = QFontMetrics(fonts.small).height()
        return cls(
            pad_x=max(8, small_h * 2 // 3),
            pad_y=max(6, small_h // 2),
            gap=max(2, small_h // 5),
            title_h=QFontMetrics(fonts.title).height(),
            badge_h=QFontMetrics(fonts.small_bold).height() + 4,
            body_h=QFontMetrics(fonts.body).height(),
            small_h=small_h,
        )

    def height(self, title_lines: int, snippet: bool) -> int:
        lines = title_lines * self.title_h + self.badge_h + self.body_h + 2 * self.gap
        if snippet:
            lines += self.gap + SNIPPET_LINES * self.small_h
        return lines + 2 * self.pad_y + 1  # + the hairline between items

    def indent(self, index: _Index) -> int:
        """How far a fork or follow-up steps right under its parent."""
        depth = index.data(DepthRole)
        steps = min(depth, MAX_INDENT_DEPTH) if isinstance(depth, int) else 0
        return steps * self.small_h

    def title_rect(self, rect: QRect) -> QRect:
        return QRect(
            rect.left() + self.pad_x,
            rect.top() + self.pad_y,
            rect.width() - 2 * self.pad_x,
            self.title_h,
        )


def wrap_title(title: str, metrics: QFontMetrics, width: int) -> list[str]:
    """The title on at most two lines of `width` pixels, the second elided."""
    words = title.split(" ")
    first = ""
    for i, word in enumerate(words):
        candidate = f"{first} {word}" if first else word
        if metrics.horizontalAdvance(candidate) <= width:
            first = candidate
            continue
        if not first:  # a first word wider than the line: one elided line
            return [metrics.elidedText(title, Qt.TextElideMode.ElideRight, width)]
        rest = " ".join(words[i:])
        return [first, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
    return [first]


class HistoryDelegate(QStyledItemDelegate):
    """Paints a `HistoryModel` row; edits its title in place. No signals."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fonts = _Fonts.of(option.font)
        layout = _Layout.of(fonts)
        summary = index.data(SummaryRole)
        # The item is as wide as the view (the list re-lays out on resize), which
        # decides whether the title needs its second line.
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else 0
        width = (width or option.rect.width() or 300) - 2 * layout.pad_x - layout.indent(index)
        title = display_title(summary) if isinstance(summary, DebateSummary) else ""
        lines = len(wrap_title(title, QFontMetrics(fonts.title), width))
        return QSize(200, layout.height(lines, index.data(SnippetRole) is not None))

    # ------------------------------------------------------------------ painting
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        summary = index.data(SummaryRole)
        if not isinstance(summary, DebateSummary):
            super().paint(painter, option, index)
            return
        with item_background(self, painter, option, index) as opt:
            indent = _Layout.of(_Fonts.of(opt.font)).indent(index)
            if indent:
                _thread_line(painter, opt, indent)
                opt.rect = opt.rect.adjusted(indent, 0, 0, 0)
            _Painter(painter, opt, summary, index).draw()

    # ------------------------------------------------------------------ renaming
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAccessibleName("Debate title")
        editor.setPlaceholderText("Title of the debate")
        editor.setFont(_Fonts.of(option.font).title)
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: object, index: _Index) -> None:
        if isinstance(editor, QLineEdit) and hasattr(model, "setData"):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> None:
        layout = _Layout.of(_Fonts.of(option.font))
        rect = layout.title_rect(option.rect.adjusted(layout.indent(index), 0, 0, 0))
        grow = max(3, layout.gap + 1)
        editor.setGeometry(rect.adjusted(-grow, -grow, grow, grow))


def _thread_line(painter: QPainter, opt: QStyleOptionViewItem, indent: int) -> None:
    """A quiet rule down the indent: this debate continues the one above it."""
    selected = bool(opt.state & QStyle.StateFlag.State_Selected)
    text = opt.palette.color(_Role.HighlightedText if selected else _Role.Text)
    base = opt.palette.color(_Role.Highlight if selected else _Role.Base)
    painter.setPen(blend(base, text, 0.35))
    x = opt.rect.left() + indent - max(3, indent // 3)
    painter.drawLine(x, opt.rect.top() + 4, x, opt.rect.bottom() - 4)


class _Painter:
    """One item's paint job (kept apart so `paint` stays readable)."""

    def __init__(
        self,
        painter: QPainter,
        opt: QStyleOptionViewItem,
        summary: DebateSummary,
        index: _Index,
    ) -> None:
        self.p = painter
        self.summary = summary
        self.index = index
        self.fonts = _Fonts.of(opt.font)
        self.layout = _Layout.of(self.fonts)
        self.rect = opt.rect
        pal = opt.palette
        self.selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        self.palette = pal
        background = pal.color(_Role.Highlight if self.selected else _Role.Base)
        self.background = background
        self.text = pal.color(_Role.HighlightedText if self.selected else _Role.Text)
        self.muted = (
            blend(self.text, background, 0.25)
            if self.selected
            else semantic_colours(pal).muted  # legible (≥ 4.5:1) on both themes
        )

    def draw(self) -> None:
        lay = self.layout
        left = self.rect.left() + lay.pad_x
        width = self.rect.width() - 2 * lay.pad_x
        y = self.rect.top() + lay.pad_y
        title_lines = wrap_title(display_title(self.summary), QFontMetrics(self.fonts.title), width)
        for line in title_lines:
            self._text(QRect(left, y, width, lay.title_h), line, self.fonts.title)
            y += lay.title_h
        y += lay.gap
        self._badge_line(QRect(left, y, width, lay.badge_h))
        y += lay.badge_h + lay.gap
        self._outcome_line(QRect(left, y, width, lay.body_h))
        y += lay.body_h
        segments = self.index.data(SnippetRole)
        if segments is not None:
            y += lay.gap
            self._snippet(QRect(left, y, width, SNIPPET_LINES * lay.small_h), segments)
        if not self.selected:
            self.p.setPen(
                blend(self.palette.color(_Role.Base), self.palette.color(_Role.Text), 0.1)
            )
            bottom = self.rect.bottom()
            self.p.drawLine(
                self.rect.left() + lay.pad_x, bottom, self.rect.right() - lay.pad_x, bottom
            )

    def _text(
        self,
        rect: QRect,
        text: str,
        font: QFont,
        colour: QColor | None = None,
        *,
        right: bool = False,
    ) -> int:
        """Draw one elided line; return the width it took."""
        metrics = QFontMetrics(font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, rect.width()))
        self.p.setFont(font)
        self.p.setPen(colour or self.text)
        align = Qt.AlignmentFlag.AlignVCenter | (
            Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
        )
        self.p.drawText(rect, align | Qt.TextFlag.TextSingleLine, shown)
        return metrics.horizontalAdvance(shown)

    def _outcome_line(self, rect: QRect) -> None:
        cost = cost_text(self.summary.cost_usd)
        cost_w = self._text(rect, cost, self.fonts.small, self.muted, right=True)
        room = QRect(
            rect.left(), rect.top(), rect.width() - cost_w - self.layout.pad_x, rect.height()
        )
        self._text(room, outcome_text(self.summary), self.fonts.body)

    def _badge_line(self, rect: QRect) -> None:
        words, kind = self.index.data(BadgeRole)
        colour = self._badge_colour(kind)
        metrics = QFontMetrics(self.fonts.small_bold)
        pad = max(5, rect.height() // 3)
        pill = QRectF(
            rect.left(), rect.top(), metrics.horizontalAdvance(words) + 2 * pad, rect.height()
        )
        if self.selected:
            fill = blend(self.background, self.text, 0.22)
            edge, ink = fill, self.text
        else:
            fill = blend(self.background, colour, 0.14)
            edge, ink = blend(self.background, colour, 0.45), colour
        self.p.setPen(edge)
        self.p.setBrush(fill)
        radius = pill.height() / 2
        self.p.drawRoundedRect(pill.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        self.p.setBrush(Qt.BrushStyle.NoBrush)
        self.p.setFont(self.fonts.small_bold)
        self.p.setPen(ink)
        self.p.drawText(pill, Qt.AlignmentFlag.AlignCenter, words)

        date = str(self.index.data(DateRole) or "")
        date_w = self._text(rect, date, self.fonts.small, self.muted, right=True)
        gap = self.layout.pad_x * 2 // 3
        meta_left = int(pill.right()) + gap
        meta = QRect(meta_left, rect.top(), rect.right() - meta_left - date_w - gap, rect.height())
        meta_words = meta_text(self.summary)
        if QFontMetrics(self.fonts.small).horizontalAdvance(meta_words) > meta.width():
            # "r…" says nothing: drop the protocol (the last part) before eliding.
            meta_words = meta_words.rpartition(" · ")[0]
        self._text(meta, meta_words, self.fonts.small, self.muted)

    def _badge_colour(self, kind: str) -> QColor:
        colours = semantic_colours(self.palette)
        if kind == AGREED:
            return colours.success
        if kind == FAILED:
            return colours.error
        if kind == CANCELLED:
            return colours.muted
        if kind == RUNNING:
            return self.palette.color(_Role.Link)
        return colours.warning  # no consensus, interrupted

    def _snippet(self, rect: QRect, segments: list[tuple[str, bool]]) -> None:
        """Flow the snippet over its lines, matched words bold on a marker; elide the end."""
        room = rect.width()
        lines: list[list[tuple[str, bool, int]]] = [[]]
        x, truncated = 0, False
        for text, matched in segments:
            for word in _TOKEN.findall(text):
                token, width = word, self._advance(word, matched)
                if x + self._advance(token.rstrip(), matched) > room and x > 0:
                    if len(lines) == SNIPPET_LINES:
                        truncated = True
                        break
                    lines.append([])
                    x = 0
                    if token.isspace():
                        continue
                if width > room:  # one word wider than the line
                    token = self._metrics(matched).elidedText(
                        token, Qt.TextElideMode.ElideRight, room
                    )
                    width = self._advance(token, matched)
                lines[-1].append((token, matched, width))
                x += width
            if truncated:
                break
        if truncated:
            last, ellipsis = lines[-1], self._advance("…", False)
            while last and sum(w for _, _, w in last) + ellipsis > room:
                last.pop()
            if last:
                token, matched, _ = last.pop()
                last.append((token.rstrip(), matched, self._advance(token.rstrip(), matched)))
            last.append(("…", False, ellipsis))
        marker = (
            blend(self.background, self.text, 0.25)
            if self.selected
            else blend(self.palette.color(_Role.Base), self.palette.color(_Role.Highlight), 0.3)
        )
        line_h = self.layout.small_h
        for number, line in enumerate(lines):
            x = rect.left()
            for token, matched, width in line:
                self._word(
                    QRect(x, rect.top() + number * line_h, width, line_h), token, matched, marker
                )
                x += width

    def _metrics(self, matched: bool) -> QFontMetrics:
        return QFontMetrics(self.fonts.small_bold if matched else self.fonts.small)

    def _advance(self, text: str, matched: bool) -> int:
        return self._metrics(matched).horizontalAdvance(text)

    def _word(self, rect: QRect, token: str, matched: bool, marker: QColor) -> None:
        font = self.fonts.small_bold if matched else self.fonts.small
        if matched:
            word_w = QFontMetrics(font).horizontalAdvance(token.rstrip())
            box = QRectF(rect.left() - 1.5, rect.top() + 0.5, word_w + 3, rect.height() - 1)
            self.p.setPen(Qt.PenStyle.NoPen)
            self.p.setBrush(marker)
            self.p.drawRoundedRect(box, 3, 3)
            self.p.setBrush(Qt.BrushStyle.NoBrush)
        self.p.setFont(font)
        self.p.setPen(
            self.text if matched or self.selected else blend(self.text, self.background, 0.2)
        )
        self.p.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine, token)
