"""Model providers: the litellm gateway, API keys, the model catalogue and discovery.

The only package that imports litellm, and only lazily, through
`load_litellm()`: importing `roundtable.providers` costs milliseconds, so the GUI
process can check model ids, list models and manage keys without ever loading it.
"""

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
from roundtable.providers.errors import map_exception, scrub
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
from roundtable.providers.litellm_setup import is_loaded, load_litellm
from roundtable.providers.model_ids import check_model_id
from roundtable.providers.prices import call_cost, listed_price, seat_price
from roundtable.providers.reach import (
    Unreachable,
    check_reachable,
    find_unreachable,
    server_url,
)
from roundtable.providers.retry import RetryPolicy, Timeouts
from roundtable.providers.servers import ServerCheck

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
