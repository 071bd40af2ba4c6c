"""The setup form's protocol roles (chair, judge, aggregator, sides) and a seat for a person."""

from __future__ import annotations

import pytest

from roundtable.domain import (
    Seat,
)
from roundtable.gui.setup.panel import SetupPanel
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
    widget.set_question("Which database?")
    yield widget
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=3000)


def choose(panel: SetupPanel, protocol: str) -> None:
    panel.protocol_combo.setCurrentIndex(panel.protocol_combo.findData(protocol))


def test_role_pickers_follow_the_protocol_and_reach_the_spec(panel):
    choose(panel, "council")
    roles = panel.roles
    assert roles.chair_label.text().replace("&", "") == "Chair:"
    assert roles.chair_combo.isVisibleTo(panel)
    assert roles.chair_combo.findData("elected") >= 0  # the peer ranking may elect it
    roles.chair_combo.setCurrentIndex(roles.chair_combo.findText("Grace"))
    roles.judge_combo.setCurrentIndex(roles.judge_combo.findText("Linus"))
    spec = panel.spec()
    assert (spec.chair, spec.judge) == ("grace", "linus")

    choose(panel, "mixture")
    assert roles.chair_label.text().replace("&", "") == "Aggregator:"
    assert roles.chair_combo.findData("elected") < 0
    assert panel.spec().chair == "grace"  # the pick survives a change of protocol

    choose(panel, "moderated")
    assert roles.chair_label.text().replace("&", "") == "Judge:"
    assert roles.sides_label.text() == "Affirmative: Ada · Negative: Grace"
    assert not roles.judge_combo.isVisibleTo(panel)  # the moderator judges there
    assert panel.spec().judge is None

    choose(panel, "vote")
    assert not roles.chair_combo.isVisibleTo(panel)
    assert not roles.judge_combo.isVisibleTo(panel)
    assert (panel.spec().chair, panel.spec().judge) == (None, None)


def test_a_seat_for_you_is_a_person_named_you(panel, qtbot):
    panel.set_table([Seat(id="", name="Ada", model="demo/ada")], "roundtable", 3)
    panel.table.you_button.click()
    seat = panel.seat_model.seats()[-1]
    assert (seat.name, seat.model, seat.is_human) == ("You", "human", True)
    # A person needs no key (the key check runs on a worker: wait for its answer).
    qtbot.waitUntil(lambda: panel.problems() == [], timeout=5_000)
