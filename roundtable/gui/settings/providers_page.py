"""Settings › Providers: which providers have an API key, and storing keys in the keyring.

A key is typed into a password field, stored in the OS keyring by Save, and the
field is emptied at once; a key is never shown, logged or written to a file. Where
a key comes from the environment, the row says which variable. Without a usable
keyring (a headless Linux box) the page explains the environment variables instead.

Keyring calls are IPC (Secret Service, Keychain), so they run off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from roundtable.gui.style.theme import set_role
from roundtable.gui.support.workers import run_in_thread

#: The providers a row is shown for, in this order (litellm prefixes).
SETTINGS_PROVIDERS: tuple[str, ...] = (
    "openai",
    "anthropic",
    "gemini",
    "mistral",
    "groq",
    "openrouter",
    "deepseek",
    "xai",
    "cohere",
    "together_ai",
    "fireworks_ai",
    "perplexity",
)


@dataclass(frozen=True, slots=True)
class KeyStatus:
    keyring: bool  # a usable keyring exists
    #: provider -> where its key comes from: a variable's name, "keyring", or None.
    sources: dict[str, str | None]


def read_key_status(providers: tuple[str, ...] = SETTINGS_PROVIDERS) -> KeyStatus:
    """Blocking (keyring IPC): call it off the GUI thread."""
    from roundtable.providers.keys import key_source, keyring_available

    return KeyStatus(keyring_available(), {p: key_source(p) for p in providers})


def describe_source(source: str | None) -> str:
    if source is None:
        return "no key"
    if source == "keyring":
        return "key set"
    return f"from environment ({source})"


class KeyEdit(QLineEdit):
    """A password field whose Enter saves the row instead of closing the dialog."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # QLineEdit ignores it, which would press the dialog's OK


class ProviderRow:
    """The widgets of one provider's row (not a QWidget: they sit in the page's grid)."""

    def __init__(self, provider: str, label: str, env_var: str) -> None:
        self.provider = provider
        self.label = label
        self.env_var = env_var
        self.name_label = QLabel(f"<b>{label}</b>")
        self.status_label = QLabel("checking…")
        self.status_label.setAccessibleName(f"{label} key status")
        set_role(self.status_label, "muted")
        self.key_edit = KeyEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName(f"{label} API key")
        self.key_edit.setPlaceholderText("paste a key")
        self.key_edit.setFixedWidth(190)
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName(f"Save the {label} key")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName(f"Remove the {label} key")
        self.name_label.setBuddy(self.key_edit)
        self.source: str | None = None


class ProvidersPage(QWidget):
    """One row per provider: status, a password field, Save and Remove."""

    #: () a key was stored or removed (seats' key checks should run again).
    keys_changed = Signal()
    #: () the statuses have been read (tests and the dialog wait for it).
    status_loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from roundtable.providers.catalogue import provider_label
        from roundtable.providers.keys import key_vars

        self._keyring: bool | None = None
        self.note_label = QLabel("Checking the system keyring…")
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleName("About API keys")
        self.note_label.setTextFormat(Qt.TextFormat.RichText)
        self.rows: dict[str, ProviderRow] = {}
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setHorizontalSpacing(10)
        grid.setColumnStretch(1, 1)
        for number, provider in enumerate(SETTINGS_PROVIDERS):
            env = (key_vars(provider) or ("",))[0]
            row = ProviderRow(provider, provider_label(provider), env)
            self.rows[provider] = row
            grid.addWidget(row.name_label, number, 0)
            grid.addWidget(row.status_label, number, 1)
            grid.addWidget(row.key_edit, number, 2)
            grid.addWidget(row.save_button, number, 3)
            grid.addWidget(row.remove_button, number, 4)
            row.save_button.clicked.connect(lambda _=False, r=row: self.save_key(r.provider))
            row.key_edit.returnPressed.connect(lambda r=row: self.save_key(r.provider))
            row.key_edit.textChanged.connect(lambda _t, r=row: self._update_row(r))
            row.remove_button.clicked.connect(lambda _=False, r=row: self.remove_key(r.provider))
        grid.setRowStretch(len(SETTINGS_PROVIDERS), 1)
        scroll = QScrollArea()
        scroll.setAccessibleName("Providers")
        scroll.setWidget(grid_host)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Let the tab page's own background show through, in both themes.
        scroll.viewport().setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note_label)
        layout.addWidget(scroll, 1)
        for row in self.rows.values():
            self._update_row(row)
        self.refresh()

    @property
    def keyring_available(self) -> bool | None:
        """None until the first status read has come back."""
        return self._keyring

    def refresh(self) -> None:
        job = run_in_thread(read_key_status, name="read_key_status")
        job.succeeded.connect(self._apply_status)
        job.failed.connect(lambda exc: self._show_note(f"Could not read the keys: {exc}", True))

    def save_key(self, provider: str) -> None:
        row = self.rows[provider]
        key = row.key_edit.text().strip()
        if not key or not self._keyring:
            return
        row.key_edit.clear()  # the key leaves the widget at once
        row.status_label.setText("saving…")
        row.save_button.setEnabled(False)

        def store() -> KeyStatus:
            from roundtable.providers.keys import set_api_key

            set_api_key(provider, key)
            return read_key_status()

        job = run_in_thread(store, name="set_api_key")
        job.succeeded.connect(self._apply_status)
        job.succeeded.connect(self.keys_changed)
        job.failed.connect(lambda exc, r=row: self._row_failed(r, exc))

    def remove_key(self, provider: str) -> None:
        row = self.rows[provider]
        row.status_label.setText("removing…")
        row.remove_button.setEnabled(False)

        def forget() -> KeyStatus:
            from roundtable.providers.keys import delete_api_key

            delete_api_key(provider)
            return read_key_status()

        job = run_in_thread(forget, name="delete_api_key")
        job.succeeded.connect(self._apply_status)
        job.succeeded.connect(self.keys_changed)
        job.failed.connect(lambda exc, r=row: self._row_failed(r, exc))

    # ------------------------------------------------------------------ display
    def _apply_status(self, status: KeyStatus) -> None:
        self._keyring = status.keyring
        if status.keyring:
            self._show_note(
                "Keys are kept in the system keyring, never in Roundtable's files or logs. "
                "<b>Save</b> stores a key at once; an environment variable, when set, "
                "takes precedence.",
                False,
            )
        else:
            example = "OPENAI_API_KEY=sk-…"
            self._show_note(
                "<b>No system keyring is available on this computer</b>, so keys cannot be "
                "saved here. Set each provider's environment variable (shown on its row) "
                f"before starting Roundtable, e.g. <code>export {example}</code>.",
                True,
            )
        for provider, row in self.rows.items():
            row.source = status.sources.get(provider)
            self._update_row(row)
        self.status_loaded.emit()

    def _update_row(self, row: ProviderRow) -> None:
        usable = bool(self._keyring)
        if self._keyring is None:
            text = "checking…"
        elif row.source is None and not usable and row.env_var:
            text = f"no key — set {row.env_var}"
        else:
            text = describe_source(row.source)
        row.status_label.setText(text)
        set_role(row.status_label, "success" if row.source else "muted")
        row.key_edit.setEnabled(usable)
        row.key_edit.setPlaceholderText("paste a key" if usable else "")
        row.save_button.setEnabled(usable and bool(row.key_edit.text().strip()))
        row.remove_button.setEnabled(usable and row.source == "keyring")
        tip = f"Environment variable: {row.env_var}" if row.env_var else ""
        row.name_label.setToolTip(tip)
        row.status_label.setToolTip(tip)

    def _row_failed(self, row: ProviderRow, error: object) -> None:
        row.status_label.setText(str(error))
        row.status_label.setWordWrap(True)
        set_role(row.status_label, "error")
        row.save_button.setEnabled(bool(row.key_edit.text().strip()))
        row.remove_button.setEnabled(row.source == "keyring")

    def _show_note(self, html: str, warning: bool) -> None:
        self.note_label.setText(html)
        set_role(self.note_label, "warning" if warning else "muted")
