"""SIGTERM to `roundtable mcp` (a service manager stopping it, a logout) mid-debate:
the debate is stored as cancelled, the server says on stderr (the client's log)
which debate is kept and how to finish it, and exits 143."""

from __future__ import annotations

import json
import os
import signal

import pytest

from tests.mcp_server.client import roundtable, server_env, server_mid_debate

pytestmark = pytest.mark.slow


def test_sigterm_mid_debate_keeps_it_resumable_and_says_how_to_finish_it(tmp_path):
    db, data = tmp_path / "t.db", tmp_path / "data"
    env = os.environ | server_env(data, ROUNDTABLE_DEMO_SPEED="10")
    server = server_mid_debate(db, env)

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
