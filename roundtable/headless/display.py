"""Whether a window can open here: Qt aborts the whole process (exit 134) when the
display it is given does not answer, so `roundtable` asks first.

On Linux a display is a Wayland socket (`WAYLAND_DISPLAY`) or an X server
(`DISPLAY`: `:N` is a local socket, `host:N` TCP port 6000 + N, as after `ssh -X`).
A variable left behind by a session that ended (`DISPLAY=:99` with no Xvfb any more)
names a socket nobody listens on: connecting says so in a millisecond, so the app's
start stays quick. A form this module does not know is trusted, as before.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from pathlib import Path

#: How long a remote X server (`host:N`) may take to accept a connection.
CONNECT_TIMEOUT_S = 0.5
_X_DISPLAY = re.compile(r"^(?P<host>[^:/]*)(?:/unix)?:(?P<number>\d+)(?:\.\d+)?$")


def unusable_display() -> str | None:
    """Why no window can open here, for the person; None when one can (or may)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return None  # the person chose a platform (offscreen, vnc, …): trusted
    if not sys.platform.startswith("linux"):
        return None  # Windows and macOS always have a window system
    wayland, x11 = os.environ.get("WAYLAND_DISPLAY"), os.environ.get("DISPLAY")
    if not wayland and not x11:
        return "neither DISPLAY nor WAYLAND_DISPLAY is set"
    if wayland and _wayland_answers(wayland):
        return None
    if x11 and _x_server_answers(x11):
        return None
    named = " nor ".join(
        f"{name}={value}"
        for name, value in (("WAYLAND_DISPLAY", wayland), ("DISPLAY", x11))
        if value
    )
    return f"no display answers at {named} (a session that has ended?)"


def _wayland_answers(name: str) -> bool:
    path = (
        Path(name) if name.startswith("/") else Path(os.environ.get("XDG_RUNTIME_DIR", "")) / name
    )
    return _unix_answers(str(path))


def _x_server_answers(display: str) -> bool:
    match = _X_DISPLAY.match(display)
    if match is None:
        return True  # a form not known here (a socket path, a launchd name): trusted
    host, number = match["host"], int(match["number"])
    if host in ("", "unix"):
        # Linux X servers listen on an abstract socket and on a file, either will do.
        return _unix_answers(f"\0/tmp/.X11-unix/X{number}") or _unix_answers(
            f"/tmp/.X11-unix/X{number}"
        )
    try:
        with socket.create_connection((host, 6000 + number), timeout=CONNECT_TIMEOUT_S):
            return True
    except OSError:
        return False


def _unix_answers(address: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(CONNECT_TIMEOUT_S)
        try:
            probe.connect(address)
        except OSError:
            return False
    return True
