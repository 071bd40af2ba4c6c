"""The Evaluations view in the window: a run made with `roundtable eval` is listed, its
report shows the numbers `build_report` computes, and a question opens its debate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from roundtable.engine.evaluation.report import EvalReport, build_report
from roundtable.gui.evaluations.empty_state import EmptyState
from roundtable.gui.evaluations.report_text import FIRST_RUN_COMMAND, run_accuracy
from roundtable.gui.evaluations.view import EvaluationsView
from roundtable.gui.main_window import MainWindow
from roundtable.gui.shown_debate import Page
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from roundtable.storage import Database, open_database
from roundtable.storage.evaluations import list_eval_runs, load_eval_run
from tests.gui.evaluations.conftest import QUESTIONS, make_eval_run
from tests.helpers.engine import FakeEngine

pytestmark = [
    pytest.mark.slow,  # the run is made with the real `roundtable eval`
]


@pytest.fixture
def database(eval_db: Path) -> Iterator[Database]:
    db = open_database(eval_db)
    yield db
    db.close()


@pytest.fixture
def window(qtbot, database: Database) -> Iterator[MainWindow]:
    win = MainWindow(AppSettings(), db_location=database.location)
    win.database = database
    win.history.set_database(database)
    win.evaluations.set_database(database)
    win.engine = FakeEngine()  # type: ignore[assignment]
    win.resize(1280, 860)
    win.show()
    yield win
    qtbot.waitUntil(lambda: pending_jobs() == 0)
    win.engine = None
    win.shown.live_id = None  # else closing asks whether to stop it
    win.close()
    win.deleteLater()


def stored_report(database: Database) -> EvalReport:
    (run,) = list_eval_runs(database)
    return build_report(load_eval_run(database, run.id))


def open_evaluations(window: MainWindow, qtbot) -> EvaluationsView:
    view = window.evaluations
    with qtbot.waitSignal(view.run_shown, timeout=20_000):
        window.window_actions.evaluations.trigger()
    return view


def test_the_run_is_listed_and_its_report_shows_build_reports_numbers(window, qtbot, database):
    view = open_evaluations(window, qtbot)
    expected = stored_report(database)
    assert window.evaluations_shown
    assert window.window_actions.evaluations.isChecked()
    assert view.runs.rowCount() == 1
    summary = view.runs.run(0)
    assert summary.id == expected.run_id
    assert (summary.asked, summary.total) == (QUESTIONS, QUESTIONS)
    assert summary.simulated
    assert run_accuracy(summary) == f"{100 * expected.table.accuracy.estimate:.0f} %"

    report = view.report
    assert report.shown is not None
    assert report.shown.report == expected
    assert report.verdict.text() == expected.verdict()
    assert report.banner.isVisibleTo(view)
    assert "Simulated seats: Ada, Basil, Cyra" in report.banner.text().replace("</b>", "")
    # Per round: the table's accuracy with its interval, then each seat's, as the CLI.
    rounds = report.rounds
    assert rounds.rowCount() == len(expected.rounds)
    for row, numbers in enumerate(expected.rounds):
        assert rounds.item(row, 1).text() == numbers.table.brief()
        for offset, seat in enumerate(numbers.seats):
            assert rounds.item(row, 2 + offset).text() == seat.accuracy.brief()
    # Per method: the table, each seat alone, the majority, self-consistency.
    methods = report.methods
    assert methods.rowCount() == len(expected.methods)
    for row, method in enumerate(expected.methods):
        assert methods.item(row, 0).text() == method.label
        assert methods.item(row, 1).text() == method.accuracy.brief()
        assert methods.item(row, 2).text() == method.cost.describe()
    for method in expected.methods[1:]:
        assert method.versus_table is not None
        assert method.versus_table.verdict in report.tests.text()
    assert report.questions.questions.rowCount() == QUESTIONS
    assert report.tabs.tabText(1) == f"Questions ({QUESTIONS})"


@pytest.mark.parametrize("how", ["enter", "double-click"])
def test_a_question_opens_its_debate_in_the_debate_view(window, qtbot, database, how):
    view = open_evaluations(window, qtbot)
    question = stored_report(database).questions[1]
    report = view.report
    report.tabs.setCurrentIndex(1)
    table = report.questions
    index = table.questions.index(1, 1)
    if how == "enter":
        table.setCurrentIndex(index)
        qtbot.keyClick(table, Qt.Key.Key_Return)
    else:
        qtbot.waitUntil(lambda: table.visualRect(index).height() > 0)
        where = table.visualRect(index).center()
        # A double-click is a press and a release, then a second press as a double-click.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert not window.evaluations_shown
    assert window.shown.shown_id == question.debate_id
    assert window.pages.currentIndex() == Page.DEBATE.value
    state = window.debate_view.state
    assert state.debate_id == question.debate_id
    assert state.spec is not None
    assert question.question.split("?")[0] in state.spec.question
    # The way back: the same run, still chosen.
    with qtbot.waitSignal(view.run_shown, timeout=20_000):
        window.window_actions.evaluations.trigger()
    assert view.current_run_id() == stored_report(database).run_id


def test_esc_goes_back_and_never_stops_a_debate_running_out_of_sight(window, qtbot):
    window.setup.focus_question()
    view = open_evaluations(window, qtbot)
    assert view.run_list.hasFocus()
    window.shown.live_id = "live-1"  # a debate is running
    window._update_actions()
    assert window.window_actions.stop.isEnabled()
    qtbot.keyClick(view.run_list, Qt.Key.Key_Escape)
    assert not window.evaluations_shown
    assert window.engine is not None
    assert not any(call[0] == "cancel" for call in window.engine.calls)  # type: ignore[attr-defined]


def test_a_run_made_in_a_terminal_meanwhile_shows_when_the_view_is_shown_again(
    window, qtbot, eval_db
):
    view = open_evaluations(window, qtbot)
    first = view.current_run_id()
    window.leave_evaluations()
    make_eval_run(eval_db, limit=2, seed=5)
    with qtbot.waitSignal(view.runs_shown, timeout=20_000) as listed:
        window.window_actions.evaluations.trigger()
    assert listed.args == [2]
    assert view.current_run_id() == first, "the run chosen before stays chosen"


def test_no_run_yet_says_how_to_make_one_with_a_command_to_copy(qtbot, tmp_path):
    database = open_database(tmp_path / "empty.db")
    view = EvaluationsView()
    qtbot.addWidget(view)
    view.set_database(database)
    with qtbot.waitSignal(view.runs_shown, timeout=10_000) as listed:
        view.show()
    assert listed.args == [0]
    assert view.pages.currentWidget() is view.empty
    empty: EmptyState = view.empty
    assert empty.command.text() == FIRST_RUN_COMMAND == "roundtable eval arithmetic --limit 20"
    assert empty.command.isReadOnly()
    qtbot.mouseClick(empty.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == FIRST_RUN_COMMAND
    assert empty.copy_button.text() == "Copied"
    qtbot.waitUntil(lambda: pending_jobs() == 0)
    database.close()


def test_the_models_pass_qts_model_checks(window, qtbot, qtmodeltester):
    view = open_evaluations(window, qtbot)
    qtmodeltester.check(view.runs)
    qtmodeltester.check(view.report.questions.questions)


def test_clicking_a_question_in_the_chart_opens_its_debate(window, qtbot, database):
    view = open_evaluations(window, qtbot)
    expected = stored_report(database)
    charts = {chart.chart.key: chart for chart in view.report.charts.shown_views() if chart.chart}
    assert set(charts) >= {"accuracy", "agreement", "cost", "calibration", "questions"}
    grid = charts["questions"]
    points = grid.points()
    # The table's row: one cell a question, in the run's order, each linked to its debate.
    last = max(index for index, point in enumerate(points) if point.link)
    question = expected.questions[-1]
    assert points[last].link == question.debate_id
    view.report.scroll_to(grid)
    qtbot.wait(200)
    # The canvas, not the chart widget: a widget's visible region leaves out its children.
    qtbot.waitUntil(lambda: grid.canvas.visibleRegion().boundingRect().height() > 100)
    qtbot.mouseClick(grid.canvas, Qt.MouseButton.LeftButton, pos=grid.point_position(last))
    assert not window.evaluations_shown
    assert window.shown.shown_id == question.debate_id
    assert window.debate_view.state.debate_id == question.debate_id
