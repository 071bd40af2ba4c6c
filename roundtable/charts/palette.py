"""The colours and shapes of charts, and the seat colours the whole app uses.

Colour is never the only cue: every series also has its own marker and line style,
and every cell and bar carries its value as text, so a reader who cannot tell two
hues apart still reads the chart.

- Seats: their identity colours, the ones their cards have at the table (defined here
  once; `gui.style.colours` reads them too), a little lighter on a dark background.
- Answers: Paul Tol's "light" scheme, made for cells with dark text on top and
  distinguishable with the common colour-vision deficiencies.
- Baselines: greys, dashed or dotted, with markers no seat uses: they read as
  references, never as one more seat.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.typing import LineStyleType

#: Seat colours, in table order: distinct hues of middle lightness (after Okabe-Ito and
#: Tableau 10), so neighbours differ and each reads on white and on near-black.
SEAT_HEX: tuple[str, ...] = (
    "#3d8fd6",  # blue
    "#e0803a",  # orange
    "#3fae7b",  # green
    "#d9576b",  # rose
    "#9a72d1",  # violet
    "#c9a227",  # ochre
    "#2fb3b8",  # teal
    "#c46db0",  # magenta
    "#7f9a3a",  # olive
    "#a7785a",  # brown
    "#6c8ebf",  # slate blue
    "#d98c9f",  # pink
)

#: How much lighter a seat's colour is on a dark background (Qt's `lighter()` factor).
DARK_LIGHTER = 118

#: Fills of answer cells and bars (Tol "light"); text on them is always dark.
ANSWER_FILLS: tuple[str, ...] = (
    "#77aadd",  # light blue
    "#ee8866",  # orange
    "#eedd88",  # light yellow
    "#ffaabb",  # pink
    "#99ddff",  # light cyan
    "#44bb99",  # mint
    "#bbcc33",  # pear
    "#aaaa00",  # olive
)
#: Text drawn on an answer fill.
ON_FILL = "#1f2328"

#: Baselines: two greys per theme, each readable on its background.
_BASELINE_LIGHT = ("#6e7781", "#3d444d", "#8c959f")
_BASELINE_DARK = ("#8b949e", "#c9d1d9", "#6e7681")

#: The table's marker; seats cycle through theirs, baselines through their own, so the
#: shape alone tells every series apart.
TABLE_MARKER = "o"
SEAT_MARKERS = ("s", "^", "D", "v", "P", "X", "<", ">", "p", "h")
BASELINE_MARKERS = ("*", "d", "H")
BASELINE_DASHES: tuple[LineStyleType, ...] = ("--", ":", "-.")


@dataclass(frozen=True, slots=True)
class ChartTheme:
    """The colours and type size of a chart. The app builds one from its palette;
    the HTML exports draw each chart twice, `LIGHT` and `DARK`, and let the page's
    colour scheme pick."""

    dark: bool
    background: str
    foreground: str
    muted: str
    grid: str
    #: Points; the app passes its own font size so charts read like the rest of it.
    font_size: float = 10.0

    def seat_colour(self, index: int) -> str:
        return seat_hex(index, dark=self.dark)

    def baseline_colour(self, index: int) -> str:
        colours = _BASELINE_DARK if self.dark else _BASELINE_LIGHT
        return colours[index % len(colours)]

    @property
    def table_colour(self) -> str:
        """The table itself is drawn in the text colour: it stands apart from every seat."""
        return self.foreground

    @property
    def empty_fill(self) -> str:
        """A cell with no answer (a failed or missing turn)."""
        return self.grid


#: The HTML exports' own colours (their page's light and dark schemes), so a chart
#: sits on the page without a box around it. The app builds its theme from its palette.
LIGHT = ChartTheme(
    dark=False, background="#ffffff", foreground="#1f2328", muted="#59636e", grid="#d1d9e0"
)
DARK = ChartTheme(
    dark=True, background="#0d1117", foreground="#e6edf3", muted="#9198a1", grid="#3d444d"
)


def seat_hex(index: int, *, dark: bool = False) -> str:
    """The identity colour of the seat at `index`; a little lighter on a dark background
    (the same arithmetic as Qt's `QColor.lighter`, so the app's cards and charts match)."""
    colour = SEAT_HEX[index % len(SEAT_HEX)]
    return lighter(colour, DARK_LIGHTER) if dark else colour


def answer_fill(index: int) -> str:
    return ANSWER_FILLS[index % len(ANSWER_FILLS)]


def lighter(colour: str, factor: int) -> str:
    """`colour` ("#rrggbb") with its HSV value times factor/100, as Qt's `lighter()`:
    a value past the top is taken out of the saturation instead."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    value *= factor / 100
    if value > 1.0:
        saturation = max(0.0, saturation - (value - 1.0))
        value = 1.0
    rgb = colorsys.hsv_to_rgb(hue, saturation, value)
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)
