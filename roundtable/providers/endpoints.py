"""Where a seat's calls go: one answer for `run`, `models`, the app and the pre-flight.

A seat's own `api_base` wins. Without one, the address comes from the variable the
user set for that provider (`ProviderInfo.base_vars`), read the way the tool itself
reads it, then from the provider's default address when it runs on this machine:

    openai/            OPENAI_API_BASE, OPENAI_BASE_URL   (else OpenAI's cloud)
    litellm_proxy/     LITELLM_PROXY_API_BASE, else the team gateway saved in
                       Settings › Team gateway (`team_gateway.py`)
    ollama_chat/       OLLAMA_API_BASE (litellm's), OLLAMA_HOST (Ollama's own,
                       e.g. "0.0.0.0:11500"), else http://127.0.0.1:11434
    lm_studio/         LM_STUDIO_API_BASE, else http://127.0.0.1:1234/v1

litellm does not read OLLAMA_HOST, so the gateway passes the address it finds here
as `api_base`: before that, `models` found Ollama where OLLAMA_HOST said while `run`
looked for it on 11434.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from roundtable.domain import Seat
from roundtable.providers.catalogue import provider_info, provider_label
from roundtable.providers.team_gateway import GATEWAY_PROVIDER, SETTING_VIA, saved_gateway_url

#: Where Ollama and LM Studio listen when nothing says otherwise.
DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
DEFAULT_LM_STUDIO_URL = "http://127.0.0.1:1234/v1"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An address a seat's calls go to, and what said so."""

    url: str
    #: "api_base" (the seat's), a variable's name ("OLLAMA_HOST"), "default", or the
    #: app's team gateway setting (`team_gateway.SETTING_VIA`).
    via: str

    @property
    def from_variable(self) -> bool:
        """The user named this address (a variable or the team gateway setting)."""
        return self.via not in ("api_base", "default")

    def described(self) -> str:
        """For people: "http://127.0.0.1:11500 (from OLLAMA_HOST)"."""
        if self.via == "api_base":
            return self.url
        if self.via == "default":
            return f"{self.url} (the default address)"
        return f"{self.url} (from {self.via})"


def provider_endpoint(provider: str) -> Endpoint | None:
    """Where `provider` listens when a seat gives no address; None for a cloud default."""
    info = provider_info(provider)
    if info is None:
        return None
    for var in info.base_vars:
        value = os.environ.get(var, "").strip()
        if value:
            url = _ollama_host(value) if var == "OLLAMA_HOST" else value.rstrip("/")
            return Endpoint(url, var)
    if info.local and info.default_base:
        return Endpoint(info.default_base, "default")
    if provider == GATEWAY_PROVIDER:
        saved = saved_gateway_url()
        if saved:
            return Endpoint(saved, SETTING_VIA)
    return None


def seat_endpoint(seat: Seat) -> Endpoint | None:
    """Where `seat`'s calls go, when we can know it; None for a cloud provider's own."""
    if seat.is_demo:
        return None
    if seat.api_base:
        return Endpoint(seat.api_base.strip(), "api_base")
    return provider_endpoint(seat.provider)


def ollama_endpoint() -> Endpoint:
    """Where Ollama listens: OLLAMA_API_BASE, OLLAMA_HOST, else 127.0.0.1:11434."""
    return provider_endpoint("ollama_chat") or Endpoint(DEFAULT_OLLAMA_URL, "default")


def missing_base_problem(seat: Seat) -> str | None:
    """The pre-flight check: why `seat` has no address to call, or None if it has one.

    litellm would find out only when the call is made, after the retries, with a
    failed debate stored.
    """
    info = provider_info(seat.provider)
    if seat.is_demo or info is None or not info.needs_base or seat_endpoint(seat):
        return None
    var = info.base_vars[0] if info.base_vars else "the provider's address variable"
    if seat.provider == GATEWAY_PROVIDER:
        return (
            f"Seat '{seat.name}' ({seat.model}) has no address for its server (the team's "
            f"LiteLLM proxy): set {var} (e.g. http://127.0.0.1:4000) or its address in "
            "Settings › Team gateway, or give the seat an api_base."
        )
    return (
        f"Seat '{seat.name}' ({seat.model}) has no address for its server "
        f"({provider_label(seat.provider)}): set {var}, or give the seat an api_base."
    )


def _ollama_host(value: str) -> str:
    """OLLAMA_HOST as Ollama reads it ("0.0.0.0", ":11500", "host:port") as a URL."""
    host = value if "//" in value else f"http://{value}"
    try:
        parts = urlsplit(host)
        port = parts.port
    except ValueError:
        return value  # not an address: the pre-flight names it
    hostname = parts.hostname or "127.0.0.1"
    if hostname in ("0.0.0.0", "::"):  # a bind-all address: reach it on loopback
        hostname = "127.0.0.1"
    if ":" in hostname:
        hostname = f"[{hostname}]"
    return f"{parts.scheme}://{hostname}:{port or 11434}"
