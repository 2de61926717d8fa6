"""The first-run wizard: language, where the data lives, the centre's letterhead, who signs.

Shown by `dtbd_desktop.gui.app` on a PC with no configuration and no database yet. Nothing is
written until Finish: then `FirstRunOutcome.save_config()` writes this PC's config.json
(language, database URL) and, once the database is open, `save_settings(db)` stores the
centre's settings in it. A PostgreSQL server (or an existing data file) that already holds a
centre's settings fills the later pages with them, so a second PC joins without retyping.
Everything here can be changed later in Settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base.config import save_config
from dtbd_desktop.base.i18n import LANGUAGES, current_language, tr
from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.icon import app_icon
from dtbd_desktop.gui.tasks import TaskRunner
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.gui.widgets.setup_widgets import (
    DatabaseChoice,
    LetterheadFields,
    SignerFields,
    escape_html,
    language_combo,
)
from dtbd_desktop.selfcheck import DatabaseProbe, probe_database
from dtbd_desktop.services import settings
from dtbd_desktop.trust import operations
from dtbd_desktop.trust.accounts import Login


@dataclass(frozen=True)
class FirstRunOutcome:
    """What the wizard collected: this PC's choices and the centre's settings."""

    language: str
    database_url: str
    settings: dict[str, Any] = field(default_factory=dict)

    def save_config(self) -> None:
        save_config(language=self.language, database_url=self.database_url)

    def write_settings(self, session: Session) -> None:
        """The centre's details, in the caller's unit of work (the program runs it on its worker)."""
        settings.save_settings(session, **self.settings)

    def save_settings(self, db: Database, login: Login | None) -> None:
        with operations.writing(db, login) as session:
            self.write_settings(session)


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class SetupPage(QWizardPage):
    """A page of the wizard, whose texts follow the language chosen on the first page."""

    def retranslate(self) -> None:
        raise NotImplementedError


class LanguagePage(SetupPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.intro = _wrapped()
        self.language = language_combo(current_language())
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.language.setMinimumWidth(220)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.language_label, self.language)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addStretch(1)
        self.language.currentIndexChanged.connect(lambda _i: wizard.switch_language(self.language.currentData()))

    def retranslate(self) -> None:
        self.setTitle(tr("first_run", "Chào mừng đến với DTBD Desktop"))
        self.setSubTitle(tr("first_run", "Vài bước thiết lập cho máy này; mọi mục đều sửa lại được trong Cài đặt."))
        self.intro.setText(tr("first_run", "DTBD Desktop quản lý lớp học, học viên, điểm danh, điểm và giấy chứng "
                                           "nhận của trường, trung tâm chính trị. Chương trình làm việc không cần "
                                           "Internet.\n\nTrình thiết lập sẽ hỏi nơi lưu dữ liệu, tên đơn vị để in "
                                           "tiêu đề văn bản, và người ký."))
        self.language_label.setText(tr("first_run", "Ngôn ngữ / Language:"))


class DataPage(SetupPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.choice = DatabaseChoice(wizard.runner)
        self.error = _wrapped()
        self.error.setObjectName("data_error")
        self.error.setStyleSheet("color: #b71c1c;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.choice, 1)
        layout.addWidget(self.error)
        self.choice.changed.connect(self.completeChanged)
        self.choice.probed.connect(wizard.found_existing)

    def retranslate(self) -> None:
        self.setTitle(tr("first_run", "Nơi lưu dữ liệu"))
        self.setSubTitle(tr("first_run", "Một máy: lưu trên máy này. Nhiều máy cùng làm việc: dùng chung một máy "
                                         "chủ PostgreSQL (bấm Kiểm tra kết nối trước khi sang bước sau)."))
        self.choice.retranslate()

    def isComplete(self) -> bool:  # noqa: N802  (Qt's name)
        return self.choice.is_complete() and (self.choice.local.isChecked() or self.choice.verified())

    def validatePage(self) -> bool:  # noqa: N802  (Qt's name)
        self.error.clear()
        path = self.choice.sqlite_file()
        if path is None:
            problem = self.choice.password_problem()
            if problem is not None:
                self.error.setText(problem)
                return False
            return self.choice.verified()
        folder = path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = Path(folder, ".dtbd-write-test")
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            self.error.setText(tr("first_run", "Không ghi được vào thư mục {folder}: {reason}. Hãy chọn thư mục "
                                               "khác.").format(folder=folder, reason=exc.strerror or exc))
            return False
        if path.exists():  # an existing data file: take the centre's settings from it
            found = probe_database(self.choice.url())
            if not found.ok:
                self.error.setText(tr("first_run", "Tệp {path} không mở được: {error}").format(
                    path=path, error=found.error))
                return False
            self.wizard_.found_existing(found)
        return True


class CentrePage(SetupPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.fields = LetterheadFields()
        self.note = _wrapped()
        self.note.setObjectName("prefilled_note")
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        self.fields.changed.connect(self.completeChanged)
        self.note.hide()

    def retranslate(self) -> None:
        self.setTitle(tr("first_run", "Đơn vị"))
        self.setSubTitle(tr("first_run", "Tên đơn vị in ở góc trái tiêu đề mọi văn bản; địa danh dùng khi ghi "
                                         "ngày tháng."))
        self.note.setText(tr("first_run", "Thông tin dưới đây lấy từ dữ liệu đã có; sửa nếu cần."))
        self.fields.retranslate()

    def isComplete(self) -> bool:  # noqa: N802  (Qt's name)
        return self.fields.is_complete()


class SignerPage(SetupPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.fields = SignerFields()
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(tr("first_run", "Người ký và biểu trưng"))
        self.setSubTitle(tr("first_run", "Chức danh và họ tên in dưới chữ ký trên giấy chứng nhận, quyết định, "
                                         "danh sách. Biểu trưng không bắt buộc."))
        self.fields.retranslate()

    def initializePage(self) -> None:  # noqa: N802  (Qt's name)
        self.fields.suggest_title(self.wizard_.centre_page.fields.centre_name.text())


class SummaryPage(SetupPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.summary = _wrapped()
        self.summary.setObjectName("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(tr("first_run", "Sẵn sàng"))
        self.setSubTitle(tr("first_run", "Bấm Hoàn tất để lưu và mở chương trình."))
        if self.wizard_.currentPage() is self:
            self.initializePage()

    def initializePage(self) -> None:  # noqa: N802  (Qt's name)
        outcome = self.wizard_.outcome()
        values = outcome.settings
        choice = self.wizard_.data_page.choice
        if choice.local.isChecked():
            where = tr("first_run", "tệp {path} trên máy này").format(path=choice.sqlite_file())
        else:
            where = tr("first_run", "máy chủ PostgreSQL {host}, cơ sở dữ liệu {name}").format(
                host=choice.host.text().strip(), name=choice.database.text().strip())
        rows = [
            (tr("first_run", "Ngôn ngữ"), LANGUAGES.get(outcome.language, outcome.language)),
            (tr("first_run", "Dữ liệu"), where),
            (tr("first_run", "Đơn vị"), values["centre_name"]),
            (tr("first_run", "Cơ quan chủ quản"), values["superior_body"] or "—"),
            (tr("first_run", "Địa danh"), values["place_name"]),
            (tr("first_run", "Người ký"), f"{values['director_title']} {values['director_name']}".strip() or "—"),
            (tr("first_run", "Biểu trưng"), tr("first_run", "có") if values["logo_png"] else tr("first_run", "không")),
        ]
        self.summary.setText("<table cellspacing='6'>" + "".join(
            f"<tr><td><b>{escape_html(k)}:</b></td><td>{escape_html(str(v))}</td></tr>" for k, v in rows)
            + "</table>")


class FirstRunWizard(QWizard):
    """Open with `run()`; after it returns True, `outcome()` holds what to save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run")
        self.runner = TaskRunner(self)
        self.language = current_language()
        self._translators: list[QTranslator] = []
        self.setWindowIcon(app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, app_icon().pixmap(56, 56))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.language_page = LanguagePage(self)
        self.data_page = DataPage(self)
        self.centre_page = CentrePage(self)
        self.signer_page = SignerPage(self)
        self.summary_page = SummaryPage(self)
        self.pages: list[SetupPage] = [self.language_page, self.data_page, self.centre_page, self.signer_page, self.summary_page]
        for page in self.pages:
            self.addPage(page)
        fit_to_screen(self, 760, 600)
        self.retranslate()

    def run(self) -> bool:
        """Show the wizard modally (tests patch this); True when finished, False when cancelled."""
        return self.exec() == QDialog.DialogCode.Accepted

    def retranslate(self) -> None:
        self.setWindowTitle(tr("first_run", "Thiết lập DTBD Desktop"))
        for button, label in (
            (QWizard.WizardButton.BackButton, tr("first_run", "< Quay lại")),
            (QWizard.WizardButton.NextButton, tr("first_run", "Tiếp >")),
            (QWizard.WizardButton.FinishButton, tr("first_run", "Hoàn tất")),
            (QWizard.WizardButton.CancelButton, tr("first_run", "Hủy")),
        ):
            self.setButtonText(button, label)
        for page in self.pages:
            page.retranslate()

    def switch_language(self, language: str) -> None:
        """Show the wizard (and, later, the program) in `language` at once."""
        from dtbd_desktop.gui.translations import install_translations

        if language == self.language:
            return
        self.language = language
        app = QApplication.instance()
        if app is not None:
            for old in self._translators:
                app.removeTranslator(old)
            self._translators = install_translations(app, language)
        self.retranslate()

    def found_existing(self, probe: DatabaseProbe) -> None:
        """The chosen database already holds a centre: show its settings on the next pages."""
        if not probe.ok or not probe.settings:
            return
        values = {**settings.DEFAULTS, "director_title": "", **probe.settings}  # no title stored: suggested
        self.centre_page.fields.set_values(values)
        self.signer_page.fields.set_values(values)
        self.centre_page.note.show()

    def outcome(self) -> FirstRunOutcome:
        return FirstRunOutcome(
            language=self.language,
            database_url=self.data_page.choice.url(),
            settings={**self.centre_page.fields.values(), **self.signer_page.fields.values()},
        )

    def accept(self) -> None:
        problems = settings.check_settings(self.outcome().settings)
        if problems:
            QMessageBox.warning(self, tr("first_run", "Chưa hợp lệ"), "\n".join(p.message for p in problems))
            return
        super().accept()

    def done(self, result: int) -> None:
        self.runner.wait(15_000)  # a connection test still running must not outlive the wizard
        super().done(result)
