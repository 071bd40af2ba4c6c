"""`SavingRecorder`: the first failed save stops the recording for good; what a resume
already stored is not written twice."""

from __future__ import annotations

import pytest

from roundtable.domain import StorageError
from roundtable.storage import SavingRecorder, load_events, open_database
from tests.helpers.debates import finished_debate
from tests.helpers.events import without_deltas


def test_after_the_first_failed_save_nothing_more_is_written(tmp_path, monkeypatch) -> None:
    database = open_database(str(tmp_path / "t.db"))
    events = finished_debate("d1")
    recorder = SavingRecorder(database)
    for event in events[:5]:
        recorder(event)
    stored_before = len(load_events(database, "d1"))

    failure = StorageError("could not save: the disk is full")

    def failing_write(event):  # type: ignore[no-untyped-def]
        raise failure

    monkeypatch.setattr(recorder, "_recorder", failing_write)
    with pytest.raises(StorageError):
        recorder(events[5])
    monkeypatch.undo()  # the disk has room again: the recorder must still refuse
    for event in events[6:9]:
        with pytest.raises(StorageError) as again:
            recorder(event)
        assert again.value is failure
    recorder.close()  # flushing would only fail again: it does nothing
    assert len(load_events(database, "d1")) == stored_before  # no tail after a gap
    assert "roundtable resume d1" in recorder.stopped_message()
    database.close()


def test_events_a_resume_already_stored_are_not_written_again(tmp_path) -> None:
    database = open_database(str(tmp_path / "t.db"))
    events = finished_debate("d1")
    first = SavingRecorder(database)
    for event in events[:6]:
        first(event)
    first.close()
    again = SavingRecorder(database, stored_through=events[5].seq)
    for event in events:  # a resume replays the kept events for the view, then goes on
        again(event)
    again.close()
    stored = [e.seq for e in load_events(database, "d1")]
    assert stored == [e.seq for e in without_deltas(events)]  # each once, in order
    database.close()
