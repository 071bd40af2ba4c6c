"""Who the demo models are: their ids, their blurbs, and the habits that make them differ.

A leaf of the demo provider: `models`, `tasks` and the menus of the app and the CLI all
read the roster, and it reads nothing of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from roundtable.domain import ConfigError

__all__ = ["DEMO_MODELS", "SLIP_HABITS", "DemoModel", "get_demo_model"]


@dataclass(frozen=True, slots=True)
class DemoModel:
    """One simulated model: its litellm id, how it looks in a menu, and how it behaves."""

    id: str  # litellm model id, "demo/ada"
    name: str
    blurb: str
    #: Chance of a slip when it first works an arithmetic question out alone.
    error_rate: float
    #: Chance of keeping a disputed answer for one more round instead of re-checking.
    stubbornness: float
    tokens_per_s: float
    first_token_s: float
    colour: str  # a hint for the GUI, "#rrggbb"


DEMO_MODELS: tuple[DemoModel, ...] = (
    DemoModel(
        id="demo/ada",
        name="Ada",
        blurb="Careful and terse; rarely wrong, and her confidence means what it says.",
        error_rate=0.08,
        stubbornness=0.15,
        tokens_per_s=45.0,
        first_token_s=0.35,
        colour="#3b82f6",
    ),
    DemoModel(
        id="demo/basil",
        name="Basil",
        blurb="Chatty and sure of himself; slips more often and sometimes digs his heels in.",
        error_rate=0.35,
        stubbornness=0.45,
        tokens_per_s=30.0,
        first_token_s=0.6,
        colour="#f59e0b",
    ),
    DemoModel(
        id="demo/cyra",
        name="Cyra",
        blurb="Methodical: every step in a table; revises readily when shown better reasoning.",
        error_rate=0.2,
        stubbornness=0.05,
        tokens_per_s=38.0,
        first_token_s=0.45,
        colour="#10b981",
    ),
    DemoModel(
        id="demo/dex",
        name="Dex",
        blurb="Contrarian devil's advocate: argues the other side before he agrees.",
        error_rate=0.25,
        stubbornness=0.3,
        tokens_per_s=55.0,
        first_token_s=0.25,
        colour="#ef4444",
    ),
)

_BY_ID = {model.id: model for model in DEMO_MODELS}

#: Which slips each model tends to make (weights): Basil rushes, Dex flips signs.
SLIP_HABITS: dict[str, dict[str, float]] = {
    "demo/ada": {"product": 2.0, "carry": 1.0, "sign": 0.5, "order": 0.2},
    "demo/basil": {"order": 3.0, "product": 1.0, "carry": 1.0, "sign": 1.0},
    "demo/cyra": {"carry": 2.0, "product": 1.0, "sign": 0.5, "order": 0.3},
    "demo/dex": {"sign": 2.0, "order": 1.0, "product": 1.0, "carry": 0.5},
}


def get_demo_model(model_id: str) -> DemoModel:
    """The demo model for `demo/ada` or `ada` (litellm hands providers the bare name)."""
    key = model_id if model_id.startswith("demo/") else f"demo/{model_id}"
    model = _BY_ID.get(key)
    if model is None:
        known = ", ".join(m.id for m in DEMO_MODELS)
        raise ConfigError(f"Unknown demo model {model_id!r}. The demo models are: {known}.")
    return model
