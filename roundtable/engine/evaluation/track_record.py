"""Per-model track records: how often a model alone was right, and how honest its confidence.

Every stored evaluation run adds to the record of each model it seated. A model is
judged by its round-0 answers only (the model alone, before any debate could sway
it), per task ("81 % on arithmetic (n=200)") and per kind of answer over every task
(number, choice, yes/no, text: what "similar questions" means for a question that
comes from no task). Each record has:

- its accuracy with a Wilson 95 % interval; an answer that could not be read, or a
  turn that failed, is wrong, as it would be for the model on its own;
- the calibration of its stated confidence (Brier score, expected calibration error)
  over the answers that stated one, and a plain label for it:
  - "well calibrated": ECE < 0.1;
  - "overconfident": the mean stated confidence exceeds the accuracy by 0.1 or more;
  - "underconfident": the accuracy exceeds the mean confidence by 0.1 or more;
  - "unevenly calibrated": ECE >= 0.1 but the two gaps cancel out on average (too sure
    in some bins, too unsure in others);
  - "too few to judge calibration" under ten answers with a confidence, and
    "no confidence stated" when none stated one.
  ECE is never below the average gap, so "well calibrated" and the other two never
  both apply.

`n` counts answers, not questions: a model seated twice at one table answered each
question twice. The offline demo provider's models have records too, marked simulated.
Pure: storage gathers the answers (`storage.track_records.solo_answers`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from roundtable.domain import Seat
from roundtable.domain.track_record import SoloAnswer
from roundtable.domain.values import RecordWeights, SeatTrackRecord
from roundtable.engine.evaluation.scoring import is_correct
from roundtable.engine.evaluation.stats import Calibration, Proportion, calibration, wilson_interval
from roundtable.engine.voting import KIND_WORDS

#: Below this expected calibration error a model's confidence is "well calibrated".
WELL_CALIBRATED_ECE = 0.1
#: A mean confidence this far above (below) the accuracy is over- (under-)confidence.
CONFIDENCE_GAP = 0.1
#: Fewer answers with a stated confidence than this are too few to label.
MIN_ANSWERS_TO_JUDGE = 10
#: Float slack on the thresholds: 0.9 - 0.8 is 0.0999…, and is a gap of 0.1.
_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class ScopeRecord:
    """A model's record on one scope: a task's name, or an answer kind over every task."""

    model: str
    scope: str
    accuracy: Proportion
    calibration: Calibration | None
    simulated: bool
    runs: int
    #: True when `scope` is an answer kind ("number") over every task, not a task's name.
    by_kind: bool = False

    @property
    def answers(self) -> int:
        return self.accuracy.trials

    @property
    def mean_confidence(self) -> float | None:
        """The mean stated confidence, over the answers that stated one."""
        judged = self.calibration
        if judged is None:
            return None
        return sum(b.count * b.mean_confidence for b in judged.bins) / judged.answers

    @property
    def calibration_label(self) -> str:
        return calibration_label(self.calibration)

    @property
    def scope_label(self) -> str:
        """ "arithmetic"; for an answer kind, "number answers" """
        return KIND_WORDS.get(self.scope, self.scope) if self.by_kind else self.scope

    def describe(self) -> str:
        """ "81 % on arithmetic (n=200) · well calibrated" """
        share = self.accuracy.estimate
        shown = "—" if share is None else f"{100 * share:.0f} %"
        return f"{shown} on {self.scope_label} (n={self.answers}) · {self.calibration_label}"


@dataclass(frozen=True, slots=True)
class ModelRecord:
    """Everything measured of one model: per task, and per answer kind over every task.

    Both are ordered with the most answers first.
    """

    model: str
    simulated: bool
    tasks: tuple[ScopeRecord, ...]
    kinds: tuple[ScopeRecord, ...]

    @property
    def headline(self) -> ScopeRecord:
        """The task with the most answers: the record a one-line summary shows."""
        return self.tasks[0]

    def task(self, name: str) -> ScopeRecord | None:
        return next((record for record in self.tasks if record.scope == name), None)

    def summary(self) -> str:
        """ "81 % on arithmetic (n=200) · well calibrated (+1 task) · simulated" """
        text = self.headline.describe()
        if len(self.tasks) > 1:
            more = len(self.tasks) - 1
            text += f" (+{more} task{'s' if more != 1 else ''})"
        if self.simulated:
            text += " · simulated"
        return text

    def line(self) -> str:
        """ "gpt-4o · 81 % on arithmetic (n=200) · well calibrated" """
        return f"{self.model} · {self.summary()}"


def calibration_label(judged: Calibration | None) -> str:
    """The plain words for a calibration (the thresholds are in the module docstring)."""
    if judged is None or judged.answers == 0:
        return "no confidence stated"
    if judged.answers < MIN_ANSWERS_TO_JUDGE:
        return "too few to judge calibration"
    if judged.ece < WELL_CALIBRATED_ECE - _SLACK:
        return "well calibrated"
    confidence = sum(b.count * b.mean_confidence for b in judged.bins) / judged.answers
    accuracy = sum(b.count * b.accuracy for b in judged.bins) / judged.answers
    if confidence - accuracy >= CONFIDENCE_GAP - _SLACK:
        return "overconfident"
    if accuracy - confidence >= CONFIDENCE_GAP - _SLACK:
        return "underconfident"
    return "unevenly calibrated"


def track_records(answers: Iterable[SoloAnswer]) -> dict[str, ModelRecord]:
    """Every model's record from its round-0 answers, keyed by model id, sorted by id."""
    by_task: dict[tuple[str, str], list[SoloAnswer]] = defaultdict(list)
    by_kind: dict[tuple[str, str], list[SoloAnswer]] = defaultdict(list)
    for answer in answers:
        by_task[answer.model, answer.task].append(answer)
        by_kind[answer.model, answer.item.kind.value].append(answer)
    tasks = _scopes(by_task, by_kind=False)
    kinds = _scopes(by_kind, by_kind=True)
    return {
        model: ModelRecord(
            model=model,
            simulated=any(record.simulated for record in tasks[model]),
            tasks=tasks[model],
            kinds=kinds[model],
        )
        for model in sorted(tasks)
    }


def record_weights(
    seats: Sequence[Seat], records: Mapping[str, ModelRecord], *, task: str | None = None
) -> RecordWeights:
    """The records the record-weighted vote needs for these seats, resolved before a debate.

    With `task` (the question comes from that evaluation task) each seat brings its
    model's record on that task; without, its records per answer kind over every task,
    and the vote uses the kind of answer the seats gave. A seat whose model has no
    record brings none (the vote gives it the weight of no evidence).
    """
    found: list[SeatTrackRecord] = []
    for seat in seats:
        record = records.get(seat.model)
        if record is None:
            continue
        scopes = [one for one in record.tasks if one.scope == task] if task else record.kinds
        found.extend(
            SeatTrackRecord(seat.id, one.scope, one.accuracy.successes, one.answers)
            for one in scopes
        )
    return RecordWeights(records=tuple(found), scope=task)


def record_to_dict(record: ModelRecord) -> dict[str, Any]:
    """A model's record as plain JSON data (`roundtable models --json`)."""
    return {
        "model": record.model,
        "simulated": record.simulated,
        "line": record.line(),
        "tasks": [_scope_to_dict(one) for one in record.tasks],
        "answer_kinds": [_scope_to_dict(one) for one in record.kinds],
    }


def _scope_to_dict(record: ScopeRecord) -> dict[str, Any]:
    judged = record.calibration
    return {
        "scope": record.scope,
        "answers": record.answers,
        "correct": record.accuracy.successes,
        "accuracy": record.accuracy.estimate,
        "interval_95": [record.accuracy.low, record.accuracy.high],
        "confidence_stated": judged.answers if judged else 0,
        "mean_confidence": record.mean_confidence,
        "brier": judged.brier if judged else None,
        "ece": judged.ece if judged else None,
        "calibration": record.calibration_label,
        "runs": record.runs,
        "simulated": record.simulated,
    }


def _scopes(
    grouped: Mapping[tuple[str, str], Sequence[SoloAnswer]], *, by_kind: bool
) -> dict[str, tuple[ScopeRecord, ...]]:
    by_model: dict[str, list[ScopeRecord]] = defaultdict(list)
    for (model, scope), answers in grouped.items():
        outcomes = [(answer, is_correct(answer.item, answer.answer)) for answer in answers]
        by_model[model].append(
            ScopeRecord(
                model=model,
                scope=scope,
                accuracy=wilson_interval(sum(right for _, right in outcomes), len(outcomes)),
                calibration=calibration(
                    (answer.answer.confidence, right)
                    for answer, right in outcomes
                    if answer.answer is not None
                ),
                simulated=any(answer.simulated for answer in answers),
                runs=len({answer.run_id for answer in answers}),
                by_kind=by_kind,
            )
        )
    return {
        model: tuple(sorted(records, key=lambda one: (-one.answers, one.scope)))
        for model, records in by_model.items()
    }
