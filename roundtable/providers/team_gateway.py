"""The team gateway: a LiteLLM proxy that holds a team's keys, models and budgets.

Where it is, in this order: LITELLM_PROXY_API_BASE, else the app's setting (Settings ›
Team gateway, kept in `<data dir>/team_gateway.json`, read by the app, the engine
process and every command alike). Its virtual key is the `litellm_proxy` provider's
key (`keys.py`): LITELLM_PROXY_API_KEY or the OS keyring, never this file, a panel
file, the database, an export or a log. Seats use it as `litellm_proxy/<model>`.

Its prices: when its models are listed (`discovery.py`), the proxy's `/model/info` is
read too and each model's price per token remembered in `<data dir>/gateway_prices.json`,
so the app's estimate, `roundtable run`'s and the budget know what a gateway model
costs without asking the proxy again (`prices.seat_price`). A finished call's cost is
the one the proxy reports on its stream (`usage.cost`), as for any provider.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from roundtable.domain import ConfigError, Seat
from roundtable.domain.pricing import GATEWAY_PRICE, PER_MILLION, Price
from roundtable.paths import data_dir

#: The provider prefix of a gateway model, and the name its key is kept under.
GATEWAY_PROVIDER = "litellm_proxy"
#: What a model found through the app's setting says found it.
SETTING_VIA = "Settings › Team gateway"
_SETTING_FILE = "team_gateway.json"
_PRICES_FILE = "gateway_prices.json"
_BASE_VAR = "LITELLM_PROXY_API_BASE"

_lock = threading.Lock()


# ------------------------------------------------------------------ the address
def saved_gateway_url() -> str | None:
    """The address saved in the app's setting, or None."""
    data = _read_json(data_dir() / _SETTING_FILE)
    url = data.get("url") if isinstance(data, dict) else None
    return url.strip().rstrip("/") if isinstance(url, str) and url.strip() else None


def save_gateway_url(url: str | None) -> None:
    """Save (or, with None or "", forget) the gateway's address. ConfigError when
    `url` is not an http(s) address."""
    from roundtable.providers.servers import normalise_url, url_problem

    path = data_dir() / _SETTING_FILE
    if not url or not url.strip():
        path.unlink(missing_ok=True)
        return
    url = normalise_url(url)
    problem = url_problem(url)
    if problem is not None:
        raise ConfigError(
            f"The team gateway address {url!r} is {problem}: give the proxy's base URL, "
            "e.g. https://llm.example.com or http://10.0.0.5:4000."
        )
    _write_json(path, {"url": url})


def gateway_url() -> tuple[str, str] | None:
    """(address, what said so) of the team gateway: the variable, else the setting."""
    value = os.environ.get(_BASE_VAR, "").strip()
    if value:
        return value.rstrip("/"), _BASE_VAR
    saved = saved_gateway_url()
    return (saved, SETTING_VIA) if saved else None


def same_server(a: str, b: str) -> bool:
    """Whether two addresses name the same proxy: "http://h:4000" and "http://h:4000/v1/"
    do (a model list answers under /v1, the setting may omit it)."""
    return _key(a) == _key(b)


# ------------------------------------------------------------------ prices
def prices_from_model_info(data: Any) -> dict[str, tuple[float, float]]:
    """{model name: (USD per prompt token, per completion token)} from the proxy's
    `/model/info` answer; models without both prices are left out."""
    entries = data.get("data") if isinstance(data, dict) else None
    out: dict[str, tuple[float, float]] = {}
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("model_name"), str):
            continue
        info = entry.get("model_info")
        params = entry.get("litellm_params")
        prompt, completion = _rates(info) or _rates(params) or (None, None)
        if prompt is not None and completion is not None:
            out.setdefault(entry["model_name"], (prompt, completion))
    return out


async def read_gateway_prices(client: Any, url: str, headers: dict[str, str]) -> None:
    """Ask the gateway at `url` (an httpx.AsyncClient's) for its `/model/info` and
    remember its prices; a proxy that does not answer it (an older one, a key without
    the right) simply gives none."""
    import asyncio

    import httpx

    try:
        base = url.strip().rstrip("/").removesuffix("/v1")
        response = await client.get(f"{base}/model/info", headers=headers)
        data = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, OSError, ValueError):
        return
    prices = prices_from_model_info(data)
    if prices:
        await asyncio.to_thread(remember_prices, url, prices)


def learn_gateway_prices(seats: Sequence[Seat], *, timeout_s: float = 2.0) -> None:
    """Ask each gateway that `seats` use, once, for the prices not yet known (a
    `roundtable run --budget` before any `roundtable models`): the pre-flight and the
    estimate then price them. Blocking (HTTP, at most about `timeout_s` per gateway);
    a gateway that does not answer leaves its prices unknown, as before."""
    import asyncio

    import httpx

    from roundtable.providers.endpoints import seat_endpoint
    from roundtable.providers.keys import is_private_base, lookup_api_key

    wanted: dict[str, dict[str, str]] = {}  # gateway address -> the headers to ask it with
    for seat in seats:
        if seat.provider != GATEWAY_PROVIDER or seat.price_in_per_mtok is not None:
            continue
        endpoint = seat_endpoint(seat)
        if endpoint is None or gateway_price(seat.model, seat.api_base) is not None:
            continue
        key = lookup_api_key(seat)
        wanted.setdefault(endpoint.url, {"Authorization": f"Bearer {key}"} if key else {})
    if not wanted:
        return

    async def ask(url: str, headers: dict[str, str]) -> None:
        # A gateway on this machine or the network never through a proxy from the
        # environment; one elsewhere as the environment says (a company's HTTP proxy).
        trust_env = not is_private_base(url)
        async with httpx.AsyncClient(timeout=timeout_s, trust_env=trust_env) as client:
            await read_gateway_prices(client, url, headers)

    async def ask_all() -> None:
        await asyncio.gather(*(ask(url, headers) for url, headers in wanted.items()))

    asyncio.run(ask_all())


def remember_prices(url: str, prices: dict[str, tuple[float, float]]) -> None:
    """Keep what the gateway at `url` said its models cost (replacing what it said before)."""
    path = data_dir() / _PRICES_FILE
    with _lock:
        known = _read_json(path)
        known = known if isinstance(known, dict) else {}
        known[_key(url)] = {name: list(rates) for name, rates in prices.items()}
        _write_json(path, known)


def gateway_price(model: str, api_base: str | None) -> Price | None:
    """The price the gateway gave for `model` (a `litellm_proxy/<name>` id) when its
    models were last listed; None when it gave none or was never asked."""
    provider, _, name = model.partition("/")
    if provider != GATEWAY_PROVIDER or not name:
        return None
    url = api_base or (gateway_url() or (None, ""))[0]
    if not url:
        return None
    known = _read_json(data_dir() / _PRICES_FILE)
    models = known.get(_key(url)) if isinstance(known, dict) else None
    rates = models.get(name) if isinstance(models, dict) else None
    if not isinstance(rates, list) or len(rates) != 2:
        return None
    prompt, completion = (_rate(value) for value in rates)
    if prompt is None or completion is None:
        return None
    return Price(prompt * PER_MILLION, completion * PER_MILLION, GATEWAY_PRICE)


def _rates(info: Any) -> tuple[float, float] | None:
    if not isinstance(info, dict):
        return None
    prompt = _rate(info.get("input_cost_per_token"))
    completion = _rate(info.get("output_cost_per_token"))
    return (prompt, completion) if prompt is not None and completion is not None else None


def _rate(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def _key(url: str) -> str:
    """A proxy's address as one spelling: no trailing "/", no "/v1", lower case."""
    return url.strip().rstrip("/").removesuffix("/v1").rstrip("/").lower()


# ------------------------------------------------------------------ files
def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing or hand-broken: as if never saved


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(path)  # a reader never sees half a file
