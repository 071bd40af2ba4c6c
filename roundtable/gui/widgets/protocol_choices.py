"""The debate protocols as the app offers them: name, title and a summary to show.

Read from `roundtable.engine.PROTOCOL_INFO` (the engine owns the protocols); when the
engine cannot be imported, the names in `roundtable.domain.values.PROTOCOLS` are
offered bare, so the settings and setup screens still open.
"""

from __future__ import annotations

import logging

from roundtable.domain.values import PROTOCOLS

log = logging.getLogger(__name__)


def protocol_choices() -> list[tuple[str, str, str]]:
    """(name, title, summary with its paper) for every protocol, in menu order."""
    try:
        from roundtable.engine import PROTOCOL_INFO
    except ImportError as exc:  # the engine is optional for drawing the form
        log.warning("protocol descriptions unavailable: %s", exc)
        return [(name, name.title(), "") for name in PROTOCOLS]
    choices = []
    for name, info in PROTOCOL_INFO.items():
        summary = info.summary.strip()
        if info.paper.strip():
            summary = f"{summary}\nBased on: {info.paper.strip()}"
        choices.append((name, info.title or name.title(), summary))
    return choices
