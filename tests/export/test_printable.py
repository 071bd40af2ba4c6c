"""The PDF reads like the HTML export: its tables keep their rules and padding.

Qt's rich-text printer ignores the page's CSS borders and padding, so a table printed
from the browser page ran its cells together ("Step 1 | 17 × 23" read "117 × 23").
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument, QTextTable

from roundtable.domain import Event, TurnFinished
from roundtable.export.printable import TABLE_CELL_PADDING, debate_to_print_html
from roundtable.gui.dialogs.export_dialog import write_export
from roundtable.storage import Database, load_debate, load_events, open_database
from tests.helpers.debates import finished_debate
from tests.helpers.events import record

STEPS_TABLE = """Order of operations, step by step:

| Step | Operation | Result |
|-----:|-----------|-------:|
| 1 | 17 × 23 | 391 |
| 2 | 9 × 14 | 126 |

Final answer: 281 (confidence 0.9)"""


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "pdf.db")
    yield database
    database.close()


def _with_steps_table(events: list[Event]) -> list[Event]:
    changed: list[Event] = []
    for event in events:
        if isinstance(event, TurnFinished) and (event.round, event.seat_id) == (0, "bea"):
            fields = {name: getattr(event, name) for name in event.__dataclass_fields__}
            event = TurnFinished(**{**fields, "text": STEPS_TABLE})  # noqa: PLW2901
        changed.append(event)
    return changed


def _stored_debate(db: Database) -> str:
    events = _with_steps_table(finished_debate())
    record(db, events)
    return events[0].debate_id


def _tables(document: QTextDocument) -> list[QTextTable]:
    tables: list[QTextTable] = []
    cursor = QTextCursor(document)
    block = document.begin()
    while block.isValid():
        cursor.setPosition(block.position())
        table = cursor.currentTable()
        if table is not None and all(table != known for known in tables):
            tables.append(table)
        block = block.next()
    return tables


def test_every_printed_table_draws_its_rules_and_pads_its_cells(db: Database, qapp):
    debate_id = _stored_debate(db)
    document = QTextDocument()
    document.setHtml(debate_to_print_html(load_debate(db, debate_id), load_events(db, debate_id)))
    tables = _tables(document)
    # The seats table, the steps table in Bea's answer, the vote table.
    assert len(tables) >= 3
    for table in tables:
        frame = table.format()
        assert frame.border() >= 1
        assert frame.cellPadding() >= TABLE_CELL_PADDING


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_pdf_keeps_a_table_cells_apart(db: Database, qapp, tmp_path: Path):
    debate_id = _stored_debate(db)
    target = tmp_path / "debate.pdf"
    write_export(db, debate_id, "pdf", target)
    words = _words_with_boxes(target, tmp_path / "boxes.html")
    # "1" (the step) and "17" (its operation) sit side by side on one line: between
    # them, a rule and the cells' padding, not a hairline.
    step = next(w for w in words if w[0] == "1" and any(v[0] == "17" for v in _right_of(w, words)))
    operation = next(v for v in _right_of(step, words) if v[0] == "17")
    gap_points = operation[1] - step[2]
    assert gap_points >= 6, f"cells 1 and 17 × 23 are only {gap_points:.1f} pt apart"
    # The headers stay three words, in order, on one line.
    step_header = next(w for w in words if w[0] == "Step")
    header = [
        w
        for w in words
        if w[0] in {"Step", "Operation", "Result"} and abs(w[3] - step_header[3]) < 2
    ]
    assert [w[0] for w in sorted(header, key=lambda w: w[1])] == ["Step", "Operation", "Result"]
    assert header[1][1] - header[0][2] >= 6


Word = tuple[str, float, float, float]  # text, x_min, x_max, y_min


def _words_with_boxes(pdf: Path, out: Path) -> list[Word]:
    subprocess.run(["pdftotext", "-bbox", str(pdf), str(out)], check=True)
    words: list[Word] = []
    for element in ET.parse(out).iter():
        if element.tag.endswith("word") and element.text:
            words.append(
                (
                    element.text,
                    float(element.get("xMin", 0)),
                    float(element.get("xMax", 0)),
                    float(element.get("yMin", 0)),
                )
            )
    return words


def _right_of(word: Word, words: list[Word]) -> list[Word]:
    same_line = [w for w in words if abs(w[3] - word[3]) < 2 and w[1] > word[2]]
    return sorted(same_line, key=lambda w: w[1])[:1]
