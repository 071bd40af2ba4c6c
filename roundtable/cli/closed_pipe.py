"""A reader that leaves early (`roundtable show ID | head`) ends the command quietly.

When the program reading our output exits, the next write to standard output fails
with a broken pipe. Rich and Click both answer that with exit code 1, which the
README keeps for a failed debate. Every command's output goes through
`WatchedOutput`, which notes the broken pipe; `main` then exits with 141 (128 +
SIGPIPE, what a shell reports for a program that a closed pipe stopped, as `git log
| head` does) and prints nothing more. A debate that was running is stored, stopped
as cancelled (`roundtable.cli.terminal_runner`), and can be resumed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from typing import Any, TextIO

#: The exit code when the reader of our output left: 128 + SIGPIPE, as shells report it.
EXIT_READER_LEFT = 141


class WatchedOutput:
    """Standard output that remembers whether its reader left; otherwise the stream itself."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_left = False

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._left()
            raise

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._left()
            raise

    def _left(self) -> None:
        self.reader_left = True
        # Nothing more reaches the reader, and the interpreter's last flush at exit
        # must not fail again (and print "Exception ignored …") on the dead pipe.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, buffer, …
        return getattr(self._stream, name)
