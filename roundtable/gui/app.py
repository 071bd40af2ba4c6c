"""Start the desktop app: the window first, everything slow after it is on screen.

Start-up order matters for the "on screen in under a second" target: Qt and the
window are created, shown, and only then (next event-loop turn) the database is opened
and the engine child process started; litellm is never imported in this process.
"""

from __future__ import annotations

import gc
import logging
import sys
import time
from typing import TYPE_CHECKING

from roundtable.paths import data_dir, resource_dir

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from roundtable.gui.main_window import MainWindow

log = logging.getLogger(__name__)


def run_app(argv: list[str] | None = None, *, db_location: str | None = None) -> int:
    from PySide6.QtCore import QTimer

    app, window = create_window(argv, db_location=db_location)
    # After the first paint: open the database, start the engine, then freeze what
    # start-up allocated so full collections stay short while debates stream.
    QTimer.singleShot(0, window.finish_startup)
    QTimer.singleShot(0, gc.freeze)
    return app.exec()


def create_window(
    argv: list[str] | None = None, *, db_location: str | None = None
) -> tuple[QApplication, MainWindow]:
    """The application and its shown main window: everything before the first paint."""
    started = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from roundtable.gui.main_window import MainWindow
    from roundtable.gui.style.theme import apply_theme
    from roundtable.gui.support.excepthook import install_excepthook
    from roundtable.gui.support.settings_store import AppSettings

    _configure_logging()
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    # From here on an exception nobody catches is logged and shown, not lost on stderr.
    install_excepthook()
    app.setApplicationName("Roundtable")
    app.setApplicationDisplayName("Roundtable")
    app.setOrganizationName("Roundtable")
    app.setDesktopFileName("roundtable")
    app.setWindowIcon(_app_icon())
    settings = AppSettings()
    apply_theme(app, settings.theme(), settings.font_size())
    window = MainWindow(settings, db_location=db_location)
    window.show()
    log.info("window shown %.0f ms after launch", (time.perf_counter() - started) * 1000)
    return app, window


def _app_icon() -> QIcon:
    """The round table drawn in resources/icons, at every size it was rendered."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for png in sorted((resource_dir() / "icons").glob("roundtable-*.png")):
        icon.addFile(str(png))
    return icon


def _configure_logging() -> None:
    log_dir = data_dir() / "logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_dir / "roundtable.log", encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    from roundtable.providers.redaction import RedactingLogFilter

    handler.addFilter(RedactingLogFilter())  # no key in the log, whoever logs it
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
