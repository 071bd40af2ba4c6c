"""The SDK's own stdio client, spawning `python -m roundtable mcp` as a client would."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[2]


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """What the client gives the server: a data folder of the test's own, quick demo
    models, no OS keyring (the client adds only PATH, HOME and the like itself)."""
    return {
        "ROUNDTABLE_DATA_DIR": str(data_dir),
        "ROUNDTABLE_DEMO_SPEED": "40",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "HF_HUB_OFFLINE": "1",
    } | extra


@asynccontextmanager
async def mcp_session(db: Path, env: dict[str, str]) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "roundtable", "mcp", "--db", str(db)],
        env=env,
        cwd=ROOT,
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


def text_of(result: Any) -> str:
    """Everything a tool result carries, as one string (to look for what must not be)."""
    return result.model_dump_json()


def data_of(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)  # type: ignore[no-any-return]


def roundtable(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The `roundtable` command, as a person would run it after the client asked."""
    return subprocess.run(
        [sys.executable, "-m", "roundtable", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _message(method: str, params: dict[str, object], id_: int | None = None) -> str:
    body: dict[str, object] = {"jsonrpc": "2.0", "method": method, "params": params}
    if id_ is not None:
        body["id"] = id_
    return json.dumps(body) + "\n"


def server_mid_debate(db: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """`roundtable mcp` spoken to by hand (no SDK client, so the test decides what the
    client does next), with a two-seat demo debate asked and its first round under way."""
    server = subprocess.Popen(
        [sys.executable, "-m", "roundtable", "mcp", "--db", str(db)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None
    assert server.stdout is not None
    hello = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t"}}
    server.stdin.write(_message("initialize", hello, id_=1))
    server.stdin.flush()
    server.stdout.readline()
    question = {
        "name": "ask_table",
        "_meta": {"progressToken": 1},
        "arguments": {"question": "What is 2+3*4?", "seats": ["demo/ada", "demo/basil"]},
    }
    server.stdin.write(_message("notifications/initialized", {}))
    server.stdin.write(_message("tools/call", question, id_=2))
    server.stdin.flush()
    assert "Round 1 of 3" in server.stdout.readline()  # the debate is under way
    return server
