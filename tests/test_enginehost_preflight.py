"""The GUI's engine refuses a debate whose server does not answer, before it starts."""

from __future__ import annotations

import io

from roundtable import wire
from roundtable.domain import DebateSpec, Seat
from roundtable.enginehost import EngineHost
from tests.providers.conftest import dead_url


async def test_an_unreachable_server_is_named_before_the_debate_starts(tmp_path):
    out = io.StringIO()
    host = EngineHost(str(tmp_path / "t.db"), out)
    url = dead_url()
    spec = DebateSpec(
        question="2+2?",
        seats=(
            Seat(id="a", name="Local", model="openai/llama", api_base=url),
            Seat(id="b", name="Ada", model="demo/ada"),
        ),
    )
    await host._check_then_launch("d1", spec, gateway=None)
    await host.stop_all()
    messages = [wire.decode_reply(line) for line in out.getvalue().splitlines()]
    assert len(messages) == 1, "no debate may start"
    refusal = messages[0]
    assert isinstance(refusal, wire.CommandFailed)
    assert (refusal.debate_id, refusal.command) == ("d1", "start")
    assert url.split("//")[1].split("/")[0] in refusal.message
    assert "Local" in refusal.message
