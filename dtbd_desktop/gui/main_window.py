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
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from dtbd_desktop import __version__
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.i18n import tr


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(tr("main", "DTBD Desktop – Quản lý đào tạo, bồi dưỡng"))
        self.resize(1280, 720)

        from dtbd_desktop.gui.views.admin_view import AdminView
        from dtbd_desktop.gui.views.classes_view import ClassesView
        from dtbd_desktop.gui.views.learners_view import LearnersView
        from dtbd_desktop.gui.views.lecturers_view import LecturersView
        from dtbd_desktop.gui.views.organisations_view import OrganisationsView
        from dtbd_desktop.gui.views.programmes_view import ProgrammesView

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.sections: dict[str, QWidget] = {}
        for key, label, view in (
            ("classes", tr("main", "Lớp học"), ClassesView(ctx)),
            ("learners", tr("main", "Học viên"), LearnersView(ctx)),
            ("programmes", tr("main", "Chương trình"), ProgrammesView(ctx)),
            ("organisations", tr("main", "Đơn vị cử học"), OrganisationsView(ctx)),
            ("lecturers", tr("main", "Giảng viên"), LecturersView(ctx)),
            ("admin", tr("main", "Quản trị"), AdminView(ctx)),
        ):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(180, 36))
            self.nav.addItem(item)
            self.stack.addWidget(view)
            self.sections[key] = view
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

    def show_section(self, key: str) -> QWidget:
        keys = list(self.sections)
        self.nav.setCurrentRow(keys.index(key))
        return self.sections[key]

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            tr("main", "Giới thiệu DTBD Desktop"),
            tr("main", "DTBD Desktop {version}\nQuản lý đào tạo, bồi dưỡng cho Trường Chính trị tỉnh và "
                       "Trung tâm Chính trị cấp huyện.\nHoạt động hoàn toàn không cần Internet.").format(version=__version__),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.runner.wait(30_000)
        event.accept()
