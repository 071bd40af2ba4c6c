"""The history list's Qt model: stored debates, newest first, fifty at a time.

Rows are `DebateSummary` values (and, for search results, the matching snippet).
In the newest-first list the model pages itself in: when the view scrolls to the
end, `fetchMore` reads the next fifty from storage. A page takes 2-10 ms even with
1,000 debates stored (tools/screenshots/history_and_replay.py --measure), so paging stays on the
GUI thread; search results arrive from a worker (`history.search_box`) via `set_rows`.

The model also holds the small words and numbers every rendering of a debate line
needs (badge, relative date, cost), as pure functions, so the delegate, tooltips
and accessibility text say the same thing.

The model only reads. Editing a title (`setData`) asks for the rename
(`rename_requested`); the engine process, the database's only writer, stores it,
and `apply_rename` shows it once it has.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
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
from roundtable.domain.formatting import format_cost, simulated_label
from roundtable.gui.history.threads import relation_words, threaded
from roundtable.storage.records import SNIPPET_END, SNIPPET_START, DebateSummary, SearchHit

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


# ------------------------------------------------------------------ words and numbers
def display_title(summary: DebateSummary) -> str:
    """The title, or the question's first line when the debate has none."""
    title = " ".join(summary.title.split())
    if title:
        return title
    first = next((line for line in summary.question.splitlines() if line.strip()), "")
    return " ".join(first.split()) or "Untitled debate"


#: Badge kinds, which the delegate maps to colours.
AGREED, SPLIT, CANCELLED, FAILED, INTERRUPTED, RUNNING = (
    "agreed",
    "split",
    "cancelled",
    "failed",
    "interrupted",
    "running",
)


def badge(summary: DebateSummary) -> tuple[str, str]:
    """(words, kind) for the outcome badge: ("✓ agreed", "agreed"), ("~ no consensus", …)."""
    match summary.status:
        case DebateStatus.FINISHED:
            return ("✓ agreed", AGREED) if summary.consensus else ("~ no consensus", SPLIT)
        case DebateStatus.CANCELLED:
            return "cancelled", CANCELLED
        case DebateStatus.FAILED:
            return "failed", FAILED
        case DebateStatus.INTERRUPTED:
            return "interrupted", INTERRUPTED
    return "running…", RUNNING


def relative_date(when: datetime, now: datetime | None = None) -> str:
    """ "today 14:02", "yesterday 09:15", "Mon 18:40" (this week), "3 Mar", "3 Mar 2025"."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    days = (today - local.date()).days
    clock = f"{local:%H:%M}"
    if days <= 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    if days < 7:
        return f"{local:%a} {clock}"
    if local.year == today.year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b %Y}"


def cost_text(cost_usd: float | None) -> str:
    """Dollars as a person reads them; unknown is said, never shown as $0."""
    return format_cost(cost_usd)


def tokens_text(tokens: int) -> str:
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:.1f}M tokens"
    if tokens >= 10_000:
        return f"{tokens / 1000:.0f}k tokens"
    if tokens >= 1_000:
        return f"{tokens / 1000:.1f}k tokens"
    return f"{tokens} token" + ("" if tokens == 1 else "s")


def meta_text(summary: DebateSummary) -> str:
    """ "3 seats · 2 rounds · roundtable" (the protocol last: it is the first to be elided),
    after "follow-up" or "fork at round 1" for a debate that continues another."""
    seats = f"{summary.seat_count} seat" + ("" if summary.seat_count == 1 else "s")
    rounds = f"{summary.rounds_done} round" + ("" if summary.rounds_done == 1 else "s")
    relation = relation_words(summary)
    return " · ".join((*((relation,) if relation else ()), seats, rounds, summary.protocol))


def tooltip_text(summary: DebateSummary) -> str:
    """The whole question (up to a screenful), then the numbers the line leaves out and
    who started the debate."""
    question = summary.question.strip()
    if len(question) > 600:
        question = question[:600].rstrip() + "…"
    numbers = " · ".join(
        (meta_text(summary), tokens_text(summary.total_tokens), cost_text(summary.cost_usd))
    )
    # Who ran it: what a team sharing one store asks of a debate it did not start.
    started_by = f"\nStarted by {summary.started_by}" if summary.started_by else ""
    return f"{question}\n\n{numbers}{started_by}"


def outcome_text(summary: DebateSummary) -> str:
    """The line under the badge: the final answer, or why there is none."""
    if summary.status is DebateStatus.RUNNING:
        return "In progress"
    answer = " ".join((summary.final_answer or "").split())
    if summary.status is DebateStatus.FINISHED:
        # The demo table's verdict is not a real one; said before the answer, which elides.
        simulated = simulated_label(summary.demo_seats, summary.seat_count)
        marked = f" ({simulated})" if simulated else ""
        return f"Answer{marked}: {answer}" if answer else f"No answer{marked}"
    detail = " ".join((summary.status_detail or "").split())
    if answer:
        return f"Answer so far: {answer}"
    return detail[:1].upper() + detail[1:] if detail else ""


#: Characters of a snippet kept before its first matched word.
SNIPPET_LEAD_CHARS = 40


def snippet_segments(snippet: str) -> list[tuple[str, bool]]:
    """Split a search snippet into (text, matched) runs, whitespace flattened."""
    segments: list[tuple[str, bool]] = []
    flat = " ".join(snippet.split())
    for i, part in enumerate(flat.split(SNIPPET_START)):
        if i == 0:
            matched, rest = "", part
        else:
            matched, _, rest = part.partition(SNIPPET_END)
        if matched:
            segments.append((matched, True))
        if rest:
            segments.append((rest, False))
    lead = segments[0][0] if len(segments) > 1 and not segments[0][1] else ""
    if len(lead) > SNIPPET_LEAD_CHARS:
        # FTS5 may place the match at the end of its window: in two narrow lines a long
        # lead would push it past the ellipsis, so only the lead's last words are kept.
        kept = lead[-SNIPPET_LEAD_CHARS:]
        segments[0] = ("…" + kept[kept.find(" ") + 1 :], False)
    return segments


def accessible_text(summary: DebateSummary) -> str:
    words, _ = badge(summary)
    parts = [display_title(summary), words.lstrip("✓~ "), outcome_text(summary)]
    parts += [relative_date(summary.created_at), cost_text(summary.cost_usd)]
    return ", ".join(part for part in parts if part)


# ------------------------------------------------------------------ the model
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
