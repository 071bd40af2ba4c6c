"""Turning command-line options into a validated DebateSpec, before anything is written."""

from __future__ import annotations

import os
from pathlib import Path

from roundtable.domain import ConfigError, DebateSpec, Seat
from roundtable.domain.panel import (
    Panel,
    default_name,
    distinct_names,
    parse_panel,
    unique_ids,
)
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


def load_panel_file(path: Path) -> Panel:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read panel file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"panel file {path} is not UTF-8 text") from None
    return parse_panel(text, source=f"panel file {path}")


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


def build_spec(
    question: str,
    *,
    seat_options: list[str],
    panel_path: Path | None,
    protocol: str | None,
    rounds: int | None,
    threshold: float,
    seed: int | None,
    turn_timeout_s: float | None = None,
    chair: str | None = None,
    judge: str | None = None,
    budget_usd: float | None = None,
) -> DebateSpec:
    """The spec the user asked for: seats from --seat, else the panel, else the demo table."""
    panel = load_panel_file(panel_path) if panel_path else None
    if seat_options and panel:
        raise ConfigError("give seats either with --seat or with --panel, not both")
    if seat_options:
        seats = seats_from_options(seat_options)
    elif panel:
        seats = panel.seats
    else:
        seats = demo_seats()
    seats = tuple(with_env_api_base(seat) for seat in seats)
    chosen_protocol = protocol or (panel.protocol if panel else None) or "roundtable"
    chosen_rounds = rounds if rounds is not None else (panel.rounds if panel else None)
    return DebateSpec(
        question=question.strip(),
        seats=seats,
        protocol=chosen_protocol,
        max_rounds=chosen_rounds if chosen_rounds is not None else 3,
        consensus=ConsensusRule(threshold=threshold),
        seed=seed,
        turn_timeout_s=turn_timeout_s,
        # Options win over the panel file's roles.
        chair=chair or (panel.chair if panel else None),
        judge=judge or (panel.judge if panel else None),
        budget_usd=budget_usd,
    )
