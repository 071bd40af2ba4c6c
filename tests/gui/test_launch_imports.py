"""The window is on screen before the slow libraries load (issue 12: launch to window
shown within a second, on a loaded machine too).

Everything the first paint does not show loads after it: the charts' matplotlib and
the engine's runner when a debate is shown, Jinja2 with the first prompt, Markdown and
Pygments with the first rendered turn (or the warm-up on a worker), the model
listing's HTTP client and the keyring's backends once the window is up, the cost
estimator on the worker that first estimates, and the Evaluations view when it is
opened. Each of these cost the launch 0.1-0.5 s of CPU.

The window is made in a fresh interpreter, as a user's launch makes it (pytest's own
has all of these loaded by other tests), which reports what it had loaded when its
first paint was done, and what the model picker said meanwhile.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATER = (
    "litellm",
    "matplotlib",
    "keyring",
    "httpx",
    "jinja2",
    "markdown",
    "pygments",
    "roundtable.engine.runner",
    "roundtable.engine.estimate",
    "roundtable.gui.evaluations.view",
)

CHILD = f"""
import json, sys
from PySide6.QtCore import QTimer
from roundtable.gui.app import create_window

app, window = create_window([])
def painted():
    loaded = [name for name in {LATER!r} if name in sys.modules]
    picker = window.setup.picker.status_label.text()
    print(json.dumps({{"visible": window.isVisible(), "picker": picker, "loaded": loaded}}))
    app.quit()
QTimer.singleShot(0, painted)
app.exec()
"""


def test_the_first_paint_loads_none_of_the_slow_libraries(tmp_path):
    env = os.environ | {"ROUNDTABLE_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["visible"]
    assert report["picker"] == "Looking for local servers…", "models to come, not none"
    assert report["loaded"] == []
