"""Administration screens: accounts, login, the audit log, backups."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import User
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.login_dialog import LoginDialog
from dtbd_desktop.gui.screens.admin_view import AdminView
from dtbd_desktop.services import backup
from tests.logins import admin_login


def test_create_the_first_administrator_then_log_in(qtbot: QtBot, sqlite_db: Database,
                                                    make_ctx: Callable[[Database], AppContext]) -> None:
    view = AdminView(make_ctx(sqlite_db))
    qtbot.addWidget(view)
    view.activate()
    users = view.users
    qtbot.keyClicks(users.username, "quantri")
    users.full_name.setText("Nguyễn Văn Quản")
    users.role.setCurrentIndex(users.role.findData("admin"))
    qtbot.keyClicks(users.password, "ngan")  # too short: refused, shown
    add_button = next(b for b in users.findChildren(QPushButton) if b.objectName() == "add_user")
    qtbot.mouseClick(add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "8 ký tự" in users.message.text(), timeout=10_000)
    users.password.setText("mat-khau-dai")
    users.add_user()
    qtbot.waitUntil(lambda: users.model.rowCount() == 1, timeout=10_000)
    assert users.model.index(0, 2).data() == "Quản trị"

    assert view.ctx.login is not None and view.ctx.login.username == "quantri"  # logins are on, as the new admin
    assert "Đã bật đăng nhập" in users.message.text()

    login = LoginDialog(sqlite_db)
    qtbot.addWidget(login)
    qtbot.keyClicks(login.username, "quantri")
    qtbot.keyClicks(login.password, "sai-roi")
    login.try_login()  # checked on a worker thread
    qtbot.waitUntil(lambda: "không đúng" in login.message.text(), timeout=10_000)
    assert login.login is None
    qtbot.keyClicks(login.password, "mat-khau-dai")
    with qtbot.waitSignal(login.accepted, timeout=10_000):
        login.try_login()
    assert login.login is not None and login.login.role == "admin"


def test_audit_log_shows_changes_and_checks_the_chain(qtbot: QtBot, sqlite_db: Database,
                                                      make_ctx: Callable[[Database], AppContext]) -> None:
    ctx = make_ctx(sqlite_db)
    ctx.login = admin_login(sqlite_db)
    view = AdminView(ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.audit.model.rowCount() == 1, timeout=10_000)
    assert view.audit.model.index(0, 1).data() == "Nguyễn Văn Quản"  # the account's full name
    assert view.audit.model.index(0, 2).data() == "Tài khoản người dùng"
    assert view.audit.model.index(0, 4).data() == "Tạo tài khoản quantri (Nguyễn Văn Quản), vai trò Quản trị"
    view.audit.table.selectRow(0)
    assert '"action": "user.create"' in view.audit.details.toPlainText()  # the raw entry, for support
    view.audit.check_chain()
    qtbot.waitUntil(lambda: view.audit.status.text() != "", timeout=10_000)
    assert view.audit.status.text() == "Nhật ký nguyên vẹn (1 mục); dữ liệu được bảo vệ khớp nhật ký."
    with sqlite_db.write(raw=True) as s:  # someone promotes themselves with sqlite3
        s.execute(update(User).values(role="viewer"))
    view.audit.check_chain()
    qtbot.waitUntil(lambda: "can thiệp" in view.audit.status.text(), timeout=10_000)
    assert "Tài khoản quantri: cơ sở dữ liệu ghi Chỉ xem" in view.audit.status.text()


def test_backup_now_adds_a_copy(qtbot: QtBot, sqlite_db: Database,
                                make_ctx: Callable[[Database], AppContext]) -> None:
    view = AdminView(make_ctx(sqlite_db))
    qtbot.addWidget(view)
    view.activate()
    assert view.backups.files.rowCount() == 0
    view.backups.backup_now()
    qtbot.waitUntil(lambda: view.backups.files.rowCount() == 1, timeout=10_000)
    made = list(backup.backup_dir().glob("dtbd-*.sqlite3"))
    assert len(made) == 1 and view.backups.files.index(0, 0).data() == made[0].name


def test_an_administrator_changes_a_role_and_deactivates_an_account(qtbot: QtBot, sqlite_db: Database,
                                                                     make_ctx: Callable[[Database], AppContext]) -> None:
    from dtbd_desktop.base.errors import InputError, PermissionDenied
    from dtbd_desktop.trust import accounts, operations
    from tests.logins import PASSWORD, create_account

    ctx = make_ctx(sqlite_db)
    ctx.login = admin_login(sqlite_db)
    lan = create_account(sqlite_db, "lan", "viewer", by=ctx.login)
    view = AdminView(ctx)
    qtbot.addWidget(view)
    view.activate()
    users = view.users
    qtbot.waitUntil(lambda: users.model.rowCount() == 2, timeout=10_000)
    row = next(r for r in range(2) if users.model.index(r, 0).data() == "lan")
    users.table.selectRow(row)
    users.role.setCurrentIndex(users.role.findData("office"))
    qtbot.mouseClick(next(b for b in users.findChildren(QPushButton) if b.objectName() == "set_role"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Phòng đào tạo" in users.message.text(), timeout=10_000)
    with sqlite_db.read() as s:
        assert s.scalars(select(User.role).where(User.username == "lan")).one() == "office"
    row = next(r for r in range(2) if users.model.index(r, 0).data() == "lan")
    users.table.selectRow(row)  # the table may still show the old role: deactivating keeps the stored one
    qtbot.mouseClick(next(b for b in users.findChildren(QPushButton) if b.objectName() == "deactivate"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Đã ngừng" in users.message.text(), timeout=10_000)
    with sqlite_db.read() as s:
        assert s.execute(select(User.role, User.active).where(User.username == "lan")).one() == ("office", False)
    with pytest.raises(PermissionDenied, match="không còn hoạt động"), operations.writing(sqlite_db, lan) as s:
        operations.acting(s)
    with pytest.raises(InputError, match="không đúng"):
        accounts.authenticate(sqlite_db, "lan", PASSWORD)


def test_audit_log_in_words_filtered_by_class_kind_and_person(qtbot: QtBot, demo_db: Database,
                                                              make_ctx: Callable[[Database], AppContext]) -> None:
    view = AdminView(make_ctx(demo_db))
    qtbot.addWidget(view)
    audit = view.audit
    audit.since.setDate(audit.since.date().addYears(-5))
    view.activate()
    qtbot.waitUntil(lambda: audit.model.rowCount() > 100 and audit.class_code.count() > 10, timeout=20_000)
    texts = [audit.model.index(r, 4).data() for r in range(audit.model.rowCount())]
    assert not any(t.startswith(("graduation.", "classes.")) for t in texts)
    assert {audit.model.index(r, 1).data() for r in range(audit.model.rowCount())} <= {
        "Quản trị (máy này)", "Chương trình (dữ liệu mẫu)"}
    audit.class_code.setCurrentIndex(audit.class_code.findData("A48"))
    qtbot.waitUntil(lambda: {audit.model.index(r, 3).data() for r in range(audit.model.rowCount())} == {"A48"},
                    timeout=20_000)
    audit.kind.setCurrentIndex(audit.kind.findData("classes"))
    qtbot.waitUntil(lambda: audit.model.rowCount() == 1, timeout=20_000)
    assert audit.model.index(0, 4).data().startswith("Mở lớp A48 (chương trình ")
    assert audit.model.index(0, 2).data() == "Lớp học, thời khóa biểu"
    audit.person.setCurrentIndex(audit.person.findData("demo"))
    qtbot.waitUntil(lambda: audit.model.rowCount() == 0, timeout=20_000)
