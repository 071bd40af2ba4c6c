"""The cost in the setup panel: a seat's own price, the live estimate under Start, the budget."""

from __future__ import annotations

import pytest

from roundtable.domain import Seat
from roundtable.gui.setup.cost_estimate import NO_BUDGET
from roundtable.gui.setup.panel import SetupPanel
from roundtable.gui.setup.seat_editor import SeatEditor
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from roundtable.providers.discovery import demo_models

UNLISTED = Seat(id="", name="Mine", model="openai/my-finetune", api_base="http://127.0.0.1:9/v1")


@pytest.fixture
def panel(qtbot, qapp) -> SetupPanel:
    panel = SetupPanel(AppSettings(), model_lister=lambda _servers: demo_models())
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.seat_model.rowCount() == 3, timeout=3000)
    yield panel
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=3000)


def shown_estimate(panel: SetupPanel, qtbot, containing: str) -> str:
    qtbot.waitUntil(lambda: containing in panel.cost.range_label.text(), timeout=3000)
    return panel.cost.range_label.text()


def test_the_demo_table_shows_its_estimate_under_start_and_says_free(panel, qtbot):
    text = shown_estimate(panel, qtbot, "Estimate:")

    assert " tokens · free · 1–3 rounds" in text
    assert "free: simulated demo model" in panel.cost.range_label.toolTip()
    assert panel.budget_spin.text() == NO_BUDGET
    assert panel.spec().budget_usd is None


def test_the_estimate_follows_the_rounds_the_protocol_and_the_question(panel, qtbot):
    shown_estimate(panel, qtbot, "1–3 rounds")
    panel.rounds_spin.setValue(5)
    shown_estimate(panel, qtbot, "1–5 rounds")
    panel.protocol_combo.setCurrentIndex(panel.protocol_combo.findData("vote"))
    shown_estimate(panel, qtbot, "· 1 round")
    before = panel.cost.estimate
    assert before is not None
    panel.set_question("Explain, step by step, " * 200)
    qtbot.waitUntil(lambda: panel.cost.estimate is not before, timeout=3000)
    assert panel.cost.estimate.high_tokens > before.high_tokens


def test_a_priced_table_shows_dollars_and_the_budget_verdict(panel, qtbot):
    seats = [Seat("", "GPT", "openai/gpt-4o"), Seat("", "Claude", "anthropic/claude-sonnet-4-5")]
    panel.set_table(seats, None, 3)
    shown_estimate(panel, qtbot, "$")
    estimate = panel.cost.estimate
    assert estimate is not None
    assert estimate.high_cost_usd is not None

    panel.set_budget(round(estimate.high_cost_usd + 1, 2))
    qtbot.waitUntil(lambda: "fits" in panel.cost.budget_label.text(), timeout=3000)
    panel.set_budget(0.01)
    qtbot.waitUntil(lambda: "may stop before" in panel.cost.budget_label.text(), timeout=3000)
    assert panel.spec().budget_usd == 0.01
    assert not any("budget" in problem for problem in panel.problems())  # listed prices


def test_a_budget_with_an_unpriced_seat_keeps_start_disabled_until_it_is_priced(panel, qtbot):
    panel.add_seat(UNLISTED)
    shown_estimate(panel, qtbot, "cost unknown (no price for Mine)")
    assert panel.is_valid()  # without a budget an unknown price is only unknown

    panel.set_budget(2.0)
    assert not panel.start_button.isEnabled()
    assert "nobody knows the price of 'Mine'" in panel.problems_label.text()

    panel.seat_list.setCurrentIndex(panel.seat_model.index(3))
    editor = panel.table.editor
    editor.own_price_check.setChecked(True)
    editor.price_in_spin.setValue(0.2)
    editor.price_out_spin.setValue(0.6)

    assert panel.start_button.isEnabled()
    mine = panel.spec().seats[3]
    assert (mine.price_in_per_mtok, mine.price_out_per_mtok) == (0.2, 0.6)
    shown_estimate(panel, qtbot, "$")


def test_the_seat_editor_says_where_the_price_comes_from(qtbot):
    editor = SeatEditor()
    qtbot.addWidget(editor)

    editor.set_seat(Seat("g", "GPT", "openai/gpt-4o"))
    listed = "$2.50 / $10.00 per M tokens in / out (litellm's price list)"
    assert editor.price_label.text() == listed
    assert editor.price_in_spin.isHidden()
    editor.set_seat(Seat("m", "Mine", "openai/my-finetune"))
    assert editor.price_label.text() == "price unknown"
    editor.set_seat(Seat("l", "Llama", "ollama_chat/llama3.1:70b-custom"))
    assert editor.price_label.text() == "free: runs on your machine"
    editor.set_seat(Seat("a", "Ada", "demo/ada"))
    assert editor.own_price_check.isHidden()


def test_own_price_sets_both_halves_and_unchecking_clears_both(qtbot):
    editor = SeatEditor()
    qtbot.addWidget(editor)
    editor.set_seat(Seat("m", "Mine", "openai/my-finetune"))
    with qtbot.waitSignal(editor.seat_edited) as edited:
        editor.own_price_check.setChecked(True)
    assert (edited.args[0].price_in_per_mtok, edited.args[0].price_out_per_mtok) == (0.0, 0.0)
    assert editor.price_label.isHidden()  # the two prices themselves are shown instead
    assert not editor.price_in_spin.isHidden()

    editor.price_out_spin.setValue(1.5)
    assert editor.seat().price_out_per_mtok == 1.5
    editor.price_in_spin.setValue(-3)  # the box refuses a negative price
    assert editor.seat().price_in_per_mtok == 0.0

    editor.own_price_check.setChecked(False)
    assert (editor.seat().price_in_per_mtok, editor.seat().price_out_per_mtok) == (None, None)
    assert editor.price_label.text() == "price unknown"
    assert not editor.price_label.isHidden()
