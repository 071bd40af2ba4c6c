"""The `max_tokens` each call asks for: the seat's own, else a default that fits
the model (`domain.reply_size`).

A model litellm's list knows is never asked for more than its listed output limit
(an older model refuses a request above it); a model listed as reasoning gets the
larger default, as its thinking counts against the limit. A person's seat makes no
call and asks for nothing.
"""

from __future__ import annotations

from roundtable.domain import Seat
from roundtable.domain.reply_size import DEFAULT_MAX_TOKENS, REASONING_MAX_TOKENS
from roundtable.providers.prices import listed_entry


def max_tokens_for(seat: Seat) -> int | None:
    """What `seat`'s calls ask for as `max_tokens`; None for a person's seat."""
    if seat.is_human:
        return None
    if seat.max_tokens is not None:
        return seat.max_tokens
    return default_max_tokens(seat.model)


def default_max_tokens(model: str) -> int:
    """The `max_tokens` asked of `model` when its seat sets none."""
    entry = listed_entry(model) or {}
    wanted = REASONING_MAX_TOKENS if entry.get("supports_reasoning") else DEFAULT_MAX_TOKENS
    most = entry.get("max_output_tokens") or entry.get("max_tokens")
    if isinstance(most, int) and not isinstance(most, bool) and most > 0:
        return min(wanted, most)
    return wanted
