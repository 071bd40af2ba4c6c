"""What the two front ends share loads no terminal drawing, no Qt and no litellm.

The import contracts (pyproject.toml) see only each module's direct imports of a
third-party package; this run sees everything that loading the package brings in, so
the MCP server and a script can use it without the CLI's or the app's weight.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import pkgutil, sys
import roundtable.headless as headless
for module in pkgutil.iter_modules(headless.__path__, "roundtable.headless."):
    __import__(module.name)
heavy = ("rich", "typer", "PySide6", "shiboken6", "litellm", "roundtable.cli", "roundtable.gui")
print(",".join(name for name in heavy if name in sys.modules))
"""


def test_the_shared_parts_load_no_terminal_no_qt_and_no_litellm():
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
