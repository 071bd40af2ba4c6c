"""A person at the table, on the terminal: `--seat human` (or `--seat "You=human"`).

When the person's turn comes, `TerminalHumanInput.ask` shows what the protocol shows
a model (in round 1 the question, later the others' answers and reasoning), then
reads their answer: any number of lines ended by an empty line or Ctrl+D, "pass" to
pass the round, then "Final answer:" and "Confidence (0-1, Enter to skip):". The
reply is parsed like a model's turn (`roundtable.engine.human`).

The other seats of the round keep streaming while the person types, but what they
say is held back until the person has answered: printing it would scramble the
typing, and a round is simultaneous (nobody reads this round's answers before giving
their own). The live status panel stops while a person types, for the same reason.

Input is read on a daemon thread, so a debate stopped with Ctrl+C does not wait for
a line that never comes, and the process can exit while the read is blocked.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from roundtable.cli.live import TerminalView
from roundtable.domain import ConfigError, DebateSpec, Event
from roundtable.domain.formatting import round_label, visible_controls
from roundtable.engine.human import HumanReply, HumanTurnRequest, PersonLeft, is_pass
from roundtable.engine.parsing import parse_confidence
from roundtable.headless.checks import people

T = TypeVar("T")

#: Times a confidence that cannot be read is asked again before it is skipped.
CONFIDENCE_TRIES = 3


def refuse_people_after_stdin(spec: DebateSpec) -> None:
    """A question read from standard input leaves nothing there for a person to answer
    with: ConfigError (exit 2) before anything runs."""
    names = people(spec)
    if names:
        raise ConfigError(
            f"{', '.join(names)} is a person's seat, who answers on standard input, and the "
            "question was read from it. Give the question as an argument instead."
        )


class TerminalHumanInput:
    """Asks the person at this terminal for their turns (`engine.human.HumanInput`).

    Use `show` as the view's sink: it passes events to the terminal view, holding
    them back while the person types.
    """

    def __init__(self, console: Console, view: TerminalView) -> None:
        self._console = console
        self._view = view
        self._held: list[Event] | None = None
        # Two people sharing one terminal answer one after the other.
        self._lock = asyncio.Lock()

    def show(self, event: Event) -> None:
        if self._held is not None:
            self._held.append(event)
        else:
            self._view(event)

    async def ask(self, request: HumanTurnRequest) -> HumanReply:
        async with self._lock:
            self._view.close()  # the live panel would redraw over the typing
            self._held = []
            try:
                return await _in_daemon_thread(lambda: self._read_turn(request))
            finally:
                held, self._held = self._held, None
                for event in held:
                    self._view(event)

    # ------------------------------------------------------------ on the input thread
    def _read_turn(self, request: HumanTurnRequest) -> HumanReply:
        seat = request.seat
        self._console.print()
        # The prompt quotes the question and the other seats' replies: untrusted text,
        # its control characters drawn. Plain text, not Markdown, which would turn the
        # stars of "12+17*23+4-9*14" into italics; the title is Text, not markup.
        title = visible_controls(f"Your turn, {seat.name} · {round_label(request.round)}")
        self._console.print(
            Panel(
                Text(visible_controls(request.prompt)),
                title=Text(title),
                title_align="left",
                border_style="bold",
            )
        )
        self._console.print(
            Text(
                "Write your answer and your reasoning; finish with an empty line (or Ctrl+D). "
                'Type "pass" to sit this round out. The final answer and your confidence '
                "are asked next.",
                style="dim",
            )
        )
        lines: list[str] = []
        while True:
            line = self._read_line("> ")
            if line is None:
                if not lines and not _interactive():
                    raise PersonLeft(
                        f"The input ended before {seat.name} answered: {seat.name} left the table.",
                        seat=seat.name,
                    )
                break
            if not line.strip():
                break
            lines.append(line.rstrip())
        text = "\n".join(lines)
        if is_pass(text):
            return HumanReply(passed=True)
        answer = (self._read_line("Final answer: ") or "").strip()
        if is_pass(answer) and not text:
            return HumanReply(passed=True)
        confidence = self._read_confidence() if answer or text else None
        return HumanReply(text=text, answer=answer or None, confidence=confidence)

    def _read_confidence(self) -> float | None:
        for _ in range(CONFIDENCE_TRIES):
            raw = self._read_line("Confidence (0-1, Enter to skip): ")
            if raw is None or not raw.strip():
                return None
            value = parse_confidence(raw)
            if value is not None:
                return value
            self._console.print(
                Text("Give a number from 0 to 1 (or a percentage like 80%).", style="yellow")
            )
        return None

    def _read_line(self, prompt: str) -> str | None:
        """One line from the terminal, None at the end of input (Ctrl+D)."""
        _enable_line_editing()
        self._console.file.flush()
        try:
            line = input(prompt)
        except EOFError:
            line = None
        if line is None or not _interactive():
            # A terminal echoes what is typed; piped input is echoed here instead, so
            # the transcript reads like the session. Ctrl+D leaves the cursor mid-line.
            sys.stdout.write(("" if line is None else line) + "\n")
            sys.stdout.flush()
        return line


def _enable_line_editing() -> None:
    """On a terminal, ← → Home End and the history keys edit the line being typed
    (they were stored as "␛[D" in the answer): importing the standard library's
    readline is what makes `input()` use it. Where Python has no readline (Windows),
    typing works as before, without editing keys."""
    if _interactive():
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  # imported for its effect on input()


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


async def _in_daemon_thread(work: Callable[[], T]) -> T:
    """Run blocking `work` on a daemon thread and await its result.

    Not the loop's executor: its threads are joined when the loop (and the process)
    shuts down, which would wait for a person who already pressed Ctrl+C.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not future.done():  # a cancelled wait is no longer interested
            outcome()

    def target() -> None:
        try:
            result = work()
        except BaseException as exc:  # handed to the awaiting task, which raises it
            error = exc
            outcome = lambda: future.set_exception(error)  # noqa: E731
        else:
            outcome = lambda: future.set_result(result)  # noqa: E731
        # The loop is gone when the debate was stopped and the program ended meanwhile.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, outcome)

    threading.Thread(target=target, name="person-input", daemon=True).start()
    return await future
