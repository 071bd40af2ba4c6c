"""The history highlights the debate on screen, and only it: a new debate, a stored
one opened from elsewhere, the setup form (none), with or without a search."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from roundtable.domain import DebateSpec, DebateStarted, Seat
from tests.helpers.debates import bat_and_ball_debate
from tests.helpers.events import EventBuilder
from tests.helpers.windows import record, window_on_history

NEW_QUESTION = "Tea or coffee?"


@pytest.fixture
def window(qtbot, tmp_path):
    with window_on_history(qtbot, tmp_path, bat_and_ball_debate("stored")) as win:
        yield win


def _start_new_debate(window) -> None:  # type: ignore[no-untyped-def]
    """Start a debate; the engine stores its start and reports it, as the real one does."""
    spec = DebateSpec(
        question=NEW_QUESTION,
        seats=(
            Seat(id="a", name="Ada", model="demo/ada"),
            Seat(id="b", name="Bo", model="demo/bo"),
        ),
    )
    window.start_debate(spec)
    started = EventBuilder("live-1", start=datetime.now(UTC)).add(DebateStarted, spec=spec)
    record(window.db_location, [started])
    window._engine_event(started)


def test_a_new_debate_takes_the_highlight_from_the_one_shown_before(window, qtbot):
    history = window.history
    window.open_debate("stored")
    assert history.current_debate_id() == "stored"
    window.show_setup()
    assert history.current_debate_id() is None, "the setup form shows no stored debate"
    window.open_debate("stored")
    _start_new_debate(window)
    assert [history.model.summary(row).id for row in range(2)] == ["live-1", "stored"]
    assert history.current_debate_id() == "live-1"
    assert history.list.selectionModel().selectedIndexes()[0].row() == 0


def test_with_a_search_active_the_old_row_does_not_stay_highlighted(window, qtbot):
    history = window.history
    history.search_box.setText("bat")
    qtbot.waitUntil(lambda: history.shown_query == "bat", timeout=5000)
    window.open_debate("stored")
    assert history.current_debate_id() == "stored"
    with qtbot.waitSignal(history.searched, timeout=5000):  # the refresh searches again
        _start_new_debate(window)
    assert history.model.rowCount() == 1, "the new debate does not match the search"
    assert history.current_debate_id() is None
    assert history.list.selectionModel().selectedIndexes() == []
    # Clearing the search shows the new debate, highlighted.
    with qtbot.waitSignal(history.searched, timeout=5000):
        history.search_box.clear()
    assert history.current_debate_id() == "live-1"
