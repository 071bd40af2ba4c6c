"""The one price rule: what a seat's tokens cost, and what one call cost.

A seat's price (`seat_price`, used by the gateway, the pre-run estimate, the
budget and the app's live estimate alike):

1. the user's own price on the seat (`Seat.price_in_per_mtok` / `price_out_per_mtok`);
2. a person, or a simulated demo model: free;
3. a team gateway model (`litellm_proxy/...`): the price the proxy's `/model/info`
   gave when its models were last listed (`team_gateway.py`);
   else litellm's price list (`model_prices_and_context_window_backup.json`, the file
   litellm itself loads with `LITELLM_LOCAL_MODEL_COST_MAP=True`), read here
   without importing litellm, so the GUI process can price a table in about 20 ms
   once and never pays litellm's 3 s import;
4. a model on the user's own machine (Ollama, LM Studio, ...): free;
5. otherwise unknown (None). Unknown is never shown or summed as $0.

A finished call's cost (`call_cost`): the user's price wins when set, because the
user said so explicitly and is the one who knows what a proxied or self-hosted
model costs them (a proxy reports its own list price, not the user's contract);
else the cost the provider reported (OpenRouter's `usage.cost`, a LiteLLM proxy's
`x-litellm-response-cost` header, or litellm's own `response_cost` stamped on the
final usage chunk); else the seat's price above times the tokens.

The list price is the base rate: litellm's tiers for very long prompts (above
128k / 200k tokens) are not applied here; a real call's litellm-reported cost does.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
import threading
from pathlib import Path
from typing import Any

from roundtable.domain import Seat
from roundtable.domain.pricing import (
    FREE_DEMO,
    FREE_LOCAL,
    FREE_PERSON,
    LISTED_PRICE,
    PER_MILLION,
    YOUR_PRICE,
    Price,
    free_price,
)
from roundtable.providers.catalogue import is_local_provider
from roundtable.providers.team_gateway import gateway_price

#: litellm's bundled price list, beside its package.
PRICE_LIST_FILE = "model_prices_and_context_window_backup.json"

_lock = threading.Lock()
_cache: dict[str, dict[str, Any]] = {}


def seat_price(seat: Seat) -> Price | None:
    """The seat's price per million tokens by the rule above; None when unknown."""
    own = user_price(seat)
    if own is not None:
        return own
    if seat.is_human:
        return free_price(FREE_PERSON)
    if seat.is_demo:
        return free_price(FREE_DEMO)
    listed = gateway_price(seat.model, seat.api_base) or listed_price(seat.model)
    if listed is not None:
        return listed
    if is_local_provider(seat.provider):
        return free_price(FREE_LOCAL)
    return None


def user_price(seat: Seat) -> Price | None:
    """The price the user set on the seat, when both halves are set."""
    if seat.price_in_per_mtok is None or seat.price_out_per_mtok is None:
        return None
    return Price(seat.price_in_per_mtok, seat.price_out_per_mtok, YOUR_PRICE)


def call_cost(
    seat: Seat, prompt_tokens: int, completion_tokens: int, *, reported: float | None = None
) -> float | None:
    """USD for one finished call of `seat`: its user price, else nothing for a demo
    model, else the provider's `reported` cost, else its price times the tokens;
    None when nothing is known."""
    own = user_price(seat)
    if own is not None:
        return own.cost(prompt_tokens, completion_tokens)
    if seat.is_demo or seat.is_human:
        return 0.0  # nothing was bought, whatever a library may have stamped on it
    if reported is not None:
        return reported
    price = seat_price(seat)
    return None if price is None else price.cost(prompt_tokens, completion_tokens)


def reported_cost(value: object) -> float | None:
    """A provider's cost figure as USD: a number, a numeric string (a header), or
    OpenRouter's breakdown `{"total_cost": ...}`; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, dict):
        return reported_cost(value.get("total_cost"))
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value.strip())
    if isinstance(value, int | float) and math.isfinite(value) and value >= 0:
        return float(value)
    return None


def listed_price(model: str) -> Price | None:
    """`model`'s price from litellm's list, found as litellm finds it: the full id,
    else the id without its provider prefix when the entry is that provider's."""
    entry = _entry(model)
    if entry is None:
        return None
    prompt = _rate(entry.get("input_cost_per_token"))
    completion = _rate(entry.get("output_cost_per_token"))
    if prompt is None or completion is None:
        return None
    return Price(prompt * PER_MILLION, completion * PER_MILLION, LISTED_PRICE)


def listed_entry(model: str) -> dict[str, Any] | None:
    """`model`'s entry in litellm's list (prices, context window, output limit), or None."""
    return _entry(model)


def _entry(model: str) -> dict[str, Any] | None:
    prices = price_list()
    entry = prices.get(model)
    if isinstance(entry, dict):
        return entry
    provider, slash, name = model.partition("/")
    if not slash:
        return None
    entry = prices.get(name)
    if isinstance(entry, dict) and entry.get("litellm_provider") == provider:
        return entry
    return None


def _rate(value: object) -> float | None:
    """A USD-per-token figure from the list, or None when it is missing or nonsense."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def price_list() -> dict[str, dict[str, Any]]:
    """litellm's price list as a dict (read once; {} when litellm or the file is missing)."""
    if "prices" not in _cache:
        with _lock:
            if "prices" not in _cache:
                _cache["prices"] = _read_price_list()
    return _cache["prices"]


def _read_price_list() -> dict[str, dict[str, Any]]:
    # find_spec locates the package without running it: no 3 s import, no network.
    spec = importlib.util.find_spec("litellm")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / PRICE_LIST_FILE
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    # litellm expands `aliases` into entries of their own; so does this.
    out = {key: value for key, value in data.items() if isinstance(value, dict)}
    for value in list(out.values()):
        for alias in value.get("aliases") or ():
            if isinstance(alias, str):
                out.setdefault(alias, value)
    return out
