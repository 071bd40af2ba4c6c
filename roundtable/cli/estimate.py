"""`roundtable run --estimate`: what a debate would cost, printed instead of running it.

Nothing is called, opened or stored: the spec is checked (the same checks as a run,
but not the network ones), then `roundtable.engine.estimate` plays it on paper with
the one price rule of `roundtable.providers.prices`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from roundtable.cli.exits import EXIT_OK
from roundtable.domain import DebateSpec
from roundtable.domain.formatting import format_cost, round_label
from roundtable.domain.pricing import describe_price
from roundtable.engine.budget import unpriced_problem
from roundtable.engine.estimate import DebateEstimate, RoundEstimate, estimate_debate
from roundtable.engine.validate import validate_spec
from roundtable.providers.prices import seat_price


def print_estimate(spec: DebateSpec, *, as_json: bool) -> int:
    """Print `spec`'s estimate (one JSON object with `as_json`); the exit code.

    ConfigError (exit 2) for a spec that could not run.
    """
    validate_spec(spec)
    from roundtable.providers.team_gateway import learn_gateway_prices

    learn_gateway_prices([seat for seat in spec.active_seats if not seat.is_human])
    estimate = estimate_debate(spec, seat_price)
    if as_json:
        sys.stdout.write(json.dumps(estimate_json(spec, estimate), indent=2) + "\n")
        return EXIT_OK
    console = Console(highlight=False)
    console.print(Text(f"Estimate · {spec.protocol} · {len(spec.active_seats)} seats", "bold"))
    console.print(_summary(spec, estimate))
    console.print(Text("No model was called.", style="dim"))
    return EXIT_OK


def estimate_json(spec: DebateSpec, estimate: DebateEstimate) -> dict[str, Any]:
    """The estimate, each seat's price and the budget, as `--estimate --json` prints them."""
    prices = {}
    for seat in spec.active_seats:
        price = seat_price(seat)
        prices[seat.name] = {
            "model": seat.model,
            "in_per_mtok": price.in_per_mtok if price else None,
            "out_per_mtok": price.out_per_mtok if price else None,
            "source": price.source if price else None,
        }
    return estimate.to_json() | {
        "prices": prices,
        "budget_usd": spec.budget_usd,
        "budget_problem": unpriced_problem(spec, seat_price),
        "model_calls_made": 0,
    }


def _summary(spec: DebateSpec, estimate: DebateEstimate) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_row("Range", Text(estimate.describe(), style="bold"))
    grid.add_row(
        "", Text("low: the table agrees at once; high: every round, every seat, long replies")
    )
    for round_estimate in estimate.high:
        grid.add_row("", Text(_round_line(round_estimate), style="dim"))
    for seat in spec.active_seats:
        grid.add_row(Text(seat.name), Text(f"{seat.model}: {describe_price(seat_price(seat))}"))
    if spec.budget_usd is not None:
        grid.add_row("Budget", Text(_budget_line(spec, estimate)))
    return grid


def _round_line(r: RoundEstimate) -> str:
    calls = f"{len(r.calls)} call" + ("" if len(r.calls) == 1 else "s")
    return (
        f"{round_label(r.round)} at most ({r.kind}): {calls}, {r.prompt_tokens:,} tokens in, "
        f"{r.completion_tokens:,} out, {format_cost(r.cost_usd)}"
    )


def _budget_line(spec: DebateSpec, estimate: DebateEstimate) -> str:
    assert spec.budget_usd is not None
    budget = format_cost(spec.budget_usd)
    problem = unpriced_problem(spec, seat_price)
    if problem is not None:
        return problem
    high = estimate.high_cost_usd
    if high is not None and high <= spec.budget_usd:
        return f"{budget}: the whole debate fits, even at the high end"
    return (
        f"{budget}: the high end is more, so the debate may stop before a round that could "
        "cross it (resumable with a higher --budget)"
    )
