"""Pre-flight: can the servers this table needs be reached, before the debate starts?

A seat on a server that is not running (Ollama not started, a typo in an api_base,
a host name that does not resolve) would otherwise cost the user a debate's worth of
waiting: three attempts with backoff, then a failed seat in round 1, and perhaps
"not enough seats". Opening one TCP connection per server, all at once and with a
short limit, finds that out in milliseconds and names the server.

Only servers we can know about are checked: a seat's `api_base`, the address a
variable gives its provider (OLLAMA_HOST, OPENAI_API_BASE, LITELLM_PROXY_API_BASE,
…; `endpoints.py`), or the default address of a provider that runs on the user's
machine (Ollama, LM Studio, …). Cloud providers are not probed (their addresses are
litellm's business, and a failure there is retried and reported per seat). A server
reached through a proxy from the environment is not probed either: the proxy, not
us, decides what is reachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from roundtable.domain import Seat
from roundtable.providers.catalogue import provider_info, provider_label
from roundtable.providers.endpoints import Endpoint, seat_endpoint

#: How long one server may take to accept a connection. A server on this machine or
#: the local network answers in milliseconds; this only bounds a silent firewall.
DEFAULT_REACH_TIMEOUT_S = 2.0


@dataclass(frozen=True, slots=True)
class Unreachable:
    """A server that did not accept a connection, and the seats that need it."""

    url: str
    seats: tuple[str, ...]  # seat names
    reason: str  # "connection refused", "unknown host", "no answer within 2 s"
    #: Who runs it, for the message: "the server" for an api_base, else "Ollama", ….
    label: str = "the server"
    #: What set the address, for the fix: "the seat's api_base", "set by OLLAMA_HOST", ….
    origin: str = "the seat's api_base"

    @property
    def message(self) -> str:
        """What failed and what to do, naming the server and the seats."""
        names = ", ".join(f"'{name}'" for name in self.seats)
        seats = f"seat{'s' if len(self.seats) > 1 else ''} {names}"
        return (
            f"Cannot reach {self.label} at {self.url} ({self.reason}), needed by {seats}. "
            f"Is the server running? Start it, or correct the address ({self.origin}), "
            "then run the debate again."
        )


def server_url(seat: Seat) -> str | None:
    """The address `seat`'s calls go to, when it is ours to check; else None."""
    endpoint = seat_endpoint(seat)
    return endpoint.url if endpoint else None


async def find_unreachable(
    seats: Sequence[Seat], *, timeout_s: float = DEFAULT_REACH_TIMEOUT_S
) -> list[Unreachable]:
    """The servers among `seats`' that cannot be reached, checked concurrently.

    Each distinct host and port is tried once, whatever the number of seats on it;
    the whole check takes at most about `timeout_s`.
    """
    by_address: dict[tuple[str, int], list[Seat]] = {}
    endpoints: dict[tuple[str, int], Endpoint] = {}
    found: list[Unreachable] = []
    for seat in seats:
        endpoint = seat_endpoint(seat)
        if endpoint is None:
            continue
        url = endpoint.url
        address = _address(url)
        if address is None:
            why = "not an http:// or https:// address"
            found.append(Unreachable(url, (seat.name,), why, _label(seat), _origin(seat, endpoint)))
            continue
        if _proxied(url, address[0]):
            continue
        by_address.setdefault(address, []).append(seat)
        endpoints.setdefault(address, endpoint)
    if not by_address:
        return found
    reasons = await asyncio.gather(
        *(_try_connect(host, port, timeout_s) for host, port in by_address)
    )
    for (address, seats_here), reason in zip(by_address.items(), reasons, strict=True):
        if reason is not None:
            names = tuple(seat.name for seat in seats_here)
            endpoint, first = endpoints[address], seats_here[0]
            origin = _origin(first, endpoint)
            found.append(Unreachable(endpoint.url, names, reason, _label(first), origin))
    return found


def check_reachable(
    seats: Sequence[Seat], *, timeout_s: float = DEFAULT_REACH_TIMEOUT_S
) -> list[Unreachable]:
    """`find_unreachable` for code without an event loop (the CLI's pre-flight)."""
    if not any(server_url(seat) for seat in seats):
        return []  # nothing to check: no event loop, no cost
    return asyncio.run(find_unreachable(seats, timeout_s=timeout_s))


def _label(seat: Seat) -> str:
    return "the server" if seat.api_base else provider_label(seat.provider)


def _origin(seat: Seat, endpoint: Endpoint) -> str:
    """What set `endpoint`, said so that the fix is plain."""
    if endpoint.via == "api_base":
        return "the seat's api_base"
    if endpoint.via != "default":
        return f"set by {endpoint.via}"
    info = provider_info(seat.provider)
    # The server's own variable when it has one (OLLAMA_HOST): the one people know.
    var = info.base_vars[-1] if info and info.base_vars else None
    return f"the default; set {var} if it listens elsewhere" if var else "the default"


def _address(url: str) -> tuple[str, int] | None:
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname, port or (443 if parts.scheme.lower() == "https" else 80)


def _proxied(url: str, host: str) -> bool:
    """True when the environment sends requests for `url` through a proxy."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    proxies = urllib.request.getproxies()
    if not (proxies.get(scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(host)


async def _try_connect(host: str, port: int, timeout_s: float) -> str | None:
    """None when `host:port` accepts a TCP connection; else why not, in a few words."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout_s):
            try:
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except socket.gaierror:
                return f"unknown host {host!r}"
            error: OSError | None = None
            # Each address in turn ("localhost" is ::1 and 127.0.0.1): one answering is enough.
            for family, _, _, _, sockaddr in infos:
                try:
                    _, writer = await asyncio.open_connection(str(sockaddr[0]), port, family=family)
                except OSError as exc:
                    error = exc
                    continue
                writer.close()
                # The server may hang up first: it was there, which is all we asked.
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
                return None
    except TimeoutError:
        return f"no answer within {timeout_s:g} s"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if error is not None:
        return error.strerror or str(error) or type(error).__name__
    return f"no address found for {host!r}"
