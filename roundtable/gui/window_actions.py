"""`WindowActions`: the main window's actions, their shortcuts and its toolbar.

One list of what a person can do from the window and the keys for it; the window
connects them, `apply()` enables them from `ShownDebate`'s rules, and the menu bar
(`roundtable.gui.menus`) lists these same actions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from roundtable.gui.shown_debate import ActionStates
from roundtable.gui.support.keys_first import ActionKeysFirst


def _native(shortcut: QKeySequence) -> str:
    return shortcut.toString(QKeySequence.SequenceFormat.NativeText)


class WindowActions:
    """The window's actions; each carries its shortcut in its tooltip."""

    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        self.toolbar = QToolBar("Main", window)
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        window.addToolBar(self.toolbar)

        self.new = self._add("New debate", QKeySequence.StandardKey.New, "Set a new table")
        self.start = self._add("Start", "Ctrl+Return", "Start the debate")
        # Ctrl+Enter on the keypad too: people reach for either key.
        self.start.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.stop = self._add("Stop", "Esc", "Stop the running debate; what was said is kept")
        self.toolbar.addSeparator()
        self.replay = self._add("Replay", "Ctrl+R", "Replay the debate on screen step by step")
        self.resume = self._add(
            "Resume", "Ctrl+Shift+R", "Continue a stopped debate from its last complete round"
        )
        self.export = self._add(
            "Export…", "Ctrl+E", "Export the debate as Markdown, HTML, JSON or PDF"
        )
        self.toolbar.addSeparator()
        self.evaluations = self._add(
            "Evaluations",
            "Ctrl+Shift+E",
            "Evaluation runs: is the table worth it? Esc comes back",
        )
        self.evaluations.setCheckable(True)
        self.settings = self._add(
            "Settings", "Ctrl+,", "Providers, keys, local servers, appearance"
        )
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        # In the menus only: the toolbar keeps to what a debate needs.
        self.find = self._menu_only(
            "Find debates", QKeySequence.StandardKey.Find, "Search the history"
        )
        self.copy_markdown = self._menu_only(
            "Copy debate as Markdown",
            "Ctrl+Shift+C",
            "Copy the whole debate on screen to the clipboard, as Markdown",
        )
        # Ctrl+Q everywhere: Windows has no standard Quit key, people still press it.
        self.quit = self._menu_only("Quit", "Ctrl+Q", "Quit Roundtable")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.about = QAction("About Roundtable", window)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        # Ctrl+E is also X11's "end of line" in every line edit: export wins it.
        self.keys_first = ActionKeysFirst(window, [self.export])

    def _add(self, text: str, shortcut: QKeySequence.StandardKey | str, tip: str) -> QAction:
        action = self._menu_only(text, shortcut, tip)
        self.toolbar.addAction(action)
        return action

    def _menu_only(self, text: str, shortcut: QKeySequence.StandardKey | str, tip: str) -> QAction:
        keys = QKeySequence(shortcut)
        action = QAction(text, self._window)
        action.setShortcut(keys)
        action.setToolTip(f"{tip} ({_native(keys)})")
        action.setStatusTip(tip)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # Live even before the menu bar holds it (and while a menu is closed).
        self._window.addAction(action)
        return action

    def apply(self, states: ActionStates, *, evaluations_shown: bool = False) -> None:
        """Enable the actions; while the Evaluations view covers the table, those that
        act on the debate on screen wait (New and Stop still work)."""
        on_table = not evaluations_shown
        self.new.setEnabled(states.new)
        self.start.setEnabled(states.start and on_table)
        self.stop.setEnabled(states.stop)
        self.replay.setEnabled(states.replay and on_table)
        self.resume.setEnabled(states.resume and on_table)
        self.export.setEnabled(states.export and on_table)
        self.copy_markdown.setEnabled(states.export and on_table)
        self.evaluations.setChecked(evaluations_shown)
