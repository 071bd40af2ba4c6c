"""Render the prompts in `resources/prompts/*.md` (Jinja2 templates).

Prompts are data, not strings in code, so they can be read and tuned on their own.
Autoescape is off on purpose: this is plain text for models, not HTML. Undefined
variables raise, so a renamed field cannot silently produce an empty prompt.

The prompts are a contract with the offline demo models, which read them:

- the question is the end of the first user message, after a line `Question:`;
- each other seat's (or reference's, or side's) block starts with a line of exactly
  this form, followed by its explanation (its text without the final-answer and
  confidence lines, cut to about `EXPLANATION_CHARS`):

      ### <seat name> (answer: <display>, confidence: <0.00>)

- every protocol's task after the first round is the last user message, and its
  first line names the task: "Discussion round N of M" (roundtable), "Debate round N
  of M" (debate), "# Peer review" (council, with `### Response A` blocks that quote
  whole responses), "# Chair's synthesis", "# Layer N of M" and "# Aggregation"
  (mixture), "# Debate: affirmative side, round N of M" / "negative side",
  "# Moderator's decision, round N of M", "# Agreement check" and "# Persuasion or
  conformity?" (a judge's quiet calls); each says the exact lines it wants back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from roundtable.domain import Answer, ChatMessage, DebateSpec, Seat
from roundtable.engine.parsing import strip_answer_lines
from roundtable.engine.transcript import TurnRecord
from roundtable.paths import resource_dir

if TYPE_CHECKING:
    import jinja2

#: How much of another seat's explanation a discussion prompt quotes.
EXPLANATION_CHARS = 1500
_CUT_MARK = " […]"


def render_prompt(name: str, **context: object) -> str:
    """Render `resources/prompts/<name>.md` with `context`; surrounding blank lines trimmed."""
    return _environment().get_template(f"{name}.md").render(**context).strip()


@functools.cache
def _environment() -> jinja2.Environment:
    # Imported here, on the first prompt: the app's setup form reads the protocols'
    # summaries before its window is shown, and renders no prompt.
    import jinja2

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
    *,
    joined: bool = False,
) -> str:
    """`joined`: the seat has no earlier turn at this table (a fork added it), so it is
    told it joins now, not that its previous reply gave no answer."""
    return render_prompt(
        "roundtable_discuss",
        round=round_number,
        discussion_rounds=spec.max_rounds - 1,
        own=own_answer(own),
        joined=joined,
        groups=group_by_answer(others),
    )


# ------------------------------------------------------------------ shared by the other protocols
def quote(seat: Seat, turn: TurnRecord, limit: int = EXPLANATION_CHARS) -> QuotedSeat:
    """One seat's turn as a block header's fields and its explanation."""
    answer = turn.answer
    return QuotedSeat(
        name=seat.name,
        display=answer.display if answer else "none",
        confidence=confidence_label(answer.confidence if answer else None),
        explanation=explanation_of(turn.text, limit),
    )


def whole_text(text: str, limit: int = EXPLANATION_CHARS) -> str:
    """A response quoted whole, answer lines included (a reviewer judges the answer too),
    its headings flattened so none can pass for a block header, cut at `limit`."""
    body = re.sub(r"(?m)^[ \t]*#{1,6}[ \t]*", "", text.strip())
    if len(body) > limit:
        body = body[:limit].rstrip() + _CUT_MARK
    return body or "(empty response)"


def seat_system(seat: Seat, spec: DebateSpec, role: str) -> str:
    """The system prompt of a seat in any protocol but `roundtable`; `role` says what
    this protocol asks of it."""
    return render_prompt("seat_system", seat=seat, seat_count=len(spec.seats), role=role)


def answer_alone(spec: DebateSpec, intro: str) -> str:
    """The first round's ask: answer on your own, with the two closing lines."""
    return render_prompt("answer", intro=intro, question=spec.question)


def question_only(spec: DebateSpec, intro: str) -> str:
    """The question alone, for a task that follows in the next message."""
    return render_prompt("question", intro=intro, question=spec.question)


def debate_update(
    round_number: int,
    last_round: int,
    others: Sequence[tuple[Seat, TurnRecord]],
    *,
    joined: bool = False,
) -> str:
    """Du et al.'s update: every other agent's latest solution, then "give an updated answer"
    (`joined`: a seat a fork added, with no solution of its own yet, gives its first)."""
    quoted = [quote(seat, turn) for seat, turn in others]
    return render_prompt(
        "debate_update", round=round_number, last_round=last_round, others=quoted, joined=joined
    )


@dataclass(frozen=True, slots=True)
class Response:
    """An anonymised response as a council reviewer sees it."""

    label: str
    text: str


def council_review(responses: Sequence[Response]) -> str:
    return render_prompt("council_review", responses=list(responses))


@dataclass(frozen=True, slots=True)
class Member:
    """A council member's answer as the chair sees it, with its average rank."""

    name: str
    display: str
    confidence: str
    rank: str
    explanation: str


def council_synthesis(
    members: Sequence[Member], reviews: Sequence[QuotedSeat], *, elected: bool
) -> str:
    return render_prompt(
        "council_synthesis", members=list(members), reviews=list(reviews), elected=elected
    )


def mixture_layer(
    references: Sequence[QuotedSeat], *, layer: int, layers: int, aggregate: bool
) -> str:
    """Mixture-of-Agents: the previous layer's answers as references (anonymous)."""
    return render_prompt(
        "mixture_layer",
        references=list(references),
        layer=layer,
        layers=layers,
        aggregate=aggregate,
    )


def moderated_debater(
    side: str,
    round_number: int,
    last_round: int,
    opponent: QuotedSeat | None,
    note: QuotedSeat | None,
) -> str:
    """A debater's turn in a moderated debate; rounds as people count them (from 1)."""
    return render_prompt(
        "moderated_debater",
        side=side,
        opponent_side="negative" if side == "affirmative" else "affirmative",
        round=round_number,
        last_round=last_round,
        opponent=opponent,
        note=note,
    )


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a moderated debate as the moderator reads it."""

    role: str  # "Affirmative" | "Negative"
    name: str
    display: str
    confidence: str
    explanation: str


def moderated_judge(
    round_number: int, last_round: int, sides: Sequence[Side], *, final: bool
) -> str:
    return render_prompt(
        "moderated_judge",
        round=round_number,
        last_round=last_round,
        sides=list(sides),
        final=final,
    )


# ------------------------------------------------------------------ a judge's quiet calls
def _judge_conversation(spec: DebateSpec, judge_task: str, judge: Seat | None) -> list[ChatMessage]:
    system = render_prompt("judge_system", judge=judge or Seat("judge", "the judge", ""))
    intro = "The participants were asked this question."
    return [
        ChatMessage("system", system),
        ChatMessage("user", question_only(spec, intro)),
        ChatMessage("user", judge_task),
    ]


def judge_agreement(
    spec: DebateSpec, entries: Sequence[tuple[Seat, TurnRecord]], judge: Seat | None = None
) -> list[ChatMessage]:
    """Ask a judge how far a round's free-form answers agree, and what is disputed."""
    round_number = entries[0][1].round + 1 if entries else 1
    task = render_prompt(
        "judge_agreement",
        round=round_number,
        entries=[quote(seat, turn) for seat, turn in entries],
    )
    return _judge_conversation(spec, task, judge)


def judge_conformity(  # noqa: PLR0917  (the five facts a judge weighs, and who judges)
    spec: DebateSpec,
    seat: Seat,
    before: TurnRecord,
    turn: TurnRecord,
    others: Sequence[tuple[Seat, TurnRecord]],
    judge: Seat | None = None,
) -> list[ChatMessage]:
    """Ask a judge whether `seat` was persuaded into its new answer or just conformed."""
    after = turn.answer.display if turn.answer else "none"
    task = render_prompt(
        "judge_conformity",
        round=turn.round + 1,
        seat_name=seat.name,
        before=before.answer.display if before.answer else "none",
        after=after,
        confidence=confidence_label(turn.answer.confidence if turn.answer else None),
        others=[quote(other, other_turn) for other, other_turn in others],
        text=explanation_of(turn.text),
    )
    return _judge_conversation(spec, task, judge)
