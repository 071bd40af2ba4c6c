"""matplotlib costs about half a second to import: only drawing a chart may pay it."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.slow
def test_the_app_and_the_chart_values_load_without_matplotlib():
    probe = (
        "import sys\n"
        "import roundtable.charts.svg, roundtable.charts.debate_charts\n"
        "import roundtable.export, roundtable.gui.main_window\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
