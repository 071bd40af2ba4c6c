"""Where the seats and the table go: cards around an oval, sized so nothing overlaps.

Card centres sit on an ellipse, evenly spaced by arc length (equal angles would crowd
the cards at the narrow ends of a wide ellipse). The largest card size whose cards do
not touch wins; the table is then the largest oval, concentric with the seats' ellipse,
that clears every card. Pure geometry: computed once per size and seat count.
"""

from __future__ import annotations

import enum
import functools
import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF

#: Card widths tried, widest first; heights follow from `card_height`.
MAX_CARD_WIDTH = 250.0
MIN_CARD_WIDTH = 92.0
#: How wide a card may grow beside its height (a long name or answer, a state badge).
WIDEST_CARD = 320.0
_MARGIN = 6.0  # between the widget's edge and a card
_GAP = 6.0  # between two cards
_TABLE_GAP = 10.0  # between the table and the nearest card
_SAMPLES = 240  # points on the ellipse used to measure arc length
#: Widening short cards may take this share of the table text's height, no more.
_TEXT_HEIGHT_GIVEN = 0.85


class CardDetail(enum.IntEnum):
    """How much a card has room to show."""

    TINY = 0  # name and answer on one line each
    COMPACT = 1  # + state badge and a thin confidence bar
    FULL = 2  # + model line and a labelled confidence bar


@dataclass(frozen=True, slots=True)
class TableLayout:
    cards: tuple[QRectF, ...]
    table: QRectF
    detail: CardDetail

    @property
    def table_text_rect(self) -> QRectF:
        """The part of the oval where text fits (a rectangle inscribed in it)."""
        centre = self.table.center()
        width = self.table.width() * 0.8
        height = self.table.height() * 0.6
        return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)


def card_height(width: float) -> float:
    return max(52.0, min(118.0, round(width * 0.5)))


def detail_for(height: float) -> CardDetail:
    if height >= 88:
        return CardDetail.FULL
    if height >= 62:
        return CardDetail.COMPACT
    return CardDetail.TINY


@functools.lru_cache(maxsize=64)
def table_layout(width: float, height: float, seats: int) -> TableLayout:
    """Cards and table for `seats` seats in a `width` x `height` widget.

    For each arrangement, the largest cards that leave the table room for its text are
    found by bisection (smaller cards only ever leave more room); the biggest cards
    win, with a small handicap for the less balanced arrangements. When no size
    leaves room, the smallest cards do.
    """
    if seats <= 0:
        return _finish(width, height, ())
    want = (min(380.0, max(180.0, width * 0.28)), min(110.0, max(60.0, height * 0.22)))
    best: tuple[float, tuple[float, float], list[_Box]] | None = None
    for rank, start in enumerate(_start_angles(seats)):
        found = _largest_cards(width, height, seats, start, want)
        if found is not None:
            score = found[0][2] * (1.0 - 0.05 * rank)
            if best is None or score > best[0]:
                best = (score, start, found)
    if best is None:
        start, cards = _smallest(width, height, seats)
    else:
        _, start, cards = best
    return _finish(width, height, _widest(width, height, cards, start=start, want=want))


def _largest_cards(
    width: float,
    height: float,
    seats: int,
    start: tuple[float, float],
    want: tuple[float, float],
) -> list[_Box] | None:
    low, high = MIN_CARD_WIDTH, min(MAX_CARD_WIDTH, max(MIN_CARD_WIDTH, width / 2 - _MARGIN))
    found = _arrangement(width, height, seats, card_w=high, start=start, want=want)
    if found is not None:
        return found
    found = _arrangement(width, height, seats, card_w=low, start=start, want=want)
    if found is None:
        return None
    while high - low > 4.0:
        middle = (low + high) / 2
        candidate = _arrangement(width, height, seats, card_w=middle, start=start, want=want)
        if candidate is None:
            high = middle
        else:
            low, found = middle, candidate
    return found


def _widest(
    width: float,
    height: float,
    cards: list[_Box],
    *,
    start: tuple[float, float],
    want: tuple[float, float],
) -> list[_Box]:
    """The same cards made as wide as the room allows, their height kept.

    A short table (a low window, the splitter dragged up, a person's panel open) limits
    the cards' height, and with it, by their proportions, their width: names and
    answers were cut ("fak…", "9…") with hundreds of pixels free beside them. Wider
    cards must still stand free and leave the table the width it wanted (or had) and
    nearly the height: a few pixels of the table's text block (its status line goes
    first) are worth a card that can show its seat's name and answer.
    """
    if not cards or _overlapping(cards):
        return cards
    seats, card_h = len(cards), cards[0][3]
    had = _text_size(_table_for(width, height, cards))
    want = (min(want[0], had[0]), min(want[1], had[1]) * _TEXT_HEIGHT_GIVEN)
    low, high = cards[0][2], min(WIDEST_CARD, width / 2 - _MARGIN)
    if high - low < 4.0:
        return cards
    wide = _arrangement(width, height, seats, card_w=high, start=start, want=want, card_h=card_h)
    if wide is not None:
        return wide
    while high - low > 4.0:
        middle = (low + high) / 2
        candidate = _arrangement(
            width, height, seats, card_w=middle, start=start, want=want, card_h=card_h
        )
        if candidate is None:
            high = middle
        else:
            low, cards = middle, candidate
    return cards


def _arrangement(
    width: float,
    height: float,
    seats: int,
    *,
    card_w: float,
    start: tuple[float, float],
    want: tuple[float, float],
    card_h: float | None = None,
) -> list[_Box] | None:
    """Cards `card_w` wide (and `card_h` high, else in proportion) placed from `start`,
    if they stand free and leave `want` room."""
    size = (card_w, card_height(card_w) if card_h is None else card_h)
    cards = _place(width, height, seats, size, start)
    if cards is None or _overlapping(cards):
        return None
    text_w, text_h = _text_size(_table_for(width, height, cards))
    return cards if text_w >= want[0] and text_h >= want[1] else None


def _smallest(width: float, height: float, seats: int) -> tuple[tuple[float, float], list[_Box]]:
    """The smallest cards, placed for the most table (they may touch when space is short),
    and where they start."""
    size = (MIN_CARD_WIDTH, card_height(MIN_CARD_WIDTH))
    options = [
        (start, cards)
        for start in _start_angles(seats)
        if (cards := _place(width, height, seats, size, start)) is not None
    ]
    if not options:
        return _start_angles(seats)[0], []
    free = [option for option in options if not _overlapping(option[1])] or options
    return max(free, key=lambda option: _text_size(_table_for(width, height, option[1]))[1])


# A rectangle as (left, top, width, height): the search makes thousands of them, and
# plain tuples keep it to a few milliseconds.
_Box = tuple[float, float, float, float]


def _finish(width: float, height: float, cards: list[_Box] | tuple[()]) -> TableLayout:
    # Seats go clockwise; the first one sits where people start reading: top, then left.
    if cards:
        first = min(range(len(cards)), key=lambda i: (round(cards[i][1]), cards[i][0]))
        cards = [*cards[first:], *cards[:first]]
    rects = tuple(QRectF(*box) for box in cards)
    table = _table_for(width, height, list(cards))
    detail = detail_for(rects[0].height()) if rects else CardDetail.FULL
    return TableLayout(rects, QRectF(*table), detail)


def _text_size(table: _Box) -> tuple[float, float]:
    return table[2] * 0.8, table[3] * 0.6


def _start_angles(seats: int) -> tuple[tuple[float, float], ...]:
    """Where the first seat sits: on an axis (left or top), or half a step past it.

    Every option is symmetric about an axis; the most balanced look comes first (half
    a step past the top: two seats at the top corners, a hexagon for six...). Two seats
    face each other across the width, where a wide widget has room.
    """
    if seats == 2:
        return ((math.pi, 0.0),)
    return ((-math.pi / 2, 0.5), (math.pi, 0.0), (math.pi, 0.5), (-math.pi / 2, 0.0))


def _place(
    width: float, height: float, seats: int, size: tuple[float, float], start: tuple[float, float]
) -> list[_Box] | None:
    card_w, card_h = size
    rx = width / 2 - card_w / 2 - _MARGIN
    ry = height / 2 - card_h / 2 - _MARGIN
    if rx <= 0 or ry <= 0:
        return None
    cx, cy = width / 2, height / 2
    return [
        (cx + rx * math.cos(t) - card_w / 2, cy + ry * math.sin(t) - card_h / 2, card_w, card_h)
        for t in _even_params(rx, ry, seats, *start)
    ]


def _even_params(rx: float, ry: float, count: int, start: float, offset: float) -> list[float]:
    """Ellipse parameters of `count` points equally spaced by arc length.

    The first point is `offset` steps (of arc length) past the parameter `start`;
    measuring the offset in arc length too keeps the arrangement symmetric.
    """
    step = 2 * math.pi / _SAMPLES
    lengths = [0.0]
    x0, y0 = rx * math.cos(start), ry * math.sin(start)
    for i in range(1, _SAMPLES + 1):
        t = start + i * step
        x1, y1 = rx * math.cos(t), ry * math.sin(t)
        lengths.append(lengths[-1] + math.hypot(x1 - x0, y1 - y0))
        x0, y0 = x1, y1
    total = lengths[-1]
    params = []
    j = 0
    for k in range(count):
        target = total * (k + offset) / count
        while j < _SAMPLES and lengths[j + 1] < target:
            j += 1
        span = lengths[j + 1] - lengths[j] or 1.0
        params.append(start + (j + (target - lengths[j]) / span) * step)
    return params


def _overlapping(cards: list[_Box]) -> bool:
    for i, (ax, ay, aw, ah) in enumerate(cards):
        for bx, by, bw, bh in cards[i + 1 :]:
            if (
                ax < bx + bw + _GAP
                and bx < ax + aw + _GAP
                and ay < by + bh + _GAP
                and by < ay + ah + _GAP
            ):
                return True
    return False


def _table_for(width: float, height: float, cards: list[_Box]) -> _Box:
    """The largest oval around the centre that clears every card.

    A few shapes are tried (as wide as the widget, rounder, flatter); the one whose
    inscribed text block is largest wins.
    """
    best: tuple[float, _Box] | None = None
    for narrow, flat in ((1.0, 1.0), (0.75, 1.0), (0.55, 1.0), (1.0, 0.8)):
        a = max(1.0, (width / 2 - _MARGIN) * narrow)
        b = max(1.0, (height / 2 - _MARGIN) * flat)
        oval = _oval_clear_of(width, height, a, b, cards)
        text_w, text_h = _text_size(oval)
        score = min(text_w, 520.0) * text_h
        if best is None or score > best[0]:
            best = (score, oval)
    assert best is not None
    return best[1]


def _oval_clear_of(width: float, height: float, a: float, b: float, cards: list[_Box]) -> _Box:
    cx, cy = width / 2, height / 2
    scale = 1.0
    for left, top, w, h in cards:
        # In coordinates where the oval is a unit circle, the card's nearest point to the
        # centre is the centre clamped into the card: its distance is the scale that touches.
        dx = _axis_distance(left - _TABLE_GAP - cx, left + w + _TABLE_GAP - cx) / a
        dy = _axis_distance(top - _TABLE_GAP - cy, top + h + _TABLE_GAP - cy) / b
        scale = min(scale, math.hypot(dx, dy))
    return (cx - a * scale, cy - b * scale, 2 * a * scale, 2 * b * scale)


def _axis_distance(low: float, high: float) -> float:
    """Distance from 0 to the span [low, high] on one axis."""
    if low <= 0 <= high:
        return 0.0
    return min(abs(low), abs(high))
