"""Checking a model id before a seat uses it, with the fix in the message.

Known provider prefixes come from the static table in `catalogue.py`, so the GUI
process can check an id without importing litellm; an unknown prefix is looked up in
litellm's own list only when the caller allows it.
"""

from __future__ import annotations

import difflib
import re

from roundtable.domain import ConfigError
from roundtable.providers.catalogue import KNOWN_PROVIDERS

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
