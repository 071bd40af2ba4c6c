"""The GUI's engine refuses a debate whose server does not answer, before it starts."""

from __future__ import annotations

import io
import json

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
    messages = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(messages) == 1, "no debate may start"
    assert messages[0]["debate_id"] == "d1"
    assert url.split("//")[1].split("/")[0] in messages[0]["error"]
    assert "Local" in messages[0]["error"]
