"""One turn in the transcript: who spoke, what they said, what they answered, what it cost.

While the turn streams, its text is plain and only ever appended to; when it finishes,
the Markdown is rendered once. `sync(turn)` brings the card up to date with the state
whatever happened in between (a retry, a failure, a replay opening mid-stream), so the
live path and the replay path draw the card the same way.
"""

from __future__ import annotations

import html
import weakref
from collections.abc import Callable

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from roundtable.domain import Seat
from roundtable.domain.endings import describe_ending
from roundtable.export.markdown import turn_markdown
from roundtable.gui.debate.seat_card import phase_words
from roundtable.gui.debate.state_values import Phase, TurnKey, TurnView
from roundtable.gui.style import colours
from roundtable.gui.style.formatting import percent, usage_line
from roundtable.gui.style.painting import paint_accent_bar, paint_panel
from roundtable.gui.style.theme import is_dark, semantic_colours
from roundtable.gui.widgets.copy_button import CopyButton
from roundtable.gui.widgets.elided_label import ElidedLabel
from roundtable.gui.widgets.markdown_view import SafeTextBrowser, render_markdown

#: Lines of a streaming turn kept in view; the whole text shows when it finishes.
STREAMING_TAIL_LINES = 10
CAPITULATED_TIP = "switched to the majority's answer without a new argument"


class Dot(QWidget):
    """A small filled circle: a seat's colour."""

    def __init__(self, colour: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = colour
        self.setFixedSize(10, 10)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour)
        painter.drawEllipse(QRectF(0.5, 0.5, 9, 9))
        painter.end()


class Chip(ElidedLabel):
    """A label on a tinted pill (the answer in a turn's header); a long answer ends in
    "…" rather than widening the transcript (the tooltip has it whole)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.tint = QColor("#888888")
        self.setContentsMargins(9, 1, 9, 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(self.tint)
        fill.setAlphaF(0.18)
        painter.setPen(QPen(QColor(self.tint), 1.0))
        painter.setBrush(fill)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.end()
        super().paintEvent(event)


class TurnCard(QFrame):
    """A turn of one seat in one round.

    Signals:
        diff_requested(int, str): the user asked to compare this turn with the seat's
            previous round (round, seat id).
    """

    diff_requested = Signal(int, str)  #: (round, seat_id)

    def __init__(
        self, seat: Seat, seat_index: int, round_index: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.seat = seat
        self.seat_index = seat_index
        self.round_index = round_index
        self._mode: Phase | None = None  # what the body shows now
        self._shown_len = 0  # characters of streamed text in the body
        self._turn: TurnView | None = None
        self._names: dict[str, str] = {}
        self._build()
        self._name_the_turn()
        self.restyle()

    def reuse_for(self, seat: Seat, seat_index: int, round_index: int) -> None:
        """Become another turn's card, empty until `sync`: a card let go by the transcript
        is used again rather than made anew (making one costs ~5 ms, a frame's third)."""
        self.seat, self.seat_index, self.round_index = seat, seat_index, round_index
        self._mode, self._shown_len, self._turn, self._names = None, 0, None, {}
        self._name_the_turn()
        self.restyle()

    def _name_the_turn(self) -> None:
        """What says whose turn this is, in which round."""
        seat = self.seat
        self.setAccessibleName(f"{seat.name}, round {self.round_index + 1}")
        model = seat.model + (" · simulated" if seat.is_demo else "")
        if seat.is_human:
            model = "a person"
        for label, text in ((self.name_label, seat.name), (self.model_label, model)):
            label.setText(text)
            label.setToolTip(text)  # the whole of it, when the card is too narrow to show it
        self.body.setAccessibleName(f"Text of {seat.name}, round {self.round_index + 1}")
        self.diff_button.setText(f"Diff with round {self.round_index}")
        what = f"{seat.name}'s turn"
        self.copy_button.setAccessibleName(f"Copy {what}")
        self.copy_button.setToolTip(f"Copy {what} as Markdown; the arrow offers plain text")

    @property
    def key(self) -> TurnKey:
        return (self.round_index, self.seat.id)

    # ------------------------------------------------------------ construction
    def _build(self) -> None:
        self.dot = Dot(colours.seat_colour(self.seat_index), self)
        # Name and model give up width before the card does (a long model id made the
        # transcript scroll sideways); hovering says them whole.
        self.name_label = ElidedLabel("", self)
        bold = QFont(self.font())
        bold.setBold(True)
        self.name_label.setFont(bold)
        self.model_label = ElidedLabel("", self)
        self.state_label = QLabel(self)
        self.answer_chip = Chip(self)
        self.answer_chip.setFont(bold)
        self.answer_chip.hide()
        self.confidence_label = QLabel(self)
        self._build_extras()
        self._build_diff_button()
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self.dot)
        header.addWidget(self.name_label)
        header.addWidget(self.model_label)
        header.addWidget(self.state_label)
        header.addStretch(1)
        header.addWidget(self.answer_chip)
        header.addWidget(self.confidence_label)
        header.addWidget(self.capitulated_label)
        header.addWidget(self.diff_button)
        header.addWidget(self.copy_button)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.body = SafeTextBrowser(self)
        self.body.hide()
        self.footer = QLabel(self)
        self.footer.hide()

        # The body's text starts after its document margin: line the labels up with it.
        margin = round(self.body.document().documentMargin())
        self.notice.setContentsMargins(margin, 0, 0, 0)
        self.footer.setContentsMargins(margin, 0, 0, 0)
        self.ranking_label.setContentsMargins(margin, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 14, 10)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addWidget(self.body)
        layout.addWidget(self.ranking_label)
        layout.addWidget(self.footer)

    def _build_diff_button(self) -> None:
        self.diff_button = QToolButton(self)
        self.diff_button.setAccessibleName("Diff with previous round")
        self.diff_button.setToolTip("Show what this seat changed since its previous round")
        self.diff_button.setAutoRaise(True)
        self.diff_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.diff_button.clicked.connect(
            lambda: self.diff_requested.emit(self.round_index, self.seat.id)
        )
        self.diff_button.hide()
        # The button asks the card for its text through weak references: a card that
        # referred to itself through its button was a reference cycle, freed only by the
        # garbage collector, whose passes over hundreds of let-go cards stalled scrolling.
        self.copy_button = CopyButton(
            _weakly(self._markdown_text), _weakly(self._plain_text), "this turn", self
        )
        self.copy_button.hide()

    def _build_extras(self) -> None:
        """What some protocols add: a capitulation flag, a council reviewer's ranking."""
        self.capitulated_label = QLabel("capitulated", self)
        self.capitulated_label.setAccessibleName("Capitulated")
        self.capitulated_label.setToolTip(CAPITULATED_TIP)
        self.capitulated_label.hide()
        self.ranking_label = QLabel(self)
        self.ranking_label.setAccessibleName("Ranking")
        self.ranking_label.setWordWrap(True)
        self.ranking_label.hide()

    # ------------------------------------------------------------ content
    def sync(
        self, turn: TurnView, *, can_diff: bool = False, names: dict[str, str] | None = None
    ) -> None:
        """Show `turn` as the state has it now, redrawing only what differs.

        `names` (seat id -> name) spells out a council reviewer's ranking.
        """
        self._turn = turn
        if names is not None:
            self._names = names
        self._sync_extras(turn)
        # Only offered when there is something to compare, so it never sits there disabled.
        self.diff_button.setVisible(self.round_index >= 1 and can_diff and bool(turn.text))
        self.copy_button.setVisible(turn.phase is Phase.DONE and bool(turn.text))
        self.state_label.setText(_state_words(turn.phase))
        self._sync_answer(turn)
        if turn.phase is Phase.DONE:
            self._show_markdown(turn.text)
        elif turn.phase is Phase.RETRYING:
            self._show_plain("", Phase.RETRYING)
        elif turn.phase in (Phase.STREAMING, Phase.FAILED, Phase.STOPPED):
            self._show_plain(turn.text, turn.phase)
        else:
            self._show_plain("", turn.phase)
        self._sync_notice(turn)
        self._sync_footer(turn)

    def append_streamed(self, turn: TurnView) -> None:
        """The fast path while streaming: append what arrived since the last call."""
        if self._mode is not Phase.STREAMING or self._shown_len > len(turn.text):
            self.sync(turn)
            return
        new = turn.text[self._shown_len :]
        if new:
            self.body.append_plain(new)
            self._shown_len = len(turn.text)

    def _show_plain(self, text: str, mode: Phase) -> None:
        self.body.set_tail_lines(STREAMING_TAIL_LINES if mode is Phase.STREAMING else None)
        if self._mode is mode and mode is Phase.STREAMING and self._shown_len <= len(text):
            if len(text) > self._shown_len:
                self.body.append_plain(text[self._shown_len :])
        elif self._mode is not mode or self._shown_len != len(text):
            self.body.set_plain_text(text)
        self._mode, self._shown_len = mode, len(text)
        self.body.setVisible(bool(text))

    def _show_markdown(self, text: str) -> None:
        # Rendered once per finished turn; the browser itself follows theme changes.
        if self._mode is Phase.DONE and self._shown_len == len(text):
            return
        # A turn that was just streaming renders on a later pass (see set_markdown_text);
        # a card built for a stored debate renders at once.
        live = self._mode is Phase.STREAMING
        self.body.set_tail_lines(None)
        markdown = turn_markdown(text, typed_by_person=self.seat.is_human)
        self.body.set_markdown_text(markdown, deferred=live)
        self._mode, self._shown_len = Phase.DONE, len(text)
        self.body.setVisible(bool(text.strip()))

    def _sync_extras(self, turn: TurnView) -> None:
        """The capitulation flag and a council reviewer's ranking."""
        self.capitulated_label.setVisible(turn.capitulated)
        if turn.ranking:
            order = " › ".join(html.escape(self._names.get(i, i)) for i in turn.ranking)
            self.ranking_label.setText(f"<b>Ranking</b> (best first): {order}")
        self.ranking_label.setVisible(bool(turn.ranking))

    def _sync_answer(self, turn: TurnView) -> None:
        answer = turn.answer
        if turn.passed:
            self.answer_chip.setText("passed")
            self.answer_chip.setToolTip("This person passed: the turn is not counted in the vote")
            self.answer_chip.show()
            self.confidence_label.clear()
            return
        if answer is None and turn.ranking:
            self.answer_chip.setText("review")
            self.answer_chip.setToolTip("A peer review: this seat ranked the others' answers")
            self.answer_chip.show()
            self.confidence_label.clear()
            return
        if answer is None:
            self.answer_chip.setVisible(turn.phase is Phase.DONE)
            self.answer_chip.setText("no answer")
            self.answer_chip.setToolTip("No final answer could be read from this turn")
            self.confidence_label.clear()
            return
        self.answer_chip.setText(answer.display)
        self.answer_chip.setToolTip(f"{answer.display}\nParsed from: {answer.raw}")
        self.answer_chip.show()
        self.confidence_label.setText(
            "" if answer.confidence is None else f"{percent(answer.confidence)} confident"
        )

    def _sync_notice(self, turn: TurnView) -> None:
        meaning = semantic_colours(self.palette())
        if turn.phase is Phase.RETRYING:
            text, colour = _sentence(turn.error), meaning.warning
        elif turn.phase is Phase.FAILED:
            text, colour = _sentence(turn.error or "This turn failed."), meaning.error
        elif turn.phase is Phase.STOPPED:
            text, colour = "Stopped before the turn finished.", meaning.muted
        elif turn.phase is Phase.QUEUED:
            server = turn.waiting_for or "its server"
            text = f"Waiting for {server}: it is busy with another seat's request."
            colour = meaning.muted
        else:
            self.notice.clear()
            self.notice.setToolTip("")
            self.notice.hide()
            return
        self.notice.setText(text)
        self.notice.setToolTip(turn.error_detail)
        colours.set_text_colour(self.notice, colour)
        self.notice.show()

    def _sync_footer(self, turn: TurnView) -> None:
        if turn.usage is None:
            self.footer.hide()
            return
        text = usage_line(turn.usage)
        note = describe_ending(turn.ending) or (
            "incomplete: the stream was cut" if turn.incomplete else ""
        )
        if note:
            warn = colours.css(semantic_colours(self.palette()).warning)
            text += f' · <span style="color: {warn};">{note}</span>'
        self.footer.setText(text)
        self.footer.show()

    # ------------------------------------------------------------ look
    def restyle(self) -> None:
        """Recolour for the current palette (and re-render Markdown for a new theme)."""
        palette = self.palette()
        muted = semantic_colours(palette).muted
        self.dot.colour = colours.seat_colour(self.seat_index, palette)
        self.dot.update()
        self.answer_chip.tint = colours.seat_colour(self.seat_index, palette)
        for label in (self.model_label, self.state_label, self.confidence_label, self.footer):
            colours.set_text_colour(label, muted)
        colours.set_text_colour(self.capitulated_label, semantic_colours(palette).warning)
        if self._turn is not None:
            self.sync(self._turn, can_diff=not self.diff_button.isHidden())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = colours.seat_colour(self.seat_index, palette)
        if self._turn is not None and self._turn.phase is Phase.FAILED:
            accent = semantic_colours(palette).error
        paint_panel(
            painter,
            QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5),
            palette.color(QPalette.ColorRole.Base),
            QPen(colours.border(palette), 1.0),
        )
        paint_accent_bar(painter, QRectF(self.rect()), accent)
        painter.end()

    def sizeHint(self) -> QSize:
        return QSize(600, super().sizeHint().height())

    def _markdown_text(self) -> str:
        """The turn as Markdown, for the copy button: a model's as written, a person's
        escaped, so a pasted 17*23=391 still reads as typed."""
        text = self._turn.text if self._turn is not None else ""
        return turn_markdown(text, typed_by_person=self.seat.is_human)

    def _plain_text(self) -> str:
        return self.body.toPlainText()

    # ------------------------------------------------------------ for tests and tools
    def body_text(self) -> str:
        return self.body.toPlainText()

    def body_html(self) -> str:
        return self.body.toHtml()


def convert_markdown_ahead(text: str, seat: Seat, palette: QPalette) -> None:
    """Convert a finished turn's Markdown now (it is cached), so a card made for it later
    shows it without converting: the costliest part of making a card, done apart."""
    if text:
        render_markdown(turn_markdown(text, typed_by_person=seat.is_human), dark=is_dark(palette))


def _state_words(phase: Phase) -> str:
    if phase is Phase.DONE:
        return ""  # the answer chip says it
    return f"{phase_words(phase)}…" if phase.active else phase_words(phase)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _weakly(method: Callable[[], str]) -> Callable[[], str]:
    """`method` called through a weak reference to its card ("" once the card is gone)."""
    ref = weakref.WeakMethod(method)

    def call() -> str:
        bound = ref()
        return bound() if bound is not None else ""

    return call
