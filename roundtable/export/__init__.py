"""Renderings of a stored debate: Markdown, self-contained HTML, and the JSON archive.

    text = export_debate(load_debate(db, id), load_events(db, id), "html")

Imports domain and storage only (plus markdown, pygments, nh3). PDF is printed by
the GUI through Qt from the HTML.

Each rendering loads when it is asked for: the app's transcript uses one module of
this package (`export.markdown`, to copy a turn) and must not load the HTML
rendering's Markdown and Pygments with it before the window is shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from roundtable.domain import ConfigError, Event
from roundtable.domain.formatting import format_cost
from roundtable.lazy_names import lazy_names

if TYPE_CHECKING:
    from roundtable.export.html import debate_to_html
    from roundtable.export.markdown import debate_to_markdown
    from roundtable.storage.records import DebateRecord

#: Formats `export_debate` writes, in the order a menu shows them (also file extensions).
EXPORT_FORMATS: tuple[str, ...] = ("md", "html", "json")


def export_debate(record: DebateRecord, events: Sequence[Event], fmt: str) -> str:
    """The debate as text in `fmt` ("md", "html" or "json"); ConfigError for another."""
    if fmt == "md":
        from roundtable.export.markdown import debate_to_markdown

        return debate_to_markdown(record, events=events)
    if fmt == "html":
        from roundtable.export.html import debate_to_html

        return debate_to_html(record, events)
    if fmt == "json":
        from roundtable.storage.archive import debate_to_archive

        archive = debate_to_archive(record, events)
        return json.dumps(archive, ensure_ascii=False, indent=2) + "\n"
    raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


#: The renderings' entry points, by the module that defines them (loaded on first use).
_HOMES = {
    "debate_to_html": "roundtable.export.html",
    "debate_to_markdown": "roundtable.export.markdown",
}

__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "EXPORT_FORMATS",
    "debate_to_html",
    "debate_to_markdown",
    "export_debate",
    "format_cost",
]
