"""`dtbd-desktop`: start the Qt program (`--demo` opens a demo centre in a temporary folder)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from dtbd_desktop import __version__
from dtbd_desktop.db.engine import Database, open_database
from dtbd_desktop.errors import DtbdError
from dtbd_desktop.i18n import language_from_environment, load_ts, set_translator, tr
from dtbd_desktop.paths import resource_path


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dtbd-desktop")
    parser.add_argument("--db", metavar="URL", help="database URL (default: DTBD_DATABASE_URL or the user's file)")
    parser.add_argument("--demo", action="store_true", help="open a demo centre in a temporary folder")
    parser.add_argument("--lang", choices=["vi", "en"], default=None, help="language (default: vi)")
    parser.add_argument("--version", action="version", version=f"dtbd-desktop {__version__}")
    return parser.parse_args(list(argv))


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
            set_translator(lambda context, text: QCoreApplication.translate(context, text))
        else:  # a development tree where the .qm has not been built yet: read the .ts source
            table = load_ts(language)
            set_translator(lambda context, text: table.get((context, text), text))
    else:
        set_translator(None)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if language == "vi" else QLocale.Language.English))
    return translators


def demo_database(folder: Path) -> Database:
    from dtbd_desktop.demo import build_demo

    os.environ["DTBD_DATA_DIR"] = str(folder)  # keys and backups of the demo stay in its folder
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    build_demo(db)
    return db


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("DTBD Desktop")
    app.setOrganizationName("DTBD")
    app.setApplicationVersion(__version__)
    install_translations(app, args.lang or language_from_environment())

    from dtbd_desktop.gui.context import AppContext
    from dtbd_desktop.gui.main_window import MainWindow
    from dtbd_desktop.gui.tasks import TaskRunner, error_text

    try:
        if args.demo:
            folder = Path(tempfile.mkdtemp(prefix="dtbd-demo-"))
            db = demo_database(folder)
        else:
            db = open_database(args.db)
    except DtbdError as exc:
        QMessageBox.critical(None, tr("app", "Không mở được cơ sở dữ liệu"), error_text(exc))
        return 1
    ctx = AppContext(db=db, runner=TaskRunner())
    window = MainWindow(ctx)
    window.show()
    code = app.exec()
    ctx.runner.wait()
    db.dispose()
    return code


if __name__ == "__main__":
    sys.exit(main())
