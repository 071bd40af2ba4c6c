"""The light and dark looks: legible everywhere, applied app-wide, system-aware."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from roundtable.domain import Seat
from roundtable.gui.debate.seat_card import phase_colour
from roundtable.gui.debate.state_values import Phase, TurnView
from roundtable.gui.debate.turn_card import TurnCard
from roundtable.gui.style.colours import seat_colour
from roundtable.gui.style.theme import (
    apply_theme,
    contrast_ratio,
    dark_palette,
    is_dark,
    light_palette,
    semantic_colours,
    set_role,
    system_prefers_dark,
)

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

#: (foreground, background, minimum WCAG ratio): text must reach AA (4.5:1); disabled
#: text and placeholders are exempt in WCAG but must still be readable (3:1).
PAIRS = [
    (Role.Text, Role.Base, 4.5),
    (Role.WindowText, Role.Window, 4.5),
    (Role.ButtonText, Role.Button, 4.5),
    (Role.HighlightedText, Role.Highlight, 4.5),
    (Role.ToolTipText, Role.ToolTipBase, 4.5),
    (Role.Link, Role.Base, 4.5),
    (Role.LinkVisited, Role.Base, 4.5),
    (Role.PlaceholderText, Role.Base, 3.0),
]


@pytest.fixture
def restore_look(qapp):
    """Put the default light look back after a test changed it."""
    yield qapp
    apply_theme(qapp, "light", 10)


@pytest.mark.parametrize("make", [light_palette, dark_palette], ids=["light", "dark"])
def test_every_text_colour_is_legible_on_its_background(make):
    palette = make()
    for fg, bg, minimum in PAIRS:
        ratio = contrast_ratio(palette.color(fg), palette.color(bg))
        assert ratio >= minimum, f"{fg.name} on {bg.name}: {ratio:.2f}"
    disabled = palette.color(Group.Disabled, Role.Text)
    for bg in (Role.Window, Role.Base):
        ratio = contrast_ratio(disabled, palette.color(bg))
        assert ratio >= 3.0, f"disabled text on {bg.name}: {ratio:.2f}"
    disabled_button = contrast_ratio(
        palette.color(Group.Disabled, Role.ButtonText), palette.color(Group.Disabled, Role.Button)
    )
    assert disabled_button >= 3.0


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_semantic_colours_are_readable_on_window_and_base(dark):
    palette = dark_palette() if dark else light_palette()
    colours = semantic_colours(dark)
    for name in ("error", "success", "warning", "muted"):
        for bg in (Role.Window, Role.Base, Role.AlternateBase, Role.Light):
            ratio = contrast_ratio(getattr(colours, name), palette.color(bg))
            assert ratio >= 4.5, f"{name} on {bg.name} ({'dark' if dark else 'light'}): {ratio:.2f}"
    hint_text = contrast_ratio(palette.color(Role.WindowText), colours.hint_background)
    assert hint_text >= 4.5


def test_dark_theme_turns_the_whole_app_dark_and_back(restore_look, qtbot):
    label = QLabel("hello")
    qtbot.addWidget(label)
    assert apply_theme(restore_look, "dark", 13) is True
    assert is_dark(restore_look)
    qtbot.waitUntil(lambda: is_dark(label), timeout=1000)  # widgets follow the app
    assert restore_look.font().pointSize() == 13
    assert semantic_colours(label).error == semantic_colours(True).error
    assert apply_theme(restore_look, "light", 9) is False
    qtbot.waitUntil(lambda: not is_dark(label), timeout=1000)
    assert restore_look.font().pointSize() == 9


def test_system_theme_follows_the_platform_colour_scheme(restore_look, monkeypatch):
    hints_type = type(restore_look.styleHints())
    monkeypatch.setattr(hints_type, "colorScheme", lambda _self: Qt.ColorScheme.Dark)
    assert system_prefers_dark(restore_look)
    assert apply_theme(restore_look, "system", 10) is True
    assert is_dark(restore_look)
    monkeypatch.setattr(hints_type, "colorScheme", lambda _self: Qt.ColorScheme.Light)
    assert apply_theme(restore_look, "system", 10) is False


def test_unknown_system_scheme_means_light(restore_look, monkeypatch):
    monkeypatch.setattr(
        type(restore_look.styleHints()), "colorScheme", lambda _self: Qt.ColorScheme.Unknown
    )
    assert apply_theme(restore_look, "system", 10) is False
    assert not is_dark(restore_look)


def test_error_role_paints_a_label_in_the_error_colour(restore_look, qtbot):
    apply_theme(restore_look, "light", 10)
    label = QLabel("no key for OpenAI")
    qtbot.addWidget(label)
    set_role(label, "error")
    label.show()
    qtbot.waitExposed(label)
    image = label.grab().toImage()
    colours = {
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    }
    assert semantic_colours(False).error.name() in colours
    assert isinstance(QApplication.instance(), QApplication)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_failed_turn_is_the_same_red_as_every_other_error(restore_look, qtbot, theme):
    # The debate view once had its own reds and greens, so "failed" on a turn card was
    # not the red of an error label beside it.
    apply_theme(restore_look, theme, 10)
    meaning = semantic_colours(theme == "dark")
    card = TurnCard(Seat(id="ada", name="Ada", model="demo/ada"), 0, 0)
    qtbot.addWidget(card)
    card.sync(TurnView(round=0, seat_id="ada", phase=Phase.FAILED, error="key refused"))
    assert card.notice.palette().color(Role.WindowText) == meaning.error
    palette = card.palette()
    assert phase_colour(Phase.FAILED, palette) == meaning.error
    assert phase_colour(Phase.DONE, palette) == meaning.success
    assert phase_colour(Phase.RETRYING, palette) == meaning.warning


def test_one_reading_of_dark_for_every_palette():
    # A mid-grey window with black text is a light look: text darker than its window.
    # (The debate view's own test, "window lightness < 0.5", called it dark.)
    palette = light_palette()
    palette.setColor(Role.Window, QColor("#767676"))
    palette.setColor(Role.WindowText, QColor("#000000"))
    assert not is_dark(palette)
    assert seat_colour(0, palette) == seat_colour(0)  # not lightened as for a dark look
