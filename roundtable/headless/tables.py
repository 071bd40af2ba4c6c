"""The table a person asked for (`--seat` / `--panel` options, a saved table, else the
demo table) as a validated DebateSpec, before anything is written."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from roundtable.domain import ConfigError, DebateSpec, Seat
from roundtable.domain.concurrency import ServerLimit, parse_limit_option
from roundtable.domain.panel import (
    Panel,
    default_name,
    distinct_names,
    unique_ids,
)
from roundtable.domain.reply_size import MAX_TOKENS_CEILING
from roundtable.domain.values import ConsensusRule

#: How many demo models sit at the table when no seat is given.
DEMO_TABLE_SIZE = 3


def demo_seats() -> tuple[Seat, ...]:
    from roundtable.providers.demo.models import DEMO_MODELS

    models = DEMO_MODELS[:DEMO_TABLE_SIZE]
    names = [model.name for model in models]
    return tuple(
        Seat(id=seat_id, name=name, model=model.id)
        for seat_id, name, model in zip(unique_ids(names), names, models, strict=True)
    )


def seats_from_options(options: list[str]) -> tuple[Seat, ...]:
    """`--seat MODEL` or `--seat "NAME=MODEL"`, in order; ids made unique."""
    names, models = [], []
    for option in options:
        name, sep, model = option.partition("=")
        if not sep:
            name, model = "", option
        model = model.strip()
        if not model:
            raise ConfigError(f"--seat {option!r} names no model; use --seat openai/gpt-4o")
        names.append(name.strip() or default_name(model))
        models.append(model)
    names = distinct_names(names)
    return tuple(
        Seat(id=seat_id, name=name, model=model)
        for seat_id, name, model in zip(unique_ids(names), names, models, strict=True)
    )


def with_env_api_base(seat: Seat) -> Seat:
    """Honour OPENAI_API_BASE / OPENAI_BASE_URL for `openai/` seats without an api_base.

    litellm reads these variables itself; copying the value onto the seat makes the
    key check know the server is local (no key needed) and records where the debate
    ran (a URL, never a key).
    """
    if seat.provider != "openai" or seat.api_base:
        return seat
    base = os.environ.get("OPENAI_API_BASE") or os.environ.get("OPENAI_BASE_URL")
    if not base:
        return seat
    from dataclasses import replace

    return replace(seat, api_base=base)


def chosen_table(
    *,
    seat_options: list[str],
    panel_path: str | Path | None,
    protocol: str | None = None,
    rounds: int | None = None,
    chair: str | None = None,
    judge: str | None = None,
    persona: str | None = None,
    temperature: float | None = None,
    server_options: Sequence[str] = (),
    max_tokens: int | None = None,
) -> Panel:
    """The table the person asked for, as a panel: seats from --seat, else the panel
    (a file or a saved table's name), else the demo table; options win over the panel
    (`server_options`, from --server-concurrency, over its [[server]] limits).

    `persona`, `temperature` and `max_tokens` go to every seat that has none of its own. The
    environment's server (`with_env_api_base`) is not applied here: a saved table
    keeps only what the person chose.
    """
    from roundtable.headless.saved_tables import panel_path as resolve_panel
    from roundtable.storage.saved_tables import read_panel_file

    panel = read_panel_file(resolve_panel(str(panel_path))) if panel_path else None
    if seat_options and panel:
        raise ConfigError("give seats either with --seat or with --panel, not both")
    if seat_options:
        seats = seats_from_options(seat_options)
    elif panel:
        seats = panel.seats
    else:
        seats = demo_seats()
    if temperature is not None and not 0 <= temperature <= 2:  # the usual range
        raise ConfigError(f"--temperature {temperature:g}: give a number from 0 to 2")
    if max_tokens is not None and not 1 <= max_tokens <= MAX_TOKENS_CEILING:
        raise ConfigError(
            f"--max-tokens {max_tokens}: give a whole number from 1 to {MAX_TOKENS_CEILING:,}"
        )
    seats = tuple(_with_defaults(seat, persona, temperature, max_tokens) for seat in seats)
    return Panel(
        seats=seats,
        protocol=protocol or (panel.protocol if panel else None),
        rounds=rounds if rounds is not None else (panel.rounds if panel else None),
        chair=chair or (panel.chair if panel else None),
        judge=judge or (panel.judge if panel else None),
        servers=(panel.servers if panel else ()) + server_limits(server_options, seats),
    )


def server_limits(options: Sequence[str], seats: Sequence[Seat]) -> tuple[ServerLimit, ...]:
    """--server-concurrency options as limits: "SERVER=N" for one server (an address or
    a provider's route), a bare N for every server the seats use. ConfigError if bad."""
    from roundtable.providers.server_routes import seat_server

    limits: list[ServerLimit] = []
    for option in options:
        server, concurrency = parse_limit_option(option)
        if server is not None:
            limits.append(ServerLimit(server, concurrency))
            continue
        keys = dict.fromkeys(seat_server(with_env_api_base(seat)).key for seat in seats)
        limits += [ServerLimit(key, concurrency) for key in keys]
    return tuple(limits)


def _with_defaults(
    seat: Seat, persona: str | None, temperature: float | None, max_tokens: int | None = None
) -> Seat:
    from dataclasses import replace

    if seat.is_human:
        return seat
    if persona and not seat.persona:
        seat = replace(seat, persona=persona.strip())
    if temperature is not None and seat.temperature is None:
        seat = replace(seat, temperature=temperature)
    if max_tokens is not None and seat.max_tokens is None:
        seat = replace(seat, max_tokens=max_tokens)
    return seat


def build_spec(
    question: str,
    *,
    seat_options: list[str],
    panel_path: str | Path | None,
    protocol: str | None,
    rounds: int | None,
    threshold: float,
    seed: int | None,
    turn_timeout_s: float | None = None,
    chair: str | None = None,
    judge: str | None = None,
    budget_usd: float | None = None,
    persona: str | None = None,
    temperature: float | None = None,
    server_options: Sequence[str] = (),
) -> DebateSpec:
    """The spec the user asked for (`chosen_table`), the environment's server applied."""
    table = chosen_table(
        seat_options=seat_options,
        panel_path=panel_path,
        protocol=protocol,
        rounds=rounds,
        chair=chair,
        judge=judge,
        persona=persona,
        temperature=temperature,
        server_options=server_options,
    )
    return spec_for(
        question,
        table,
        threshold=threshold,
        seed=seed,
        turn_timeout_s=turn_timeout_s,
        budget_usd=budget_usd,
    )


def spec_for(
    question: str,
    table: Panel,
    *,
    threshold: float,
    seed: int | None,
    turn_timeout_s: float | None = None,
    turn_deadline_s: float | None = None,
    budget_usd: float | None = None,
) -> DebateSpec:
    """The debate of `question` at `table`."""
    return DebateSpec(
        question=question.strip(),
        seats=tuple(with_env_api_base(seat) for seat in table.seats),
        protocol=table.protocol or "roundtable",
        max_rounds=table.rounds if table.rounds is not None else 3,
        consensus=ConsensusRule(threshold=threshold),
        seed=seed,
        turn_timeout_s=turn_timeout_s,
        turn_deadline_s=turn_deadline_s,
        chair=table.chair,
        judge=table.judge,
        budget_usd=budget_usd,
        server_limits=table.servers,
    )
