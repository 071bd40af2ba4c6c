"""What can be refused before a debate runs, checked the same way for the terminal and
the app: the spec itself, the turn limit, every calling seat's model id, key and
address (a `litellm_proxy/` seat with no team gateway), a budget that cannot be kept
(a seat without a price; a team gateway is asked its prices first), and whether the
servers the seats need accept a connection at all (at most ~2 s).

A problem found here is a `ConfigError` naming every seat it concerns, before anything
is stored or any model is called; the same problem found by retries would cost a
failed debate and the user's time.
"""

from __future__ import annotations

import asyncio

from roundtable.domain import ConfigError, DebateSpec, Seat
from roundtable.engine.validate import validate_spec


def _calling_seats(spec: DebateSpec) -> list[Seat]:
    # A person needs no model or key, and a seat that sits out a fork makes no call.
    return [seat for seat in spec.active_seats if not seat.is_human]


def _offline_problems(spec: DebateSpec) -> list[str]:
    """The checks that need no network; the spec's own errors are raised at once."""
    from roundtable.engine.budget import unpriced_problem
    from roundtable.providers import (
        Timeouts,
        check_model_id,
        missing_base_problem,
        missing_key_problem,
        seat_price,
    )

    validate_spec(spec)
    Timeouts().for_turn(spec.turn_timeout_s).with_deadline(spec.turn_deadline_s)  # ConfigError
    budget = unpriced_problem(spec, seat_price)
    problems = [budget] if budget else []
    for seat in _calling_seats(spec):
        try:
            check_model_id(seat.model)
        except ConfigError as exc:
            problems.append(f"seat '{seat.name}': {exc}")
            continue
        problems.extend(p for p in (missing_base_problem(seat), missing_key_problem(seat)) if p)
    return problems


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ConfigError("\n".join(problems))


def preflight(spec: DebateSpec) -> None:
    """Every check, for code without an event loop (the terminal); ConfigError."""
    from roundtable.providers import check_reachable
    from roundtable.providers.team_gateway import learn_gateway_prices

    learn_gateway_prices(_calling_seats(spec))  # a team gateway's prices, for the budget
    problems = _offline_problems(spec)
    _refuse(problems + [server.message for server in check_reachable(_calling_seats(spec))])


async def preflight_async(spec: DebateSpec) -> None:
    """Every check, on a running event loop (the app's engine process); ConfigError."""
    from roundtable.providers import find_unreachable
    from roundtable.providers.team_gateway import learn_gateway_prices

    await asyncio.to_thread(learn_gateway_prices, _calling_seats(spec))
    problems = _offline_problems(spec)
    unreachable = await find_unreachable(_calling_seats(spec))
    _refuse(problems + [server.message for server in unreachable])
