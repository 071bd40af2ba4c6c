"""`roundtable show / export / models`: reading what is stored and what is available
(`roundtable list` is in `roundtable.cli.listing`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from roundtable.domain import ConfigError, Event
from roundtable.domain.formatting import visible_controls
from roundtable.headless.stores import open_store

if TYPE_CHECKING:
    from roundtable.storage import Database, DebateRecord

out = Console(highlight=False)


def _load(database: Database, debate_id: str) -> tuple[DebateRecord, list[Event]]:
    from roundtable.storage import load_debate, load_events, resolve_id

    full_id = resolve_id(database, debate_id)
    return load_debate(database, full_id), load_events(database, full_id)


def show_command(debate_id: str, *, db: str | None, as_json: bool = False) -> None:
    from roundtable.cli.links import links_view
    from roundtable.export import export_debate

    database = open_store(db, must_exist=True)
    try:
        record, events = _load(database, debate_id)
        links = links_view(database, record.summary)  # forks, parent, follow-up thread
    finally:
        database.close()
    if as_json:
        print(json.dumps(debate_json(record, events), indent=2))
        return
    from rich.markdown import Markdown  # pygments and all: only for the transcript shown

    if links is not None:
        out.print(links)
    # Stored text is shown as it is, except that control characters are drawn, not obeyed.
    out.print(Markdown(visible_controls(export_debate(record, events, "md"))))


def debate_json(record: DebateRecord, events: list[Event]) -> dict[str, object]:
    """`show --json`: the stored debate in the shape `run --json` prints (the same
    summary, fed the stored events), with when it ran and what it comes from."""
    from roundtable.headless.summaries import JsonSummary

    stored = record.summary
    # A fork's copied rounds apart from its own, as `fork --json` gives them.
    summary = JsonSummary(first_new_round=stored.forked_from_round or 0)
    for event in events:
        summary(event)
    wall = (stored.finished_at - stored.created_at).total_seconds() if stored.finished_at else 0
    links = {"parent_id": stored.parent_id} if stored.parent_id else {}
    return (
        summary.result(wall)
        | {"title": stored.title, "created_at": stored.created_at.isoformat()}
        | links
    )


def export_command(
    debate_id: str, *, fmt: str, output: Path | None, db: str | None, force: bool = False
) -> None:
    from roundtable.export import EXPORT_FORMATS, export_debate

    fmt = fmt.lower().lstrip(".")
    if fmt not in (*EXPORT_FORMATS, "pdf"):
        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}, pdf")
    if fmt == "pdf" and output is None:
        raise ConfigError("a PDF goes to a file: add -o FILE.pdf")
    refuse_to_overwrite(output, force=force)
    database = open_store(db, must_exist=True)
    try:
        record, events = _load(database, debate_id)
        if output is not None and fmt == "pdf":
            from roundtable.cli.pdf import write_pdf

            write_pdf(database, record.summary.id, output)
            Console(stderr=True).print(f"Wrote {output} ({output.stat().st_size:,} bytes)")
            return
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


def refuse_to_overwrite(output: Path | None, *, force: bool) -> None:
    """An existing file is replaced only with --force: ConfigError (exit 2) before
    anything is read or written."""
    if output is not None and output.exists() and not force:
        raise ConfigError(f"{output} exists; add --force to replace it")
