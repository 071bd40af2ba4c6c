"""`roundtable --self-check`: the install check that a bundle's smoke test runs.

Run here as a user would run it from the venv (the bundle itself is built and checked
by `make bundle`, too slow for every test run).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roundtable.gui.app import create_window
from roundtable.gui.self_check import SelfCheck


@pytest.mark.slow
def test_self_check_runs_a_demo_debate_headless_and_leaves_the_users_data_alone(
    tmp_path: Path, isolated_user_dirs: Path
) -> None:
    # No display and no platform chosen: the check must go offscreen by itself.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "ROUNDTABLE_DEMO_SPEED")
    }
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

    result = subprocess.run(
        [sys.executable, "-m", "roundtable", "--self-check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("self-check: window shown after") for line in lines)
    assert any("engine process ready" in line for line in lines)
    stored = next(line for line in lines if line.startswith("self-check: stored:"))
    turns = int(stored.split()[2])
    assert turns >= 3  # at least the demo table's first round: one turn per seat
    assert lines[-1].startswith("self-check: passed")
    # It ran in a throwaway folder: nothing of the user's was created or changed.
    assert not isolated_user_dirs.exists()


@pytest.mark.slow
def test_self_check_fails_with_the_reason_when_the_engine_dies(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app, window = create_window([], db_location=str(tmp_path / "check.db"))
    qtbot.addWidget(window)
    window.finish_startup()
    check = SelfCheck(app, window, time.perf_counter())
    check.window_painted()
    engine = window.engine
    assert engine is not None
    qtbot.waitUntil(lambda: engine.process is not None, timeout=30_000)
    engine.process.kill()

    qtbot.waitUntil(lambda: check.finished, timeout=30_000)
    assert check.exit_code == 1
    assert "self-check FAILED: the engine stopped" in capsys.readouterr().err
