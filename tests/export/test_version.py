"""Every export says which Roundtable made it; an archive that says so still imports."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from roundtable import __version__
from roundtable.export import export_debate
from roundtable.export.eval_report import eval_report_html
from roundtable.export.printable import debate_to_print_html
from roundtable.storage import Database, load_debate, load_events, open_database
from roundtable.storage.importer import import_archive
from tests.charts.reports import make_report
from tests.helpers.debates import finished_debate
from tests.helpers.events import record

SAID = f"Exported by Roundtable {__version__}"


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "exports.db")
    record(database, finished_debate("versioned"))
    yield database
    database.close()


def _export(db: Database, fmt: str) -> str:
    return export_debate(load_debate(db, "versioned"), load_events(db, "versioned"), fmt)


def test_markdown_ends_with_the_version(db: Database):
    assert _export(db, "md").rstrip().endswith(f"*{SAID}*")


def test_html_names_the_version_on_the_page_and_as_its_generator(db: Database):
    page = _export(db, "html")
    assert f'<meta name="generator" content="Roundtable {__version__}">' in page
    assert f"<footer><p><em>{SAID}</em></p></footer>" in page


def test_the_printed_pdf_says_the_version(db: Database):
    html = debate_to_print_html(load_debate(db, "versioned"), load_events(db, "versioned"))
    assert SAID in html


def test_the_eval_report_says_the_version():
    assert SAID in eval_report_html(make_report())


def test_a_json_archive_carries_the_version_and_still_imports(db: Database, tmp_path):
    document = json.loads(_export(db, "json"))
    assert document["roundtable_version"] == __version__
    with open_database(tmp_path / "elsewhere.db") as elsewhere:
        result = import_archive(elsewhere, document)
        assert result.debate_id == "versioned"
        again = export_debate(
            load_debate(elsewhere, "versioned"), load_events(elsewhere, "versioned"), "json"
        )
    assert json.loads(again) == document
