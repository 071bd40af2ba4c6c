"""Panel files: a table of seats saved as TOML, shared by `--panel` and the GUI's presets.

    # my-table.toml
    protocol = "roundtable"      # optional defaults for a debate with this table
    rounds = 3
    chair = "GPT"                # council chair / mixture aggregator / moderated judge
    judge = "GPT"                # rates agreement on free-form answers

    [[seat]]
    name = "GPT"
    model = "openai/gpt-4o"
    persona = "You are a careful statistician."
    temperature = 0.3
    api_key_env = "WORK_OPENAI_KEY"   # the NAME of a variable, never the key itself

    [[seat]]
    name = "Local Llama"
    model = "openai/llama3.1"
    api_base = "http://127.0.0.1:8080/v1"
    price_in = 0.20                   # your own price, USD per million tokens in / out
    price_out = 0.60                  # (both or neither; wins over the listed price)

    [[seat]]
    name = "Team Claude"
    model = "litellm_proxy/claude-sonnet-4-5"   # the team gateway's model: no address, so
                                                # each person's gateway setting is used

    [[server]]                        # how many requests a server takes at once
    api_base = "http://127.0.0.1:8080/v1"
    concurrency = 1                   # 1 by default for a local server; 0: no limit

    [[server]]
    provider = "anthropic"            # a hosted provider, by its route
    concurrency = 4                   # no limit by default

A key is never accepted in a panel file: a file is easy to share by accident.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass

from roundtable.domain.concurrency import ServerLimit, check_concurrency, server_key
from roundtable.domain.errors import ConfigError
from roundtable.domain.limits import (
    MAX_SEAT_NAME_CHARS,
    MAX_SETTING_CHARS,
    check_panel_size,
    check_seat,
    check_text,
)
from roundtable.domain.values import HUMAN_MODEL, Seat

_SEAT_KEYS = {
    "name",
    "model",
    "persona",
    "temperature",
    "max_tokens",
    "api_base",
    "api_key_env",
    "price_in",
    "price_out",
}
#: Panel keys of a seat's own price (USD per million tokens) -> the Seat field.
_PRICE_KEYS = {"price_in": "price_in_per_mtok", "price_out": "price_out_per_mtok"}
_TOP_KEYS = {"seat", "server", "protocol", "rounds", "title", "chair", "judge"}
_SERVER_KEYS = {"api_base", "provider", "concurrency"}
_SECRET_KEYS = {"api_key", "key", "token", "secret", "password"}


@dataclass(frozen=True, slots=True)
class Panel:
    seats: tuple[Seat, ...]
    protocol: str | None = None
    rounds: int | None = None
    #: A seat's name (or "elected") for the council's chair / mixture's aggregator /
    #: the moderated judge, and a seat's name for the agreement judge.
    chair: str | None = None
    judge: str | None = None
    #: How many requests at once each server named by a [[server]] table takes.
    servers: tuple[ServerLimit, ...] = ()


def slug(name: str) -> str:
    """A stable seat id from a display name: "GPT-4o mini" -> "gpt-4o-mini"."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text or "seat"


def unique_ids(names: list[str]) -> list[str]:
    """Seat ids for the given names, suffixed -2, -3 … where two names slug alike."""
    seen: dict[str, int] = {}
    ids = []
    for name in names:
        base = slug(name)
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def distinct_names(names: list[str]) -> list[str]:
    """Names a person can tell apart, in order: a name seen before (case aside) becomes
    "ada (2)", "ada (3)" …, never one that is given elsewhere in the list.

    Two seats called "fake-gpt" were told apart only by colour, and the models then
    wrote "fake-gpt and fake-gpt's 42". The terminal's `--seat` options, a panel file
    and the app's seat list all name seats through here."""
    taken = {name.casefold() for name in names}
    seen: set[str] = set()
    out = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
            continue
        numbered = distinct_name(name, taken)
        taken.add(numbered.casefold())
        seen.add(numbered.casefold())
        out.append(numbered)
    return out


def distinct_name(name: str, taken: Iterable[str]) -> str:
    """`name`, or "name (2)", "name (3)" … whichever is not among `taken` (case aside)."""
    folded = {other.casefold() for other in taken}
    if name.casefold() not in folded:
        return name
    number = 2
    while f"{name} ({number})".casefold() in folded:
        number += 1
    return f"{name} ({number})"


def default_name(model: str) -> str:
    """A readable seat name from a model id: "openai/gpt-4o" -> "gpt-4o"; a person's
    seat ("human") is "You"."""
    if model == HUMAN_MODEL:
        return "You"
    return model.rsplit("/", 1)[-1] or model


def parse_panel(text: str, *, source: str = "panel file") -> Panel:
    """Parse a panel file's text; raise ConfigError naming the file and the fix."""
    check_panel_size(len(text.encode("utf-8", "surrogatepass")), source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} is not valid TOML: {exc}") from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise ConfigError(
            f"{source} is nested too deeply to be a panel file: a panel holds [[seat]] "
            "tables of plain settings. Check that it is the right file."
        ) from None
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(
            f"{source}: unknown setting(s) {', '.join(sorted(unknown))}; "
            f"allowed at the top level: {', '.join(sorted(_TOP_KEYS))}"
        )
    raw_seats = data.get("seat", [])
    if not isinstance(raw_seats, list) or not raw_seats:
        raise ConfigError(f"{source} lists no seats: add [[seat]] tables with a `model` each")
    names: list[str] = []
    fields: list[dict[str, object]] = []
    for number, entry in enumerate(raw_seats, start=1):
        where = f"{source}, seat {number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: expected a [[seat]] table")
        secret = set(entry) & _SECRET_KEYS
        if secret:
            raise ConfigError(
                f"{where}: panel files must not contain keys ({', '.join(sorted(secret))}); "
                "put the key in the keyring (Settings › Providers) or an environment "
                "variable and name that variable with `api_key_env`"
            )
        extra = set(entry) - _SEAT_KEYS
        if extra:
            raise ConfigError(
                f"{where}: unknown field(s) {', '.join(sorted(extra))}; "
                f"allowed: {', '.join(sorted(_SEAT_KEYS))}"
            )
        model = entry.get("model")
        if not isinstance(model, str) or not model.strip():
            raise ConfigError(f'{where}: `model` is required, e.g. model = "openai/gpt-4o"')
        name = entry.get("name", default_name(model.strip()))
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}: `name` must be non-empty text")
        names.append(name.strip())
        fields.append(_seat_fields(entry, where))
    names = distinct_names(names)
    seats = tuple(
        Seat(id=seat_id, name=name, **extra_fields)  # type: ignore[arg-type]
        for seat_id, name, extra_fields in zip(unique_ids(names), names, fields, strict=True)
    )
    for number, seat in enumerate(seats, start=1):
        check_seat(seat, where=f"{source}, seat {number}")
    protocol = data.get("protocol")
    rounds = data.get("rounds")
    if protocol is not None and not isinstance(protocol, str):
        raise ConfigError(f"{source}: `protocol` must be text")
    if rounds is not None and (not isinstance(rounds, int) or isinstance(rounds, bool)):
        raise ConfigError(f"{source}: `rounds` must be a whole number")
    roles = {key: data.get(key) for key in ("chair", "judge")}
    for key, value in roles.items():
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f'{source}: `{key}` must name a seat, e.g. {key} = "{names[0]}"')
        if isinstance(value, str):
            check_text(
                value,
                what=f"{source}: `{key}`",
                limit=MAX_SEAT_NAME_CHARS,
                fix=f'Name a seat, e.g. {key} = "{names[0]}".',
            )
    return Panel(
        seats=seats,
        protocol=protocol,
        rounds=rounds,
        chair=roles["chair"],
        judge=roles["judge"],
        servers=_server_limits(data.get("server", []), source),
    )


def _server_limits(raw: object, source: str) -> tuple[ServerLimit, ...]:
    """The [[server]] tables: each names one server (`api_base` or `provider`) and
    how many requests it takes at once (`concurrency`)."""
    if not isinstance(raw, list):
        raise ConfigError(f"{source}: `server` must be [[server]] tables")
    limits = []
    for number, entry in enumerate(raw, start=1):
        where = f"{source}, server {number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: expected a [[server]] table")
        extra = set(entry) - _SERVER_KEYS
        if extra:
            raise ConfigError(
                f"{where}: unknown field(s) {', '.join(sorted(extra))}; "
                f"allowed: {', '.join(sorted(_SERVER_KEYS))}"
            )
        named = [key for key in ("api_base", "provider") if key in entry]
        if len(named) != 1:
            raise ConfigError(
                f"{where}: name the server with either `api_base` (its address, e.g. "
                '"http://127.0.0.1:8080/v1") or `provider` (a hosted one, e.g. "anthropic")'
            )
        name = entry[named[0]]
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}: `{named[0]}` must be non-empty text")
        fix = "Name the server by its address or its provider's route."
        check_text(name, what=f"{where}: `{named[0]}`", limit=MAX_SETTING_CHARS, fix=fix)
        server = server_key(name) if named[0] == "api_base" else name.strip().lower()
        if named[0] == "api_base" and not server.startswith(("http://", "https://")):
            raise ConfigError(f"{where}: `api_base` must be an http:// or https:// address")
        if "concurrency" not in entry:
            raise ConfigError(f"{where}: give its `concurrency`, e.g. concurrency = 1")
        limits.append(ServerLimit(server, check_concurrency(entry["concurrency"], where=where)))
    return tuple(limits)


def _seat_fields(entry: dict[str, object], where: str) -> dict[str, object]:
    out: dict[str, object] = {"model": str(entry["model"]).strip()}
    for key in ("persona", "api_base", "api_key_env"):
        value = entry.get(key)
        if value is not None:
            if not isinstance(value, str):
                raise ConfigError(f"{where}: `{key}` must be text")
            out[key] = value
    temperature = entry.get("temperature")
    if temperature is not None:
        if isinstance(temperature, bool) or not isinstance(temperature, int | float):
            raise ConfigError(f"{where}: `temperature` must be a number, e.g. 0.7")
        if not 0 <= temperature <= 2:
            raise ConfigError(f"{where}: `temperature` must be between 0 and 2")
        out["temperature"] = float(temperature)
    max_tokens = entry.get("max_tokens")
    if max_tokens is not None:
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
            raise ConfigError(f"{where}: `max_tokens` must be a positive whole number")
        out["max_tokens"] = max_tokens
    for key, field_name in _PRICE_KEYS.items():
        price = entry.get(key)
        if price is None:
            continue
        if isinstance(price, bool) or not isinstance(price, int | float):
            raise ConfigError(f"{where}: `{key}` must be a number of USD per million tokens")
        if not (math.isfinite(price) and price >= 0):
            raise ConfigError(f"{where}: `{key}` must be 0 or more USD per million tokens")
        out[field_name] = float(price)
    if ("price_in_per_mtok" in out) != ("price_out_per_mtok" in out):
        raise ConfigError(f"{where}: give both `price_in` and `price_out`, or neither")
    return out


def dump_panel(panel: Panel) -> str:
    """The TOML text of a panel; `parse_panel(dump_panel(p))` gives the same seats."""
    lines: list[str] = []
    if panel.protocol:
        lines.append(f"protocol = {_toml_str(panel.protocol)}")
    if panel.rounds is not None:
        lines.append(f"rounds = {panel.rounds}")
    for key in ("chair", "judge"):
        value = getattr(panel, key)
        if value:
            lines.append(f"{key} = {_toml_str(value)}")
    for seat in panel.seats:
        lines += [
            "",
            "[[seat]]",
            f"name = {_toml_str(seat.name)}",
            f"model = {_toml_str(seat.model)}",
        ]
        for key in ("persona", "api_base", "api_key_env"):
            value = getattr(seat, key)
            if value:
                lines.append(f"{key} = {_toml_str(value)}")
        if seat.temperature is not None:
            lines.append(f"temperature = {seat.temperature!r}")
        if seat.max_tokens is not None:
            lines.append(f"max_tokens = {seat.max_tokens}")
        for key, field_name in _PRICE_KEYS.items():
            price = getattr(seat, field_name)
            if price is not None:
                lines.append(f"{key} = {price!r}")
    for limit in panel.servers:
        key = "api_base" if "//" in limit.server else "provider"
        lines += ["", "[[server]]", f"{key} = {_toml_str(limit.server)}"]
        lines.append(f"concurrency = {limit.concurrency or 0}")
    return "\n".join(lines).lstrip("\n") + "\n"


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    # TOML forbids raw control characters (and DEL) in basic strings.
    escaped = "".join(
        f"\\u{ord(c):04x}" if (c < " " and c != "\t") or c == "\x7f" else c for c in escaped
    )
    return f'"{escaped}"'
