"""The program in the language chosen: Qt's own strings and the program's, through QTranslator.

Qt's own strings (the standard buttons Yes/No/OK/Cancel, file and print dialogs, the Undo/Cut/Paste
menu of text fields, wizards' Back/Next/Finish) come from Qt's `qtbase_<language>.qm`; PySide6 ships
none for Vietnamese, so the project keeps its own `resources/translations/qtbase_vi.ts` (Vietnamese
for Qt's English source texts), compiled to `.qm` beside it like the program's own, and read from
the `.ts` where it was not compiled (a wheel built without Qt's tools).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from dtbd_desktop.base.i18n import load_ts, set_translator
from dtbd_desktop.base.paths import resource_path


@lru_cache(maxsize=2)
def read_qt_ts(path: Path) -> dict[tuple[str, str], str]:
    """{(context, Qt's source text): translation} of a Qt Linguist file."""
    table: dict[tuple[str, str], str] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for message in ctx.iter("message"):
            node = message.find("translation")
            if node is not None and node.text and node.get("type") not in ("unfinished", "obsolete"):
                table[(name, message.findtext("source") or "")] = node.text
    return table


class TableTranslator(QTranslator):
    """A translator over a table read from a `.ts` file (where its `.qm` was not built)."""

    def __init__(self, table: dict[tuple[str, str], str], parent: QCoreApplication | None = None) -> None:
        super().__init__(parent)
        self.table = table

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        del disambiguation, n
        return self.table.get((context, source), "")

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return not self.table


def qt_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Qt's own strings in `language`: Qt's file, else the project's `qtbase_<language>` (.qm, else .ts)."""
    shipped = QTranslator(app)
    if shipped.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return shipped
    ours = QTranslator(app)
    qm = resource_path("translations", f"qtbase_{language}.qm")
    if qm.exists() and ours.load(str(qm)):
        return ours
    ts = resource_path("translations", f"qtbase_{language}.ts")
    return TableTranslator(read_qt_ts(ts), app) if ts.exists() else None


def install_translations(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Qt's own strings (buttons of standard dialogs) and ours, in the chosen language."""
    translators: list[QTranslator] = []
    qt = qt_translator(app, language)
    if qt is not None:
        app.installTranslator(qt)
        translators.append(qt)
    if language != "vi":
        ours = QTranslator(app)
        qm = resource_path("translations", f"dtbd_{language}.qm")
        if qm.exists() and ours.load(str(qm)):
            app.installTranslator(ours)
            translators.append(ours)
            set_translator(lambda context, text: QCoreApplication.translate(context, text), language)
        else:  # a development tree where the .qm has not been built yet: read the .ts source
            table = load_ts(language)
            set_translator(lambda context, text: table.get((context, text), text), language)
    else:
        set_translator(None)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if language == "vi" else QLocale.Language.English))
    return translators
