"""How many requests a model server may have in flight: the user's word on it.

Many local servers answer one request at a time: llama.cpp's server with one slot,
Ollama with one parallel request, LM Studio. Some queue a second request; others
(llama-cpp-python, by default) cut the reply in progress when a new one arrives.
The engine therefore queues the seats that share a server, as many at a time as the
server's limit allows (`engine.server_queue`). The defaults (one for a server on this
machine or the local network, no limit for a hosted provider) are the providers'
(`providers.server_routes`); this module holds what the user set instead:

    ServerLimit("http://127.0.0.1:8080", 1)   # a server, by its address
    ServerLimit("anthropic", 4)                # a hosted provider, by its route
    ServerLimit("http://10.0.0.5:8000", None)  # no limit (vLLM batches requests)

A server is named by its address, normalised to scheme, host and port
(`server_key`): "localhost:8080/v1/" and "http://127.0.0.1:8080" are one server,
since a path is not a second server on the same port.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from roundtable.domain.errors import ConfigError

#: The most requests at a time a limit may name; more is "no limit" in practice.
MAX_CONCURRENCY = 64
#: Host names that all mean "this machine".
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"})


@dataclass(frozen=True, slots=True)
class ServerLimit:
    """At most `concurrency` requests at once to `server` (None: no limit).

    `server` is a key from `server_key`: "http://localhost:8080" for an address, a
    provider's route ("anthropic") for a hosted provider.
    """

    server: str
    concurrency: int | None


def server_key(address_or_route: str) -> str:
    """The one name of a server: an address as scheme://host:port (loopback spelt
    "localhost", the scheme's port added), a provider route lower-cased.

    "127.0.0.1:8080/v1/" -> "http://localhost:8080"; "Anthropic" -> "anthropic".
    """
    text = address_or_route.strip()
    if not _is_address(text):
        return text.lower()
    url = text if "//" in text else f"http://{text}"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url.rstrip("/").lower()  # not an address: kept, refused where it is used
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    if host in _LOOPBACK_NAMES or host.startswith("127."):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port or (443 if scheme == 'https' else 80)}"


def server_label(key: str) -> str:
    """A server as people read it in "waiting for …": "localhost:8080"; a provider's
    route stays as it is ("anthropic")."""
    return key.split("//", 1)[1] if "//" in key else key


def check_concurrency(value: object, *, where: str) -> int | None:
    """A limit as given in a panel file or a setting: a whole number from 1 to
    MAX_CONCURRENCY, or 0 (or "unlimited") for no limit; ConfigError naming `where`."""
    if isinstance(value, str) and value.strip().lower() in ("unlimited", "none", "no limit"):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CONCURRENCY:
        raise ConfigError(
            f"{where}: `concurrency` is how many requests the server takes at once: a whole "
            f"number from 1 to {MAX_CONCURRENCY}, or 0 for no limit (not {value!r}). A server "
            "that answers one request at a time (llama.cpp, Ollama, LM Studio) needs 1."
        )
    return value or None


def parse_limit_option(text: str) -> tuple[str | None, int | None]:
    """A command-line limit: "SERVER=N" (an address or a provider route), or a bare "N"
    for every server of the table; (None, N) for the bare form. ConfigError if neither."""
    server, sep, count = text.rpartition("=")
    where = f"--concurrency {text!r}"
    if not sep:
        return None, check_concurrency(text, where=where)
    if not server.strip():
        raise ConfigError(f"{where}: name the server before '=', e.g. localhost:8080=1")
    return server_key(server), check_concurrency(count, where=where)


def limit_for(limits: tuple[ServerLimit, ...], key: str) -> ServerLimit | None:
    """The user's limit for server `key`, if they set one (the last one set wins)."""
    found = None
    for limit in limits:
        if server_key(limit.server) == key:
            found = limit
    return found


def _is_address(text: str) -> bool:
    """An address ("localhost:8080", "http://…", "10.0.0.5") rather than a route name."""
    return "//" in text or ":" in text or "." in text or "/" in text
