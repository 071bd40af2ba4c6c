"""The input panel a person at the table answers in when their turn comes.

The engine sends a `HumanTurnRequested` (debate, round, seat, and the prompt: the
question and, from the second round, the others' answers and reasoning) and waits.
This panel shows the prompt, takes the person's reasoning and final answer, and
emits `submitted` (or a pass, as the text ""); the main window forwards it to the
engine with `EngineClient.send_human_turn`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable.gui.style.formatting import round_title
from roundtable.gui.widgets.markdown_view import SafeTextBrowser
from roundtable.wire import HumanTurnRequested

PLACEHOLDER = "Your reasoning… end with Final answer: … and Confidence: …"


class HumanTurnPanel(QFrame):
    """Shown below the debate while the engine waits for a person's turn.

    Signals: `submitted`.
    """

    #: (debate_id: str, round: int, seat_id: str, text: str) a person's turn; "" passes.
    submitted = Signal(str, int, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self.setAccessibleName("Your turn")
        self.request: HumanTurnRequested | None = None
        self.title = QLabel(self)
        bold = QFont(self.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.prompt_view = SafeTextBrowser(self, fit_content=False)
        self.prompt_view.setAccessibleName("What the table asks you")
        self.prompt_view.setMinimumHeight(90)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Your answer")
        self.editor.setPlaceholderText(PLACEHOLDER)
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(90)
        self.submit_button = QPushButton("&Submit", self)
        self.submit_button.setProperty("primary", True)
        self.submit_button.setToolTip("Send your turn to the table (Ctrl+Enter)")
        self.pass_button = QPushButton("&Pass", self)
        self.pass_button.setToolTip("Sit this round out: your turn is not counted in the vote")
        self.submit_button.clicked.connect(self.submit)
        self.pass_button.clicked.connect(self.pass_turn)
        self.editor.textChanged.connect(self._update_buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pass_button)
        buttons.addWidget(self.submit_button)
        columns = QHBoxLayout()
        columns.addWidget(self.prompt_view, 1)
        columns.addWidget(self.editor, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.title)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)
        self.setMinimumHeight(230)
        self._update_buttons()
        self.hide()

    def show_request(self, request: HumanTurnRequested) -> None:
        """Ask for a turn: show the prompt, clear the editor, focus it."""
        self.request = request
        name = request.seat_name or "You"
        self.title.setText(f"Your turn, {name} — {round_title(request.round)}")
        # Plain text, as the terminal shows it: as Markdown, "3*4*5" would lose its stars.
        self.prompt_view.set_plain_text(request.prompt or request.question)
        self.editor.clear()
        self.show()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def withdraw(self) -> None:
        """The turn is no longer asked for (the debate ended or moved on)."""
        self.request = None
        self.hide()

    def submit(self) -> None:
        text = self.editor.toPlainText().strip()
        if text:
            self._send(text)

    def pass_turn(self) -> None:
        self._send("")

    def _send(self, text: str) -> None:
        request = self.request
        if request is None:
            return
        self.withdraw()
        self.submitted.emit(request.debate_id, request.round, request.seat_id, text)

    def _update_buttons(self) -> None:
        self.submit_button.setEnabled(bool(self.editor.toPlainText().strip()))
