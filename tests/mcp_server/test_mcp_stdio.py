"""`roundtable mcp` end to end: the SDK's stdio client asks the table, reads what is
stored, starts an evaluation; bad input, planted keys and a client that leaves."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.mcp_server.client import data_of, mcp_session, roundtable, server_env, text_of

pytestmark = pytest.mark.slow

DEMO_TABLE = ["demo/ada", "demo/basil", "demo/cyra"]
QUESTION = "What is 12+17*23+4-9*14?"


def cli_env(db: Path, data_dir: Path) -> dict[str, str]:
    return os.environ | server_env(data_dir) | {"ROUNDTABLE_DB": str(db)}


async def test_the_demo_table_answers_and_the_debate_is_stored(tmp_path):
    db, data = tmp_path / "t.db", tmp_path / "data"
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    async with mcp_session(db, server_env(data)) as session:
        listing = (await session.list_tools()).tools
        tools = {tool.name for tool in listing}
        read_only = {tool.name for tool in listing if tool.annotations.read_only_hint}
        answer = data_of(
            await session.call_tool(
                "ask_table",
                {"question": QUESTION, "seats": DEMO_TABLE, "rounds": 3},
                progress_callback=on_progress,
            )
        )
        listed = data_of(await session.call_tool("list_debates", {}))
        found = data_of(await session.call_tool("list_debates", {"search": "17*23"}))
        shown = data_of(
            await session.call_tool("show_debate", {"debate_id": answer["debate_id"][:8]})
        )

    assert tools == {"ask_table", "list_debates", "show_debate", "start_eval", "eval_results"}
    assert read_only == {"list_debates", "show_debate", "eval_results"}  # a client may skip asking
    assert answer["status"] == "finished"
    assert answer["final_answer"] == "281"  # 12 + 391 + 4 - 126
    assert isinstance(answer["agreed"], bool)
    assert answer["vote"]
    assert answer["disagreements"]
    assert answer["cost_usd"] == 0
    assert answer["simulated"] == ["ada", "basil", "cyra"]  # said, as the app says it
    # One report per round played, then the bar full with the verdict.
    assert progress[0][:2] == (1, 3)
    assert progress[0][2] is not None
    assert progress[0][2].startswith("Round 1 of 3")
    assert progress[-1][0] == progress[-1][1] == 3
    assert "281" in (progress[-1][2] or "")
    assert [d["id"] for d in listed["debates"]] == [answer["debate_id"]]
    assert [d["id"] for d in found["debates"]] == [answer["debate_id"]]
    assert shown["final_answer"] == "281"
    assert shown["rounds"] == answer["rounds"]
    assert shown["disagreements"] == answer["disagreements"]

    # Stored like any other debate: the CLI shows it from the same database.
    show = roundtable("show", answer["debate_id"][:8], "--db", str(db), env=cli_env(db, data))
    assert show.returncode == 0, show.stderr
    assert QUESTION in show.stdout
    assert "281" in show.stdout


async def test_seats_on_a_local_server_answer_and_no_key_reaches_the_client(tmp_path):
    key = "sk-planted-0123456789abcdefghijklmnop"
    db, data = tmp_path / "t.db", tmp_path / "data"
    env = server_env(data, OPENAI_API_KEY=key)
    with FakeOpenAIServer(ttft_s=0.01, token_s=0.001) as server:
        # A model that answers with the key it was sent (then comes round to 42): the
        # vote, the account of disagreements and the stored debate must not carry it.
        server.enqueue("fake-y", Reply(f"I was called with {key}.\nFinal answer: {key}"))
        seats = [
            {"model": "openai/fake-x", "name": "X", "api_base": server.base_url},
            {"model": "openai/fake-y", "name": "Y", "api_base": server.base_url},
        ]
        async with mcp_session(db, env) as session:
            asked = await session.call_tool(
                "ask_table", {"question": "Six times seven?", "seats": seats, "rounds": 2}
            )
            answer = data_of(asked)
            results = [
                asked,
                await session.call_tool("list_debates", {"search": "seven"}),
                await session.call_tool("show_debate", {"debate_id": answer["debate_id"]}),
                # An error that quotes what it was given.
                await session.call_tool(
                    "ask_table", {"question": "x", "seats": [f"openai/{key}"], "protocol": key}
                ),
            ]
        called = {request["model"] for request in server.requests}

    assert answer["status"] == "finished"
    assert answer["final_answer"] == "42"
    assert answer["agreed"] is True
    assert answer["simulated"] == []
    assert [turn["seat"] for turn in answer["rounds"][0]] == ["X", "Y"]
    assert "[redacted]" in answer["disagreements"]
    assert called == {"fake-x", "fake-y"}  # the seats were really asked on that server
    assert results[-1].is_error
    for result in results:
        assert key not in text_of(result)


async def test_bad_input_is_a_tool_error_with_the_clis_message(tmp_path):
    db, data = tmp_path / "t.db", tmp_path / "data"
    cli = roundtable(
        "run",
        "x",
        "--seat",
        "demo/ada",
        "--seat",
        "demo/basil",
        "--protocol",
        "chess",
        "--db",
        str(db),
        env=cli_env(db, data),
    )
    async with mcp_session(db, server_env(data)) as session:
        protocol = await session.call_tool(
            "ask_table", {"question": "x", "seats": ["demo/ada", "demo/basil"], "protocol": "chess"}
        )
        no_table = await session.call_tool("ask_table", {"question": "x"})
        no_key = await session.call_tool(
            "ask_table", {"question": "x", "seats": ["openai/gpt-4o", "demo/ada"]}
        )
        unknown = await session.call_tool("show_debate", {"debate_id": "nosuchid"})
        no_eval_table = await session.call_tool("start_eval", {"task": "arithmetic"})
        no_task = await session.call_tool(
            "start_eval", {"task": "no-such-task.jsonl", "seats": ["demo/ada", "demo/basil"]}
        )
        listed = json.loads((await session.call_tool("list_debates", {})).content[0].text)

    assert cli.returncode == 2
    assert "Unknown protocol 'chess'" in cli.stderr
    assert protocol.is_error
    assert "Unknown protocol 'chess'. Choose one of: roundtable" in protocol.content[0].text
    assert no_table.is_error
    assert "give seats" in no_table.content[0].text
    assert no_key.is_error
    assert "OPENAI_API_KEY" in no_key.content[0].text  # says how to fix it, as the CLI does
    assert unknown.is_error
    assert "nosuchid" in unknown.content[0].text
    assert no_eval_table.is_error
    assert "give seats" in no_eval_table.content[0].text
    assert no_task.is_error
    assert "no-such-task.jsonl" in no_task.content[0].text
    assert listed == {"debates": []}  # nothing was stored for any of them


async def test_a_client_that_leaves_mid_debate_leaves_a_resumable_debate(tmp_path):
    db, data = tmp_path / "t.db", tmp_path / "data"
    first_round = asyncio.Event()

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        first_round.set()

    # Slow demo models: the debate is still in its second round when the client leaves.
    async with mcp_session(db, server_env(data, ROUNDTABLE_DEMO_SPEED="10")) as session:
        call = asyncio.create_task(
            session.call_tool(
                "ask_table",
                {"question": QUESTION, "seats": DEMO_TABLE, "rounds": 4},
                progress_callback=on_progress,
            )
        )
        await asyncio.wait_for(first_round.wait(), timeout=60)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call

    env = cli_env(db, data)
    listed = roundtable("list", "--json", "--db", str(db), env=env)
    [debate] = json.loads(listed.stdout)
    assert debate["status"] in {"cancelled", "interrupted"}
    resumed = roundtable("resume", debate["id"][:8], "--json", "--db", str(db), env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["status"] == "finished"


async def test_an_eval_run_starts_in_the_background_and_its_results_read_back(tmp_path):
    db, data = tmp_path / "t.db", tmp_path / "data"
    async with mcp_session(db, server_env(data)) as session:
        settings = {"task": "arithmetic", "seats": DEMO_TABLE, "limit": 2, "baselines": "seats"}
        started = data_of(await session.call_tool("start_eval", settings))
        # Asked twice, the same run goes on: no second sitting of the same questions.
        again = data_of(await session.call_tool("start_eval", settings))
        for _ in range(300):
            report = data_of(await session.call_tool("eval_results", {"run_id": started["run_id"]}))
            if report["status"] != "running":
                break
            await asyncio.sleep(0.1)

    assert started["questions"] == 2
    assert again["run_id"] == started["run_id"]
    assert again["note"]
    assert started["simulated"] is True
    assert report["status"] == "finished"
    assert report["asked"] == 2
    assert "questions" not in report
