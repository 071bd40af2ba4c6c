"""What a seat's tokens cost: a price per million tokens and where it came from.

A pure value, shared by the layers that need a price without sharing a rule:
`roundtable.providers.prices` decides a seat's price (the one price rule), the
engine's estimate and budget take that rule as a `PriceLookup` callable, so the
engine never imports the providers' price list, and the GUI can estimate without
litellm. A lookup returns None when the price is unknown: unknown is not free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from roundtable.domain.values import Seat

#: Where a price came from, as a person reads it beside the number.
YOUR_PRICE = "your price"
LISTED_PRICE = "litellm's price list"
GATEWAY_PRICE = "the team gateway's price"
FREE_DEMO = "free: simulated demo model"
FREE_LOCAL = "free: runs on your machine"
FREE_PERSON = "free: a person"

PER_MILLION = 1_000_000


@dataclass(frozen=True, slots=True)
class Price:
    """USD per million prompt (`in`) and completion (`out`) tokens."""

    in_per_mtok: float
    out_per_mtok: float
    #: One of the labels above, for "why this price".
    source: str = LISTED_PRICE

    @property
    def free(self) -> bool:
        return self.in_per_mtok == 0 and self.out_per_mtok == 0

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for one call of this many tokens."""
        return (
            prompt_tokens * self.in_per_mtok + completion_tokens * self.out_per_mtok
        ) / PER_MILLION


#: A seat's price, or None when nobody knows it (see `roundtable.providers.prices`).
PriceLookup = Callable[[Seat], Price | None]


def free_price(source: str) -> Price:
    return Price(0.0, 0.0, source)


def describe_price(price: Price | None) -> str:
    """The price as a person reads it: "$2.50 / $10.00 per M tokens in / out (litellm's
    price list)", "free: runs on your machine", or "price unknown"."""
    if price is None:
        return "price unknown"
    if price.free:
        return price.source if price.source.startswith("free") else f"free ({price.source})"
    return (
        f"${price.in_per_mtok:.2f} / ${price.out_per_mtok:.2f} per M tokens in / out "
        f"({price.source})"
    )
