"""The menu bar: every window action under File, Edit, View, Debate and Help.

The menus hold the very `QAction`s of `WindowActions` (the toolbar's too), so a
menu item, a toolbar button and a shortcut are one thing: enabled together, with
the shortcut written beside the item by Qt. Debate › Replay controls holds the
replay bar's own actions the same way (their keys work where the debate is shown).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenuBar

from roundtable.gui.window_actions import WindowActions

#: Menu titles with their mnemonic (Alt+F opens File, …).
MENU_TITLES = ("&File", "&Edit", "&View", "&Debate", "&Help")


def build_menu_bar(
    window: QMainWindow, actions: WindowActions, replay_actions: Sequence[QAction] = ()
) -> QMenuBar:
    """Fill the window's menu bar with `actions` (and the replay bar's), return it."""
    bar = window.menuBar()
    file_title, edit_title, view_title, debate_title, help_title = MENU_TITLES

    file_menu = bar.addMenu(file_title)
    file_menu.addAction(actions.new)
    file_menu.addAction(actions.export)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)

    edit_menu = bar.addMenu(edit_title)
    edit_menu.addAction(actions.copy_markdown)
    edit_menu.addAction(actions.find)
    edit_menu.addSeparator()
    edit_menu.addAction(actions.settings)

    view_menu = bar.addMenu(view_title)
    view_menu.addAction(actions.evaluations)
    toolbar = actions.toolbar.toggleViewAction()
    toolbar.setText("Toolbar")
    view_menu.addAction(toolbar)

    debate_menu = bar.addMenu(debate_title)
    debate_menu.addAction(actions.start)
    debate_menu.addAction(actions.stop)
    debate_menu.addSeparator()
    debate_menu.addAction(actions.replay)
    debate_menu.addAction(actions.resume)
    if replay_actions:
        replay_menu = debate_menu.addMenu("Replay &controls")
        replay_menu.addActions(list(replay_actions))

    help_menu = bar.addMenu(help_title)
    help_menu.addAction(actions.about)
    return bar
