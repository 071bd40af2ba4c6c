"""How numbers of a debate read to a person, the same in the terminal, the app and exports."""

from __future__ import annotations

import re


def format_cost(cost_usd: float | None) -> str:
    """Dollars; "free" for nothing at all (a demo model, a model on the user's machine, a
    person); "cost unknown" when a price was missing: unknown is never shown as $0."""
    if cost_usd is None:
        return "cost unknown"
    if cost_usd == 0:
        return "free"
    return f"${cost_usd:.4f}" if cost_usd < 0.01 else f"${cost_usd:.2f}"


def format_tokens(count: int) -> str:
    return f"{count:,} token" + ("" if count == 1 else "s")


def round_label(round_index: int) -> str:
    """Rounds are 0-based in events and storage; people count them from 1."""
    return f"Round {round_index + 1}"


def simulated_label(demo_seats: int, seats: int) -> str:
    """How a verdict is marked when offline demo models gave it: "simulated" when every
    seat is one, "partly simulated" when some are, "" when none. The demo table's
    answers are scripted stand-ins: its verdict must never read as a real one."""
    if demo_seats <= 0:
        return ""
    return "simulated" if demo_seats >= seats else "partly simulated"


# ---------------------------------------------------------------- control characters
# Untrusted text (a question, a name, a model's reply) may hold control characters: a
# terminal obeys an escape sequence printed raw (recolour, retitle, OSC 52 clipboard),
# and so does `cat` on an exported file. Each is drawn as its Unicode picture instead
# (ESC as "␛"): visible, recognisable and inert; newlines and tabs are kept.
# C0 controls except tab and newline, DEL, and the C1 controls (0x9b is a one-byte CSI).
# CR is left to Rich, which drops it, so Windows line ends stay invisible as they should.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟, the Unicode "control pictures"
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"  # C1 controls have no pictures: show their code


def visible_controls(text: str) -> str:
    """`text` with every control character (but newline, tab and CR) made visible."""
    if _CONTROLS.search(text) is None:
        return text  # the same object: callers tell "unchanged" by identity
    return _CONTROLS.sub(_picture, text)
