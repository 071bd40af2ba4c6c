"""`roundtable mcp` stays a light process: no Qt, and no litellm until a model is asked."""

from __future__ import annotations

import subprocess
import sys

from tests.mcp_server.client import ROOT

CHECK = """
import sys
from roundtable.cli.app import app
from roundtable.mcp_server.server import build_server
build_server(None)
loaded = [name for name in ("PySide6", "shiboken6", "litellm") if name in sys.modules]
print(",".join(loaded))
"""


def test_the_server_loads_neither_qt_nor_litellm():
    # As `roundtable mcp` starts: through the CLI's app, whose other commands (export
    # --pdf, the GUI) reach Qt only when called; the import contracts see the server's
    # own imports, this run sees the whole process.
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
