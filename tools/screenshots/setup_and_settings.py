"""Screenshots of the setup panel and every settings page, light and dark, for a person.

Not a test: run
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots/setup_and_settings.py [out_dir]
and look at the PNGs it writes (default /tmp/snaps/). It uses a throw-away data
directory and an in-memory keyring, so it never touches real settings or keys.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ROUNDTABLE_DATA_DIR"] = tempfile.mkdtemp(prefix="rt-snaps-")
os.environ.setdefault("OPENAI_API_KEY", "sk-snapshot-not-a-real-key")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

# Imported only now: Qt reads QT_QPA_PLATFORM, and paths read the data directory.
import keyring
import keyring.backends.fail
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from roundtable.domain import Seat
from roundtable.gui.settings.dialog import PAGES, SettingsDialog
from roundtable.gui.setup.panel import SetupPanel
from roundtable.gui.style.theme import apply_theme
from roundtable.gui.support.settings_store import AppSettings
from roundtable.providers.discovery import ModelInfo, demo_models
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.openai_server import FakeOpenAIServer

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/snaps")
LOCAL = [
    ModelInfo(
        "ollama_chat/llama3.1",
        "llama3.1 (Ollama)",
        "ollama_chat",
        "ollama",
        needs_key=False,
        key_present=False,
        api_base="http://127.0.0.1:11434",
    ),
    ModelInfo(
        "openai/qwen2.5-7b",
        "qwen2.5-7b (127.0.0.1:1234)",
        "openai",
        "server",
        needs_key=False,
        key_present=False,
        api_base="http://127.0.0.1:1234/v1",
    ),
]


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def snap(widget: QWidget, name: str, wait_ms: int = 300) -> None:
    widget.show()
    settle(wait_ms)
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    widget.close()
    print(path)


def snap_setup(theme: str) -> None:
    settings = AppSettings()
    first_run = SetupPanel(settings, model_lister=lambda _servers: demo_models())
    first_run.resize(900, 720)
    snap(first_run, f"setup_demo_{theme}")
    busy = SetupPanel(settings, model_lister=lambda _servers: [*LOCAL, *demo_models()])
    busy.seat_demo_table()
    busy.add_seat(Seat(id="", name="GPT-4o", model="openai/gpt-4o"))
    busy.add_seat(Seat(id="", name="Claude", model="mistral/mistral-large-latest"))
    busy.set_question("")
    busy.resize(900, 720)
    snap(busy, f"setup_problems_{theme}")


def snap_settings(theme: str) -> None:
    for page in PAGES:
        snap(SettingsDialog(AppSettings(), page=page), f"settings_{page}_{theme}")


def snap_server_test() -> None:
    with FakeOpenAIServer() as server:
        dialog = SettingsDialog(AppSettings(), page="servers")
        dialog.servers_page.add_url(server.base_url)
        dialog.servers_page.url_list.setCurrentRow(2)
        dialog.servers_page.test_selected()
        snap(dialog, "settings_servers_tested_light", wait_ms=800)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    backend = MemoryKeyring()
    backend.set_password("roundtable", "anthropic", "sk-ant-snapshot")
    keyring.set_keyring(backend)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    for theme in ("light", "dark"):
        apply_theme(app, theme, 10)
        snap_setup(theme)
        snap_settings(theme)
    apply_theme(app, "light", 10)
    snap_server_test()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    snap(SettingsDialog(AppSettings(), page="providers"), "settings_providers_nokeyring_light")
    return 0


if __name__ == "__main__":
    sys.exit(main())
