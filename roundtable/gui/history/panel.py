"""The history sidebar: every stored debate, newest first, with search.

A search box sits over the list; typing searches questions, titles and what the
seats said (debounced, so a fast typist costs one query), and an empty box shows
the newest debates again. Each debate is drawn by `HistoryDelegate`: title, date,
outcome badge, answer, cost, and for a search the matching passage.

Keys in the list: Up/Down move, Enter (or a click) opens, F2 renames in place,
Delete deletes after a confirmation. The context menu offers the same, plus
re-running the debate with the same table.

The panel only reads the database: a rename or a delete is asked of the engine
process, the only writer (`connect_writer`), and the list changes when it confirms.
Listing is a few milliseconds and stays on the GUI thread; searching can take tens
of milliseconds (see `history.search_box`), so it runs on a worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import DebateStatus
from roundtable.gui.history.delegate import HistoryDelegate
from roundtable.gui.history.edits import (
    HistoryWriter,
    confirm_delete,
    explain_running,
    report_problem,
)
from roundtable.gui.history.list_view import DebateList
from roundtable.gui.history.model import PAGE_SIZE, HistoryModel, IdRole, SummaryRole
from roundtable.gui.history.search_box import SearchRunner
from roundtable.storage.records import DebateSummary, SearchHit

if TYPE_CHECKING:
    from roundtable.storage import Database

#: Wait this long after the last keystroke before searching.
SEARCH_DEBOUNCE_MS = 200
#: Search results read at a time (ranked best first; more as the list scrolls).
SEARCH_PAGE = PAGE_SIZE
#: How many pages `select_debate` reads looking for an older debate.
_MAX_PAGES_TO_FIND = 20

EMPTY_TEXT = "No debates yet — start one with Ctrl+Enter"
#: Until the database is open (a second or so after the window shows): not "empty".
OPENING_TEXT = "Opening your debates…"


class HistoryPanel(QWidget):
    """The sidebar of stored debates.

    Signals:
    """

    #: debate id the user wants to see
    debate_open_requested = Signal(str)
    #: debate id whose question and table should be set up again
    rerun_requested = Signal(str)
    #: (debate_id: str, title: str) the user renamed a debate; nothing is stored yet
    rename_requested = Signal(str, str)
    #: (debate_id: str) the user confirmed deleting a debate; nothing is deleted yet
    delete_requested = Signal(str)
    #: (debate_id: str) a debate was deleted from the database
    debate_deleted = Signal(str)
    #: (debate_id: str, title: str) a rename was stored
    debate_renamed = Signal(str, str)
    #: the search whose results are now shown ("" when back to the newest-first list)
    searched = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:  # noqa: PLR0915 - its widgets
        super().__init__(parent)
        self.setObjectName("history-panel")
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search debates (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search debates")
        self.search_box.setToolTip("Search questions, titles and what the seats said")
        self.search_box.installEventFilter(self)
        self.mine_only = _mine_only_box()

        self.model = HistoryModel(self)
        self.list = DebateList()
        self.list.setModel(self.model)
        self.list.setItemDelegate(HistoryDelegate(self.list))
        self.list.setAccessibleName("Debate history")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setMouseTracking(True)
        # Titles wrap to the list's width: with word wrap on, QListView lays the items
        # out again when the width changes (it only does so for height otherwise).
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)

        #: What the list says until the database is open (an upgrade says more).
        self._opening_text = OPENING_TEXT
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setObjectName("history-empty")
        self.empty_label.setProperty("role", "muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setContentsMargins(16, 24, 16, 16)
        # The same ground as the list, so the sidebar does not flash grey when it empties.
        self.empty_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty_label.setAutoFillBackground(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.list)
        self.pages.addWidget(self.empty_label)

        # The box keeps a margin; the list runs edge to edge, as sidebars do.
        search_row = QVBoxLayout()
        search_row.setContentsMargins(8, 8, 8, 6)
        search_row.addWidget(self.search_box)
        search_row.addWidget(self.mine_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(search_row)
        layout.addWidget(self.pages, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.searcher = SearchRunner(self)
        #: The search asked for last, and the one whose results are on screen ("" = newest).
        self._query = self._shown_query = ""
        self._focus_results = False
        #: The debate the window shows; the list highlights it and nothing else.
        self._on_screen: str | None = None
        self._connect_signals()
        self._update_empty_state()

    def _connect_signals(self) -> None:
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.mine_only.toggled.connect(self._filter_by_person)
        self._search_timer.timeout.connect(self._run_search)
        self.list.open_requested.connect(self._open_index)
        self.list.rename_requested.connect(self._rename_index)
        self.list.delete_requested.connect(self._delete_index)
        self.list.rerun_requested.connect(
            lambda index: self.rerun_requested.emit(str(index.data(IdRole)))
        )
        self.model.rename_requested.connect(self.rename_requested)
        self.model.storage_failed.connect(self._storage_failed)
        self.model.more_hits_wanted.connect(self._more_hits)
        self.model.modelReset.connect(self._update_empty_state)
        self.model.rowsInserted.connect(self._update_empty_state)
        self.model.rowsRemoved.connect(self._update_empty_state)
        self.searcher.found.connect(self._search_found)
        self.searcher.failed.connect(self._search_failed)

    # ------------------------------------------------------------------ public API
    def connect_writer(self, writer: HistoryWriter) -> None:
        """Send renames and deletes to `writer` (the engine client), and show them when
        it confirms them, or its refusal."""
        self.rename_requested.connect(writer.rename_debate)
        self.delete_requested.connect(writer.delete_debate)
        writer.debate_renamed.connect(self.show_renamed)
        writer.debate_deleted.connect(self.show_deleted)
        writer.history_edit_refused.connect(self._edit_refused)

    @Slot(str, str)
    def show_renamed(self, debate_id: str, title: str) -> None:
        """A rename was stored: show the new title."""
        self.model.apply_rename(debate_id, title)
        self.debate_renamed.emit(debate_id, title)

    @Slot(str)
    def show_deleted(self, debate_id: str) -> None:
        """A debate was deleted: drop it, the selection moving to its neighbour."""
        row = self.model.row_of(debate_id)
        selected = self.current_debate_id() == debate_id
        if row is not None and self.model.remove_debate(debate_id) and selected:
            neighbour = self.model.index(min(row, self.model.rowCount() - 1), 0)
            self.list.setCurrentIndex(neighbour)  # invalid, so no selection, when none is left
        self.debate_deleted.emit(debate_id)

    @Slot(str, str)
    def _edit_refused(self, _debate_id: str, message: str) -> None:
        # The list may be what was refused (another process deleted the debate).
        self.refresh()
        report_problem(self, message)

    def set_database(self, db: Database | None) -> None:
        self.mine_only.setVisible(db is not None and db.engine.dialect.name != "sqlite")
        self.model.set_database(db)
        self._shown_query = ""
        if self._query:
            self._start_search(self._query)

    def refresh(self) -> None:
        """Read the list (or the search) again, keeping the selection and the scroll."""
        if self._query:
            self._start_search(self._query)  # the selection is kept when it answers
            return
        scroll = self.list.verticalScrollBar().value()
        self.model.load_newest(max(PAGE_SIZE, self.model.rowCount()))
        self._highlight_on_screen(scroll=False)
        self.list.verticalScrollBar().setValue(scroll)

    @property
    def shown_query(self) -> str:
        """The search whose results are on screen ("" for the newest-first list)."""
        return self._shown_query

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def select_debate(self, debate_id: str | None) -> bool:
        """Highlight `debate_id`, the debate on screen (None: no debate, the setup
        form), and keep it highlighted as the list is read again or searched; when the
        list does not hold it (not stored yet, or filtered out) no row is. False then."""
        self._on_screen = debate_id
        return self._highlight_on_screen(scroll=True)

    def current_debate_id(self) -> str | None:
        index = self.list.currentIndex()
        return str(index.data(IdRole)) if index.isValid() else None

    def rename_debate(self, debate_id: str) -> None:
        """Open the in-place title editor for a debate."""
        index = self.model.index_of(debate_id)
        if index.isValid():
            self._rename_index(index)

    def delete_debate(self, debate_id: str) -> bool:
        """Ask for a debate to be deleted, after the user confirms; True when asked."""
        index = self.model.index_of(debate_id)
        return index.isValid() and self._delete_index(index)

    # ------------------------------------------------------------------ search
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_box
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            return self._search_key(event)
        return super().eventFilter(watched, event)

    def _search_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # From the box straight into the results, as in a launcher; if they are
            # still coming, as soon as they arrive.
            if self._search_timer.isActive():
                self._focus_results = True
                self._run_search()
            elif self._query != self._shown_query:
                self._focus_results = True
            else:
                self._focus_list()
            return True
        if key == Qt.Key.Key_Escape and self.search_box.text():
            self.search_box.clear()
            return True
        return False

    def _focus_list(self) -> None:
        if self.model.rowCount() > 0:
            if not self.list.currentIndex().isValid():
                self.list.setCurrentIndex(self.model.index(0, 0))
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(bool)
    def _filter_by_person(self, mine: bool) -> None:
        from roundtable.storage.people import current_user

        self.model.set_started_by(current_user() if mine else None)
        if self._query:
            self._start_search(self._query)

    @Slot()
    def _run_search(self) -> None:
        self._search_timer.stop()
        text = " ".join(self.search_box.text().split())
        if text == self._query:
            if self._focus_results and text == self._shown_query:
                self._show_results(text)
            return
        self._query = text
        if text:
            self._start_search(text)
            return
        self.searcher.cancel()
        self.model.load_newest()
        self._show_results("")

    def _start_search(self, text: str) -> None:
        db = self.model.database
        if db is not None:
            self.searcher.search(db, text, limit=SEARCH_PAGE)

    @Slot(int)
    def _more_hits(self, offset: int) -> None:
        db = self.model.database
        if db is not None and self._shown_query:
            self.searcher.search(db, self._shown_query, limit=SEARCH_PAGE, offset=offset)

    @Slot(str, int, object)
    def _search_found(self, text: str, offset: int, hits: list[SearchHit]) -> None:
        more = len(hits) == SEARCH_PAGE
        if offset > 0:  # the next page of the results on screen
            if text == self._shown_query:
                self.model.append_hits(hits, more=more)
            return
        self.model.set_rows(hits, more=more)
        self._show_results(text)

    @Slot(str, str)
    def _search_failed(self, text: str, message: str) -> None:
        self.model.set_rows([])
        self._show_results(text, problem=message)

    def _show_results(self, text: str, *, problem: str = "") -> None:
        self._shown_query = text
        self._highlight_on_screen(scroll=True)
        self._update_empty_state()
        if problem:
            self._storage_failed(problem)
        if self._focus_results:
            self._focus_results = False
            self._focus_list()
        self.searched.emit(text)

    # ------------------------------------------------------------------ actions
    @Slot(QModelIndex)
    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.debate_open_requested.emit(str(index.data(IdRole)))

    @Slot(QModelIndex)
    def _rename_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        if not self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            explain_running(self, "renamed")
            return
        self.list.setCurrentIndex(index)
        self.list.edit(index)

    @Slot(QModelIndex)
    def _delete_index(self, index: QModelIndex) -> bool:
        summary = index.data(SummaryRole)
        if not isinstance(summary, DebateSummary):
            return False
        if summary.status is DebateStatus.RUNNING:
            explain_running(self, "deleted")
            return False
        if not confirm_delete(self, summary):
            return False
        self.delete_requested.emit(summary.id)
        return True

    # ------------------------------------------------------------------ state
    def _highlight_on_screen(self, *, scroll: bool) -> bool:
        shown = self._on_screen
        if shown is not None and self._select(shown, scroll=scroll):
            return True
        self.list.setCurrentIndex(QModelIndex())  # no row stands in for another debate
        return False

    def _select(self, debate_id: str, *, scroll: bool) -> bool:
        index = self.model.index_of(debate_id)
        pages = 0
        # Older debates are paged in to find it; search results are not (a page of them
        # is a search on the worker, and the debate may match none of them).
        paging = not self.model.showing_hits
        while (
            paging
            and not index.isValid()
            and self.model.canFetchMore()
            and pages < _MAX_PAGES_TO_FIND
        ):
            self.model.fetchMore()
            index = self.model.index_of(debate_id)
            pages += 1
        if not index.isValid():
            return False
        self.list.setCurrentIndex(index)
        if scroll:
            self.list.scrollTo(index)
        return True

    @Slot(str)
    def show_upgrading(self, notice: str) -> None:
        """Said while the database is upgraded for this version, instead of "Opening…"."""
        self._opening_text = notice
        self._update_empty_state()

    @Slot()
    def _update_empty_state(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            if self.model.database is None:
                self.empty_label.setText(self._opening_text)
            elif self._shown_query:
                self.empty_label.setText(f"No debates match “{self._shown_query}”")
            else:
                self.empty_label.setText(EMPTY_TEXT)
        self.pages.setCurrentWidget(self.empty_label if empty else self.list)

    @Slot(str)
    def _storage_failed(self, message: str) -> None:
        if self.model.rowCount() == 0:
            self.empty_label.setText(message)
            self.pages.setCurrentWidget(self.empty_label)
        else:
            report_problem(self, message)


def _mine_only_box() -> QCheckBox:
    """The "Only mine" box, shown for a store a team shares (not a personal SQLite file)."""
    box = QCheckBox("Only &mine")
    box.setAccessibleName("Show only the debates I started")
    box.setToolTip("Only the debates started under your name (Settings › Team store)")
    box.setVisible(False)
    return box
