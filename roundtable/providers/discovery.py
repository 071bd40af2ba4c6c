"""Which models a seat can use: the models to offer, and where each was found.

`discover()` (and `list_models()`, its models alone) gathers, concurrently and with
short timeouts (`servers.py` asks each server):
- a few well-known models of every cloud provider that has a key present (in a
  variable or the keyring);
- the models of Ollama (`GET /api/tags`) where OLLAMA_API_BASE or OLLAMA_HOST says,
  else on 127.0.0.1:11434, as `ollama_chat/<name>`;
- the models of LM Studio (LM_STUDIO_API_BASE, else 127.0.0.1:1234), of the servers
  OPENAI_API_BASE and LITELLM_PROXY_API_BASE name, and of each server given (vLLM,
  llama.cpp, a LiteLLM proxy: `GET /v1/models`), as `openai/<name>` (the proxy's
  as `litellm_proxy/<name>`) plus the server's `api_base`;
- the team gateway's models (a LiteLLM proxy named by LITELLM_PROXY_API_BASE or
  Settings › Team gateway, `team_gateway.py`), as `litellm_proxy/<name>`, each with
  the price its `/model/info` gives (remembered for the estimates);
- the offline demo models.
Each model says what led to it (`found_via`). A server that is not running is absent
from the models and reported in `Discovery.servers`; discovery never raises for a
server and never makes the user wait more than about `timeout_s`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from roundtable.domain.pricing import Price
from roundtable.providers.catalogue import PROVIDERS
from roundtable.providers.endpoints import (
    DEFAULT_LM_STUDIO_URL,
    Endpoint,
    ollama_endpoint,
    provider_endpoint,
)
from roundtable.providers.keys import (
    is_private_base,
    key_source,
    key_vars,
    provider_key,
    server_key,
)
from roundtable.providers.servers import ServerCheck, ServerKind, normalise_url, probe
from roundtable.providers.team_gateway import (
    GATEWAY_PROVIDER,
    SETTING_VIA,
    gateway_price,
    read_gateway_prices,
)

ModelSource = Literal["configured", "ollama", "server", "gateway", "demo"]


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A model the user could seat. `id` is litellm's; `api_base` goes with it."""

    id: str
    label: str
    provider: str
    source: ModelSource
    needs_key: bool
    key_present: bool
    api_base: str | None = None
    description: str = ""
    #: What led to it: a key's variable or "keyring", "--server", "Settings", a
    #: variable naming the server ("OLLAMA_HOST"), "default" (a default port); "".
    found_via: str = ""
    #: What the server says the model costs (a team gateway's `/model/info`), if it says.
    price: Price | None = None

    @property
    def ready(self) -> bool:
        """Usable right now: it needs no key, or its key is present."""
        return not self.needs_key or self.key_present


# ------------------------------------------------------------------ discovery
@dataclass(frozen=True, slots=True)
class Discovery:
    """Every model found, and what each server asked said."""

    models: list[ModelInfo]
    servers: list[ServerCheck]

    @property
    def failed(self) -> list[ServerCheck]:
        """Servers the user named (an option, a variable, a setting) that failed."""
        return [check for check in self.servers if check.named and not check.ok]


def list_models(
    servers: Sequence[str] = (),
    *,
    timeout_s: float = 1.0,
    probe_local: bool = True,
    include_unconfigured: bool = False,
) -> list[ModelInfo]:
    """Every model the user could seat now; see the module docstring.

    Synchronous, for a worker thread or the CLI; from inside an event loop use
    `adiscover`. `probe_local` also asks Ollama and LM Studio (where their
    variables say, else on their default ports) and the servers OPENAI_API_BASE and
    LITELLM_PROXY_API_BASE name; `include_unconfigured` adds cloud models whose key
    is missing.
    """
    return discover(
        servers,
        timeout_s=timeout_s,
        probe_local=probe_local,
        include_unconfigured=include_unconfigured,
        servers_via="Settings",
    ).models


def discover(
    servers: Sequence[str] = (),
    *,
    timeout_s: float = 1.0,
    probe_local: bool = True,
    include_unconfigured: bool = False,
    servers_via: str = "--server",
) -> Discovery:
    """`list_models` with what each server said; `servers_via` names who gave `servers`."""
    return asyncio.run(
        adiscover(
            servers,
            timeout_s=timeout_s,
            probe_local=probe_local,
            include_unconfigured=include_unconfigured,
            servers_via=servers_via,
        )
    )


@dataclass(frozen=True, slots=True)
class _Target:
    """A server to ask: where, how, who named it, and how its models are seated."""

    url: str
    kind: ServerKind
    via: str
    prefix: str  # "openai", "litellm_proxy", "ollama_chat"
    label: str = "server"


async def adiscover(
    servers: Sequence[str] = (),
    *,
    timeout_s: float = 1.0,
    probe_local: bool = True,
    include_unconfigured: bool = False,
    servers_via: str = "--server",
) -> Discovery:
    """The async form of `discover`."""
    import httpx

    configured = await asyncio.to_thread(_configured_models, include_unconfigured)
    targets = _targets(servers, servers_via, probe_local)
    timeout = httpx.Timeout(timeout_s)
    # Loopback and LAN servers must not go through a proxy from the environment.
    async with (
        httpx.AsyncClient(timeout=timeout, trust_env=False) as local,
        httpx.AsyncClient(timeout=timeout) as remote,
    ):
        checks = await asyncio.gather(
            *(
                probe(
                    local if is_private_base(t.url) else remote,
                    t.url,
                    t.kind,
                    via=t.via,
                    label=t.label,
                    headers=_auth(t),
                    key_var=_key_var(t),
                    timeout_s=timeout_s,
                )
                for t in targets
            )
        )
        gateways = [
            (target, check)
            for target, check in zip(targets, checks, strict=True)
            if target.prefix == GATEWAY_PROVIDER and check.ok
        ]
        await asyncio.gather(
            *(
                read_gateway_prices(
                    local if is_private_base(t.url) else remote, check.api_base or t.url, _auth(t)
                )
                for t, check in gateways
            )
        )
    discovered = [
        info
        for target, check in zip(targets, checks, strict=True)
        for info in _served_models(target, check)
    ]
    seen: set[tuple[str, str | None]] = set()
    result: list[ModelInfo] = []
    for info in [*configured, *discovered, *demo_models()]:
        if (info.id, info.api_base) not in seen:
            seen.add((info.id, info.api_base))
            result.append(info)
    return Discovery(result, list(checks))


def _targets(servers: Sequence[str], servers_via: str, probe_local: bool) -> list[_Target]:
    """The servers to ask, each once: those given, then those the environment names,
    then Ollama's and LM Studio's addresses."""
    targets = [
        _Target(normalise_url(u), "openai", servers_via, "openai") for u in servers if u.strip()
    ]
    if probe_local:
        for provider in ("openai", "litellm_proxy"):
            named = provider_endpoint(provider)
            if named is not None and named.from_variable:
                label = "LiteLLM proxy" if provider == GATEWAY_PROVIDER else "server"
                url = normalise_url(named.url)
                targets.append(_Target(url, "openai", named.via, provider, label))
        studio = provider_endpoint("lm_studio") or Endpoint(DEFAULT_LM_STUDIO_URL, "default")
        url = normalise_url(studio.url)
        targets.append(_Target(url, "openai", studio.via, "openai", "LM Studio"))
        ollama = ollama_endpoint()
        url = normalise_url(ollama.url)
        targets.append(_Target(url, "ollama", ollama.via, "ollama_chat", "Ollama"))
    unique: dict[tuple[str, ServerKind], _Target] = {}
    for target in targets:
        unique.setdefault((target.url, target.kind), target)
    return list(unique.values())


def check_server(
    url: str, *, ollama: bool = False, via: str = "Settings", timeout_s: float = 3.0
) -> ServerCheck:
    """Ask one server for its models, as `discover` does, for code without an event
    loop (the app's "Test connection", on a worker thread)."""
    import httpx

    kind: ServerKind = "ollama" if ollama else "openai"
    target = _Target(normalise_url(url), kind, via, "ollama_chat" if ollama else "openai")

    async def ask() -> ServerCheck:
        trust_env = not is_private_base(target.url)  # loopback never through a proxy
        async with httpx.AsyncClient(timeout=timeout_s, trust_env=trust_env) as client:
            headers = _auth(target)
            return await probe(
                client,
                target.url,
                kind,
                via=via,
                headers=headers,
                key_var=_key_var(target),
                timeout_s=timeout_s,
            )

    return asyncio.run(ask())


def check_gateway(url: str, *, timeout_s: float = 3.0) -> tuple[ServerCheck, list[ModelInfo]]:
    """Ask the team gateway at `url` for its models and prices, with its virtual key
    (Settings › Team gateway's "Test connection", on a worker thread)."""
    import httpx

    target = _Target(normalise_url(url), "openai", SETTING_VIA, GATEWAY_PROVIDER, "LiteLLM proxy")

    async def ask() -> ServerCheck:
        trust_env = not is_private_base(target.url)  # loopback never through a proxy
        headers = _auth(target, always=True)
        async with httpx.AsyncClient(timeout=timeout_s, trust_env=trust_env) as client:
            check = await probe(
                client,
                target.url,
                "openai",
                via=target.via,
                label=target.label,
                headers=headers,
                key_var=_key_var(target),
                timeout_s=timeout_s,
            )
            if check.ok:
                await read_gateway_prices(
                    client, check.api_base or target.url, _auth(target, always=True)
                )
            return check

    check = asyncio.run(ask())
    return check, _served_models(target, check)


def _auth(target: _Target, *, always: bool = False) -> dict[str, str]:
    """The key set for the server, when it may go there (`keys.server_key`): a LiteLLM
    proxy answers its model list only to a caller with a key. `always`: the user
    named this very server to be tested with its key."""
    key = provider_key(target.prefix) if always else server_key(target.prefix, target.url)
    return {"Authorization": f"Bearer {key}"} if key else {}


def _key_var(target: _Target) -> str:
    names = key_vars(target.prefix)
    return names[0] if names else "OPENAI_API_KEY"


def _served_models(target: _Target, check: ServerCheck) -> list[ModelInfo]:
    if target.kind == "ollama":
        return [_ollama_model(name, check) for name in check.names]
    where = urlsplit(check.api_base or check.url).netloc or check.url
    gateway = target.prefix == GATEWAY_PROVIDER
    return [
        ModelInfo(
            id=f"{target.prefix}/{name}",
            label=f"{name} ({'team gateway at ' if gateway else ''}{where})",
            provider=target.prefix,
            source="gateway" if gateway else "server",
            needs_key=False,
            key_present=check.sent_key,  # a key set for this server goes with its calls
            api_base=check.api_base,
            found_via=check.via,
            price=gateway_price(f"{target.prefix}/{name}", check.api_base) if gateway else None,
        )
        for name in check.names
    ]


def _ollama_model(name: str, check: ServerCheck) -> ModelInfo:
    name = name.removesuffix(":latest")  # Ollama's default tag; litellm accepts both
    return ModelInfo(
        id=f"ollama_chat/{name}",
        label=f"{name} (Ollama)",
        provider="ollama_chat",
        source="ollama",
        needs_key=False,
        key_present=False,
        api_base=check.api_base,
        found_via=check.via,
    )


def _configured_models(include_unconfigured: bool) -> list[ModelInfo]:
    result = []
    for info in PROVIDERS.values():
        if not info.models or not info.needs_key:
            continue
        source = key_source(info.name)
        if source is None and not include_unconfigured:
            continue
        for model in info.models:
            result.append(
                ModelInfo(
                    id=model,
                    label=f"{model.partition('/')[2]} ({info.label})",
                    provider=info.name,
                    source="configured",
                    needs_key=True,
                    key_present=source is not None,
                    found_via=source or "",
                )
            )
    return result


def ollama_url() -> str:
    """Where Ollama listens (`endpoints.ollama_endpoint`: OLLAMA_API_BASE, OLLAMA_HOST, 11434)."""
    return ollama_endpoint().url


async def discover_ollama(client: Any, url: str) -> list[ModelInfo]:
    """Ollama's installed models, or [] when Ollama is not running."""
    check = await probe(client, url, "ollama", via="default")
    return [_ollama_model(name, check) for name in check.names]


async def discover_server(client: Any, url: str) -> list[ModelInfo]:
    """The models an OpenAI-compatible server lists, or [] when it does not answer."""
    target = _Target(normalise_url(url), "openai", "Settings", "openai")
    return _served_models(target, await probe(client, url, "openai", via="Settings"))


def demo_models() -> list[ModelInfo]:
    """The offline demo models, clearly labelled as simulated."""
    try:
        from roundtable.providers.demo.models import DEMO_MODELS
    except ImportError:
        return []
    result = []
    for model in DEMO_MODELS:
        model_id = getattr(model, "id", None)
        if not isinstance(model_id, str):
            continue
        name = getattr(model, "name", None) or model_id.partition("/")[2]
        result.append(
            ModelInfo(
                id=model_id,
                label=f"{name} (simulated demo)",
                provider="demo",
                source="demo",
                needs_key=False,
                key_present=False,
                description=str(getattr(model, "blurb", "")),
            )
        )
    return result
