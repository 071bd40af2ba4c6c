"""The schema every line of a training export must satisfy, checked strictly.

`check_line(text, fmt)` raises AssertionError naming what is wrong, and returns the
parsed line. Written out by hand (no JSON Schema library) so each rule reads plainly:

- one line: exactly one "\\n", at the end, and one line for `str.splitlines` too;
- finetune: `{"messages": [...]}` and nothing else; an optional system message, then
  user and assistant turns alternating, starting with user and ending with assistant;
  only earlier assistant turns may carry `"weight": 0`;
- preference: `{"prompt", "chosen", "rejected"}` and nothing else; the prompt is an
  optional system message then alternating turns ending with a user turn; chosen and
  rejected are one assistant message each, and differ;
- every message is `{"role", "content"}` (plus that weight), its content a string
  with more than white space in it.
"""

from __future__ import annotations

import json
from typing import Any

_MESSAGE_KEYS = {"role", "content"}


def check_line(text: str, fmt: str) -> dict[str, Any]:
    assert text.endswith("\n"), "a line ends with a newline"
    assert text.count("\n") == 1, "one JSON object per line"
    assert len(text.splitlines()) == 1, "no Unicode line separator inside a line"
    value = json.loads(text)
    assert isinstance(value, dict), "each line is a JSON object"
    if fmt == "finetune":
        assert set(value) == {"messages"}, f"unexpected keys {sorted(value)}"
        _check_conversation(value["messages"], last="assistant")
    elif fmt == "preference":
        assert set(value) == {"prompt", "chosen", "rejected"}, f"unexpected keys {sorted(value)}"
        _check_conversation(value["prompt"], last="user")
        for side in ("chosen", "rejected"):
            completion = value[side]
            assert isinstance(completion, list), f"{side} is a list of messages"
            assert len(completion) == 1, f"{side} is one message"
            _check_message(completion[0], "assistant", weighted=False)
        assert value["chosen"] != value["rejected"], "chosen and rejected differ"
    else:
        raise AssertionError(f"no schema for {fmt!r}")
    return value


def _check_conversation(messages: Any, *, last: str) -> None:
    assert isinstance(messages, list), "messages are a list"
    assert messages, "at least one message"
    turns = messages[1:] if messages[0].get("role") == "system" else messages
    if turns is not messages:
        _check_message(messages[0], "system", weighted=False)
    assert turns, "a system message alone is no conversation"
    for index, message in enumerate(turns):
        role = "user" if index % 2 == 0 else "assistant"
        # Only assistant turns before the last message may be switched off for training.
        weighted = role == "assistant" and index < len(turns) - 1
        _check_message(message, role, weighted=weighted)
    assert turns[-1]["role"] == last, f"the conversation ends with a {last} turn"


def _check_message(message: Any, role: str, *, weighted: bool) -> None:
    assert isinstance(message, dict), "a message is an object"
    allowed = _MESSAGE_KEYS | ({"weight"} if weighted else set())
    assert _MESSAGE_KEYS <= set(message) <= allowed, f"unexpected keys {sorted(message)}"
    assert message["role"] == role, f"expected a {role} turn, found {message['role']!r}"
    content = message["content"]
    assert isinstance(content, str), "content is a string"
    assert content.strip(), f"a {role} turn with no text"
    if "weight" in message:
        assert message["weight"] == 0, "a context turn's weight is 0"
