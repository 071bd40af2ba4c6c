"""Every screen works at 1000x650: no field over another, no text cut, no sideways scroll.

At that size the window gives the setup panel and the debate view about 700x570 (the
history takes the rest). Before, the table form was squeezed until Temperature sat on
Persona and a seat's server URL was cut to "http://", and a round's one-line summary
gave the transcript a horizontal scrollbar that hid the end of the final answer.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from roundtable.domain import DebateStarted, RoundFinished, Seat, TurnFinished
from roundtable.gui.debate.view import DebateView
from roundtable.gui.setup.panel import SetupPanel
from roundtable.gui.style.theme import apply_theme
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from roundtable.providers.discovery import demo_models
from tests.helpers.debates import bat_and_ball_debate

#: The room the window's right-hand page has at 1000x650.
PAGE_WIDTH, PAGE_HEIGHT = 700, 570
SERVER_SEAT = Seat(
    id="",
    name="fake-gpt",
    model="openai/fake-gpt",
    api_base="http://127.0.0.1:8080/v1",
    persona="You are a careful statistician who checks every step twice.",
)


@pytest.fixture(autouse=True)
def themed(qapp):
    """As the app runs: its style sheet pads cards and fields (and so needs more room)."""
    apply_theme(qapp, "light")


@pytest.fixture
def panel(qtbot, qapp):
    widget = SetupPanel(AppSettings(), model_lister=lambda _servers: demo_models())
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.picker.model_ids() != [], timeout=3000)
    widget.add_seat(SERVER_SEAT)  # selected: the editor shows its model and URL
    widget.resize(max(PAGE_WIDTH, widget.minimumSizeHint().width()), PAGE_HEIGHT)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=3000)


def _form_rows(form: QFormLayout) -> list[QWidget]:
    shown = []
    for index in range(form.count()):
        item = form.itemAt(index)
        widget = item.widget() if item is not None else None
        if widget is not None and widget.isVisible():
            shown.append(widget)
    return shown


def _overlaps(widgets: list[QWidget]) -> list[str]:
    found = []
    for first, second in itertools.combinations(widgets, 2):
        if first.geometry().intersects(second.geometry()):
            found.append(
                f"{first.accessibleName() or first.objectName() or type(first).__name__}"
                f" over {second.accessibleName() or type(second).__name__}"
            )
    return found


def _cut_labels(widgets: list[QWidget]) -> list[str]:
    """Wrapped labels shorter than their text needs at their width."""
    return [
        label.text()
        for label in widgets
        if isinstance(label, QLabel)
        and label.wordWrap()
        and label.height() < label.heightForWidth(label.width())
    ]


def test_the_table_form_fits_a_small_window_without_overlap(panel: SetupPanel, qtbot):
    editor_form = panel.table.editor.layout()
    debate_form = panel.protocol_combo.parentWidget().layout()
    assert isinstance(editor_form, QFormLayout)
    assert isinstance(debate_form, QFormLayout)
    for form in (editor_form, debate_form):
        rows = _form_rows(form)
        assert _overlaps(rows) == []
        assert _cut_labels(rows) == []
    # The seat's whole server URL is on screen, not just "http://".
    model_label = panel.table.editor.model_label
    assert "http://127.0.0.1:8080/v1" in model_label.text()
    assert model_label.height() >= model_label.heightForWidth(model_label.width())
    # The persona box keeps room to read a line or two.
    assert panel.table.editor.persona_edit.height() >= 40
    # Nothing scrolls sideways, and Start stays on screen.
    assert not panel.cards_area.horizontalScrollBar().isVisible()
    start = panel.start_button.geometry()
    assert panel.rect().contains(start)


def test_a_seats_own_price_fits_the_small_window_too(panel: SetupPanel, qtbot):
    editor = panel.table.editor
    editor.own_price_check.setChecked(True)  # two price boxes appear
    qtbot.wait(20)
    assert editor.price_in_spin.isVisible()
    # The form does not get wider than the room it has (it squeezed the history).
    assert panel.minimumSizeHint().width() <= PAGE_WIDTH
    form = editor.layout()
    assert isinstance(form, QFormLayout)
    assert _overlaps(_form_rows(form)) == []
    price_row = editor.price_in_spin.parentWidget()
    assert price_row.height() >= price_row.minimumSizeHint().height()  # not cut


def test_the_table_form_keeps_its_height_when_the_protocol_changes(panel: SetupPanel, qtbot):
    heights = set()
    for index in range(panel.protocol_combo.count()):
        panel.protocol_combo.setCurrentIndex(index)
        qtbot.wait(10)
        heights.add((panel.table.height(), panel.question_edit.y()))
    assert len(heights) == 1, f"the form moved: {sorted(heights)}"


def test_the_debate_view_never_scrolls_sideways_at_a_small_width(qtbot, qapp):
    view = DebateView()
    qtbot.addWidget(view)
    view.resize(PAGE_WIDTH, PAGE_HEIGHT)
    view.show()
    qtbot.waitExposed(view)
    long_leader = "the bat costs one dollar and five cents and the ball five cents"
    for event in bat_and_ball_debate():
        if isinstance(event, RoundFinished):
            fields = {name: getattr(event, name) for name in event.__dataclass_fields__}
            event = RoundFinished(**{**fields, "leader": long_leader})  # noqa: PLW2901
        view.apply(event)
    qtbot.wait(50)
    bar = view.transcript.horizontalScrollBar()
    assert bar.maximum() == 0, f"the transcript scrolls {bar.maximum()} px sideways"


LONG_MODEL = "openrouter/anthropic/claude-3.5-sonnet-20241022-long-context-preview"
LONG_ANSWER = "PostgreSQL with JSONB columns for the parts whose shape still changes"


def test_long_model_ids_and_answers_do_not_push_the_transcript_sideways(qtbot, qapp):
    view = DebateView()
    qtbot.addWidget(view)
    view.resize(PAGE_WIDTH, PAGE_HEIGHT)
    view.show()
    qtbot.waitExposed(view)
    for event in bat_and_ball_debate():
        if isinstance(event, DebateStarted):
            seats = tuple(dataclasses.replace(s, model=LONG_MODEL) for s in event.spec.seats)
            event = dataclasses.replace(event, spec=dataclasses.replace(event.spec, seats=seats))  # noqa: PLW2901
        if isinstance(event, TurnFinished) and event.answer is not None:
            answer = dataclasses.replace(event.answer, display=LONG_ANSWER)
            event = dataclasses.replace(event, answer=answer)  # noqa: PLW2901
        view.apply(event)
    qtbot.wait(50)
    bar = view.transcript.horizontalScrollBar()
    assert bar.maximum() == 0, f"the transcript scrolls {bar.maximum()} px sideways"
    # What no longer fits is elided, and the whole text is a hover away.
    card = view.transcript.card(0, view.state.rounds[0].ordered_turns({})[0].seat_id)
    assert LONG_ANSWER in card.answer_chip.toolTip() or card.answer_chip.text() == LONG_ANSWER
    assert LONG_MODEL in (card.model_label.toolTip() + card.model_label.text())
