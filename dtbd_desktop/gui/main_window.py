"""The main window: a navigation sidebar on the left, one screen at a time on the right."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

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

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext

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


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(tr("main", "DTBD Desktop – Quản lý đào tạo, bồi dưỡng"))
        self.resize(1280, 720)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        # Each screen is built the first time it is shown, so the start pays only for the first.
        self.sections = LazySections(self.stack, [
            ("dashboard", tr("main", "Tổng quan"), _factory("dashboard_view", "DashboardView", ctx)),
            ("classes", tr("main", "Lớp học"), _factory("classes_view", "ClassesView", ctx)),
            ("learners", tr("main", "Học viên"), _factory("learners_view", "LearnersView", ctx)),
            ("programmes", tr("main", "Chương trình"), _factory("programmes_view", "ProgrammesView", ctx)),
            ("organisations", tr("main", "Đơn vị cử học"), _factory("organisations_view", "OrganisationsView", ctx)),
            ("lecturers", tr("main", "Giảng viên"), _factory("lecturers_view", "LecturersView", ctx)),
            ("certificates", tr("main", "Văn bằng, chứng chỉ"), _factory("certificates_view", "CertificatesView", ctx)),
            ("reports", tr("main", "Báo cáo"), _factory("reports_view", "ReportsView", ctx)),
            ("admin", tr("main", "Quản trị"), _factory("admin_view", "AdminView", ctx)),
        ], on_built=self._section_built)
        for key, label in self.sections.labels():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(180, 36))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_section)

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
        view = self.sections.at(row)
        self.stack.setCurrentWidget(view)
        activate = getattr(view, "activate", None)
        if activate is not None:
            activate()

    def _section_built(self, key: str, view: QWidget) -> None:
        from dtbd_desktop.gui.screens.dashboard_view import DashboardView  # loaded: the view is built

        if key == "dashboard" and isinstance(view, DashboardView):
            view.open_class_requested.connect(self.open_class)

    def open_class(self, code: str) -> None:
        """Open a class's dialog from another screen (the dashboard's warnings); the dashboard
        refreshes when the class is saved."""
        from dtbd_desktop.gui.screens.classes_view import ClassesView
        from dtbd_desktop.gui.screens.dashboard_view import DashboardView

        classes, dashboard = self.sections["classes"], self.sections["dashboard"]
        assert isinstance(classes, ClassesView) and isinstance(dashboard, DashboardView)
        dialog = classes.open_class(code)
        dialog.saved.connect(dashboard.refresh)

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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.runner.wait(30_000)
        event.accept()
