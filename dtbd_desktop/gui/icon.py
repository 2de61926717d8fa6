"""The program's emblem (a gold star over an open book), for windows and dialogs."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from dtbd_desktop.base.paths import resource_path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The emblem, from the PNGs rendered by installer/make_icons.py (each read when first drawn)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource_path("icons", f"dtbd-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    return icon
