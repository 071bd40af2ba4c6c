"""A seat's reply length in the app's seat editor: the default it gets, said in the
box, and the user's own number, which the debate then asks for."""

from __future__ import annotations

from roundtable.domain import Seat
from roundtable.domain.reply_size import DEFAULT_MAX_TOKENS
from roundtable.gui.setup.seat_editor import SeatEditor


def test_the_box_shows_the_models_default_and_takes_the_seats_own(qtbot):
    editor = SeatEditor()
    qtbot.addWidget(editor)
    edited: list[Seat] = []
    editor.seat_edited.connect(edited.append)
    editor.set_seat(Seat(id="a", name="A", model="openai/some-local-model"))
    assert editor.max_tokens_spin.text() == f"default ({DEFAULT_MAX_TOKENS:,})"

    editor.max_tokens_spin.setValue(1500)
    assert edited[-1].max_tokens == 1500
    editor.max_tokens_spin.setValue(0)  # back to the default
    assert edited[-1].max_tokens is None


def test_a_seats_own_limit_is_shown_and_a_person_has_none(qtbot):
    editor = SeatEditor()
    qtbot.addWidget(editor)
    editor.set_seat(Seat(id="a", name="A", model="openai/x", max_tokens=800))
    assert editor.max_tokens_spin.value() == 800
    editor.set_seat(Seat(id="p", name="Me", model="human"))
    assert editor.max_tokens_spin.isHidden()
