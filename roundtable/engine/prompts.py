"""Render the prompts in `resources/prompts/*.md` (Jinja2 templates).

Prompts are data, not strings in code, so they can be read and tuned on their own.
Autoescape is off on purpose: this is plain text for models, not HTML. Undefined
variables raise, so a renamed field cannot silently produce an empty prompt.

The discussion prompt is a contract with the offline demo models, which read it:
each other seat's block starts with a line of exactly this form

    ### <seat name> (answer: <display>, confidence: <0.00>)

followed by that seat's explanation (its text without the final-answer and
confidence lines, cut to about `EXPLANATION_CHARS`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from roundtable.domain import Answer, DebateSpec, Seat
from roundtable.engine.parsing import strip_answer_lines
from roundtable.engine.transcript import TurnRecord
from roundtable.paths import resource_dir

#: How much of another seat's explanation a discussion prompt quotes.
EXPLANATION_CHARS = 1500
_CUT_MARK = " […]"


def render_prompt(name: str, **context: object) -> str:
    """Render `resources/prompts/<name>.md` with `context`; surrounding blank lines trimmed."""
    return _environment().get_template(f"{name}.md").render(**context).strip()


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_dir() / "prompts"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


# ------------------------------------------------------------------ what templates see
@dataclass(frozen=True, slots=True)
class QuotedSeat:
    """Another seat as a discussion prompt shows it."""

    name: str
    display: str
    confidence: str
    explanation: str


@dataclass(frozen=True, slots=True)
class AnswerGroup:
    """Seats that gave the same (normalised) answer, shown together as in ReConcile."""

    title: str
    seats: tuple[QuotedSeat, ...]


@dataclass(frozen=True, slots=True)
class OwnAnswer:
    display: str
    confidence: str


def confidence_label(confidence: float | None) -> str:
    """Two decimals, as the contract's header line has it; unknown shows as 0.00."""
    return f"{confidence or 0.0:.2f}"


def explanation_of(text: str, limit: int = EXPLANATION_CHARS) -> str:
    """A turn's reasoning for others to read: answer lines stripped, headings flattened,
    cut at `limit` characters (at a word boundary where one is near)."""
    body = strip_answer_lines(text)
    # A heading inside a quoted explanation must not look like a seat's header line.
    body = re.sub(r"(?m)^[ \t]*#{1,6}[ \t]*", "", body)
    if len(body) > limit:
        cut = body[:limit]
        space = cut.rfind(" ")
        if space > limit * 0.8:
            cut = cut[:space]
        body = cut.rstrip() + _CUT_MARK
    return body or "(no explanation given)"


def group_by_answer(others: Sequence[tuple[Seat, TurnRecord]]) -> list[AnswerGroup]:
    """Other seats' latest turns, grouped by normalised answer, largest group first
    (ties in table order); seats without a readable answer come last."""
    groups: dict[str, list[tuple[Seat, TurnRecord]]] = {}
    unanswered: list[tuple[Seat, TurnRecord]] = []
    for seat, turn in others:
        if turn.answer is None:
            unanswered.append((seat, turn))
        else:
            key = f"{turn.answer.kind.value}:{turn.answer.value}"
            groups.setdefault(key, []).append((seat, turn))
    ordered = sorted(groups.values(), key=len, reverse=True)  # sorted() is stable
    result = []
    for members in ordered:
        first = members[0][1].answer
        assert first is not None
        result.append(AnswerGroup(_group_title(first.display, len(members)), _quote(members)))
    if unanswered:
        title = f"No readable answer ({_participants(len(unanswered))})"
        result.append(AnswerGroup(title, _quote(unanswered)))
    return result


def _quote(members: Sequence[tuple[Seat, TurnRecord]]) -> tuple[QuotedSeat, ...]:
    return tuple(
        QuotedSeat(
            name=seat.name,
            display=turn.answer.display if turn.answer else "none",
            confidence=confidence_label(turn.answer.confidence if turn.answer else None),
            explanation=explanation_of(turn.text),
        )
        for seat, turn in members
    )


def _group_title(display: str, count: int) -> str:
    return f"Answer {display} ({_participants(count)})"


def _participants(count: int) -> str:
    return f"{count} participant" + ("" if count == 1 else "s")


def own_answer(answer: Answer | None) -> OwnAnswer | None:
    if answer is None:
        return None
    return OwnAnswer(display=answer.display, confidence=confidence_label(answer.confidence))


# ------------------------------------------------------------------ the roundtable prompts
def roundtable_system(seat: Seat, spec: DebateSpec) -> str:
    return render_prompt(
        "roundtable_system", seat=seat, seat_count=len(spec.seats), max_rounds=spec.max_rounds
    )


def roundtable_answer(spec: DebateSpec) -> str:
    return render_prompt("roundtable_answer", question=spec.question, max_rounds=spec.max_rounds)


def roundtable_discuss(
    spec: DebateSpec,
    round_number: int,
    own: Answer | None,
    others: Sequence[tuple[Seat, TurnRecord]],
) -> str:
    return render_prompt(
        "roundtable_discuss",
        round=round_number,
        discussion_rounds=spec.max_rounds - 1,
        own=own_answer(own),
        groups=group_by_answer(others),
    )
