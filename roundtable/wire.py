"""The messages between the GUI and the engine child process, as typed values.

The GUI starts `python -m roundtable.enginehost` and the two talk in JSON lines, one
message per line: commands on the engine's stdin, replies and notices on its stdout.
Both ends build and read those lines here and nowhere else (`encode`,
`decode_command`, `decode_reply`), so a message is a frozen dataclass in the code and
a line only on the pipe. A line is `{"type": <wire name>, <field>: <value>, …}`.

The handshake carries `PROTOCOL_VERSION`: the GUI's first command is `Hello` and the
engine's first line is `Ready`; an end that reads another version refuses it with
`WireVersionMismatch`, whose message says what to do, rather than misreading the
other's messages. Raise the version whenever a message changes shape.

Commands (GUI -> engine): `Hello`, `StartDebate`, `CancelDebate`, `ForkDebate`,
`FollowUpDebate`, `ResumeDebate`, `HumanTurn`, `RenameDebate`, `DeleteDebate`,
`Shutdown`.
Replies and notices (engine -> GUI): `Ready`, `EventNotice`, `HumanTurnRequested`,
`DebateRenamed`, `DebateDeleted`, `CommandFailed`, `EngineFailed`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

from roundtable.domain import DebateSpec, Event, Seat
from roundtable.domain.events import event_from_dict, event_to_dict, from_jsonable, to_jsonable

#: Raised whenever a message changes shape, so that mismatched ends say so.
PROTOCOL_VERSION = 1


class WireError(ValueError):
    """A line that is not a message this end understands."""


class WireVersionMismatch(WireError):
    """The other end speaks another version of this protocol."""


# ------------------------------------------------------------------ commands
@dataclass(frozen=True, slots=True, kw_only=True)
class Hello:
    """The GUI's first command: the protocol version it speaks."""

    protocol_version: int = PROTOCOL_VERSION


@dataclass(frozen=True, slots=True, kw_only=True)
class StartDebate:
    """Run `spec` as a new debate with the id the GUI chose."""

    debate_id: str
    spec: DebateSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelDebate:
    """Stop a running debate (a `DebateCancelled` event follows)."""

    debate_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ForkDebate:
    """A new debate `debate_id`: the parent's rounds before `from_round` (0-based, as
    events number rounds; 0 copies none) copied, then played on with a changed table
    (`drop_seats` are seat ids or names)."""

    debate_id: str
    parent_id: str
    from_round: int
    add_seats: tuple[Seat, ...] = ()
    drop_seats: tuple[str, ...] = ()
    max_rounds: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpDebate:
    """A new debate `debate_id`: the parent's table asked a new question, with the
    parent's question and answer as context."""

    debate_id: str
    parent_id: str
    question: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeDebate:
    """Finish a cancelled or interrupted debate in place: its complete rounds come
    again as events (already stored), then the rest as it is played."""

    debate_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HumanTurn:
    """A person's turn, answering a `HumanTurnRequested`. Without `answer` and
    `confidence` they are read from the text, as for a model."""

    debate_id: str
    round: int
    seat_id: str
    text: str = ""
    answer: str | None = None
    confidence: float | None = None
    passed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RenameDebate:
    """Give a stored debate a new title (answered by `DebateRenamed`)."""

    debate_id: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteDebate:
    """Delete a stored debate (answered by `DebateDeleted`)."""

    debate_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Shutdown:
    """Stop every debate, close the database and exit."""


Command = (
    Hello
    | StartDebate
    | CancelDebate
    | ForkDebate
    | FollowUpDebate
    | ResumeDebate
    | HumanTurn
    | RenameDebate
    | DeleteDebate
    | Shutdown
)


# ------------------------------------------------------------------ replies and notices
@dataclass(frozen=True, slots=True, kw_only=True)
class Ready:
    """The engine is warm (litellm loaded) and takes commands. `interrupted`: debates a
    previous engine left running, now marked interrupted in the database."""

    protocol_version: int = PROTOCOL_VERSION
    pid: int
    interrupted: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EventNotice:
    """One event of a debate, in seq order per debate."""

    event: Event


@dataclass(frozen=True, slots=True, kw_only=True)
class HumanTurnRequested:
    """A person's seat is to speak. `prompt` is what the protocol shows the seat (the
    question; later rounds, the others' answers and reasoning). The debate waits,
    without a time limit, for the matching `HumanTurn` (or a cancel); the round's
    other seats go on meanwhile."""

    debate_id: str
    round: int
    seat_id: str
    seat_name: str
    question: str
    prompt: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DebateRenamed:
    """A `RenameDebate` was stored."""

    debate_id: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DebateDeleted:
    """A `DeleteDebate` was carried out."""

    debate_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandFailed:
    """A command that could not be carried out, in words for the user. `command` is
    the refused command's wire name ("" when the line was not a command at all)."""

    message: str
    debate_id: str | None = None
    command: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineFailed:
    """The engine cannot go on (its database cannot be opened, the GUI speaks another
    protocol version) and exits after this line."""

    message: str


Reply = (
    Ready
    | EventNotice
    | HumanTurnRequested
    | DebateRenamed
    | DebateDeleted
    | CommandFailed
    | EngineFailed
)

#: Wire name -> message class, one table per direction.
COMMANDS: dict[str, type[Command]] = {
    "hello": Hello,
    "start": StartDebate,
    "cancel": CancelDebate,
    "fork": ForkDebate,
    "followup": FollowUpDebate,
    "resume": ResumeDebate,
    "human_turn": HumanTurn,
    "rename": RenameDebate,
    "delete": DeleteDebate,
    "shutdown": Shutdown,
}
REPLIES: dict[str, type[Reply]] = {
    "ready": Ready,
    "event": EventNotice,
    "human_turn_requested": HumanTurnRequested,
    "renamed": DebateRenamed,
    "deleted": DebateDeleted,
    "failed": CommandFailed,
    "engine_failed": EngineFailed,
}
_WIRE_NAMES: dict[type[Any], str] = {
    cls: name for table in (COMMANDS, REPLIES) for name, cls in table.items()
}
#: The messages whose `protocol_version` is checked before anything else is read.
_HANDSHAKES = ("hello", "ready")

_Message = TypeVar("_Message", Command, Reply)


def still_running(action: str) -> str:
    """Why a running debate cannot be `action` ("renamed", "deleted"): the GUI says it
    before asking, the engine when asked anyway (another process may be recording)."""
    return (
        f"This debate is still running, so it cannot be {action} yet. "
        "Stop it (Esc) or wait until it finishes."
    )


def wire_name(message_type: type[Command] | type[Reply]) -> str:
    """The name a message type goes by on the pipe ("rename" for `RenameDebate`)."""
    return _WIRE_NAMES[message_type]


# ------------------------------------------------------------------ codec
def encode(message: Command | Reply) -> bytes:
    """One message as one UTF-8 JSON line, newline included."""
    if isinstance(message, EventNotice):
        fields: Any = {"event": event_to_dict(message.event)}
    else:
        fields = to_jsonable(message)
    data = {"type": _WIRE_NAMES[type(message)], **fields}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def decode_command(line: bytes | str) -> Command:
    """The command on one line the GUI wrote; `WireError` if it is not one."""
    return _decode(line, COMMANDS, "command")


def decode_reply(line: bytes | str) -> Reply:
    """The reply or notice on one line the engine printed; `WireError` if it is not one."""
    return _decode(line, REPLIES, "reply")


def _decode(line: bytes | str, table: dict[str, type[_Message]], what: str) -> _Message:
    try:
        data = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WireError(f"not a JSON line ({exc})") from None
    if not isinstance(data, dict):
        raise WireError(f"a {what} must be a JSON object, not {type(data).__name__}")
    fields = dict(data)
    name = fields.pop("type", None)
    cls = table.get(name) if isinstance(name, str) else None
    if cls is None:
        raise WireError(f"unknown {what} type {name!r}")
    if name in _HANDSHAKES:
        _check_version(fields.get("protocol_version"))
    try:
        if cls is EventNotice:
            if set(fields) != {"event"}:
                raise ValueError(f"an event notice holds one event, not {sorted(fields)}")
            return EventNotice(event=event_from_dict(fields["event"]))  # type: ignore[return-value]
        message: _Message = from_jsonable(cls, fields)
    except (ValueError, TypeError) as exc:
        raise WireError(f"a malformed {name!r} {what}: {exc}") from None
    return message


def _check_version(version: object) -> None:
    if version != PROTOCOL_VERSION:
        raise WireVersionMismatch(
            "The debate engine and the window speak different versions of their protocol "
            f"(this side {PROTOCOL_VERSION}, the other {version!r}): part of Roundtable was "
            "updated while it ran, or two installations are mixed. Quit Roundtable and "
            "start it again; if this persists, reinstall it."
        )
