"""Ctrl+E exports even with the cursor in a text field that knows Ctrl+E itself (every
line edit on X11: "end of line"); with nothing to export the field keeps the key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from tests.helpers.debates import bat_and_ball_debate
from tests.helpers.windows import window_on_history

CTRL = Qt.KeyboardModifier.ControlModifier


class X11LineEdit(QLineEdit):
    """A line edit that claims Ctrl+E as Qt's X11 key bindings make every one do (the
    offscreen platform tests run on has no such binding)."""

    def __init__(self) -> None:
        super().__init__()
        self.own_keys: list[int] = []

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_E
            and event.modifiers() == CTRL
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.own_keys.append(event.key())
        super().keyPressEvent(event)


@pytest.fixture
def window_with_field(qtbot, tmp_path, monkeypatch):
    with window_on_history(qtbot, tmp_path, bat_and_ball_debate("stored")) as window:
        exported: list[str] = []
        monkeypatch.setattr(
            window.sharing, "export", lambda _db, debate_id: exported.append(debate_id)
        )
        field = X11LineEdit()
        window.history.layout().addWidget(field)
        qtbot.waitUntil(field.isVisible)
        yield window, field, exported


def test_ctrl_e_exports_from_a_field_that_knows_ctrl_e(window_with_field, qtbot):
    window, field, exported = window_with_field
    window.open_debate("stored")
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_E, CTRL)
    assert exported == ["stored"]
    assert Qt.Key.Key_E not in field.own_keys


def test_with_nothing_to_export_the_field_keeps_ctrl_e(window_with_field, qtbot):
    window, field, exported = window_with_field
    assert not window.window_actions.export.isEnabled()  # the setup form
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_E, CTRL)
    assert exported == []
    assert Qt.Key.Key_E in field.own_keys
