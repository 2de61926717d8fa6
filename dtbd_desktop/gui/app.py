"""`dtbd-desktop`: start the Qt program (`--demo` opens a demo centre in a temporary folder)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from dtbd_desktop import __version__
from dtbd_desktop.base.config import preferred_language
from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import load_ts, tr
from dtbd_desktop.base.paths import resource_path
from dtbd_desktop.gui.translations import install_translations

if TYPE_CHECKING:  # SQLAlchemy and the core load after the window is painted
    from dtbd_desktop.db.engine import Database

T = TypeVar("T")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dtbd-desktop")
    parser.add_argument("--db", metavar="URL", help="database URL (default: DTBD_DATABASE_URL or the user's file)")
    parser.add_argument("--demo", action="store_true", help="open a demo centre in a temporary folder")
    parser.add_argument("--lang", choices=["vi", "en"], default=None,
                        help="language (default: DTBD_LANG, else this PC's choice, else vi)")
    parser.add_argument("--self-check", action="store_true",
                        help="check the installation offscreen (resources, database, a certificate) and exit")
    parser.add_argument("--version", action="version", version=f"dtbd-desktop {__version__}")
    return parser.parse_args(list(argv))


def demo_database(folder: Path, progress: Callable[[str], None] | None = None) -> Database:
    from dtbd_desktop.services.demo import build_demo
    from dtbd_desktop.services.startup import open_centre

    os.environ["DTBD_DATA_DIR"] = str(folder)  # keys and backups of the demo stay in its folder
    db = open_centre(f"sqlite:///{folder / 'demo.sqlite3'}")
    build_demo(db, progress=progress)
    return db


def open_with_progress(app: QApplication, opener: Callable[[Callable[[str], None]], T],
                       parent: QWidget | None = None) -> T:
    """Open (and maybe build) the database on a worker thread while a progress dialog shows what happens."""
    from dtbd_desktop.gui.tasks import TaskRunner

    runner = TaskRunner()
    dialog = QProgressDialog(tr("app", "Đang mở cơ sở dữ liệu..."), "", 0, 0, parent)
    dialog.setWindowTitle("DTBD Desktop")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(300)
    outcome: dict[str, Any] = {}

    def job(progress: Callable[[int, int, str], None]) -> T:
        return opener(lambda message: progress(0, 0, message))

    def finished(result: Any = None, error: BaseException | None = None) -> None:
        outcome["db"], outcome["error"] = result, error
        app.exit(0)

    started = runner.run(job, finished, on_failed=lambda exc: finished(error=exc), with_progress=True)
    started.signals.progress.connect(lambda _done, _total, message: dialog.setLabelText(message))
    dialog.show()
    app.exec()
    dialog.close()
    runner.wait()
    if outcome.get("error") is not None:
        raise outcome["error"]
    opened: T = outcome["db"]
    return opened


def check_database_file(url: str | None, parent: QWidget | None = None) -> bool:
    """Start-up checks on a SQLite file: damaged (offer the latest good backup), on a network share (warn).
    Returns False when the person chose to quit."""
    from dtbd_desktop.db.engine import resolve_url, sqlite_path
    from dtbd_desktop.services import backup, startup

    resolved = resolve_url(url)
    path = sqlite_path(resolved)
    if path is None:
        return True
    if startup.is_network_path(path):
        QMessageBox.warning(parent, tr("app", "Cơ sở dữ liệu trên ổ mạng"), tr(
            "app", "Tệp {path} nằm trên ổ mạng dùng chung. SQLite không an toàn khi nhiều máy cùng ghi qua mạng: "
                   "dữ liệu có thể hỏng. Khi nhiều máy cùng làm việc, hãy dùng máy chủ PostgreSQL "
                   "(xem hướng dẫn trong README, mục 'Several PCs on one PostgreSQL server').").format(path=path))
    problem = startup.header_problem(path)
    if problem is None:
        return True
    latest = backup.latest_backup()
    if latest is None:
        QMessageBox.critical(parent, tr("app", "Cơ sở dữ liệu bị hỏng"), tr(
            "app", "Tệp {path} bị hỏng ({problem}) và chưa có bản sao lưu tự động nào. Hãy liên hệ bộ phận kỹ thuật; "
                   "đừng xóa tệp.").format(path=path, problem=problem))
        return False
    answer = QMessageBox.question(parent, tr("app", "Cơ sở dữ liệu bị hỏng"), tr(
        "app", "Tệp {path} bị hỏng ({problem}).\n\nPhục hồi từ bản sao lưu gần nhất {backup}? Tệp hỏng sẽ được "
               "cất sang bên, không bị xóa.").format(path=path, problem=problem, backup=latest.name))
    if answer != QMessageBox.StandardButton.Yes:
        return False
    backup.restore(resolved, latest)
    return True


def needs_first_run(args: argparse.Namespace) -> bool:
    """The first-run wizard shows on a PC with no configuration and no database in the default
    place, unless a database is named (--db, DTBD_DATABASE_URL) or the demo is asked for."""
    from dtbd_desktop.base.config import ENV_DATABASE_URL, config_path, default_database_file

    if args.demo or args.db or args.self_check or os.environ.get(ENV_DATABASE_URL) or config_path().exists():
        return False
    return not default_database_file().exists()


def self_check(app: QApplication, args: argparse.Namespace) -> int:
    """`--self-check`: the core checks (dtbd_desktop.selfcheck), then the GUI offscreen on the
    temporary database: icon, translations, the main window, the wizard and the settings. The
    report goes to stdout and to dtbd-selfcheck.txt in the temporary folder (a windowed
    program on Windows has no stdout). Exit code 0 when everything passed."""
    from dtbd_desktop import selfcheck
    from dtbd_desktop.db.engine import open_database
    from dtbd_desktop.gui.context import AppContext
    from dtbd_desktop.gui.dialogs.first_run import FirstRunWizard
    from dtbd_desktop.gui.dialogs.settings_dialog import SettingsDialog
    from dtbd_desktop.gui.icon import app_icon
    from dtbd_desktop.gui.main_window import MainWindow
    from dtbd_desktop.gui.tasks import TaskRunner

    def gui_checks(report: selfcheck.Report, _folder: Path) -> None:
        problems = []
        if app_icon().isNull():
            problems.append(tr("selfcheck", "thiếu biểu tượng chương trình"))
        # The compiled .qm where it was built (the bundle, a development tree), else the .ts source
        # the program reads itself (a wheel built where Qt's tools were not at hand).
        if not QTranslator().load(str(resource_path("translations", "dtbd_en.qm"))) and not load_ts("en"):
            problems.append(tr("selfcheck", "không nạp được bản dịch tiếng Anh"))
        FirstRunWizard().deleteLater()
        if report.database_url is not None:
            db = open_database(report.database_url)
            ctx = AppContext(db=db, runner=TaskRunner())
            try:
                window = MainWindow(ctx)
                window.show()
                dialog = SettingsDialog(ctx, window)
                for _ in range(3):
                    app.processEvents()
                    ctx.runner.wait()
                dialog.close()
                window.close()
                app.processEvents()
            finally:
                ctx.runner.wait()
                db.dispose()
        detail = "; ".join(problems) or tr("selfcheck", "cửa sổ chính mở được (nền {platform})").format(
            platform=app.platformName())
        report.add(selfcheck.Check(tr("selfcheck", "Giao diện"), not problems, detail), None)

    report = selfcheck.run_checks(args.db, extra=gui_checks)
    text = report.text()
    target = Path(tempfile.gettempdir()) / "dtbd-selfcheck.txt"
    try:
        target.write_text(text + "\n", encoding="utf-8")
        text += "\n" + tr("selfcheck", "(Báo cáo đã ghi vào {path})").format(path=target)
    except OSError:
        pass
    if sys.stdout is not None:
        try:
            print(text, flush=True)
        except UnicodeEncodeError:  # a console in a legacy code page
            sys.stdout.buffer.write((text + "\n").encode("utf-8"))
            sys.stdout.flush()
    return 0 if report.ok else 1


def log_uncaught_errors() -> None:
    """An exception escaping a Qt slot goes to the log file too (a windowed program on Windows
    has no console to print it on), then to the previous hook."""
    from dtbd_desktop.base.logfile import log

    previous = sys.excepthook
    if getattr(previous, "dtbd_logs", False):
        return

    def hook(kind: type[BaseException], value: BaseException, trace: Any) -> None:
        log.error("uncaught %s", kind.__name__, exc_info=(kind, value, trace))
        previous(kind, value, trace)

    hook.dtbd_logs = True  # type: ignore[attr-defined]
    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from dtbd_desktop.base.logfile import setup_logging

    setup_logging()
    log_uncaught_errors()
    if args.self_check:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window, on any PC
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("DTBD Desktop")
    app.setOrganizationName("DTBD")
    app.setApplicationVersion(__version__)
    install_translations(app, preferred_language(args.lang))
    from dtbd_desktop.gui.icon import app_icon

    app.setWindowIcon(app_icon())
    if args.self_check:
        return self_check(app, args)

    from dtbd_desktop.gui.main_window import MainWindow
    from dtbd_desktop.gui.tasks import error_text

    first_run = None
    if needs_first_run(args):
        from dtbd_desktop.gui.dialogs.first_run import FirstRunWizard

        wizard = FirstRunWizard()
        if not wizard.run():
            return 0  # cancelled: nothing was written
        first_run = wizard.outcome()
        try:
            first_run.save_config()
        except DtbdError as exc:  # the credential store refused the password: nothing was written
            QMessageBox.critical(None, tr("app", "Chưa lưu được cấu hình"), error_text(exc))
            return 1

    # The frame first: title, menus, the sidebar and "opening the database...", painted before
    # SQLAlchemy and the core are even loaded; then the database opens behind it.
    window = MainWindow()
    window.show_restored()  # as left on this PC; the first time maximised on a 1366×768 screen
    window.repaint()
    app.processEvents()
    if os.environ.get("DTBD_EXIT_WHEN_READY"):
        print("DTBD_PAINTED", flush=True)  # benchmarks: the frame is on the screen

    from sqlalchemy.exc import SQLAlchemyError

    def with_accounts(db: Database) -> tuple[Database, bool]:
        """The database, and whether it has accounts (then a login is asked for)."""
        from dtbd_desktop.trust import accounts

        with db.read() as session:
            return db, accounts.accounts_exist(session)

    try:
        if args.demo:
            folder = Path(tempfile.mkdtemp(prefix="dtbd-demo-"))
            db, needs_login = open_with_progress(app, lambda progress: with_accounts(demo_database(folder, progress)),
                                                 window)
        else:
            from dtbd_desktop.services.startup import open_centre

            if not check_database_file(args.db, window):
                return 1
            db, needs_login = open_with_progress(app, lambda _progress: with_accounts(open_centre(args.db)), window)
    except (DtbdError, SQLAlchemyError, OSError) as exc:
        if not isinstance(exc, DtbdError):
            from dtbd_desktop.base.logfile import log

            log.error("could not open the database", exc_info=True)
        QMessageBox.critical(window, tr("app", "Không mở được cơ sở dữ liệu"), error_text(exc))
        return 1
    from dtbd_desktop.gui.context import AppContext
    from dtbd_desktop.gui.dialogs.login_dialog import log_in_if_needed
    from dtbd_desktop.gui.tasks import TaskRunner

    go_on, login = log_in_if_needed(db, window, needed=needs_login)
    if not go_on:
        db.dispose()
        return 0
    ctx = AppContext(db=db, runner=TaskRunner(), login=login)
    window.attach(ctx)
    if first_run is not None:  # the centre's details from the wizard, saved off the GUI thread
        outcome = first_run

        def not_saved(exc: BaseException) -> None:
            QMessageBox.warning(window, tr("app", "Chưa lưu được thông tin đơn vị"), error_text(exc))

        ctx.write(lambda session: outcome.write_settings(session), None, window, not_saved)
    from dtbd_desktop.services import startup

    if not args.demo:
        from PySide6.QtCore import QTimer

        # The daily copy waits until the first screen is up, so it never slows the start.
        # A damaged file found by its check is reported by the runner like any error.
        QTimer.singleShot(15_000, lambda: ctx.runner.run(
            lambda: startup.automatic_backup(db, only_if_due=True), None, parent=window))
    if os.environ.get("DTBD_EXIT_WHEN_READY"):  # benchmarks: quit once the first screen is filled
        from PySide6.QtCore import QTimer

        ready = QTimer(window)
        ready.setInterval(5)
        def quit_when_ready() -> None:
            if ctx.runner.idle() and window.isVisible():
                ready.stop()
                print("DTBD_READY", flush=True)
                app.quit()

        ready.timeout.connect(quit_when_ready)
        QTimer.singleShot(0, ready.start)
    code = app.exec()
    ctx.runner.wait()
    if not args.demo and not os.environ.get("DTBD_EXIT_WHEN_READY"):
        try:
            startup.automatic_backup(db, only_if_due=False)  # a copy on every exit
        except DtbdError as exc:
            QMessageBox.warning(None, tr("app", "Chưa sao lưu được"), error_text(exc))
    db.dispose()
    return code


if __name__ == "__main__":
    sys.exit(main())
