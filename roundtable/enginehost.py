"""The engine as a long-lived child process of the GUI (DESIGN.md).

The GUI never imports litellm and never shares its interpreter with the engine: it
starts `python -m roundtable.enginehost --db URL` once, writes commands to its stdin and
reads events from its stdout, one JSON object per line each way.

Commands (stdin):
    {"cmd": "start", "debate_id": "…", "spec": {…DebateSpec…}}
    {"cmd": "cancel", "debate_id": "…"}
    {"cmd": "shutdown"}
Messages (stdout):
    {"ready": true, "pid": 1234, "interrupted": ["…"]}   once warm (litellm loaded)
    {"event": {…}}                                       every event of every debate
    {"error": "message", "debate_id": "…" | null}        a command that could not be done

This process is the single writer of the database; the GUI only reads it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import threading
from typing import Any, TextIO

from roundtable.domain import DebateSpec, Event, RoundtableError
from roundtable.domain.events import event_to_dict, from_jsonable


class EngineHost:
    """Runs debates on one asyncio loop; every debate task is owned by `self._tasks`."""

    def __init__(self, db_location: str | None, out: TextIO) -> None:
        from roundtable.storage import Recorder, open_database

        self._out = out
        self._write_lock = threading.Lock()
        self._database = open_database(db_location)
        self._recorder = Recorder(self._database)
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._gateway: Any = None

    def send(self, message: dict[str, Any]) -> None:
        line = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        with self._write_lock:
            self._out.write(line + "\n")
            self._out.flush()

    def emit(self, event: Event) -> None:
        self._recorder(event)
        self.send({"event": event_to_dict(event)})

    def warm_up(self) -> list[str]:
        """Load litellm and mark debates a dead process left running as interrupted."""
        from roundtable.providers import LiteLLMGateway, load_litellm
        from roundtable.storage import mark_orphans_interrupted

        load_litellm()
        self._gateway = LiteLLMGateway()
        # Long-lived objects from the imports never need collecting; freezing them keeps
        # full collections (150-290 ms with litellm loaded, NOTES.md) off the hot path.
        gc.freeze()
        return mark_orphans_interrupted(self._database)

    async def handle(self, command: dict[str, Any]) -> bool:
        """Carry out one command; False means shut down."""
        kind = command.get("cmd")
        debate_id = command.get("debate_id")
        if kind == "shutdown":
            return False
        if kind == "start" and isinstance(debate_id, str):
            self._start(debate_id, command.get("spec"))
        elif kind == "cancel" and isinstance(debate_id, str):
            task = self._tasks.get(debate_id)
            if task is not None:
                task.cancel()
        else:
            self.send({"error": f"unknown or incomplete command: {command!r}", "debate_id": None})
        return True

    def _start(self, debate_id: str, spec_data: Any) -> None:
        from roundtable.engine import run_debate, validate_spec

        try:
            spec = from_jsonable(DebateSpec, spec_data)
            validate_spec(spec)
        except (ValueError, TypeError, RoundtableError) as exc:
            self.send({"error": str(exc), "debate_id": debate_id})
            return
        task = asyncio.create_task(
            run_debate(spec, self._gateway, self.emit, debate_id=debate_id), name=debate_id
        )
        self._tasks[debate_id] = task
        task.add_done_callback(lambda t: self._finished(debate_id, t))

    def _finished(self, debate_id: str, task: asyncio.Task[Any]) -> None:
        self._tasks.pop(debate_id, None)
        if not task.cancelled() and task.exception() is not None:
            self.send({"error": f"the engine failed: {task.exception()}", "debate_id": debate_id})

    async def stop_all(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self._recorder.close()
        self._database.close()


def _read_commands(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[Any]) -> None:
    """Reader thread: stdin lines -> the loop's queue; None at end of input."""
    for raw in sys.stdin:
        line = raw.strip()
        if not line:
            continue
        try:
            command = json.loads(line)
        except json.JSONDecodeError:
            command = {"cmd": "invalid", "line": line[:200]}
        loop.call_soon_threadsafe(queue.put_nowait, command)
    loop.call_soon_threadsafe(queue.put_nowait, None)


async def serve(db_location: str | None) -> None:
    host = EngineHost(db_location, sys.stdout)
    interrupted = host.warm_up()
    host.send({"ready": True, "pid": os.getpid(), "interrupted": interrupted})
    queue: asyncio.Queue[Any] = asyncio.Queue()
    threading.Thread(
        target=_read_commands, args=(asyncio.get_running_loop(), queue), daemon=True
    ).start()
    try:
        while (command := await queue.get()) is not None:
            if not isinstance(command, dict) or not await host.handle(command):
                break
    finally:
        await host.stop_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m roundtable.enginehost")
    parser.add_argument("--db", default=None, help="database path or SQLAlchemy URL")
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.db))
    except RoundtableError as exc:
        print(json.dumps({"error": str(exc), "debate_id": None}), flush=True)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
