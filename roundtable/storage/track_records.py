"""Gather what the per-model track records are built from, in two queries.

A track record needs, of every stored evaluation run, only which model sat in which
seat and, of every question asked, the item and each seat's round-0 answer.
`storage.evaluations.load_eval_run` builds a whole run (every round, usage, samples);
here the runs' settings and the asked questions' items and answers are read as two
streamed queries over every run at once, and only round 0 of each question is kept.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from roundtable.domain import Answer, StorageError
from roundtable.domain.evaluation import EvalItem, EvalSettings
from roundtable.domain.events import from_jsonable
from roundtable.domain.track_record import SoloAnswer
from roundtable.storage.db import Database, storage_error
from roundtable.storage.rows import EvalQuestionRow, EvalRunRow

#: Questions decoded per fetch: the JSON of a question is a few kilobytes.
_BATCH = 500


def solo_answers(db: Database, *, models: Collection[str] | None = None) -> list[SoloAnswer]:
    """Every seat's round-0 answer to every asked question of every stored run.

    With `models`, only the answers of seats with those model ids (and only the runs
    that seated one of them are read). Questions not asked yet have no answers; a run
    stopped half-way gives the questions it finished.
    """
    wanted = set(models) if models is not None else None
    try:
        with db.session() as session, session.begin():
            seats: dict[str, tuple[str, dict[str, str], frozenset[str]]] = {}
            for run_id, task, settings_json in session.execute(
                select(EvalRunRow.id, EvalRunRow.task_name, EvalRunRow.settings_json)
            ):
                settings = _settings(run_id, settings_json)
                by_id = {
                    seat.id: seat.model
                    for seat in settings.table.seats
                    if wanted is None or seat.model in wanted
                }
                if by_id:
                    demo = frozenset(seat.id for seat in settings.table.seats if seat.is_demo)
                    seats[run_id] = (task, by_id, demo)
            if not seats:
                return []
            query = (
                select(
                    EvalQuestionRow.run_id, EvalQuestionRow.item_json, EvalQuestionRow.rounds_json
                )
                .where(EvalQuestionRow.rounds_json.is_not(None))
                .order_by(EvalQuestionRow.run_id, EvalQuestionRow.position)
                .execution_options(yield_per=_BATCH)
            )
            if wanted is not None:
                query = query.where(EvalQuestionRow.run_id.in_(seats))
            found: list[SoloAnswer] = []
            for run_id, item_json, rounds_json in session.execute(query):
                if run_id not in seats:
                    continue
                task, by_id, demo = seats[run_id]
                item = from_jsonable(EvalItem, json.loads(item_json))
                for seat_id, answer in _first_round(rounds_json or "{}"):
                    if seat_id in by_id:
                        found.append(
                            SoloAnswer(
                                run_id=run_id,
                                task=task,
                                seat_id=seat_id,
                                model=by_id[seat_id],
                                simulated=seat_id in demo,
                                item=item,
                                answer=answer,
                            )
                        )
            return found
    except SQLAlchemyError as exc:
        raise storage_error("read the evaluation runs' answers", db.location, exc) from exc


def _settings(run_id: str, settings_json: str) -> EvalSettings:
    try:
        settings = from_jsonable(EvalSettings, json.loads(settings_json))
    except ValueError as exc:
        raise StorageError(
            f"evaluation run {run_id} was stored by a newer version of Roundtable ({exc}); "
            "update Roundtable."
        ) from exc
    assert isinstance(settings, EvalSettings)
    return settings


def _first_round(rounds_json: str) -> list[tuple[str, Answer | None]]:
    """The seats' round-0 answers, in seat order, from a question's stored rounds."""
    rounds: list[Any] = json.loads(rounds_json).get("rounds") or []
    if not rounds:
        return []
    return [
        (str(seat_id), None if answer is None else from_jsonable(Answer, answer))
        for seat_id, answer in rounds[0]["seats"]
    ]
