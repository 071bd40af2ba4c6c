"""A stored debate as Markdown: the content every human-readable export shares.

The HTML export renders this same text, so the two never disagree. Model text is
embedded as Markdown (it usually is Markdown), with its headings pushed below the
document's own and an unclosed code fence closed, so one turn cannot swallow or
restructure the rest of the document. Our own values (question, names, answers,
errors) are escaped, so they show exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from roundtable.domain import DebateStatus, Event, TurnStatus, Usage
from roundtable.domain.formatting import (
    format_cost,
    format_tokens,
    round_label,
    visible_controls,
)
from roundtable.engine.protocols import planned_rounds
from roundtable.export.notes import ProtocolNotes, round_notes, turn_notes
from roundtable.export.provenance import EXPORTED_BY
from roundtable.storage.records import DebateRecord, SeatRecord, TurnRecord

#: Turns are `###` sections; a model's `#` becomes `####`.
MODEL_HEADING_SHIFT = 3
DEMO_LABEL = "simulated demo model"

_UNFINISHED = {
    DebateStatus.RUNNING: "has not finished",
    DebateStatus.CANCELLED: "was cancelled",
    DebateStatus.INTERRUPTED: "was interrupted",
    DebateStatus.FAILED: "failed",
    DebateStatus.FINISHED: "finished",
}

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=\s|$)")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_BLOCK_START = re.compile(r"^([#>+-])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def debate_to_markdown(
    record: DebateRecord,
    *,
    model_text: Callable[[str], str] | None = None,
    events: Sequence[Event] = (),
) -> str:
    """The debate as Markdown. `model_text` turns a model's text into what is embedded
    (default: `nest_model_text`); the HTML export passes placeholders through it.
    `events` (the debate's log) add what the protocols record besides answers."""
    embed = model_text or nest_model_text
    notes = ProtocolNotes.from_events(events)
    summary = record.summary
    parts = [f"# {inline(summary.title or 'Untitled debate')}", _quote(summary.question)]
    parts.append(_overview(record))
    parts.append(_seats(record))
    for round_number in record.round_numbers():
        parts.append(_round(record, round_number, embed, notes))
    parts.append(_result(record))
    parts.append(_totals(record))
    parts.append(f"*{EXPORTED_BY}*")
    # Printable text only: `cat` on the file must not obey a model's escape sequences.
    return visible_controls("\n\n".join(part for part in parts if part) + "\n")


# ---------------------------------------------------------------- formatting helpers
def format_time(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def inline(text: str) -> str:
    """`text` as one line of literal Markdown (no emphasis, links, tables or HTML)."""
    return literal(" ".join(text.split()))


def literal(text: str) -> str:
    """Multi-line plain text (a question) as Markdown that shows exactly that text:
    `17*23` stays `17*23`, a leading `#` or `1.` is not a heading or a list."""
    lines = []
    for line in text.strip().splitlines():
        escaped = _INLINE_SPECIAL.sub(r"\\\1", line.strip()).replace("<", "&lt;")
        escaped = _BLOCK_START.sub(r"\\\1", escaped)
        lines.append(_NUMBERED.sub(r"\1\\\2", escaped))
    return "  \n".join(lines)


def turn_markdown(text: str, *, typed_by_person: bool) -> str:
    """A turn's text as the Markdown every view renders: the one place that decides.

    A model writes Markdown and means it. A person types plain text and means that:
    `17*23=391 and 9*14=126` must not turn into italics, so their text is escaped to
    show exactly as typed (the transcript, the terminal, `show` and the exports alike).
    """
    return literal(text) if typed_by_person else text


def nest_model_text(text: str) -> str:
    """A model's Markdown made safe to embed under a `###` heading."""
    lines: list[str] = []
    fence: str | None = None
    for line in text.rstrip().splitlines():
        opening = _FENCE.match(line)
        heading = _HEADING.match(line) if fence is None else None
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and opening and opening.group(1).startswith(fence):
            fence = None
        elif heading:
            level = min(6, len(heading.group(1)) + MODEL_HEADING_SHIFT)
            lines.append("#" * level + line[heading.end() :])
            continue
        lines.append(line)
    if fence is not None:
        lines.append(fence)
    return "\n".join(lines)


# ---------------------------------------------------------------- sections
def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in literal(text).splitlines())


def _overview(record: DebateRecord) -> str:
    summary = record.summary
    facts = [
        f"**Status:** {summary.status.value}",
        f"**Protocol:** {inline(summary.protocol)}",
        f"**Rounds:** {summary.rounds_done} of {planned_rounds(record.spec)}",
        f"**Started:** {format_time(summary.created_at)}",
        f"**Debate:** `{summary.id}`",
    ]
    if record.spec.budget_usd is not None:
        facts.append(f"**Budget:** {format_cost(record.spec.budget_usd)}")
    lines = [" · ".join(facts)]
    for role, ref in (("Chair", record.spec.chair), ("Judge", record.spec.judge)):
        if ref:
            seat = record.seat(ref)
            lines.append(f"**{role}:** {inline(seat.name if seat else ref)}")
    if summary.parent_id and summary.forked_from_round is None:
        lines.append(f"**Follows up on:** `{summary.parent_id}`")  # a follow-up copies no round
    elif summary.parent_id:
        copied = summary.forked_from_round or 0
        span = f"rounds 1–{copied}" if copied > 1 else "round 1" if copied else "no round"
        lines.append(f"**Forked from:** `{summary.parent_id}` ({span} copied)")
    if summary.status_detail:
        lines.append(f"**{summary.status.value.capitalize()}:** {inline(summary.status_detail)}")
    return "  \n".join(lines)


def _seats(record: DebateRecord) -> str:
    rows = ["## Seats", "", "| Seat | Model | Used | Notes |", "| --- | --- | --- | --- |"]
    for s in record.seats:
        used = _spent([t for t in record.turns if t.seat_id == s.seat_id])
        notes = _seat_notes(s, record.spec.sitting_out, _own_price(record, s.seat_id))
        rows.append(f"| {inline(s.name)} | `{s.model}` | {used} | {notes} |")
    if any(seat.is_demo for seat in record.seats):
        rows += [
            "",
            f"*Seats marked “{DEMO_LABEL}” are Roundtable's offline demo: scripted "
            "stand-ins that run without any provider, not real language models.*",
        ]
    return "\n".join(rows)


def _own_price(record: DebateRecord, seat_id: str) -> str | None:
    """ "your price: $0.20 / $0.60 per M tokens in / out" for a seat the user priced."""
    try:
        seat = record.spec.seat(seat_id)
    except KeyError:
        return None
    if seat.price_in_per_mtok is None or seat.price_out_per_mtok is None:
        return None
    return (
        f"your price: ${seat.price_in_per_mtok:.2f} / ${seat.price_out_per_mtok:.2f} "
        "per M tokens in / out"
    )


def _spent(turns: Sequence[TurnRecord]) -> str:
    """ "1,024 tokens · $0.01" over the finished turns (a cut-off turn's usage is unknown)."""
    done = [turn.usage for turn in turns if turn.status is TurnStatus.DONE]
    total = sum(done, Usage())
    return f"{format_tokens(total.total_tokens)} · {format_cost(total.cost_usd)}"


def _seat_notes(
    seat: SeatRecord, sitting_out: tuple[str, ...] = (), own_price: str | None = None
) -> str:
    notes = [f"**{DEMO_LABEL}**"] if seat.is_demo else []
    if seat.as_seat().is_human:
        notes.append("**person**")
    if seat.seat_id in sitting_out:
        notes.append("sits out after the copied rounds")
    if seat.api_base:
        notes.append(f"server {inline(seat.api_base)}")
    if seat.temperature is not None:
        notes.append(f"temperature {seat.temperature:g}")
    if seat.persona:
        notes.append(f"persona: {inline(seat.persona)}")
    if own_price:
        notes.append(own_price)
    return " · ".join(notes) or "—"


def _seat_name(record: DebateRecord) -> Callable[[str], str]:
    def name(seat_id: str) -> str:
        seat = record.seat(seat_id)
        return inline(seat.name) if seat else inline(seat_id)

    return name


def _round(
    record: DebateRecord, round_number: int, embed: Callable[[str], str], notes: ProtocolNotes
) -> str:
    parts = [f"## {round_label(round_number)}"]
    result = record.round_result(round_number)
    spent = f"**Round total:** {_spent(record.turns_in(round_number))}"
    if result is None:
        parts.append(f"*This round did not complete.* · {spent}")
    else:
        leader = f" · **Leading answer:** {inline(result.leader)}" if result.leader else ""
        parts.append(f"**Agreement:** {result.agreement:.0%}{leader} · {spent}")
    order = [seat.seat_id for seat in record.seats]
    parts += round_notes(notes, round_number, _seat_name(record), inline, order)
    parts += [_turn(record, turn, embed, notes) for turn in record.turns_in(round_number)]
    return "\n\n".join(parts)


def _turn(
    record: DebateRecord, turn: TurnRecord, embed: Callable[[str], str], notes: ProtocolNotes
) -> str:
    seat = record.seat(turn.seat_id)
    name = inline(seat.name) if seat else inline(turn.seat_id)
    # A turn whose reply said how it ended (length limit, filter…) was not cut: its
    # own note (turn_notes) says what happened instead.
    parts = [f"### {name}", _turn_facts(turn, cut=not notes.ending(turn.round, turn.seat_id))]
    parts += turn_notes(notes, turn.round, turn.seat_id, _seat_name(record))
    if turn.text.strip() and seat is not None and seat.as_seat().is_human:
        # Our own escaped Markdown, not a model's: no placeholder or cleaning needed.
        parts.append(turn_markdown(turn.text, typed_by_person=True))
    elif turn.text.strip():
        parts.append(embed(turn.text))
    elif turn.status is TurnStatus.DONE:
        parts.append("*(no text)*")
    return "\n\n".join(parts)


def _turn_facts(turn: TurnRecord, *, cut: bool = True) -> str:
    if turn.status is TurnStatus.FAILED:
        kind = f" ({inline(turn.error_kind)})" if turn.error_kind else ""
        message = f": {inline(turn.error)}" if turn.error else ""
        partial = "  \n*What arrived before the failure:*" if turn.text.strip() else ""
        return f"**Failed**{kind}{message}{partial}"
    if turn.status in (TurnStatus.CANCELLED, TurnStatus.INTERRUPTED):
        return f"*{turn.status.value} — partial text*"
    if turn.status in (TurnStatus.STREAMING, TurnStatus.PENDING):
        return f"*{turn.status.value}*"
    answer = turn.answer
    facts = [f"**Answer:** {inline(answer.display)}" if answer else "**No answer found**"]
    if answer and answer.confidence is not None:
        facts.append(f"confidence {answer.confidence:.0%}")
    facts += _usage_facts(turn.usage)
    line = " · ".join(facts)
    if turn.incomplete and cut:
        line += "  \n*Incomplete: the stream was cut and this is what arrived.*"
    return line


def _usage_facts(usage: Usage) -> list[str]:
    facts = [
        f"{format_tokens(usage.total_tokens)} "
        f"({usage.prompt_tokens:,} in, {usage.completion_tokens:,} out)",
        format_cost(usage.cost_usd),
    ]
    if usage.latency_s:
        facts.append(f"{usage.latency_s:.1f} s")
    return facts


def _result(record: DebateRecord) -> str:
    summary = record.summary
    parts = ["## Result"]
    if summary.status is not DebateStatus.FINISHED:
        parts.append(f"*No final answer: the debate {_UNFINISHED[summary.status]}.*")
        return "\n\n".join(parts)
    answer = inline(summary.final_answer) if summary.final_answer else "*none*"
    consensus = "reached" if summary.consensus else "not reached"
    lines = [
        f"**Final answer:** {answer}",
        f"**Chosen by:** {inline(record.rule) if record.rule else '—'}",
        f"**Consensus:** {consensus}",
    ]
    parts.append("  \n".join(lines))
    if record.tally:
        table = ["| Answer | Votes |", "| --- | ---: |"]
        ranked = sorted(record.tally.items(), key=lambda item: -item[1])
        table += [f"| {inline(answer)} | {votes:.2f} |" for answer, votes in ranked]
        parts.append("\n".join(table))
    return "\n\n".join(parts)


def _totals(record: DebateRecord) -> str:
    summary = record.summary
    facts = [
        f"**Tokens:** {summary.total_tokens:,}",
        f"**Cost:** {format_cost(summary.cost_usd).removeprefix('cost ')}",
        f"**Rounds:** {summary.rounds_done}",
    ]
    if summary.cost_usd is None:
        facts.append("*(a model's price is unknown, so the total cost is unknown)*")
    return "## Totals\n\n" + " · ".join(facts)
