"""Where Roundtable keeps its files: bundled resources and the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "roundtable"
#: Environment variable naming the transcript database (a path or an SQLAlchemy URL).
DB_ENV = "ROUNDTABLE_DB"
#: The database's file name in the data directory, when nothing names another.
DB_FILENAME = "roundtable.db"


def resource_dir() -> Path:
    """The `resources/` folder: beside the package in a checkout, inside it when installed."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "resources", package.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Roundtable's resources folder is missing; reinstall the package.")


def data_dir() -> Path:
    """The user's data directory (`ROUNDTABLE_DATA_DIR` overrides it, e.g. in tests)."""
    override = os.environ.get("ROUNDTABLE_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
