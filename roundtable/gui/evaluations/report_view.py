"""`ReportView`: one evaluation run's report, as the terminal and the HTML report give it.

    arithmetic · run 5aaafa8c                       (title)
    arithmetic(seed=0) · 20 of 20 questions · ...   (what was asked of whom, the spend)
    [ Simulated seats: ... not how real models do. ] (only when they were)
    ┌ Summary ┬ Questions (20) ┐
    │ Is the table worth it? <the verdict>           │
    │ charts: accuracy by round, agreement, cost vs accuracy, calibration
    │ Accuracy by round (table)                      │
    │ The table against its baselines (table)        │
    │ flips, calibration, the self-consistency plan  │
    └────────────────────────────────────────────────┘

The Questions tab lists every question; Enter or a double-click opens its debate, as
does a click on a chart point that stands for one question.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable.engine.evaluation.report_text import (
    closing_lines,
    methods_table,
    paired_tests,
    rounds_table,
    simulated_banner,
)
from roundtable.gui.evaluations.questions import QuestionTable
from roundtable.gui.evaluations.reading import ShownRun
from roundtable.gui.evaluations.report_parts import Banner, ChartGrid
from roundtable.gui.evaluations.report_text import report_meta, report_title, status_note
from roundtable.gui.evaluations.table_view import FittedTable
from roundtable.gui.style.painting import scaled_font
from roundtable.gui.style.theme import set_role

#: The summary reads best up to this width; wider, it sits at the left with room beside.
SUMMARY_MAX_WIDTH = 1560
QUESTIONS_HINT = "Double-click a question, or select it and press Enter, to open its debate."


def _label(text: str = "", *, selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _heading(text: str) -> QLabel:
    label = _label(text, selectable=False)
    label.setProperty("heading", True)
    return label


class ReportView(QWidget):
    """The report of the run shown.

    Signals:
    """

    #: (debate_id: str) the person asked to see a question's debate
    debate_open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown: ShownRun | None = None
        self.title = _label()
        self.title.setFont(scaled_font(self.font(), 1.35, bold=True))
        self.title.setAccessibleName("Evaluation run")
        self.meta = _label()
        set_role(self.meta, "muted")
        self.banner = Banner()
        self.banner.setAccessibleName("Simulated seats")
        self.status_note = _label()
        set_role(self.status_note, "warning")

        self.verdict = _label()
        self.verdict.setAccessibleName("Is the table worth it?")
        self.charts = ChartGrid()
        self.rounds_title = _heading("")
        self.rounds = FittedTable()
        self.methods_title = _heading("")
        self.methods = FittedTable()
        self.tests = _label()
        self.tests.setAccessibleName("The table against each baseline, tested")
        self.closing = _label()

        self.questions = QuestionTable()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.summary = self._summary_page()
        self.tabs.addTab(self.summary, "Summary")
        self.tabs.addTab(self._questions_page(), "Questions")

        header = QVBoxLayout()
        header.setContentsMargins(16, 12, 16, 8)
        header.setSpacing(4)
        header.addWidget(self.title)
        header.addWidget(self.meta)
        header.addSpacing(4)
        header.addWidget(self.banner)
        header.addWidget(self.status_note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.questions.open_requested.connect(self.debate_open_requested)
        self.charts.point_clicked.connect(self._chart_point_clicked)

    def _summary_page(self) -> QScrollArea:
        column = QWidget()
        column.setMaximumWidth(SUMMARY_MAX_WIDTH)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(6)
        layout.addWidget(_heading("Is the table worth it?"))
        layout.addWidget(self.verdict)
        layout.addSpacing(12)
        layout.addWidget(self.charts)
        layout.addSpacing(12)
        layout.addWidget(self.rounds_title)
        layout.addWidget(self.rounds)
        layout.addSpacing(12)
        layout.addWidget(self.methods_title)
        layout.addWidget(self.methods)
        layout.addWidget(self.tests)
        layout.addSpacing(12)
        layout.addWidget(self.closing)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(column)
        scroll.setAccessibleName("Summary of the run")
        return scroll

    def _questions_page(self) -> QWidget:
        page = QWidget()
        hint = _label(QUESTIONS_HINT, selectable=False)
        set_role(hint, "muted")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 8, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(hint)
        layout.addWidget(self.questions, 1)
        self.questions.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return page

    # ------------------------------------------------------------------ showing
    def show_run(self, shown: ShownRun) -> None:
        """Show a run's report (the tab and the chosen question stay where they were
        when it is the same run again, refreshed)."""
        same_run = self.shown is not None and self.shown.report.run_id == shown.report.run_id
        current_row = self.questions.currentIndex().row() if same_run else 0
        self.shown = shown
        report = shown.report
        self.title.setText(report_title(report))
        self.meta.setText(report_meta(report))
        banner = simulated_banner(report)
        if banner:
            head, _, rest = banner.partition(":")
            self.banner.setText(f"<b>{escape(head)}:</b>{escape(rest)}")
        self.banner.setVisible(bool(banner))
        note = status_note(report)
        self.status_note.setText(note)
        self.status_note.setVisible(bool(note))

        self.verdict.setText(report.verdict())
        self.charts.set_charts(shown.charts)
        self.charts.setVisible(bool(shown.charts) and report.asked > 0)
        asked = report.asked > 0
        for widget in (
            self.rounds_title,
            self.rounds,
            self.methods_title,
            self.methods,
            self.tests,
            self.closing,
        ):
            widget.setVisible(asked)
        if asked:
            rounds, methods = rounds_table(report), methods_table(report)
            self.rounds_title.setText(rounds.title)
            self.rounds.set_table(rounds)
            self.methods_title.setText(methods.title)
            self.methods.set_table(methods)
            self.tests.setText("\n".join(paired_tests(report)))
            self.closing.setText("\n".join(closing_lines(report)))

        self.questions.set_questions(report.questions)
        if same_run and 0 <= current_row < len(report.questions):
            self.questions.setCurrentIndex(self.questions.questions.index(current_row, 0))
        self.tabs.setTabText(1, f"Questions ({len(report.questions)})")
        if not same_run:
            self.tabs.setCurrentIndex(0)

    def scroll_to(self, widget: QWidget) -> None:
        """Show the Summary tab scrolled so that `widget` (a chart, a table) is in view."""
        self.tabs.setCurrentWidget(self.summary)
        self.summary.ensureWidgetVisible(widget, 0, 0)

    def _chart_point_clicked(self, link: str) -> None:
        """A chart point that stands for one question links to its debate."""
        if self.shown is None:
            return
        debate_ids = {question.debate_id for question in self.shown.report.questions}
        if link in debate_ids:
            self.debate_open_requested.emit(link)
