"""Search results page in as the history list scrolls, on the search worker, in the
order of the whole ranking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from roundtable.domain import DebateStarted
from roundtable.gui.history.model import IdRole
from roundtable.gui.history.panel import SEARCH_PAGE, HistoryPanel
from roundtable.storage import Database, open_database, search_debates
from roundtable.storage.import_batches import CheckedArchive, OnClash, write_debates
from tests.helpers.debates import spec
from tests.helpers.events import START

MATCHES = 2 * SEARCH_PAGE + 20


@pytest.fixture
def many(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "many.db")
    started = [
        DebateStarted(
            debate_id=f"debate-{n:03}",
            seq=0,
            at=START + timedelta(minutes=n),
            spec=spec(f"Question {n} about " + " ".join(["walruses"] * (1 + n % 5))),
        )
        for n in range(MATCHES)
    ]
    write_debates(database, [CheckedArchive([e], {}) for e in started], on_clash=OnClash.REFUSE)
    yield database
    database.close()


def _ids(panel: HistoryPanel) -> list[str]:
    model = panel.model
    return [model.index(row, 0).data(IdRole) for row in range(model.rowCount())]


def test_scrolling_to_the_end_of_the_results_brings_the_next_page(qtbot, many):
    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.resize(340, 600)
    panel.set_database(many)
    panel.show()
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(panel.searched, timeout=5000):
        qtbot.keyClicks(panel.search_box, "walrus")
    assert len(_ids(panel)) == SEARCH_PAGE  # one page first
    for shown in (2 * SEARCH_PAGE, MATCHES):
        with qtbot.waitSignal(panel.model.rowsInserted, timeout=5000):
            panel.list.scrollToBottom()
            bar = panel.list.verticalScrollBar()
            bar.setValue(bar.maximum())
        assert len(_ids(panel)) == shown
    whole = [hit.summary.id for hit in search_debates(many, "walrus", limit=MATCHES + 10)]
    assert _ids(panel) == whole  # the pages joined are the whole ranking, no repeats


def test_a_snippet_with_a_long_lead_keeps_the_match_near_its_start():
    from roundtable.gui.history.summary_text import SNIPPET_LEAD_CHARS, snippet_segments
    from roundtable.storage import SNIPPET_END, SNIPPET_START

    lead = (
        "…To quentorfenquen disagree which fenkaporquen porquennedar porhilmi "
        "takaquenlo and in the "
    )
    segments = snippet_segments(f"{lead}{SNIPPET_START}evidence{SNIPPET_END} claim.")
    shown, matched = segments[0][0], segments[1]
    assert matched == ("evidence", True)
    assert shown.startswith("…")
    assert len(shown) <= SNIPPET_LEAD_CHARS + 1
    assert shown.endswith(" in the ")  # whole words, up to the match
    short = snippet_segments(f"As {SNIPPET_START}claim{SNIPPET_END} goes")
    assert short == [("As ", False), ("claim", True), (" goes", False)]
