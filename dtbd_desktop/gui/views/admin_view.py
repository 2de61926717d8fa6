"""Administration: accounts, the audit log (search, chain check) and backups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop import accounts, audit, backup
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column, RowTableModel, read_only_table
from dtbd_desktop.gui.widgets.common import section_title
from dtbd_desktop.i18n import tr

UserRow = tuple[str, str, str, bool, bool]




class UsersTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.model: RowTableModel[UserRow] = RowTableModel([
            Column(tr("admin_view", "Tên đăng nhập"), lambda r: r[0]),
            Column(tr("admin_view", "Họ và tên"), lambda r: r[1]),
            Column(tr("admin_view", "Vai trò"), lambda r: tr("accounts", accounts.ROLE_LABELS.get(r[2], r[2]))),
            Column(tr("admin_view", "Tình trạng"), lambda r: tr("admin_view", "Đang khóa") if r[4]
                   else tr("admin_view", "Hoạt động") if r[3] else tr("admin_view", "Ngừng")),
        ], self)
        self.table = read_only_table(self.model, "users_table")
        self.username = QLineEdit()
        self.username.setObjectName("new_username")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("new_full_name")
        self.role = QComboBox()
        self.role.setObjectName("new_role")
        for key, label in accounts.ROLE_LABELS.items():
            self.role.addItem(tr("accounts", label), key)
        self.password = QLineEdit()
        self.password.setObjectName("new_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("users_message")
        self.message.setWordWrap(True)
        add = QPushButton(tr("admin_view", "Tạo tài khoản"))
        add.setObjectName("add_user")
        add.clicked.connect(self.add_user)
        reset = QPushButton(tr("admin_view", "Đặt lại mật khẩu cho tài khoản đã chọn"))
        reset.clicked.connect(self.reset_password)
        form = QFormLayout()
        form.addRow(tr("admin_view", "Tên đăng nhập:"), self.username)
        form.addRow(tr("admin_view", "Họ và tên:"), self.full_name)
        form.addRow(tr("admin_view", "Vai trò:"), self.role)
        form.addRow(tr("admin_view", "Mật khẩu (ít nhất 8 ký tự):"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(reset)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def reload(self) -> None:
        self.ctx.read(accounts.list_users, self.model.set_rows, self)

    def _done(self, message: str) -> None:
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(message)
        self.password.clear()
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        from dtbd_desktop.gui.tasks import error_text

        self.message.setStyleSheet("color: #b71c1c;")
        self.message.setText(error_text(exc))

    def add_user(self) -> None:
        values = (self.username.text(), self.full_name.text(), self.role.currentData(), self.password.text())

        def create(session: Session) -> str:
            user = accounts.create_user(session, username=values[0], full_name=values[1], role=values[2],
                                        password=values[3])
            return user.username

        self.ctx.write(create, lambda name: self._done(tr("admin_view", "Đã tạo tài khoản {name}.").format(name=name)),
                       self, on_failed=self._failed)

    def reset_password(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self._failed(ValueError(tr("admin_view", "Chọn một tài khoản trong bảng.")))
            return
        username = self.model.row_at(rows[0].row())[0]
        password = self.password.text()
        self.ctx.write(lambda s: accounts.reset_password(s, username, password),
                       lambda _r: self._done(tr("admin_view", "Đã đặt lại mật khẩu cho {name}.").format(name=username)),
                       self, on_failed=self._failed)


class AuditTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.text = QLineEdit()
        self.text.setObjectName("audit_text")
        self.text.setPlaceholderText(tr("admin_view", "Tìm trong nhật ký (việc, đối tượng, giá trị, lý do)..."))
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since.setDisplayFormat("dd/MM/yyyy")
        self.since.setCalendarPopup(True)
        self.until = QDateEdit(QDate.currentDate())
        self.until.setDisplayFormat("dd/MM/yyyy")
        self.until.setCalendarPopup(True)
        search = QPushButton(tr("admin_view", "Tìm"))
        search.clicked.connect(self.reload)
        self.text.returnPressed.connect(self.reload)
        check = QPushButton(tr("admin_view", "Kiểm tra nhật ký không bị sửa"))
        check.setObjectName("check_chain")
        check.clicked.connect(self.check_chain)
        self.status = QLabel()
        self.status.setObjectName("chain_status")
        self.model: RowTableModel[audit.AuditRow] = RowTableModel([
            Column(tr("admin_view", "Thời điểm"), lambda r: r.at.strftime("%d/%m/%Y %H:%M:%S")),
            Column(tr("admin_view", "Người làm"), lambda r: r.username),
            Column(tr("admin_view", "Việc"), lambda r: r.action),
            Column(tr("admin_view", "Đối tượng"), lambda r: f"{r.entity} {r.entity_id or ''}".strip()),
            Column(tr("admin_view", "Trường"), lambda r: r.field),
            Column(tr("admin_view", "Giá trị cũ"), lambda r: r.old_value),
            Column(tr("admin_view", "Giá trị mới"), lambda r: r.new_value),
            Column(tr("admin_view", "Lý do"), lambda r: r.reason),
        ], self)
        self.table = read_only_table(self.model, "audit_table")
        top = QHBoxLayout()
        top.addWidget(self.text, 1)
        top.addWidget(QLabel(tr("admin_view", "Từ:")))
        top.addWidget(self.since)
        top.addWidget(QLabel(tr("admin_view", "đến:")))
        top.addWidget(self.until)
        top.addWidget(search)
        bottom = QHBoxLayout()
        bottom.addWidget(check)
        bottom.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def reload(self) -> None:
        text = self.text.text().strip() or None
        since = self.since.date().toPython()
        until = self.until.date().toPython()
        self.ctx.read(lambda s: audit.search(s, text=text, since=since, until=until), self._show, self)

    def _show(self, rows: list[audit.AuditRow]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()

    def check_chain(self) -> None:
        def show(breaks: list[audit.ChainBreak]) -> None:
            if breaks:
                self.status.setStyleSheet("color: #b71c1c; font-weight: bold;")
                self.status.setText(tr("admin_view", "Nhật ký đã bị can thiệp ở {n} mục, mục đầu tiên: {id}.")
                                    .format(n=len(breaks), id=breaks[0].entry_id))
            else:
                self.status.setStyleSheet("color: #1b5e20;")
                self.status.setText(tr("admin_view", "Nhật ký nguyên vẹn."))

        self.ctx.read(audit.verify_chain, show, self)


class BackupTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.folder = QLabel(str(backup.backup_dir()))
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.files: RowTableModel[Path] = RowTableModel([
            Column(tr("admin_view", "Bản sao lưu"), lambda p: p.name),
            Column(tr("admin_view", "Dung lượng (KB)"), lambda p: p.stat().st_size // 1024 if p.exists() else "",
                   align=Qt.AlignmentFlag.AlignRight),
        ], self)
        self.table = read_only_table(self.files, "backups_table")
        now = QPushButton(tr("admin_view", "Sao lưu ngay"))
        now.setObjectName("backup_now")
        now.clicked.connect(self.backup_now)
        to_file = QPushButton(tr("admin_view", "Sao lưu ra tệp khác (USB)..."))
        to_file.clicked.connect(self.backup_to_file)
        restore = QPushButton(tr("admin_view", "Phục hồi từ bản đã chọn..."))
        restore.clicked.connect(self.restore_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("backup_message")
        buttons = QHBoxLayout()
        for b in (now, to_file, restore):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("admin_view", "Thư mục sao lưu tự động (mỗi ngày và mỗi lần thoát chương trình):")))
        layout.addWidget(self.folder)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def reload(self) -> None:
        folder = backup.backup_dir()
        files = sorted(folder.glob("dtbd-*"), reverse=True) if folder.exists() else []
        self.files.set_rows([p for p in files if not p.name.endswith(".partial")])
        self.table.resizeColumnsToContents()

    def _backed_up(self, result: backup.BackupResult) -> None:
        self.message.setText(tr("admin_view", "Đã sao lưu vào {path}.").format(path=result.path))
        self.reload()

    def backup_now(self) -> None:
        url = self.ctx.db.url

        def job() -> backup.BackupResult:
            with self.ctx.db.read() as s:
                accounts.require(s, "backup")
            return backup.backup(url)

        self.ctx.runner.run(job, self._backed_up, parent=self)

    def backup_to_file(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, tr("admin_view", "Sao lưu ra tệp"), "dtbd-sao-luu.sqlite3",
                                               tr("admin_view", "Cơ sở dữ liệu SQLite (*.sqlite3)"))
        if path:
            url = self.ctx.db.url
            self.ctx.runner.run(lambda: backup.backup(url, Path(path)), self._backed_up, parent=self)

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText(tr("admin_view", "Chọn một bản sao lưu trong bảng."))
            return
        path = self.files.row_at(rows[0].row())
        answer = QMessageBox.question(self, tr("admin_view", "Phục hồi"), tr(
            "admin_view", "Phục hồi cơ sở dữ liệu từ {name}? Cơ sở dữ liệu hiện tại được cất sang bên trước; "
                          "sau khi phục hồi chương trình sẽ đóng để mở lại.").format(name=path.name))
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(path)

    def restore_from(self, path: Path) -> None:
        """Close the database, check and restore the copy, then quit so the program starts on it."""
        from PySide6.QtWidgets import QApplication

        from dtbd_desktop.errors import DtbdError
        from dtbd_desktop.gui.tasks import error_text

        with self.ctx.db.read() as s:
            accounts.require(s, "backup")
        self.ctx.runner.wait()
        url = self.ctx.db.url
        self.ctx.db.dispose()
        try:
            result = backup.restore(url, path)
        except DtbdError as exc:
            self.message.setText(error_text(exc))
            return
        QMessageBox.information(self, tr("admin_view", "Đã phục hồi"), tr(
            "admin_view", "Đã phục hồi từ {name}. Cơ sở dữ liệu trước đó được cất ở {previous}. Chương trình sẽ đóng; "
                          "hãy mở lại.").format(name=path.name, previous=result.previous))
        QApplication.quit()


class AdminView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        title = section_title(tr("admin_view", "Quản trị"))
        self.tabs = QTabWidget()
        self.users = UsersTab(ctx)
        self.audit = AuditTab(ctx)
        self.backups = BackupTab(ctx)
        self.tabs.addTab(self.users, tr("admin_view", "Tài khoản"))
        self.tabs.addTab(self.audit, tr("admin_view", "Nhật ký thay đổi"))
        self.tabs.addTab(self.backups, tr("admin_view", "Sao lưu"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

    def activate(self) -> None:
        self.users.reload()
        self.audit.reload()
        self.backups.reload()

