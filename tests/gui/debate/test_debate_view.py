"""The debate view as a person sees it: the table, the transcript, filters and diffs."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from roundtable.domain import (
    DebateCancelled,
    DebateSpec,
    DebateStarted,
    RoundStarted,
    Seat,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
)
from roundtable.gui.debate.round_table import agreement_tooltip, seat_tooltip
from roundtable.gui.debate.round_table_layout import table_layout
from roundtable.gui.debate.state import Phase
from roundtable.gui.debate.view import DebateView
from roundtable.gui.style.theme import apply_theme
from tests.helpers.debates import (
    ADA_R0,
    GRACE_R1,
)
from tests.helpers.debates import (
    bat_and_ball_debate as demo_debate_events,
)


@pytest.fixture
def view(qtbot):
    widget = DebateView()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def first(events, predicate) -> int:
    return next(i for i, event in enumerate(events) if predicate(event))


def feed(view: DebateView, events) -> None:
    for event in events:
        view.apply(event)


def described(view: DebateView) -> str:
    return view.table.accessibleDescription()


def test_seat_states_follow_the_events(view, demo_events):
    ada_delta = first(demo_events, lambda e: isinstance(e, TurnDelta) and e.seat_id == "ada")
    feed(view, demo_events[:ada_delta])
    assert "Ada: thinking" in described(view)
    assert view.table.animating  # someone is working: the indicator moves

    view.apply(demo_events[ada_delta])
    assert "Ada: streaming" in described(view)

    ada_done = first(demo_events, lambda e: isinstance(e, TurnFinished) and e.seat_id == "ada")
    feed(view, demo_events[ada_delta + 1 : ada_done + 1])
    assert "Ada: done, answer 5 (90%)" in described(view)

    linus_failed = first(demo_events, lambda e: isinstance(e, TurnFailed))
    feed(view, demo_events[ada_done + 1 : linus_failed + 1])
    assert "Linus: failed" in described(view)
    tooltip = seat_tooltip(view.state.seats["linus"])
    assert "stopped streaming for 30 s; check the provider status" in tooltip

    feed(view, demo_events[linus_failed + 1 :])
    assert not view.table.animating  # nothing left to animate: the timer is off
    assert "Partly simulated answer: 5" in described(view)  # Ada is a demo seat
    # Hovering the table explains the little agreement chart.
    assert agreement_tooltip(view.state) == (
        "Round 1: 67% agree, leading 5<br>Round 2: 100% agree, leading 5"
    )


def test_streamed_text_becomes_the_card_text_then_rendered_markdown(view, qtbot, demo_events):
    ada_done = first(demo_events, lambda e: isinstance(e, TurnFinished) and e.seat_id == "ada")
    feed(view, demo_events[:ada_done])
    card = view.transcript.card(0, "ada")
    # Deltas are batched: the card catches up at the next flush, as plain text.
    qtbot.waitUntil(lambda: card.body_text() == ADA_R0)
    assert "**x**" in card.body_text()

    view.apply(demo_events[ada_done])
    # A live turn's Markdown renders on a later event-loop pass (one card per pass).
    qtbot.waitUntil(lambda: "**" not in card.body_text())
    cursor = card.body.document().find("x")
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    keyword = card.body.document().find("==").charFormat().foreground().color()
    number = card.body.document().find("110").charFormat().foreground().color()
    assert keyword != number  # the code block is highlighted
    assert card.body.document().find("105¢").currentTable() is not None
    assert card.answer_chip.text() == "5"
    assert card.confidence_label.text() == "90% confident"
    assert card.footer.text() == "420 tokens · $0.0012 · 2.5 s"


def test_deltas_are_flushed_in_batches_not_per_token(view, qtbot, demo_events):
    feed(view, demo_events[:5])  # the three turns started
    card = view.transcript.card(0, "ada")
    for seq, word in enumerate(["The ", "ball ", "costs ", "five ", "cents."], start=100):
        view.apply(TurnDelta(debate_id="debate-1", seq=seq, round=0, seat_id="ada", text=word))
    assert card.body_text() == ""  # nothing drawn yet: one timer flushes them together
    qtbot.waitUntil(lambda: card.body_text() == "The ball costs five cents.")


def test_a_retry_clears_the_text_and_says_when_it_retries(view, qtbot, demo_events):
    retry = first(demo_events, lambda e: isinstance(e, TurnRetrying))
    feed(view, demo_events[:retry])
    card = view.transcript.card(0, "grace")
    qtbot.waitUntil(lambda: card.body_text() == "The obvious split is $1.00 and")

    view.apply(demo_events[retry])
    assert card.body_text() == ""
    assert card.notice.text() == "Rate limited, retrying in 4 s"
    assert not card.notice.isHidden()
    assert "Grace: retrying, rate limited, retrying in 4 s" in described(view)


def test_a_failed_turn_shows_the_error_with_its_partial_text(view, demo_events):
    feed(view, demo_events)
    card = view.transcript.card(1, "linus")
    assert card.body_text() == "Both other seats now agree on 5 cents; my check of the"
    assert "stopped streaming for 30 s" in card.notice.text()
    error = card.notice.palette().color(QPalette.ColorRole.WindowText)
    assert error != view.palette().color(QPalette.ColorRole.WindowText)


def test_opening_a_stored_debate_matches_watching_it_live(qtbot, demo_events):
    live, stored = DebateView(), DebateView()
    for widget in (live, stored):
        qtbot.addWidget(widget)
        widget.resize(1100, 760)
        widget.show()
    feed(live, demo_events)
    live.transcript.flush()
    stored.apply_all(demo_events)

    assert described(stored) == described(live)
    assert stored.status_label.text() == live.status_label.text()
    keys = [turn.key for rnd in live.state.rounds for turn in rnd.turns.values()]
    assert keys == [turn.key for rnd in stored.state.rounds for turn in rnd.turns.values()]
    for key in keys:
        card, twin = live.transcript.card(*key), stored.transcript.card(*key)
        assert twin.body_text() == card.body_text()
        assert twin.answer_chip.text() == card.answer_chip.text()
        assert twin.footer.text() == card.footer.text()
        assert twin.notice.text() == card.notice.text()
    assert stored.transcript.outcome.answer.text() == "5"
    outcome = stored.transcript.outcome
    # The verdict and its reason on one line: "Consensus:" is said once, not twice.
    assert outcome.consensus.text() == "Consensus: yes — all 2 seats answered 5 in round 2."
    shown = [
        label.text() for label in (outcome.consensus, outcome.rule) if label.isVisibleTo(outcome)
    ]
    assert " ".join(shown).count("Consensus:") == 1
    assert "cost unknown" in stored.transcript.outcome.totals.text()


def test_opening_a_long_stored_debate_is_quick(qtbot):
    # Five rounds of three seats: fifteen finished turns with Markdown.
    events = demo_debate_events()
    rounds = [e for e in events if getattr(e, "round", None) in (0, 1)]
    head, tail = events[:1], events[-2:]
    many = list(head)
    for repeat in range(3):
        for event in rounds:
            fields = {
                name: getattr(event, name) for name in event.__dataclass_fields__ if name != "seq"
            }
            fields["round"] = event.round + 2 * repeat
            many.append(type(event)(seq=len(many), **fields))
    many += tail
    widget = DebateView()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    # CPU time, not wall time: another process on a loaded machine must not fail this.
    started = time.process_time()
    widget.apply_all(many)
    QApplication.processEvents()
    elapsed = time.process_time() - started
    turns = [turn for rnd in widget.state.rounds for turn in rnd.turns.values()]
    assert sum(turn.phase is Phase.DONE for turn in turns) == 15
    # Opened at its end: the last round's turns are drawn.
    assert widget.transcript.cards()[-1].key[0] == widget.state.rounds[-1].index
    assert elapsed < 1.0, f"opening took {elapsed * 1000:.0f} ms"


def test_the_seat_filter_shows_one_seats_turns(view, qtbot, demo_events):
    view.apply_all(demo_events)

    view.seat_filter.setCurrentIndex(view.seat_filter.findData("grace"))
    qtbot.waitUntil(lambda: bool(view.transcript.cards()))
    assert {c.seat.id for c in view.transcript.cards()} == {"grace"}
    assert view.table.selected_seat == "grace"

    view.seat_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len({c.seat.id for c in view.transcript.cards()}) == 3)


def test_clicking_a_seat_filters_and_clicking_again_shows_all(view, qtbot, demo_events):
    view.apply_all(demo_events)
    centre = view.table.seat_rect("linus").center().toPoint()

    with qtbot.waitSignal(view.seat_selected) as chosen:
        qtbot.mouseClick(view.table, Qt.MouseButton.LeftButton, pos=centre)
    assert chosen.args == ["linus"]
    assert view.seat_filter.currentText() == "Linus"
    qtbot.waitUntil(lambda: {c.seat.id for c in view.transcript.cards()} == {"linus"})

    with qtbot.waitSignal(view.seat_selected) as chosen:
        qtbot.mouseClick(view.table, Qt.MouseButton.LeftButton, pos=centre)
    assert chosen.args == [""]
    assert view.seat_filter.currentText() == "All seats"


def test_seats_can_be_chosen_from_the_keyboard(view, qtbot, demo_events):
    view.apply_all(demo_events)
    view.table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(view.table, Qt.Key.Key_Right)
    with qtbot.waitSignal(view.seat_selected) as chosen:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert chosen.args == ["grace"]
    assert view.seat_filter.accessibleName()
    assert view.table.accessibleName() == "Round table"


def test_the_diff_dialog_shows_the_changed_words(view, qtbot, demo_events):
    view.apply_all(demo_events)
    card = view.transcript.card(1, "grace")
    assert view.transcript.card(0, "grace").diff_button.isHidden()  # nothing before round 1
    assert not card.diff_button.isHidden()

    qtbot.mouseClick(card.diff_button, Qt.MouseButton.LeftButton)
    dialog = view.transcript.last_diff_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Grace: round 1 → round 2"
    removed = [text for op, text in dialog.diff.pieces if op == "removed"]
    added = [text for op, text in dialog.diff.pieces if op == "added"]
    assert "10" in removed
    assert "5" in added
    assert "0.7" in removed
    assert "0.85" in added
    assert "line-through" in dialog.view.toHtml()
    assert GRACE_R1.splitlines()[0].split(":")[0] in dialog.plain_text()

    dialog.set_line_mode(True)
    assert "− Final answer: 10" in dialog.plain_text()
    assert "+ Final answer: 5" in dialog.plain_text()


def test_reading_earlier_text_is_not_interrupted_by_new_text(view, qtbot, demo_events):
    round_two = first(demo_events, lambda e: isinstance(e, TurnStarted) and e.round == 1)
    feed(view, demo_events[:round_two])
    bar = view.transcript.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    bar.setValue(0)  # the reader scrolls up
    assert not view.transcript.following

    feed(view, demo_events[round_two : round_two + 20])
    view.transcript.flush()
    QApplication.processEvents()
    assert bar.value() == 0

    bar.setValue(bar.maximum())  # back at the bottom: follow again
    feed(view, demo_events[round_two + 20 :])
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert view.transcript.following


def test_cancelling_stops_the_animation_and_marks_running_turns(view, demo_events):
    round_two = first(demo_events, lambda e: isinstance(e, TurnDelta) and e.round == 1)
    feed(view, demo_events[: round_two + 2])
    assert view.table.animating
    view.apply(DebateCancelled(debate_id="debate-1", seq=999))
    assert not view.table.animating
    assert view.transcript.card(1, "grace").notice.text() == "Stopped before the turn finished."
    assert view.transcript.outcome.title.text() == "Debate cancelled"
    assert view.status_label.text().startswith("Cancelled")


def test_a_dark_theme_re_renders_code_in_dark_colours(view, qtbot, demo_events):
    view.apply_all(demo_events)
    card = view.transcript.card(0, "ada")
    light_html = card.body_html()
    app = QApplication.instance()
    # Switched as the settings dialog does: a bare app.setPalette() does not reach
    # widgets once a theme's style sheet is in force (after any test that applied one).
    try:
        apply_theme(app, "dark")
        qtbot.waitUntil(lambda: card.body_html() != light_html)
        assert "#0d1117" in card.body_html().lower()  # github-dark's code background
    finally:
        apply_theme(app, "light")


def test_clear_shows_no_debate(view, demo_events):
    view.apply_all(demo_events)
    view.clear()
    assert view.transcript.cards() == []
    assert described(view) == "No debate."
    assert view.seat_filter.count() == 1
    assert not view.seat_filter.isEnabled()


@pytest.mark.parametrize("size", [(700, 320), (1000, 420), (1920, 600)])
@pytest.mark.parametrize("seats", [2, 3, 5, 8, 12])
def test_seat_cards_never_overlap_each_other_or_the_table(size, seats):
    layout = table_layout(float(size[0]), float(size[1]), seats)
    cards = layout.cards
    assert len(cards) == seats
    bounds = (0, 0, size[0], size[1])
    for i, card in enumerate(cards):
        assert card.left() >= bounds[0]
        assert card.top() >= bounds[1]
        assert card.right() <= bounds[2]
        assert card.bottom() <= bounds[3]
        for other in cards[i + 1 :]:
            assert not card.intersects(other)
        # No corner or edge midpoint of a card lies inside the table's oval.
        centre = layout.table.center()
        a, b = layout.table.width() / 2, layout.table.height() / 2
        for point in (
            card.topLeft(),
            card.topRight(),
            card.bottomLeft(),
            card.bottomRight(),
            QPointF(card.center().x(), card.top()),
            QPointF(card.center().x(), card.bottom()),
            QPointF(card.left(), card.center().y()),
            QPointF(card.right(), card.center().y()),
        ):
            dx, dy = (point.x() - centre.x()) / a, (point.y() - centre.y()) / b
            assert dx * dx + dy * dy > 1.0
    assert layout.table_text_rect.width() > 80


def test_the_table_paints_without_debate_and_with_tiny_space(qtbot, demo_events):
    view = DebateView()
    qtbot.addWidget(view)
    view.resize(420, 300)
    view.show()
    assert not view.table.grab().isNull()
    view.apply_all(demo_events)
    assert not view.table.grab().isNull()
    assert view.table.seat_at(QPointF(QPoint(-5, -5))) is None


def test_round_headings_and_status_use_the_protocols_words(view, qtbot):
    # A council's second round is its peer review, and it has three rounds at most,
    # whatever max_rounds says; the view once wrote "discussion" and "of 5".
    seats = tuple(Seat(id=n, name=n.title(), model=f"demo/{n}") for n in ("ada", "bea", "cy"))
    spec = DebateSpec(question="2+3?", seats=seats, protocol="council", max_rounds=5)
    ids = tuple(seat.id for seat in seats)
    feed(
        view,
        [
            DebateStarted(debate_id="c", seq=0, spec=spec),
            RoundStarted(debate_id="c", seq=1, round=0, seat_ids=ids),
            TurnStarted(debate_id="c", seq=2, round=0, seat_id="ada"),
            RoundStarted(debate_id="c", seq=3, round=1, seat_ids=ids),
            TurnStarted(debate_id="c", seq=4, round=1, seat_id="ada"),
        ],
    )
    view.transcript.flush()
    headings = {view.transcript.heading(i).title.text() for i in (0, 1)}
    assert "Round 1 · stage 1 · answers" in headings
    assert "Round 2 · stage 2 · anonymised peer review and ranking" in headings
    assert "round 2 of 3" in view.status_label.text()


def test_each_finished_round_says_what_its_turns_spent_together(view, demo_events):
    feed(view, demo_events)
    for index in range(len(view.state.rounds)):
        section = view.transcript.heading(index)
        finished = [e for e in demo_events if isinstance(e, TurnFinished) and e.round == index]
        tokens = sum(e.usage.total_tokens for e in finished)
        costs = [e.usage.cost_usd for e in finished]
        text = section.summary.text()
        assert f"{tokens:,} tokens" in text
        # One seat's price was unknown in round 1: the round's cost is unknown, not less.
        assert ("cost unknown" in text) == (None in costs)


@pytest.mark.parametrize(("size", "seats"), [((1100, 230), 7), ((1320, 250), 5), ((680, 260), 7)])
def test_short_cards_use_the_width_there_is(size, seats):
    # A short table (a low window, a person's panel open, the splitter dragged) used to
    # keep its cards narrow by their proportions: "fak…", "9…" with room beside them.
    layout = table_layout(float(size[0]), float(size[1]), seats)
    assert layout.cards[0].width() >= 145
    assert layout.table_text_rect.height() >= 40


def test_seven_cards_on_a_wide_table_have_room_for_long_names():
    # "Claude Sonnet the Second" beside a "streaming" badge was cut at 250 pixels.
    layout = table_layout(1320.0, 330.0, 7)
    assert min(card.width() for card in layout.cards) >= 280
