"""What a history line says about a debate: its title, badge, date, cost and snippet.

Pure functions of a `DebateSummary` (no Qt), kept apart from the list's Qt model so that
the delegate that paints a line, its tooltip, its accessibility text and the rename
dialog all say the same thing, and so that the words can be tested without a model.
"""

from __future__ import annotations

from datetime import UTC, datetime

from roundtable.domain import DebateStatus
from roundtable.domain.formatting import format_cost, simulated_label
from roundtable.gui.history.threads import relation_words
from roundtable.storage.records import SNIPPET_END, SNIPPET_START, DebateSummary


def display_title(summary: DebateSummary) -> str:
    """The title, or the question's first line when the debate has none."""
    title = " ".join(summary.title.split())
    if title:
        return title
    first = next((line for line in summary.question.splitlines() if line.strip()), "")
    return " ".join(first.split()) or "Untitled debate"


#: Badge kinds, which the delegate maps to colours.
AGREED, SPLIT, CANCELLED, FAILED, INTERRUPTED, RUNNING = (
    "agreed",
    "split",
    "cancelled",
    "failed",
    "interrupted",
    "running",
)


def badge(summary: DebateSummary) -> tuple[str, str]:
    """(words, kind) for the outcome badge: ("✓ agreed", "agreed"), ("~ no consensus", …)."""
    match summary.status:
        case DebateStatus.FINISHED:
            return ("✓ agreed", AGREED) if summary.consensus else ("~ no consensus", SPLIT)
        case DebateStatus.CANCELLED:
            return "cancelled", CANCELLED
        case DebateStatus.FAILED:
            return "failed", FAILED
        case DebateStatus.INTERRUPTED:
            return "interrupted", INTERRUPTED
    return "running…", RUNNING


def relative_date(when: datetime, now: datetime | None = None) -> str:
    """ "today 14:02", "yesterday 09:15", "Mon 18:40" (this week), "3 Mar", "3 Mar 2025"."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    days = (today - local.date()).days
    clock = f"{local:%H:%M}"
    if days <= 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    if days < 7:
        return f"{local:%a} {clock}"
    if local.year == today.year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b %Y}"


def cost_text(cost_usd: float | None) -> str:
    """Dollars as a person reads them; unknown is said, never shown as $0."""
    return format_cost(cost_usd)


def tokens_text(tokens: int) -> str:
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:.1f}M tokens"
    if tokens >= 10_000:
        return f"{tokens / 1000:.0f}k tokens"
    if tokens >= 1_000:
        return f"{tokens / 1000:.1f}k tokens"
    return f"{tokens} token" + ("" if tokens == 1 else "s")


def meta_text(summary: DebateSummary) -> str:
    """ "3 seats · 2 rounds · roundtable" (the protocol last: it is the first to be elided),
    after "follow-up" or "fork at round 1" for a debate that continues another."""
    seats = f"{summary.seat_count} seat" + ("" if summary.seat_count == 1 else "s")
    rounds = f"{summary.rounds_done} round" + ("" if summary.rounds_done == 1 else "s")
    relation = relation_words(summary)
    return " · ".join((*((relation,) if relation else ()), seats, rounds, summary.protocol))


def tooltip_text(summary: DebateSummary) -> str:
    """The whole question (up to a screenful), then the numbers the line leaves out and
    who started the debate."""
    question = summary.question.strip()
    if len(question) > 600:
        question = question[:600].rstrip() + "…"
    numbers = " · ".join(
        (meta_text(summary), tokens_text(summary.total_tokens), cost_text(summary.cost_usd))
    )
    # Who ran it: what a team sharing one store asks of a debate it did not start.
    started_by = f"\nStarted by {summary.started_by}" if summary.started_by else ""
    return f"{question}\n\n{numbers}{started_by}"


def outcome_text(summary: DebateSummary) -> str:
    """The line under the badge: the final answer, or why there is none."""
    if summary.status is DebateStatus.RUNNING:
        return "In progress"
    answer = " ".join((summary.final_answer or "").split())
    if summary.status is DebateStatus.FINISHED:
        # The demo table's verdict is not a real one; said before the answer, which elides.
        simulated = simulated_label(summary.demo_seats, summary.seat_count)
        marked = f" ({simulated})" if simulated else ""
        return f"Answer{marked}: {answer}" if answer else f"No answer{marked}"
    detail = " ".join((summary.status_detail or "").split())
    if answer:
        return f"Answer so far: {answer}"
    return detail[:1].upper() + detail[1:] if detail else ""


#: Characters of a snippet kept before its first matched word.
SNIPPET_LEAD_CHARS = 40


def snippet_segments(snippet: str) -> list[tuple[str, bool]]:
    """Split a search snippet into (text, matched) runs, whitespace flattened."""
    segments: list[tuple[str, bool]] = []
    flat = " ".join(snippet.split())
    for i, part in enumerate(flat.split(SNIPPET_START)):
        if i == 0:
            matched, rest = "", part
        else:
            matched, _, rest = part.partition(SNIPPET_END)
        if matched:
            segments.append((matched, True))
        if rest:
            segments.append((rest, False))
    lead = segments[0][0] if len(segments) > 1 and not segments[0][1] else ""
    if len(lead) > SNIPPET_LEAD_CHARS:
        # FTS5 may place the match at the end of its window: in two narrow lines a long
        # lead would push it past the ellipsis, so only the lead's last words are kept.
        kept = lead[-SNIPPET_LEAD_CHARS:]
        segments[0] = ("…" + kept[kept.find(" ") + 1 :], False)
    return segments


def accessible_text(summary: DebateSummary) -> str:
    words, _ = badge(summary)
    parts = [display_title(summary), words.lstrip("✓~ "), outcome_text(summary)]
    parts += [relative_date(summary.created_at), cost_text(summary.cost_usd)]
    return ", ".join(part for part in parts if part)
