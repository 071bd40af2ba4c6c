"""Forks and follow-ups in the window: reading the links and comparing with a parent.

Reads only (the engine process is the database's single writer): the links of a
debate from `storage.links.debate_links`, and both debates of a comparison folded
from their stored events into `DebateState`s.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from roundtable.gui.debate.state import DebateState
from roundtable.gui.lineage.compare_dialog import CompareDialog

if TYPE_CHECKING:
    from roundtable.storage import Database
    from roundtable.storage.links import DebateLinks

log = logging.getLogger(__name__)


def load_links(database: Database, debate_id: str) -> DebateLinks | None:
    """The debate's parent and children, or None when they cannot be read."""
    from roundtable.domain import RoundtableError
    from roundtable.storage.links import debate_links

    try:
        return debate_links(database, debate_id)
    except RoundtableError as exc:  # a link header is not worth an error dialog
        log.warning("could not read the links of debate %s: %s", debate_id, exc)
        return None


def stored_state(database: Database, debate_id: str) -> DebateState:
    """A stored debate folded into the debate view's state, at its end."""
    from roundtable.storage import load_events

    state = DebateState()
    for event in load_events(database, debate_id):
        state.apply(event)
    return state


def compare_with_parent(
    database: Database, child_id: str, parent: QWidget | None = None
) -> CompareDialog | None:
    """Open the side-by-side dialog for `child_id` and its parent (None: no parent)."""
    links = load_links(database, child_id)
    if links is None or links.parent is None:
        return None
    dialog = CompareDialog(
        stored_state(database, links.parent.summary.id),
        stored_state(database, child_id),
        relation=links.parent.relation,
        parent=parent,
    )
    dialog.show()
    return dialog
