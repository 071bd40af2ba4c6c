"""Training data from stored debates: fine-tuning chats and DPO preference pairs.

The knowledge-fusion idea, through data: a table of models that argued its way to an
answer leaves behind (a) a question with a well-explained answer, and (b) the
first answers it talked its members out of. The first is supervised fine-tuning
data, the second preference data.

    export = export_training(record, "finetune")   # or "preference"
    for line in export.lines: out.write(jsonl_line(line))
    export.skipped                                  # None, or why nothing came out

Formats (one JSON object per line):

- ``finetune``: OpenAI's chat fine-tuning shape,
  ``{"messages": [{"role": "system", ...}?, {"role": "user", "content": question},
  {"role": "assistant", "content": target}]}``.
- ``preference``: TRL's conversational preference shape (what `DPOTrainer` reads),
  ``{"prompt": [messages…, {"role": "user", "content": question}],
  "chosen": [{"role": "assistant", "content": target}],
  "rejected": [{"role": "assistant", "content": overturned answer}]}``. The
  conversational form rather than bare strings, so the trainer applies the model's
  own chat template and a follow-up keeps its thread; one pair per overturned seat.

Which debates qualify: a finished debate that reached consensus; or, when an
evaluation scored it (`scored_correct` is not None), one whose final answer the
run scored correct (ground truth beats agreement, so consensus is then not needed).
Anything else is skipped with a `SkipReason` the command reports.

Follow-ups: a follow-up's thread (`DebateSpec.context`, what every seat read before
the question) comes first, as earlier user and assistant turns, so "and what about
the other one?" keeps its meaning. The assistant's earlier turns carry only the
table's final answer (that is all the seats were shown); in the fine-tuning chat
they have ``"weight": 0`` (OpenAI's per-message switch), so only the last answer is
trained on.

Secrets: every text is passed through the providers' `scrub` (key-like strings and
the given key values become "[redacted]"). A question or a model's reply may quote an
API key someone pasted, and training data leaves the machine and is memorised by the
model trained on it. The cost: a long run of letters and digits (a hash, say) is
redacted too.

Pure: no Qt, no terminal, no database; the caller loads the records.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from roundtable.domain import Answer, AnswerKind, DebateStatus, Exchange, TurnStatus
from roundtable.engine.parsing import strip_answer_lines
from roundtable.providers import scrub
from roundtable.storage.records import DebateRecord, TurnRecord

TrainingFormat = Literal["finetune", "preference"]
#: The training formats `roundtable export --format` writes, besides the readable ones.
TRAINING_FORMATS: tuple[TrainingFormat, ...] = ("finetune", "preference")

#: An assistant turn of the thread before the question: context, not a target.
CONTEXT_WEIGHT = 0
#: What an earlier exchange of a follow-up's thread shows when its table had no answer.
NO_EARLIER_ANSWER = "The table gave no answer."


class SkipReason(enum.StrEnum):
    """Why a debate gave no line, worded to follow "N debates skipped: …"."""

    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"
    RUNNING = "still running"
    NO_CONSENSUS = "no consensus"
    NOT_CORRECT = "not scored correct"
    #: Finished with an answer no complete final-round turn gave (a median, a cut reply).
    NO_EXPLANATION = "no complete turn gave the final answer"
    #: Preference only: every seat's first answer was already the table's.
    NONE_OVERTURNED = "no first answer overturned"
    #: An evaluation run names a debate that has since been deleted.
    MISSING = "no longer stored"


_STATUS_REASONS = {
    DebateStatus.FAILED: SkipReason.FAILED,
    DebateStatus.CANCELLED: SkipReason.CANCELLED,
    DebateStatus.INTERRUPTED: SkipReason.INTERRUPTED,
    DebateStatus.RUNNING: SkipReason.RUNNING,
}


@dataclass(frozen=True, slots=True)
class TrainingExport:
    """What one debate gives: its lines (JSON-ready dicts), or why it gave none."""

    debate_id: str
    lines: tuple[dict[str, Any], ...] = ()
    skipped: SkipReason | None = None


@dataclass(frozen=True, slots=True)
class TableAnswer:
    """The table's final answer and the final-round turn that explains it best."""

    display: str
    kind: AnswerKind
    value: str
    turn: TurnRecord

    @property
    def target(self) -> str:
        """The assistant text a model is trained to write: reasoning, then the answer."""
        return reply_text(self.turn, self.display)


def export_training(
    record: DebateRecord,
    fmt: TrainingFormat,
    *,
    system: str | None = None,
    secrets: Sequence[str] = (),
    scored_correct: bool | None = None,
) -> TrainingExport:
    """The debate's lines in `fmt`, or the reason it has none.

    `scored_correct` is an evaluation run's verdict on the debate (None: not scored,
    so consensus decides); `secrets` are key values to redact besides key-like text.
    """
    reason = disqualification(record, scored_correct=scored_correct)
    answer = table_answer(record) if reason is None else None
    if answer is None:
        return TrainingExport(record.id, skipped=reason or SkipReason.NO_EXPLANATION)

    def clean(text: str) -> str:
        return scrub(text, secrets)

    prompt = [*_system(system, clean), *_thread(record.spec.context, clean)]
    question = {"role": "user", "content": clean(record.spec.question)}
    target = {"role": "assistant", "content": clean(answer.target)}
    if fmt == "finetune":
        messages = [*prompt, question, target]
        return TrainingExport(record.id, lines=({"messages": messages},))
    prompt = [_without_weight(message) for message in prompt]
    pairs = tuple(
        {
            "prompt": [*prompt, question],
            "chosen": [target],
            "rejected": [{"role": "assistant", "content": clean(rejected)}],
        }
        for rejected in overturned_answers(record, answer)
    )
    if not pairs:
        return TrainingExport(record.id, skipped=SkipReason.NONE_OVERTURNED)
    return TrainingExport(record.id, lines=pairs)


def disqualification(record: DebateRecord, *, scored_correct: bool | None) -> SkipReason | None:
    """Why the debate cannot teach anything, or None when it can."""
    summary = record.summary
    if summary.status is not DebateStatus.FINISHED:
        return _STATUS_REASONS.get(summary.status, SkipReason.FAILED)
    if scored_correct is not None:
        return None if scored_correct else SkipReason.NOT_CORRECT
    if not summary.consensus or summary.final_answer is None:
        return SkipReason.NO_CONSENSUS
    return None


def table_answer(record: DebateRecord) -> TableAnswer | None:
    """The table's final answer with its best explanation; None when no complete
    final-round turn gave that answer.

    The explanation is that of the final-round turn which gave the final answer with
    the highest stated confidence (a turn with reasoning before one without; ties go
    to the earlier seat, so the same debate always gives the same line). Why the most
    confident: the final round is the one in which every seat had read every
    argument; the seat most sure of the agreed answer is the one whose reasoning
    convinced it, usually the fullest and most committed case for it. ReConcile
    weighs the vote the same way. Cut replies (`incomplete`) never serve as targets.
    """
    final_answer = record.summary.final_answer
    rounds = record.round_numbers()
    if final_answer is None or not rounds:
        return None
    turns = [turn for turn in record.turns_in(rounds[-1]) if _complete(turn)]
    # The final answer is stored in display form: the turn that gave it names its value.
    given = next((t.answer for t in turns if t.answer and t.answer.display == final_answer), None)
    if given is None:
        return None
    same = [t for t in turns if t.answer and (t.answer.kind, t.answer.value) == _key(given)]

    def rank(turn: TurnRecord) -> tuple[bool, float]:
        confidence = turn.answer.confidence if turn.answer else None
        return bool(strip_answer_lines(turn.text)), -1.0 if confidence is None else confidence

    best = max(same, key=rank)  # max keeps the first of equals: the earlier seat
    return TableAnswer(final_answer, given.kind, given.value, best)


def overturned_answers(record: DebateRecord, answer: TableAnswer) -> list[str]:
    """Each seat's first (round 0) answer that differs from the table's, as the seat
    wrote it (reasoning, then its answer line), in seat order.

    Seats whose first turn failed, was cut short or had no readable answer give
    none: a reply that is only worse for being broken would teach the wrong lesson.
    """
    return [
        reply_text(turn, turn.answer.display)
        for turn in record.turns_in(0)
        if _complete(turn)
        and turn.answer is not None
        and _key(turn.answer) != (answer.kind, answer.value)
    ]


def reply_text(turn: TurnRecord, display: str) -> str:
    """A turn as a training text: its reasoning and one "Final answer:" line.

    The seat's own answer and confidence lines are replaced, so a chosen and a
    rejected text differ in what they argue, not in how they are laid out, and no
    model learns to copy a stated confidence.
    """
    reasoning = strip_answer_lines(turn.text)
    answer_line = f"Final answer: {display}"
    return f"{reasoning}\n\n{answer_line}" if reasoning else answer_line


# C1 controls and DEL (a terminal may obey them) and the characters that
# `str.splitlines` treats as line ends besides "\n" (U+0085, U+2028, U+2029).
_UNSAFE_IN_A_LINE = re.compile("[\x7f-\x9f\u2028\u2029]")


def jsonl_line(value: dict[str, Any]) -> str:
    """`value` as one line of JSON Lines, ending in "\\n".

    UTF-8 text is kept readable; the few characters that could break a line apart in
    a reader that splits on Unicode line ends, or be obeyed by a terminal, are written
    as JSON escapes, which decode to the very same text.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return _UNSAFE_IN_A_LINE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


# ---------------------------------------------------------------- internals
def _complete(turn: TurnRecord) -> bool:
    return turn.status is TurnStatus.DONE and not turn.incomplete and turn.answer is not None


def _key(answer: Answer) -> tuple[AnswerKind, str]:
    """What makes two answers the same answer: their normalised value, of one kind."""
    return (answer.kind, answer.value)


def _system(system: str | None, clean: Callable[[str], str]) -> list[dict[str, Any]]:
    if system is None or not system.strip():
        return []
    return [{"role": "system", "content": clean(system.strip())}]


def _thread(context: Sequence[Exchange], clean: Callable[[str], str]) -> list[dict[str, Any]]:
    """A follow-up's earlier exchanges as user and (untrained) assistant turns."""
    messages: list[dict[str, Any]] = []
    for exchange in context:
        said = f"Final answer: {exchange.answer}" if exchange.answer else NO_EARLIER_ANSWER
        messages.append({"role": "user", "content": clean(exchange.question)})
        messages.append({"role": "assistant", "content": clean(said), "weight": CONTEXT_WEIGHT})
    return messages


def _without_weight(message: dict[str, Any]) -> dict[str, Any]:
    """A message for a preference prompt: the weight switch means nothing there."""
    return {key: value for key, value in message.items() if key != "weight"}
