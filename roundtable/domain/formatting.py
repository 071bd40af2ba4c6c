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


def simulated_label(demo_seats: int, seats: int) -> str:
    """How a verdict is marked when offline demo models gave it: "simulated" when every
    seat is one, "partly simulated" when some are, "" when none. The demo table's
    answers are scripted stand-ins: its verdict must never read as a real one."""
    if demo_seats <= 0:
        return ""
    return "simulated" if demo_seats >= seats else "partly simulated"
