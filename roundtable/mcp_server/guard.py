"""What every tool result passes through: Roundtable's errors become MCP tool errors
with the CLI's own message, and no text that looks like a key leaves the server.

Results carry model text, stored questions and error messages from servers; a key
pasted into a question, or echoed by a misbehaving proxy in an error, must not reach
the client. The providers' scrubber (`roundtable.providers.errors.scrub`) removes the
keys this process knows (from the environment and the keyring lookups) and anything
key-shaped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from roundtable.domain import RoundtableError


def scrubbed(value: Any) -> Any:
    """`value` (JSON data) with every string scrubbed of secrets, except ids (a
    debate's id is 32 hex digits, which the scrubber would take for a token)."""
    from roundtable.providers.errors import scrub
    from roundtable.providers.redaction import known_secrets

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
