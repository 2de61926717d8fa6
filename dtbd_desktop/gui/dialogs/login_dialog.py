"""Logging in, when the database has accounts (a single-PC install without accounts skips it).

The password check (two Argon2 computations, a fraction of a second on an office PC) runs on a
worker thread, so the window stays responsive and shows that it is checking.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.tasks import TaskRunner, error_text
from dtbd_desktop.trust import accounts
from dtbd_desktop.trust.accounts import Login


class LoginDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.login: Login | None = None
        self.runner = TaskRunner(self)
        self.setWindowTitle(tr("login", "Đăng nhập DTBD Desktop"))
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("login_message")
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("login", "Tên đăng nhập:"), self.username)
        form.addRow(tr("login", "Mật khẩu:"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("login", "Đăng nhập"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("login", "Thoát"))
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def try_login(self) -> None:
        if not self.ok_button.isEnabled():
            return  # already checking
        username, password = self.username.text(), self.password.text()
        self.ok_button.setEnabled(False)
        self.message.setStyleSheet("color: #37474f;")
        self.message.setText(tr("login", "Đang kiểm tra mật khẩu..."))
        self.runner.run(lambda: accounts.authenticate(self.db, username, password), self._logged_in, parent=self,
                        on_failed=self._refused)

    def _logged_in(self, login: Login) -> None:
        self.login = login
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.setText(exc.message if isinstance(exc, DtbdError) else error_text(exc))
        self.password.clear()
        self.password.setFocus()

    def done(self, result: int) -> None:
        self.runner.wait()
        super().done(result)


def log_in_if_needed(db: Database, parent: QWidget | None = None, *, needed: bool | None = None
                     ) -> tuple[bool, Login | None]:
    """Ask for a login when accounts exist (`needed`: already known, found when the database was
    opened). (go on?, who): (True, None) for a database without accounts (the local
    administrator), (False, None) when the person closed the dialog."""
    if needed is None:
        with db.read() as session:
            needed = accounts.accounts_exist(session)
    if not needed:
        return True, None
    dialog = LoginDialog(db, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False, None
    return True, dialog.login
