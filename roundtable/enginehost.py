"""The engine as a long-lived child process of the GUI (DESIGN.md).

The GUI never imports litellm and never shares its interpreter with the engine: it
starts `python -m roundtable.enginehost --db URL` once, writes commands to its stdin and
reads events from its stdout, one JSON object per line each way.

Commands (stdin):
    {"cmd": "start", "debate_id": "…", "spec": {…DebateSpec…}}
    {"cmd": "cancel", "debate_id": "…"}
    {"cmd": "fork", "debate_id": "<new id>", "parent_id": "…", "from_round": 1,
     "add_seats": [{…Seat…}], "drop_seats": ["<seat id or name>"], "max_rounds": 4}
        a new debate: the parent's rounds before `from_round` (0-based, as events
        number rounds; 0 copies none) copied, then played on with the changed table;
        add_seats, drop_seats and max_rounds are optional
    {"cmd": "followup", "debate_id": "<new id>", "parent_id": "…", "question": "…"}
        the parent's table asked a new question, its question and answer as context
    {"cmd": "resume", "debate_id": "…"}
        a cancelled or interrupted debate finished in place: its complete rounds are
        sent again as events (already stored), then the rest as it is played
    {"cmd": "human_turn", "debate_id": "…", "round": 0, "seat_id": "…", "text": "…",
     "answer": "…", "confidence": 0.8, "pass": false}
        a person's turn, answering a `human_turn_requested`; answer, confidence and
        pass are optional (without them the answer is read from the text, as for a
        model; an empty turn is a pass)
    {"cmd": "shutdown"}
Messages (stdout):
    {"ready": true, "pid": 1234, "interrupted": ["…"]}   once warm (litellm loaded)
    {"event": {…}}                                       every event of every debate
    {"human_turn_requested": {"debate_id": "…", "round": 0, "seat_id": "…",
        "seat_name": "You", "question": "…", "prompt": "…"}}
                                                         a person's seat is to speak:
        `prompt` is what the protocol shows the seat (the question; later rounds, the
        others' answers and reasoning). The debate waits, without a time limit, for
        the matching human_turn (or a cancel); the round's other seats go on meanwhile.
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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from roundtable.domain import ConfigError, DebateSpec, Event, RoundtableError, Seat
from roundtable.domain.events import event_to_dict, from_jsonable

if TYPE_CHECKING:
    from roundtable.engine.continuation import Continuation
    from roundtable.engine.human import HumanReply, HumanTurnRequest

#: (debate id, round, seat id): one turn of a person.
_TurnKey = tuple[str, int, str]


class GuiHumanInput:
    """A person's turns come from the GUI: `ask` sends `human_turn_requested` and waits
    for `deliver` to be called with the matching `human_turn` command."""

    def __init__(self, send: Callable[[dict[str, Any]], None]) -> None:
        self._send = send
        self._waiting: dict[_TurnKey, asyncio.Future[HumanReply]] = {}

    async def ask(self, request: HumanTurnRequest) -> HumanReply:
        key = (request.debate_id, request.round, request.seat.id)
        future: asyncio.Future[HumanReply] = asyncio.get_running_loop().create_future()
        self._waiting[key] = future
        self._send(
            {
                "human_turn_requested": {
                    "debate_id": request.debate_id,
                    "round": request.round,
                    "seat_id": request.seat.id,
                    "seat_name": request.seat.name,
                    "question": request.question,
                    "prompt": request.prompt,
                }
            }
        )
        try:
            return await future  # cancelled with the debate
        finally:
            self._waiting.pop(key, None)

    def deliver(self, command: dict[str, Any]) -> None:
        """Answer a waiting turn with a `human_turn` command; ConfigError if none waits
        or the command is malformed."""
        from roundtable.engine.human import HumanReply

        key = (command.get("debate_id"), command.get("round"), command.get("seat_id"))
        future = self._waiting.get(key)  # type: ignore[arg-type]
        if future is None or future.done():
            raise ConfigError(
                f"no turn of seat {key[2]!r} in round {key[1]!r} of debate {key[0]!r} is "
                "waiting for a person"
            )
        text, answer = command.get("text", ""), command.get("answer")
        if not isinstance(text, str) or not isinstance(answer, str | None):
            raise ConfigError("a human_turn's text and answer must be strings")
        future.set_result(
            HumanReply(
                text=text,
                answer=answer,
                confidence=_confidence(command.get("confidence")),
                passed=bool(command.get("pass", False)),
            )
        )


def _confidence(value: Any) -> float | None:
    """A confidence as the GUI sends it (0.8, "80%", None), read like a model's."""
    from roundtable.engine.parsing import parse_confidence

    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return parse_confidence(repr(float(value)))
    if isinstance(value, str):
        return parse_confidence(value)
    raise ConfigError(f"a confidence must be a number, not {value!r}")


class EngineHost:
    """Runs debates on one asyncio loop; every debate task is owned by `self._tasks`."""

    def __init__(self, db_location: str | None, out: TextIO) -> None:
        from roundtable.storage import Recorder, open_database

        self._out = out
        self._write_lock = threading.Lock()
        self._database = open_database(db_location)
        self._recorder = Recorder(self._database)
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        #: Pre-flight checks of debates about to start (owned, so none is orphaned).
        self._checks: set[asyncio.Task[None]] = set()
        self._gateway: Any = None
        self._people = GuiHumanInput(self.send)

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
        elif kind in _CONTINUATIONS and isinstance(debate_id, str):
            self._guarded(debate_id, lambda: _CONTINUATIONS[kind](self, debate_id, command))
        elif kind == "human_turn":
            self._guarded(debate_id, lambda: self._people.deliver(command))
        else:
            self.send({"error": f"unknown or incomplete command: {command!r}", "debate_id": None})
        return True

    def _start(self, debate_id: str, spec_data: Any) -> None:
        from roundtable.engine import validate_spec

        try:
            spec = from_jsonable(DebateSpec, spec_data)
            validate_spec(spec)
            # The debate's own per-turn limit (Settings › Turn timeout), if it has one.
            gateway = self._gateway.with_turn_timeout(spec.turn_timeout_s)
        except (ValueError, TypeError, RoundtableError) as exc:
            self.send({"error": str(exc), "debate_id": debate_id})
            return
        check = asyncio.create_task(self._check_then_launch(debate_id, spec, gateway))
        self._checks.add(check)
        check.add_done_callback(self._checks.discard)

    async def _check_then_launch(self, debate_id: str, spec: DebateSpec, gateway: Any) -> None:
        """The CLI's pre-flight, for the GUI too: a local or configured server that does
        not answer is named before the debate starts (at most ~2 s), not after retries."""
        from roundtable.providers import find_unreachable

        unreachable = await find_unreachable(spec.seats)
        if unreachable:
            message = "\n".join(problem.message for problem in unreachable)
            self.send({"error": message, "debate_id": debate_id})
            return
        try:
            self._launch(debate_id, spec, gateway=gateway)
        except RoundtableError as exc:
            self.send({"error": str(exc), "debate_id": debate_id})

    def _launch(
        self,
        debate_id: str,
        spec: DebateSpec,
        *,
        gateway: Any = None,
        continuation: Continuation | None = None,
        recorded_through: int | None = None,
    ) -> None:
        """Run a debate as a task this host owns. `recorded_through`: events up to this
        seq are stored already (a resume sends them to the GUI again, not to the store)."""
        from roundtable.engine import run_debate

        if debate_id in self._tasks:
            raise ConfigError(f"debate {debate_id} is already running")
        emit = self.emit
        if recorded_through is not None:
            through = recorded_through

            def emit(event: Event) -> None:
                if event.seq > through:
                    self._recorder(event)
                self.send({"event": event_to_dict(event)})

        task = asyncio.create_task(
            run_debate(
                spec,
                gateway or self._gateway.with_turn_timeout(spec.turn_timeout_s),
                emit,
                debate_id=debate_id,
                continuation=continuation,
                human=self._people,
            ),
            name=debate_id,
        )
        self._tasks[debate_id] = task
        task.add_done_callback(lambda t: self._finished(debate_id, t))

    def _guarded(self, debate_id: Any, action: Callable[[], None]) -> None:
        """Do a command; a problem with it goes back to the GUI as an error message."""
        try:
            action()
        except (ValueError, TypeError, RoundtableError) as exc:
            self.send({"error": str(exc), "debate_id": debate_id})

    # ------------------------------------------------------------ forks, follow-ups, resumes
    def _fork(self, debate_id: str, command: dict[str, Any]) -> None:
        import dataclasses

        from roundtable.engine import validate_spec
        from roundtable.engine.continuation import fork_spec
        from roundtable.storage import load_debate, load_events

        parent_id = str(command.get("parent_id"))
        max_rounds = command.get("max_rounds")
        spec, continuation = fork_spec(
            load_debate(self._database, parent_id).spec,
            load_events(self._database, parent_id),
            from_round=int(command.get("from_round", 0)),
            add=[from_jsonable(Seat, seat) for seat in command.get("add_seats") or []],
            drop=[str(seat) for seat in command.get("drop_seats") or []],
            max_rounds=int(max_rounds) if max_rounds is not None else None,
        )
        validate_spec(spec)
        continuation = dataclasses.replace(continuation, parent_id=parent_id)
        self._launch(debate_id, spec, continuation=continuation)

    def _followup(self, debate_id: str, command: dict[str, Any]) -> None:
        from roundtable.domain import DebateStatus
        from roundtable.engine import validate_spec
        from roundtable.engine.continuation import followup_spec
        from roundtable.storage import load_debate

        parent_id = str(command.get("parent_id"))
        parent = load_debate(self._database, parent_id)
        if parent.summary.status is not DebateStatus.FINISHED:
            raise ConfigError(
                f"debate {parent_id} has no final answer ({parent.summary.status.value}); "
                "only a finished debate can be followed up"
            )
        spec, continuation = followup_spec(
            parent.spec,
            parent_id=parent_id,
            question=str(command.get("question", "")),
            answer=parent.summary.final_answer,
            consensus=parent.summary.consensus,
        )
        validate_spec(spec)
        self._launch(debate_id, spec, continuation=continuation)

    def _resume(self, debate_id: str, command: dict[str, Any]) -> None:
        from roundtable.domain import DebateStarted
        from roundtable.engine.continuation import resume_plan
        from roundtable.storage import load_events
        from roundtable.storage.reopen import reopen_debate

        if debate_id in self._tasks:
            raise ConfigError(f"debate {debate_id} is already running")
        events = load_events(self._database, debate_id)
        plan = resume_plan(events)
        started = events[0]
        assert isinstance(started, DebateStarted)  # resume_plan checked it
        # Refuses a running or finished debate before anything changes.
        reopen_debate(
            self._database, debate_id, through_seq=plan.through_seq, rounds=plan.first_round
        )
        self._launch(
            debate_id,
            started.spec,
            continuation=plan.continuation,
            recorded_through=plan.through_seq,
        )

    def _finished(self, debate_id: str, task: asyncio.Task[Any]) -> None:
        self._tasks.pop(debate_id, None)
        if not task.cancelled() and task.exception() is not None:
            self.send({"error": f"the engine failed: {task.exception()}", "debate_id": debate_id})

    async def stop_all(self) -> None:
        pending = [*self._checks, *self._tasks.values()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        self._recorder.close()
        self._database.close()


_CONTINUATIONS: dict[str, Callable[[EngineHost, str, dict[str, Any]], None]] = {
    "fork": EngineHost._fork,
    "followup": EngineHost._followup,
    "resume": EngineHost._resume,
}


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
