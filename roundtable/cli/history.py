"""`roundtable show / export / models`: reading what is stored and what is available
(`roundtable list` is in `roundtable.cli.listing`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markdown import Markdown

from roundtable.cli.store import open_store
from roundtable.cli.terminal_text import visible_controls
from roundtable.domain import ConfigError, Event

if TYPE_CHECKING:
    from roundtable.storage import Database, DebateRecord

out = Console(highlight=False)


def _load(database: Database, debate_id: str) -> tuple[DebateRecord, list[Event]]:
    from roundtable.storage import load_debate, load_events, resolve_id

    full_id = resolve_id(database, debate_id)
    return load_debate(database, full_id), load_events(database, full_id)


def show_command(debate_id: str, *, db: str | None) -> None:
    from roundtable.cli.links import links_view
    from roundtable.export import export_debate

    database = open_store(db, must_exist=True)
    try:
        record, events = _load(database, debate_id)
        links = links_view(database, record.summary)  # forks, parent, follow-up thread
    finally:
        database.close()
    if links is not None:
        out.print(links)
    # Stored text is shown as it is, except that control characters are drawn, not obeyed.
    out.print(Markdown(visible_controls(export_debate(record, events, "md"))))


def export_command(debate_id: str, *, fmt: str, output: Path | None, db: str | None) -> None:
    from roundtable.export import EXPORT_FORMATS, export_debate

    fmt = fmt.lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    database = open_store(db, must_exist=True)
    try:
        record, events = _load(database, debate_id)
    finally:
        database.close()
    text = export_debate(record, events, fmt)
    if output is None:
        if sys.stdout.isatty():  # a terminal would obey escape sequences in model text
            text = visible_controls(text)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from None
    Console(stderr=True).print(f"Wrote {output} ({len(text.encode()):,} bytes)")
