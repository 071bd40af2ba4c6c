"""Settings › Local servers: OpenAI-compatible servers to find models on, a test, and
how many requests each takes at once.

Ollama and LM Studio on their default ports are always looked at; the user adds
any other server (vLLM, llama.cpp, a LiteLLM proxy, a machine on the LAN). "Test
connection" asks the selected server for its models off the GUI thread and reports
"OK — N models: …" or what went wrong, in words that say what to check. "Requests
at a time" is the selected server's limit (`domain.concurrency`): seats that share
it take turns; one by default for a server on this machine or the local network.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import Seat
from roundtable.domain.concurrency import MAX_CONCURRENCY, ServerLimit, server_key
from roundtable.gui.style.theme import set_role
from roundtable.gui.support.workers import run_in_thread
from roundtable.providers.discovery import ollama_url
from roundtable.providers.endpoints import DEFAULT_LM_STUDIO_URL
from roundtable.providers.server_routes import seat_server

# The same addresses the providers' discovery looks at on its own.
OLLAMA_URL = ollama_url()
LM_STUDIO_URL = DEFAULT_LM_STUDIO_URL
_BUILT_IN = {OLLAMA_URL: "Ollama", LM_STUDIO_URL: "LM Studio"}
_UrlRole = Qt.ItemDataRole.UserRole + 1
#: How many model names the test result lists before "…".
_SHOWN_MODELS = 5
_LIMIT_HINT = (
    "Seats on one server take turns, this many at a time. A server on this machine or "
    "your network takes 1 unless you raise it: llama.cpp, Ollama and LM Studio usually "
    "serve one request at a time, and llama-cpp-python cuts the reply in progress when "
    "another arrives. Raise it for a server that runs several (vLLM, Ollama with "
    "OLLAMA_NUM_PARALLEL). 0 is no limit."
)


def default_limit(url: str) -> int:
    """The requests-at-a-time a server gets when the user sets none (0: no limit): the
    engine's own rule for a seat of an OpenAI-compatible server at `url`."""
    seat = Seat(id="", name="", model="openai/any", api_base=url)
    return seat_server(seat).concurrency or 0


def probe_server(url: str, timeout_s: float = 3.0) -> list[str]:
    """The model names a server lists; raises RuntimeError saying what went wrong.

    Blocking (HTTP): call it off the GUI thread. The providers' discovery asks, the
    same way `roundtable models` does: Ollama's native `/api/tags` for Ollama's URL,
    `/v1/models` (or `/models` under a `/v1` base) for the rest, with the key the user
    set for a server on this machine.
    """
    from roundtable.providers.discovery import check_server

    base = normalise_url(url)
    check = check_server(base, ollama=base == OLLAMA_URL, timeout_s=timeout_s)
    if check.ok:
        return list(check.names)
    raise RuntimeError(f"{base}: {check.explained()}")


def normalise_url(url: str) -> str:
    url = url.strip().rstrip("/")
    return url if "//" in url else f"http://{url}"


def describe_models(names: list[str]) -> str:
    if not names:
        return "OK — the server answered but lists no models"
    shown = ", ".join(names[:_SHOWN_MODELS]) + (", …" if len(names) > _SHOWN_MODELS else "")
    return f"OK — {len(names)} model{'s' if len(names) != 1 else ''}: {shown}"


class UrlEdit(QLineEdit):
    """Enter adds the URL instead of pressing the dialog's OK."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class ServersPage(QWidget):
    """The server list (built-ins first, fixed), add/remove, and Test connection."""

    #: (url: str, ok: bool, message: str) a connection test finished.
    test_finished = Signal(str, bool, str)

    def __init__(
        self,
        urls: list[str],
        limits: Sequence[ServerLimit] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        #: The limits the user set, by server key (None: no limit).
        self._limits: dict[str, int | None] = {limit.server: limit.concurrency for limit in limits}
        intro = QLabel(
            "Roundtable looks for models on Ollama and LM Studio by itself. Add any other "
            "server that speaks the OpenAI API — vLLM, llama.cpp, a LiteLLM proxy, a "
            "machine on your network."
        )
        intro.setWordWrap(True)
        self.url_list = QListWidget()
        self.url_list.setAccessibleName("Local servers")
        self.url_edit = UrlEdit()
        self.url_edit.setAccessibleName("New server address")
        self.url_edit.setPlaceholderText("http://192.168.1.20:8000/v1")
        self.add_button = QPushButton("Add &server")
        self.add_button.setAccessibleName("Add the server")
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setAccessibleName("Remove the selected server")
        self.test_button = QPushButton("&Test connection")
        self.test_button.setAccessibleName("Test the connection to the selected server")
        self.result_label = QLabel("Select a server and test it.")
        self.result_label.setAccessibleName("Connection test result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.result_label, "muted")
        self.models_list = QListWidget()
        self.models_list.setAccessibleName("Models found")
        self.models_list.setMaximumHeight(110)
        self.limit_spin = QSpinBox()
        self.limit_spin.setAccessibleName("Requests at a time for the selected server")
        self.limit_spin.setRange(0, MAX_CONCURRENCY)
        self.limit_spin.setSpecialValueText("no limit")
        self.limit_spin.setToolTip(_LIMIT_HINT)
        self.limit_hint = QLabel(_LIMIT_HINT)
        self.limit_hint.setWordWrap(True)
        set_role(self.limit_hint, "muted")
        self._lay_out(intro)

        for url, name in _BUILT_IN.items():
            self._add_item(url, f"{url}   ({name}, always looked at)", fixed=True)
        for url in urls:
            self.add_url(url)
        self.url_list.setCurrentRow(0)
        self._connect_signals()
        self._update_buttons()

    def _lay_out(self, intro: QLabel) -> None:
        grid = QGridLayout()
        grid.addWidget(self.url_list, 0, 0, 3, 1)
        grid.addWidget(self.test_button, 0, 1)
        grid.addWidget(self.remove_button, 1, 1)
        grid.addWidget(self.url_edit, 3, 0)
        grid.addWidget(self.add_button, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(2, 1)
        limit_row = QHBoxLayout()
        limit_label = QLabel("Re&quests at a time:")
        limit_label.setBuddy(self.limit_spin)
        limit_row.addWidget(limit_label)
        limit_row.addWidget(self.limit_spin)
        limit_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid, 1)
        layout.addWidget(self.result_label)
        found = QLabel("Models &found:")
        found.setBuddy(self.models_list)
        layout.addWidget(found)
        layout.addWidget(self.models_list)
        layout.addLayout(limit_row)
        layout.addWidget(self.limit_hint)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._add_typed)
        self.url_edit.returnPressed.connect(self._add_typed)
        self.url_edit.textChanged.connect(self._update_buttons)
        self.remove_button.clicked.connect(self.remove_selected)
        self.test_button.clicked.connect(self.test_selected)
        self.url_list.currentItemChanged.connect(self._update_buttons)
        self.limit_spin.valueChanged.connect(self._limit_changed)

    def urls(self) -> list[str]:
        """The servers the user added (not the built-in ones), in order."""
        items = (self.url_list.item(i) for i in range(self.url_list.count()))
        return [str(item.data(_UrlRole)) for item in items if not item.data(_UrlRole + 1)]

    def limits(self) -> dict[str, int | None]:
        """The requests-at-a-time the user set, for the servers still listed."""
        listed = {server_key(url) for url in (*_BUILT_IN, *self.urls())}
        return {key: value for key, value in self._limits.items() if key in listed}

    def add_url(self, url: str) -> bool:
        normalised = normalise_url(url)
        if not url.strip() or normalised in self.urls() or normalised in _BUILT_IN:
            return False
        self._add_item(normalised, normalised, fixed=False)
        return True

    def remove_selected(self) -> None:
        item = self.url_list.currentItem()
        if item is not None and not item.data(_UrlRole + 1):
            self.url_list.takeItem(self.url_list.row(item))
        self._update_buttons()

    def test_selected(self) -> None:
        item = self.url_list.currentItem()
        if item is None:
            return
        url = str(item.data(_UrlRole))
        self.test_button.setEnabled(False)
        self.result_label.setText(f"Asking {url} for its models…")
        set_role(self.result_label, "muted")
        self.models_list.clear()
        job = run_in_thread(lambda: probe_server(url), name="probe_server")
        job.succeeded.connect(lambda names: self._tested(url, names))
        job.failed.connect(lambda exc: self._test_failed(url, exc))

    # ------------------------------------------------------------------ internals
    def _add_item(self, url: str, text: str, *, fixed: bool) -> None:
        item = QListWidgetItem(text)
        item.setData(_UrlRole, url)
        item.setData(_UrlRole + 1, fixed)
        self.url_list.addItem(item)

    def _add_typed(self) -> None:
        if self.add_url(self.url_edit.text()):
            self.url_edit.clear()
            self.url_list.setCurrentRow(self.url_list.count() - 1)

    def _tested(self, url: str, names: list[str]) -> None:
        self.test_button.setEnabled(True)
        message = describe_models(names)
        self.result_label.setText(f"{url}: {message}")
        set_role(self.result_label, "success")
        self.models_list.addItems(names)
        self.test_finished.emit(url, True, message)

    def _test_failed(self, url: str, error: object) -> None:
        self.test_button.setEnabled(True)
        message = str(error) or type(error).__name__
        self.result_label.setText(f"Failed: {message}")
        set_role(self.result_label, "error")
        self.test_finished.emit(url, False, message)

    def _limit_changed(self, value: int) -> None:
        item = self.url_list.currentItem()
        if item is not None:
            self._limits[server_key(str(item.data(_UrlRole)))] = value or None

    def _update_buttons(self) -> None:
        item = self.url_list.currentItem()
        self.limit_spin.setEnabled(item is not None)
        if item is not None:
            url = str(item.data(_UrlRole))
            key = server_key(url)
            value = self._limits[key] if key in self._limits else default_limit(url)
            self.limit_spin.blockSignals(True)  # showing the value is not setting it
            self.limit_spin.setValue(value or 0)
            self.limit_spin.blockSignals(False)
        self.remove_button.setEnabled(item is not None and not item.data(_UrlRole + 1))
        self.test_button.setEnabled(item is not None)
        self.add_button.setEnabled(bool(self.url_edit.text().strip()))
