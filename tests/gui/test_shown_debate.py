"""What the window allows, decided by `ShownDebate` from the debate on screen."""

from __future__ import annotations

import pytest

from roundtable.domain import DebateStatus
from roundtable.gui.shown_debate import Page, ShownDebate


def actions(shown: ShownDebate, status: DebateStatus | None = None, *, ready: bool = True):
    return shown.actions(engine_ready=ready, setup_valid=True, status=status)


def test_a_fresh_window_can_only_start_a_debate() -> None:
    states = actions(ShownDebate())
    assert states.start and states.new
    assert not (states.stop or states.replay or states.resume or states.export)


def test_start_waits_for_the_engine() -> None:
    assert not actions(ShownDebate(), ready=False).start


def test_while_a_debate_runs_only_stop_is_offered() -> None:
    shown = ShownDebate()
    shown.went_live("d1")
    states = actions(shown, DebateStatus.RUNNING)
    assert states.stop
    assert not (states.start or states.new or states.replay or states.export or states.resume)
    assert shown.can_continue(engine_ready=True) is None


def test_a_finished_debate_can_be_replayed_exported_and_continued() -> None:
    shown = ShownDebate()
    shown.went_live("d1")
    shown.live_ended()
    states = actions(shown, DebateStatus.FINISHED)
    assert states.replay and states.export and states.new
    assert not states.resume  # finished, nothing to resume
    assert shown.can_continue(engine_ready=True) == "d1"
    assert shown.can_continue(engine_ready=False) is None


@pytest.mark.parametrize("status", [DebateStatus.CANCELLED, DebateStatus.INTERRUPTED])
def test_a_stopped_stored_debate_can_be_resumed(status: DebateStatus) -> None:
    shown = ShownDebate()
    shown.opened("d2")
    assert actions(shown, status).resume
    assert not actions(shown, status, ready=False).resume


def test_a_stored_debate_opened_while_another_runs_is_not_continuable() -> None:
    shown = ShownDebate()
    shown.went_live("live")
    shown.opened("old")
    assert not shown.shows_live
    assert shown.stored_id is None  # the engine is busy: no fork, export waits
    assert shown.is_live("live") and not shown.is_live("old")


def test_deleting_the_debate_on_screen_forgets_it() -> None:
    shown = ShownDebate()
    shown.opened("d3")
    assert not shown.forget("other")
    assert shown.forget("d3")
    assert shown.shown_id is None


def test_on_the_setup_page_debate_actions_are_off() -> None:
    shown = ShownDebate()
    shown.opened("d4")
    shown.page = Page.SETUP
    states = actions(shown, DebateStatus.CANCELLED)
    assert not (states.replay or states.export or states.resume)
