"""The history list's Qt model: stored debates, newest first, fifty at a time.

Rows are `DebateSummary` values (and, for search results, the matching snippet).
In the newest-first list the model pages itself in: when the view scrolls to the
end, `fetchMore` reads the next fifty from storage. A page takes 2-10 ms even with
1,000 debates stored (tools/screenshots/history_and_replay.py --measure), so paging stays on the
GUI thread; search results arrive from a worker (`history.search_box`) via `set_rows`.

The words a line shows (title, badge, date, tooltip) come from `history.summary_text`,
so the model's roles, the delegate and the accessibility text say the same thing.

The model only reads. Editing a title (`setData`) asks for the rename
(`rename_requested`); the engine process, the database's only writer, stores it,
and `apply_rename` shows it once it has.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from roundtable.domain import DebateStatus, RoundtableError
from roundtable.gui.history.summary_text import (
    accessible_text,
    badge,
    display_title,
    relative_date,
    snippet_segments,
    tooltip_text,
)
from roundtable.gui.history.threads import threaded
from roundtable.storage.records import DebateSummary, SearchHit

if TYPE_CHECKING:
    # Storage's functions load SQLAlchemy (~0.5 s): imported where used, after start-up.
    from roundtable.storage import Database

PAGE_SIZE = 50

_Index = QModelIndex | QPersistentModelIndex

#: Roles beyond Qt's own; each returns a plain Python value.
SummaryRole = Qt.ItemDataRole.UserRole + 1  # DebateSummary
SnippetRole = Qt.ItemDataRole.UserRole + 2  # list[tuple[str, bool]] (text, matched) or None
IdRole = Qt.ItemDataRole.UserRole + 3  # str
BadgeRole = Qt.ItemDataRole.UserRole + 4  # tuple[str, str]: (words, kind)
DateRole = Qt.ItemDataRole.UserRole + 5  # str, relative ("today 14:02")
DepthRole = Qt.ItemDataRole.UserRole + 6  # int: 0, or how deep under its parent (threads)


@dataclasses.dataclass(frozen=True, slots=True)
class _Row:
    summary: DebateSummary
    snippet: list[tuple[str, bool]] | None = None
    depth: int = 0


class HistoryModel(QAbstractListModel):
    """Stored debates for the history list; pages in more as the view scrolls.

    Signals:
    """

    #: (debate_id: str, title: str) the user edited a title; nothing is stored yet
    rename_requested = Signal(str, str)
    #: a message for the user: reading or writing the database failed
    storage_failed = Signal(str)
    #: (offset: int) the view reached the end of the search results shown: the next
    #: page is wanted (searches run off the GUI thread, so the panel fetches it)
    more_hits_wanted = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db: Database | None = None
        self._rows: list[_Row] = []
        self._more = False
        #: Whether the rows are search hits, and a next page of them was asked for.
        self._hits = False
        self._asked_for_hits = False
        #: Only this person's debates (a shared store's "Only mine"); None: everyone's.
        self._started_by: str | None = None

    # ------------------------------------------------------------------ loading
    def set_started_by(self, name: str | None) -> None:
        """Show only the debates `name` started (None: everyone's); the list reloads."""
        self._started_by = name
        self.load_newest()

    def set_database(self, db: Database | None) -> None:
        self._db = db
        self.load_newest()

    @property
    def database(self) -> Database | None:
        return self._db

    @property
    def showing_hits(self) -> bool:
        """Whether the rows are search results (else the newest-first list)."""
        return self._hits

    def load_newest(self, count: int = PAGE_SIZE) -> None:
        """Show the newest `count` debates (rounded up to whole pages), with paging on."""
        if self._db is None:
            self.set_rows([])
            return
        count = max(PAGE_SIZE, -(-count // PAGE_SIZE) * PAGE_SIZE)
        try:
            from roundtable.storage import list_debates

            summaries = list_debates(self._db, limit=count, started_by=self._started_by)
        except RoundtableError as exc:
            self.set_rows([])
            self.storage_failed.emit(str(exc))
            return
        self.set_rows(summaries, more=len(summaries) == count)

    def set_rows(self, rows: Sequence[DebateSummary | SearchHit], *, more: bool = False) -> None:
        """Replace every row: summaries (the list, forks and follow-ups under their
        parent) or search hits (ranked, with their snippets). `more` says whether
        `fetchMore` may page in older debates."""
        self.beginResetModel()
        hits = self._theirs([row for row in rows if isinstance(row, SearchHit)])
        if hits:
            self._rows = [_Row(hit.summary, snippet_segments(hit.snippet)) for hit in hits]
        else:
            self._rows = _threaded_rows([row for row in rows if isinstance(row, DebateSummary)])
        self._hits = bool(hits)
        self._asked_for_hits = False
        self._more = more
        self.endResetModel()

    def append_hits(self, hits: Sequence[SearchHit], *, more: bool) -> None:
        """Add the next page of search results below those shown (ranked, so in order)."""
        known = {row.summary.id for row in self._rows}
        fresh = [hit for hit in self._theirs(hits) if hit.summary.id not in known]
        self._asked_for_hits = False
        self._more = more
        if not self._hits or not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._rows += [_Row(hit.summary, snippet_segments(hit.snippet)) for hit in fresh]
        self.endInsertRows()

    def _theirs(self, hits: Sequence[SearchHit]) -> list[SearchHit]:
        """The hits of the person shown (all of them when showing everyone's)."""
        if self._started_by is None:
            return list(hits)
        wanted = self._started_by.lower()
        return [hit for hit in hits if (hit.summary.started_by or "").lower() == wanted]

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        waiting = self._hits and self._asked_for_hits
        return not parent.isValid() and self._more and self._db is not None and not waiting

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        if self._hits:
            self._asked_for_hits = True
            self.more_hits_wanted.emit(len(self._rows))
            return
        assert self._db is not None
        try:
            from roundtable.storage import list_debates

            page = list_debates(
                self._db, limit=PAGE_SIZE, offset=len(self._rows), started_by=self._started_by
            )
        except RoundtableError as exc:
            self._more = False
            self.storage_failed.emit(str(exc))
            return
        self._more = len(page) == PAGE_SIZE
        # A debate started since the last page shifts the offsets by one: skip repeats.
        known = {row.summary.id for row in self._rows}
        fresh = [summary for summary in page if summary.id not in known]
        if not fresh:
            return
        rows = _threaded_rows([row.summary for row in self._rows] + fresh)
        first = len(self._rows)
        if rows[:first] != self._rows:
            # The page holds the parent of a debate listed above: its thread moves.
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        self.beginInsertRows(QModelIndex(), first, len(rows) - 1)
        self._rows = rows
        self.endInsertRows()

    # ------------------------------------------------------------------ rows
    def summary(self, row: int) -> DebateSummary:
        return self._rows[row].summary

    def row_of(self, debate_id: str) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.summary.id == debate_id), None)

    def index_of(self, debate_id: str) -> QModelIndex:
        row = self.row_of(debate_id)
        return QModelIndex() if row is None else self.index(row, 0)

    def remove_debate(self, debate_id: str) -> bool:
        row = self.row_of(debate_id)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        return True

    def apply_rename(self, debate_id: str, title: str) -> None:
        """Show a rename the engine has stored."""
        row = self.row_of(debate_id)
        if row is not None:
            self.replace_summary(dataclasses.replace(self._rows[row].summary, title=title))

    def replace_summary(self, summary: DebateSummary) -> None:
        row = self.row_of(summary.id)
        if row is not None:
            self._rows[row] = dataclasses.replace(self._rows[row], summary=summary)
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # A running debate is the engine's to write: it cannot be renamed meanwhile.
        if self._rows[index.row()].summary.status is not DebateStatus.RUNNING:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        summary = row.summary
        match role:
            case Qt.ItemDataRole.DisplayRole:
                return display_title(summary)
            case Qt.ItemDataRole.EditRole:
                return display_title(summary)
            case Qt.ItemDataRole.ToolTipRole:
                return tooltip_text(summary)
            case Qt.ItemDataRole.AccessibleTextRole:
                return accessible_text(summary)
            case _ if role == SummaryRole:
                return summary
            case _ if role == SnippetRole:
                return row.snippet
            case _ if role == IdRole:
                return summary.id
            case _ if role == BadgeRole:
                return badge(summary)
            case _ if role == DateRole:
                return relative_date(summary.created_at)
            case _ if role == DepthRole:
                return row.depth
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for a rename; False, since the title changes only once it is stored."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        title = " ".join(str(value).split())
        summary = self._rows[index.row()].summary
        if title and title != display_title(summary):
            self.rename_requested.emit(summary.id, title)
        return False

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update(
            {
                SummaryRole: QByteArray(b"summary"),
                SnippetRole: QByteArray(b"snippet"),
                IdRole: QByteArray(b"debateId"),
                BadgeRole: QByteArray(b"badge"),
                DateRole: QByteArray(b"date"),
                DepthRole: QByteArray(b"depth"),
            }
        )
        return names


def _threaded_rows(summaries: list[DebateSummary]) -> list[_Row]:
    return [_Row(summary, depth=depth) for summary, depth in threaded(summaries)]
