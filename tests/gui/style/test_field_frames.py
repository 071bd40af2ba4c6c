"""Fields look like fields: an edge that stands out on both themes (the dark follow-up
box had none), and a disabled field that looks disabled (the key fields without a
keyring looked ready for typing)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget

from roundtable.gui.style.theme import apply_theme, contrast_ratio

Role = QPalette.ColorRole


@pytest.fixture(params=["light", "dark"])
def theme(request, qapp):
    apply_theme(qapp, request.param, 10)
    yield request.param
    apply_theme(qapp, "light", 10)


def _form(qtbot) -> tuple[QWidget, list[QWidget]]:
    form = QWidget()
    fields: list[QWidget] = [QLineEdit(), QPlainTextEdit(), QSpinBox()]
    layout = QVBoxLayout(form)
    layout.setContentsMargins(20, 20, 20, 20)
    layout.setSpacing(20)
    for field in fields:
        field.setFixedHeight(40)
        layout.addWidget(field)
    qtbot.addWidget(form)
    form.resize(300, 240)
    form.show()
    qtbot.waitExposed(form)
    return form, fields


def _edge_contrast(image: QImage, form: QWidget, field: QWidget) -> float:
    """The strongest contrast with the window along the field's left edge."""
    window = form.palette().color(Role.Window)
    x, y = field.x(), field.y() + field.height() // 2
    return max(contrast_ratio(QColor(image.pixel(x + dx, y)), window) for dx in (0, 1))


def test_an_enabled_field_has_an_edge_that_stands_out(qtbot, theme):
    form, fields = _form(qtbot)
    image = form.grab().toImage()
    for field in fields:
        ratio = _edge_contrast(image, form, field)
        assert ratio >= 2.9, f"{type(field).__name__} on {theme}: edge {ratio:.2f}:1"


def test_a_disabled_field_does_not_look_like_an_empty_one(qtbot, theme):
    form, fields = _form(qtbot)
    enabled = form.grab().toImage()
    for field in fields:
        field.setEnabled(False)
    disabled = form.grab().toImage()
    window = form.palette().color(Role.Window)
    for field in fields:
        was, now = _edge_contrast(enabled, form, field), _edge_contrast(disabled, form, field)
        assert now < 1.7 < was, f"{type(field).__name__} on {theme}: {was:.2f} → {now:.2f}"
        inside = QColor(disabled.pixel(field.x() + field.width() // 2, field.y() + 8))
        assert contrast_ratio(inside, window) < 1.1, f"{type(field).__name__} is filled in"
