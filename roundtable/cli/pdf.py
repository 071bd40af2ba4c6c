"""`roundtable export ID --format pdf -o FILE`: the PDF the app's Export makes.

PDF is printed by Qt (DESIGN.md: `export/` gives the printable HTML, `gui/` prints
it), so the command borrows the app's printer. Printing opens no window, so Qt runs
on its offscreen platform and needs no display: this works over SSH too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from roundtable.domain import ConfigError

if TYPE_CHECKING:
    from roundtable.storage import Database


def write_pdf(database: Database, debate_id: str, target: Path) -> None:
    """Print the stored debate to `target`; ConfigError if the file cannot be made."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt starts: no window, no display
    from PySide6.QtWidgets import QApplication

    from roundtable.gui.dialogs.export_dialog import write_export

    # Qt's text layout needs an application; the widgets kind, as the app's own.
    _application = QApplication.instance() or QApplication([])
    try:
        write_export(database, debate_id, "pdf", target)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None
