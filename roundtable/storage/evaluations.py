"""Evaluation runs in the store: created once, a question at a time, resumable.

A run's questions are written as they finish, each in its own transaction, so a run
stopped any way at all (Ctrl+C, a crash, SIGKILL, a full disk) keeps every question
it finished and asks only the rest when it is run again. A run still marked running
whose process is gone from this machine reads as interrupted.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, func, select
from sqlalchemy.orm import Session

from roundtable.domain import Answer, ConfigError, StorageError, Usage
from roundtable.domain.evaluation import (
    EvalItem,
    EvalRunRecord,
    EvalRunSummary,
    EvalSettings,
    EvalStatus,
    RoundAnswers,
    Samples,
    StoredQuestion,
)
from roundtable.domain.events import from_jsonable, to_jsonable
from roundtable.storage.db import Database
from roundtable.storage.queries import process_alive
from roundtable.storage.rows import EvalQuestionRow, EvalRunRow


def create_run(
    db: Database,
    run_id: str,
    settings: EvalSettings,
    items: Sequence[EvalItem],
    *,
    budget_usd: float | None = None,
) -> None:
    """Store a new run and its questions, none asked yet, owned by this process."""
    with db.transaction("store the evaluation run", write=True) as session:
        session.add(
            EvalRunRow(
                id=run_id,
                run_key=settings.key,
                task_name=settings.task_name,
                settings_json=json.dumps(to_jsonable(settings), ensure_ascii=False),
                status=EvalStatus.RUNNING,
                status_detail="",
                budget_usd=budget_usd,
                wall_s=0.0,
                created_at=datetime.now(UTC),
                owner_pid=os.getpid(),
                owner_host=socket.gethostname(),
            )
        )
        session.flush()
        for position, item in enumerate(items):
            session.add(
                EvalQuestionRow(
                    run_id=run_id,
                    position=position,
                    item_id=item.id,
                    item_json=json.dumps(to_jsonable(item), ensure_ascii=False),
                    tokens=0,
                    cost_usd=None,
                )
            )


def unfinished_run(db: Database, key: str) -> str | None:
    """The newest run with these settings that did not finish, if any."""
    with db.transaction("look for an unfinished evaluation run") as session:
        return session.scalar(
            select(EvalRunRow.id)
            .where(EvalRunRow.run_key == key, EvalRunRow.status != EvalStatus.FINISHED)
            .order_by(EvalRunRow.created_at.desc())
            .limit(1)
        )


def claim_run(db: Database, run_id: str, *, budget_usd: float | None) -> None:
    """Mark a run as running again in this process, with this sitting's budget.

    ConfigError when another live process on this machine is running it now.
    """
    with db.transaction("resume the evaluation run", write=True) as session:
        row = _existing(session, run_id)
        if row.status is EvalStatus.RUNNING and _owned_elsewhere(row):
            raise ConfigError(
                f"Evaluation run {run_id[:8]} is being run by process {row.owner_pid} now; "
                "wait for it to finish, or stop it first."
            )
        row.status = EvalStatus.RUNNING
        row.status_detail = ""
        row.budget_usd = budget_usd
        row.owner_pid = os.getpid()
        row.owner_host = socket.gethostname()


def record_question(
    db: Database,
    run_id: str,
    position: int,
    *,
    debate_id: str,
    rounds: Sequence[RoundAnswers],
    usage: Usage,
    correct: bool,
) -> None:
    """Store one asked question: its debate, its answers by round, what it cost."""
    with db.transaction("store the question's result", write=True) as session:
        row = _question(session, run_id, position)
        row.debate_id = debate_id
        row.rounds_json = json.dumps(
            {"rounds": [_rounds_json(one) for one in rounds], "usage": to_jsonable(usage)},
            ensure_ascii=False,
        )
        row.correct = correct
        row.tokens = usage.total_tokens
        row.cost_usd = usage.cost_usd


def record_samples(db: Database, run_id: str, position: int, samples: Samples) -> None:
    """Store the self-consistency samples of one question."""
    with db.transaction("store the question's samples", write=True) as session:
        row = _question(session, run_id, position)
        row.samples_json = json.dumps(to_jsonable(samples), ensure_ascii=False)


def fix_sampling(db: Database, run_id: str, seat_id: str, count: int) -> None:
    """Fix the self-consistency baseline's seat and sample count for the rest of the run."""
    with db.transaction("store the sampling plan", write=True) as session:
        row = _existing(session, run_id)
        row.sample_seat, row.sample_count = seat_id, count


def end_sitting(
    db: Database, run_id: str, status: EvalStatus, *, detail: str = "", wall_s: float = 0.0
) -> None:
    """Record how this sitting ended and add its running time to the run's."""
    with db.transaction("store how the evaluation run ended", write=True) as session:
        row = _existing(session, run_id)
        row.status = status
        row.status_detail = detail
        row.wall_s += wall_s
        row.owner_pid = None
        if status is EvalStatus.FINISHED:
            row.finished_at = datetime.now(UTC)


def load_eval_run(db: Database, run_id: str) -> EvalRunRecord:
    """A stored run with every question; ConfigError for an unknown id (a prefix will do)."""
    with db.transaction("read the evaluation run") as session:
        row = _existing(session, resolve_run_id(session, run_id))
        questions = session.scalars(
            select(EvalQuestionRow)
            .where(EvalQuestionRow.run_id == row.id)
            .order_by(EvalQuestionRow.position)
        ).all()
        return EvalRunRecord(
            id=row.id,
            created_at=row.created_at,
            settings=_settings(row),
            status=_status(row),
            status_detail=row.status_detail,
            questions=tuple(_stored_question(question) for question in questions),
            finished_at=row.finished_at,
            budget_usd=row.budget_usd,
            sample_seat=row.sample_seat,
            sample_count=row.sample_count,
            wall_s=row.wall_s,
        )


def list_eval_runs(db: Database, *, limit: int = 200) -> list[EvalRunSummary]:
    """The newest runs first, each with its progress and final accuracy so far."""
    with db.transaction("list the evaluation runs") as session:
        runs = session.scalars(
            select(EvalRunRow).order_by(EvalRunRow.created_at.desc()).limit(limit)
        ).all()
        counts = {
            run_id: (total, asked or 0, correct or 0)
            for run_id, total, asked, correct in session.execute(
                select(
                    EvalQuestionRow.run_id,
                    func.count(),
                    func.count(EvalQuestionRow.correct),
                    func.sum(func.coalesce(EvalQuestionRow.correct, False).cast(Integer)),
                ).group_by(EvalQuestionRow.run_id)
            )
        }
        unknown_cost = set(
            session.scalars(
                select(EvalQuestionRow.run_id)
                .where(EvalQuestionRow.correct.is_not(None), EvalQuestionRow.cost_usd.is_(None))
                .distinct()
            )
        )
        # The rows listed first: dict(result) would read the Result as a mapping (it has
        # keys()) and fail.
        costs: dict[str, float | None] = dict(
            session.execute(
                select(EvalQuestionRow.run_id, func.sum(EvalQuestionRow.cost_usd)).group_by(
                    EvalQuestionRow.run_id
                )
            ).all()
        )
        summaries = []
        for row in runs:
            settings = _settings(row)
            total, asked, correct = counts.get(row.id, (0, 0, 0))
            summaries.append(
                EvalRunSummary(
                    id=row.id,
                    created_at=row.created_at,
                    task_name=row.task_name,
                    status=_status(row),
                    asked=asked,
                    total=total,
                    correct=correct,
                    cost_usd=None if row.id in unknown_cost else float(costs.get(row.id) or 0.0),
                    seats=tuple(seat.name for seat in settings.table.seats),
                    protocol=settings.table.protocol,
                    simulated=settings.simulated,
                )
            )
        return summaries


def delete_eval_run(db: Database, run_id: str) -> None:
    """Forget a run and its results (its questions' debates stay in the history)."""
    with db.transaction("delete the evaluation run", write=True) as session:
        session.delete(_existing(session, resolve_run_id(session, run_id)))


def resolve_run_id(session: Session, prefix: str) -> str:
    """The full id of the run whose id starts with `prefix` (at least 4 characters)."""
    if session.get(EvalRunRow, prefix) is not None:
        return prefix
    if len(prefix) < 4:
        raise ConfigError(f"No evaluation run with id {prefix!r}; give at least 4 characters.")
    matches = session.scalars(
        select(EvalRunRow.id).where(EvalRunRow.id.startswith(prefix, autoescape=True)).limit(2)
    ).all()
    if not matches:
        raise ConfigError(
            f"No evaluation run with id {prefix!r}; `roundtable evals` lists the runs."
        )
    if len(matches) > 1:
        raise ConfigError(f"Several evaluation runs start with {prefix!r}; give more of the id.")
    return matches[0]


# ---------------------------------------------------------------- internals
def _existing(session: Session, run_id: str) -> EvalRunRow:
    row = session.get(EvalRunRow, run_id)
    if row is None:
        raise ConfigError(f"No evaluation run with id {run_id!r}.")
    return row


def _question(session: Session, run_id: str, position: int) -> EvalQuestionRow:
    row = session.get(EvalQuestionRow, (run_id, position))
    if row is None:
        raise ConfigError(f"Evaluation run {run_id!r} has no question {position}.")
    return row


def _owned_elsewhere(row: EvalRunRow) -> bool:
    """Whether another process on this machine that still lives owns the run."""
    return (
        row.owner_pid is not None
        and row.owner_pid != os.getpid()
        and row.owner_host == socket.gethostname()
        and process_alive(row.owner_pid)
    )


def _status(row: EvalRunRow) -> EvalStatus:
    """A run marked running whose process died reads as interrupted."""
    if (
        row.status is EvalStatus.RUNNING
        and row.owner_host == socket.gethostname()
        and (row.owner_pid is None or not process_alive(row.owner_pid))
    ):
        return EvalStatus.INTERRUPTED
    return row.status


def _settings(row: EvalRunRow) -> EvalSettings:
    try:
        settings = from_jsonable(EvalSettings, json.loads(row.settings_json))
    except ValueError as exc:
        raise StorageError(
            f"evaluation run {row.id} was stored by a newer version of Roundtable ({exc}); "
            "update Roundtable."
        ) from exc
    assert isinstance(settings, EvalSettings)
    return settings


def _rounds_json(answers: RoundAnswers) -> dict[str, Any]:
    return {
        "table": to_jsonable(answers.table),
        "seats": [[seat_id, to_jsonable(answer)] for seat_id, answer in answers.seats],
        "usage": to_jsonable(answers.usage),
        "seat_usage": to_jsonable(answers.seat_usage),
    }


def _answer(data: Any) -> Answer | None:
    return None if data is None else from_jsonable(Answer, data)


def _round_answers(data: dict[str, Any]) -> RoundAnswers:
    return RoundAnswers(
        table=_answer(data["table"]),
        seats=tuple((str(seat_id), _answer(answer)) for seat_id, answer in data["seats"]),
        usage=from_jsonable(Usage, data["usage"]),
        seat_usage=from_jsonable(dict[str, Usage], data["seat_usage"]),
    )


def _stored_question(row: EvalQuestionRow) -> StoredQuestion:
    item = from_jsonable(EvalItem, json.loads(row.item_json))
    asked = json.loads(row.rounds_json) if row.rounds_json else None
    rounds = tuple(_round_answers(one) for one in asked["rounds"]) if asked else ()
    usage = from_jsonable(Usage, asked["usage"]) if asked else Usage(cost_usd=None)
    samples = from_jsonable(Samples, json.loads(row.samples_json)) if row.samples_json else None
    return StoredQuestion(
        position=row.position,
        item=item,
        debate_id=row.debate_id or "",
        rounds=rounds,
        usage=usage,
        correct=row.correct,
        samples=samples,
    )
