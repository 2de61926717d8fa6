"""Settings (Tệp → Cài đặt...): the centre, the rules of the statistics, the printer, this PC.

The centre's settings live in the database (`dtbd_desktop.services.settings`), shared by every
PC; the language and where the data lives belong to this PC (config.json) and take effect at
the next start. Values are checked by the core before anything is stored; refused values are
listed under the tabs, and the tab holding the first one is shown.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import credentials
from dtbd_desktop.base.config import load_config, save_config
from dtbd_desktop.base.errors import DtbdError, Problem
from dtbd_desktop.base.i18n import LANGUAGES, current_language, tr
from dtbd_desktop.db.engine import resolve_url, sqlite_path
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.document_fields import KEYS as DOCUMENT_KEYS
from dtbd_desktop.gui.widgets.document_fields import DocumentFields
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.gui.widgets.setup_widgets import (
    DatabaseChoice,
    LetterheadFields,
    SignerFields,
    language_combo,
)
from dtbd_desktop.printing import layouts
from dtbd_desktop.services import backup, settings
from dtbd_desktop.services.document_wording import proper_name

TAB_OF_FIELD = {
    "centre_name": 0, "superior_body": 0, "place_name": 0, "party_heading": 0, "director_title": 0,
    "director_name": 0, "logo_png": 0,
    "attendance_lock_days": 1, "young_cadre_max_age": 1, "age_band_limits": 1,
    "printer_calibration": 2, "verify_page_url": 2, "issuing_name": 2,
    "backup_keep": 3, "database": 3,
    **{key: 4 for key in DOCUMENT_KEYS},
}


def parse_limits(value: str) -> list[Any]:
    """"30, 40, 50" → [30, 40, 50]; anything that is not a whole number is kept for the check to refuse."""
    return [int(token) if token.isdigit() else token for token in re.split(r"[,;\s]+", value.strip()) if token]


def same_database(a: str, b: str) -> bool:
    """Two URLs naming the same database (SQLite paths compared as paths: C:\\x and C:/x are one file)."""
    path_a, path_b = sqlite_path(a), sqlite_path(b)
    if path_a is not None and path_b is not None:
        return path_a.expanduser().resolve() == path_b.expanduser().resolve()
    return a == b


def spin(name: str, low: int, high: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setMaximumWidth(160)
    return box


def double_spin(name: str, low: float, high: float, suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(low, high)
    box.setDecimals(1)
    box.setSingleStep(0.1)
    box.setSuffix(suffix)
    box.setMaximumWidth(160)
    return box


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.config = load_config()
        self.restart_needed = False
        self.setWindowTitle(tr("settings_dialog", "Cài đặt"))
        fit_to_screen(self, 820, 640)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._centre_tab(), tr("settings_dialog", "Đơn vị"))
        self.tabs.addTab(self._rules_tab(), tr("settings_dialog", "Quy định, thống kê"))
        self.tabs.addTab(self._printing_tab(), tr("settings_dialog", "In giấy tờ"))
        self.tabs.addTab(self._this_pc_tab(), tr("settings_dialog", "Máy này"))
        self.documents = DocumentFields()
        self.tabs.addTab(self.documents, tr("settings_dialog", "Văn bản"))

        self.error_label = QLabel()
        self.error_label.setObjectName("errors")
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("settings_dialog", "Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("settings_dialog", "Hủy"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setEnabled(False)
        self.load()

    # ------------------------------------------------------------------------------ tabs

    def _centre_tab(self) -> QWidget:
        self.letterhead = LetterheadFields()
        self.signer = SignerFields()
        self.letterhead.centre_name.textEdited.connect(self.signer.suggest_title)
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QGroupBox(tr("settings_dialog", "Tiêu đề văn bản"))
        QVBoxLayout(top).addWidget(self.letterhead)
        bottom = QGroupBox(tr("settings_dialog", "Người ký"))
        QVBoxLayout(bottom).addWidget(self.signer)
        layout.addWidget(top)
        layout.addWidget(bottom)
        layout.addStretch(1)
        return page

    def _rules_tab(self) -> QWidget:
        self.lock_days = spin("attendance_lock_days", 0, 365, tr("settings_dialog", " ngày"))
        self.young_age = spin("young_cadre_max_age", 18, 70, tr("settings_dialog", " tuổi"))
        self.age_limits = QLineEdit()
        self.age_limits.setObjectName("age_band_limits")
        self.age_limits.setMaximumWidth(260)
        self.age_preview = QLabel()
        self.age_preview.setObjectName("age_bands_preview")
        self.age_limits.textChanged.connect(self._update_age_preview)
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(tr("settings_dialog", "Khóa điểm danh sau:"), self.lock_days)
        form.addRow(_note(tr("settings_dialog", "Điểm danh cũ hơn số ngày này bị khóa; muốn sửa phải có quyền và "
                                                "ghi lý do. 0: khóa ngay sau ngày học.")))
        form.addRow(tr("settings_dialog", "Cán bộ trẻ: đến"), self.young_age)
        form.addRow(tr("settings_dialog", "Mốc nhóm tuổi:"), self.age_limits)
        form.addRow(tr("settings_dialog", "Các nhóm tuổi:"), self.age_preview)
        form.addRow(_note(tr("settings_dialog", "Các mốc tuổi tăng dần, cách nhau bởi dấu phẩy; dùng trong báo cáo "
                                                "thống kê. Ví dụ 30, 40, 50 cho bốn nhóm: dưới 30, 30–39, 40–49, "
                                                "từ 50.")))
        return page

    def _printing_tab(self) -> QWidget:
        self.offset_x = double_spin("offset_x_mm", -layouts.MAX_OFFSET_MM, layouts.MAX_OFFSET_MM, " mm")
        self.offset_y = double_spin("offset_y_mm", -layouts.MAX_OFFSET_MM, layouts.MAX_OFFSET_MM, " mm")
        low, high = (round(v * 100) for v in layouts.SCALE_RANGE)
        self.scale_x = double_spin("scale_x", low, high, " %")
        self.scale_y = double_spin("scale_y", low, high, " %")
        self.issuing_name = QLineEdit()
        self.issuing_name.setObjectName("issuing_name")
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(tr("settings_dialog", "Tên trường trên văn bằng:"), self.issuing_name)
        form.addRow(_note(tr("settings_dialog", "Tên trường / trung tâm viết như trong câu, in trên giấy chứng nhận "
                                                "(“tại Trường Chính trị tỉnh Long An”). Để trống: lấy từ tên đơn "
                                                "vị.")))
        form.addRow(_note(tr("settings_dialog", "Căn chỉnh máy in cho giấy chứng nhận và phôi bằng in sẵn. In một "
                                                "bản thử, đo bằng thước: nếu chữ in lệch sang phải 2 mm so với chỗ "
                                                "cần in thì nhập độ lệch ngang -2; lệch xuống dưới 1,5 mm thì nhập "
                                                "độ lệch dọc -1,5. Tỉ lệ dùng khi máy in thu nhỏ hoặc phóng to bản "
                                                "in (100% là đúng kích thước).")))
        form.addRow(tr("settings_dialog", "Độ lệch ngang (+ sang phải):"), self.offset_x)
        form.addRow(tr("settings_dialog", "Độ lệch dọc (+ xuống dưới):"), self.offset_y)
        form.addRow(tr("settings_dialog", "Tỉ lệ ngang:"), self.scale_x)
        form.addRow(tr("settings_dialog", "Tỉ lệ dọc:"), self.scale_y)
        form.addRow(_note(tr("settings_dialog", "Đây là căn chỉnh chung cho mọi máy in. Để đo chính xác từ trang thử "
                                                "có lưới milimét, hoặc căn chỉnh riêng từng máy in: Văn bằng, chứng "
                                                "chỉ → Căn chỉnh máy in...")))
        self.verify_page_url = QLineEdit()
        self.verify_page_url.setObjectName("verify_page_url")
        self.verify_page_url.setPlaceholderText(settings.VERIFY_PAGE_EXAMPLE)
        self.verify_page_url.setClearButtonEnabled(True)
        heading = QLabel(tr("settings_dialog", "Mã QR trên văn bằng"))
        heading.setStyleSheet("font-weight: bold; margin-top: 12px;")
        form.addRow(heading)
        form.addRow(tr("settings_dialog", "Địa chỉ trang xác thực:"), self.verify_page_url)
        form.addRow(_note(tr("settings_dialog", "Nơi đơn vị đăng trang xác thực (Văn bằng, chứng chỉ → Trang xác "
                                                "thực...). Khi có địa chỉ, mã QR in trên văn bằng là đường dẫn tới "
                                                "trang này: ai cũng kiểm tra được bằng camera điện thoại. Để trống: "
                                                "mã QR chỉ chứa nội dung đã ký, như trước.")))
        return page

    def _this_pc_tab(self) -> QWidget:
        configured_language = self.config.get("language")
        self.initial_language = configured_language if configured_language in LANGUAGES else current_language()
        self.language = language_combo(self.initial_language)
        current = sqlite_path(self.ctx.db.url)
        self.current_db = QLabel(tr("settings_dialog", "Đang dùng: {where}").format(
            where=tr("settings_dialog", "tệp {path}").format(path=current) if current else self.ctx.db.display_url))
        self.current_db.setObjectName("current_database")
        self.current_db.setWordWrap(True)
        self.database = DatabaseChoice(self.ctx.runner)
        self.database.set_url(self._configured_url())
        self.backup_keep = spin("backup_keep", 1, 1000, tr("settings_dialog", " bản"))
        self.backup_folder = QLabel(str(backup.backup_dir()))
        self.backup_folder.setWordWrap(True)
        self.backup_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_note(tr("settings_dialog", "Ngôn ngữ và nơi lưu dữ liệu chỉ áp dụng cho máy này, từ lần "
                                                     "mở chương trình sau.")))
        self.language.setMinimumWidth(220)
        language_row = QFormLayout()
        language_row.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        language_row.addRow(tr("settings_dialog", "Ngôn ngữ / Language:"), self.language)
        layout.addLayout(language_row)
        data_box = QGroupBox(tr("settings_dialog", "Nơi lưu dữ liệu"))
        data_layout = QVBoxLayout(data_box)
        data_layout.addWidget(self.current_db)
        data_layout.addWidget(self.database)
        layout.addWidget(data_box, 1)
        backup_box = QGroupBox(tr("settings_dialog", "Sao lưu tự động (mỗi ngày và mỗi lần đóng chương trình)"))
        backup_form = QFormLayout(backup_box)
        backup_form.addRow(tr("settings_dialog", "Giữ lại:"), self.backup_keep)
        backup_form.addRow(tr("settings_dialog", "Thư mục:"), self.backup_folder)
        backup_form.addRow(_note(tr("settings_dialog", "Sao lưu ngay, sao lưu ra USB và phục hồi: mục Quản trị.")))
        layout.addWidget(backup_box)
        return page

    # ------------------------------------------------------------------------------ load and save

    def launch(self) -> None:
        """Show the dialog (tests patch this to avoid a modal loop)."""
        self.open()

    def load(self) -> None:
        self.ctx.read(settings.get_settings, self._fill, self)

    def _fill(self, values: dict[str, Any]) -> None:
        self.stored = dict(values)
        self.letterhead.set_values(values)
        self.signer.set_values(values)
        self.documents.set_values(values)
        self.lock_days.setValue(int(values.get("attendance_lock_days") or 0))
        self.young_age.setValue(int(values.get("young_cadre_max_age") or 35))
        self.backup_keep.setValue(int(values.get("backup_keep") or 10))
        limits = values.get("age_band_limits") or settings.DEFAULTS["age_band_limits"]
        self.age_limits.setText(", ".join(str(v) for v in limits))
        calibration = {**settings.DEFAULT_CALIBRATION, **(values.get("printer_calibration") or {})}
        self.offset_x.setValue(float(calibration["offset_x_mm"]))
        self.offset_y.setValue(float(calibration["offset_y_mm"]))
        self.scale_x.setValue(float(calibration["scale_x"]) * 100)
        self.scale_y.setValue(float(calibration["scale_y"]) * 100)
        self.verify_page_url.setText(str(values.get("verify_page_url") or ""))
        self.issuing_name.setText(str(values.get("issuing_name") or ""))
        self.issuing_name.setPlaceholderText(proper_name(str(values.get("centre_name") or "")))
        self.setEnabled(True)
        self.letterhead.centre_name.setFocus()

    def _update_age_preview(self) -> None:
        limits = parse_limits(self.age_limits.text())
        if settings.check_settings({"age_band_limits": limits}):
            self.age_preview.setText(tr("settings_dialog", "(chưa hợp lệ)"))
        else:
            self.age_preview.setText(" · ".join(settings.age_band_label(b) for b in settings.age_bands(limits)))

    def values(self) -> dict[str, Any]:
        """The centre's settings as entered (not yet checked)."""
        return {
            **self.letterhead.values(),
            **self.signer.values(),
            **self.documents.values(),
            "attendance_lock_days": self.lock_days.value(),
            "young_cadre_max_age": self.young_age.value(),
            "age_band_limits": parse_limits(self.age_limits.text()),
            "backup_keep": self.backup_keep.value(),
            "issuing_name": " ".join(self.issuing_name.text().split()),
            "printer_calibration": {
                "offset_x_mm": round(self.offset_x.value(), 1),
                "offset_y_mm": round(self.offset_y.value(), 1),
                "scale_x": round(self.scale_x.value() / 100, 4),
                "scale_y": round(self.scale_y.value() / 100, 4),
            },
            "verify_page_url": self.verify_page_url.text().strip() or None,
        }

    def _configured_url(self) -> str:
        """This PC's database as configured, its password read back from the credential store."""
        configured = self.config.get("database_url")
        return credentials.with_password(configured) if isinstance(configured, str) and configured else resolve_url(None)

    def _config_changes(self) -> tuple[dict[str, Any], list[Problem]]:
        changes: dict[str, Any] = {}
        problems: list[Problem] = []
        language = self.language.currentData()
        if language != self.initial_language:
            changes["language"] = language
        url = self.database.url()
        if not same_database(url, self._configured_url()):
            problem = self.database.password_problem()
            if problem is not None:
                problems.append(Problem(problem, field="database"))
            elif not self.database.is_complete():
                problems.append(Problem(tr("settings_dialog", "Nơi lưu dữ liệu chưa nhập đủ."), field="database"))
            elif self.database.server.isChecked() and not self.database.verified():
                problems.append(Problem(tr("settings_dialog", "Hãy bấm “Kiểm tra kết nối” tới máy chủ mới và kết nối "
                                                              "được trước khi lưu."), field="database"))
            else:
                changes["database_url"] = url
        return changes, problems

    def save(self) -> None:
        values = self.values()
        changes, problems = self._config_changes()
        problems = settings.check_settings(values) + problems
        if problems:
            self._show_problems(problems)
            return
        self.error_label.clear()
        stored = getattr(self, "stored", None)
        if stored is not None and all(stored.get(key) == value for key, value in values.items()):
            self._saved(changes)  # only this PC's language or database changed: nothing for the centre
            return
        self.setEnabled(False)
        self.ctx.write(lambda session: settings.save_settings(session, **values),
                       lambda _result: self._saved(changes), parent=self, on_failed=self._failed)

    def _saved(self, changes: dict[str, Any]) -> None:
        if changes:
            try:
                save_config(**changes)
            except DtbdError as exc:  # the credential store refused the password: config.json unchanged
                self.setEnabled(True)
                self._show_problems([Problem(exc.message, field="database")])
                return
            self.restart_needed = True
            box = QMessageBox(QMessageBox.Icon.Information, tr("settings_dialog", "Cài đặt"),
                              tr("settings_dialog", "Đã lưu. Ngôn ngữ hoặc nơi lưu dữ liệu mới có hiệu lực từ lần mở "
                                                    "chương trình sau."), QMessageBox.StandardButton.Ok, self.parentWidget())
            box.open()
        self.setEnabled(True)
        self.saved.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        if isinstance(exc, DtbdError) and exc.problems:
            self._show_problems(exc.problems)
        else:
            self.error_label.setText(error_text(exc))

    def _show_problems(self, problems: list[Problem]) -> None:
        self.error_label.setText("\n".join("• " + p.message for p in problems))
        self.tabs.setCurrentIndex(TAB_OF_FIELD.get(problems[0].field or "", self.tabs.currentIndex()))


def open_settings(ctx: AppContext, parent: QWidget | None = None) -> SettingsDialog:
    dialog = SettingsDialog(ctx, parent)
    dialog.launch()
    return dialog


__all__ = ["SettingsDialog", "open_settings", "parse_limits"]
