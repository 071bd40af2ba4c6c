"""Unusual text in questions and seat names: accepted, stored exactly, shown safely.

RTL script, emoji and CJK must survive the whole round trip (run, list, show, export)
untouched. Control characters are stored and exported exactly too, but a terminal is
shown their pictures ("␛"), never the raw bytes it would obey as escape sequences.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.cli.terminal_text import terminal_safe
from roundtable.domain import DebateSpec, Seat, TurnDelta
from roundtable.domain.formatting import visible_controls

ARABIC = "ما هو ٢ + ٣؟"
HEBREW = "כמה זה"
CJK = "二加三是多少？"
EMOJI = "🤔🧮👩🏽‍🔬"
ESCAPES = "\x1b[31mRED\x1b[0m\x1b]0;pwned\x07"  # recolour, then retitle the window
QUESTION = f"{ARABIC} {HEBREW} {CJK} {EMOJI} 2+3? {ESCAPES} tab\there"
NAMES = ("アダ", "בזיל 🌿", "Null\x01Byte")


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "t.db")


def roundtable(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_unusual_text_survives_run_list_show_and_export(db, tmp_path):
    models = ("demo/ada", "demo/basil", "demo/cyra")
    seat_args: list[str] = []
    for name, model in zip(NAMES, models, strict=True):
        seat_args += ["--seat", f"{name}={model}"]

    ran = roundtable("run", QUESTION, *seat_args, "--db", db, "--brief", "--rounds", "1")
    debate_id = ran.output.split("Stored as")[1].split()[0]

    for output in (ran.output, roundtable("list", "--db", db).output):
        assert "\x1b" not in output  # no escape sequence reaches the terminal …
        assert "␛[31mRED␛[0m" in output  # … it is drawn instead
        for words in (ARABIC, HEBREW, CJK, EMOJI):
            assert words in output
    shown = roundtable("show", debate_id, "--db", db).output
    assert "\x1b" not in shown
    assert "\x01" not in shown
    assert "Null␁Byte" in shown
    for words in (ARABIC, HEBREW, CJK, EMOJI, "アダ", "בזיל 🌿"):
        assert words in shown

    roundtable("export", debate_id, "-f", "json", "-o", str(tmp_path / "d.json"), "--db", db)
    archive = (tmp_path / "d.json").read_text(encoding="utf-8")
    assert f'"question": {json.dumps(QUESTION, ensure_ascii=False)}' in archive  # exact
    for name in NAMES:
        assert json.dumps(name, ensure_ascii=False) in archive
    for fmt in ("md", "html"):
        target = tmp_path / f"d.{fmt}"
        roundtable("export", debate_id, "-f", fmt, "-o", str(target), "--db", db)
        document = target.read_text(encoding="utf-8")
        for words in (ARABIC, HEBREW, CJK, EMOJI, "アダ", "בזיל 🌿"):
            assert words in document, (fmt, words)


def test_the_json_summary_carries_the_question_exactly(db):
    result = roundtable("run", QUESTION, "--db", db, "--json", "--rounds", "1")

    assert json.loads(result.stdout)["question"] == QUESTION


def test_search_finds_cjk_and_rtl_words(db):
    roundtable("run", QUESTION, "--db", db, "--json", "--rounds", "1")

    for words in (HEBREW, "二加三是多少"):
        found = roundtable("list", "--search", words, "--db", db).output
        assert "No debates match" not in found, words


def test_control_characters_are_drawn_and_everything_else_is_left_alone():
    assert visible_controls("a\x1b[1mb\x00c\x7fd\x9be") == "a␛[1mb␀c␡d\\x9be"
    text = f"{ARABIC}\n{CJK}\t{EMOJI}\r\n"
    assert visible_controls(text) is text  # newlines, tabs, CR and every script kept


def test_the_terminal_sees_safe_copies_while_the_original_event_is_untouched():
    spec = DebateSpec(question=f"q{ESCAPES}", seats=(Seat("a", "N\x1b", "demo/ada"),))
    delta = TurnDelta(debate_id="d", seq=3, round=0, seat_id="a", text="hi \x1b[2J")

    safe_spec, safe_delta = terminal_safe(spec), terminal_safe(delta)

    assert safe_spec.question == "q␛[31mRED␛[0m␛]0;pwned␇"
    assert safe_spec.seats[0].name == "N␛"
    assert safe_delta.text == "hi ␛[2J"
    assert (safe_delta.seq, safe_delta.seat_id) == (3, "a")
    assert delta.text == "hi \x1b[2J"  # the recorder stores what really arrived
    assert terminal_safe(safe_delta) is safe_delta  # nothing left to change: no copy


def test_an_imported_archives_title_is_drawn(db, tmp_path):
    ran = roundtable("run", QUESTION, "--db", db, "--json", "--rounds", "1")
    archive = tmp_path / "d.json"
    debate_id = json.loads(ran.stdout)["id"]
    roundtable("export", debate_id, "-f", "json", "-o", str(archive), "--db", db)

    imported = roundtable("import", str(archive), "--new-id", "--db", db)

    assert "\x1b" not in imported.output
    assert "␛[31mRED␛[0m" in imported.output


def test_model_names_a_server_sends_are_drawn_and_never_read_as_markup():
    from tests.fakes.openai_server import FakeOpenAIServer

    named = "evil\x1b]0;pwned\x07[bold]model[/bold]"
    with FakeOpenAIServer(models=[named]) as server:
        listed = roundtable("models", "--server", server.base_url).output

    assert "\x1b" not in listed
    assert "evil␛]0;pwned␇[bold]model[/bold]" in " ".join(listed.split())
