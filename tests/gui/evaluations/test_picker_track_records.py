"""The model picker shows each model's track record from the stored evaluation runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from roundtable.engine.evaluation.track_record import track_records
from roundtable.gui.setup.panel import SetupPanel
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from roundtable.providers.discovery import demo_models
from roundtable.storage import open_database
from roundtable.storage.track_records import solo_answers

pytestmark = pytest.mark.slow  # the run is made with the real `roundtable eval`


def labels(panel: SetupPanel) -> dict[str, str]:
    """What the picker shows for each model id, with its tooltip."""
    shown = {}
    for model in panel.picker.model_ids():
        panel.picker.choose(model)
        combo = panel.picker.combo
        tip = combo.itemData(combo.currentIndex(), 3)  # Qt.ToolTipRole
        shown[model] = f"{combo.currentText()}\n{tip}"
    return shown


def test_the_picker_shows_the_record_of_each_model_that_sat_an_evaluation(
    qtbot, eval_db: Path
) -> None:
    database = open_database(eval_db)
    panel = SetupPanel(AppSettings(), model_lister=lambda _servers: demo_models())
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: bool(panel.picker.model_ids()), timeout=3000)
    before = labels(panel)
    assert not any("on arithmetic" in label for label in before.values())

    with qtbot.waitSignal(panel.catalogue.records_changed, timeout=10_000):
        panel.catalogue.set_database(database)

    records = track_records(solo_answers(database))
    shown = labels(panel)
    assert records  # the demo table sat the run
    for model, record in records.items():
        headline = record.headline.describe()  # "67 % on arithmetic (n=3) · …"
        assert model in shown, model
        first_line, tip = shown[model].split("\n", 1)
        assert headline in first_line
        assert first_line.count("simulated") == 1  # said once, not twice
        assert f"Track record from your evaluation runs: {record.summary()}" in tip
    # A model that never sat an evaluation shows no record.
    unrecorded = set(shown) - set(records)
    assert all(" on " not in shown[model].split("\n", 1)[0] for model in unrecorded)
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=3000)
    database.close()


def test_weigh_the_vote_by_track_record_sends_the_seats_records_with_the_debate(
    qtbot, eval_db: Path
) -> None:
    database = open_database(eval_db)
    panel = SetupPanel(AppSettings(), model_lister=lambda _servers: demo_models())
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.seat_model.rowCount() == 3, timeout=3000)
    panel.set_question("What is 2+2?")
    option = panel.record_vote

    option.check.setChecked(True)  # before the records are read: nothing to weigh by
    assert not panel.start_button.isEnabled()
    assert "No seat's model has a track record yet" in panel.problems_label.text()

    with qtbot.waitSignal(panel.catalogue.records_changed, timeout=10_000):
        panel.catalogue.set_database(database)
    assert panel.start_button.isEnabled()
    weights = panel.spec().record_weights
    assert weights is not None
    seated = {seat.id for seat in panel.spec().seats}
    assert {record.seat_id for record in weights.records} == seated
    assert "Records of Ada, Basil, Cyra" in option.note.text()

    option.check.setChecked(False)
    assert panel.spec().record_weights is None

    # A protocol whose answer is not a vote cannot be weighed: the box is not offered.
    option.check.setChecked(True)
    panel.protocol_combo.setCurrentIndex(panel.protocol_combo.findData("council"))
    assert not option.check.isEnabled()
    assert panel.spec().record_weights is None
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=3000)
    database.close()
