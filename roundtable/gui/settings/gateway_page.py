"""Settings › Team gateway: the LiteLLM proxy a team shares, its address and virtual key.

The address is saved on OK (`providers.team_gateway`, a small file beside the
database that the engine process and every command read too); LITELLM_PROXY_API_BASE,
when set, wins and the page says so. The virtual key is the `litellm_proxy`
provider's key: Save stores it in the OS keyring at once and empties the field, as on
the Providers page; it is never shown, logged or written to a file, and goes only to
the gateway named here. "Test connection" lists the gateway's models and the prices
its `/model/info` gives, off the GUI thread.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable.gui.settings.providers_page import (
    KeyEdit,
    KeyStatus,
    describe_source,
    read_key_status,
)
from roundtable.gui.settings.servers_page import UrlEdit
from roundtable.gui.style.theme import set_role
from roundtable.gui.support.workers import run_in_thread

GATEWAY = "litellm_proxy"  # the provider whose key is the gateway's virtual key
BASE_VAR = "LITELLM_PROXY_API_BASE"
KEY_VAR = "LITELLM_PROXY_API_KEY"
#: How many models the test result lists before "…".
_SHOWN_MODELS = 40


def test_gateway(url: str) -> list[str]:
    """One line per model the gateway serves ("team-gpt — $2.00 / $8.00 per M tokens");
    raises RuntimeError saying what went wrong. Blocking (HTTP): off the GUI thread."""
    from roundtable.providers.discovery import check_gateway

    check, models = check_gateway(url)
    if not check.ok:
        raise RuntimeError(f"{check.url}: {check.explained()}")
    return [_model_line(info) for info in models]


def _model_line(info: Any) -> str:
    name = str(info.id).partition("/")[2]
    price = info.price
    if price is None:
        return f"{name} — no price given"
    return f"{name} — ${price.in_per_mtok:.2f} / ${price.out_per_mtok:.2f} per M tokens in / out"


def read_gateway_status() -> tuple[str | None, KeyStatus]:
    """(saved address, the virtual key's status). Blocking (a file, keyring IPC)."""
    from roundtable.providers.team_gateway import saved_gateway_url

    return saved_gateway_url(), read_key_status((GATEWAY,))


class GatewayPage(QWidget):
    """The gateway's address, its virtual key (Save / Remove), and Test connection."""

    #: () the virtual key was stored or removed.
    keys_changed = Signal()
    #: () the saved address and the key's status have been read.
    status_loaded = Signal()
    #: (ok: bool, message: str) a connection test finished.
    test_finished = Signal(bool, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keyring: bool | None = None
        self._key_source: str | None = None
        intro = QLabel(
            "A <b>LiteLLM proxy</b> your team runs can hold the providers' keys, the models "
            "and the budgets. Give its address and your <b>virtual key</b>: its models then "
            "appear in the model picker as <code>litellm_proxy/…</code>, priced as it says, "
            "and the key goes to this gateway only."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.url_edit = UrlEdit()
        self.url_edit.setAccessibleName("Team gateway address")
        self.url_edit.setPlaceholderText("https://llm.example.com or http://10.0.0.5:4000")
        self.url_note = QLabel("")
        self.url_note.setWordWrap(True)
        set_role(self.url_note, "muted")
        self.key_edit = KeyEdit()
        self.key_edit.setEchoMode(KeyEdit.EchoMode.Password)
        self.key_edit.setAccessibleName("Virtual key of the team gateway")
        self.key_edit.setMinimumWidth(260)
        self.save_key_button = QPushButton("Save &key")
        self.save_key_button.setAccessibleName("Save the virtual key in the keyring")
        self.remove_key_button = QPushButton("Remo&ve key")
        self.remove_key_button.setAccessibleName("Remove the virtual key from the keyring")
        self.key_status = QLabel("checking…")
        self.key_status.setAccessibleName("Virtual key status")
        self.key_status.setWordWrap(True)
        set_role(self.key_status, "muted")
        self.test_button = QPushButton("&Test connection")
        self.test_button.setAccessibleName("Test the connection to the team gateway")
        self.result_label = QLabel("Give the address, then test it.")
        self.result_label.setAccessibleName("Gateway test result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.result_label, "muted")
        self.models_list = QListWidget()
        self.models_list.setAccessibleName("The gateway's models and prices")
        self._lay_out(intro)
        self._connect_signals()
        self._update_buttons()
        self.refresh()

    def _lay_out(self, intro: QLabel) -> None:
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.save_key_button)
        key_row.addWidget(self.remove_key_button)
        form = QFormLayout()
        address = QLabel("&Address:")
        address.setBuddy(self.url_edit)
        form.addRow(address, self.url_edit)
        form.addRow("", self.url_note)
        key = QLabel("Virtual &key:")
        key.setBuddy(self.key_edit)
        form.addRow(key, key_row)
        form.addRow("", self.key_status)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(test_row)
        models = QLabel("&Models and prices:")
        models.setBuddy(self.models_list)
        layout.addWidget(models)
        layout.addWidget(self.models_list, 1)

    def _connect_signals(self) -> None:
        self.url_edit.textChanged.connect(self._update_buttons)
        self.key_edit.textChanged.connect(self._update_buttons)
        self.key_edit.returnPressed.connect(self.save_key)
        self.save_key_button.clicked.connect(self.save_key)
        self.remove_key_button.clicked.connect(self.remove_key)
        self.test_button.clicked.connect(self.test_connection)

    # ------------------------------------------------------------------ actions
    def refresh(self) -> None:
        job = run_in_thread(read_gateway_status, name="read_gateway_status")
        job.succeeded.connect(self._apply_status)
        job.failed.connect(lambda exc: self._show_key_status(f"Could not read: {exc}", "error"))

    def url(self) -> str:
        return self.url_edit.text().strip()

    def save(self) -> None:
        """Save the address (OK). ConfigError, said on the page, when it is not one."""
        from roundtable.domain import ConfigError
        from roundtable.providers.team_gateway import save_gateway_url

        try:
            save_gateway_url(self.url())
        except ConfigError as exc:
            self.url_note.setText(str(exc))
            set_role(self.url_note, "error")
            raise

    def save_key(self) -> None:
        key = self.key_edit.text().strip()
        if not key or not self._keyring:
            return
        self.key_edit.clear()  # the key leaves the widget at once
        self._show_key_status("saving…", "muted")

        def store() -> tuple[str | None, KeyStatus]:
            from roundtable.providers.keys import set_api_key

            set_api_key(GATEWAY, key)
            return read_gateway_status()

        self._key_job(store, "set_api_key")

    def remove_key(self) -> None:
        self._show_key_status("removing…", "muted")

        def forget() -> tuple[str | None, KeyStatus]:
            from roundtable.providers.keys import delete_api_key

            delete_api_key(GATEWAY)
            return read_gateway_status()

        self._key_job(forget, "delete_api_key")

    def test_connection(self) -> None:
        url = self.url() or os.environ.get(BASE_VAR, "")
        if not url:
            return
        self.test_button.setEnabled(False)
        self.result_label.setText(f"Asking {url} for its models and prices…")
        set_role(self.result_label, "muted")
        self.models_list.clear()
        job = run_in_thread(lambda: test_gateway(url), name="test_gateway")
        job.succeeded.connect(self._tested)
        job.failed.connect(self._test_failed)

    # ------------------------------------------------------------------ display
    def _key_job(self, work: Any, name: str) -> None:
        self.save_key_button.setEnabled(False)
        self.remove_key_button.setEnabled(False)
        job = run_in_thread(work, name=name)
        job.succeeded.connect(lambda result: self._apply_status(result, keep_url=True))
        job.succeeded.connect(self.keys_changed)
        job.failed.connect(lambda exc: self._show_key_status(str(exc), "error"))

    def _apply_status(
        self, result: tuple[str | None, KeyStatus], *, keep_url: bool = False
    ) -> None:
        saved, status = result
        if not keep_url and not self.url_edit.text():
            self.url_edit.setText(saved or "")
        self._keyring = status.keyring
        self._key_source = status.sources.get(GATEWAY)
        named = os.environ.get(BASE_VAR, "").strip()
        if named:
            self.url_note.setText(f"{BASE_VAR} is set ({named}): it wins over this address.")
        else:
            self.url_note.setText("Saved when you press OK.")
        set_role(self.url_note, "warning" if named else "muted")
        if self._key_source is None and not status.keyring:
            self._show_key_status(
                f"No system keyring on this computer: set {KEY_VAR} in the environment.",
                "warning",
            )
        else:
            text = describe_source(self._key_source)
            self._show_key_status(
                f"{text} — sent only to this gateway", "success" if self._key_source else "muted"
            )
        self._update_buttons()
        self.status_loaded.emit()

    def _tested(self, lines: list[str]) -> None:
        self.test_button.setEnabled(True)
        count = len(lines)
        message = f"OK — {count} model{'s' if count != 1 else ''}"
        self.result_label.setText(message)
        set_role(self.result_label, "success")
        self.models_list.addItems(lines[:_SHOWN_MODELS])
        self.test_finished.emit(True, message)

    def _test_failed(self, error: object) -> None:
        self.test_button.setEnabled(True)
        message = str(error) or type(error).__name__
        self.result_label.setText(f"Failed: {message}")
        set_role(self.result_label, "error")
        self.test_finished.emit(False, message)

    def _show_key_status(self, text: str, role: str) -> None:
        self.key_status.setText(text)
        set_role(self.key_status, role)

    def _update_buttons(self) -> None:
        usable = bool(self._keyring)
        self.key_edit.setEnabled(usable)
        self.key_edit.setPlaceholderText("paste the virtual key (sk-…)" if usable else "")
        self.save_key_button.setEnabled(usable and bool(self.key_edit.text().strip()))
        self.remove_key_button.setEnabled(usable and self._key_source == "keyring")
        self.test_button.setEnabled(bool(self.url() or os.environ.get(BASE_VAR, "").strip()))
