"""A budget cap: stop before the call that would cross it, and say why.

The runner asks before each round (`budget_stop`, with the round's high estimate
from `roundtable.engine.estimate`); the evaluation harness asks the same before each
question (with the whole debate's high estimate). A stop is decided before any
model is called for that round or question, so everything spent stays within the
budget as far as the estimate's high end holds (see `estimate` for its limits).

A budget cannot be kept without prices: `unpriced_problem` says which seats lack
one, and the front ends refuse to start such a debate rather than run it
unguarded (the user can set the seat's price, or leave the budget out). The
refusal names the fix; a debate that does not know what it is spending must not
pretend to keep a limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from roundtable.domain import DebateSpec
from roundtable.domain.continuable import BUDGET_STOP_PREFIX
from roundtable.domain.formatting import format_cost
from roundtable.domain.pricing import PriceLookup


@dataclass(frozen=True, slots=True)
class BudgetStop:
    """Why the next round (or question) is not played: it would cross the budget."""

    budget_usd: float
    #: Spent so far; None when a call's cost is unknown.
    spent_usd: float | None
    #: The next round's (or question's) high estimate; None when a price is unknown.
    next_usd: float | None
    #: What would have run next, for the message: "round 3", "question 12".
    what: str = "the next round"

    @property
    def reason(self) -> str:
        """The stop in words, with the fix (a higher budget)."""
        limit = format_cost(self.budget_usd)
        if self.spent_usd is None:
            return (
                f"{BUDGET_STOP_PREFIX}{limit}: the cost so far is unknown, so {self.what} "
                "was not started"
            )
        if self.next_usd is None:
            return (
                f"{BUDGET_STOP_PREFIX}{limit}: {self.what} has no price estimate, so it "
                "was not started"
            )
        return (
            f"{BUDGET_STOP_PREFIX}{limit} would be crossed: {format_cost(self.spent_usd)} "
            f"spent and {self.what} may cost up to {format_cost(self.next_usd)}; "
            "resume with a higher budget to go on"
        )


def budget_stop(
    budget_usd: float | None,
    *,
    spent_usd: float | None,
    next_usd: float | None,
    what: str = "the next round",
) -> BudgetStop | None:
    """Whether to stop before `what`: None to go on (no budget, or it fits), else why.

    `spent_usd` is what was spent so far and `next_usd` the high estimate of what
    comes next; an unknown amount (None) stops, since the limit cannot be kept.
    """
    if budget_usd is None:
        return None
    if spent_usd is not None and next_usd is not None and spent_usd + next_usd <= budget_usd:
        return None
    return BudgetStop(budget_usd, spent_usd, next_usd, what)


def unpriced_problem(spec: DebateSpec, price: PriceLookup) -> str | None:
    """Why `spec`'s budget cannot be kept (a calling seat has no known price), or None."""
    if spec.budget_usd is None:
        return None
    unpriced = [seat for seat in spec.active_seats if not seat.is_human and price(seat) is None]
    if not unpriced:
        return None
    names = ", ".join(f"'{seat.name}' ({seat.model})" for seat in unpriced)
    return (
        f"A budget of {format_cost(spec.budget_usd)} cannot be kept: nobody knows the price "
        f"of {names}. Set the seat's own price (price_in and price_out, USD per million "
        "tokens, in the panel file or the seat editor), or run without a budget."
    )
