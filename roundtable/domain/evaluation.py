"""Values of an evaluation run: the questions asked, where they came from, how each was scored.

An evaluation puts every item of a task to the table and checks the table's answer
(and each seat's) against the item's gold answer after every round. Everything here
is a pure value: the task loaders (`engine.evaluation.tasks`) build `EvalTask`s, the
scorer (`engine.evaluation.scoring`) builds `ScoredQuestion`s, and storage and the
reports only read them.

The gold answer is kept twice: `answer` as the source wrote it (for people) and `gold`
normalised exactly as a seat's `Answer.value` is, so that scoring is a comparison of
kind and value and never a second normaliser.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from roundtable.domain.errors import ConfigError
from roundtable.domain.values import Answer, AnswerKind, DebateSpec, Usage

# Defined beside the other statuses, so the storage rows need not import this module.
from roundtable.domain.values import EvalStatus as EvalStatus  # noqa: PLC0414

#: Choice letters a multiple-choice item may use: the parser reads A..J.
CHOICE_LETTERS = "ABCDEFGHIJ"


class TaskFormat(enum.StrEnum):
    """Where a task's items came from: a built-in generator or a file format."""

    ARITHMETIC = "arithmetic"  # Du et al.'s a+b*c+d-e*f, generated from a seed
    GSM8K = "gsm8k-jsonl"  # {"question", "answer": "... #### 42"} per line
    MMLU = "mmlu-csv"  # question, four choices, letter; no header
    GENERIC_JSONL = "generic-jsonl"  # {"question", "answer", "choices"?, "id"?} per line
    GENERIC_CSV = "generic-csv"  # a header naming question, answer, choices?/A..J?, id?


@dataclass(frozen=True, slots=True)
class EvalItem:
    """One question of a task and its gold answer.

    `answer` is the gold answer as its source wrote it ("1,080", "B", "Paris");
    `gold` is its normalised value and `kind` its kind, as `engine.parsing` would
    normalise the same text in a seat's reply. A multiple-choice item has `choices`
    (lettered A, B, ... in order) and a gold letter among them.
    """

    id: str
    question: str
    answer: str
    gold: str
    kind: AnswerKind
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # The loaders check all of this with line numbers first; this guards the rest.
        if not self.id:
            raise ConfigError("An evaluation item needs an id.")
        if not self.question.strip():
            raise ConfigError(f"Item {self.id} has no question.")
        if len(self.choices) > len(CHOICE_LETTERS):
            raise ConfigError(
                f"Item {self.id} has {len(self.choices)} choices; at most "
                f"{len(CHOICE_LETTERS)} (A-J) can be answered."
            )
        if self.choices and (self.kind is not AnswerKind.CHOICE or self.gold not in self.letters):
            raise ConfigError(
                f"Item {self.id}'s gold answer {self.answer!r} is not one of its choices "
                f"({', '.join(self.letters)})."
            )

    @property
    def letters(self) -> str:
        """The letters of this item's choices: "ABCD" for four, "" for none."""
        return CHOICE_LETTERS[: len(self.choices)]

    @property
    def prompt(self) -> str:
        """What the table is asked: the question, then one "A) ..." line per choice."""
        if not self.choices:
            return self.question
        lines = [
            f"{letter}) {choice}" for letter, choice in zip(self.letters, self.choices, strict=True)
        ]
        return self.question + "\n\n" + "\n".join(lines)


@dataclass(frozen=True, slots=True)
class EvalTask:
    """A named list of items, where they came from, and who will answer them.

    `source` says where the items came from in words a person can follow ("built-in
    generator, seed 7", a file path). `simulated` is True when the seats that answer
    this task are simulated (the offline demo provider): every report built on such
    a run must say so plainly, so the flag travels with the task.
    """

    name: str
    items: tuple[EvalItem, ...]
    source: str
    format: TaskFormat
    simulated: bool = False

    def __post_init__(self) -> None:
        if not self.items:
            raise ConfigError(f"Task {self.name!r} ({self.source}) has no questions.")
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ConfigError(f"Task {self.name!r} has two questions with id {item.id!r}.")
            seen.add(item.id)

    def first(self, limit: int | None) -> EvalTask:
        """The same task cut to its first `limit` items (all of them for None)."""
        if limit is None or limit >= len(self.items):
            return self
        if limit < 1:
            raise ConfigError(f"The question limit must be at least 1, not {limit}.")
        return EvalTask(self.name, self.items[:limit], self.source, self.format, self.simulated)

    def item(self, item_id: str) -> EvalItem:
        for candidate in self.items:
            if candidate.id == item_id:
                return candidate
        raise KeyError(item_id)

    @property
    def fingerprint(self) -> str:
        """A short hash of the questions and gold answers, not of the name or the source:
        a resumed run can check that it is asking the very same questions."""
        digest = hashlib.sha256()
        for item in self.items:
            for part in (item.id, item.question, item.gold, item.kind.value, *item.choices):
                digest.update(part.encode())
                digest.update(b"\x1f")  # a separator no field contains, so fields cannot merge
            digest.update(b"\x1e")
        return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ScoredAnswer:
    """An answer (None: none could be read, or the turn failed) and whether it was right."""

    answer: Answer | None
    correct: bool

    def __post_init__(self) -> None:
        if self.answer is None and self.correct:
            raise ValueError("A missing answer cannot be correct.")

    @property
    def confidence(self) -> float | None:
        return self.answer.confidence if self.answer is not None else None


@dataclass(frozen=True, slots=True)
class ScoredRound:
    """One round of one question: the table's answer, the seats' plain majority, each seat.

    `number` counts from 0 as the engine does. `table` is the answer the protocol
    would give if the debate ended here; `majority` is one seat one vote over the
    seats' answers of this round (round 0's is the "majority without debate" baseline).
    `seats` pairs seat ids with their answers, in seat order. `usage` is what the round
    spent (its calls' tokens and cost; `latency_s` is the round's wall time).
    """

    number: int
    table: ScoredAnswer
    majority: ScoredAnswer
    seats: tuple[tuple[str, ScoredAnswer], ...]
    usage: Usage = field(default_factory=Usage)

    def seat(self, seat_id: str) -> ScoredAnswer | None:
        """The seat's answer in this round; None when it did not sit in it."""
        for candidate, scored in self.seats:
            if candidate == seat_id:
                return scored
        return None

    @property
    def agreement(self) -> float:
        """The share of the seats of this round that gave the majority's answer."""
        leader = self.majority.answer
        if leader is None or not self.seats:
            return 0.0
        same = sum(
            1
            for _, scored in self.seats
            if scored.answer is not None
            and (scored.answer.kind, scored.answer.value) == (leader.kind, leader.value)
        )
        return same / len(self.seats)


@dataclass(frozen=True, slots=True)
class ScoredQuestion:
    """How the table and its seats did on one item, round by round.

    `usage` is the whole debate's (tokens, cost, time); its cost is None when any
    price was unknown. `debate_id` links to the stored debate ("" before it is stored).
    """

    item_id: str
    rounds: tuple[ScoredRound, ...]
    usage: Usage = field(default_factory=lambda: Usage(cost_usd=None))
    debate_id: str = ""

    def __post_init__(self) -> None:
        if not self.rounds:
            raise ValueError(f"Question {self.item_id} has no scored round.")
        numbers = [scored.number for scored in self.rounds]
        if numbers != list(range(len(numbers))):
            raise ValueError(f"Question {self.item_id}'s rounds are not 0, 1, 2...: {numbers}")

    @property
    def initial(self) -> ScoredRound:
        """Round 0: every seat alone, before any discussion."""
        return self.rounds[0]

    @property
    def final(self) -> ScoredRound:
        return self.rounds[-1]

    @property
    def correct(self) -> bool:
        """Whether the table's final answer was right."""
        return self.final.table.correct

    def round(self, number: int) -> ScoredRound:
        """Round `number`, or the last one when the debate stopped earlier (a table that
        agreed in round 1 keeps its answer in every later round)."""
        return self.rounds[min(number, len(self.rounds) - 1)]


# ---------------------------------------------------------------- a stored run
class Baseline(enum.StrEnum):
    """What the table is compared with, on the same questions."""

    SEATS = "seats"  # each seat alone: its round-0 answer (already paid for)
    MAJORITY = "majority"  # one seat one vote over round 0: debate without the debate
    SELF_CONSISTENCY = "self-consistency"  # the best seat sampled k times, majority of k


ALL_BASELINES = (Baseline.SEATS, Baseline.MAJORITY, Baseline.SELF_CONSISTENCY)


@dataclass(frozen=True, slots=True)
class RoundAnswers:
    """What one round produced: the table's answer after it and each seat's, in seat order,
    what the round spent (`latency_s`: its wall time) and what each seat's turn spent
    (what "that seat alone" would have cost in round 0)."""

    table: Answer | None
    seats: tuple[tuple[str, Answer | None], ...]
    usage: Usage = field(default_factory=Usage)
    seat_usage: dict[str, Usage] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Samples:
    """The self-consistency baseline's extra answers to one question, and what they cost.

    The best seat's round-0 answer is its first sample; these are the other k - 1.
    """

    answers: tuple[Answer | None, ...]
    usage: Usage = field(default_factory=Usage)


@dataclass(frozen=True, slots=True)
class EvalSettings:
    """What an evaluation run asks of whom: enough to run it again, or to finish it.

    `table` is the debate every question gets (its question left empty); `key` names
    the run's questions, table and baselines, so the same command finds its unfinished
    run and resumes it instead of starting over.
    """

    task_name: str
    task_source: str
    task_format: TaskFormat
    fingerprint: str
    table: DebateSpec
    baselines: tuple[Baseline, ...] = ALL_BASELINES
    simulated: bool = False

    @property
    def key(self) -> str:
        digest = hashlib.sha256()
        seats = [(seat.id, seat.model, seat.api_base, seat.persona) for seat in self.table.seats]
        for part in (
            self.fingerprint,
            repr(seats),
            self.table.protocol,
            str(self.table.max_rounds),
            str(self.table.seed),
            str(self.table.consensus.threshold),
            ",".join(self.baselines),
        ):
            digest.update(part.encode())
            digest.update(b"\x1f")
        return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    """One question of a stored run: asked or not yet, its debate, its answers by round.

    `correct` is whether the table's final answer was right, kept beside the answers so
    lists and exports need no scoring; None until the question is done.
    """

    position: int
    item: EvalItem
    debate_id: str = ""
    rounds: tuple[RoundAnswers, ...] = ()
    usage: Usage = field(default_factory=lambda: Usage(cost_usd=None))
    correct: bool | None = None
    samples: Samples | None = None

    @property
    def done(self) -> bool:
        return bool(self.rounds)


@dataclass(frozen=True, slots=True)
class EvalRunRecord:
    """A stored evaluation run: its settings, where it got to, every question."""

    id: str
    created_at: datetime
    settings: EvalSettings
    status: EvalStatus
    questions: tuple[StoredQuestion, ...]
    status_detail: str = ""
    finished_at: datetime | None = None
    budget_usd: float | None = None
    #: The self-consistency baseline's seat and sample count, fixed once chosen.
    sample_seat: str | None = None
    sample_count: int | None = None
    #: Seconds spent running (over all sittings of a resumed run).
    wall_s: float = 0.0

    @property
    def done(self) -> tuple[StoredQuestion, ...]:
        return tuple(question for question in self.questions if question.done)


@dataclass(frozen=True, slots=True)
class EvalRunSummary:
    """One line of the list of runs."""

    id: str
    created_at: datetime
    task_name: str
    status: EvalStatus
    asked: int
    total: int
    correct: int
    cost_usd: float | None
    seats: tuple[str, ...]
    protocol: str
    simulated: bool

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.asked if self.asked else None
