"""The Help menu: the user guide shipped with the program, and the About dialog; the program's icon."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop import __version__
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.logfile import current_log_path
from dtbd_desktop.base.paths import private_dir, resource_path, user_data_dir
from dtbd_desktop.gui.icon import app_icon
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen


def guide_path(language: str = "vi") -> Path:
    """The user guide in `language` when there is one, else the Vietnamese guide."""
    translated = resource_path("help", f"huong-dan.{language}.md")
    return translated if language != "vi" and translated.exists() else resource_path("help", "huong-dan.md")


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("help", "Đóng"))
    buttons.rejected.connect(dialog.reject)
    return buttons


class HelpDialog(QDialog):
    """The user guide (Markdown in resources/help), readable while the program stays usable."""

    def __init__(self, parent: QWidget | None = None, language: str = "vi") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("help", "Hướng dẫn sử dụng DTBD Desktop"))
        self.setWindowIcon(app_icon())
        fit_to_screen(self, 820, 680)
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide")
        self.browser.setOpenExternalLinks(False)
        path = guide_path(language)
        try:
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        except OSError:
            self.browser.setPlainText(tr("help", "Không tìm thấy tệp hướng dẫn {path}.").format(path=path))
        self.browser.document().setDefaultStyleSheet("h1, h2 { color: #1f3a5f; }")
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(_close_buttons(self))
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.browser.setFocus)

    def launch(self) -> None:
        """Show the guide, not modal (tests patch this)."""
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.show()
        self.raise_()


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, database: str = "") -> None:
        super().__init__(parent)
        self.log_file = current_log_path()
        self.setWindowTitle(tr("help", "Giới thiệu DTBD Desktop"))
        self.setWindowIcon(app_icon())
        emblem = QLabel()
        emblem.setPixmap(app_icon().pixmap(96, 96))
        emblem.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<h2 style='margin:0'>DTBD Desktop {__version__}</h2>")
        title.setObjectName("title")
        about = QLabel(tr("help", "Quản lý đào tạo, bồi dưỡng cho Trường Chính trị tỉnh và Trung tâm Chính trị "
                                  "cấp huyện. Hoạt động hoàn toàn không cần Internet."))
        about.setWordWrap(True)
        lines = [
            tr("help", "Phiên bản: {version}").format(version=__version__),
            tr("help", "Cơ sở dữ liệu: {url}").format(url=database) if database else "",
            tr("help", "Thư mục dữ liệu: {path}").format(path=user_data_dir()),
            tr("help", "Nhật ký lỗi (gửi cho bộ phận kỹ thuật khi cần; không chứa mật khẩu, số định danh): {path}")
            .format(path=self.log_file),
            f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}"
            + (" · " + tr("help", "bản đóng gói") if getattr(sys, "frozen", False) else ""),
            tr("help", "Giấy phép: GNU GPL phiên bản 3 trở lên. Phông chữ Liberation Serif: SIL Open Font License."),
        ]
        details = QLabel("\n".join(line for line in lines if line))
        details.setObjectName("details")
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details.setWordWrap(True)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(about)
        text.addSpacing(8)
        text.addWidget(details)
        text.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(emblem)
        row.addSpacing(12)
        row.addLayout(text, 1)
        self.open_log_button = QPushButton(tr("help", "Mở thư mục nhật ký"))
        self.open_log_button.setObjectName("open_log_folder")
        self.open_log_button.clicked.connect(self.open_log_folder)
        text.addWidget(self.open_log_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(_close_buttons(self))
        fit_to_screen(self, 560, 300)

    def open_log_folder(self) -> Path:
        """Show the log's folder in the file manager (made, private, if nothing was logged yet)."""
        folder = private_dir(self.log_file.parent)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        return folder

    def launch(self) -> None:
        """Show the dialog (tests patch this to avoid a modal loop)."""
        self.open()
