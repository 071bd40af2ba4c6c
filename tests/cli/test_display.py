"""`roundtable` with a display that does not answer (`DISPLAY=:99` left behind by a
session that ended) runs the terminal demo, as with no display, instead of Qt
aborting the process (exit 134)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from roundtable.headless.display import unusable_display

ROOT = Path(__file__).resolve().parents[2]
#: A display number nobody uses here (Xvfb in NOTES.md takes :99).
NOBODY = 917


@pytest.fixture
def linux_display(monkeypatch):
    if not sys.platform.startswith("linux"):
        pytest.skip("DISPLAY is how Linux names its window system")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return monkeypatch


def test_a_display_nobody_listens_on_is_unusable(linux_display):
    linux_display.setenv("DISPLAY", f":{NOBODY}")

    why = unusable_display()

    assert why is not None
    assert f"DISPLAY=:{NOBODY}" in why


def test_a_display_that_answers_is_used(linux_display):
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(f"\0/tmp/.X11-unix/X{NOBODY}")  # where an X server listens, abstract
    server.listen()
    try:
        linux_display.setenv("DISPLAY", f":{NOBODY}.0")
        assert unusable_display() is None
    finally:
        server.close()


def test_no_display_at_all_is_said_as_before(linux_display):
    linux_display.delenv("DISPLAY", raising=False)

    assert unusable_display() == "neither DISPLAY nor WAYLAND_DISPLAY is set"


@pytest.mark.slow
def test_a_stale_display_falls_back_to_the_terminal_demo(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("DISPLAY is how Linux names its window system")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env |= {"DISPLAY": f":{NOBODY}", "ROUNDTABLE_DB": str(tmp_path / "t.db")}

    done = subprocess.run(
        [sys.executable, "-m", "roundtable"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    said = " ".join(done.stdout.split())
    assert f"no display answers at DISPLAY=:{NOBODY}" in said
    assert "Final answer" in said
