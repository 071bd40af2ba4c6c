"""A client that dies mid-debate (no cancel, its pipes just close): the server ends
quietly and the debate is stored, resumable."""

from __future__ import annotations

import json
import os

import pytest

from tests.mcp_server.client import roundtable, server_env, server_mid_debate

pytestmark = pytest.mark.slow


def test_a_client_that_dies_mid_debate_leaves_it_stored_and_the_server_ends_quietly(tmp_path):
    db, data = tmp_path / "t.db", tmp_path / "data"
    env = os.environ | server_env(data, ROUNDTABLE_DEMO_SPEED="10")
    server = server_mid_debate(db, env)
    server.stdin.close()
    server.stdout.close()
    server.wait(timeout=60)
    assert server.stderr is not None
    stderr = server.stderr.read()

    assert server.returncode == 0
    assert "Traceback" not in stderr
    listed = roundtable("list", "--json", "--db", str(db), env=env)
    [debate] = json.loads(listed.stdout)
    assert debate["status"] == "cancelled"  # resumable: `roundtable resume` finishes it
