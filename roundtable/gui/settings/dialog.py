"""`SettingsDialog`: Providers, Local servers, Team gateway, Team store, Defaults and
Appearance (Ctrl+,).

OK saves the servers, defaults and appearance to `AppSettings` and the team gateway's
address beside them (`providers.team_gateway`); Cancel (or Esc) forgets them. The
theme and font size are applied live while the dialog is open, so the user sees them
before deciding, and Cancel puts the previous look back. API keys are the exception:
Save / Remove on the Providers and Team gateway pages act at once, since a key must
never wait in memory for an OK.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import ConfigError
from roundtable.gui.settings.gateway_page import GatewayPage
from roundtable.gui.settings.providers_page import ProvidersPage
from roundtable.gui.settings.servers_page import ServersPage
from roundtable.gui.settings.team_store_page import TeamStorePage
from roundtable.gui.style.theme import MAX_FONT_SIZE, MIN_FONT_SIZE, apply_theme, set_role
from roundtable.gui.support.settings_store import (
    MAX_ROUNDS,
    MAX_TURN_TIMEOUT_S,
    MIN_ROUNDS,
    MIN_TURN_TIMEOUT_S,
    AppSettings,
)
from roundtable.gui.widgets.protocol_choices import protocol_choices

PAGES: tuple[str, ...] = ("providers", "servers", "gateway", "store", "defaults", "appearance")
_THEME_LABELS = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))
#: The temperature spin box's lowest value means "each provider's default".
_DEFAULT_SENTINEL = -0.1


class DefaultsPage(QWidget):
    """Protocol, rounds, temperature and per-turn timeout for new debates."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.protocol_combo = QComboBox()
        self.protocol_combo.setAccessibleName("Default protocol")
        for name, title, summary in protocol_choices():
            self.protocol_combo.addItem(title, name)
            self.protocol_combo.setItemData(
                self.protocol_combo.count() - 1, summary, Qt.ItemDataRole.ToolTipRole
            )
        index = self.protocol_combo.findData(settings.default_protocol())
        self.protocol_combo.setCurrentIndex(max(index, 0))
        self.rounds_spin = QSpinBox()
        self.rounds_spin.setAccessibleName("Default rounds")
        self.rounds_spin.setRange(MIN_ROUNDS, MAX_ROUNDS)
        self.rounds_spin.setValue(settings.rounds())
        self.temperature_spin = QDoubleSpinBox()
        self.temperature_spin.setAccessibleName("Default temperature for new seats")
        self.temperature_spin.setRange(_DEFAULT_SENTINEL, 2.0)
        self.temperature_spin.setDecimals(1)
        self.temperature_spin.setSingleStep(0.1)
        self.temperature_spin.setSpecialValueText("provider default")
        temperature = settings.temperature()
        self.temperature_spin.setValue(_DEFAULT_SENTINEL if temperature is None else temperature)
        self.timeout_spin = QSpinBox()
        self.timeout_spin.setAccessibleName("Per-turn timeout in seconds")
        self.timeout_spin.setRange(MIN_TURN_TIMEOUT_S, MAX_TURN_TIMEOUT_S)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setValue(settings.turn_timeout_s())
        self.timeout_spin.setToolTip(
            "How long a seat may stay silent before its turn fails and is retried."
        )
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.protocol_combo.setMinimumWidth(260)
        for spin in (self.rounds_spin, self.temperature_spin, self.timeout_spin):
            spin.setMinimumWidth(160)
        form.addRow(_buddy("Pr&otocol:", self.protocol_combo), self.protocol_combo)
        form.addRow(_buddy("&Rounds:", self.rounds_spin), self.rounds_spin)
        form.addRow(_buddy("T&emperature:", self.temperature_spin), self.temperature_spin)
        form.addRow(_buddy("Turn ti&meout:", self.timeout_spin), self.timeout_spin)
        note = QLabel("These apply to tables you set from now on; seated tables keep theirs.")
        note.setWordWrap(True)
        set_role(note, "muted")
        form.addRow(note)

    def save(self, settings: AppSettings) -> None:
        settings.set_default_protocol(str(self.protocol_combo.currentData() or "roundtable"))
        settings.set_rounds(self.rounds_spin.value())
        value = round(self.temperature_spin.value(), 1)
        settings.set_temperature(None if value <= _DEFAULT_SENTINEL + 1e-9 else value)
        settings.set_turn_timeout_s(self.timeout_spin.value())


class AppearancePage(QWidget):
    """Theme and font size; every change is shown at once."""

    #: (theme: str, font_size: int) the user picked a new look.
    look_changed = Signal(str, int)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName("Theme")
        for name, label in _THEME_LABELS:
            self.theme_combo.addItem(label, name)
        self.theme_combo.setCurrentIndex(max(self.theme_combo.findData(settings.theme()), 0))
        self.font_spin = QSpinBox()
        self.font_spin.setAccessibleName("Font size")
        self.font_spin.setRange(MIN_FONT_SIZE, MAX_FONT_SIZE)
        self.font_spin.setSuffix(" pt")
        self.font_spin.setValue(settings.font_size())
        self.theme_combo.setMinimumWidth(200)
        self.font_spin.setMinimumWidth(200)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_buddy("T&heme:", self.theme_combo), self.theme_combo)
        form.addRow(_buddy("&Font size:", self.font_spin), self.font_spin)
        note = QLabel("Changes show at once; Cancel puts the previous look back.")
        note.setWordWrap(True)
        set_role(note, "muted")
        form.addRow(note)
        self.theme_combo.currentIndexChanged.connect(self._changed)
        self.font_spin.valueChanged.connect(self._changed)

    def theme(self) -> str:
        return str(self.theme_combo.currentData())

    def _changed(self) -> None:
        self.look_changed.emit(self.theme(), self.font_spin.value())

    def save(self, settings: AppSettings) -> None:
        settings.set_theme(self.theme())
        settings.set_font_size(self.font_spin.value())


class SettingsDialog(QDialog):
    """The settings window; `keys_changed` tells the app to re-check seats' keys."""

    #: () an API key was stored or removed.
    keys_changed = Signal()

    def __init__(
        self, settings: AppSettings, parent: QWidget | None = None, *, page: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.resize(800, 540)
        self._settings = settings
        self._original_look = (settings.theme(), settings.font_size())
        self.providers_page = ProvidersPage()
        self.servers_page = ServersPage(settings.server_urls(), settings.server_limits())
        self.gateway_page = GatewayPage()
        self.store_page = TeamStorePage()
        self.defaults_page = DefaultsPage(settings)
        self.appearance_page = AppearancePage(settings)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings pages")
        self.tabs.addTab(self.providers_page, "&Providers")
        self.tabs.addTab(self.servers_page, "&Local servers")
        self.tabs.addTab(self.gateway_page, "&Team gateway")
        self.tabs.addTab(self.store_page, "Team &store")
        self.tabs.addTab(self.defaults_page, "&Defaults")
        self.tabs.addTab(self.appearance_page, "&Appearance")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.providers_page.keys_changed.connect(self.keys_changed)
        self.gateway_page.keys_changed.connect(self.keys_changed)
        self.appearance_page.look_changed.connect(self._preview_look)
        if page:
            self.show_page(page)

    def show_page(self, name: str) -> None:
        """Open on "providers", "servers", "gateway", "store", "defaults" or "appearance"."""
        self.tabs.setCurrentIndex(PAGES.index(name))

    def accept(self) -> None:
        try:
            self.gateway_page.save()
        except ConfigError:  # said on the page: the dialog stays open on it
            self.show_page("gateway")
            return
        try:
            self.store_page.save()
        except ConfigError:
            self.show_page("store")
            return
        self.servers_page.add_url(self.servers_page.url_edit.text())  # typed, not yet added
        self._settings.set_server_urls(self.servers_page.urls())
        self._settings.set_server_limits(self.servers_page.limits())
        self.defaults_page.save(self._settings)
        self.appearance_page.save(self._settings)
        super().accept()

    def reject(self) -> None:
        theme, font_size = self._original_look
        if (self.appearance_page.theme(), self.appearance_page.font_spin.value()) != (
            theme,
            font_size,
        ):
            self._preview_look(theme, font_size)
        super().reject()

    def _preview_look(self, theme: str, font_size: int) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme, font_size)


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label
