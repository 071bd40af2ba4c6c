"""`ShownDebate`: which debate the engine is running, which one is on screen, and so
which actions make sense now.

The window used to keep two loose ids and re-derive the rules in every slot; here they
are one small value with one place for each rule ("a fork needs a stored debate on
screen and an idle engine"). Pure Python: the rules are tested without a window.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from roundtable.domain import DebateSpec, DebateStatus
from roundtable.domain.continuable import RESUMABLE


class Page(enum.Enum):
    """The right-hand side of the window."""

    SETUP = 0
    DEBATE = 1


@dataclass(frozen=True, slots=True)
class ActionStates:
    """Which of the window's actions are enabled."""

    start: bool
    stop: bool
    replay: bool
    resume: bool
    export: bool
    new: bool


class ShownDebate:
    """The live / shown / replay state of the debate view, and what it allows."""

    def __init__(self) -> None:
        #: The debate the engine is running now, if any (one at a time).
        self.live_id: str | None = None
        #: The debate on screen: the live one, or a stored one the user opened.
        self.shown_id: str | None = None
        self.page = Page.SETUP
        #: A debate asked for while the engine was still starting: it runs once ready.
        self.waiting_start: DebateSpec | None = None

    # ------------------------------------------------------------------ facts
    @property
    def is_running(self) -> bool:
        return self.live_id is not None

    @property
    def shows_live(self) -> bool:
        """The debate on screen is the one the engine is running."""
        return self.live_id is not None and self.shown_id == self.live_id

    @property
    def stored_id(self) -> str | None:
        """The debate on screen when it is a stored one the engine is done with."""
        if self.shown_id is None or self.is_running:
            return None
        return self.shown_id

    def is_live(self, debate_id: str | None) -> bool:
        return debate_id is not None and debate_id == self.live_id

    # ------------------------------------------------------------------ changes
    def went_live(self, debate_id: str) -> None:
        """The engine was asked to run `debate_id` (new, fork, follow-up or resume)."""
        self.live_id = self.shown_id = debate_id
        self.page = Page.DEBATE

    def opened(self, debate_id: str) -> None:
        """A stored debate is on screen."""
        self.shown_id = debate_id
        self.page = Page.DEBATE

    def live_ended(self) -> None:
        """The running debate finished, failed, stopped or was refused."""
        self.live_id = None

    def forget(self, debate_id: str) -> bool:
        """`debate_id` was deleted; True when it was on screen (show the setup form)."""
        if debate_id != self.shown_id:
            return False
        self.shown_id = None
        return True

    # ------------------------------------------------------------------ rules
    def can_continue(self, *, engine_ready: bool) -> str | None:
        """The stored debate a fork, follow-up or resume would continue, if allowed now."""
        if not engine_ready or self.is_running:
            return None
        return self.stored_id

    def actions(
        self,
        *,
        engine_ready: bool,
        setup_valid: bool,
        status: DebateStatus | None,
        engine_failed: bool = False,
    ) -> ActionStates:
        """`engine_failed`: the engine gave up restarting. A start asked for while the
        engine warms up waits for it (`waiting_start`), so Start needs no ready engine."""
        on_setup = self.page is Page.SETUP
        stored = self.stored_id is not None and not on_setup
        idle = not self.is_running and self.waiting_start is None
        return ActionStates(
            start=not engine_failed and idle and on_setup and setup_valid,
            stop=self.is_running or self.waiting_start is not None,
            replay=stored,
            resume=engine_ready and stored and status in RESUMABLE,
            export=stored,
            new=not self.is_running,
        )
