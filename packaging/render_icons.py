"""Render the app icon's PNG sizes from resources/icons/roundtable.svg (run after editing it).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py
Writes resources/icons/roundtable-<size>.png beside it, which are committed: the window,
the bundle and `make install-desktop` use them, and none of them needs a tool to build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int, target: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):
        raise SystemExit(f"cannot write {target}")


def main() -> None:
    app = QGuiApplication(sys.argv)  # QImage and fonts need one
    for size in SIZES:
        target = ICONS / f"roundtable-{size}.png"
        render(ICONS / "roundtable.svg", size, target)
        print(target)
    del app


if __name__ == "__main__":
    main()
