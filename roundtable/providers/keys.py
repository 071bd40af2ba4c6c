"""Where a seat's API key comes from, and the settings screen's view of stored keys.

Lookup order for a seat: the environment variable the seat names (`api_key_env`),
then the provider's standard variables (OPENAI_API_KEY, ...), then the OS keyring
(service "roundtable", user name = provider). Keys are never stored in a Seat, the
database, an export or a log; only this module and the gateway ever hold one.

Local models need no key: the demo provider, Ollama, LM Studio and any seat whose
server (its `api_base`, or the address a variable gives, `endpoints.py`) is on a
loopback or private address. Such a server still gets a key when the user set one
for it: the seat's own variable, or the provider's key (OPENAI_API_KEY, or the
keyring's) when the server is on this machine (a LiteLLM proxy on 127.0.0.1:4000)
or is the one the provider's address variable names (OPENAI_API_BASE goes with
OPENAI_API_KEY, as litellm pairs them; the team gateway's virtual key,
LITELLM_PROXY_API_KEY or the keyring's, goes to the gateway LITELLM_PROXY_API_BASE
or Settings › Team gateway names). Any other machine on the local network never
gets a cloud key by accident. With no key, the OpenAI SDK still insists on some
string, so such seats send a placeholder, and an error then says no key was sent.

On a headless Linux box keyring's `fail` backend raises `NoKeyringError` on every
call; `keyring_available()` reports that, and lookups then fall back to the
environment alone. A plaintext `keyrings.alt` backend is never used.
"""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from roundtable.domain import ConfigError, Seat
from roundtable.providers.catalogue import is_local_provider, provider_info, provider_label
from roundtable.providers.endpoints import provider_endpoint, seat_endpoint
from roundtable.providers.team_gateway import GATEWAY_PROVIDER, same_server

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

KEYRING_SERVICE = "roundtable"
#: What the OpenAI SDK gets as a key for a local server that wants none.
LOCAL_PLACEHOLDER_KEY = "roundtable-local-no-key"

#: Providers that share one key (litellm has two names for the same service).
_KEY_ALIASES = {"cohere_chat": "cohere", "ollama_chat": "ollama"}


# ------------------------------------------------------------------ addresses
def is_private_base(api_base: str | None) -> bool:
    """True when `api_base` points at this machine or a private network."""
    if not api_base:
        return False
    host = urlsplit(api_base if "//" in api_base else f"//{api_base}").hostname or ""
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def is_loopback_base(api_base: str | None) -> bool:
    """True when `api_base` points at this machine."""
    if not api_base:
        return False
    host = urlsplit(api_base if "//" in api_base else f"//{api_base}").hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _private_endpoint(seat: Seat) -> str | None:
    """The seat's server address when it is on this machine or a private network."""
    endpoint = seat_endpoint(seat)
    return endpoint.url if endpoint and is_private_base(endpoint.url) else None


def needs_key(seat: Seat) -> bool:
    """Whether the seat's provider expects an API key from us at all."""
    if is_local_provider(seat.provider) or _private_endpoint(seat):
        return False
    info = provider_info(seat.provider)
    return info is not None and info.needs_key


def key_vars(provider: str) -> tuple[str, ...]:
    """The provider's standard environment variables, the canonical one first."""
    info = provider_info(provider)
    return info.key_vars if info else ()


# ------------------------------------------------------------------ lookup
def lookup_api_key(seat: Seat) -> str | None:
    """The seat's key from the environment or the keyring, or None if it has none."""
    if seat.api_key_env:
        value = os.environ.get(seat.api_key_env, "").strip()
        if value:
            return value
    if is_local_provider(seat.provider):
        return None
    if seat.provider == GATEWAY_PROVIDER:
        # The virtual key goes to the team gateway only, wherever a panel file points.
        endpoint = seat_endpoint(seat)
        return server_key(seat.provider, endpoint.url) if endpoint else None
    private = _private_endpoint(seat)
    if private:
        return server_key(seat.provider, private)
    return _env_key(seat.provider) or _keyring_get(seat.provider)


def server_key(provider: str, api_base: str) -> str | None:
    """The key set for `provider` that may go to the server at `api_base`, or None.

    Only to this machine or to the address the provider's address variable names;
    see the module docstring.
    """
    if not provider_key_may_go_to(provider, api_base):
        return None
    return _env_key(provider) or _keyring_get(provider)


def provider_key(provider: str) -> str | None:
    """`provider`'s key from its variables or the keyring, wherever its server is: for
    a server the user names in that very moment (Settings › Team gateway's test)."""
    return _env_key(provider) or _keyring_get(provider)


def provider_key_may_go_to(provider: str, api_base: str) -> bool:
    """Whether `provider`'s key, when there is one, is sent to the private `api_base`."""
    return is_loopback_base(api_base) or _named_by_variable(provider, api_base)


def _named_by_variable(provider: str, api_base: str) -> bool:
    endpoint = provider_endpoint(provider)
    if endpoint is None or not endpoint.from_variable:
        return False
    if provider == GATEWAY_PROVIDER:  # its model list answers under /v1; the setting may omit it
        return same_server(endpoint.url, api_base)
    return endpoint.url.rstrip("/") == api_base.strip().rstrip("/")


def sends_placeholder(seat: Seat) -> bool:
    """Whether the seat's calls carry the placeholder key (there is no key to send)."""
    return _placeholder_route(seat) and lookup_api_key(seat) is None


def resolve_api_key(seat: Seat) -> str | None:
    """What the gateway passes as `api_key`: the key, a placeholder, or None."""
    key = lookup_api_key(seat)
    if key:
        return key
    return LOCAL_PLACEHOLDER_KEY if _placeholder_route(seat) else None


def _placeholder_route(seat: Seat) -> bool:
    if seat.is_demo:
        return False
    if seat.api_base:
        return is_private_base(seat.api_base)
    # Ollama, LM Studio, … want no key from us; an OpenAI-style route to a server
    # named by a variable (OPENAI_API_BASE) gets the placeholder.
    return not is_local_provider(seat.provider) and _private_endpoint(seat) is not None


def missing_key_problem(seat: Seat) -> str | None:
    """The pre-flight check: why this seat cannot call its model, or None if it can.

    Providers we do not know the credentials of (Bedrock, Vertex AI, ...) pass:
    litellm finds their credentials its own way, and a false alarm would block a
    debate that works.
    """
    if lookup_api_key(seat):
        return None
    head = f"Seat '{seat.name}' ({seat.model})"
    if seat.api_key_env:
        return (
            f"{head}: the environment variable {seat.api_key_env}, named for its key, "
            "is not set. Set it, or clear the seat's key variable."
        )
    if not needs_key(seat):
        return None
    endpoint = seat_endpoint(seat)
    if seat.provider == GATEWAY_PROVIDER and endpoint and provider_key(seat.provider):
        return (
            f"{head}: its address {endpoint.url} is not the team gateway's, and the "
            "virtual key goes to that gateway only. Give the seat no api_base, or set "
            "this address in Settings › Team gateway (or LITELLM_PROXY_API_BASE)."
        )
    names = key_vars(seat.provider)
    where = " or ".join(names[:2])
    page = "Team gateway" if seat.provider == GATEWAY_PROVIDER else "Providers"
    settings = f" or add the key in Settings › {page}" if keyring_available() else ""
    return f"{head} needs an API key for {provider_label(seat.provider)}: set {where}{settings}."


def _env_key(provider: str) -> str | None:
    for name in key_vars(provider):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


# ------------------------------------------------------------------ keyring
# keyring is imported where it is used: loading its backends (D-Bus, the secret
# service, cryptography) takes ~0.1-0.2 s, which the app's log filter and a key
# found in the environment must not pay before the window is on screen.
def keyring_available() -> bool:
    """Whether a real (not plaintext, not failing) system keyring can hold keys."""
    import keyring

    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not break key lookup
        return False
    return _usable(backend)


def _usable(backend: KeyringBackend) -> bool:
    if type(backend).__module__.startswith("keyrings.alt"):
        return False  # stores keys in plaintext files: never silently
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        return bool(chained) and _usable(chained[0])
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority check itself fails is not usable
        return False


def _keyring_user(provider: str) -> str:
    return _KEY_ALIASES.get(provider, provider)


def _keyring_get(provider: str) -> str | None:
    if not provider or not keyring_available():
        return None
    import keyring

    try:
        value = keyring.get_password(KEYRING_SERVICE, _keyring_user(provider))
    except Exception:  # a locked or broken keyring: the environment still works
        return None
    return value.strip() if value and value.strip() else None


def set_api_key(provider: str, key: str) -> None:
    """Store `key` for `provider` in the OS keyring (Settings › Providers)."""
    key = key.strip()
    if not key:
        raise ConfigError(f"The {provider_label(provider)} API key is empty.")
    if not keyring_available():
        var = (key_vars(provider) or ("the provider's key variable",))[0]
        raise ConfigError(
            "No system keyring is available on this computer, so Roundtable cannot "
            f"store the key. Set {var} in the environment instead."
        )
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_user(provider), key)
    except keyring.errors.KeyringError as exc:
        raise ConfigError(
            f"The system keyring refused to store the {provider_label(provider)} key "
            f"({type(exc).__name__}). Unlock the keyring and try again."
        ) from None


def delete_api_key(provider: str) -> None:
    """Forget the stored key for `provider`; nothing happens if there is none."""
    if not keyring_available():
        return
    import keyring.errors

    try:
        keyring.delete_password(KEYRING_SERVICE, _keyring_user(provider))
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise ConfigError(
            f"The system keyring refused to delete the {provider_label(provider)} key "
            f"({type(exc).__name__})."
        ) from None


def key_source(provider: str) -> str | None:
    """Where `provider`'s key would come from: a variable's name, "keyring", or None."""
    for name in key_vars(provider):
        if os.environ.get(name, "").strip():
            return name
    return "keyring" if _keyring_get(provider) else None


def has_api_key(provider: str) -> bool:
    """Whether a key for `provider` is available (environment or keyring)."""
    return key_source(provider) is not None
