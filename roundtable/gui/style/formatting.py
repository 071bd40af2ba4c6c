"""Numbers and labels as the debate view writes them (pure Python, shared by its widgets)."""

from __future__ import annotations

from roundtable.domain import Usage
from roundtable.domain.formatting import format_cost, format_tokens, round_label

__all__ = ["format_cost", "format_seconds", "format_tokens", "percent", "round_title", "usage_line"]


def round_title(index: int, kind: str = "", *, of: int | None = None) -> str:
    """ "Round 2 of 3 · peer review": people count rounds from 1.

    `kind` is what the debate's protocol calls the round (`DebateState` asks it; a
    view never decides it); `of` is how many rounds the protocol plans at most.
    """
    title = round_label(index) if of is None else f"{round_label(index)} of {of}"
    return f"{title} · {kind}" if kind else title


def format_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def usage_line(usage: Usage) -> str:
    """ "512 tokens · $0.0012 · 3.4 s" for a turn's footer."""
    return " · ".join(
        (
            format_tokens(usage.total_tokens),
            format_cost(usage.cost_usd),
            format_seconds(usage.latency_s),
        )
    )


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
