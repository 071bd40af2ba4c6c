"""Text PostgreSQL can store: its text type refuses the NUL character, SQLite keeps it.

A model's reply or an imported archive holding U+0000 would otherwise stop a debate's
recording on a team store (psycopg: "PostgreSQL text fields cannot contain NUL (0x00)
bytes"). Every string sent to PostgreSQL has its NULs replaced by U+FFFD, the
replacement character, so the debate goes on and the spot stays visible. The event
log keeps the exact text: its JSON writes the character as an escape.
"""

from __future__ import annotations

from typing import Any

from psycopg.types.string import StrBinaryDumper, StrDumperUnknown

_NUL = "\x00"
_REPLACEMENT = "\ufffd"


class _TextDumper(StrDumperUnknown):
    def dump(self, obj: str) -> Any:
        return super().dump(obj.replace(_NUL, _REPLACEMENT) if _NUL in obj else obj)


class _BinaryTextDumper(StrBinaryDumper):
    def dump(self, obj: str) -> Any:
        return super().dump(obj.replace(_NUL, _REPLACEMENT) if _NUL in obj else obj)


def without_nul(dbapi_connection: Any, _record: Any) -> None:
    """A SQLAlchemy `connect` listener: this psycopg connection sends NUL-free text."""
    dbapi_connection.adapters.register_dumper(str, _TextDumper)
    dbapi_connection.adapters.register_dumper(str, _BinaryTextDumper)
