"""Which server a seat's requests go to, and how many it takes at once by default.

The engine queues the seats that share a server (`engine.server_queue`); this says
what "a server" is for a seat and what its limit is when the user set none:

- a seat whose calls go to an address we know (its `api_base`, or the one a variable
  or the provider's default gives: `endpoints.seat_endpoint`) is on that address's
  server, named by scheme, host and port (`domain.concurrency.server_key`);
- any other seat is on its provider's route ("anthropic", "openai").

Default limits: 1 for a server on this machine or the local network, or a provider
that runs on the user's machine (Ollama, LM Studio, llama.cpp's server…): many of
them answer one request at a time, and llama-cpp-python cuts the reply in progress
when another request arrives. No limit for a hosted provider, a LiteLLM proxy (it
forwards to hosted ones) or vLLM (built to batch), nor for the offline demo.
"""

from __future__ import annotations

from dataclasses import dataclass

from roundtable.domain import Seat
from roundtable.domain.concurrency import ServerLimit, limit_for, server_key, server_label
from roundtable.providers.catalogue import is_local_provider
from roundtable.providers.endpoints import seat_endpoint
from roundtable.providers.keys import is_private_base

#: Local routes built to serve many requests at once.
_PARALLEL_ROUTES = frozenset({"demo", "litellm_proxy", "vllm", "hosted_vllm"})


@dataclass(frozen=True, slots=True)
class ServerRoute:
    """The server a seat's requests go to, and how many it may have in flight."""

    key: str  # "http://localhost:8080", or a route: "anthropic"
    label: str  # for people: "localhost:8080", "anthropic"
    concurrency: int | None  # None: no limit
    #: The limit is the user's (a setting, the panel file, --concurrency), not a default.
    chosen: bool = False


def seat_server(seat: Seat, limits: tuple[ServerLimit, ...] = ()) -> ServerRoute:
    """Where `seat`'s requests go and its limit: the user's from `limits`, else the
    default for that kind of server."""
    endpoint = seat_endpoint(seat)
    key = server_key(endpoint.url) if endpoint is not None else server_key(seat.provider or "")
    chosen = limit_for(limits, key)
    if chosen is not None:
        return ServerRoute(key, server_label(key), chosen.concurrency, chosen=True)
    return ServerRoute(key, server_label(key), default_concurrency(seat, key))


def default_concurrency(seat: Seat, key: str) -> int | None:
    """1 for a server at home (see the module's docstring), None (no limit) otherwise."""
    if seat.provider in _PARALLEL_ROUTES:
        return None
    if is_local_provider(seat.provider) or is_private_base(key):
        return 1
    return None
