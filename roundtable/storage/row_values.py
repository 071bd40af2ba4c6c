"""A row as plain column values: what the projection's rules read and write, whether
the row is in the database (the recorder) or only in memory (the importer), and what
a bulk `insert(table)` takes as it is."""

from __future__ import annotations

from typing import Any

from roundtable.storage.rows import Base

#: One row's values by column name.
Values = dict[str, Any]

_COLUMNS: dict[type[Base], tuple[str, ...]] = {}


def columns(table: type[Base]) -> tuple[str, ...]:
    """The column names of a mapped table (its attributes carry the same names)."""
    names = _COLUMNS.get(table)
    if names is None:
        names = _COLUMNS[table] = tuple(table.__table__.columns.keys())
    return names


def blank(table: type[Base]) -> Values:
    """Every column of `table`, NULL: rows of one table all have the same keys, as an
    executemany needs, and a column no rule sets is NULL as in a mapped row."""
    return dict.fromkeys(columns(table))
