"""Which models a seat can use: checking a model id, and finding models to offer.

`list_models()` gathers, concurrently and with short timeouts:
- a few well-known models of every cloud provider that has a key present;
- the models of a local Ollama (`GET /api/tags`), as `ollama_chat/<name>`;
- the models of each OpenAI-compatible server given (LM Studio, vLLM, llama.cpp,
  a LiteLLM proxy: `GET /v1/models`), as `openai/<name>` plus the server's
  `api_base`;
- the offline demo models.
A server that is not running is simply absent from the list: discovery never
fails and never makes the user wait more than `timeout_s`.
"""

from __future__ import annotations

import asyncio
import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from roundtable.domain import ConfigError
from roundtable.providers.catalogue import KNOWN_PROVIDERS, PROVIDERS
from roundtable.providers.keys import has_api_key, is_private_base

ModelSource = Literal["configured", "ollama", "server", "demo"]

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
DEFAULT_LM_STUDIO_URL = "http://127.0.0.1:1234/v1"

#: Bare model names people type, and the prefix litellm wants for them.
_BARE_NAME_HINTS = (
    (re.compile(r"^(gpt-|o\d|chatgpt)"), "openai"),
    (re.compile(r"^claude"), "anthropic"),
    (re.compile(r"^gemini"), "gemini"),
    (re.compile(r"^(mistral|mixtral|codestral|magistral)"), "mistral"),
    (re.compile(r"^deepseek"), "deepseek"),
    (re.compile(r"^grok"), "xai"),
    (re.compile(r"^command"), "cohere_chat"),
    (re.compile(r"^(llama|qwen|phi|gemma)"), "ollama_chat"),
)


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

    @property
    def ready(self) -> bool:
        """Usable right now: it needs no key, or its key is present."""
        return not self.needs_key or self.key_present


# ------------------------------------------------------------------ model ids
def check_model_id(model: str, *, consult_litellm: bool = True) -> None:
    """Raise ConfigError, with the fix, when `model` is not a usable litellm model id.

    Known provider prefixes come from a static table; an unknown one is looked up
    in litellm's own list when `consult_litellm` is true (this imports litellm,
    about 3 s: the GUI process passes False).
    """
    if not model or not model.strip():
        raise ConfigError("The model id is empty: write it as provider/model, e.g. openai/gpt-4o.")
    if model != model.strip() or any(c.isspace() or not c.isprintable() for c in model):
        raise ConfigError(f"Model id {model!r} contains spaces or control characters.")
    provider, slash, name = model.partition("/")
    if not slash:
        guess = next((p for pattern, p in _BARE_NAME_HINTS if pattern.match(model.lower())), None)
        example = f"'{guess}/{model}'" if guess else "provider/model, e.g. 'openai/gpt-4o'"
        raise ConfigError(f"Model id '{model}' has no provider prefix: write it as {example}.")
    if not provider or not name or name.startswith("/") or name.endswith("/"):
        raise ConfigError(
            f"Model id '{model}' is malformed: write it as provider/model, e.g. openai/gpt-4o."
        )
    if provider == "demo":
        # The demo table is ours: an unknown name is caught now, not as a failed seat.
        from roundtable.providers.demo.models import get_demo_model

        get_demo_model(model)
        return
    if provider in KNOWN_PROVIDERS:
        return
    if provider.lower() in KNOWN_PROVIDERS:
        raise ConfigError(
            f"Provider names are lower-case: write '{provider.lower()}/{name}', not '{model}'."
        )
    if consult_litellm and provider in _litellm_providers():
        return
    close = difflib.get_close_matches(provider, sorted(KNOWN_PROVIDERS), n=1)
    hint = f" Did you mean '{close[0]}/{name}'?" if close else ""
    raise ConfigError(
        f"Unknown provider '{provider}' in model id '{model}'.{hint} For a server that "
        "speaks the OpenAI API, use 'openai/<model>' with the server's address as api_base."
    )


def _litellm_providers() -> set[str]:
    try:
        from roundtable.providers.litellm_setup import load_litellm

        litellm = load_litellm()
    except ImportError:
        return set()
    return {str(getattr(p, "value", p)) for p in litellm.provider_list}


# ------------------------------------------------------------------ discovery
def list_models(
    servers: Sequence[str] = (),
    *,
    timeout_s: float = 1.0,
    probe_local: bool = True,
    include_unconfigured: bool = False,
) -> list[ModelInfo]:
    """Every model the user could seat now; see the module docstring.

    Synchronous, for a worker thread or the CLI; from inside an event loop use
    `alist_models`. `probe_local` also asks Ollama and LM Studio on their default
    ports; `include_unconfigured` adds cloud models whose key is missing.
    """
    return asyncio.run(
        alist_models(
            servers,
            timeout_s=timeout_s,
            probe_local=probe_local,
            include_unconfigured=include_unconfigured,
        )
    )


async def alist_models(
    servers: Sequence[str] = (),
    *,
    timeout_s: float = 1.0,
    probe_local: bool = True,
    include_unconfigured: bool = False,
) -> list[ModelInfo]:
    """The async form of `list_models`."""
    import httpx

    configured = await asyncio.to_thread(_configured_models, include_unconfigured)
    urls = [_normalise(url) for url in servers if url.strip()]
    if probe_local:
        urls.append(DEFAULT_LM_STUDIO_URL)
    urls = list(dict.fromkeys(urls))
    timeout = httpx.Timeout(timeout_s)
    # Loopback and LAN servers must not go through a proxy from the environment.
    async with (
        httpx.AsyncClient(timeout=timeout, trust_env=False) as local,
        httpx.AsyncClient(timeout=timeout) as remote,
    ):
        probes = [discover_server(local if is_private_base(u) else remote, u) for u in urls]
        if probe_local:
            probes.append(discover_ollama(local, ollama_url()))
        found = await asyncio.gather(*probes)
    discovered = [info for infos in found for info in infos]
    seen: set[tuple[str, str | None]] = set()
    result: list[ModelInfo] = []
    for info in [*configured, *discovered, *demo_models()]:
        if (info.id, info.api_base) not in seen:
            seen.add((info.id, info.api_base))
            result.append(info)
    return result


def _configured_models(include_unconfigured: bool) -> list[ModelInfo]:
    result = []
    for info in PROVIDERS.values():
        if not info.models or not info.needs_key:
            continue
        present = has_api_key(info.name)
        if not present and not include_unconfigured:
            continue
        for model in info.models:
            result.append(
                ModelInfo(
                    id=model,
                    label=f"{model.partition('/')[2]} ({info.label})",
                    provider=info.name,
                    source="configured",
                    needs_key=True,
                    key_present=present,
                )
            )
    return result


def ollama_url() -> str:
    """Where Ollama listens: `OLLAMA_HOST` if set (as Ollama itself reads it), else 11434."""
    host = os.environ.get("OLLAMA_HOST", "").strip()
    if not host:
        return DEFAULT_OLLAMA_URL
    if "//" not in host:
        host = f"http://{host}"
    parts = urlsplit(host)
    hostname = parts.hostname or "127.0.0.1"
    if hostname in ("0.0.0.0", "::"):  # a bind-all address: reach it on loopback
        hostname = "127.0.0.1"
    return f"{parts.scheme}://{hostname}:{parts.port or 11434}"


async def discover_ollama(client: Any, url: str) -> list[ModelInfo]:
    """Ollama's installed models, or [] when Ollama is not running."""
    data = await _get_json(client, f"{url.rstrip('/')}/api/tags")
    models = data.get("models") if isinstance(data, dict) else None
    result = []
    for entry in models if isinstance(models, list) else ():
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name:
            continue
        name = name.removesuffix(":latest")  # Ollama's default tag; litellm accepts both
        result.append(
            ModelInfo(
                id=f"ollama_chat/{name}",
                label=f"{name} (Ollama)",
                provider="ollama_chat",
                source="ollama",
                needs_key=False,
                key_present=False,
                api_base=url.rstrip("/"),
            )
        )
    return result


async def discover_server(client: Any, url: str) -> list[ModelInfo]:
    """The models an OpenAI-compatible server lists, or [] when it does not answer."""
    base = url.rstrip("/")
    candidates = [base] if base.endswith("/v1") else [f"{base}/v1", base]
    for api_base in candidates:
        data = await _get_json(client, f"{api_base}/models")
        entries = data.get("data") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            continue
        where = urlsplit(api_base).netloc or api_base
        names = [e.get("id") for e in entries if isinstance(e, dict)]
        return [
            ModelInfo(
                id=f"openai/{name}",
                label=f"{name} ({where})",
                provider="openai",
                source="server",
                needs_key=False,
                key_present=False,
                api_base=api_base,
            )
            for name in names
            if isinstance(name, str) and name
        ]
    return []


async def _get_json(client: Any, url: str) -> Any:
    """The JSON body of `GET url`, or None for any failure: absent servers are silent."""
    import httpx

    try:
        response = await client.get(url)
        if response.status_code != 200:
            return None
        return response.json()
    except (httpx.HTTPError, ValueError, OSError):
        return None


def _normalise(url: str) -> str:
    url = url.strip().rstrip("/")
    return url if "//" in url else f"http://{url}"


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
