"""Each finished turn and the final answer have a Copy button: Markdown on a click,
plain text from its menu."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.helpers.debates import GRACE_R1, LINUS_R1_PARTIAL, bat_and_ball_debate
from tests.helpers.windows import window_on_history


@pytest.fixture
def transcript(qtbot, tmp_path):
    with window_on_history(qtbot, tmp_path, bat_and_ball_debate("stored")) as window:
        window.open_debate("stored")
        yield window.debate_view.transcript


def test_a_turn_is_copied_as_markdown_or_as_plain_text(transcript):
    card = transcript.card(1, "grace")
    button = card.copy_button
    assert button.isVisibleTo(card)
    button.click()
    assert QApplication.clipboard().text() == GRACE_R1
    assert button.text() == "Copied"
    button.plain_action.trigger()
    plain = QApplication.clipboard().text()
    assert "The ball costs 5 cents." in plain
    assert "**" not in plain


def test_a_turn_cut_short_offers_no_copy(transcript):
    cut = transcript.card(1, "linus")  # timed out mid-way
    assert LINUS_R1_PARTIAL in cut.body_text()
    assert not cut.copy_button.isVisibleTo(cut)


def test_the_final_answer_is_copied_with_how_the_table_chose_it(transcript):
    outcome = transcript.outcome
    assert outcome.copy_button.isVisibleTo(outcome)
    outcome.copy_button.click()
    markdown = QApplication.clipboard().text()
    assert markdown.startswith("**Final answer:** 5")
    assert "Consensus: yes" in markdown
    outcome.copy_button.plain_action.trigger()
    assert QApplication.clipboard().text().startswith("Final answer: 5\nConsensus: yes")
