"""`FieldFrameStyle`: Fusion, with input fields that look like fields on both themes.

Fusion draws a field's frame a shade darker than the *window*. On the dark palette
that is black on a near-black field: the follow-up box, the persona and key fields
had no visible edge. And a disabled field kept the very same frame as an enabled
one, so with no keyring the disabled key fields looked like empty fields waiting
for input.

This proxy draws the frame of line edits, editable text boxes and spin boxes again,
over Fusion's: an enabled field's edge reaches 3:1 against the window and the
field (WCAG 1.4.11, non-text contrast), a disabled field's edge fades into the
window. A focused field keeps Fusion's highlighted frame.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QStyleOptionSpinBox,
    QTextEdit,
    QWidget,
)

from roundtable.gui.style.theme import is_dark

_State = QStyle.StateFlag

#: (enabled, disabled) edge colours on the light and the dark palette.
FIELD_EDGES = {
    False: (QColor("#858c96"), QColor("#d5d9de")),
    True: (QColor("#6e7681"), QColor("#33373e")),
}


def field_edge(dark: bool, *, enabled: bool) -> QColor:
    enabled_edge, disabled_edge = FIELD_EDGES[dark]
    return QColor(enabled_edge if enabled else disabled_edge)


def _draw_edge(option: QStyleOption, painter: QPainter) -> None:
    enabled = bool(option.state & _State.State_Enabled)
    if enabled and option.state & _State.State_HasFocus:
        return  # Fusion's highlighted frame says where typing goes
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    # The same geometry as Fusion's outline, so this one covers it exactly.
    painter.translate(0.5, 0.5)
    painter.setPen(QPen(field_edge(is_dark(option.palette), enabled=enabled), 1))
    painter.setBrush(QColor(0, 0, 0, 0))
    painter.drawRoundedRect(QRectF(option.rect).adjusted(0, 0, -1, -1), 2, 2)
    painter.restore()


def _is_text_box(widget: QWidget | None) -> bool:
    return isinstance(widget, QPlainTextEdit | QTextEdit) and not widget.isReadOnly()


class FieldFrameStyle(QProxyStyle):
    """Fusion with visible, state-aware field frames (see the module docstring)."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        field = element == QStyle.PrimitiveElement.PE_FrameLineEdit or (
            element == QStyle.PrimitiveElement.PE_Frame and _is_text_box(widget)
        )
        if field:
            _draw_edge(option, painter)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if (
            control == QStyle.ComplexControl.CC_SpinBox
            and isinstance(option, QStyleOptionSpinBox)
            and option.frame
        ):
            _draw_edge(option, painter)
