"""SIGTERM to `roundtable mcp` (a service manager stopping it, a logout) mid-debate:
the debate is stored as cancelled, the server says on stderr (the client's log)
which debate is kept and how to finish it, and exits 143."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.mcp_server.client import ROOT, roundtable, server_env

pytestmark = pytest.mark.slow


def _message(method: str, params: dict[str, object], id_: int | None = None) -> str:
    body: dict[str, object] = {"jsonrpc": "2.0", "method": method, "params": params}
    if id_ is not None:
        body["id"] = id_
    return json.dumps(body) + "\n"


def test_sigterm_mid_debate_keeps_it_resumable_and_says_how_to_finish_it(tmp_path):
    db, data = tmp_path / "t.db", tmp_path / "data"
    env = os.environ | server_env(data, ROUNDTABLE_DEMO_SPEED="10")
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

    server.send_signal(signal.SIGTERM)  # the client is still there: only the signal
    _, stderr = server.communicate(timeout=60)

    assert server.returncode == 143
    assert "Traceback" not in stderr
    listed = roundtable("list", "--json", "--db", str(db), env=env)
    (debate,) = json.loads(listed.stdout)
    assert debate["status"] == "cancelled"
    assert "The server stopped by SIGTERM." in stderr
    assert f"Finish it with: roundtable resume {debate['id'][:8]} --db {db}" in stderr
    resumed = roundtable("resume", debate["id"][:8], "--db", str(db), "--brief", env=env)
    assert resumed.returncode == 0, resumed.stderr
