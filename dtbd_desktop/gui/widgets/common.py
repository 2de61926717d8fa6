"""Small widgets shared by the screens."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def section_title(text: str) -> QLabel:
    """The large bold title at the top of a screen."""
    label = QLabel(text)
    label.setStyleSheet("font-size: 18px; font-weight: bold;")
    return label
