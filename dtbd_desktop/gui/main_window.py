"""The main window: a navigation sidebar on the left, one screen at a time on the right."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
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

from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.i18n import tr


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(tr("main", "DTBD Desktop – Quản lý đào tạo, bồi dưỡng"))
        self.resize(1280, 720)

        from dtbd_desktop.gui.views.admin_view import AdminView
        from dtbd_desktop.gui.views.certificates_view import CertificatesView
        from dtbd_desktop.gui.views.classes_view import ClassesView
        from dtbd_desktop.gui.views.dashboard_view import DashboardView
        from dtbd_desktop.gui.views.learners_view import LearnersView
        from dtbd_desktop.gui.views.lecturers_view import LecturersView
        from dtbd_desktop.gui.views.organisations_view import OrganisationsView
        from dtbd_desktop.gui.views.programmes_view import ProgrammesView
        from dtbd_desktop.gui.views.reports_view import ReportsView

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.sections: dict[str, QWidget] = {}
        for key, label, view in (
            ("dashboard", tr("main", "Tổng quan"), DashboardView(ctx)),
            ("classes", tr("main", "Lớp học"), ClassesView(ctx)),
            ("learners", tr("main", "Học viên"), LearnersView(ctx)),
            ("programmes", tr("main", "Chương trình"), ProgrammesView(ctx)),
            ("organisations", tr("main", "Đơn vị cử học"), OrganisationsView(ctx)),
            ("lecturers", tr("main", "Giảng viên"), LecturersView(ctx)),
            ("certificates", tr("main", "Văn bằng, chứng chỉ"), CertificatesView(ctx)),
            ("reports", tr("main", "Báo cáo"), ReportsView(ctx)),
            ("admin", tr("main", "Quản trị"), AdminView(ctx)),
        ):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(180, 36))
            self.nav.addItem(item)
            self.stack.addWidget(view)
            self.sections[key] = view
        self.nav.currentRowChanged.connect(self._show_section)
        self.sections["dashboard"].open_class_requested.connect(self.open_class)  # type: ignore[attr-defined]

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
        self._build_menu()
        self.db_label = QLabel(tr("main", "Cơ sở dữ liệu: {url}").format(url=ctx.db.display_url))
        self.statusBar().addPermanentWidget(self.db_label)
        self.nav.setCurrentRow(0)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(tr("main", "&Tệp"))
        settings_action = QAction(tr("main", "Cài đặt..."), self)
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self.show_settings)
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
            go_menu.addAction(action)
        help_menu = self.menuBar().addMenu(tr("main", "Trợ &giúp"))
        guide = QAction(tr("main", "Hướng dẫn sử dụng"), self)
        guide.setShortcut(QKeySequence.StandardKey.HelpContents)
        guide.triggered.connect(self.show_guide)
        help_menu.addAction(guide)
        about = QAction(tr("main", "Giới thiệu"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        view = self.stack.currentWidget()
        activate = getattr(view, "activate", None)
        if activate is not None:
            activate()

    def open_class(self, code: str) -> None:
        """Open a class's dialog from another screen (the dashboard's warnings); the dashboard
        refreshes when the class is saved."""
        dialog = self.sections["classes"].open_class(code)  # type: ignore[attr-defined]
        dialog.saved.connect(self.sections["dashboard"].refresh)  # type: ignore[attr-defined]

    def show_section(self, key: str) -> QWidget:
        keys = list(self.sections)
        self.nav.setCurrentRow(keys.index(key))
        return self.sections[key]

    def show_settings(self):
        from dtbd_desktop.gui.views.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.launch()
        return dialog

    def show_guide(self):
        from dtbd_desktop.gui.views.help_dialog import HelpDialog
        from dtbd_desktop.i18n import current_language

        dialog = HelpDialog(self, current_language())
        dialog.launch()
        return dialog

    def show_about(self):
        from dtbd_desktop.gui.views.help_dialog import AboutDialog

        dialog = AboutDialog(self, self.ctx.db.display_url)
        dialog.launch()
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.runner.wait(30_000)
        event.accept()
