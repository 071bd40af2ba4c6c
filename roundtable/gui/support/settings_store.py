"""The app's preferences, kept in `<data dir>/settings.ini` (never an API key).

One INI file beside the database rather than the platform registry, so a test (or a
portable install) isolates everything with `ROUNDTABLE_DATA_DIR`. Every getter
validates what it reads and falls back to the default, so a hand-edited or older file
never breaks the app. Keys live in the OS keyring (`roundtable.providers.keys`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from roundtable.domain import ConfigError
from roundtable.domain.concurrency import ServerLimit, check_concurrency, server_key
from roundtable.gui.style.theme import DEFAULT_FONT_SIZE, MAX_FONT_SIZE, MIN_FONT_SIZE, THEMES
from roundtable.paths import data_dir

log = logging.getLogger(__name__)

DEFAULT_PROTOCOL = "roundtable"
DEFAULT_ROUNDS = 3
MIN_ROUNDS, MAX_ROUNDS = 1, 20
MIN_TEMPERATURE, MAX_TEMPERATURE = 0.0, 2.0
#: Seconds a seat may take to start (or keep) answering before its turn fails.
DEFAULT_TURN_TIMEOUT_S = 60
MIN_TURN_TIMEOUT_S, MAX_TURN_TIMEOUT_S = 5, 900

_THEME = "appearance/theme"
_FONT_SIZE = "appearance/font_size"
_PROTOCOL = "debate/protocol"
_ROUNDS = "debate/rounds"
_TEMPERATURE = "debate/temperature"
_TURN_TIMEOUT = "debate/turn_timeout_s"
_SERVERS = "servers/urls"
_SERVER_LIMITS = "servers/concurrency"
_LAST_TABLE = "table/last"
_EXPORT_FOLDER = "export/folder"


class AppSettings(QObject):
    """Typed access to the persisted preferences: `theme()` / `set_theme(value)`, ….

    Every setter writes through to disk at once (the file is tiny) and emits
    `changed` only when the value really changed.
    """

    #: (key: str) the settings key that changed, e.g. "appearance/theme".
    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        folder = data_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # read-only home: settings just will not persist
            log.warning("cannot create %s: %s", folder, exc)
        self._store = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)

    def path(self) -> str:
        return self._store.fileName()

    # ------------------------------------------------------------------ appearance
    def theme(self) -> str:
        value = self._store.value(_THEME, "system")
        return value if isinstance(value, str) and value in THEMES else "system"

    def set_theme(self, value: str) -> None:
        if value not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {value!r}")
        self._set(_THEME, value)

    def font_size(self) -> int:
        return _clamp_int(
            self._store.value(_FONT_SIZE), DEFAULT_FONT_SIZE, MIN_FONT_SIZE, MAX_FONT_SIZE
        )

    def set_font_size(self, value: int) -> None:
        self._set(_FONT_SIZE, _clamp_int(value, DEFAULT_FONT_SIZE, MIN_FONT_SIZE, MAX_FONT_SIZE))

    # ------------------------------------------------------------------ debate defaults
    def default_protocol(self) -> str:
        value = self._store.value(_PROTOCOL, DEFAULT_PROTOCOL)
        return value if isinstance(value, str) and value.strip() else DEFAULT_PROTOCOL

    def set_default_protocol(self, value: str) -> None:
        self._set(_PROTOCOL, value.strip() or DEFAULT_PROTOCOL)

    def rounds(self) -> int:
        return _clamp_int(self._store.value(_ROUNDS), DEFAULT_ROUNDS, MIN_ROUNDS, MAX_ROUNDS)

    def set_rounds(self, value: int) -> None:
        self._set(_ROUNDS, _clamp_int(value, DEFAULT_ROUNDS, MIN_ROUNDS, MAX_ROUNDS))

    def temperature(self) -> float | None:
        """Temperature for new seats; None leaves it to each provider's default."""
        raw = self._store.value(_TEMPERATURE, "")
        if raw in ("", None):
            return None
        try:
            value = float(str(raw))
        except (TypeError, ValueError):
            return None
        return min(MAX_TEMPERATURE, max(MIN_TEMPERATURE, value))

    def set_temperature(self, value: float | None) -> None:
        if value is None:
            self._set(_TEMPERATURE, "")
        else:
            clamped = min(MAX_TEMPERATURE, max(MIN_TEMPERATURE, float(value)))
            self._set(_TEMPERATURE, f"{clamped:g}")

    def turn_timeout_s(self) -> int:
        return _clamp_int(
            self._store.value(_TURN_TIMEOUT),
            DEFAULT_TURN_TIMEOUT_S,
            MIN_TURN_TIMEOUT_S,
            MAX_TURN_TIMEOUT_S,
        )

    def set_turn_timeout_s(self, value: int) -> None:
        self._set(
            _TURN_TIMEOUT,
            _clamp_int(value, DEFAULT_TURN_TIMEOUT_S, MIN_TURN_TIMEOUT_S, MAX_TURN_TIMEOUT_S),
        )

    # ------------------------------------------------------------------ servers
    def server_urls(self) -> list[str]:
        """OpenAI-compatible servers to look for models on (Ollama is always looked at)."""
        # Stored as JSON: INI lists of one element come back from QSettings as a str.
        raw = self._store.value(_SERVERS, "[]")
        try:
            data = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError:
            return []
        if not isinstance(data, list):
            return []
        return [url for url in (str(item).strip() for item in data) if url]

    def set_server_urls(self, urls: list[str]) -> None:
        cleaned: list[str] = []
        for url in (u.strip().rstrip("/") for u in urls):
            if url and url not in cleaned:
                cleaned.append(url)
        self._set(_SERVERS, json.dumps(cleaned))

    def server_limits(self) -> tuple[ServerLimit, ...]:
        """The requests-at-a-time the user set per server (`domain.concurrency`); a server
        not listed keeps its default (one for a local server)."""
        raw = self._store.value(_SERVER_LIMITS, "{}")
        try:
            data = json.loads(raw) if isinstance(raw, str) else {}
        except json.JSONDecodeError:
            return ()
        if not isinstance(data, dict):
            return ()
        limits = []
        for server, value in data.items():
            try:
                concurrency = check_concurrency(value, where="settings")
            except ConfigError:
                continue  # a hand-edited value: the default applies
            limits.append(ServerLimit(server_key(str(server)), concurrency))
        return tuple(limits)

    def set_server_limits(self, limits: dict[str, int | None]) -> None:
        """{server address: requests at a time (None: no limit)} for the servers the user
        set; the rest keep their defaults."""
        data = {server_key(url): value or 0 for url, value in limits.items()}
        self._set(_SERVER_LIMITS, json.dumps(data, sort_keys=True))

    # ------------------------------------------------------------------ last table
    def last_table(self) -> str | None:
        """The table seated last time, as panel TOML (`roundtable.domain.panel`)."""
        value = self._store.value(_LAST_TABLE, "")
        return value if isinstance(value, str) and value.strip() else None

    def set_last_table(self, toml_text: str | None) -> None:
        self._set(_LAST_TABLE, toml_text or "")

    # ------------------------------------------------------------------ export
    def export_folder(self) -> Path:
        """Where the last export was saved; the home folder before one, or once that
        folder is gone."""
        value = self._store.value(_EXPORT_FOLDER, "")
        folder = Path(value) if isinstance(value, str) and value.strip() else None
        return folder if folder is not None and folder.is_dir() else Path.home()

    def set_export_folder(self, folder: Path) -> None:
        self._set(_EXPORT_FOLDER, str(folder))

    # ------------------------------------------------------------------ plumbing
    def sync(self) -> None:
        """Write anything pending to disk (setters already do; harmless to repeat)."""
        self._store.sync()

    def _set(self, key: str, value: Any) -> None:
        # INI files give every value back as text, so compare text with text.
        if self._store.contains(key) and str(self._store.value(key)) == str(value):
            return
        self._store.setValue(key, value)
        self._store.sync()
        if self._store.status() != QSettings.Status.NoError:
            log.warning("could not save settings to %s (%s)", self.path(), self._store.status())
        self.changed.emit(key)


def _clamp_int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value)) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))
