"""`DatabaseOpening`: the window's start-up after its first paint, from the database on.

`MainWindow.finish_startup` runs once the window is on screen: it makes the engine
client, then hands over here. In order:

1. open the database off the GUI thread (SQLAlchemy and a migration check take about
   a second), then give it to everything that reads it;
2. only then start the engine process: it opens the same file, and two processes must
   not both migrate a new database at once;
3. warm the Markdown converter on a worker (~80 ms once), so the first finished turn
   does not pay it on the GUI thread; and not while the database opens, which the
   history waits for (one GIL, two cores);
4. check a large file in full, off the start-up path, and say if it is damaged;
5. say `settled` (also when the file could not be opened): the window lists the models
   then, not before, since that loads libraries on a worker too and the history would
   wait for it (one GIL).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from roundtable.gui.support import messages
from roundtable.gui.support.database import check_in_full, damage_message, open_for_reading
from roundtable.gui.support.workers import Job, run_in_thread

if TYPE_CHECKING:
    from roundtable.gui.live.engine_client import EngineClient
    from roundtable.storage import Database

#: Something that reads the database once it is open (the history, the catalogue...).
Reader = Callable[["Database"], None]


class DatabaseOpening(QObject):
    """Opens the window's database after the first paint, then starts the engine.

    `upgrading` carries the notice said before an existing database is upgraded for
    this version (a minute or two for a large history): emitted from the worker, so
    its receivers run on the GUI thread."""

    upgrading = Signal(str)
    #: The database is open and its readers have it, or it could not be opened.
    settled = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._readers: Sequence[Reader] = ()
        self._engine: EngineClient | None = None
        self._jobs: list[Job] = []  # kept, so the workers' signals reach us

    def start(
        self, location: str | None, readers: Sequence[Reader], engine: EngineClient | None
    ) -> None:
        """Open `location` (None: the user's database) off the GUI thread, then give it
        to each of `readers` in turn and start `engine` (if any)."""
        self._readers, self._engine = readers, engine
        job = run_in_thread(
            lambda: open_for_reading(location, self.upgrading.emit), name="open the database"
        )
        job.succeeded.connect(self._database_opened)
        job.failed.connect(self._database_failed)
        self._jobs.append(job)

    @Slot(object)
    def _database_opened(self, database: Database) -> None:
        for reader in self._readers:
            reader(database)
        self._jobs.append(run_in_thread(_warm_markdown, name="Markdown warm-up"))
        if self._engine is not None:
            self._engine.start()
        if database.moved_aside is not None:  # a damaged file was replaced: say where it is
            QMessageBox.warning(
                self._window, "Roundtable started a new database", database.moved_aside.message()
            )
        check = run_in_thread(lambda: check_in_full(database), name="check the database")
        check.succeeded.connect(lambda damage: self._database_checked(database, damage))
        self._jobs.append(check)
        self.settled.emit()

    def _database_checked(self, database: Database, damage: str | None) -> None:
        if damage is not None:
            QMessageBox.warning(
                self._window, "The database is damaged", damage_message(database.location, damage)
            )

    @Slot(object)
    def _database_failed(self, error: BaseException) -> None:
        messages.error(f"Roundtable cannot open its database: {error}", exc=error)
        self.settled.emit()


def _warm_markdown() -> None:
    from roundtable.gui.widgets.markdown_view import render_markdown

    render_markdown("*warm-up*")
