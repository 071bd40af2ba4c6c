"""A package's public names, each loaded from its module on first use (PEP 562).

The packages whose modules pull in heavy libraries (SQLAlchemy, the providers' HTTP
clients, Jinja2, the exporters) list their public names in one table and import a
module only when one of its names is first read: what a command or the window loads
stays what it uses (benchmarks/cli_startup.py, benchmarks/startup.py).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The module-level `__getattr__` for `package`: each name in `homes` comes from
    the module named beside it (a full dotted name) and is then kept in the package's
    namespace, so a later look-up is a plain attribute."""
    namespace = sys.modules[package].__dict__

    def load(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    return load
