"""The team store setting: a shared database (PostgreSQL) the app and every command use.

Kept in `<data dir>/team_store.json` (Settings › Team store): the database URL
*without* its password, and the display name the person's debates carry. A password
typed in the URL goes to the OS keyring (service "roundtable", user "team-store"),
never into that file; without a keyring, libpq's own `PGPASSWORD` or `~/.pgpass`
supply it. `ROUNDTABLE_DB` and `--db` still win over this setting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roundtable.domain import ConfigError
from roundtable.paths import data_dir

SETTING_FILE = "team_store.json"
KEYRING_USER = "team-store"


@dataclass(frozen=True, slots=True)
class TeamStore:
    #: The database URL without a password ("" when none is set).
    url: str
    #: The name the person's debates carry ("" for their login name).
    user: str


def saved_team_store() -> TeamStore:
    """What Settings › Team store holds (empty values when nothing is set)."""
    data = _read(data_dir() / SETTING_FILE)
    url = data.get("url", "")
    user = data.get("user", "")
    return TeamStore(url if isinstance(url, str) else "", user if isinstance(user, str) else "")


def save_team_store(url: str, user: str) -> None:
    """Save the URL (its password, if any, to the keyring) and the display name.
    ConfigError when the URL is not a database URL, or holds a password and no
    keyring can keep it."""
    url, password = split_password(url.strip())
    if password is not None:
        _store_password(password)
    path = data_dir() / SETTING_FILE
    if not url and not user.strip():
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"url": url, "user": " ".join(user.split())}), encoding="utf-8")


def team_store_url() -> str | None:
    """The saved URL with its password from the keyring, or None when none is set."""
    url = saved_team_store().url
    if not url:
        return None
    password = _stored_password()
    if password is None:
        return url
    from sqlalchemy import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password or None). ConfigError when `url`
    is not an SQLAlchemy database URL."""
    if not url:
        return "", None
    from sqlalchemy import URL, make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"{url!r} is not a database URL; for PostgreSQL: "
            "postgresql+psycopg://USER@HOST/DATABASE"
        ) from exc
    password = parsed.password
    if password is None:
        return url, None
    # URL.set(password=None) leaves the password as it was: rebuild without it.
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return bare.render_as_string(hide_password=False), str(password)


def _store_password(password: str) -> None:
    import keyring

    from roundtable.providers.keys import KEYRING_SERVICE, keyring_available

    if not keyring_available():
        raise ConfigError(
            "No system keyring is available to keep the database password: remove it "
            "from the URL and set PGPASSWORD (or use ~/.pgpass) instead."
        )
    keyring.set_password(KEYRING_SERVICE, KEYRING_USER, password)


def _stored_password() -> str | None:
    import keyring

    from roundtable.providers.keys import KEYRING_SERVICE, keyring_available

    if not keyring_available():
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception:  # a locked or broken keyring: PGPASSWORD and ~/.pgpass still work
        return None


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
