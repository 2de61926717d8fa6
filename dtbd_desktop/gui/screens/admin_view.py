"""Administration: accounts, the audit log (`admin_audit`), backups and signing keys (`admin_keys`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
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

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.screens.admin_audit import AuditTab
from dtbd_desktop.gui.screens.admin_keys import KeysTab
from dtbd_desktop.gui.table_model import Column, RowTableModel, read_only_table
from dtbd_desktop.gui.widgets.common import MessageLabel, ask_reason, section_title
from dtbd_desktop.services import backup, users
from dtbd_desktop.trust import accounts, operations

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
        self.message = MessageLabel("users_message")
        add = QPushButton(tr("admin_view", "Tạo tài khoản"))
        add.setObjectName("add_user")
        add.clicked.connect(self.add_user)
        reset = QPushButton(tr("admin_view", "Đặt lại mật khẩu cho tài khoản đã chọn"))
        reset.clicked.connect(self.reset_password)
        role = QPushButton(tr("admin_view", "Đổi vai trò tài khoản đã chọn"))
        role.setObjectName("set_role")
        role.clicked.connect(lambda: self.set_role(active=True))
        stop = QPushButton(tr("admin_view", "Ngừng tài khoản đã chọn"))
        stop.setObjectName("deactivate")
        stop.clicked.connect(lambda: self.set_role(active=False))
        form = QFormLayout()
        form.addRow(tr("admin_view", "Tên đăng nhập:"), self.username)
        form.addRow(tr("admin_view", "Họ và tên:"), self.full_name)
        form.addRow(tr("admin_view", "Vai trò:"), self.role)
        form.addRow(tr("admin_view", "Mật khẩu (ít nhất 8 ký tự):"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(reset)
        buttons.addWidget(role)
        buttons.addWidget(stop)
        buttons.addStretch(1)
        self.logins_note = QLabel(tr(
            "admin_view", "Chưa có tài khoản nào: ai mở chương trình cũng làm việc với quyền quản trị. Tạo tài khoản "
                          "đầu tiên (quản trị) là BẬT ĐĂNG NHẬP: từ đó mọi người, cả dòng lệnh, phải đăng nhập bằng "
                          "tài khoản và mật khẩu mới làm việc được."))
        self.logins_note.setObjectName("logins_note")
        self.logins_note.setWordWrap(True)
        self.logins_note.setStyleSheet("color: #8a4b00; background: #fff4e5; border: 1px solid #f0c36d; padding: 6px;")
        self.logins_note.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.logins_note)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def reload(self) -> None:
        self.ctx.read(lambda s: users.list_users(s) if operations.may(s, "manage_users") else [], self._show_users,
                      self)

    def _show_users(self, rows: list[UserRow]) -> None:
        self.model.set_rows(rows)
        self.logins_note.setVisible(not rows and self.ctx.login is None)

    def _done(self, message: str) -> None:
        self.message.say(message)
        self.password.clear()
        self.reload()

    def confirm_first_account(self) -> bool:
        """Creating the first account turns logins on for everyone (tests patch this)."""
        answer = QMessageBox.question(self, tr("admin_view", "Bật đăng nhập"), tr(
            "admin_view", "Đây là tài khoản đầu tiên. Sau khi tạo, mọi người (cả dòng lệnh) phải đăng nhập mới làm "
                          "việc được, và chương trình sẽ đăng nhập ngay bằng tài khoản này. Hãy ghi mật khẩu quản trị "
                          "cất vào tủ của lãnh đạo: không có cách nào lấy lại. Tạo tài khoản?"))
        return answer == QMessageBox.StandardButton.Yes

    def add_user(self) -> None:
        values = (self.username.text(), self.full_name.text(), self.role.currentData(), self.password.text())
        first = self.model.rowCount() == 0 and self.ctx.login is None
        if first and not self.confirm_first_account():
            return

        def create(session: Session) -> str:
            user = users.create_user(session, username=values[0], full_name=values[1], role=values[2],
                                     password=values[3])
            return user.username

        def created(name: str) -> None:
            if not first:
                self._done(tr("admin_view", "Đã tạo tài khoản {name}.").format(name=name))
                return
            db = self.ctx.db  # logins are on now: this window goes on as the new administrator
            self.ctx.work(lambda: accounts.authenticate(db, name, values[3]), self._logged_in, self,
                          self.message.failed)

        self.ctx.write(create, created, self, on_failed=self.message.failed)

    def _logged_in(self, login: accounts.Login) -> None:
        self.ctx.login = login
        self._done(tr("admin_view", "Đã bật đăng nhập; đang làm việc với tài khoản {name}.").format(name=login.username))

    def reset_password(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.say(tr("admin_view", "Chọn một tài khoản trong bảng."), error=True)
            return
        username = self.model.row_at(rows[0].row())[0]
        password = self.password.text()
        self.ctx.write(lambda s: users.reset_password(s, username, password),
                       lambda _r: self._done(tr("admin_view", "Đã đặt lại mật khẩu cho {name}.").format(name=username)),
                       self, on_failed=self.message.failed)


    def set_role(self, *, active: bool) -> None:
        """The selected account gets the role chosen above, or is deactivated (its role kept)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.say(tr("admin_view", "Chọn một tài khoản trong bảng."), error=True)
            return
        username = self.model.row_at(rows[0].row())[0]
        role = self.role.currentData() if active else None  # deactivating keeps the role the account has
        if active:
            message = tr("admin_view", "Tài khoản {name} nay có vai trò {role}.").format(
                name=username, role=tr("accounts", accounts.ROLE_LABELS.get(str(role), str(role))))
        else:
            message = tr("admin_view", "Đã ngừng tài khoản {name}.").format(name=username)
        self.ctx.write(lambda s: users.set_role(s, username, role, active=active), lambda _r: self._done(message),
                       self, on_failed=self.message.failed)


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
        self.message = MessageLabel("backup_message")
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
        self.message.say(tr("admin_view", "Đã sao lưu vào {path}.").format(path=result.path))
        self.reload()

    def _backup(self, out: Path | None) -> None:
        ctx = self.ctx

        def job() -> backup.BackupResult:
            return backup.backup_as(ctx.db, ctx.login, out)

        self.ctx.runner.run(job, self._backed_up, parent=self, on_failed=self.message.failed, lane="long")

    def backup_now(self) -> None:
        self._backup(None)

    def backup_to_file(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, tr("admin_view", "Sao lưu ra tệp"), "dtbd-sao-luu.sqlite3",
                                               tr("admin_view", "Cơ sở dữ liệu SQLite (*.sqlite3)"))
        if path:
            self._backup(Path(path))

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.say(tr("admin_view", "Chọn một bản sao lưu trong bảng."), error=True)
            return
        path = self.files.row_at(rows[0].row())
        answer = QMessageBox.question(self, tr("admin_view", "Phục hồi"), tr(
            "admin_view", "Phục hồi cơ sở dữ liệu từ {name}? Cơ sở dữ liệu hiện tại được cất sang bên trước; "
                          "sau khi phục hồi chương trình sẽ đóng để mở lại.").format(name=path.name))
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(path)

    def ask_override(self, exc: BaseException) -> str | None:
        """The reason to restore a copy that failed the audit check anyway (tests patch this)."""
        from dtbd_desktop.gui.tasks import error_text

        return ask_reason(self, tr("admin_view", "Bản sao lưu không qua kiểm tra"), error_text(exc) + "\n\n" + tr(
            "admin_view", "Nếu vẫn phải phục hồi bản này, ghi lý do (được ghi vào nhật ký); bỏ trống để thôi:")) or None

    def restore_from(self, path: Path, override: str | None = None) -> None:
        """Close the database, check and restore the copy (on the worker), then quit so the program
        starts again on it."""
        from PySide6.QtWidgets import QApplication

        ctx = self.ctx
        ctx.runner.wait()
        url, login = ctx.db.url, ctx.login

        def job() -> backup.RestoreResult:
            ctx.db.dispose()
            return backup.restore(url, path, login=login, override=override)

        def done(result: backup.RestoreResult) -> None:
            QMessageBox.information(self, tr("admin_view", "Đã phục hồi"), tr(
                "admin_view", "Đã phục hồi từ {name}. Cơ sở dữ liệu trước đó được cất ở {previous}. Chương trình sẽ "
                              "đóng; hãy mở lại.").format(name=path.name, previous=result.previous))
            QApplication.quit()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, backup.BackupNotVerified) and override is None:
                reason = self.ask_override(exc)
                if reason:
                    self.restore_from(path, reason)
                    return
            self.message.failed(exc)

        self.message.say(tr("admin_view", "Đang kiểm tra và phục hồi {name}...").format(name=path.name))
        ctx.runner.run(job, done, parent=self, on_failed=failed)


class AdminView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        title = section_title(tr("admin_view", "Quản trị"))
        self.tabs = QTabWidget()
        self.users = UsersTab(ctx)
        self.audit = AuditTab(ctx)
        self.backups = BackupTab(ctx)
        self.keys = KeysTab(ctx)
        self.tabs.addTab(self.users, tr("admin_view", "Tài khoản"))
        self.tabs.addTab(self.audit, tr("admin_view", "Nhật ký thay đổi"))
        self.tabs.addTab(self.backups, tr("admin_view", "Sao lưu"))
        self.tabs.addTab(self.keys, tr("admin_view", "Khóa ký văn bằng"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

    def activate(self) -> None:
        self.users.reload()
        self.audit.reload()
        self.backups.reload()
        self.keys.reload()

