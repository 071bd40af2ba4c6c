"""`SetupPanel`: set the table before a debate — seats, protocol, rounds, question.

What the user sees, top to bottom: the seats (a list with up/down/remove, an editor
for the selected seat's name, persona, temperature and own price, a model picker and
saved tables), the protocol with its summary, the number of rounds and the budget,
the question (those in `DebateCard`), and the Start button, which stays disabled
while something is missing and says why; beside it, the debate's estimated tokens
and cost, kept up to date. The form scrolls up and down when the window is too
small for its fields (Start stays in sight); it never squeezes one field over another.

The models on offer come from the window's `ModelCatalogue` (listed off the GUI
thread); the panel only shows them. On a first run with no key and no local
server the panel seats the simulated demo table, so a new user can press Start.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import HUMAN_MODEL, ConfigError, DebateSpec, Seat
from roundtable.domain.limits import MAX_QUESTION_CHARS, is_blank, seats_over_limits
from roundtable.domain.panel import Panel, dump_panel, parse_panel
from roundtable.engine.budget import unpriced_problem
from roundtable.gui.setup.cost_estimate import CostEstimate, budget_of
from roundtable.gui.setup.debate_card import SAMPLE_QUESTION, DebateCard
from roundtable.gui.setup.form_parts import VerticalScrollArea
from roundtable.gui.setup.table_editor import CHECKING_KEYS, DEMO_HINT, TableEditor
from roundtable.gui.style.theme import set_role
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.widgets.model_catalogue import ModelCatalogue, ModelLister
from roundtable.providers.prices import seat_price
from roundtable.storage.saved_tables import write_saved_table

if TYPE_CHECKING:
    from roundtable.providers import ModelInfo

log = logging.getLogger(__name__)

DEMO_TABLE_SIZE = 3
TWO_SEATS = "Add at least two seats."
ASK_QUESTION = "Type the question for the table."


class SetupPanel(QWidget):
    """The table-setting form. Build a spec with `spec()`; Start emits it."""

    #: (spec: DebateSpec) the user pressed Start on a table with no problems.
    start_requested = Signal(DebateSpec)
    #: (valid: bool) whether Start is possible changed.
    validity_changed = Signal(bool)

    def __init__(
        self,
        settings: AppSettings | None = None,
        parent: QWidget | None = None,
        *,
        catalogue: ModelCatalogue | None = None,
        model_lister: ModelLister | None = None,
        discover: bool = True,
    ) -> None:
        """`catalogue` is the window's; without one (a panel on its own, in a test)
        the panel keeps its own, listing with `model_lister`."""
        super().__init__(parent)
        self._settings = settings if settings is not None else AppSettings(self)
        self.catalogue = catalogue or ModelCatalogue(
            self._settings.server_urls, model_lister, parent=self
        )
        #: Seat the demo table once the model list shows nothing real, unless the
        #: user (or a restored table) seated someone first.
        self._defaults_pending = True
        self._build()
        self._connect_signals()
        self._restore_last_table()
        self._update_state()
        if discover:
            self.refresh_models()
        elif self.catalogue.models:
            self._models_listed(self.catalogue.models)
        self.picker.set_records(self.catalogue.records)
        self.record_vote.set_records(self.catalogue.model_records)
        self.record_vote.set_protocol(self.protocol())

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.table = TableEditor()
        self.seat_model = self.table.seat_model
        self.seat_list = self.table.seat_list
        self.picker = self.table.picker
        self.presets = self.table.presets
        self.hint_label = self.table.hint_label

        self.debate_card = DebateCard()
        self.protocol_combo = self.debate_card.protocol_combo
        self.protocol_summary = self.debate_card.protocol_summary
        self.roles = self.debate_card.roles
        self.record_vote = self.debate_card.record_vote
        self.rounds_spin = self.debate_card.rounds_spin
        self.budget_spin = self.debate_card.budget_spin
        self.question_edit = self.debate_card.question_edit
        cards = QWidget()
        cards_layout = QVBoxLayout(cards)
        cards_layout.setContentsMargins(0, 0, 0, 0)
        cards_layout.addWidget(self.table, 3)
        cards_layout.addWidget(self.debate_card, 1)
        # On a small window (1000x650) the cards keep the height their fields need and
        # scroll, instead of being squeezed until the fields overlap; Start and the
        # estimate stay in sight under them.
        self.cards_area = VerticalScrollArea()
        self.cards_area.setObjectName("setupCards")
        self.cards_area.setWidget(cards)
        layout = QVBoxLayout(self)
        layout.addWidget(self.cards_area, 1)
        layout.addLayout(self._build_footer())
        order = [
            *self.table.tab_chain(),
            self.protocol_combo,
            self.rounds_spin,
            self.budget_spin,
            self.roles.chair_combo,
            self.roles.judge_combo,
            self.record_vote.check,
            self.question_edit,
            self.start_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _build_footer(self) -> QHBoxLayout:
        self.problems_label = QLabel()
        self.problems_label.setAccessibleName("Problems")
        self.problems_label.setWordWrap(True)
        set_role(self.problems_label, "error")
        self.start_button = QPushButton("&Start debate")
        self.start_button.setAccessibleName("Start debate")
        self.start_button.setProperty("primary", True)
        # Beside Start: what the debate would cost (the height goes to the form).
        self.cost = CostEstimate()
        footer = QHBoxLayout()
        footer.addWidget(self.problems_label, 1)
        footer.addWidget(self.cost, 1)
        footer.addWidget(
            self.start_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        )
        return footer

    def _connect_signals(self) -> None:
        self.table.changed.connect(self._update_state)
        self.table.changed.connect(lambda: self.roles.set_seats(self.seat_model.seats()))
        self.table.changed.connect(lambda: self.record_vote.set_seats(self.seat_model.seats()))
        self.record_vote.changed.connect(self._update_state)
        self.table.you_button.clicked.connect(self.add_person)
        self.picker.seat_requested.connect(self.add_seat)
        self.picker.refresh_requested.connect(self.refresh_models)
        self.presets.panel_loaded.connect(self._panel_loaded)
        self.presets.save_requested.connect(self.save_table_as)
        self.protocol_combo.currentIndexChanged.connect(self._protocol_changed)
        self.question_edit.textChanged.connect(self._update_state)
        self.rounds_spin.valueChanged.connect(self._update_state)
        self.budget_spin.valueChanged.connect(self._update_state)
        self.roles.changed.connect(self._update_state)
        self.start_button.clicked.connect(self._start)
        # Ctrl+Return belongs to the window's Start action (one owner: two claims of a
        # key make Qt run neither); it calls `request_start`.
        self._settings.changed.connect(self._setting_changed)
        self.catalogue.listing_started.connect(self.picker.set_searching)
        self.catalogue.models_changed.connect(self._models_listed)
        self.catalogue.listing_failed.connect(self._models_failed)
        self.catalogue.records_changed.connect(self.picker.set_records)
        self.catalogue.records_changed.connect(
            lambda _lines: self.record_vote.set_records(self.catalogue.model_records)
        )

    # ------------------------------------------------------------------ public API
    def spec(self) -> DebateSpec:
        """The debate the form describes (check `problems()` before running it)."""
        return DebateSpec(
            question=self.question_edit.toPlainText().strip(),
            seats=self.seat_model.seats(),
            protocol=self.protocol(),
            max_rounds=self.rounds_spin.value(),
            turn_timeout_s=float(self._settings.turn_timeout_s()),
            server_limits=self._settings.server_limits(),
            chair=self.roles.chair(),
            judge=self.roles.judge(),
            budget_usd=self.budget(),
            record_weights=self.record_vote.weights(self.seat_model.seats()),
        )

    def budget(self) -> float | None:
        """The budget in USD, or None for no limit."""
        return budget_of(self.budget_spin)

    def set_budget(self, budget_usd: float | None) -> None:
        self.budget_spin.setValue(budget_usd or 0.0)

    def problems(self) -> list[str]:
        """What stops the debate from starting, in words that say what to do."""
        found: list[str] = []
        count = self.seat_model.rowCount()
        if count < 2:
            found.append(TWO_SEATS if count == 0 else f"{TWO_SEATS} One more, please.")
        found += self.table.problems()
        found += seats_over_limits(self.seat_model.seats())  # a pasted 10 MB persona
        question = self.question_edit.toPlainText().strip()
        if is_blank(question):  # zero-width characters alone are no question either
            found.append(ASK_QUESTION)
        elif len(question) > MAX_QUESTION_CHARS:
            found.append(
                f"The question is {len(question):,} characters; the limit is "
                f"{MAX_QUESTION_CHARS:,}. Shorten it."
            )
        if count >= 2 and self.budget() is not None:
            budget = unpriced_problem(self.spec(), seat_price)
            if budget:
                found.append(budget)
        by_record = self.record_vote.problem(self.seat_model.seats())
        if by_record:
            found.append(by_record)
        return found

    def protocol(self) -> str:
        return self.debate_card.protocol()

    def set_table(self, seats: Sequence[Seat], protocol: str | None, rounds: int | None) -> None:
        """Seat `seats` (e.g. to re-run a stored debate) and pick protocol and rounds."""
        self._defaults_pending = False
        self.table.set_seats(seats)
        if protocol:
            self.debate_card.select_protocol(protocol)
        if rounds is not None:
            self.rounds_spin.setValue(rounds)

    def set_from_spec(self, spec: DebateSpec) -> None:
        """Set the table, roles and question of `spec` (to run a stored debate again)."""
        self.set_table(spec.seats, spec.protocol, spec.max_rounds)
        self.roles.set_roles(spec.chair, spec.judge)
        self.set_question(spec.question)
        self.set_budget(spec.budget_usd)

    def set_question(self, text: str) -> None:
        self.question_edit.setPlainText(text)

    def is_valid(self) -> bool:
        """Whether Start would start a debate now."""
        return not self.problems()

    def request_start(self) -> None:
        """Press Start (from a menu action): emits `start_requested` if nothing is missing."""
        self._start()

    def focus_question(self) -> None:
        self.question_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def load_defaults(self) -> None:
        """On a table nobody has set yet, seat the demo table and offer the sample question.

        Does nothing once seats are set (restored from the last session, loaded or
        added), so the app may call it on every start.
        """
        if self.seat_model.rowCount() == 0:
            self.seat_demo_table()

    def seat_demo_table(self) -> None:
        """Seat the simulated demo table and offer the sample question."""
        from roundtable.providers.demo.models import DEMO_MODELS

        temperature = self._settings.temperature()
        seats = [
            Seat(id="", name=model.name, model=model.id, temperature=temperature)
            for model in DEMO_MODELS[:DEMO_TABLE_SIZE]
        ]
        self.set_table(seats, self._settings.default_protocol(), self._settings.rounds())
        if not self.question_edit.toPlainText().strip():
            self.set_question(SAMPLE_QUESTION)

    def add_seat(self, seat: Seat) -> None:
        """Seat one more model (from the picker or the caller); it becomes current."""
        self._defaults_pending = False
        if seat.temperature is None and self._settings.temperature() is not None:
            seat = replace(seat, temperature=self._settings.temperature())
        self.table.add_seat(seat)

    def add_person(self) -> None:
        """Seat the user: a "You" seat, asked for its turn in an input panel."""
        self.add_seat(Seat(id="", name="You", model=HUMAN_MODEL))

    def current_panel(self) -> Panel:
        return Panel(
            seats=self.seat_model.seats(),
            protocol=self.protocol(),
            rounds=self.rounds_spin.value(),
            chair=self.roles.chair(),
            judge=self.roles.judge(),
        )

    def save_table_as(self, name: str) -> None:
        try:
            path = write_saved_table(name, self.current_panel())
        except OSError as exc:
            self.table.show_status(f"Could not save the table: {exc}", "error")
            return
        self.presets.reload(select=path.stem)
        self.table.show_status(f"Saved as “{path.stem}”.", "success")

    def remember_table(self) -> None:
        """Keep the current table for the next start of the app."""
        if self.seat_model.rowCount():
            self._settings.set_last_table(dump_panel(self.current_panel()))

    def refresh_models(self) -> None:
        """List the available models again (the catalogue does it off the GUI thread)."""
        self.catalogue.refresh()

    def refresh_key_status(self) -> None:
        """Look up the seats' keys again (after keys were saved or removed)."""
        self.table.refresh_key_status()

    # ------------------------------------------------------------------ reactions
    def _models_listed(self, models: list[ModelInfo]) -> None:
        self.picker.set_models(models)
        real = [m for m in models if getattr(m, "source", "") != "demo"]
        self.table.set_real_models_found(bool(real))
        if self._defaults_pending and not real:
            self.load_defaults()
        self._defaults_pending = False
        # Keys may have been added or removed since the seats were last checked.
        self.refresh_key_status()

    def _models_failed(self, message: str) -> None:
        self.picker.set_search_failed(message)
        if self._defaults_pending:
            self.load_defaults()
        self._defaults_pending = False

    def _panel_loaded(self, panel: Panel, name: str) -> None:
        self.set_table(panel.seats, panel.protocol, panel.rounds)
        self.roles.set_roles(panel.chair, panel.judge)
        self.table.show_status(f"Loaded “{name}”.", "success")

    def _protocol_changed(self) -> None:
        self.debate_card.show_protocol()
        self._update_state()

    def _setting_changed(self, key: str) -> None:
        if key == "servers/urls":
            self.refresh_models()

    def _start(self) -> None:
        if self.problems():
            self._update_state()
            return
        self.remember_table()
        self.start_requested.emit(self.spec())

    # ------------------------------------------------------------------ state
    def _update_state(self) -> None:
        problems = self.problems()
        if self.start_button.isEnabled() == bool(problems):
            self.validity_changed.emit(not problems)
        self.start_button.setEnabled(not problems)
        if problems:
            self.start_button.setToolTip("Cannot start yet:\n• " + "\n• ".join(problems))
        else:
            self.start_button.setToolTip("Start the debate (Ctrl+Enter)")
        # An empty question is obvious and a key check lasts a moment: show the rest.
        shown = [p for p in problems if p not in (ASK_QUESTION, CHECKING_KEYS)]
        self.problems_label.setText("\n".join(shown))
        self.problems_label.setVisible(bool(shown))
        # The estimate needs a table; an empty question only makes the prompts shorter.
        self.cost.set_spec(self.spec() if self.seat_model.rowCount() >= 2 else None)

    def _restore_last_table(self) -> None:
        self.debate_card.select_protocol(self._settings.default_protocol())
        self.rounds_spin.setValue(self._settings.rounds())
        self._protocol_changed()
        text = self._settings.last_table()
        if not text:
            return
        try:
            panel = parse_panel(text, source="the last table")
        except ConfigError as exc:
            log.warning("ignoring the saved last table: %s", exc)
            return
        self.set_table(panel.seats, panel.protocol, panel.rounds)
        self.roles.set_roles(panel.chair, panel.judge)


__all__ = ["DEMO_HINT", "SAMPLE_QUESTION", "SetupPanel"]
