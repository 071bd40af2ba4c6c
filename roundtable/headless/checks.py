"""What is refused before a debate runs, so bad input writes nothing and calls no model:
keys and servers (`engine.preflight`), and a person's seat where nobody can be asked."""

from __future__ import annotations

from roundtable.domain import ConfigError, DebateSpec


def people(spec: DebateSpec) -> list[str]:
    """The names of the seats that people take in the rounds still to play."""
    return [seat.name for seat in spec.active_seats if seat.is_human]


def refuse_people_in_json(spec: DebateSpec, *, as_json: bool) -> None:
    """--json has no terminal to ask a person on: ConfigError (exit 2) before anything runs."""
    names = people(spec)
    if as_json and names:
        raise ConfigError(
            f"{', '.join(names)} is a person's seat, and --json mode has no terminal to ask "
            "them on. Drop --json to take the seat yourself, or seat a model instead."
        )


def check_runnable(spec: DebateSpec, *, as_json: bool) -> None:
    """Everything that can be refused before a debate runs; ConfigError (exit 2).

    Callers check before they open the database, so bad input writes nothing.
    """
    from roundtable.engine.preflight import preflight

    preflight(spec)
    refuse_people_in_json(spec, as_json=as_json)
