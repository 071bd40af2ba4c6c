"""Setting the table: seats, the model picker, saved tables, validation, Start."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from roundtable.domain import DebateSpec, Seat
from roundtable.gui.setup.panel import DEMO_HINT, SAMPLE_QUESTION, SetupPanel
from roundtable.gui.setup.seat_list_model import ProblemRole, SeatListModel
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs, run_in_thread
from roundtable.providers.discovery import ModelInfo, demo_models

OLLAMA = ModelInfo(
    "ollama_chat/llama3.1",
    "llama3.1 (Ollama)",
    "ollama_chat",
    "ollama",
    needs_key=False,
    key_present=False,
    api_base="http://127.0.0.1:11434",
    found_via="OLLAMA_HOST",
)


def only_demo(_servers):
    return demo_models()


@pytest.fixture
def settings(qapp):
    return AppSettings()


@pytest.fixture
def make_panel(qtbot, settings):
    """A panel whose model list comes from `lister`; waits until it has arrived."""

    def make(lister=only_demo, *, wait: bool = True) -> SetupPanel:
        panel = SetupPanel(settings, model_lister=lister)
        qtbot.addWidget(panel)
        if wait:
            qtbot.waitUntil(lambda: panel.picker.model_ids() != [], timeout=3000)
        return panel

    yield make
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=3000)


def names(panel: SetupPanel) -> list[str]:
    return [seat.name for seat in panel.seat_model.seats()]


# ------------------------------------------------------------------ the seat model
def test_seat_list_model_passes_qtmodeltester(qtmodeltester):
    model = SeatListModel([Seat("", "Ada", "demo/ada"), Seat("", "GPT", "openai/gpt-4o")])
    qtmodeltester.check(model, force_py=True)
    model.add_seat(Seat("", "", "mistral/mistral-large-latest"))
    model.move_seat(2, -2)
    model.remove_seat(1)
    assert model.setData(model.index(0), "Le Chat")
    qtmodeltester.check(model, force_py=True)
    assert [s.name for s in model.seats()] == ["Le Chat", "GPT"]


def test_the_same_model_seated_twice_gets_a_name_of_its_own(make_panel):
    panel = make_panel()
    panel.set_table([], None, None)
    fake = Seat("", "", "openai/fake-gpt", api_base="http://127.0.0.1:8080/v1")
    panel.add_seat(fake)
    panel.add_seat(fake)
    assert names(panel) == ["fake-gpt", "fake-gpt (2)"]
    assert panel.seat_model.data(panel.seat_model.index(1)).startswith("fake-gpt (2) — ")
    # Renamed to another seat's name, the debate still gets two names.
    panel.seat_model.setData(panel.seat_model.index(1), "FAKE-gpt")
    assert [s.name for s in panel.spec().seats] == ["fake-gpt", "FAKE-gpt (2)"]
    assert len({s.id for s in panel.spec().seats}) == 2


def test_seats_get_unique_ids_even_with_equal_names():
    model = SeatListModel([Seat("", "GPT", "openai/gpt-4o"), Seat("", "GPT", "openai/gpt-4.1")])
    assert [s.id for s in model.seats()] == ["gpt", "gpt-2"]
    assert not model.setData(model.index(0), "   ")  # an empty name is refused


# ------------------------------------------------------------------ first run
def test_the_simulated_models_banner_goes_once_real_models_are_found(make_panel, qtbot):
    found: list[ModelInfo] = []
    panel = make_panel(lambda _servers: [*found, *demo_models()])
    assert panel.hint_label.isVisibleTo(panel)  # the demo table, nothing real yet
    found.append(OLLAMA)  # e.g. Ollama started, or a key was added in Settings
    panel.refresh_models()
    qtbot.waitUntil(lambda: OLLAMA.id in panel.picker.model_ids(), timeout=3000)
    assert all(seat.is_demo for seat in panel.seat_model.seats())  # the table is kept
    assert not panel.hint_label.isVisibleTo(panel)


def test_first_run_without_keys_seats_the_demo_table_ready_to_start(make_panel, qtbot):
    panel = make_panel()
    assert names(panel) == ["Ada", "Basil", "Cyra"]
    assert all(seat.is_demo for seat in panel.seat_model.seats())
    assert panel.question_edit.toPlainText() == SAMPLE_QUESTION
    assert panel.hint_label.isVisibleTo(panel)
    assert panel.hint_label.text() == DEMO_HINT
    assert "simulated" in panel.seat_model.data(panel.seat_model.index(0))
    assert panel.start_button.isEnabled()
    with qtbot.waitSignal(panel.start_requested, timeout=1000) as blocker:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    spec = blocker.args[0]
    assert isinstance(spec, DebateSpec)
    assert spec.question == SAMPLE_QUESTION
    assert [s.model for s in spec.seats] == ["demo/ada", "demo/basil", "demo/cyra"]
    assert spec.max_rounds == 3
    assert spec.protocol == "roundtable"


def test_with_a_local_server_the_table_is_left_for_the_user(make_panel):
    panel = make_panel(lambda _s: [OLLAMA, *demo_models()])
    assert names(panel) == []
    assert panel.picker.model_ids()[0] == "ollama_chat/llama3.1"
    assert "Found 1 local model" in panel.picker.status_label.text()
    assert not panel.start_button.isEnabled()
    assert "Add at least two seats" in panel.start_button.toolTip()


def test_looking_for_servers_is_shown_while_the_list_is_built(make_panel, qtbot):
    release = threading.Event()

    def slow(_servers):
        release.wait(5)
        return [OLLAMA, *demo_models()]

    panel = make_panel(slow, wait=False)
    assert panel.picker.status_label.text() == "Looking for local servers…"
    assert not panel.picker.refresh_button.isEnabled()
    panel.question_edit.setPlainText("still typing")  # the GUI is not blocked meanwhile
    release.set()
    qtbot.waitUntil(lambda: panel.picker.model_ids() != [], timeout=3000)
    assert panel.picker.refresh_button.isEnabled()
    assert "llama3.1 (Ollama)" in panel.picker.combo.itemText(1)
    assert panel.picker.combo.itemText(0) == "Ollama on this computer"  # a group title


def test_new_server_urls_are_searched_at_once(make_panel, qtbot, settings):
    asked = []

    def lister(servers):
        asked.append(list(servers))
        return [OLLAMA, *demo_models()] if servers else demo_models()

    panel = make_panel(lister)
    settings.set_server_urls(["http://10.0.0.5:8000/v1"])  # e.g. saved in Settings
    qtbot.waitUntil(lambda: len(asked) == 2 and pending_jobs() == 0, timeout=3000)
    assert asked == [[], ["http://10.0.0.5:8000/v1"]]
    assert "ollama_chat/llama3.1" in panel.picker.model_ids()


def test_a_failing_discovery_still_offers_the_demo_table(make_panel, qtbot):
    def broken(_servers):
        raise OSError("network is unreachable")

    panel = make_panel(broken, wait=False)
    qtbot.waitUntil(lambda: names(panel) != [], timeout=3000)
    assert names(panel) == ["Ada", "Basil", "Cyra"]
    assert "network is unreachable" in panel.picker.status_label.text()


# ------------------------------------------------------------------ validation
def test_start_is_disabled_with_one_seat_and_says_why(make_panel, qtbot):
    panel = make_panel()
    assert panel.is_valid()
    with qtbot.waitSignal(panel.validity_changed, timeout=1000) as blocker:
        panel.set_table([Seat("", "Ada", "demo/ada")], None, None)
    assert blocker.args == [False]
    assert not panel.start_button.isEnabled()
    assert "Add at least two seats" in panel.start_button.toolTip()
    assert "Add at least two seats" in panel.problems_label.text()
    assert not panel.is_valid()


def test_an_empty_question_disables_start(make_panel):
    panel = make_panel()
    panel.set_question("   ")
    assert not panel.start_button.isEnabled()
    assert "Type the question" in panel.start_button.toolTip()


def test_a_seat_without_its_key_is_marked_with_the_fix(make_panel, qtbot):
    from roundtable.providers.keys import set_api_key

    panel = make_panel()
    panel.add_seat(Seat("", "GPT", "openai/gpt-4o"))
    # The key is looked up off the GUI thread; Start waits for the answer.
    assert not panel.start_button.isEnabled()
    assert "Checking the seats' API keys" in panel.start_button.toolTip()
    model = panel.seat_model
    qtbot.waitUntil(lambda: model.data(model.index(3), ProblemRole) is not None, timeout=3000)
    problem = model.data(model.index(3), ProblemRole)
    assert "OPENAI_API_KEY" in problem
    assert "Settings › Providers" in problem
    assert model.data(model.index(3), Qt.ItemDataRole.DecorationRole) is not None
    assert "OPENAI_API_KEY" in model.data(model.index(3), Qt.ItemDataRole.ToolTipRole)
    assert not panel.start_button.isEnabled()
    assert "OPENAI_API_KEY" in panel.problems_label.text()
    assert not panel.hint_label.isVisibleTo(panel)  # a real model sits at the table now
    model.setData(model.index(3), "Grace")  # renaming needs no new look-up
    assert "Seat 'Grace'" in model.data(model.index(3), ProblemRole)
    assert "Checking" not in panel.start_button.toolTip()

    set_api_key("openai", "sk-test-key")
    panel.refresh_key_status()
    qtbot.waitUntil(panel.is_valid, timeout=3000)
    assert model.data(model.index(3), ProblemRole) is None
    assert panel.start_button.isEnabled()


# ------------------------------------------------------------------ adding and editing seats
def test_adding_from_the_picker_and_by_typing_an_id(make_panel, qtbot, settings):
    settings.set_temperature(0.3)
    panel = make_panel(lambda _s: [OLLAMA, *demo_models()])
    picker = panel.picker
    assert picker.choose("ollama_chat/llama3.1")
    tip = picker.combo.itemData(picker.combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    assert "on http://127.0.0.1:11434\nFound through OLLAMA_HOST" in tip  # where, and why
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    seat = panel.seat_model.seats()[0]
    assert (seat.model, seat.api_base) == ("ollama_chat/llama3.1", "http://127.0.0.1:11434")
    assert seat.temperature == 0.3  # new seats take the default temperature

    qtbot.keyClicks(picker.custom_edit, "claude-haiku-4-5")
    qtbot.keyClick(picker.custom_edit, Qt.Key.Key_Return)
    assert "no provider prefix" in picker.status_label.text()
    assert "anthropic/claude-haiku-4-5" in picker.status_label.text()  # the fix, spelled out
    assert len(panel.seat_model.seats()) == 1

    picker.custom_edit.setText("mistral/mistral-large-latest")
    qtbot.mouseClick(picker.custom_button, Qt.MouseButton.LeftButton)
    assert names(panel) == ["llama3.1", "mistral-large-latest"]
    assert picker.custom_edit.text() == ""


def test_editing_the_selected_seat_changes_the_spec(make_panel, qtbot):
    panel = make_panel()
    panel.seat_list.setCurrentIndex(panel.seat_model.index(1))
    editor = panel.table.editor
    assert editor.name_edit.text() == "Basil"
    editor.name_edit.selectAll()
    qtbot.keyClicks(editor.name_edit, "Sceptic")
    editor.persona_edit.setPlainText("You doubt every step.")
    editor.temperature_spin.setValue(1.2)
    seat = panel.spec().seats[1]
    assert (seat.name, seat.id, seat.persona, seat.temperature) == (
        "Sceptic",
        "sceptic",
        "You doubt every step.",
        1.2,
    )
    assert panel.seat_model.data(panel.seat_model.index(1)).startswith("Sceptic — ")


def test_keyboard_reorders_and_removes_seats(make_panel, qtbot):
    panel = make_panel()
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.seat_list.setFocus()
    panel.seat_list.setCurrentIndex(panel.seat_model.index(2))
    qtbot.keyClick(panel.seat_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert names(panel) == ["Ada", "Cyra", "Basil"]
    assert panel.seat_list.currentIndex().row() == 1  # the moved seat stays selected
    qtbot.keyClick(panel.seat_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert names(panel) == ["Ada", "Basil", "Cyra"]
    qtbot.keyClick(panel.seat_list, Qt.Key.Key_Delete)
    assert names(panel) == ["Ada", "Basil"]
    qtbot.mouseClick(panel.table.up_button, Qt.MouseButton.LeftButton)
    assert names(panel) == ["Basil", "Ada"]
    assert not panel.table.up_button.isEnabled()  # the first seat cannot go higher


# ------------------------------------------------------------------ tables
def test_a_saved_table_loads_back_with_its_protocol_and_rounds(
    make_panel, qtbot, isolated_user_dirs
):
    panel = make_panel()
    panel.add_seat(Seat("", "Dex", "demo/dex", persona="Argue the other side."))
    panel.rounds_spin.setValue(4)
    panel.save_table_as("Four demo seats")
    path = isolated_user_dirs / "tables" / "four-demo-seats.toml"
    assert path.is_file()
    assert "Saved as" in panel.table.status_label.text()
    assert panel.presets.names() == ["four-demo-seats"]

    panel.set_table([Seat("", "Ada", "demo/ada")], None, 2)
    assert panel.presets.load("four-demo-seats")
    assert names(panel) == ["Ada", "Basil", "Cyra", "Dex"]
    assert panel.spec().seats[3].persona == "Argue the other side."
    assert panel.rounds_spin.value() == 4
    assert "Loaded" in panel.table.status_label.text()


def test_a_broken_table_file_is_reported_not_loaded(make_panel, isolated_user_dirs):
    folder = isolated_user_dirs / "tables"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text('[[seat]]\nmodel = "openai/x"\napi_key = "sk-x"\n')
    panel = make_panel()
    panel.presets.reload()
    assert panel.presets.load("broken")
    assert "must not contain keys" in panel.table.status_label.text()
    assert names(panel) == ["Ada", "Basil", "Cyra"]


def test_the_last_table_is_there_after_a_restart(make_panel, qtbot, settings):
    panel = make_panel()
    panel.add_seat(Seat("", "Dex", "demo/dex"))
    panel.set_question("Is 91 prime?")
    with qtbot.waitSignal(panel.start_requested, timeout=1000):
        panel.request_start()
    again = make_panel()
    assert names(again) == ["Ada", "Basil", "Cyra", "Dex"]
    again.load_defaults()  # the app may call it on every start: it keeps the table
    assert names(again) == ["Ada", "Basil", "Cyra", "Dex"]


def test_rerunning_a_stored_debate_fills_the_form(make_panel):
    panel = make_panel()
    seats = [Seat("a", "GPT", "openai/gpt-4o"), Seat("b", "Claude", "anthropic/claude-haiku-4-5")]
    panel.set_table(seats, "roundtable", 5)
    panel.set_question("Which is larger, 9.11 or 9.9?")
    spec = panel.spec()
    assert [s.model for s in spec.seats] == ["openai/gpt-4o", "anthropic/claude-haiku-4-5"]
    assert spec.max_rounds == 5
    assert spec.question == "Which is larger, 9.11 or 9.9?"


def test_the_protocol_summary_is_shown_under_the_combo(make_panel):
    from roundtable.engine import PROTOCOL_INFO

    panel = make_panel()
    info = PROTOCOL_INFO[panel.protocol()]
    assert panel.protocol_combo.currentText() == info.title
    assert info.summary in panel.protocol_summary.text()


# ------------------------------------------------------------------ keyboard and a11y
def test_every_control_is_named_and_reachable_by_tab(make_panel):
    panel = make_panel()
    missing = []
    for widget in panel.findChildren(QWidget):
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.inherits("QScrollBar"):
            continue
        parent = widget.parent()
        if parent is not None and (
            parent.inherits("QAbstractSpinBox")
            or (parent.parent() is not None and parent.parent().inherits("QComboBox"))
        ):
            continue  # inner parts of spin boxes and combo popups
        if isinstance(widget, QAbstractButton) and widget.text():
            continue
        if not widget.accessibleName():
            missing.append(type(widget).__name__)
    assert missing == []
    # Tab from the question reaches Start (Tab does not insert a tab character).
    assert panel.question_edit.tabChangesFocus()
    assert panel.question_edit.nextInFocusChain() is not None


# ------------------------------------------------------------------ no litellm here
GUI_SESSION = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import keyring
from tests.fakes.memory_keyring import MemoryKeyring
keyring.set_keyring(MemoryKeyring())
from PySide6.QtWidgets import QApplication
from roundtable.domain import Seat
from roundtable.gui.settings.dialog import SettingsDialog
from roundtable.gui.settings.providers_page import read_key_status
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.setup.panel import SetupPanel
from roundtable.gui.widgets.model_picker import check_model
from roundtable.providers import list_models, missing_key_problem
app = QApplication([])
panel = SetupPanel(AppSettings(), discover=False)
panel.seat_demo_table()
panel.add_seat(Seat("", "GPT", "openai/gpt-4o"))
print(missing_key_problem(panel.spec().seats[-1]))
print(check_model("mistral/mistral-large-latest"), check_model("nosuch/model"))
print(len(list_models([], timeout_s=0.2, probe_local=False)))
print(read_key_status().keyring)
SettingsDialog(AppSettings())
print("LITELLM LOADED" if "litellm" in sys.modules else "NO LITELLM")
"""


def test_the_gui_never_imports_litellm(tmp_path):
    """In a fresh interpreter (pytest's own has litellm from other tests' imports)."""
    import os
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "ROUNDTABLE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", GUI_SESSION],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "OPENAI_API_KEY" in lines[0]  # the helpers really ran
    assert "Unknown provider 'nosuch'" in lines[1]
    assert lines[-1] == "NO LITELLM"


# ------------------------------------------------------------------ workers
def test_a_worker_result_arrives_on_the_gui_thread(qtbot):
    gui_thread = threading.get_ident()
    seen = {}

    def work():
        seen["worker"] = threading.get_ident()
        return 42

    job = run_in_thread(work)
    with qtbot.waitSignal(job.succeeded, timeout=2000) as blocker:
        pass
    assert blocker.args == [42]
    assert seen["worker"] != gui_thread


def test_a_worker_exception_is_delivered_not_lost(qtbot):
    def work():
        raise ValueError("no such server")

    job = run_in_thread(work)
    with qtbot.waitSignal(job.failed, timeout=2000) as blocker:
        pass
    assert isinstance(blocker.args[0], ValueError)
    assert str(blocker.args[0]) == "no such server"
