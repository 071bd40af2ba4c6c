"""Check a `DebateSpec` before any model is called, with messages that say what to do."""

from __future__ import annotations

import math
import re

from roundtable.domain import ConfigError, DebateSpec, Seat
from roundtable.domain.concurrency import check_concurrency
from roundtable.domain.limits import check_spec_texts
from roundtable.engine.protocols import get_protocol

#: More rounds than this costs a lot and, in the papers, stops helping after two or three.
MAX_ROUNDS = 20


def validate_spec(spec: DebateSpec) -> None:
    """Raise `ConfigError` describing the first problem found in `spec`."""
    check_spec_texts(spec)  # question, seats, roles: not blank, not too long, valid Unicode
    protocol = get_protocol(spec.protocol)  # raises ConfigError listing the known protocols
    if not 1 <= spec.max_rounds <= MAX_ROUNDS:
        raise ConfigError(
            f"Rounds must be between 1 and {MAX_ROUNDS}, not {spec.max_rounds}. "
            "Three (one answer round and two discussion rounds) is a good start."
        )
    threshold = spec.consensus.threshold
    if not 0 < threshold <= 1:
        raise ConfigError(
            f"The consensus threshold must be above 0 and at most 1, not {threshold}. "
            "Use 1.0 to stop only when every seat agrees."
        )
    if len(spec.seats) < 2:
        raise ConfigError(
            f"A debate needs at least two seats; this one has {len(spec.seats)}. Add another model."
        )
    _check_sitting_out(spec)
    seen: set[str] = set()
    for seat in spec.seats:
        if not seat.id.strip():
            raise ConfigError(f"Seat {seat.name!r} has an empty id. Give every seat an id.")
        if seat.id in seen:
            raise ConfigError(
                f"Two seats share the id {seat.id!r}. Give every seat its own id "
                "(rename one of them)."
            )
        seen.add(seat.id)
        _check_model(seat)
        _check_price(seat)
    _check_budget(spec.budget_usd)
    for limit in spec.server_limits:  # a spec from the wire or the MCP server
        check_concurrency(limit.concurrency or 0, where=f"The server {limit.server}")
    protocol.check(spec)  # what this protocol needs: seats for its roles, enough rounds


def _check_sitting_out(spec: DebateSpec) -> None:
    """A fork's removed seats must be seats of the table, and two must still play."""
    ids = {seat.id for seat in spec.seats}
    unknown = [seat_id for seat_id in spec.sitting_out if seat_id not in ids]
    if unknown:
        raise ConfigError(
            f"Seats {', '.join(map(repr, unknown))} are marked as sitting out but are not at "
            "the table. Only a seat of the table can sit out."
        )
    active = len(spec.active_seats)
    if active < 2:
        raise ConfigError(
            f"Only {active} seat{'' if active == 1 else 's'} would go on after the seats that "
            "sit out; a debate needs at least two. Keep a seat or add another model."
        )


def _check_model(seat: Seat) -> None:
    label = seat.name or seat.id
    model = seat.model
    if not model.strip():
        raise ConfigError(
            f"Seat {label!r} has no model. Pick one, e.g. 'openai/gpt-4o' or 'ollama/llama3.1'."
        )
    if re.search(r"\s", model):
        raise ConfigError(
            f"Seat {label!r}: the model id {model!r} contains whitespace. "
            "Model ids look like 'provider/name', e.g. 'anthropic/claude-sonnet-4-5'."
        )
    provider, slash, name = model.partition("/")
    if slash and (not provider or not name):
        raise ConfigError(
            f"Seat {label!r}: the model id {model!r} needs both a provider and a name "
            "around the slash, e.g. 'openai/gpt-4o'."
        )


def _check_price(seat: Seat) -> None:
    """A seat's own price: both halves or neither, each a finite amount of at least $0."""
    label = seat.name or seat.id
    prices = {"input": seat.price_in_per_mtok, "output": seat.price_out_per_mtok}
    given = [name for name, value in prices.items() if value is not None]
    if len(given) == 1:
        missing = "output" if given == ["input"] else "input"
        raise ConfigError(
            f"Seat {label!r} has an {given[0]} price but no {missing} price. Give both "
            "(USD per million tokens; 0 for free), or neither to use the listed price."
        )
    for name, value in prices.items():
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise ConfigError(
                f"Seat {label!r}: the {name} price must be 0 or more USD per million tokens, "
                f"not {value:g}."
            )


def _check_budget(budget_usd: float | None) -> None:
    if budget_usd is not None and not (math.isfinite(budget_usd) and budget_usd > 0):
        raise ConfigError(
            f"The budget must be more than $0, not {budget_usd:g}. Leave it out for no limit."
        )
