"""A person's seat on a real terminal: the arrow keys edit the line being typed, and
never end up in the stored answer as "␛[D"."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roundtable.storage import list_debates, load_debate, open_database

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="no pty")]

LEFT = "\x1b[D"


class Terminal:
    """`roundtable` on a pseudo-terminal, as a person at a keyboard uses it."""

    def __init__(self, *args: str) -> None:
        self.master, slave = pty.openpty()
        env = os.environ | {"TERM": "xterm", "COLUMNS": "100", "LINES": "40"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "roundtable", *args],
            cwd=ROOT,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,  # the pty becomes its controlling terminal
        )
        os.close(slave)
        self.seen = ""
        #: Where the output not yet waited for begins.
        self._mark = 0

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Until the program prints `text` (after what was waited for before)."""
        deadline = time.monotonic() + timeout
        while text not in self.seen[self._mark :]:
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {text!r}; the terminal showed:\n{self.seen[-2000:]}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the program ended and closed the terminal
                    break
        self._mark = self.seen.find(text, self._mark) + len(text)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 60) -> int | None:
        """The exit code, or None (the program killed) if it is still running."""
        deadline = time.monotonic() + timeout
        try:
            # Keep reading, or a full terminal would block the program.
            while self.process.poll() is None and time.monotonic() < deadline:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if ready:
                    self.seen += os.read(self.master, 65536).decode(errors="replace")
        except OSError:  # the program closed the terminal; it may still be ending
            pass
        finally:
            os.close(self.master)
        try:
            return self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None


def test_arrow_keys_edit_the_line_a_person_types(tmp_path):
    db = tmp_path / "t.db"
    terminal = Terminal(
        "run", "What is 2+2?", "--seat", "human", "--seat", "demo/ada", "--seat", "demo/basil",
        "--rounds", "1", "--brief", "--db", str(db),
    )  # fmt: skip

    terminal.wait_for("Your turn")
    terminal.wait_for("> ")
    terminal.type(f"Tw and two{LEFT * 8}o\r")  # the missing "o" put back with ←
    terminal.wait_for("> ")
    terminal.type("\r")  # an empty line ends the answer
    terminal.wait_for("Final answer: ")
    terminal.type(f"5{LEFT}4\x1b[C\x7f\r")  # "45", ← 4 → backspace: "4"
    terminal.wait_for("Confidence")
    terminal.type("0.9\r")

    assert terminal.finish() == 0, terminal.seen[-2000:]
    with open_database(db) as database:
        (summary,) = list_debates(database)
        turns = load_debate(database, summary.id).turns
    (person,) = [turn for turn in turns if turn.seat_id == "you"]
    assert person.text.splitlines()[0] == "Two and two"  # then the answer lines
    assert person.answer is not None
    assert (person.answer.display, person.answer.confidence) == ("4", 0.9)
