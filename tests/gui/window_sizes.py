"""Open every window of the program on the demo centre, measure it against the screen, take its picture.

    QT_QPA_PLATFORM="offscreen:configfile=SCREEN.json" python -m tests.gui.window_sizes OUT_FOLDER

Run by `test_window_sizes.py` once per screen size (the offscreen platform takes its screen from
the JSON file); writes OUT_FOLDER/sizes.json ({window: [x, y, width, height] of its frame, and
the screen's available area}) and a PNG of each window, to look at.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

CLASS = "A50"  # a finished Trung cấp class with scores, results and diplomas
FOSTERING = "DVM26.01"
TODAY = dt.date(2026, 11, 23)

Opener = Callable[[Any, QWidget], QWidget]


def _settle(app: QApplication, ctx: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        app.processEvents()
        ctx.runner.wait()
        app.processEvents()


def _read(ctx: Any, fn: Callable[[Any], Any]) -> Any:
    with ctx.reading() as s:
        return fn(s)


def openers() -> dict[str, Opener]:
    """name -> make the window (a top-level widget, not shown yet), given the context and the main window."""
    from dtbd_desktop.gui.dialogs.certificates_calibration import CalibrationDialog
    from dtbd_desktop.gui.dialogs.certificates_layout_editor import LayoutEditor
    from dtbd_desktop.gui.dialogs.certificates_preview import PreviewDialog
    from dtbd_desktop.gui.dialogs.first_run import FirstRunWizard
    from dtbd_desktop.gui.dialogs.help_dialog import AboutDialog, HelpDialog
    from dtbd_desktop.gui.dialogs.import_wizard import ImportWizard
    from dtbd_desktop.gui.dialogs.learner_dialog import LearnerDialog, NewLearnerDialog, load_record
    from dtbd_desktop.gui.dialogs.login_dialog import LoginDialog
    from dtbd_desktop.gui.dialogs.settings_dialog import SettingsDialog
    from dtbd_desktop.gui.dialogs.timetable_dialogs import AddSessionDialog, LecturerDialog, MoveDialog
    from dtbd_desktop.gui.dialogs.timetable_generate import GenerateDialog
    from dtbd_desktop.gui.screens.attendance_panel import MakeUpDialog
    from dtbd_desktop.gui.screens.certificates_tab import IssueDialog
    from dtbd_desktop.gui.screens.roster_tab import FindLearnerDialog
    from dtbd_desktop.gui.screens.scores_tab import RetakeDialog
    from dtbd_desktop.services import attendance, certificates, learners

    def preview(ctx: Any, parent: QWidget) -> QWidget:
        job = _read(ctx, lambda s: certificates.print_job(s, CLASS))
        return PreviewDialog(job.pages(), "Văn bằng lớp A50", background=job.layout.background_path(),
                             show_background=job.layout.mode == "blank", parent=parent)

    def learner(ctx: Any, parent: QWidget) -> QWidget:
        rows = _read(ctx, lambda s: learners.search_learners(s, "nguyen", limit=1))
        return LearnerDialog(ctx, *_read(ctx, lambda s: load_record(s, rows[0].id)), parent=parent)

    def new_learner(ctx: Any, parent: QWidget) -> QWidget:
        return NewLearnerDialog(ctx, CLASS, _read(ctx, learners.learner_choices), parent=parent)

    def makeup(ctx: Any, parent: QWidget) -> QWidget:
        summary = _read(ctx, lambda s: attendance.attendance_summary(s, FOSTERING, today=TODAY))
        line = max(summary, key=lambda r: r.absent_periods)
        return MakeUpDialog("Nguyễn Văn An", line.modules, TODAY, parent)

    return {
        "first_run": lambda ctx, parent: FirstRunWizard(),
        "login": lambda ctx, parent: LoginDialog(ctx.db),
        "help": lambda ctx, parent: HelpDialog(parent),
        "about": lambda ctx, parent: AboutDialog(parent, database=ctx.db.display_url),
        "settings": lambda ctx, parent: SettingsDialog(ctx, parent),
        "import_wizard": lambda ctx, parent: ImportWizard(ctx, CLASS, parent),
        "layout_editor": lambda ctx, parent: LayoutEditor(ctx, parent),
        "calibration": lambda ctx, parent: CalibrationDialog(ctx, parent),
        "certificate_preview": preview,
        "issue": lambda ctx, parent: IssueDialog(_read(ctx, lambda s: certificates.class_documents(s, CLASS)), parent),
        "learner": learner,
        "new_learner": new_learner,
        "generate_timetable": lambda ctx, parent: GenerateDialog(ctx, CLASS, True, parent),
        "find_learner": lambda ctx, parent: FindLearnerDialog(ctx, parent),
        "retakes": lambda ctx, parent: RetakeDialog(ctx, CLASS, None, parent),
        "makeup": makeup,
        "add_session": lambda ctx, parent: AddSessionDialog(TODAY, "morning", "lesson", [("I.1", "Học phần I.1")],
                                                            [(1, "Nguyễn Văn Bình")], parent),
        "move_session": lambda ctx, parent: MoveDialog("Học phần I.1, buổi sáng", TODAY, "morning", parent),
        "assign_lecturer": lambda ctx, parent: LecturerDialog("Học phần I.1, buổi sáng", [(1, "Nguyễn Văn Bình")], 1,
                                                              True, parent),
    }


def measure(window: QWidget) -> list[int]:
    frame = window.frameGeometry()
    return [frame.x(), frame.y(), frame.width(), frame.height()]


def run(out: Path) -> dict[str, Any]:
    from dtbd_desktop.db.engine import open_database
    from dtbd_desktop.gui.context import AppContext
    from dtbd_desktop.gui.main_window import MainWindow
    from dtbd_desktop.gui.screens.classes_view import ClassesView
    from dtbd_desktop.gui.tasks import TaskRunner
    from dtbd_desktop.gui.translations import install_translations
    from dtbd_desktop.services.demo import build_demo
    from dtbd_desktop.services.startup import open_centre

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_translations(app, "vi")
    folder = Path(tempfile.mkdtemp(prefix="dtbd-sizes-"))
    os.environ["DTBD_DATA_DIR"] = str(folder / "userdata")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    db = open_centre(url)
    build_demo(db, today=TODAY)
    db.dispose()
    ctx = AppContext(db=open_database(url), runner=TaskRunner())
    screen = app.primaryScreen()
    area = screen.availableGeometry()
    sizes: dict[str, Any] = {"available": [area.x(), area.y(), area.width(), area.height()], "windows": {}}

    def shoot(name: str, window: QWidget) -> None:
        _settle(app, ctx)
        sizes["windows"][name] = measure(window)
        window.grab().save(str(out / f"{name}.png"))

    main = MainWindow(ctx)
    main.show()
    _settle(app, ctx)
    for row in range(main.nav.count()):
        main.nav.setCurrentRow(row)
        key = main.nav.item(row).data(256)
        _settle(app, ctx, 8)
        shoot(f"main_{key}", main)
        section = main.sections[key]
        for tabs in section.findChildren(QTabWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            for i in range(1, tabs.count()):
                tabs.setCurrentIndex(i)
                _settle(app, ctx, 8)
                shoot(f"main_{key}_tab{i}", main)
            tabs.setCurrentIndex(0)
    # A class opens as a page of the main window, in the class list's place.
    main.nav.setCurrentRow(next(r for r in range(main.nav.count()) if main.nav.item(r).data(256) == "classes"))
    classes = main.sections["classes"]
    assert isinstance(classes, ClassesView)
    page = classes.open_class(CLASS)
    assert page is not None
    _settle(app, ctx, 8)
    shoot("class_window", main)
    for i in range(1, page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        _settle(app, ctx, 8)
        shoot(f"class_window_tab{i}", main)
    page.request_close()
    _settle(app, ctx)
    new = classes.new_class()
    assert new is not None
    _settle(app, ctx)
    shoot("class_new", main)
    new.request_close()
    _settle(app, ctx)
    for name, make in openers().items():
        dialog = make(ctx, main)
        dialog.show()
        _settle(app, ctx)
        shoot(name, dialog)
        dialog.close()
    main.close()
    _settle(app, ctx)
    ctx.db.dispose()
    (out / "sizes.json").write_text(json.dumps(sizes, indent=1), encoding="utf-8")
    return sizes


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    run(target)
