"""`SavingRecorder`: the recorder of one debate as it runs, stopping it cleanly when
saving fails. The terminal runner and the app's engine process both record this way.

The first failed write (disk full, a lost file) raises StorageError into the engine,
which stops the debate; every later event raises it again, so neither the database
nor the screen gets a half-recorded tail or the engine's "internal error" for it.
What was saved before stays: the debate opens as interrupted and can be resumed.
"""

from __future__ import annotations

from roundtable.domain import Event, StorageError
from roundtable.storage.db import Database
from roundtable.storage.recorder import Recorder


class SavingRecorder:
    """Call it like a function with each event of one debate.

    `stored_through`: events up to this `seq` are in the database already (a resume
    sends its kept rounds again, for the view, not to be stored twice).
    """

    def __init__(self, database: Database, *, stored_through: int | None = None) -> None:
        self._recorder = Recorder(database)
        self._stored_through = stored_through
        self.failure: StorageError | None = None
        self.debate_id: str | None = None

    def __call__(self, event: Event) -> None:
        if self.failure is not None:
            raise self.failure
        self.debate_id = event.debate_id
        if self._stored_through is not None and event.seq <= self._stored_through:
            return
        try:
            self._recorder(event)
        except StorageError as exc:
            self.failure = exc
            raise

    def close(self) -> None:
        if self.failure is None:  # else flushing would only fail again
            self._recorder.close()

    def stopped_message(self) -> str:
        """Why the debate stopped and what is kept, in words (after a failure)."""
        short = (self.debate_id or "")[:8]
        return (
            f"The debate stopped: {self.failure}\n"
            "Everything saved before this point is kept; the debate shows as interrupted. "
            f"Once the problem is fixed, `roundtable resume {short}` (or Resume in the app) "
            "continues it from its last complete round."
        )
