"""The GUI's engine checks a debate as the terminal does, before it starts: a server
that does not answer or a missing key is named, and nothing runs or is stored."""

from __future__ import annotations

import asyncio
import io

import pytest

from roundtable import wire
from roundtable.domain import DebateSpec, Seat
from roundtable.enginehost import EngineHost
from roundtable.storage import list_debates
from tests.helpers.debates import finished_debate
from tests.helpers.events import record
from tests.providers.conftest import dead_url


async def carry_out(host: EngineHost, command: wire.Command) -> list[wire.Reply]:
    """Hand `command` to the host, wait for its checks, and return what it said."""
    out = host._out
    assert isinstance(out, io.StringIO)
    await host.handle(command)
    while host._checks:
        await asyncio.gather(*[task for task, _ in host._checks.values()], return_exceptions=True)
    await host.stop_all()
    return [wire.decode_reply(line) for line in out.getvalue().splitlines()]


async def test_an_unreachable_server_is_named_before_the_debate_starts(tmp_path):
    host = EngineHost(str(tmp_path / "t.db"), io.StringIO())
    url = dead_url()
    spec = DebateSpec(
        question="2+2?",
        seats=(
            Seat(id="a", name="Local", model="openai/llama", api_base=url),
            Seat(id="b", name="Ada", model="demo/ada"),
        ),
    )
    messages = await carry_out(host, wire.StartDebate(debate_id="d1", spec=spec))
    assert len(messages) == 1, "no debate may start"
    refusal = messages[0]
    assert isinstance(refusal, wire.CommandFailed)
    assert (refusal.debate_id, refusal.command) == ("d1", "start")
    assert url.split("//")[1].split("/")[0] in refusal.message
    assert "Local" in refusal.message


async def test_a_follow_up_whose_table_cannot_run_is_refused_before_it_starts(
    tmp_path, monkeypatch: pytest.MonkeyPatch
):
    """Forks, follow-ups and resumes get the same checks as a new debate (they used to
    start, and fail after retries)."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    host = EngineHost(str(tmp_path / "t.db"), io.StringIO())
    record(host._database, finished_debate("parent"))
    command = wire.FollowUpDebate(debate_id="child", parent_id="parent", question="And 2+2?")
    messages = await carry_out(host, command)
    (refusal,) = messages
    assert isinstance(refusal, wire.CommandFailed)
    assert (refusal.debate_id, refusal.command) == ("child", "followup")
    assert "OPENAI_API_KEY" in refusal.message  # Bea's key, named with the fix
    assert [summary.id for summary in list_debates(host._database)] == ["parent"]


async def test_stop_while_the_checks_run_means_it_never_starts(tmp_path, monkeypatch):
    """Stop pressed during the pre-flight (up to ~2 s on a local server) used to be
    ignored: the debate started once the checks passed, and ran to its end."""
    from roundtable.engine import preflight

    async def slow_checks(spec: DebateSpec) -> None:
        await asyncio.sleep(30)

    monkeypatch.setattr(preflight, "preflight_async", slow_checks)
    out = io.StringIO()
    host = EngineHost(str(tmp_path / "t.db"), out)
    spec = DebateSpec(
        question="2+2?",
        seats=(
            Seat(id="a", name="Ada", model="demo/ada"),
            Seat(id="b", name="Bo", model="demo/bo"),
        ),
    )
    await host.handle(wire.StartDebate(debate_id="d1", spec=spec))
    await asyncio.sleep(0)  # the checks are under way
    await host.handle(wire.CancelDebate(debate_id="d1"))
    messages = await carry_out(host, wire.Shutdown())
    assert messages == [
        wire.CommandFailed(
            message="Stopped before it started; nothing was stored.",
            debate_id="d1",
            command="start",
        )
    ]
    assert list_debates(host._database) == []


async def test_a_second_start_under_a_running_id_is_refused_and_the_engine_goes_on(
    tmp_path, monkeypatch
):
    from roundtable.engine import preflight

    async def slow_checks(spec: DebateSpec) -> None:
        await asyncio.sleep(30)

    monkeypatch.setattr(preflight, "preflight_async", slow_checks)
    host = EngineHost(str(tmp_path / "t.db"), io.StringIO())
    spec = DebateSpec(
        question="2+2?",
        seats=(
            Seat(id="a", name="Ada", model="demo/ada"),
            Seat(id="b", name="Bo", model="demo/bo"),
        ),
    )
    assert await host.handle(wire.StartDebate(debate_id="d1", spec=spec))
    assert await host.handle(wire.StartDebate(debate_id="d1", spec=spec))
    await host.handle(wire.CancelDebate(debate_id="d1"))
    messages = await carry_out(host, wire.Shutdown())
    assert [m.message for m in messages if isinstance(m, wire.CommandFailed)] == [
        "debate d1 is already running",
        "Stopped before it started; nothing was stored.",
    ]


async def test_a_budget_the_engine_cannot_keep_is_refused_before_the_debate_starts(tmp_path):
    host = EngineHost(str(tmp_path / "t.db"), io.StringIO())
    spec = DebateSpec(
        question="2+2?",
        seats=(
            Seat(id="a", name="Mine", model="openai/my-finetune", api_key_env="RT_NO_SUCH_KEY"),
            Seat(id="b", name="Ada", model="demo/ada"),
        ),
        budget_usd=1.0,
    )
    messages = await carry_out(host, wire.StartDebate(debate_id="d1", spec=spec))
    assert len(messages) == 1, "no debate may start"
    refusal = messages[0]
    assert isinstance(refusal, wire.CommandFailed)
    assert "A budget of $1.00 cannot be kept" in refusal.message
    assert "'Mine' (openai/my-finetune)" in refusal.message
    assert list_debates(host._database) == []
