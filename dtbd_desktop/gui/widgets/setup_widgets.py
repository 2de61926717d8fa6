"""Pieces shared by the first-run wizard and the Settings screen: the letterhead and signer
fields, the logo, the language and where the data lives (with a connection test).

Each widget sets its texts in `retranslate()`, so the wizard can switch language on its first
page and show the change at once.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url

from dtbd_desktop.base import credentials, text
from dtbd_desktop.base.config import config_path
from dtbd_desktop.base.errors import DtbdError, describe_database_error
from dtbd_desktop.base.i18n import LANGUAGES, tr
from dtbd_desktop.db.engine import default_url, sqlite_path
from dtbd_desktop.gui.tasks import TaskRunner
from dtbd_desktop.gui.widgets.common import ERROR_STYLE, OK_STYLE
from dtbd_desktop.selfcheck import DatabaseProbe, probe_database
from dtbd_desktop.services import settings

LOGO_MAX_PIXELS = 600
PG_DEFAULT_PORT = 5432


def line_edit(name: str, max_length: int = settings.TEXT_LIMIT) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(max_length)
    return edit


def language_combo(current: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("language")
    for code, name in LANGUAGES.items():
        combo.addItem(name, code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def escape_html(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------- letterhead


class LetterheadFields(QWidget):
    """Centre name, superior body, place name and the right-hand heading, with a live preview."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.centre_name = line_edit("centre_name")
        self.superior_body = line_edit("superior_body")
        self.place_name = line_edit("place_name", 80)
        self.party_heading = QCheckBox()
        self.party_heading.setObjectName("party_heading")
        self.party_heading.setChecked(True)
        self.preview = QLabel()
        self.preview.setObjectName("letterhead_preview")
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setStyleSheet("background: white; color: black; padding: 8px;")
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels = [QLabel() for _ in range(3)]
        for label, field in zip(self.labels, (self.centre_name, self.superior_body, self.place_name), strict=True):
            label.setBuddy(field)
            self.form.addRow(label, field)
        self.form.addRow("", self.party_heading)
        self.preview_title = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addSpacing(6)
        layout.addWidget(self.preview_title)
        layout.addWidget(self.preview)
        for edit in (self.centre_name, self.superior_body, self.place_name):
            edit.textChanged.connect(self._changed)
        self.party_heading.toggled.connect(self._changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.labels[0].setText(tr("setup", "Tên trường / trung tâm (*):"))
        self.labels[1].setText(tr("setup", "Cơ quan chủ quản:"))
        self.labels[2].setText(tr("setup", "Địa danh ghi ngày tháng (*):"))
        self.centre_name.setPlaceholderText(tr("setup", "ví dụ: Trường Chính trị tỉnh Long An"))
        self.superior_body.setPlaceholderText(tr("setup", "ví dụ: Tỉnh ủy Long An"))
        self.place_name.setPlaceholderText(tr("setup", "ví dụ: Long An"))
        self.party_heading.setText(tr("setup", "Tiêu đề bên phải là “ĐẢNG CỘNG SẢN VIỆT NAM” (đơn vị của Đảng)"))
        self.preview_title.setText(tr("setup", "Tiêu đề văn bản sẽ in như sau:"))
        self._update_preview()

    def _changed(self) -> None:
        self._update_preview()
        self.changed.emit()

    def _update_preview(self) -> None:
        """The letterhead as papers will print it (`printing.letterhead`): the Party's format with
        the star under the issuing body, or the State's with its name underlined."""
        from dtbd_desktop.printing.letterhead import Letterhead, heading_rows, number_line

        place = self.place_name.text().strip()
        head = Letterhead(superior_body=self.superior_body.text(), centre_name=self.centre_name.text() or "…",
                          place_name=place, director_title="", director_name="",
                          party_heading=self.party_heading.isChecked())
        date_line = text.long_date(place, dt.date.today()) if place else None
        rows = heading_rows(head, number=number_line(head, "QĐ", 1), date_line=date_line)

        def cell(line: Any) -> str:
            if line is None or not line.text:
                return ""
            value = escape_html(line.text)
            if line.bold:
                value = f"<b>{value}</b>"
            if line.italic:
                value = f"<i>{value}</i>"
            if line.rule:
                value = f"<u>{value}</u>"
            return value

        left = "<br>".join(cell(a) for a, _b in rows.rows if a is not None)
        right = "<br>".join(cell(b) for _a, b in rows.rows if b is not None)
        self.preview.setText(
            "<table width='100%' style='font-family: \"Liberation Serif\", \"Times New Roman\", serif;'><tr>"
            f"<td align='center' valign='top'>{left}</td><td align='center' valign='top'>{right}</td></tr></table>")

    def values(self) -> dict[str, Any]:
        return {
            "centre_name": text.nfc(self.centre_name.text().strip()),
            "superior_body": text.nfc(self.superior_body.text().strip()),
            "place_name": text.nfc(self.place_name.text().strip()),
            "party_heading": self.party_heading.isChecked(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        self.centre_name.setText(str(values.get("centre_name") or ""))
        self.superior_body.setText(str(values.get("superior_body") or ""))
        self.place_name.setText(str(values.get("place_name") or ""))
        self.party_heading.setChecked(bool(values.get("party_heading", True)))

    def is_complete(self) -> bool:
        return bool(self.centre_name.text().strip() and self.place_name.text().strip())


# ---------------------------------------------------------------------------------- logo


class LogoPicker(QWidget):
    """The centre's logo: a preview, choose an image (made a PNG of at most 600 px), remove it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: str | None = None
        self.preview = QLabel()
        self.preview.setObjectName("logo_preview")
        self.preview.setFixedSize(QSize(88, 88))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("choose_logo")
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("remove_logo")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview)
        row.addLayout(buttons)
        row.addWidget(self.message, 1)
        self.choose_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(lambda: self.set_value(None, notify=True))
        self.retranslate()
        self.set_value(None)

    def retranslate(self) -> None:
        self.choose_button.setText(tr("setup", "Chọn ảnh..."))
        self.remove_button.setText(tr("setup", "Bỏ biểu trưng"))
        if self._value is None:
            self.preview.setText(tr("setup", "(chưa có)"))

    def value(self) -> str | None:
        return self._value

    def set_value(self, value: str | None, notify: bool = False) -> None:
        self._value = value
        self.message.clear()
        pixmap = QPixmap()
        if value:
            try:
                pixmap.loadFromData(settings.decode_logo(value), "PNG")
            except DtbdError:
                pixmap = QPixmap()
        if pixmap.isNull():
            self._value = None  # none, or a stored value that is not a usable PNG
            self.preview.setPixmap(QPixmap())
            self.preview.setText(tr("setup", "(chưa có)"))
        else:
            self.preview.setPixmap(pixmap.scaled(80, 80, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
        self.remove_button.setEnabled(self._value is not None)
        if notify:
            self.changed.emit()

    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("setup", "Chọn ảnh biểu trưng"), str(Path.home()),
            tr("setup", "Ảnh (*.png *.jpg *.jpeg *.bmp *.gif)"))
        if path:
            self.load_image(Path(path))

    def load_image(self, path: Path) -> bool:
        """Read an image file, shrink it to at most 600 px, keep it as PNG. False (and a message) if unusable."""
        image = QImage(str(path))
        if image.isNull():
            self.message.setText(tr("setup", "Không đọc được ảnh {name}.").format(name=path.name))
            return False
        if max(image.width(), image.height()) > LOGO_MAX_PIXELS:
            image = image.scaled(LOGO_MAX_PIXELS, LOGO_MAX_PIXELS, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # PySide6 takes the format as str; its stub says bytes
        buffer.close()
        try:
            value = settings.encode_logo(bytes(data.data()))
        except DtbdError as exc:
            self.message.setText(exc.message)
            return False
        self.set_value(value, notify=True)
        return True


# ---------------------------------------------------------------------------------- signer


class SignerFields(QWidget):
    """The head of the centre who signs (title and name) and the logo."""

    changed = Signal()
    TITLES = ("GIÁM ĐỐC", "HIỆU TRƯỞNG", "PHÓ GIÁM ĐỐC", "PHÓ HIỆU TRƯỞNG")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.director_title = QComboBox()
        self.director_title.setObjectName("director_title")
        self.director_title.setEditable(True)
        self.director_title.addItems(self.TITLES)
        editor = self.director_title.lineEdit()
        assert editor is not None  # an editable combo box has one
        editor.setMaxLength(settings.TEXT_LIMIT)
        self.director_name = line_edit("director_name")
        self.logo = LogoPicker()
        self.labels = [QLabel() for _ in range(3)]
        self.labels[0].setBuddy(self.director_title)
        self.labels[1].setBuddy(self.director_name)
        self.labels[2].setBuddy(self.logo.choose_button)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.labels[0], self.director_title)
        form.addRow(self.labels[1], self.director_name)
        form.addRow(self.labels[2], self.logo)
        self.director_title.currentTextChanged.connect(self.changed)
        self.title_chosen = False  # the person chose or typed the title: no longer suggested
        self._suggesting = False
        self.director_title.currentTextChanged.connect(self._title_chosen)
        self.director_name.textChanged.connect(self.changed)
        self.logo.changed.connect(self.changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.labels[0].setText(tr("setup", "Chức danh người ký:"))
        self.labels[1].setText(tr("setup", "Họ tên người ký:"))
        self.labels[2].setText(tr("setup", "Biểu trưng (logo):"))
        self.director_name.setPlaceholderText(tr("setup", "ví dụ: Nguyễn Văn Bình"))
        self.logo.retranslate()

    def _title_chosen(self, *_args: object) -> None:
        if not self._suggesting:
            self.title_chosen = True

    def suggest_title(self, centre_name: str) -> None:
        """The title that goes with the unit (HIỆU TRƯỞNG of a Trường, GIÁM ĐỐC of a Trung tâm),
        unless the person chose one."""
        if not self.title_chosen:
            self._suggesting = True
            self.director_title.setCurrentText(settings.default_signer_title(centre_name))
            self._suggesting = False

    def values(self) -> dict[str, Any]:
        return {
            "director_title": text.nfc(self.director_title.currentText().strip().upper()),
            "director_name": text.nfc(self.director_name.text().strip()),
            "logo_png": self.logo.value(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        self._suggesting = True
        self.director_title.setCurrentText(str(values.get("director_title") or ""))
        self._suggesting = False
        self.title_chosen = bool(values.get("director_title"))
        self.director_name.setText(str(values.get("director_name") or ""))
        self.logo.set_value(values.get("logo_png") or None)


# ---------------------------------------------------------------------------------- where the data lives


class DatabaseChoice(QWidget):
    """This PC (a SQLite file) or a PostgreSQL server, with a connection test run off the GUI thread.

    `verified()` is True once the test has passed for exactly the URL now entered; the wizard
    and the Settings screen ask for that before they accept a server."""

    changed = Signal()
    probed = Signal(object)  # DatabaseProbe

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.last_probe: tuple[str, DatabaseProbe] | None = None
        self.local = QRadioButton()
        self.local.setObjectName("local")
        self.server = QRadioButton()
        self.server.setObjectName("server")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.server)
        self.path = line_edit("sqlite_path", 1000)
        self.browse = QPushButton()
        self.browse.setObjectName("browse")
        self.local_note = QLabel()
        self.local_note.setWordWrap(True)
        self.host = line_edit("host", 255)
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(PG_DEFAULT_PORT)
        self.port.setMaximumWidth(110)
        self.database = line_edit("database", 63)
        self.database.setText("dtbd")
        self.user = line_edit("user", 63)
        self.user.setText("dtbd")
        self.password = line_edit("password", 200)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton()
        self.test_button.setObjectName("test_connection")
        self.result = QLabel()
        self.result.setObjectName("connection_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.server_note = QLabel()
        self.server_note.setWordWrap(True)

        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.local_box = QWidget()
        local_layout = QFormLayout(self.local_box)
        local_layout.setContentsMargins(24, 0, 0, 0)
        self.path_label = QLabel()
        self.path_label.setBuddy(self.path)
        local_layout.addRow(self.path_label, path_row)
        local_layout.addRow(self.local_note)

        self.server_box = QWidget()
        grid = QGridLayout(self.server_box)
        grid.setContentsMargins(24, 0, 0, 0)
        self.server_labels = [QLabel() for _ in range(5)]
        for row, (label, field) in enumerate(zip(self.server_labels, (self.host, self.port, self.database, self.user,
                                                                     self.password), strict=True)):
            label.setBuddy(field)
            grid.addWidget(label, row, 0)
            grid.addWidget(field, row, 1)
        grid.addWidget(self.test_button, 5, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.result, 6, 0, 1, 2)
        grid.addWidget(self.server_note, 7, 0, 1, 2)
        grid.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.local)
        layout.addWidget(self.local_box)
        layout.addSpacing(8)
        layout.addWidget(self.server)
        layout.addWidget(self.server_box)
        layout.addStretch(1)

        self.local.toggled.connect(self._mode_changed)
        self.browse.clicked.connect(self.choose_file)
        self.test_button.clicked.connect(self.test_connection)
        self.path.textChanged.connect(self._edited)
        for edit in (self.host, self.database, self.user, self.password):
            edit.textChanged.connect(self._edited)
        self.port.valueChanged.connect(self._edited)
        self.set_url(default_url())
        self.retranslate()

    def retranslate(self) -> None:
        self.local.setText(tr("setup", "Trên máy này (một tệp dữ liệu; dùng khi chỉ một máy làm việc)"))
        self.server.setText(tr("setup", "Trên máy chủ PostgreSQL (nhiều máy trong cơ quan dùng chung)"))
        self.path_label.setText(tr("setup", "Tệp dữ liệu:"))
        self.browse.setText(tr("setup", "Chọn..."))
        for label, value in zip(self.server_labels, (tr("setup", "Máy chủ:"), tr("setup", "Cổng:"),
                                                     tr("setup", "Tên cơ sở dữ liệu:"), tr("setup", "Người dùng:"),
                                                     tr("setup", "Mật khẩu:")), strict=True):
            label.setText(value)
        self.host.setPlaceholderText(tr("setup", "ví dụ: 192.168.1.10 hoặc may-chu"))
        self.test_button.setText(tr("setup", "Kiểm tra kết nối"))
        if credentials.available():
            self.server_note.setText(tr("setup", "Mật khẩu được giữ trong kho mật khẩu của hệ điều hành (Windows "
                                                 "Credential Manager), không ghi vào tệp cấu hình {path}.").format(
                path=config_path()))
        else:
            self.server_note.setText(tr("setup", "Máy này không có kho mật khẩu của hệ điều hành nên không lưu được "
                                                 "mật khẩu: để trống mật khẩu nếu máy chủ không hỏi, hoặc đặt biến môi "
                                                 "trường DTBD_DATABASE_URL (xem hướng dẫn cài đặt)."))
        self._update_local_note()

    # -- value

    def url(self) -> str:
        if self.local.isChecked():
            path = Path(os.path.expanduser(self.path.text().strip()))
            return f"sqlite:///{path.as_posix()}"
        return URL.create(
            "postgresql+psycopg", username=self.user.text().strip() or None, password=self.password.text() or None,
            host=self.host.text().strip() or None, port=self.port.value(),
            database=self.database.text().strip() or None,
        ).render_as_string(hide_password=False)

    def set_url(self, url: str) -> None:
        path = sqlite_path(url)
        if path is not None:
            self.path.setText(str(path))
            self.local.setChecked(True)
        else:
            try:
                u = make_url(url)
            except Exception:  # an unreadable URL in config.json: start from the defaults
                self.local.setChecked(True)
                return
            self.host.setText(u.host or "")
            self.port.setValue(u.port or PG_DEFAULT_PORT)
            self.database.setText(u.database or "")
            self.user.setText(u.username or "")
            self.password.setText(u.password or "")
            self.server.setChecked(True)
        self._mode_changed()

    def sqlite_file(self) -> Path | None:
        return Path(os.path.expanduser(self.path.text().strip())) if self.local.isChecked() else None

    def is_complete(self) -> bool:
        if self.local.isChecked():
            return bool(self.path.text().strip())
        return bool(self.host.text().strip() and self.database.text().strip() and self.user.text().strip())

    def password_problem(self) -> str | None:
        """Why the password entered cannot be kept on this PC (no credential store), or None."""
        if self.local.isChecked() or not self.password.text() or credentials.available():
            return None
        return credentials.no_store_message()

    def verified(self) -> bool:
        return self.last_probe is not None and self.last_probe[0] == self.url() and self.last_probe[1].ok

    # -- actions

    def choose_file(self) -> None:
        current = self.path.text().strip() or str(Path.home() / "dtbd.sqlite3")
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("setup", "Nơi lưu tệp dữ liệu"), current, tr("setup", "Tệp dữ liệu DTBD (*.sqlite3)"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.path.setText(path if path.endswith(".sqlite3") else path + ".sqlite3")

    def test_connection(self) -> None:
        if not self.is_complete():
            self._show_result(tr("setup", "Hãy nhập máy chủ, tên cơ sở dữ liệu và người dùng."), False)
            return
        url = self.url()
        self.test_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(tr("setup", "Đang kết nối..."))
        self.runner.run(lambda: probe_database(url), lambda probe: self._probed(url, probe), parent=self,
                        on_failed=lambda exc: self._probed(url, DatabaseProbe(describe_database_error(exc))))

    def _probed(self, url: str, probe: DatabaseProbe) -> None:
        self.test_button.setEnabled(True)
        self.last_probe = (url, probe)
        if not probe.ok:
            self._show_result(tr("setup", "{error}\n\nHãy kiểm tra địa chỉ máy chủ, cổng, tên cơ sở dữ liệu, người "
                                          "dùng và mật khẩu; máy chủ phải cho phép máy này kết nối (pg_hba.conf, "
                                          "tường lửa).").format(error=probe.error), False)
        elif probe.revision is None:
            self._show_result(tr("setup", "Kết nối được. Cơ sở dữ liệu còn trống: chương trình sẽ tạo các bảng khi "
                                          "mở lần đầu."), True)
        else:
            centre = str(probe.settings.get("centre_name") or "")
            self._show_result(tr("setup", "Kết nối được. Máy chủ đã có dữ liệu của DTBD Desktop{centre}.").format(
                centre=f" ({centre})" if centre else ""), True)
        self.probed.emit(probe)
        self.changed.emit()

    def _show_result(self, message: str, ok: bool) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.result.setText(message)

    def _mode_changed(self) -> None:
        local = self.local.isChecked()
        self.local_box.setEnabled(local)
        self.server_box.setEnabled(not local)
        self._edited()

    def _edited(self) -> None:
        if self.last_probe is not None and self.last_probe[0] != self.url():
            self.result.clear()
        self._update_local_note()
        self.changed.emit()

    def _update_local_note(self) -> None:
        from dtbd_desktop.services.startup import is_network_path

        path = self.sqlite_file()
        if path is not None and str(path) and is_network_path(path):
            self.local_note.setStyleSheet(ERROR_STYLE)
            self.local_note.setText(tr("setup", "Tệp này nằm trên ổ mạng dùng chung: dữ liệu có thể hỏng khi nhiều "
                                                "máy cùng ghi. Khi nhiều máy cùng làm việc, hãy dùng máy chủ "
                                                "PostgreSQL."))
        elif path is not None and path.exists():
            self.local_note.setStyleSheet("")
            self.local_note.setText(tr("setup", "Tệp này đã có: chương trình sẽ mở và dùng tiếp dữ liệu trong đó."))
        else:
            self.local_note.setStyleSheet("")
            self.local_note.setText(tr("setup", "Tệp sẽ được tạo khi mở chương trình lần đầu. Chương trình tự sao "
                                                "lưu dữ liệu mỗi ngày và mỗi lần đóng."))
