"""The setup form treats a question of zero-width characters as no question, as the
engine does (`roundtable.domain.limits.is_blank`)."""

from __future__ import annotations

import pytest

from roundtable.gui.setup.panel import ASK_QUESTION, SetupPanel
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from roundtable.providers.discovery import demo_models
from tests.helpers.debates import BAT_AND_BALL_SEATS as SEATS


@pytest.fixture
def panel(qtbot, qapp):
    widget = SetupPanel(AppSettings(), model_lister=lambda _servers: demo_models())
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.picker.model_ids() != [], timeout=3000)
    widget.set_table(SEATS, "roundtable", 3)
    yield widget
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=3000)


def test_a_question_of_zero_width_characters_asks_for_a_question(panel):
    panel.set_question("\u200b\u200c\u200d\ufeff\u2060")
    assert ASK_QUESTION in panel.problems()

    panel.set_question("\u200bWhich database?")
    assert ASK_QUESTION not in panel.problems()
