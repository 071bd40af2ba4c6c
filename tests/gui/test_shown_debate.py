"""What the window allows, decided by `ShownDebate` from the debate on screen."""

from __future__ import annotations

import pytest

from roundtable.domain import DebateSpec, DebateStatus
from roundtable.gui.shown_debate import ActionStates, Page, ShownDebate


def actions(shown: ShownDebate, status: DebateStatus | None = None, *, ready: bool = True):
    return shown.actions(engine_ready=ready, setup_valid=True, status=status)


def test_a_fresh_window_can_only_start_a_debate() -> None:
    assert actions(ShownDebate()) == ActionStates(
        start=True, stop=False, replay=False, resume=False, export=False, new=True
    )


def test_start_is_offered_while_the_engine_warms_up_and_waits_for_it() -> None:
    shown = ShownDebate()
    assert actions(shown, ready=False).start
    assert not shown.actions(
        engine_ready=False, setup_valid=True, status=None, engine_failed=True
    ).start
    shown.waiting_start = DebateSpec(question="Q?", seats=())
    assert not actions(shown, ready=False).start, "once asked, it is not asked twice"


def test_while_a_debate_runs_only_stop_is_offered() -> None:
    shown = ShownDebate()
    shown.went_live("d1")
    assert actions(shown, DebateStatus.RUNNING) == ActionStates(
        start=False, stop=True, replay=False, resume=False, export=False, new=False
    )
    assert shown.can_continue(engine_ready=True) is None


def test_a_finished_debate_can_be_replayed_exported_and_continued() -> None:
    shown = ShownDebate()
    shown.went_live("d1")
    shown.live_ended()
    # Finished: nothing to resume, but a fork or follow-up may continue it.
    assert actions(shown, DebateStatus.FINISHED) == ActionStates(
        start=False, stop=False, replay=True, resume=False, export=True, new=True
    )
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
    assert shown.is_live("live")
    assert not shown.is_live("old")


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
    assert states == ActionStates(
        start=True, stop=False, replay=False, resume=False, export=False, new=True
    )
