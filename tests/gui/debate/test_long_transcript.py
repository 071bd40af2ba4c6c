"""A long debate in the transcript: only what is on screen is made, and it still reads,
selects, copies, links, streams and replays like a short one."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QApplication

from roundtable.domain import (
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
)
from roundtable.gui.debate.row_widgets import MAX_REALISED
from roundtable.gui.debate.turn_card import TurnCard
from roundtable.gui.debate.view import DebateView
from roundtable.gui.replay.controller import ReplayController
from tests.helpers.events import EventBuilder, answer, usage

WORDS = [
    "the",
    "seats",
    "weigh",
    "answer",
    "table",
    "ball",
    "bat",
    "cost",
    "cents",
    "round",
    "argue",
    "agree",
    "because",
]
SEATS = tuple(Seat(id=f"s{i}", name=f"Seat {i}", model=f"demo/s{i}") for i in range(4))


def long_debate(rounds: int, *, link_in: tuple[int, str] | None = None) -> list[Event]:
    """`rounds` rounds of four seats, each turn a few paragraphs of ~150 words."""
    rng = random.Random(rounds)
    log = EventBuilder("long")
    log.add(DebateStarted, spec=DebateSpec(question="How much?", seats=SEATS, max_rounds=rounds))
    for rnd in range(rounds):
        log.add(RoundStarted, round=rnd, seat_ids=tuple(s.id for s in SEATS))
        for seat in SEATS:
            log.add(TurnStarted, round=rnd, seat_id=seat.id)
        for seat in SEATS:
            paragraphs = [" ".join(rng.choices(WORDS, k=50)) + "." for _ in range(3)]
            if link_in == (rnd, seat.id):
                paragraphs.append("See [the source](https://example.org/source).")
            text = "\n\n".join([f"Turn {rnd}/{seat.id}.", *paragraphs, "Final answer: 5"])
            log.add(
                TurnFinished,
                round=rnd,
                seat_id=seat.id,
                text=text,
                answer=answer("5", 0.8),
                usage=usage(300, 200),
            )
        log.add(RoundFinished, round=rnd, tally={"5": 3.2}, agreement=1.0, leader="5")
    log.add(
        DebateFinished,
        final_answer="5",
        consensus=True,
        rule="confidence-weighted vote",
        tally={"5": 3.2},
        usage=usage(1, 1),
        rounds=rounds,
    )
    return log.events


def settle() -> None:
    """What the event loop does between two frames, deleting widgets let go too."""
    for _ in range(3):
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def turn_cards(view: DebateView) -> list[TurnCard]:
    """Every turn card that exists as a widget, whether the transcript lists it or not."""
    return view.transcript.findChildren(TurnCard)


@pytest.fixture
def view(qtbot):
    widget = DebateView()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_opening_a_long_debate_makes_a_screenful_of_cards_and_shows_its_end(view):
    view.apply_all(long_debate(250))  # 1,000 turns
    settle()
    made = turn_cards(view)
    assert 1 <= len(made) <= 8, f"{len(made)} turn cards made for one screen"
    # Opened at its end: the last round's turns and the outcome are what is on screen.
    assert all(card.round_index == 249 for card in on_screen(view))
    assert view.transcript.outcome.isVisibleTo(view)
    bar = view.transcript.verticalScrollBar()
    assert bar.value() == bar.maximum() > 100_000  # every turn's height is counted


def test_scrolling_through_keeps_the_cards_made_bounded_and_shows_each_turn(view):
    view.apply_all(long_debate(60))
    settle()
    bar = view.transcript.verticalScrollBar()
    bar.setValue(0)
    settle()
    assert view.transcript.cards()[0].key == (0, "s0")  # the first turn, at the top
    seen = set()
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + 400)
        settle()
        seen |= {card.key for card in view.transcript.cards()}
        assert len(turn_cards(view)) <= MAX_REALISED
    assert len(seen) == 240  # every turn was drawn on the way down
    assert (59, "s3") in {card.key for card in view.transcript.cards()}


def test_a_row_read_mid_way_stays_put_while_heights_above_it_settle(view):
    view.apply_all(long_debate(80))
    settle()
    bar = view.transcript.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    settle()
    top = min(
        view.transcript.cards(), key=lambda c: abs(c.mapTo(view.transcript, c.rect().topLeft()).y())
    )
    where = top.mapTo(view.transcript.viewport(), top.rect().topLeft()).y()
    for _ in range(5):  # new measurements above may move the rows, never what is read
        bar.setValue(bar.value() - 1)
        bar.setValue(bar.value() + 1)
        settle()
    assert top.mapTo(view.transcript.viewport(), top.rect().topLeft()).y() == where
    assert not view.transcript.following


def test_replaying_a_long_debate_keeps_the_cards_made_bounded(view, qtbot):
    events = long_debate(50)
    view.apply_all(events)
    controller = ReplayController(view)
    controller.set_events(events)
    controller.to_start()
    settle()
    most = 0
    while controller.position < controller.total_turns:
        controller.next_turn()
        settle()
        most = max(most, len(turn_cards(view)))
    assert most <= MAX_REALISED
    last = view.transcript.card(49, "s3")
    assert last is not None
    assert "Turn 49/s3." in last.body_text()
    for _ in range(3):  # stepping back keeps the cards on screen rather than remaking them
        controller.previous_turn()
        settle()
        assert len(turn_cards(view)) <= MAX_REALISED
    assert view.transcript.card(49, "s3") is not None


def test_text_in_a_card_of_a_long_debate_selects_copies_and_links(view, qtbot, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toString()))
    )
    view.apply_all(long_debate(100, link_in=(40, "s2")))
    settle()
    view.transcript.show_turn(40, "s2")
    settle()
    card = view.transcript.card(40, "s2")
    assert card is not None
    assert card.isVisibleTo(view)
    body = card.body
    body.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClick(body, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(body, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text()
    assert copied.startswith("Turn 40/s2.")
    assert "Final answer: 5" in copied
    found = body.document().find("the source")
    assert not found.isNull()
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionStart() + 2)
    point = body.cursorRect(cursor).center()
    qtbot.mouseClick(body.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened == [QUrl("https://example.org/source").toString()]


def test_live_streaming_updates_the_last_turn_at_the_end_of_a_long_debate(view, qtbot):
    events = long_debate(60)
    view.apply_all(events[:-1])  # all but the end: still running
    log = EventBuilder("long")
    log.events = list(events[:-1])
    log.add(RoundStarted, round=60, seat_ids=("s0",))
    log.add(TurnStarted, round=60, seat_id="s0")
    deltas = log.stream_text(60, "s0", "Streaming now: the bat costs a dollar.", chunk=8)
    for event in log.events[len(events) - 1 :]:
        view.apply(event)
    assert deltas
    qtbot.waitUntil(
        lambda: (
            (card := view.transcript.card(60, "s0")) is not None and "dollar." in card.body_text()
        )
    )
    card = view.transcript.card(60, "s0")
    qtbot.waitUntil(lambda: card.isVisibleTo(view))
    bar = view.transcript.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert view.transcript.following
    assert len(turn_cards(view)) <= MAX_REALISED


def on_screen(view: DebateView) -> list[TurnCard]:
    """The turn cards that show in the transcript's viewport now."""
    transcript = view.transcript
    top = transcript.verticalScrollBar().value()
    bottom = top + transcript.viewport().height()
    return [c for c in transcript.cards() if c.y() < bottom and c.y() + c.height() > top]


def test_the_cards_a_page_below_are_made_while_idle_so_paging_down_makes_none(view, qtbot):
    view.apply_all(long_debate(60))
    settle()
    transcript = view.transcript
    bar = transcript.verticalScrollBar()
    bar.setValue(0)
    qtbot.waitUntil(lambda: transcript.settled)
    for _ in range(3):
        made_before = set(map(id, turn_cards(view)))
        transcript.setFocus()
        qtbot.keyClick(transcript, Qt.Key.Key_PageDown)
        # The frame of the key press shows cards made before it, none still to come.
        shown = on_screen(view)
        assert shown
        assert all(id(card) in made_before for card in shown)
        top = bar.value()
        assert transcript.waiting_rects(top, top + transcript.viewport().height()) == []
        assert all(card.body_text().startswith(f"Turn {card.round_index}/") for card in shown)
        qtbot.waitUntil(lambda: transcript.settled)
    assert len(turn_cards(view)) <= MAX_REALISED


def test_the_cards_a_page_above_are_made_too_for_reading_upwards(view, qtbot):
    view.apply_all(long_debate(60))  # opened at its end
    transcript = view.transcript
    qtbot.waitUntil(lambda: transcript.settled)
    made_before = set(map(id, turn_cards(view)))
    transcript.setFocus()
    qtbot.keyClick(transcript, Qt.Key.Key_PageUp)
    shown = on_screen(view)
    assert shown
    assert all(id(card) in made_before for card in shown)


def test_cards_used_again_for_other_turns_say_whose_turn_they_show(view, qtbot):
    view.apply_all(long_debate(30))
    transcript = view.transcript
    bar = transcript.verticalScrollBar()
    bar.setValue(0)
    qtbot.waitUntil(lambda: transcript.settled)
    checked = 0
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + 700)
        settle()
        for card in on_screen(view):
            rnd, seat_id = card.key
            name = f"Seat {seat_id[1:]}"
            assert card.name_label.text() == name
            assert card.accessibleName() == f"{name}, round {rnd + 1}"
            assert card.body.accessibleName() == f"Text of {name}, round {rnd + 1}"
            assert card.body_text().startswith(f"Turn {rnd}/{seat_id}.")
            assert card.copy_button.accessibleName() == f"Copy {name}'s turn"
            checked += 1
    assert checked > 60
