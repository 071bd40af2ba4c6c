"""Model providers: the litellm gateway, API keys, the model catalogue and discovery.

The only package that imports litellm, and only lazily, through
`load_litellm()`: importing `roundtable.providers` costs milliseconds, so the GUI
process can check model ids, list models and manage keys without ever loading it.

The names below load on first use (PEP 562 `__getattr__`): a module that needs one
price (`roundtable.providers.prices`) must not pay for discovery's HTTP client or the
keyring's backends, which the app's window loads only after it is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roundtable.lazy_names import lazy_names

if TYPE_CHECKING:
    from roundtable.providers.call_kwargs import build_call_kwargs
    from roundtable.providers.catalogue import (
        KNOWN_PROVIDERS,
        PROVIDERS,
        ProviderInfo,
        provider_info,
        provider_label,
    )
    from roundtable.providers.discovery import (
        Discovery,
        ModelInfo,
        adiscover,
        demo_models,
        discover,
        list_models,
    )
    from roundtable.providers.endpoints import (
        Endpoint,
        missing_base_problem,
        ollama_endpoint,
        provider_endpoint,
        seat_endpoint,
    )
    from roundtable.providers.errors import (
        map_exception,
        scrub,
    )
    from roundtable.providers.gateway import LiteLLMGateway
    from roundtable.providers.keys import (
        KEYRING_SERVICE,
        delete_api_key,
        has_api_key,
        is_private_base,
        key_source,
        keyring_available,
        lookup_api_key,
        missing_key_problem,
        needs_key,
        resolve_api_key,
        set_api_key,
    )
    from roundtable.providers.litellm_setup import (
        is_loaded,
        load_litellm,
    )
    from roundtable.providers.model_ids import check_model_id
    from roundtable.providers.prices import (
        call_cost,
        listed_price,
        seat_price,
    )
    from roundtable.providers.reach import (
        Unreachable,
        check_reachable,
        find_unreachable,
        server_url,
    )
    from roundtable.providers.retry import (
        RetryPolicy,
        Timeouts,
    )
    from roundtable.providers.servers import ServerCheck

#: Each public name, by the module that defines it.
_HOMES: dict[str, str] = {
    "build_call_kwargs": "roundtable.providers.call_kwargs",
    "KNOWN_PROVIDERS": "roundtable.providers.catalogue",
    "PROVIDERS": "roundtable.providers.catalogue",
    "ProviderInfo": "roundtable.providers.catalogue",
    "provider_info": "roundtable.providers.catalogue",
    "provider_label": "roundtable.providers.catalogue",
    "Discovery": "roundtable.providers.discovery",
    "ModelInfo": "roundtable.providers.discovery",
    "adiscover": "roundtable.providers.discovery",
    "demo_models": "roundtable.providers.discovery",
    "discover": "roundtable.providers.discovery",
    "list_models": "roundtable.providers.discovery",
    "Endpoint": "roundtable.providers.endpoints",
    "missing_base_problem": "roundtable.providers.endpoints",
    "ollama_endpoint": "roundtable.providers.endpoints",
    "provider_endpoint": "roundtable.providers.endpoints",
    "seat_endpoint": "roundtable.providers.endpoints",
    "map_exception": "roundtable.providers.errors",
    "scrub": "roundtable.providers.errors",
    "LiteLLMGateway": "roundtable.providers.gateway",
    "KEYRING_SERVICE": "roundtable.providers.keys",
    "delete_api_key": "roundtable.providers.keys",
    "has_api_key": "roundtable.providers.keys",
    "is_private_base": "roundtable.providers.keys",
    "key_source": "roundtable.providers.keys",
    "keyring_available": "roundtable.providers.keys",
    "lookup_api_key": "roundtable.providers.keys",
    "missing_key_problem": "roundtable.providers.keys",
    "needs_key": "roundtable.providers.keys",
    "resolve_api_key": "roundtable.providers.keys",
    "set_api_key": "roundtable.providers.keys",
    "is_loaded": "roundtable.providers.litellm_setup",
    "load_litellm": "roundtable.providers.litellm_setup",
    "check_model_id": "roundtable.providers.model_ids",
    "call_cost": "roundtable.providers.prices",
    "listed_price": "roundtable.providers.prices",
    "seat_price": "roundtable.providers.prices",
    "Unreachable": "roundtable.providers.reach",
    "check_reachable": "roundtable.providers.reach",
    "find_unreachable": "roundtable.providers.reach",
    "server_url": "roundtable.providers.reach",
    "RetryPolicy": "roundtable.providers.retry",
    "Timeouts": "roundtable.providers.retry",
    "ServerCheck": "roundtable.providers.servers",
}

__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "KEYRING_SERVICE",
    "KNOWN_PROVIDERS",
    "PROVIDERS",
    "Discovery",
    "Endpoint",
    "LiteLLMGateway",
    "ModelInfo",
    "ProviderInfo",
    "RetryPolicy",
    "ServerCheck",
    "Timeouts",
    "Unreachable",
    "adiscover",
    "build_call_kwargs",
    "call_cost",
    "check_model_id",
    "check_reachable",
    "delete_api_key",
    "demo_models",
    "discover",
    "find_unreachable",
    "has_api_key",
    "is_loaded",
    "is_private_base",
    "key_source",
    "keyring_available",
    "list_models",
    "listed_price",
    "load_litellm",
    "lookup_api_key",
    "map_exception",
    "missing_base_problem",
    "missing_key_problem",
    "needs_key",
    "ollama_endpoint",
    "provider_endpoint",
    "provider_info",
    "provider_label",
    "resolve_api_key",
    "scrub",
    "seat_endpoint",
    "seat_price",
    "server_url",
    "set_api_key",
]
