"""No API key ever reaches the database, an export or a log.

Two recognisable keys are planted, one in the environment (named by the seats'
`api_key_env`) and one in the keyring. Debates then run against the loopback server
through the real litellm path, including seats whose failures echo the key back
(a 401 "Incorrect API key provided: sk-…", a 500 whose body quotes it), with the
app's log file and litellm's, the OpenAI SDK's and httpx's logging all at DEBUG.
Every debate is exported in every format (PDF through the GUI's printer), and then
every byte written is searched: the database with its write-ahead log, each export
(the PDF's text decoded from its fonts), the log files and everything printed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roundtable.domain import DebateSpec, Seat
from roundtable.engine.human import HumanReply, HumanTurnRequest
from roundtable.paths import data_dir
from roundtable.storage import Database, Recorder, load_debate, open_database
from tests.fakes.openai_server import FakeOpenAIServer, Fault, Reply

pytestmark = pytest.mark.slow

#: The secret part of each key is random, so a hit cannot be a coincidence.
ENV_KEY = f"sk-PLANTED-env-{secrets.token_hex(12)}"
RING_KEY = f"sk-PLANTED-ring-{secrets.token_hex(12)}"
#: A key of no known provider's shape: only knowing it (its variable) can redact it.
PLAIN_KEY = f"plainserverkey-{secrets.token_hex(12)}"
KEYS = (ENV_KEY, RING_KEY, PLAIN_KEY)
#: Shown in every export, so finding it proves the scan can read that file.
CANARY = "CANARYQUESTIONTEXT"
DEBUG_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "openai", "httpx", "httpcore")


def occurrences(data: bytes) -> list[str]:
    """Every form in which a planted key (or its random part) appears in `data`."""
    found = []
    for key in KEYS:
        core = key.rsplit("-", 1)[1]
        for needle in (key, core, core[:12], core[-12:]):
            for encoded in (needle.encode(), needle.encode("utf-16-le")):
                if encoded in data:
                    found.append(needle)
    return found


# ---------------------------------------------------------------- reading a PDF's text
def pdf_text(data: bytes) -> str:
    """The text a PDF shows, decoded through each font's ToUnicode map (Qt's output:
    2-byte glyph codes in `<…> Tj`, fonts named in each page's resources)."""
    objects = {
        int(number): body
        for number, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", data, re.DOTALL)
    }

    def stream(body: bytes) -> bytes:
        match = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.DOTALL)
        if match is None:
            return b""
        raw = match.group(1)
        return zlib.decompress(raw) if b"/FlateDecode" in body else raw

    def cmap(number: int) -> dict[int, str]:
        mapping: dict[int, str] = {}
        text = stream(objects[number]).decode("latin-1")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.DOTALL):
            for low, high, target in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block
            ):
                start, end = int(low, 16), int(high, 16)
                if target.startswith("["):
                    for offset, item in enumerate(re.findall(r"<([0-9A-Fa-f]+)>", target)):
                        mapping[start + offset] = bytes.fromhex(item).decode("utf-16-be")
                else:
                    first = int(target[1:-1], 16)
                    for offset in range(end - start + 1):
                        mapping[start + offset] = chr(first + offset)
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.DOTALL):
            for source, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                mapping[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be")
        return mapping

    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, number in re.findall(rb"/(F\d+)\s+(\d+) 0 R", body):
            font = objects.get(int(number), b"")
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
            if to_unicode:
                fonts[name] = cmap(int(to_unicode.group(1)))
    shown: list[str] = []
    for body in objects.values():
        content = stream(body)
        if b"Tf" not in content:
            continue
        current: dict[int, str] = {}
        for font, glyphs in re.findall(rb"/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]+)>\s*Tj", content):
            if font:
                current = fonts.get(font, {})
                continue
            codes = bytes.fromhex(glyphs.decode())
            for index in range(0, len(codes) - 1, 2):
                shown.append(current.get(int.from_bytes(codes[index : index + 2], "big"), "?"))
    return "".join(shown)


# ---------------------------------------------------------------- the world around the app
@pytest.fixture
def planted(monkeypatch, memory_keyring) -> Iterator[FakeOpenAIServer]:
    """The loopback server as "OpenAI", an env key for some seats, a keyring key."""
    with FakeOpenAIServer() as server:
        monkeypatch.setenv("OPENAI_API_BASE", server.base_url)
        monkeypatch.setenv("WORK_KEY", ENV_KEY)
        monkeypatch.setenv("PLAIN_SERVER_KEY", PLAIN_KEY)
        memory_keyring.set_password("roundtable", "openai", RING_KEY)
        # Successful replies that echo a key (issue 11, item 12): a model shown one, a
        # server that quotes what it was sent.
        for model, key in (
            ("echo-env", ENV_KEY),
            ("echo-ring", RING_KEY),
            ("echo-plain", PLAIN_KEY),
        ):
            server.set_default(
                model,
                Reply(f"I was called with {key} as my key.\nFinal answer: 7\nConfidence: 0.9"),
            )
        for _ in range(6):  # every attempt of every seat that asks for it
            server.enqueue(
                "echo-500",
                Fault.http(500, message=f"upstream failed; the key was {ENV_KEY}"),
            )
            server.enqueue(
                "ring-500",
                Fault.http(500, message=f"upstream failed; the key was {RING_KEY}"),
            )
        yield server


@pytest.fixture
def debug_logs() -> Iterator[Path]:
    """The app's own log file, with every library's logging turned up to DEBUG."""
    from roundtable.gui.app import _configure_logging
    from roundtable.providers import load_litellm

    litellm = load_litellm()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    _configure_logging()  # what the desktop app does at start-up
    root.setLevel(logging.DEBUG)
    previous = {name: logging.getLogger(name).level for name in DEBUG_LOGGERS}
    for name in DEBUG_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    verbose = litellm.set_verbose
    litellm.set_verbose = True  # litellm's own print-style debugging, to stdout
    try:
        yield data_dir() / "logs"
    finally:
        litellm.set_verbose = verbose
        for name, old in previous.items():
            logging.getLogger(name).setLevel(old)
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def seats(*names: str) -> tuple[Seat, ...]:
    table = {
        # Through OPENAI_API_BASE, with the key the seat names in its panel file …
        "env-ok": Seat(id="env-ok", name="Env", model="openai/answer-7", api_key_env="WORK_KEY"),
        "env-401": Seat(
            id="env-401", name="Env401", model="openai/fail-401", api_key_env="WORK_KEY"
        ),
        "env-500": Seat(
            id="env-500", name="Env500", model="openai/echo-500", api_key_env="WORK_KEY"
        ),
        # … or with the provider's key from the keyring.
        "ring-ok": Seat(id="ring-ok", name="Ring", model="openai/answer-9"),
        "ring-401": Seat(id="ring-401", name="Ring401", model="openai/fail-401"),
        "ring-500": Seat(id="ring-500", name="Ring500", model="openai/ring-500"),
        # Successful replies that quote the key each seat sent.
        "env-echo": Seat(
            id="env-echo", name="EnvEcho", model="openai/echo-env", api_key_env="WORK_KEY"
        ),
        "ring-echo": Seat(id="ring-echo", name="RingEcho", model="openai/echo-ring"),
        "plain-echo": Seat(
            id="plain-echo",
            name="PlainEcho",
            model="openai/echo-plain",
            api_key_env="PLAIN_SERVER_KEY",
        ),
        # A person at the table, who pastes keys into their turn.
        "person": Seat(id="person", name="Person", model="human"),
    }
    return tuple(table[name] for name in names)


class PastesTheKeys:
    """A person who pastes keys into their turn: the keyring's (known only by looking up
    the table's seats) and the server key from the environment."""

    async def ask(self, request: HumanTurnRequest) -> HumanReply:
        return HumanReply(text=f"Use mine: {RING_KEY} or {PLAIN_KEY}.", answer="7")


async def run(database: Database, *names: str) -> str:
    from roundtable.engine import run_debate
    from roundtable.providers import LiteLLMGateway, RetryPolicy

    async def no_wait(_delay: float) -> None:
        return None

    spec = DebateSpec(question=f"{CANARY}: which number?", seats=seats(*names), max_rounds=2)
    recorder = Recorder(database)
    gateway = LiteLLMGateway(RetryPolicy(max_attempts=2), sleep=no_wait)
    try:
        end = await run_debate(spec, gateway, recorder, human=PastesTheKeys())
    finally:
        recorder.close()
    return end.debate_id


# ---------------------------------------------------------------- the test
def test_planted_keys_appear_in_no_file_and_no_output(planted, debug_logs, tmp_path, capfd, qapp):
    db_path = tmp_path / "transcripts.db"
    database = open_database(db_path)
    mixed = asyncio.run(
        run(
            database,
            "env-ok",
            "ring-ok",
            "env-401",
            "ring-401",
            "env-500",
            "ring-500",
            "env-echo",
            "ring-echo",
            "plain-echo",
            "person",
        )
    )
    failed = asyncio.run(run(database, "env-401", "ring-500"))

    # The keys really were in play: sent to the server, and echoed back in its errors.
    sent = {h.get("authorization", "") for h in planted.request_headers}
    assert f"Bearer {ENV_KEY}" in sent
    assert f"Bearer {RING_KEY}" in sent
    turns = load_debate(database, mixed).turns
    echoes = {"env-echo", "ring-echo", "plain-echo"}
    done = {t.seat_id for t in turns if t.status.value == "done"}
    assert done == {"env-ok", "ring-ok", "person"} | echoes
    assert all("called with [redacted] as my key" in t.text for t in turns if t.seat_id in echoes)
    typed = [t.text for t in turns if t.seat_id == "person"]
    assert typed
    assert all(text.startswith("Use mine: [redacted] or [redacted].") for text in typed)
    errors = {t.seat_id: t.error or "" for t in turns if t.status.value == "failed"}
    assert set(errors) == {"env-401", "ring-401", "env-500", "ring-500"}
    assert all("[redacted]" in errors[seat] for seat in ("env-401", "ring-401"))
    assert load_debate(database, failed).summary.status.value == "failed"

    # The command line too: a failing seat's message goes to the terminal. A panel
    # file names the variable holding the key (never the key itself).
    panel = tmp_path / "panel.toml"
    panel.write_text(
        "rounds = 1\n"
        + "".join(
            f'[[seat]]\nname = "{name}"\nmodel = "openai/{model}"\napi_key_env = "WORK_KEY"\n'
            for name, model in (
                ("A", "answer-7"),
                ("B", "fail-401"),
                ("C", "answer-9"),
                ("D", "echo-env"),
            )
        )
    )
    cli = CliRunner().invoke(
        _app(), ["run", f"{CANARY}: again?", "--db", str(db_path), "--panel", str(panel)]
    )
    assert cli.exit_code == 0, cli.output
    assert "key refused" in " ".join(cli.output.split())

    written = export_everything(database, [mixed, failed], tmp_path / "exports")
    # The database while it is open (the write-ahead log holds recent pages) …
    scanned = {p: p.read_bytes() for p in tmp_path.glob("transcripts.db*")}
    database.close()
    # … and once it is closed and checkpointed.
    scanned |= {Path(f"{p}.closed"): p.read_bytes() for p in tmp_path.glob("transcripts.db*")}
    assert any(name.name.endswith("-wal") for name in scanned)
    for path in written:
        data = path.read_bytes()
        readable = pdf_text(data).encode() if path.suffix == ".pdf" else data
        assert CANARY.encode() in readable, f"the scan cannot read {path.name}"
        scanned[path] = data + readable
    logs = list(debug_logs.rglob("*"))
    assert logs, "the app wrote no log file"
    scanned |= {p: p.read_bytes() for p in logs if p.is_file()}
    assert any(b"DEBUG" in data for path, data in scanned.items() if path in logs)
    printed = capfd.readouterr()
    scanned[Path("<stdout>")] = (printed.out + cli.output).encode()
    scanned[Path("<stderr>")] = printed.err.encode()

    leaks = {str(path): occurrences(data) for path, data in scanned.items() if occurrences(data)}
    assert leaks == {}


def _app():
    from roundtable.cli import app

    return app


def export_everything(database: Database, debate_ids: list[str], folder: Path) -> list[Path]:
    """Every format a person can export to: md, html, json (CLI) and pdf (GUI)."""
    from roundtable.gui.dialogs.export_dialog import write_export

    folder.mkdir()
    written = []
    for debate_id in debate_ids:
        for fmt in ("md", "html", "json", "pdf"):
            target = folder / f"{debate_id[:8]}.{fmt}"
            write_export(database, debate_id, fmt, target)
            written.append(target)
    archive = json.loads((folder / f"{debate_ids[0][:8]}.json").read_text())
    assert archive["format"] == "roundtable-archive"
    return written
