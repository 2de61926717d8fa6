"""The program in the language chosen: Qt's own strings and the program's, through QTranslator."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from dtbd_desktop.base.i18n import load_ts, set_translator
from dtbd_desktop.base.paths import resource_path


def install_translations(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Qt's own strings (buttons of standard dialogs) and ours, in the chosen language."""
    translators: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(QLocale(language), "qtbase", "_", qt_dir):
        app.installTranslator(qt_translator)
        translators.append(qt_translator)
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
