"""The debate the views are tested on, as a fixture (built in `tests.helpers.debates`)."""

from __future__ import annotations

import pytest

from roundtable.domain import Event

# The names test_debate_state.py and test_debate_view.py import from here, until they
# import from tests.helpers.debates.
from tests.helpers.debates import (  # noqa: F401
    ADA_R0,
    GRACE_R0,
    GRACE_R1,
    LINUS_R0,
    LINUS_R1_PARTIAL,
    bat_and_ball_debate,
)
from tests.helpers.debates import bat_and_ball_debate as demo_debate_events  # noqa: F401


@pytest.fixture
def demo_events() -> list[Event]:
    return bat_and_ball_debate()
