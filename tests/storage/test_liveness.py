"""A running debate is declared interrupted only when its owner is gone: by a pid
check on its own machine, by its heartbeat when another machine shares the store."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from roundtable.domain import DebateStarted, DebateStatus
from roundtable.storage import Database, list_debates, mark_orphans_interrupted
from roundtable.storage.liveness import STALE_AFTER, Heartbeat, beat
from roundtable.storage.people import USER_ENV, current_user
from roundtable.storage.rows import Debate
from tests.helpers.debates import spec
from tests.helpers.events import EventBuilder, record


def _running(db: Database, debate_id: str, **owner) -> None:
    record(db, [EventBuilder(debate_id).add(DebateStarted, spec=spec())])
    if owner:
        with db.transaction("set the owner", write=True) as session:
            session.execute(update(Debate).where(Debate.id == debate_id).values(**owner))


def _status(db: Database) -> dict[str, DebateStatus]:
    return {summary.id: summary.status for summary in list_debates(db)}


def test_a_debate_owned_on_another_machine_is_judged_by_its_heartbeat(db: Database):
    now = datetime.now(UTC)
    elsewhere = {"owner_host": "another-machine", "owner_pid": os.getpid()}
    _running(db, "alive-there", **elsewhere, heartbeat_at=now - timedelta(seconds=30))
    _running(db, "dead-there", **elsewhere, heartbeat_at=now - STALE_AFTER * 2)
    _running(db, "older-there", **elsewhere, heartbeat_at=None)  # an older Roundtable

    assert mark_orphans_interrupted(db) == ["dead-there"]
    assert _status(db) == {
        "alive-there": DebateStatus.RUNNING,
        "dead-there": DebateStatus.INTERRUPTED,
        "older-there": DebateStatus.RUNNING,
    }


def test_on_this_machine_the_pid_decides_whatever_the_heartbeat(db: Database):
    # This process is alive: a stale stamp does not make its debate dead.
    _running(db, "mine", heartbeat_at=datetime.now(UTC) - STALE_AFTER * 2)
    assert mark_orphans_interrupted(db) == []


def test_a_beat_stamps_only_the_running_debates_of_this_process(db: Database):
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    _running(db, "mine", heartbeat_at=long_ago)
    _running(db, "theirs", owner_host="another-machine", heartbeat_at=long_ago)
    assert beat(db) == 1
    with db.transaction("read") as session:
        stamps = dict(session.query(Debate.id, Debate.heartbeat_at).all())
    assert stamps["mine"] > long_ago + timedelta(minutes=59)
    assert stamps["theirs"] == long_ago


def test_the_heartbeat_thread_keeps_a_shared_store_up_to_date(db: Database):
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    _running(db, "mine", heartbeat_at=long_ago)
    heartbeat = Heartbeat(db, interval=0.05)
    heartbeat.start()
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with db.transaction("read") as session:
                stamp = session.get(Debate, "mine").heartbeat_at
            if stamp > long_ago:
                break
            time.sleep(0.05)
    finally:
        heartbeat.stop()
    shared = db.engine.dialect.name != "sqlite"
    assert (stamp > long_ago) is shared  # an SQLite file is judged by pid alone


def test_each_debate_records_who_started_it(db: Database, monkeypatch):
    monkeypatch.setenv(USER_ENV, "  Ada   Lovelace ")
    assert current_user() == "Ada Lovelace"
    _running(db, "hers")
    monkeypatch.delenv(USER_ENV)
    assert current_user()  # the login name
    with db.transaction("read") as session:
        assert session.get(Debate, "hers").started_by == "Ada Lovelace"
