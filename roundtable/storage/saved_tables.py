"""Saved tables: panel files (`roundtable.domain.panel`) kept by name in `<data dir>/tables/`.

The one place that knows where they live and how one is read and written, for both
the app's "Saved tables" and the command line's `--save NAME` / `--panel NAME`, so a
table saved in one is used by name in the other.
"""

from __future__ import annotations

from pathlib import Path

from roundtable.domain import ConfigError
from roundtable.domain.limits import MAX_PANEL_FILE_BYTES, check_panel_size
from roundtable.domain.panel import Panel, dump_panel, parse_panel, slug
from roundtable.paths import data_dir


def tables_dir() -> Path:
    """Where saved tables live."""
    return data_dir() / "tables"


def saved_table_path(name: str) -> Path:
    """The file a table saved as `name` has (or would have)."""
    return tables_dir() / f"{slug(name)}.toml"


def saved_tables() -> list[Path]:
    """Every saved table's file, by name."""
    folder = tables_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def write_saved_table(name: str, panel: Panel) -> Path:
    """Write `panel` as the saved table `name`; OSError if the disk refuses."""
    path = saved_table_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_panel(panel), encoding="utf-8")
    return path


def read_panel_file(path: Path, *, what: str = "panel file") -> Panel:
    """Read a panel file; ConfigError naming the file and what is wrong."""
    try:
        with path.open("rb") as file:
            # One byte past the limit, not stat(): a pipe or /dev/zero has no size.
            data = file.read(MAX_PANEL_FILE_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    check_panel_size(len(data), f"{what} {path}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{what} {path} is not UTF-8 text") from None
    return parse_panel(text, source=f"{what} {path}")
