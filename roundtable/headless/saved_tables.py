"""Tables saved by name: `roundtable run … --save NAME`, then `--panel NAME`.

A saved table is a panel file (`roundtable.domain.panel`) in `<data dir>/tables/`,
the folder the app's "Save table…" writes to, so a table saved in the app is used
by name here and the other way round. `--panel` takes a file path too: a path that
exists, or that looks like one (a `/` or `.toml`), is read as a file.
"""

from __future__ import annotations

from pathlib import Path

from roundtable.domain import ConfigError
from roundtable.domain.limits import check_table_name, shown
from roundtable.domain.panel import Panel
from roundtable.storage.saved_tables import saved_table_path, saved_tables, write_saved_table


def saved_names() -> list[str]:
    return [path.stem for path in saved_tables()]


def panel_path(given: str) -> Path:
    """The panel file `--panel` names: a file, else the saved table of that name.

    ConfigError (exit 2) when it is neither, listing the saved tables.
    """
    path = Path(given).expanduser()
    if _is_file(path) or "/" in given or "\\" in given or given.endswith(".toml"):
        return path  # a file (reading it says what is wrong, if anything)
    check_table_name(given)
    saved = saved_table_path(given)
    if saved.is_file():
        return saved
    names = saved_names()
    known = f"saved tables: {', '.join(names)}" if names else "no table is saved yet"
    raise ConfigError(
        f"--panel {shown(given)} is neither a panel file nor a saved table ({known}); save "
        "one with roundtable run … --save NAME"
    )


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system is no file
        return False


def save_table(name: str, panel: Panel) -> tuple[Path, bool]:
    """Write `panel` as the saved table `name`; the file, and whether one was replaced.

    ConfigError (exit 2) for a name that makes no file name or a disk that refuses.
    """
    if not name.strip():
        raise ConfigError(f"--save {name!r}: give the table a name with letters or digits")
    check_table_name(name)
    path = saved_table_path(name)
    replaced = path.exists()
    try:
        write_saved_table(name, panel)
    except OSError as exc:
        raise ConfigError(f"cannot save the table as {path}: {exc.strerror or exc}") from None
    return path, replaced
