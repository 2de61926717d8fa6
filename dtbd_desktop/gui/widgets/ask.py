"""The question asked before an action with consequences (finalising scores with some missing,
reviewing a class again after its decision, replacing a decision, clearing many cells): what
will happen, in words, and two buttons named for what they do, "go back" being the default
(Enter and Esc keep things as they are).

Screens call `ask.before(...)` through this module, so that tests answer it in one place
(`tests/gui/conftest.py` records the question and goes on, unless a test says otherwise).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from dtbd_desktop.base.i18n import tr


def before(parent: QWidget | None, title: str, text: str, go: str, *, details: str | None = None,
           back: str | None = None) -> bool:
    """Ask before an action; True when the person chose `go`. `details` (a list of names, say:
    `names_text` keeps it short) goes under the question."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
    go_button = box.addButton(go, QMessageBox.ButtonRole.AcceptRole)
    back_button = box.addButton(back or tr("ask", "Quay lại"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back_button)
    box.setEscapeButton(back_button)
    if details:
        box.setInformativeText(details)
    box.exec()
    return box.clickedButton() is go_button


def names_text(names: list[str], *, most: int = 12) -> str:
    """"An, Bình, Cường" or, past `most`, the first ones and "... và N người khác"."""
    if len(names) <= most:
        return ", ".join(names)
    return tr("ask", "{names} và {n} người khác").format(names=", ".join(names[:most]), n=len(names) - most)
