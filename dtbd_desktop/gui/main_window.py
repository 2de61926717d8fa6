"""The main window: a navigation sidebar on the left, one screen at a time on the right."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen

if TYPE_CHECKING:  # opened on demand, not at start-up
    from dtbd_desktop.gui.dialogs.help_dialog import AboutDialog, HelpDialog
    from dtbd_desktop.gui.dialogs.settings_dialog import SettingsDialog


def _factory(module: str, name: str, ctx: AppContext) -> Callable[[], QWidget]:
    def build() -> QWidget:
        view_class = getattr(importlib.import_module(f"dtbd_desktop.gui.screens.{module}"), name)
        widget: QWidget = view_class(ctx)
        return widget

    return build


class LazySections(Mapping[str, QWidget]):
    """The screens of the sidebar by key, each built (and put in the stack) on first use."""

    def __init__(self, stack: QStackedWidget, entries: list[tuple[str, str, Callable[[], QWidget]]],
                 on_built: Callable[[str, QWidget], None]) -> None:
        self.stack = stack
        self.entries = entries
        self.on_built = on_built
        self.keys_in_order = [key for key, _label, _build in entries]
        self.built: dict[str, QWidget] = {}
        self.placeholders: dict[str, QWidget] = {}
        for key in self.keys_in_order:  # an empty page holds each screen's place until it is built
            placeholder = QWidget()
            self.placeholders[key] = placeholder
            stack.addWidget(placeholder)

    def labels(self) -> list[tuple[str, str]]:
        return [(key, label) for key, label, _build in self.entries]

    def at(self, row: int) -> QWidget:
        return self[self.keys_in_order[row]]

    def __getitem__(self, key: str) -> QWidget:
        if key not in self.built:
            build = next(b for k, _label, b in self.entries if k == key)
            view = build()
            placeholder = self.placeholders.pop(key)
            index = self.stack.indexOf(placeholder)
            self.stack.insertWidget(index, view)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.built[key] = view
            self.on_built(key, view)
        return self.built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_in_order)

    def __len__(self) -> int:
        return len(self.keys_in_order)


#: The sidebar's screens: key, module in gui/screens, class.
SCREENS = (
    ("dashboard", "dashboard_view", "DashboardView"),
    ("classes", "classes_view", "ClassesView"),
    ("learners", "learners_view", "LearnersView"),
    ("programmes", "programmes_view", "ProgrammesView"),
    ("organisations", "organisations_view", "OrganisationsView"),
    ("lecturers", "lecturers_view", "LecturersView"),
    ("certificates", "certificates_view", "CertificatesView"),
    ("reports", "reports_view", "ReportsView"),
    ("past", "past_view", "PastView"),
    ("admin", "admin_view", "AdminView"),
)


def window_settings() -> QSettings:
    """This PC's memory of the window (size, place, maximised), in the user's data folder."""
    from dtbd_desktop.base.paths import user_data_dir

    return QSettings(str(user_data_dir() / "window.ini"), QSettings.Format.IniFormat)


def screen_labels() -> dict[str, str]:
    return {"dashboard": tr("main", "Tổng quan"), "classes": tr("main", "Lớp học"), "learners": tr("main", "Học viên"),
            "programmes": tr("main", "Chương trình"), "organisations": tr("main", "Đơn vị cử đi học"),
            "lecturers": tr("main", "Giảng viên"), "certificates": tr("main", "Văn bằng, chứng chỉ"),
            "reports": tr("main", "Báo cáo"), "past": tr("main", "Các năm trước"), "admin": tr("main", "Quản trị")}


class MainWindow(QMainWindow):
    """Painted before the database opens: the frame (title, menus, the sidebar, "opening the
    database...") shows at once; `attach(ctx)` then brings the screens, the first one loading its
    data off the GUI thread. Given a context, it attaches at once."""

    ctx: AppContext  # from attach()
    sections: LazySections

    def __init__(self, ctx: AppContext | None = None) -> None:
        super().__init__()
        self.setWindowTitle(tr("main", "DTBD Desktop – Quản lý đào tạo, bồi dưỡng"))
        fit_to_screen(self, 1280, 720, fill=True)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        labels = screen_labels()
        for key, _module, _name in SCREENS:
            item = QListWidgetItem(labels[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(180, 36))
            self.nav.addItem(item)
        self.nav.setEnabled(False)
        self.opening = QLabel(tr("main", "Đang mở cơ sở dữ liệu..."))
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening.setStyleSheet("color: #555; font-size: 15px;")
        self.stack.addWidget(self.opening)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setStyleSheet(
            "#navigation { background: #1f3a5f; color: white; border: none; font-size: 14px; padding-top: 8px; }"
            "#navigation::item { padding-left: 14px; }"
            "#navigation::item:selected { background: #b71c1c; color: white; }"
        )
        self.needs_database: list[QAction] = []
        self._leaving = False
        self._refreshing: set[QWidget] = set()  # class pages whose changes refresh the dashboard
        self._build_menu()
        self.db_label = QLabel()
        self.statusBar().addPermanentWidget(self.db_label)
        if ctx is not None:
            self.attach(ctx)

    def attach(self, ctx: AppContext) -> None:
        """The database is open and the person logged in: the screens, each built on first use."""
        self.ctx = ctx
        labels = screen_labels()
        self.sections = LazySections(self.stack, [(key, labels[key], _factory(module, name, ctx))
                                                  for key, module, name in SCREENS], on_built=self._section_built)
        self.stack.removeWidget(self.opening)
        self.opening.deleteLater()
        for action in self.needs_database:
            action.setEnabled(True)
        self.db_label.setText(tr("main", "Cơ sở dữ liệu: {url}").format(url=ctx.db.display_url))
        self.nav.setEnabled(True)
        self.nav.currentRowChanged.connect(self._show_section)
        self.nav.setCurrentRow(0)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(tr("main", "&Tệp"))
        settings_action = QAction(tr("main", "Cài đặt..."), self)
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self.show_settings)
        settings_action.setEnabled(False)
        self.needs_database.append(settings_action)
        file_menu.addAction(settings_action)
        file_menu.addSeparator()
        quit_action = QAction(tr("main", "Thoát"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu(tr("main", "&Đi tới"))
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            action = QAction(item.text(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _checked=False, r=row: self.nav.setCurrentRow(r))
            action.setEnabled(False)
            self.needs_database.append(action)
            go_menu.addAction(action)
        help_menu = self.menuBar().addMenu(tr("main", "Trợ &giúp"))
        guide = QAction(tr("main", "Hướng dẫn sử dụng"), self)
        guide.setShortcut(QKeySequence.StandardKey.HelpContents)
        guide.triggered.connect(self.show_guide)
        help_menu.addAction(guide)
        about = QAction(tr("main", "Giới thiệu"), self)
        about.triggered.connect(self.show_about)
        about.setEnabled(False)
        self.needs_database.append(about)
        help_menu.addAction(about)

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        view = self.sections.at(row)
        self.stack.setCurrentWidget(view)
        activate = getattr(view, "activate", None)
        if activate is not None:
            activate()

    def _section_built(self, key: str, view: QWidget) -> None:
        from dtbd_desktop.gui.screens.dashboard_view import DashboardView  # loaded: the view is built

        if key == "dashboard" and isinstance(view, DashboardView):
            view.open_class_requested.connect(self.open_class)

    def open_class(self, code: str, tab: str | None = None) -> None:  # tab "" or None: the first
        """Open a class from another screen (the dashboard's warnings: on the tab the warning is
        about) as a page of the class list; the dashboard refreshes when something changes."""
        from dtbd_desktop.gui.screens.classes_view import ClassesView
        from dtbd_desktop.gui.screens.dashboard_view import DashboardView

        classes, dashboard = self.sections["classes"], self.sections["dashboard"]
        assert isinstance(classes, ClassesView) and isinstance(dashboard, DashboardView)
        self.show_section("classes")
        page = classes.open_class(code, tab) if tab else classes.open_class(code)
        if page is not None and page not in self._refreshing:
            self._refreshing.add(page)
            page.saved.connect(dashboard.refresh)
            page.destroyed.connect(lambda _obj=None, p=page: self._refreshing.discard(p))

    def show_section(self, key: str) -> QWidget:
        keys = list(self.sections)
        self.nav.setCurrentRow(keys.index(key))
        return self.sections[key]

    def show_settings(self) -> SettingsDialog:
        from dtbd_desktop.gui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.launch()
        return dialog

    def show_guide(self) -> HelpDialog:
        from dtbd_desktop.base.i18n import current_language
        from dtbd_desktop.gui.dialogs.help_dialog import HelpDialog

        dialog = HelpDialog(self, current_language())
        dialog.launch()
        return dialog

    def show_about(self) -> AboutDialog:
        from dtbd_desktop.gui.dialogs.help_dialog import AboutDialog

        dialog = AboutDialog(self, self.ctx.db.display_url)
        dialog.launch()
        return dialog

    def show_restored(self) -> None:
        """Show the window as it was left on this PC; the first time maximised on an office screen
        of 1366×768 and over most of a larger one."""
        saved = window_settings().value("main/geometry")
        if isinstance(saved, QByteArray) and not saved.isEmpty() and self.restoreGeometry(saved):
            self.show()
            return
        available = self.screen().availableGeometry()
        if available.width() < 1500 or available.height() < 900:
            self.showMaximized()
            return
        self.resize(int(available.width() * 0.85), int(available.height() * 0.85))
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())
        self.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt's name)
        classes = self.sections.built.get("classes") if hasattr(self, "sections") else None
        if classes is not None and not self._leaving:
            from dtbd_desktop.gui.screens.classes_view import ClassesView

            if isinstance(classes, ClassesView) and classes.page is not None and classes.page.is_dirty():
                # A class's unsaved details: asked first; closed once given up, or once saved.
                asking = [True]

                def proceed() -> None:
                    self._leaving = True
                    if not asking:
                        QTimer.singleShot(0, self.close)  # saved after this event was answered

                classes.confirm_leave(proceed)
                asking.clear()
                if not self._leaving:
                    event.ignore()
                    return
        if hasattr(self, "ctx"):
            self.ctx.runner.wait(30_000)
        window_settings().setValue("main/geometry", self.saveGeometry())
        event.accept()
