"""What every tool result passes through: Roundtable's errors become MCP tool errors
with the CLI's own message, and no text that looks like a key leaves the server.

Results carry model text, stored questions and error messages from servers; a key
pasted into a question, or echoed by a misbehaving proxy in an error, must not reach
the client. The providers' scrubber (`roundtable.providers.errors.scrub`) removes the
keys this process knows (from the environment and the keyring lookups) and anything
key-shaped.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from roundtable.domain import RoundtableError

#: Environment variables whose values are secrets (API keys, tokens, passwords).
_SECRET_NAME_PARTS = ("KEY", "TOKEN", "SECRET", "PASSWORD")


def known_secrets() -> list[str]:
    """The secret values in this process's environment (longest first, so a key that
    contains another is removed whole)."""
    values = {
        value
        for name, value in os.environ.items()
        if any(part in name.upper() for part in _SECRET_NAME_PARTS) and len(value) >= 8
    }
    return sorted(values, key=len, reverse=True)


def scrubbed(value: Any) -> Any:
    """`value` (JSON data) with every string scrubbed of secrets, except ids (a
    debate's id is 32 hex digits, which the scrubber would take for a token)."""
    from roundtable.providers.errors import scrub

    secrets = known_secrets()

    def walk(item: Any, key: str = "") -> Any:
        if isinstance(item, str):
            return item if key == "id" or key.endswith("_id") else scrub(item, secrets)
        if isinstance(item, dict):
            return {name: walk(inner, str(name)) for name, inner in item.items()}
        if isinstance(item, list | tuple):
            return [walk(inner) for inner in item]
        return item

    return walk(value)


@contextmanager
def as_tool_errors() -> Iterator[None]:
    """Roundtable's errors (ConfigError, StorageError, ProviderError) as tool errors
    with the message the CLI prints, scrubbed; anything else is a bug the SDK reports."""
    try:
        yield
    except RoundtableError as exc:
        raise ToolError(scrubbed(str(exc))) from None


async def guarded(work: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    """Run a tool's work: its errors as tool errors, its result scrubbed."""
    with as_tool_errors():
        return scrubbed(await work())  # type: ignore[no-any-return]
