"""Untrusted text on a terminal: control characters shown, never obeyed.

A question, a seat name or a model's reply may contain control characters. Stored
and exported they stay exactly as they were; printed raw to a terminal, an escape
sequence would be obeyed instead (recolour the screen, retitle the window, even write
to the clipboard with OSC 52). Rich drops a few of them (BEL, backspace, CR) but not
ESC. So everything the CLI prints from a debate goes through `visible_controls`,
which draws each control character as its Unicode picture (ESC as "␛", NUL as "␀"):
visible, still recognisable, and inert. Newlines and tabs are kept; RTL text, emoji
and CJK are untouched.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, TypeVar

from roundtable.domain.formatting import visible_controls

T = TypeVar("T")


def terminal_safe(value: T) -> T:
    """`value` (an event, a spec, any frozen domain value) with all its text made safe.

    Walks dataclasses, tuples, lists and dicts; returns the very same object when it
    holds nothing to change, so the common case costs one scan of its strings.
    """
    return _clean(value)  # type: ignore[no-any-return]


def _clean(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value  # a StrEnum is a str, but its value is ours, not untrusted
    if isinstance(value, str):
        return visible_controls(value)
    if isinstance(value, tuple | list):
        items = [_clean(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        cleaned = {_clean(k): _clean(v) for k, v in value.items()}
        unchanged = len(cleaned) == len(value) and all(
            k in value and value[k] is v for k, v in cleaned.items()
        )
        return value if unchanged else cleaned
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            old = getattr(value, field.name)
            new = _clean(old)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
