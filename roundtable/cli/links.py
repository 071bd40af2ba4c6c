"""A stored debate's relatives, as `roundtable show` prints them above the transcript:
the debate it was forked from, its forks, and the follow-up thread it belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from roundtable.domain import DebateStatus
from roundtable.domain.formatting import visible_controls

if TYPE_CHECKING:
    from roundtable.storage import Database, DebateSummary
    from roundtable.storage.links import DebateLink


def links_view(database: Database, summary: DebateSummary) -> Panel | None:
    """A debate's fork parent, forks and follow-up thread, or None when it has none."""
    from roundtable.storage.links import debate_links, followup_thread

    debate_id = summary.id
    parent, children = debate_links(database, debate_id)
    thread = followup_thread(database, debate_id)
    lines: list[Text] = []
    if parent is not None and not parent.is_followup:
        lines.append(_line("Forked from", parent.summary, summary.forked_from_round))
    forks = [child for child in children if not child.is_followup]
    if forks:
        lines.append(Text("Forks:", style="bold"))
        lines += [_line("  ", child.summary, child.summary.forked_from_round) for child in forks]
    if len(thread) > 1:
        lines.append(Text("Thread (follow-ups, oldest first):", style="bold"))
        lines += [_thread_line(n, link, debate_id) for n, link in enumerate(thread, 1)]
    extra = [c for c in children if c.is_followup and c.summary.id not in _ids(thread)]
    if extra:
        lines.append(Text("Other follow-ups:", style="bold"))
        lines += [_line("  ", child.summary, None) for child in extra]
    if not lines:
        return None
    return Panel(Group(*lines), title="Related debates", title_align="left", border_style="dim")


def _ids(links: list[DebateLink]) -> set[str]:
    return {link.summary.id for link in links}


def _line(label: str, summary: DebateSummary, copied_rounds: int | None) -> Text:
    text = Text(f"{label} " if label.strip() else label, style="bold")
    text.append(summary.id[:8], style="cyan")
    if copied_rounds is not None:
        text.append(f" (at round {copied_rounds + 1})", style="dim")
    text.append(f"  {_question(summary)}")
    text.append(f"  → {_outcome(summary)}", style="green" if summary.consensus else "")
    return text


def _thread_line(number: int, link: DebateLink, here: str) -> Text:
    summary = link.summary
    text = Text(f"  {number}. ")
    text.append(summary.id[:8], style="cyan")
    text.append(f"  {_question(summary)}")
    text.append(f"  → {_outcome(summary)}", style="green" if summary.consensus else "")
    if summary.id == here:
        text.append("   ← this debate", style="bold yellow")
    return text


# Questions and answers are untrusted text: their control characters are drawn.
def _question(summary: DebateSummary) -> str:
    first = visible_controls(summary.title or summary.question).strip().splitlines()
    line = first[0] if first else ""
    return line if len(line) <= 70 else line[:69] + "…"


def _outcome(summary: DebateSummary) -> str:
    if summary.status is not DebateStatus.FINISHED:
        return summary.status.value
    answer = visible_controls(summary.final_answer or "no answer")
    return f"✓ {answer}" if summary.consensus else answer
