"""The app's look: Fusion style, a light and a dark palette, a few semantic colours.

Widgets never hard-code colours: they read the application palette, or ask
`semantic_colours()` for the meaning-bearing ones (error, success, warning, muted),
which come in a light and a dark variant, each legible on its own background
(WCAG contrast ≥ 4.5:1 for text; checked by tests/gui/style/test_theme.py).

Fusion is wrapped in `FieldFrameStyle` (style/field_frames.py), so input fields keep
a visible edge on the dark palette and look disabled when they are. A tiny
stylesheet does only what a palette cannot: rounded "card" frames
(`frame.setProperty("card", True)`), the primary button
(`button.setProperty("primary", True)`) and inline problem labels
(`label.setProperty("role", "error" | "hint" | "muted")`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

THEMES: tuple[str, ...] = ("system", "light", "dark")
DEFAULT_FONT_SIZE = 10
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 24

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

# name: (light, dark). Chosen for ≥ 4.5:1 against the matching Base/Window colours.
_LIGHT = {
    "window": "#f4f5f7",
    "window_text": "#1f2328",
    "base": "#ffffff",
    "alternate_base": "#f0f2f5",
    "text": "#1f2328",
    "button": "#e9ebef",
    "button_text": "#1f2328",
    "bright_text": "#ffffff",
    "highlight": "#2f6fdb",
    "highlighted_text": "#ffffff",
    "link": "#0b5cc4",
    "link_visited": "#6b3fb5",
    "tooltip_base": "#2b2f36",
    "tooltip_text": "#f4f5f7",
    "placeholder": "#6b7280",
    "disabled_text": "#7b828d",
    "disabled_button": "#eceef1",
    "light": "#ffffff",
    "midlight": "#e4e7eb",
    "mid": "#c3c8cf",
    "dark": "#9aa1ab",
    "shadow": "#5c636e",
    "accent": "#2f6fdb",
}
_DARK = {
    "window": "#1e2126",
    "window_text": "#e6e8eb",
    "base": "#16181c",
    "alternate_base": "#23262c",
    "text": "#e6e8eb",
    "button": "#2c3037",
    "button_text": "#e6e8eb",
    "bright_text": "#ffffff",
    "highlight": "#336fd6",
    "highlighted_text": "#ffffff",
    "link": "#7fb0ff",
    "link_visited": "#c3a6ff",
    "tooltip_base": "#f0f1f3",
    "tooltip_text": "#1f2328",
    "placeholder": "#8b929c",
    "disabled_text": "#8a9099",
    "disabled_button": "#262a30",
    "light": "#2a2e35",
    "midlight": "#30343b",
    "mid": "#4a5059",
    "dark": "#111316",
    "shadow": "#000000",
    "accent": "#336fd6",
}


@dataclass(frozen=True, slots=True)
class SemanticColours:
    """Colours that carry a meaning; each is legible on the palette's Base and Window."""

    error: QColor
    success: QColor
    warning: QColor
    muted: QColor
    #: A soft background for hint banners and cards.
    hint_background: QColor


_SEMANTIC_LIGHT = ("#b42318", "#166534", "#8a4b00", "#5b6270", "#e8f0fd")
_SEMANTIC_DARK = ("#ff8a80", "#6fdc8c", "#f5c26b", "#a3aab5", "#1f2f4a")


def light_palette() -> QPalette:
    return _palette(_LIGHT)


def dark_palette() -> QPalette:
    return _palette(_DARK)


def _palette(c: dict[str, str]) -> QPalette:
    pal = QPalette()
    roles = {
        _Role.Window: "window",
        _Role.WindowText: "window_text",
        _Role.Base: "base",
        _Role.AlternateBase: "alternate_base",
        _Role.Text: "text",
        _Role.Button: "button",
        _Role.ButtonText: "button_text",
        _Role.BrightText: "bright_text",
        _Role.Highlight: "highlight",
        _Role.HighlightedText: "highlighted_text",
        _Role.Link: "link",
        _Role.LinkVisited: "link_visited",
        _Role.ToolTipBase: "tooltip_base",
        _Role.ToolTipText: "tooltip_text",
        _Role.PlaceholderText: "placeholder",
        _Role.Light: "light",
        _Role.Midlight: "midlight",
        _Role.Mid: "mid",
        _Role.Dark: "dark",
        _Role.Shadow: "shadow",
        _Role.Accent: "accent",
    }
    for role, name in roles.items():
        pal.setColor(role, QColor(c[name]))
    disabled = QColor(c["disabled_text"])
    for role in (_Role.WindowText, _Role.Text, _Role.ButtonText, _Role.HighlightedText):
        pal.setColor(_Group.Disabled, role, disabled)
    pal.setColor(_Group.Disabled, _Role.Button, QColor(c["disabled_button"]))
    # A disabled field must look disabled, not like an empty one waiting for input.
    pal.setColor(_Group.Disabled, _Role.Base, QColor(c["window"]))
    # A disabled selection keeps the window colour: grey-on-blue would be unreadable.
    pal.setColor(_Group.Disabled, _Role.Highlight, QColor(c["midlight"]))
    # An inactive window keeps its selection visible (Fusion greys it otherwise).
    pal.setColor(_Group.Inactive, _Role.Highlight, QColor(c["highlight"]))
    pal.setColor(_Group.Inactive, _Role.HighlightedText, QColor(c["highlighted_text"]))
    return pal


def _stylesheet(dark: bool) -> str:
    colours = semantic_colours(dark)
    border = _DARK["mid"] if dark else _LIGHT["mid"]
    card = _DARK["alternate_base"] if dark else _LIGHT["base"]
    return f"""
QFrame[card="true"] {{
    background: {card};
    border: 1px solid {border};
    border-radius: 8px;
}}
QPushButton[primary="true"] {{
    background: palette(highlight);
    color: palette(highlighted-text);
    border: 1px solid palette(highlight);
    border-radius: 5px;
    padding: 6px 18px;
    font-weight: bold;
}}
QPushButton[primary="true"]:hover {{ background: {QColor(_accent(dark)).lighter(112).name()}; }}
QPushButton[primary="true"]:focus {{ border: 2px solid palette(window-text); }}
QPushButton[primary="true"]:disabled {{
    background: palette(button);
    color: palette(disabled, button-text);
    border: 1px solid {border};
}}
QPushButton[link="true"] {{
    color: palette(link);
    border: none;
    padding: 0 4px;
    text-decoration: underline;
}}
QPushButton[link="true"]:focus {{ border: 1px dotted palette(link); }}
QListView#seatList::item {{ padding: 3px 2px; }}
QLabel[heading="true"] {{ font-weight: bold; }}
QLabel[role="error"] {{ color: {colours.error.name()}; }}
QLabel[role="success"] {{ color: {colours.success.name()}; }}
QLabel[role="warning"] {{ color: {colours.warning.name()}; }}
QLabel[role="muted"] {{ color: {colours.muted.name()}; }}
QLabel[role="hint"] {{
    background: {colours.hint_background.name()};
    border: 1px solid {border};
    border-radius: 6px;
    padding: 6px 10px;
}}
"""


def _accent(dark: bool) -> str:
    return _DARK["highlight"] if dark else _LIGHT["highlight"]


def system_prefers_dark(app: QGuiApplication) -> bool:
    """What the platform asks for; light when it does not say (Qt < 6.5 or unknown)."""
    hints = app.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is None:
        return False
    return bool(scheme() == Qt.ColorScheme.Dark)


def apply_theme(app: QApplication, theme: str, font_size: int = DEFAULT_FONT_SIZE) -> bool:
    """Give the whole app the Fusion style and the chosen palette; True when dark.

    `theme` is "system", "light" or "dark" (anything else counts as "system").
    Safe to call again at any time: widgets repaint with the new palette at once.
    """
    dark = theme == "dark" or (theme not in ("light", "dark") and system_prefers_dark(app))
    # Once is enough: with a style sheet in force `app.style()` is a wrapper whose
    # name is empty, and setting the style again would re-polish every widget.
    if app.property("roundtable_fusion") is not True:
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            from roundtable.gui.style.field_frames import FieldFrameStyle

            app.setStyle(FieldFrameStyle(fusion))
            app.setProperty("roundtable_fusion", True)
    app.setPalette(dark_palette() if dark else light_palette())
    font = QFont(app.font())
    font.setPointSize(max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, int(font_size))))
    app.setFont(font)
    app.setStyleSheet(_stylesheet(dark))
    app.setProperty("roundtable_dark", dark)
    return dark


def is_dark(source: QApplication | QGuiApplication | QWidget | QPalette | None = None) -> bool:
    """Whether the palette in force is a dark one (light text on a dark window)."""
    palette = _palette_of(source)
    window = palette.color(_Role.Window)
    text = palette.color(_Role.WindowText)
    return window.lightnessF() < text.lightnessF()


def semantic_colours(
    source: bool | QApplication | QGuiApplication | QWidget | QPalette | None = None,
) -> SemanticColours:
    """The semantic colours for a dark (True) or light (False) look, or for a palette."""
    dark = source if isinstance(source, bool) else is_dark(source)
    error, success, warning, muted, hint = _SEMANTIC_DARK if dark else _SEMANTIC_LIGHT
    return SemanticColours(
        error=QColor(error),
        success=QColor(success),
        warning=QColor(warning),
        muted=QColor(muted),
        hint_background=QColor(hint),
    )


def _palette_of(source: QApplication | QGuiApplication | QWidget | QPalette | None) -> QPalette:
    if isinstance(source, QPalette):
        return source
    if isinstance(source, QWidget):
        return source.palette()
    return QGuiApplication.palette()


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1.0 .. 21.0)."""
    la, lb = _luminance(a), _luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def set_role(widget: QWidget, role: str) -> None:
    """Mark a label "error", "success", "warning", "muted" or "hint" and restyle it now."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    # A dynamic property is only read when the style polishes the widget again.
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
