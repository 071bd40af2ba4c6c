"""The history of a store a team shares offers "Only mine": the debates started under
your name, in the list and in search results. A personal SQLite file does not offer it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from roundtable.gui.history.model import IdRole
from roundtable.gui.history.panel import HistoryPanel
from roundtable.storage import open_database
from tests.gui.history.test_history import debate_events, record

pytestmark = pytest.mark.postgres


def _click(qtbot, panel: HistoryPanel) -> None:
    """Click the box itself (the widget runs the panel's width; its label is at the left)."""
    box = panel.mine_only
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _ids(panel: HistoryPanel) -> list[str]:
    return [panel.model.index(r, 0).data(IdRole) for r in range(panel.model.rowCount())]


def test_only_mine_lists_and_searches_my_debates(qtbot, postgres_url, monkeypatch):
    db = open_database(postgres_url)
    try:
        for person, debate_id, question in (
            ("Ada", "by-ada", "Is a hot dog a sandwich?"),
            ("Basil", "by-basil", "Is a taco a sandwich?"),
        ):
            monkeypatch.setenv("ROUNDTABLE_USER", person)
            record(db, debate_events(debate_id, question, minutes_ago=10))
        monkeypatch.setenv("ROUNDTABLE_USER", "Ada")
        panel = HistoryPanel()
        qtbot.addWidget(panel)
        panel.set_database(db)
        panel.show()
        qtbot.waitExposed(panel)
        assert panel.mine_only.isVisible()
        assert sorted(_ids(panel)) == ["by-ada", "by-basil"]

        _click(qtbot, panel)
        assert _ids(panel) == ["by-ada"]
        with qtbot.waitSignal(panel.searched, timeout=5000):
            qtbot.keyClicks(panel.search_box, "sandwich")
        assert _ids(panel) == ["by-ada"]
        _click(qtbot, panel)
        qtbot.waitUntil(lambda: sorted(_ids(panel)) == ["by-ada", "by-basil"], timeout=5000)
    finally:
        db.close()


def test_a_personal_file_has_no_person_filter(qtbot, tmp_path):
    with open_database(tmp_path / "mine.db") as db:
        panel = HistoryPanel()
        qtbot.addWidget(panel)
        panel.set_database(db)
        panel.show()
        assert not panel.mine_only.isVisible()


def test_a_rows_tooltip_says_who_started_the_debate(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_USER", "Cyra")
    with open_database(tmp_path / "mine.db") as db:
        record(db, debate_events("by-cyra", "Is a taco a sandwich?", minutes_ago=5))
        panel = HistoryPanel()
        qtbot.addWidget(panel)
        panel.set_database(db)
        tip = panel.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith("Started by Cyra")
