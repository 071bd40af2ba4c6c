"""The engine process's main loop: commands from stdin, replies to stdout."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import threading
from typing import Any

from roundtable import wire
from roundtable.domain import RoundtableError
from roundtable.enginehost.host import EngineHost


def read_command(line: str) -> wire.Command | wire.CommandFailed | wire.EngineFailed:
    """The command on one line, or what to answer when it is not one: a line from a
    GUI that speaks another protocol version ends the engine."""
    try:
        return wire.decode_command(line)
    except wire.WireVersionMismatch as exc:
        return wire.EngineFailed(message=str(exc))
    except wire.WireError as exc:
        return wire.CommandFailed(message=f"{exc}: {line[:200]}")


def _read_commands(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[Any]) -> None:
    """Reader thread: stdin lines -> the loop's queue; None at end of input."""
    for raw in sys.stdin:
        line = raw.strip()
        if line:
            loop.call_soon_threadsafe(queue.put_nowait, read_command(line))
    loop.call_soon_threadsafe(queue.put_nowait, None)


async def serve(db_location: str | None) -> None:
    host = EngineHost(db_location, sys.stdout)
    interrupted = host.warm_up()
    host.send(wire.Ready(pid=os.getpid(), interrupted=tuple(interrupted)))
    queue: asyncio.Queue[Any] = asyncio.Queue()
    threading.Thread(
        target=_read_commands, args=(asyncio.get_running_loop(), queue), daemon=True
    ).start()
    try:
        while (command := await queue.get()) is not None:
            if isinstance(command, wire.CommandFailed):
                host.send(command)
            elif isinstance(command, wire.EngineFailed):
                host.send(command)
                break
            elif not await host.handle(command):
                break
    finally:
        await host.stop_all()


#: How far the engine steps back when it and the window both want the CPU. The engine's
#: work is small and not urgent to the millisecond (batching streamed text for the
#: window every ~40 ms); a frame the window misses is seen. Measured by
#: benchmarks/gui_stall.py: see BENCHMARKS.md.
ENGINE_NICENESS = 5


def yield_to_the_window() -> None:
    """Lower this process's scheduling priority below the window's (POSIX only; on
    Windows the engine keeps the normal priority)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(ENGINE_NICENESS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m roundtable.enginehost")
    parser.add_argument("--db", default=None, help="database path or SQLAlchemy URL")
    args = parser.parse_args(argv)
    yield_to_the_window()
    try:
        asyncio.run(serve(args.db))
    except RoundtableError as exc:
        sys.stdout.buffer.write(wire.encode(wire.EngineFailed(message=str(exc))))
        sys.stdout.flush()
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
