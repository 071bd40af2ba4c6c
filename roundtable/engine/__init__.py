"""The debate engine: protocols, the runner, answer parsing and voting.

It reaches the models only through the `Gateway` protocol, so it never imports
litellm and runs the same in the engine process, headless, and in tests.

The names below load on first use (PEP 562 `__getattr__`): the app's setup form
needs a protocol's summary and a price estimate before its window is shown, and
must not pay for the runner (asyncio and the retry machinery) to get them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roundtable.lazy_names import lazy_names

if TYPE_CHECKING:
    from roundtable.engine.gateway import Gateway
    from roundtable.engine.parsing import parse_answer
    from roundtable.engine.protocols import PROTOCOL_INFO, get_protocol
    from roundtable.engine.runner import run_debate
    from roundtable.engine.validate import validate_spec

#: Each public name, by the module that defines it.
_HOMES: dict[str, str] = {
    "Gateway": "roundtable.engine.gateway",
    "parse_answer": "roundtable.engine.parsing",
    "PROTOCOL_INFO": "roundtable.engine.protocols",
    "get_protocol": "roundtable.engine.protocols",
    "run_debate": "roundtable.engine.runner",
    "validate_spec": "roundtable.engine.validate",
}

__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "PROTOCOL_INFO",
    "Gateway",
    "get_protocol",
    "parse_answer",
    "run_debate",
    "validate_spec",
]
