"""Windows that fit the screen they open on: a 1366×768 laptop with its taskbar (about 1366×728
usable) as well as a large monitor.

Every window of the program sizes itself with `fit_to_screen(window, width, height)` instead of
`resize`: the size it would like, or a share of the screen's available area where that is
smaller; it stays resizable, and content taller than that scrolls (`scrolling`).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

#: The share of the available area a window takes at most, leaving room for its title bar and frame.
SHARE = 0.9


def available_area(widget: QWidget) -> QRect:
    """The available geometry (without taskbars) of the screen the widget is on, else the primary one."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, width: int, height: int, *, share: float = SHARE, fill: bool = False) -> None:
    """Resize to width × height, or to `share` of the screen's available area where that is smaller;
    with `fill` (the main window), to that share of a larger screen too."""
    area = available_area(window)
    most = (int(area.width() * share), int(area.height() * share))
    if fill:
        window.resize(*most)
    else:
        window.resize(min(width, most[0]), min(height, most[1]))


def scrolling(content: QWidget, *, horizontal: bool = False) -> QScrollArea:
    """`content` in a frameless scroll area: it scrolls when the window is smaller than it needs."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    if not horizontal:
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return area
