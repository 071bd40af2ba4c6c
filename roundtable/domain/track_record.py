"""What a model's track record is built from: its answers alone to evaluation questions.

A track record judges a model by its round-0 answers only: the model alone, before
any debate could sway it, as it would answer without the table. Storage gathers these
from every stored evaluation run (`storage.track_records`); the engine scores and sums
them (`engine.evaluation.track_record`).
"""

from __future__ import annotations

from dataclasses import dataclass

from roundtable.domain.evaluation import EvalItem
from roundtable.domain.values import Answer


@dataclass(frozen=True, slots=True)
class SoloAnswer:
    """One seat's round-0 answer to one question of a stored evaluation run.

    `answer` is None when the seat sat in round 0 but gave no readable answer (or its
    turn failed): the model alone answered nothing, so it counts as wrong. `simulated`
    is True for the offline demo provider's models.
    """

    run_id: str
    task: str
    seat_id: str
    model: str
    simulated: bool
    item: EvalItem
    answer: Answer | None
