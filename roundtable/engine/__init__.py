"""The debate engine: protocols, the runner, answer parsing and voting.

It reaches the models only through the `Gateway` protocol, so it never imports
litellm and runs the same in the engine process, headless, and in tests.
"""

from roundtable.engine.gateway import Gateway
from roundtable.engine.parsing import parse_answer
from roundtable.engine.protocols import PROTOCOL_INFO, get_protocol
from roundtable.engine.runner import run_debate
from roundtable.engine.validate import validate_spec

__all__ = [
    "PROTOCOL_INFO",
    "Gateway",
    "get_protocol",
    "parse_answer",
    "run_debate",
    "validate_spec",
]
