"""The setup form meets the same limits as the engine (`roundtable.domain.limits`): a
question of zero-width characters is no question, a seat's text over a limit is named."""

from __future__ import annotations

import pytest

from roundtable.domain import Seat
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


def test_a_seat_with_a_pasted_huge_persona_is_named_before_the_debate_starts(panel):
    panel.set_question("Which database?")
    panel.set_table(
        [
            Seat(id="", name="Ada", model="demo/ada", persona="Be terse. " * 1_000_000),
            Seat(id="", name="Basil", model="demo/basil"),
        ],
        "roundtable",
        3,
    )

    assert (
        "Seat 'Ada': the persona is 10,000,000 characters long; the limit is 8,000. "
        "Keep to the role and the tone the seat should take."
    ) in panel.problems()
