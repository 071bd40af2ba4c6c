"""The debate protocols and their registry.

To add one: subclass `DebateProtocol` in a module of this package, list it in
`_CLASSES`, and add its name to `roundtable.domain.values.PROTOCOLS`.
"""

from __future__ import annotations

from roundtable.domain import ConfigError
from roundtable.engine.protocols.base import DebateProtocol, Decision, ProtocolInfo
from roundtable.engine.protocols.roundtable import RoundtableProtocol

_CLASSES: tuple[type[DebateProtocol], ...] = (RoundtableProtocol,)
_REGISTRY: dict[str, type[DebateProtocol]] = {cls.name: cls for cls in _CLASSES}

#: name -> title, paper and summary, in menu order, for the app to explain each protocol.
PROTOCOL_INFO: dict[str, ProtocolInfo] = {cls.name: cls.info() for cls in _CLASSES}


def get_protocol(name: str) -> DebateProtocol:
    """A fresh instance of the named protocol; `ConfigError` names the known ones."""
    cls = _REGISTRY.get(name)
    if cls is None:
        known = ", ".join(_REGISTRY)
        raise ConfigError(f"Unknown protocol {name!r}. Choose one of: {known}.")
    return cls()


__all__ = [
    "PROTOCOL_INFO",
    "DebateProtocol",
    "Decision",
    "ProtocolInfo",
    "RoundtableProtocol",
    "get_protocol",
]
