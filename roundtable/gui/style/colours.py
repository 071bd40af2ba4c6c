"""Colours of identity and of surfaces: per provider, per seat, cards and hairlines.

Every colour is derived from the widget's palette or chosen to read on both a light and
a dark one, so the dark theme the main window sets needs nothing special here. Colours
are stable across runs: a provider keeps its colour, seat 3 keeps seat 3's. Colours
that carry a meaning (error, success, warning, muted) are not here: they come from
`theme.semantic_colours`, the one place that defines them for both themes.
"""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from roundtable.charts.palette import DARK_LIGHTER, SEAT_HEX
from roundtable.gui.style.theme import is_dark

#: Brand-like colours of the providers people will recognise; others get a stable hash.
_PROVIDER_HEX = {
    "openai": "#10a37f",
    "azure": "#0078d4",
    "anthropic": "#d97757",
    "gemini": "#4285f4",
    "vertex_ai": "#4285f4",
    "mistral": "#fa520f",
    "groq": "#f55036",
    "openrouter": "#6467f2",
    "ollama": "#8c8c8c",
    "lm_studio": "#4f7cff",
    "deepseek": "#4d6bfe",
    "xai": "#7a7a7a",
    "demo": "#9b6bd3",
}

#: Seat colours, in table order: defined with the charts' palette, so a seat's card and
#: its line in a chart share one colour.
_SEAT_HEX = SEAT_HEX

_FALLBACK_HEX = ("#5b8def", "#e58e3c", "#4caf7d", "#d4637a", "#9d7ad6", "#c9a22f", "#3fb1b5")


def provider_colour(provider: str) -> QColor:
    """The colour of a litellm provider prefix ("openai", "demo"); stable for unknown ones."""
    known = _PROVIDER_HEX.get(provider.lower())
    if known is not None:
        return QColor(known)
    # crc32, not hash(): Python salts str hashes per process, colours must not change.
    return QColor(_FALLBACK_HEX[zlib.crc32(provider.encode()) % len(_FALLBACK_HEX)])


def seat_colour(index: int, palette: QPalette | None = None) -> QColor:
    """The identity colour of the seat at `index`; a little lighter on a dark palette."""
    colour = QColor(_SEAT_HEX[index % len(_SEAT_HEX)])
    if palette is not None and is_dark(palette):
        colour = colour.lighter(DARK_LIGHTER)
    return colour


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` (0..1) toward `b`, alpha included."""
    t = min(1.0, max(0.0, t))
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        a.alphaF() + (b.alphaF() - a.alphaF()) * t,
    )


def surface(palette: QPalette, lift: float = 0.0) -> QColor:
    """A card's background: the base colour, lifted toward the text colour by `lift`."""
    return blend(
        palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), lift
    )


def border(palette: QPalette) -> QColor:
    """A hairline that shows on both themes (Mid is too faint on some dark palettes)."""
    return blend(
        palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText), 0.22
    )


def css(colour: QColor) -> str:
    """A colour as rich text understands it (`#rrggbb`)."""
    return colour.name(QColor.NameFormat.HexRgb)


def set_text_colour(widget: QWidget, colour: QColor) -> None:
    """Give a label its own text colour; the rest of its palette still follows the parent."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    palette.setColor(QPalette.ColorRole.Text, colour)
    widget.setPalette(palette)
