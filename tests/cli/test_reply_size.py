"""How long a reply may be (issue 11, item 8): every call asks for `max_tokens` (the
seat's own, else a default), and a server that ignores it is stopped at the reply
size limit, its text kept as incomplete with the reason. A 2 MB reply once took
minutes to record."""

from __future__ import annotations

import io
import json
import time

from rich.console import Console
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.cli.live import MAX_SHOWN_CHARS, TerminalView
from roundtable.domain import DebateSpec, DebateStarted, Seat, TurnFinished, Usage
from roundtable.domain.endings import TOO_LONG, describe_ending
from roundtable.domain.reply_size import DEFAULT_MAX_TOKENS, MAX_REPLY_CHARS
from roundtable.storage import load_debate, open_database, resolve_id
from tests.fakes.openai_server import FakeOpenAIServer, Reply

#: 2 MB in 80-character words, one a chunk (distinct: litellm stops a repeated chunk).
HUGE = " ".join(f"w{i:07d}".ljust(79, "x") for i in range(25_000)) + "\nFinal answer: 7"


def roundtable(*args: str, env: dict[str, str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def test_a_2_mb_reply_is_stopped_at_the_limit_and_kept_incomplete_with_the_reason(tmp_path):
    db = str(tmp_path / "t.db")
    with FakeOpenAIServer() as server:
        server.set_default("huge", Reply(HUGE))
        env = {"OPENAI_API_BASE": server.base_url, "OPENAI_API_KEY": "sk-fake"}
        seats = ("--seat", "openai/huge", "--seat", "openai/fake-gpt")
        started = time.monotonic()
        ran = roundtable("run", "Which number?", *seats, "--rounds", "1", "--json", "--db", db,
                         env=env)  # fmt: skip
        took = time.monotonic() - started
        debate_id = json.loads(ran.stdout)["id"]
        shown = roundtable("show", debate_id, "--db", db, env=env)
        exported = roundtable("export", debate_id, "--format", "md", "--db", db, env=env)

    assert ran.exit_code == 0, ran.output
    assert took < 60  # the whole 2 MB took minutes; the cap comes after a tenth of it
    database = open_database(f"sqlite:///{db}")
    try:
        record = load_debate(database, resolve_id(database, debate_id))
    finally:
        database.close()
    huge = next(turn for turn in record.turns if turn.seat_id == record.spec.seats[0].id)
    assert len(huge.text) == MAX_REPLY_CHARS
    assert huge.text == HUGE[:MAX_REPLY_CHARS]
    assert huge.incomplete
    assert [t["status"] for t in json.loads(ran.stdout)["rounds"][0]] == ["incomplete", "done"]
    words = describe_ending(TOO_LONG)  # said as it ended, where the turn is shown
    assert words in " ".join(shown.output.split()).lower()
    assert words in " ".join(exported.output.split()).lower()


def test_every_call_asks_for_max_tokens_and_a_seat_may_set_its_own(tmp_path):
    panel = tmp_path / "table.toml"
    with FakeOpenAIServer() as server:
        panel.write_text(
            f'[[seat]]\nmodel = "openai/fake-gpt"\napi_base = "{server.base_url}"\n'
            "max_tokens = 123\n"
            f'[[seat]]\nmodel = "openai/fake-claude"\napi_base = "{server.base_url}"\n',
            encoding="utf-8",
        )
        env = {"OPENAI_API_KEY": "sk-fake"}
        ran = roundtable("run", "Which number?", "--panel", str(panel), "--rounds", "1",
                         "--brief", "--db", str(tmp_path / "t.db"), env=env)  # fmt: skip
        asked = {body["model"]: body.get("max_tokens") for body in server.requests}
        server.requests.clear()
        # --max-tokens for every seat without a limit of its own; the seat's own wins.
        again = roundtable("run", "Which number?", "--panel", str(panel), "--rounds", "1",
                           "--max-tokens", "777", "--brief", "--db", str(tmp_path / "t.db"),
                           env=env)  # fmt: skip
        asked_again = {body["model"]: body.get("max_tokens") for body in server.requests}
        refused = roundtable("run", "Which number?", "--max-tokens", "0", env=env)

    assert ran.exit_code == 0, ran.output
    assert asked == {"fake-gpt": 123, "fake-claude": DEFAULT_MAX_TOKENS}
    assert again.exit_code == 0, again.output
    assert asked_again == {"fake-gpt": 123, "fake-claude": 777}
    assert refused.exit_code == 2
    assert "--max-tokens 0: give a whole number" in refused.output


def test_the_terminal_prints_the_start_of_a_runaway_reply_and_says_where_the_rest_is():
    spec = DebateSpec(
        question="Which number?",
        seats=(Seat(id="a", name="A", model="openai/a"), Seat(id="b", name="B", model="openai/b")),
    )
    out = io.StringIO()
    view = TerminalView(Console(file=out, width=100))
    view(DebateStarted(debate_id="0123456789abcdef", seq=0, spec=spec))
    text = "start " + "word " * 10_000 + "THE-END"
    finished = TurnFinished(
        debate_id="0123456789abcdef",
        seq=1,
        round=0,
        seat_id="a",
        text=text,
        answer=None,
        usage=Usage(),
        incomplete=True,
        ending=TOO_LONG,
    )
    view(finished)
    shown = " ".join(out.getvalue().split())
    assert "start word" in shown
    assert "THE-END" not in shown
    hidden = len(text) - MAX_SHOWN_CHARS
    assert f"… {hidden:,} more characters, stored: `roundtable show 01234567`" in shown
