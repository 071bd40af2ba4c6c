"""A seat a fork adds is told it joins now, not that its previous reply gave no answer."""

from __future__ import annotations

import dataclasses

import pytest

from roundtable.domain import Seat
from roundtable.engine.continuation import fork_spec
from tests.engine.scripted import ScriptedGateway
from tests.engine.test_continue import SPEC, logged, parent_debate, run, script

NO_ANSWER = "gave no answer"


@pytest.mark.parametrize("protocol", ["roundtable", "debate"])
async def test_a_seat_added_by_a_fork_is_told_it_joins_now(protocol: str) -> None:
    spec = dataclasses.replace(SPEC, protocol=protocol)
    parent = await parent_debate()
    dee = Seat("dee", "Dee", "demo/dee")
    fork, continuation = fork_spec(spec, logged(parent), from_round=1, add=[dee])
    gateway = ScriptedGateway()
    for _ in range(2):
        script(gateway, {"ada": ("42", 0.9), "bob": ("41", 0.6), "cy": ("40", 0.5)})
        script(gateway, {"dee": ("42", 0.8)})

    await run(fork, gateway, debate_id="child", continuation=continuation)

    first = gateway.messages_for("dee", 0)
    ask = first[-1].content
    assert "join" in ask
    assert NO_ANSWER not in ask
    assert "your solution" not in ask.lower()
    assert [m.role for m in first] == ["system", "user", "user"]  # nothing it did not say
    # The seats that were there all along revise their own answer, as before.
    ada = gateway.messages_for("ada", 0)[-1].content
    assert "join" not in ada
    # Once it has spoken, the newcomer revises like everyone else.
    assert "join" not in gateway.messages_for("dee", 1)[-1].content
