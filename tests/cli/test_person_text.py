"""What a person types shows as typed: in the live view, in `show` and in every export.

Their text is not Markdown: `17*23=391 and 9*14=126` must not turn into italics
("1723=391 and 914=126").
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.storage import list_debates, open_database

TYPED = "17*23=391 and 9*14=126, so _both_ hold: [see] # not a heading"
EATEN = "1723=391 and 914=126"


@pytest.fixture
def stored(tmp_path):
    """A one-round debate where a person typed TYPED; (the live output, the database)."""
    db = str(tmp_path / "person.db")
    table = ("--seat", "You=human", "--seat", "demo/ada", "--seat", "demo/basil")
    result = CliRunner().invoke(
        app,
        ["run", "What is 17*23?", *table, "--rounds", "1", "--db", db],
        input=f"{TYPED}\n\n391\n0.9\n",
    )
    assert result.exit_code == 0, result.output
    database = open_database(db)
    (summary,) = list_debates(database)
    database.close()
    return result.output, db, summary.id


def _one_line(text: str) -> str:
    """Terminal output with the panels' borders and wrapping taken out."""
    return re.sub(r"\s*[│╭╮╰╯─]+\s*", " ", text).replace("\n", " ")


def test_the_live_view_shows_the_persons_text_as_typed(stored) -> None:
    output, _db, _id = stored
    assert EATEN not in output
    assert TYPED in _one_line(output)


def test_show_prints_the_persons_text_as_typed(stored) -> None:
    _output, db, debate_id = stored
    result = CliRunner().invoke(app, ["show", debate_id, "--db", db])
    assert result.exit_code == 0, result.output
    assert EATEN not in result.output
    assert TYPED in _one_line(result.output)


def test_the_exports_keep_the_persons_text_as_typed(stored, tmp_path) -> None:
    _output, db, debate_id = stored
    page = tmp_path / "debate.html"
    result = CliRunner().invoke(
        app, ["export", debate_id, "--format", "html", "-o", str(page), "--db", db]
    )
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "17*23=391 and 9*14=126, so _both_ hold: [see] # not a heading" in html
    assert "<em>23=391" not in html
    result = CliRunner().invoke(app, ["export", debate_id, "--format", "md", "--db", db])
    assert result.exit_code == 0, result.output
    # Escaped Markdown: any Markdown reader shows the stars, not italics.
    assert r"17\*23=391 and 9\*14=126, so \_both\_ hold: \[see\] # not a heading" in (result.output)
