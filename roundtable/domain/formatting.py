"""How numbers of a debate read to a person, the same in the terminal, the app and exports."""

from __future__ import annotations


def format_cost(cost_usd: float | None) -> str:
    """Dollars; "free" for nothing at all (a demo model, a model on the user's machine, a
    person); "cost unknown" when a price was missing: unknown is never shown as $0."""
    if cost_usd is None:
        return "cost unknown"
    if cost_usd == 0:
        return "free"
    return f"${cost_usd:.4f}" if cost_usd < 0.01 else f"${cost_usd:.2f}"


def format_tokens(count: int) -> str:
    return f"{count:,} token" + ("" if count == 1 else "s")


def round_label(round_index: int) -> str:
    """Rounds are 0-based in events and storage; people count them from 1."""
    return f"Round {round_index + 1}"
