"""A chart in the app: drawn on matplotlib's canvas, hover shows a point, a click opens it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QToolTip

from roundtable.charts.debate_charts import debate_charts, facts_from_events
from roundtable.charts.values import Axis, Chart, ChartKind, Point, Series, SeriesRole
from roundtable.gui.style import colours
from roundtable.gui.style.theme import dark_palette, light_palette
from roundtable.gui.widgets.chart_view import ChartView, chart_theme
from tests.helpers.debates import bat_and_ball_debate


def _questions_chart() -> Chart:
    points = (
        Point(0.002, 0.8, tooltip="Table: 80% for $0.002 a question", link="debate-a"),
        Point(0.001, 0.6, tooltip="Ada alone: 60% for $0.001 a question", link="debate-b"),
        Point(0.0015, 0.7, tooltip="Majority of round 1: 70%", link=""),
    )
    return Chart(
        key="cost",
        kind=ChartKind.SCATTER,
        title="Cost and accuracy",
        caption="The table is the most accurate and the dearest.",
        x=Axis("Cost per question", dollars=True, low=0, high=0.003),
        y=Axis("Accuracy", percent=True, low=0, high=1),
        series=(Series("Table", points, SeriesRole.TABLE),),
    )


@pytest.fixture
def view(qtbot) -> ChartView:
    widget = ChartView()
    qtbot.addWidget(widget)
    widget.resize(720, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _ink(image: QImage) -> int:
    """How many sampled pixels differ from the top-left (background) pixel."""
    background = image.pixelColor(0, 0)
    return sum(
        image.pixelColor(x, y) != background
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    )


def test_the_chart_is_drawn_with_its_caption_and_accessible_text(view: ChartView, qtbot):
    chart = debate_charts(facts_from_events(bat_and_ball_debate()))[1]
    view.set_chart(chart)
    qtbot.waitUntil(lambda: _ink(view.canvas.grab().toImage()) > 50)
    assert view.caption.text() == chart.caption
    assert view.accessibleName() == "Each seat's answer by round"
    assert view.accessibleDescription() == chart.caption
    assert [p.tooltip for p in view.points()] == [p.tooltip for _, p in chart.points()]


def test_clicking_a_point_emits_its_link(view: ChartView, qtbot):
    view.set_chart(_questions_chart())
    where = view.point_position(1)
    with qtbot.waitSignal(view.point_clicked, timeout=1000) as clicked:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=where)
    assert clicked.args == ["debate-b"]


def test_a_point_without_a_link_or_empty_space_emits_nothing(view: ChartView, qtbot):
    view.set_chart(_questions_chart())
    with qtbot.assertNotEmitted(view.point_clicked):
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=view.point_position(2))
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


def test_hovering_near_a_point_shows_its_values(view: ChartView, qtbot):
    view.set_chart(_questions_chart())
    near = view.point_position(0) + QPoint(4, 3)
    qtbot.mouseMove(view.canvas, near)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == "Table: 80% for $0.002 a question"


def test_the_keyboard_walks_the_points_and_enter_opens_one(view: ChartView, qtbot):
    view.set_chart(_questions_chart())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.accessibleDescription() == "Table: 80% for $0.002 a question"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    with qtbot.waitSignal(view.point_clicked, timeout=1000) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == ["debate-b"]
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Left)  # wraps round to the last point
    assert view.accessibleDescription() == "Majority of round 1: 70%"


def test_a_palette_change_draws_the_chart_in_the_new_colours(view: ChartView, qtbot):
    view.setPalette(light_palette())
    view.set_chart(_questions_chart())
    light_window = light_palette().color(QPalette.ColorRole.Window)
    qtbot.waitUntil(lambda: view.canvas.grab().toImage().pixelColor(3, 3) == light_window)
    view.setPalette(dark_palette())
    dark_window = dark_palette().color(QPalette.ColorRole.Window)
    qtbot.waitUntil(lambda: view.canvas.grab().toImage().pixelColor(3, 3) == dark_window)
    assert chart_theme(dark_palette(), 10).dark


def test_a_seats_line_in_a_chart_has_the_colour_of_its_card():
    for dark, palette in ((False, light_palette()), (True, dark_palette())):
        theme = chart_theme(palette, 10)
        for index in range(14):
            card = colours.seat_colour(index, palette)
            assert theme.seat_colour(index) == colours.css(card), (dark, index)
