"""Which keys a window's shortcuts claim, and where two claims of one key collide.

Qt runs neither of two enabled shortcuts that claim the same key where focus can
reach both; it logs "Ambiguous shortcut overload" and the key does nothing. This
helper lists every enabled QAction and QShortcut of a window with the part of the
window where its context makes it live, then reports the keys claimed twice in
overlapping parts. Like Qt, it counts a claim only while its widget is visible (an
action in a menu counts where the menu is reachable from).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QWidget

_Context = Qt.ShortcutContext


@dataclass(frozen=True)
class Claim:
    """One shortcut's key, its owner and where in the window it is live."""

    keys: str
    owner: QObject
    #: The widget the claim is live in; None for the whole application.
    scope: QWidget | None
    #: False for a WidgetShortcut: live in `scope` itself, not its children.
    with_children: bool

    def describe(self) -> str:
        name = self.owner.objectName() or getattr(self.owner, "text", lambda: "")()
        kind = type(self.owner).__name__
        where = "the application" if self.scope is None else type(self.scope).__name__
        return f"{kind} {name!r} in {where}"

    def overlaps(self, other: Claim) -> bool:
        """Whether focus can be somewhere both claims are live."""
        if self.scope is None or other.scope is None:
            return True
        return _covers(self, other.scope) or _covers(other, self.scope)


def _covers(claim: Claim, widget: QWidget) -> bool:
    assert claim.scope is not None
    if widget is claim.scope:
        return True
    return claim.with_children and claim.scope.isAncestorOf(widget)


def shortcut_claims(window: QWidget) -> list[Claim]:
    """Every live key claim of `window`'s enabled actions and shortcuts."""
    claims: list[Claim] = []
    for action in _actions(window):
        if not action.isEnabled():
            continue
        context = action.shortcutContext()
        for host in action.associatedObjects():
            widget = _reachable_host(host)
            if widget is None or widget.window() is not window:
                continue
            for keys in action.shortcuts():
                claims.append(_claim(keys, action, widget, context))
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if not shortcut.isEnabled() or not isinstance(parent, QWidget):
            continue
        if not parent.isVisible():
            continue
        for keys in shortcut.keys():  # noqa: SIM118 (a QShortcut, not a dict)
            claims.append(_claim(keys, shortcut, parent, shortcut.context()))
    return _unique(claims)


def clashes(window: QWidget) -> list[str]:
    """One line per key claimed twice where focus can reach both claims."""
    found: list[str] = []
    claims = shortcut_claims(window)
    for i, first in enumerate(claims):
        for second in claims[i + 1 :]:
            if first.keys != second.keys or first.owner is second.owner:
                continue
            if first.overlaps(second):
                found.append(f"{first.keys}: {first.describe()} and {second.describe()}")
    return found


def _actions(window: QWidget) -> list[QAction]:
    seen: dict[int, QAction] = {}
    for action in window.findChildren(QAction):
        seen[id(action)] = action
    for widget in [window, *window.findChildren(QWidget)]:
        for action in widget.actions():
            seen[id(action)] = action
    return list(seen.values())


def _reachable_host(host: QObject) -> QWidget | None:
    """The visible widget a shortcut on `host` is live through (Qt's rule for menus:
    a menu's actions are live where the menu itself can be opened from)."""
    if isinstance(host, QMenu):
        for parent_host in host.menuAction().associatedObjects():
            reached = _reachable_host(parent_host)
            if reached is not None:
                return reached
        return None
    if isinstance(host, QWidget) and host.isVisible() and host.isEnabled():
        return host
    return None


def _claim(keys: QKeySequence, owner: QObject, widget: QWidget, context: _Context) -> Claim:
    text = keys.toString(QKeySequence.SequenceFormat.PortableText)
    if context is _Context.ApplicationShortcut:
        return Claim(text, owner, None, with_children=True)
    if context is _Context.WindowShortcut:
        return Claim(text, owner, widget.window(), with_children=True)
    return Claim(text, owner, widget, with_children=context is _Context.WidgetWithChildrenShortcut)


def _unique(claims: list[Claim]) -> list[Claim]:
    seen: set[tuple[str, int, int]] = set()
    unique: list[Claim] = []
    for claim in claims:
        key = (claim.keys, id(claim.owner), id(claim.scope))
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter -> the visible texts that claim it (buttons, buddied labels, tabs,
    the menu bar's titles): Qt grabs each as a window-wide shortcut."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabBar

    texts: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        buddied = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or buddied:
            texts.append(widget.text())  # type: ignore[attr-defined]
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
        elif isinstance(widget, QMenuBar):
            texts += [action.text() for action in widget.actions() if action.isVisible()]
    claimed: dict[str, list[str]] = {}
    for text in texts:
        keys = QKeySequence.mnemonic(text).toString(QKeySequence.SequenceFormat.PortableText)
        if keys:
            claimed.setdefault(keys, []).append(text)
    return claimed


def mnemonic_clashes(window: QWidget) -> dict[str, list[str]]:
    """The Alt+letters two visible texts claim at once."""
    return {keys: texts for keys, texts in mnemonics(window).items() if len(texts) > 1}
