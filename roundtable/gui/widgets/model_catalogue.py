"""`ModelCatalogue`: the models this window can seat, and the one place that lists them.

Listing talks HTTP (local servers, provider key checks), so it runs off the GUI thread
(`support.workers`). The window owns one catalogue; the setup form's picker and the
fork dialog both read it, so a model found once is offered everywhere.

It also keeps each model's track record from the stored evaluation runs, in one line
("81 % on arithmetic (n=200) · well calibrated"), read off the GUI thread when the
database opens and whenever the window says runs may have changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from roundtable.gui.support.workers import Job, run_in_thread

if TYPE_CHECKING:
    from roundtable.engine.evaluation.track_record import ModelRecord
    from roundtable.providers import ModelInfo
    from roundtable.storage import Database

log = logging.getLogger(__name__)

#: Lists the models reachable through these extra server URLs (blocking; run off-thread).
ModelLister = Callable[[Sequence[str]], "list[ModelInfo]"]


def list_reachable_models(servers: Sequence[str]) -> list[ModelInfo]:
    from roundtable.providers import list_models

    return list(list_models(servers, timeout_s=1.0))


def read_model_records(database: Database) -> dict[str, ModelRecord]:
    """Each model's track record from the stored eval runs (blocking; run off-thread)."""
    from roundtable.engine.evaluation.track_record import track_records
    from roundtable.storage.track_records import solo_answers

    return track_records(solo_answers(database))


class ModelCatalogue(QObject):
    """The models on offer. Signals:

    `listing_started()`, `models_changed(models)`, `listing_failed(message)`.
    """

    #: () a listing began; pickers show that they are searching
    listing_started = Signal()
    #: (models: list[ModelInfo]) the available models were (re)listed
    models_changed = Signal(list)
    #: (message: str) listing failed; the previous list stays on offer
    listing_failed = Signal(str)
    #: (records: dict[str, str]) each model's track record in a line, by model id
    records_changed = Signal(dict)

    def __init__(
        self,
        server_urls: Callable[[], Sequence[str]],
        lister: ModelLister | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._server_urls = server_urls
        self._lister = lister or list_reachable_models
        self._models: list[ModelInfo] = []
        self._job: Job | None = None
        self._list_again = False  # the servers changed while a listing was running
        self._database: Database | None = None
        self._records: dict[str, ModelRecord] = {}
        self._records_job: Job | None = None

    @property
    def models(self) -> list[ModelInfo]:
        """The last list (empty until the first listing ends)."""
        return list(self._models)

    @property
    def records(self) -> dict[str, str]:
        """Each model's track record in one line, by model id (empty until read)."""
        return {model: record.summary() for model, record in self._records.items()}

    @property
    def model_records(self) -> dict[str, ModelRecord]:
        """The last track records read, by model id (empty until read, or with no runs)."""
        return dict(self._records)

    def set_database(self, database: Database) -> None:
        """Read the track records from `database`, now and at each `refresh_records`."""
        self._database = database
        self.refresh_records()

    def refresh_records(self) -> None:
        """Read the track records again, off the GUI thread (an eval run may have ended)."""
        database = self._database
        if database is None or (self._records_job and not self._records_job.is_finished):
            return
        self._records_job = run_in_thread(
            lambda: read_model_records(database), name="track records"
        )
        self._records_job.succeeded.connect(self._records_read)
        # Without records the picker still offers every model: a note in the log is enough.
        self._records_job.failed.connect(
            lambda error: log.warning("reading track records failed: %r", error)
        )

    def _records_read(self, records: dict[str, ModelRecord]) -> None:
        if records != self._records:
            self._records = dict(records)
            self.records_changed.emit(self.records)

    @property
    def is_listing(self) -> bool:
        return self._job is not None and not self._job.is_finished

    def refresh(self) -> None:
        """List the models again, off the GUI thread; a call during a listing queues one."""
        if self.is_listing:
            self._list_again = True
            return
        self._list_again = False
        self.listing_started.emit()
        servers = list(self._server_urls())
        lister = self._lister
        self._job = run_in_thread(lambda: lister(servers), name="list_models")
        self._job.succeeded.connect(self._listed)
        self._job.failed.connect(self._failed)
        self._job.done.connect(self._listing_done)

    def _listed(self, models: list[ModelInfo]) -> None:
        self._models = list(models)
        self.models_changed.emit(self.models)

    def _failed(self, error: object) -> None:
        log.warning("listing models failed: %r", error)
        self.listing_failed.emit(str(error) or type(error).__name__)

    def _listing_done(self) -> None:
        if self._list_again:
            self.refresh()
