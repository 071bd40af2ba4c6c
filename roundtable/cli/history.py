"""`roundtable show / export / models`: reading what is stored and what is available
(`roundtable list` is in `roundtable.cli.listing`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

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


def models_command(*, servers: list[str], db: str | None = None, as_json: bool = False) -> None:
    from roundtable.cli import track_records
    from roundtable.providers import list_models

    found = list_models(servers)
    records, note = track_records.load_records(db)
    if as_json:
        print(json.dumps(track_records.models_json(found, records), indent=2))
        return
    table = Table(box=None, padding=(0, 2), header_style="bold")
    for column in ("Model", "Provider", "Source", "Key"):
        table.add_column(column)
    if records:  # no column of dashes before the first evaluation run
        table.add_column("Track record", min_width=20)
    for info in found:
        key = "not needed" if not info.needs_key else ("set" if info.key_present else "missing")
        # A server names its own models: shown as text, never read as markup or obeyed.
        cells = [
            Text(visible_controls(cell)) for cell in (info.id, info.provider, info.source, key)
        ]
        if records:
            cells.append(track_records.record_cell(records.get(info.id)))
        table.add_row(*cells)
    out.print(table)
    others = track_records.unlisted_table(records, {info.id for info in found})
    if others is not None:
        out.print(others)
    if note:
        out.print(Text(note, style="yellow"))
    out.print(
        Text(
            "Add a provider: set its key variable (e.g. OPENAI_API_KEY) or use the app's "
            "Settings › Providers. Local servers: Ollama on 127.0.0.1:11434 is found by "
            "itself; pass others with --server URL.",
            style="dim",
        )
    )
