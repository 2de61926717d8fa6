"""Logging in, when the database has accounts (a single-PC install without accounts skips it)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from dtbd_desktop import accounts
from dtbd_desktop.db.engine import Database
from dtbd_desktop.errors import DtbdError
from dtbd_desktop.i18n import tr


class LoginDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: accounts.Actor | None = None
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("login", "Đăng nhập"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("login", "Thoát"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_login(self) -> None:
        try:
            self.actor = accounts.authenticate(self.db, self.username.text(), self.password.text())
        except DtbdError as exc:
            self.message.setText(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        accounts.act_as(self.actor)
        self.accept()


def log_in_if_needed(db: Database) -> bool:
    """Ask for a login when accounts exist; True when the program may go on."""
    with db.read() as session:
        needed = accounts.accounts_exist(session)
    if not needed:
        accounts.act_as(None)  # the local administrator of a single-PC install
        return True
    dialog = LoginDialog(db)
    return dialog.exec() == QDialog.DialogCode.Accepted
