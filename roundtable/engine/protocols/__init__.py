"""The debate protocols and their registry.

Six protocols, each after a paper or a pattern (cited in its class docstring):
`roundtable` (ReConcile), `debate` (Du et al.), `council` (LLM Council), `mixture`
(Mixture-of-Agents), `moderated` (MAD) and `vote` (sample and vote). The machinery
they share lives in `base` (the hooks), `judging` (a judge's agreement rating and the
capitulation flag), `ranking` (the council's anonymised review) and `roles`.

To add one: subclass `DebateProtocol` in a module of this package, list it in
`_CLASSES`, and add its name to `roundtable.domain.values.PROTOCOLS`.
"""

from __future__ import annotations

from roundtable.domain import ConfigError, DebateSpec
from roundtable.domain.limits import shown
from roundtable.engine.protocols.base import DebateProtocol, Decision, ProtocolInfo, TurnNotes
from roundtable.engine.protocols.council import CouncilProtocol
from roundtable.engine.protocols.debate import MultiagentDebate
from roundtable.engine.protocols.mixture import MixtureProtocol
from roundtable.engine.protocols.moderated import ModeratedProtocol
from roundtable.engine.protocols.roundtable import RoundtableProtocol
from roundtable.engine.protocols.vote import VoteProtocol

#: In menu order; the same order as `roundtable.domain.values.PROTOCOLS`.
_CLASSES: tuple[type[DebateProtocol], ...] = (
    RoundtableProtocol,
    MultiagentDebate,
    CouncilProtocol,
    MixtureProtocol,
    ModeratedProtocol,
    VoteProtocol,
)
_REGISTRY: dict[str, type[DebateProtocol]] = {cls.name: cls for cls in _CLASSES}

#: name -> title, paper and summary, in menu order, for the app to explain each protocol.
PROTOCOL_INFO: dict[str, ProtocolInfo] = {cls.name: cls.info() for cls in _CLASSES}


def round_kind(protocol: str, round_number: int, speakers: int) -> str:
    """What round `round_number` of a `protocol` debate is, in a few words for a person
    ("stage 2 · anonymised peer review and ranking"); "" for an unknown protocol.

    Every view (the terminal, the app, live or replayed) asks here, so a round is
    called what its protocol makes it, in a debate stored long ago as in a new one."""
    cls = _REGISTRY.get(protocol)
    return cls().round_kind(round_number, speakers) if cls is not None else ""


def planned_rounds(spec: DebateSpec) -> int:
    """How many rounds a debate of `spec` runs at most, as its protocol plans them: a
    vote is one round and a council three, whatever `spec.max_rounds` says."""
    cls = _REGISTRY.get(spec.protocol)
    return cls().rounds(spec) if cls is not None else spec.max_rounds


def get_protocol(name: str) -> DebateProtocol:
    """A fresh instance of the named protocol; `ConfigError` names the known ones."""
    cls = _REGISTRY.get(name)
    if cls is None:
        known = ", ".join(_REGISTRY)
        raise ConfigError(f"Unknown protocol {shown(name)}. Choose one of: {known}.")
    return cls()


__all__ = [
    "PROTOCOL_INFO",
    "CouncilProtocol",
    "DebateProtocol",
    "Decision",
    "MixtureProtocol",
    "ModeratedProtocol",
    "MultiagentDebate",
    "ProtocolInfo",
    "RoundtableProtocol",
    "TurnNotes",
    "VoteProtocol",
    "get_protocol",
    "planned_rounds",
    "round_kind",
]
