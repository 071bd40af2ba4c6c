"""The replay bar under a stored debate: play/pause, steps, speed and a timeline.

The playback itself lives in `replay.controller`; the bar only turns clicks and keys
into the controller's calls and shows where the replay is.

Keys (active while the focus is anywhere in the bar's parent, i.e. the debate page,
so they never steal Left/Right/Home/End from the history list or a text field):
Space play/pause, Right next turn, Shift+Right next round, Left previous turn,
Home start, End end.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Slot
from PySide6.QtGui import (
    QAction,
    QIcon,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

from roundtable.gui.replay.controller import ENDED, PLAYING, SPEEDS, ReplayController
from roundtable.gui.style.colours import border
from roundtable.gui.style.formatting import round_title

__all__ = ["ReplayBar", "position_text"]

_SP = QStyle.StandardPixmap


def position_text(position: int, total: int, round_index: int | None) -> str:
    """The bar's label: "Turn 4 of 9 · Round 2" (rounds counted from 1, as shown elsewhere)."""
    if total == 0:
        return "No turns to replay"
    if position == 0:
        return f"Start · {total} turns"
    text = f"Turn {position} of {total}"
    return text if round_index is None else f"{text} · {round_title(round_index)}"


def _speed_text(speed: float) -> str:
    return f"{speed:g}×"


class ReplayBar(QWidget):
    """Controls for a `ReplayController`. No signals: it calls the controller directly."""

    def __init__(
        self, controller: ReplayController | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("replay-bar")
        self.setAccessibleName("Replay controls")
        self._controller: ReplayController | None = None
        self._shortcut_host: QWidget | None = None
        self._pending_seek: int | None = None
        self._seek_timer = QTimer(self)
        self._seek_timer.setSingleShot(True)
        self._seek_timer.setInterval(0)
        self._seek_timer.timeout.connect(self._apply_pending_seek)

        self.start_action = self._action("Start", _SP.SP_MediaSkipBackward, "Home", "Go to start")
        self.previous_action = self._action(
            "Previous turn", _SP.SP_MediaSeekBackward, "Left", "Back to the previous turn"
        )
        self.play_action = self._action("Play", _SP.SP_MediaPlay, "Space", "Play")
        self.next_action = self._action(
            "Next turn", _SP.SP_MediaSeekForward, "Right", "Show the next turn"
        )
        self.next_round_action = self._action(
            "Next round", _SP.SP_MediaSeekForward, "Shift+Right", "Jump to the next round's result"
        )
        self.end_action = self._action("End", _SP.SP_MediaSkipForward, "End", "Go to the end")

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Replay timeline")
        self.slider.setToolTip("Drag to move through the debate, turn by turn")
        self.slider.setPageStep(1)
        self.slider.setMinimumWidth(120)
        self.slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.position_label = QLabel(position_text(0, 0, None))
        self.position_label.setAccessibleName("Replay position")
        self.position_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        # Fixed room for the longest label, so the slider does not twitch as it changes.
        widest = self.fontMetrics().horizontalAdvance("Turn 888 of 888 · Round 88")
        self.position_label.setMinimumWidth(widest + 8)
        self.speed_combo = QComboBox()
        self.speed_combo.setAccessibleName("Replay speed")
        self.speed_combo.setToolTip("Replay speed (1× is as fast as the models streamed)")
        for speed in SPEEDS:
            self.speed_combo.addItem(_speed_text(speed), speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(1.0))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        for act in (self.start_action, self.previous_action, self.play_action, self.next_action):
            layout.addWidget(self._button(act))
        round_button = self._button(self.next_round_action)
        # Two "forward" arrows would look alike: this one says what it skips to.
        round_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        layout.addWidget(round_button)
        layout.addWidget(self._button(self.end_action))
        layout.addSpacing(8)
        layout.addWidget(self.slider, 1)
        layout.addSpacing(8)
        layout.addWidget(self.position_label)
        layout.addWidget(self.speed_combo)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self._connect_signals()
        self._install_shortcuts(self)
        self._built = True
        self.set_controller(controller)

    # ------------------------------------------------------------------ building
    def _action(self, text: str, icon: QStyle.StandardPixmap, key: str, tip: str) -> QAction:
        act = QAction(self._icon(icon), text, self)
        act.setData(icon)
        act.setShortcut(QKeySequence(key))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        act.setToolTip(f"{tip} ({shown})")
        return act

    def _icon(self, which: QStyle.StandardPixmap) -> QIcon:
        """The style's icon, recoloured with the palette's button text: Fusion's media
        icons are black, which vanishes on a dark theme."""
        base = self.style().standardIcon(which)
        palette = self.palette()
        icon = QIcon()
        for mode, group in (
            (QIcon.Mode.Normal, QPalette.ColorGroup.Active),
            (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled),
        ):
            colour = palette.color(group, QPalette.ColorRole.ButtonText)
            for size in (16, 18, 24, 32):
                source = base.pixmap(QSize(size, size), self.devicePixelRatioF())
                if source.isNull():
                    continue
                tinted = QPixmap(source.size())
                tinted.setDevicePixelRatio(source.devicePixelRatio())
                tinted.fill(Qt.GlobalColor.transparent)
                painter = QPainter(tinted)
                painter.drawPixmap(0, 0, source)
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
                painter.fillRect(tinted.rect(), colour)
                painter.end()
                icon.addPixmap(tinted, mode)
        return icon

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        built = getattr(self, "_built", False)  # events arrive during __init__ too
        if built and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            for act in self.shortcut_actions():
                which = act.data()
                if isinstance(which, QStyle.StandardPixmap):
                    act.setIcon(self._icon(which))
            self._refresh()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        # A hairline on top separates the controls from the debate above them.
        painter = QPainter(self)
        painter.setPen(border(self.palette()))
        painter.drawLine(0, 0, self.width(), 0)
        painter.end()

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setIconSize(QSize(18, 18))
        button.setAccessibleName(action.text())
        return button

    def _connect_signals(self) -> None:
        self.start_action.triggered.connect(lambda: self._call("to_start"))
        self.previous_action.triggered.connect(lambda: self._call("previous_turn"))
        self.play_action.triggered.connect(lambda: self._call("toggle_play"))
        self.next_action.triggered.connect(lambda: self._call("next_turn"))
        self.next_round_action.triggered.connect(lambda: self._call("next_round"))
        self.end_action.triggered.connect(lambda: self._call("to_end"))
        self.slider.valueChanged.connect(self._slider_moved)
        self.speed_combo.currentIndexChanged.connect(self._speed_chosen)

    def shortcut_actions(self) -> list[QAction]:
        return [
            self.play_action,
            self.previous_action,
            self.next_action,
            self.next_round_action,
            self.start_action,
            self.end_action,
        ]

    def _install_shortcuts(self, host: QWidget) -> None:
        if self._shortcut_host is not None:
            for act in self.shortcut_actions():
                self._shortcut_host.removeAction(act)
        self._shortcut_host = host
        host.addActions(self.shortcut_actions())

    def event(self, event: QEvent) -> bool:
        # The keys belong to the page the bar sits on (the debate view and the bar), so
        # Space works while reading the transcript; they follow the bar when re-parented.
        if event.type() == QEvent.Type.ParentChange:
            parent = self.parentWidget()
            self._install_shortcuts(parent if parent is not None else self)
        return super().event(event)

    # ------------------------------------------------------------------ controller
    def set_controller(self, controller: ReplayController | None) -> None:
        if self._controller is not None:
            self._controller.position_changed.disconnect(self._show_position)
            self._controller.state_changed.disconnect(self._show_state)
            self._controller.speed_changed.disconnect(self._show_speed)
        self._controller = controller
        if controller is not None:
            controller.position_changed.connect(self._show_position)
            controller.state_changed.connect(self._show_state)
            controller.speed_changed.connect(self._show_speed)
            self._show_speed(controller.speed)
        self._refresh()

    @property
    def controller(self) -> ReplayController | None:
        return self._controller

    def _call(self, name: str) -> None:
        if self._controller is not None:
            getattr(self._controller, name)()

    @Slot(int)
    def _slider_moved(self, value: int) -> None:
        # Dragging sends many values: apply only the latest, once per event-loop turn,
        # since a step back rebuilds the view from the start.
        self._pending_seek = value
        self._seek_timer.start()

    @Slot()
    def _apply_pending_seek(self) -> None:
        value, self._pending_seek = self._pending_seek, None
        if self._controller is not None and value is not None:
            self._controller.seek(value)

    @Slot(int)
    def _speed_chosen(self, index: int) -> None:
        speed = self.speed_combo.itemData(index)
        if self._controller is not None and speed is not None:
            self._controller.set_speed(float(speed))

    @Slot(float)
    def _show_speed(self, speed: float) -> None:
        index = self.speed_combo.findData(speed)
        if index >= 0 and index != self.speed_combo.currentIndex():
            self.speed_combo.blockSignals(True)
            self.speed_combo.setCurrentIndex(index)
            self.speed_combo.blockSignals(False)

    @Slot(int, int)
    def _show_position(self, _position: int, _total: int) -> None:
        self._refresh()

    @Slot(str)
    def _show_state(self, _state: str) -> None:
        self._refresh()

    def _refresh(self) -> None:
        ctl = self._controller
        has = ctl is not None and ctl.has_events
        position = ctl.position if ctl is not None else 0
        total = ctl.total_turns if ctl is not None else 0
        playing = ctl is not None and ctl.state == PLAYING
        self.position_label.setText(
            position_text(position, total, ctl.current_round if ctl is not None else None)
        )
        if not self._seek_timer.isActive() and not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setRange(0, total)
            self.slider.setValue(position)
            self.slider.blockSignals(False)
        self.slider.setEnabled(has and total > 0)
        self.speed_combo.setEnabled(has)
        at_start = ctl is None or ctl.at_start
        at_end = ctl is None or ctl.at_end
        self.start_action.setEnabled(has and not at_start)
        self.previous_action.setEnabled(has and not at_start)
        self.next_action.setEnabled(has and not at_end)
        self.next_round_action.setEnabled(has and not at_end)
        self.end_action.setEnabled(has and not at_end)
        self.play_action.setEnabled(has)
        if playing:
            icon, text, tip = _SP.SP_MediaPause, "Pause", "Pause"
        elif ctl is not None and ctl.state == ENDED:
            icon, text, tip = _SP.SP_MediaPlay, "Play", "Replay from the start"
        else:
            icon, text, tip = _SP.SP_MediaPlay, "Play", "Play"
        if self.play_action.data() != icon:
            self.play_action.setData(icon)
            self.play_action.setIcon(self._icon(icon))
        self.play_action.setText(text)
        self.play_action.setToolTip(f"{tip} (Space)")
        for button in self.findChildren(QToolButton):
            if button.defaultAction() is self.play_action:
                button.setAccessibleName(text)
