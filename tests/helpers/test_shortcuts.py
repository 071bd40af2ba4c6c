"""The shortcut audit finds a key claimed twice where focus reaches both, and only then."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from tests.helpers.shortcuts import clashes

WITH_CHILDREN = Qt.ShortcutContext.WidgetWithChildrenShortcut


def _window(qtbot) -> tuple[QWidget, QWidget, QWidget]:
    window = QWidget()
    left, right = QLineEdit(window), QLineEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(left)
    layout.addWidget(right)
    qtbot.addWidget(window)
    window.show()
    return window, left, right


def _shortcut(keys: str, parent: QWidget, context: Qt.ShortcutContext) -> QShortcut:
    shortcut = QShortcut(QKeySequence(keys), parent)
    shortcut.setContext(context)
    return shortcut


def test_a_window_key_and_a_child_widget_key_clash(qtbot):
    window, left, _right = _window(qtbot)
    _shortcut("Ctrl+Return", window, Qt.ShortcutContext.WindowShortcut)
    _shortcut("Ctrl+Return", left, WITH_CHILDREN)
    assert len(clashes(window)) == 1


def test_siblings_other_keys_and_disabled_shortcuts_do_not_clash(qtbot):
    window, left, right = _window(qtbot)
    _shortcut("Ctrl+Return", left, WITH_CHILDREN)
    _shortcut("Ctrl+Return", right, WITH_CHILDREN)
    _shortcut("Ctrl+Enter", window, Qt.ShortcutContext.WindowShortcut)
    _shortcut("Ctrl+Return", window, Qt.ShortcutContext.WindowShortcut).setEnabled(False)
    assert clashes(window) == []


def test_a_hidden_widget_claims_nothing(qtbot):
    window, left, _right = _window(qtbot)
    _shortcut("F5", window, Qt.ShortcutContext.WindowShortcut)
    _shortcut("F5", left, WITH_CHILDREN)
    left.hide()
    assert clashes(window) == []


def test_two_visible_texts_with_one_alt_letter_clash(qtbot):
    from PySide6.QtWidgets import QLabel, QPushButton

    from tests.helpers.shortcuts import mnemonic_clashes

    window, left, _right = _window(qtbot)
    label = QLabel("&Rounds:", window)
    label.setBuddy(left)
    button = QPushButton("&Remove", window)
    window.layout().addWidget(label)
    window.layout().addWidget(button)
    qtbot.waitUntil(lambda: label.isVisible() and button.isVisible())
    assert mnemonic_clashes(window) == {"Alt+R": ["&Rounds:", "&Remove"]}
    button.setText("Re&move")
    assert mnemonic_clashes(window) == {}
