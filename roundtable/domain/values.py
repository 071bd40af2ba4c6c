"""Frozen value types: who sits at the table, what they were asked, what they said."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from roundtable.domain.concurrency import ServerLimit

#: Protocols the engine knows, in the order a menu shows them. The engine owns
#: their behaviour; the name is part of the stored spec, so it lives here.
PROTOCOLS: tuple[str, ...] = ("roundtable", "debate", "council", "mixture", "moderated", "vote")

#: The model id of a seat taken by a person: the engine asks them for their turn
#: (the CLI on the terminal, the GUI in an input box) and no provider is called.
HUMAN_MODEL = "human"


class AnswerKind(enum.StrEnum):
    """How a parsed answer's value was normalised, which decides how it is compared."""

    NUMBER = "number"  # value is a canonical decimal string: "23", "-0.5", "1000000"
    CHOICE = "choice"  # value is an upper-case letter: "A" .. "J"
    YESNO = "yesno"  # value is "yes" or "no"
    TEXT = "text"  # value is case- and punctuation-folded short text


class TurnStatus(enum.StrEnum):
    PENDING = "pending"
    STREAMING = "streaming"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


class DebateStatus(enum.StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class EvalStatus(enum.StrEnum):
    """Where an evaluation run got to (`roundtable.domain.evaluation`)."""

    RUNNING = "running"
    FINISHED = "finished"
    #: Stopped before the end (Ctrl+C, a crash, a full disk): run it again to finish.
    INTERRUPTED = "interrupted"
    #: The next question would have crossed the budget: run again with a higher one.
    OVER_BUDGET = "over-budget"


@dataclass(frozen=True, slots=True)
class Seat:
    """One participant at the table.

    `model` is a litellm model id (`openai/gpt-4o`, `ollama/llama3.1`, `demo/ada`).
    `api_key_env` names the environment variable holding the key; the key itself is
    never part of a Seat, so it can never reach the database or an export.
    `price_in_per_mtok` / `price_out_per_mtok` are the user's own price in USD per
    million prompt / completion tokens (a local, proxied or custom model); set
    together, they decide the seat's cost (`roundtable.providers.prices`).
    """

    id: str
    name: str
    model: str
    api_base: str | None = None
    api_key_env: str | None = None
    persona: str = ""
    temperature: float | None = None
    max_tokens: int | None = None
    price_in_per_mtok: float | None = None
    price_out_per_mtok: float | None = None

    @property
    def provider(self) -> str:
        """The litellm provider prefix ("openai", "demo"), or "" when the id has none."""
        head, sep, _ = self.model.partition("/")
        return head if sep else ""

    @property
    def is_demo(self) -> bool:
        return self.provider == "demo"

    @property
    def is_human(self) -> bool:
        """A person sits here (model "human"): no model id, no key, no provider call."""
        return self.model == HUMAN_MODEL


@dataclass(frozen=True, slots=True)
class ConsensusRule:
    """When a table counts as agreed.

    `threshold` is the share of standing seats that must give the same normalised
    answer (1.0 = unanimous, as in ReConcile's stopping rule).
    """

    threshold: float = 1.0


@dataclass(frozen=True, slots=True)
class SeatTrackRecord:
    """A seat's measured record on one kind of question: `correct` of `answers` right.

    `scope` is what "similar questions" means for it: an evaluation task's name
    ("arithmetic"), or an answer kind ("number", "choice", "yesno", "text") over every
    task. Built from stored evaluation runs by `engine.evaluation.track_record`.
    """

    seat_id: str
    scope: str
    correct: int
    answers: int


@dataclass(frozen=True, slots=True)
class RecordWeights:
    """Opt-in: the final vote weighs each seat by its measured record, not its confidence.

    Resolved by the caller (the CLI, the engine host) from stored evaluation runs before
    the debate starts, so the engine never reads the database and the stored spec shows
    the very weights the outcome used. `scope` is the task the question comes from (its
    records are used); None: the records for the kind of answer the seats gave.
    """

    records: tuple[SeatTrackRecord, ...]
    scope: str | None = None


@dataclass(frozen=True, slots=True)
class Exchange:
    """An earlier question put to the same table and the answer it reached.

    A follow-up carries its thread's exchanges as context, so every seat reads them
    before the new question.
    """

    question: str
    answer: str | None
    consensus: bool = False
    debate_id: str = ""


@dataclass(frozen=True, slots=True)
class DebateSpec:
    """Everything needed to (re)run a debate. Validated by `engine.validate_spec`."""

    question: str
    seats: tuple[Seat, ...]
    protocol: str = "roundtable"
    #: Total rounds including round 0 (ReConcile: 1 independent + 2 discussion rounds).
    max_rounds: int = 3
    consensus: ConsensusRule = field(default_factory=ConsensusRule)
    #: Seed for anything random in the engine or the demo provider (reproducible runs).
    seed: int | None = None
    title: str = ""
    #: Seconds a seat may stay silent, before its first token or between two chunks,
    #: before the attempt counts as timed out; None: the gateway's default.
    turn_timeout_s: float | None = None
    #: The longest one turn may take in all, however steadily the seat keeps talking
    #: (a server dripping a word a second never stays silent); then the text so far is
    #: kept, marked incomplete. None: the gateway's default (10 minutes).
    turn_deadline_s: float | None = None
    #: The seat (id or name) that writes the synthesis (council, mixture) or judges
    #: (moderated); "elected" lets the council's peer ranking choose; None: the protocol's
    #: default (the first seat; the third for moderated).
    chair: str | None = None
    #: The seat (id or name) that judges agreement on free-form answers and whether a seat
    #: that changed its answer was persuaded or just conformed; None: the chair, else
    #: the first standing seat.
    judge: str | None = None

    #: A follow-up's thread so far (oldest first), shown to every seat before the question.
    context: tuple[Exchange, ...] = ()
    #: Ids of seats that sat in the rounds a fork copied but sit out from then on.
    sitting_out: tuple[str, ...] = ()
    #: The most this debate may cost in USD; the engine stops before a round whose
    #: estimated cost would cross it (`roundtable.engine.budget`). None: no limit.
    budget_usd: float | None = None
    #: Opt-in: decide a table that did not agree by each seat's track record instead of
    #: the protocol's own rule (vote-deciding protocols only). None: the protocol's rule.
    record_weights: RecordWeights | None = None
    #: How many requests each server may have in flight, where the user said so
    #: (`domain.concurrency`); the rest keep their defaults (one for a local server).
    server_limits: tuple[ServerLimit, ...] = ()

    @property
    def active_seats(self) -> tuple[Seat, ...]:
        """The seats that take part in the rounds still to come (not sitting out)."""
        return tuple(seat for seat in self.seats if seat.id not in self.sitting_out)

    def seat(self, seat_id: str) -> Seat:
        for seat in self.seats:
            if seat.id == seat_id:
                return seat
        raise KeyError(seat_id)


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer parsed out of a model's text.

    `raw` is the exact span the parser read, so a wrong parse is visible and the
    turn's full text can be parsed again. `value` is normalised for comparison;
    `display` is what a person should see ("23", "B", "yes", "Paris").
    """

    raw: str
    value: str
    display: str
    kind: AnswerKind
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Usage:
    """What a call (or a sum of calls) cost.

    `cost_usd` is None when the price is unknown (a model missing from litellm's
    price map): unknown is not free. Latencies are seconds.
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    latency_s: float = 0.0
    first_token_s: float | None = None

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        cost = (
            None
            if self.cost_usd is None or other.cost_usd is None
            else self.cost_usd + other.cost_usd
        )
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=cost,
            latency_s=self.latency_s + other.latency_s,
            first_token_s=None,
        )
