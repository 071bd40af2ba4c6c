"""The debate the views are tested on, as a fixture (built in `tests.helpers.debates`)."""

from __future__ import annotations

import pytest

from roundtable.domain import Event
from tests.helpers.debates import bat_and_ball_debate


@pytest.fixture
def demo_events() -> list[Event]:
    return bat_and_ball_debate()
