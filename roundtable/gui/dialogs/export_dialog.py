"""Export the debate on screen: Markdown, HTML, JSON from `roundtable.export`; PDF via Qt.

The format follows the file name's extension chosen in the save dialog, so there is one
question to answer, not two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

FILTERS = {
    "md": "Markdown (*.md)",
    "html": "Web page, self-contained (*.html)",
    "json": "Roundtable archive (*.json)",
    "pdf": "PDF document (*.pdf)",
}


def export_with_dialog(
    parent: QWidget, database: Any, debate_id: str, *, folder: Path | None = None
) -> Path | None:
    """Ask where to save (starting in `folder`, else home), write it; the file or None."""
    from roundtable.storage import load_debate

    record = load_debate(database, debate_id)
    stem = _file_stem(record.summary.title or record.summary.question)
    path, chosen = QFileDialog.getSaveFileName(
        parent,
        "Export debate",
        str((folder or Path.home()) / f"{stem}.md"),
        ";;".join(FILTERS.values()),
    )
    if not path:
        return None
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in FILTERS:
        fmt = next((key for key, label in FILTERS.items() if label == chosen), "md")
        target = target.with_suffix(f".{fmt}")
    try:
        write_export(database, debate_id, fmt, target)
    except OSError as exc:
        QMessageBox.warning(
            parent, "Export failed", f"Could not write {target}: {exc.strerror or exc}"
        )
        return None
    return target


def write_export(database: Any, debate_id: str, fmt: str, target: Path) -> None:
    from roundtable.export import export_debate
    from roundtable.export.printable import debate_to_print_html
    from roundtable.storage import load_debate, load_events

    record = load_debate(database, debate_id)
    events = load_events(database, debate_id)
    if fmt == "pdf":
        _print_pdf(debate_to_print_html(record, events), target)
    else:
        target.write_text(export_debate(record, events, fmt), encoding="utf-8")


def _print_pdf(html: str, target: Path) -> None:
    writer = QPdfWriter(str(target))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setTitle("Roundtable debate")
    document = QTextDocument()
    # The printable HTML is the export's sanitised body (its charts are `data:` images),
    # and QTextDocument does not fetch network resources anyway.
    document.setHtml(html)
    document.print_(writer)
    if not target.exists():
        raise OSError(f"the PDF writer produced no file at {target}")


def _file_stem(title: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in title).split()
    return "-".join(words[:8]).lower() or "debate"
