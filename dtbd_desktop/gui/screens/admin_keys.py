"""Quản trị → Khóa ký văn bằng: the keys that sign documents, enrolled by an administrator."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column, RowTableModel, read_only_table
from dtbd_desktop.gui.widgets.common import MessageLabel, ask_reason
from dtbd_desktop.services import audit_log, signing_keys

KeyLine = tuple[signing_keys.KeyRow, bool, str]  # the key, whether verifying trusts it, who enrolled it


def _status(line: KeyLine) -> str:
    key, trusted, _who = line
    text = tr("admin_keys", "Đang dùng") if key.active else tr("admin_keys", "Thôi dùng")
    if not trusted:
        text += " — " + tr("admin_keys", "KHÔNG TIN CẬY (không có trong nhật ký)")
    return text


class KeysTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.model: RowTableModel[KeyLine] = RowTableModel([
            Column(tr("admin_keys", "Mã khóa"), lambda r: r[0].key_id),
            Column(tr("admin_keys", "Máy"), lambda r: (r[0].label or "") + (
                tr("admin_keys", " (máy này)") if r[0].this_pc else "")),
            Column(tr("admin_keys", "Người đăng ký"), lambda r: r[2]),
            Column(tr("admin_keys", "Tình trạng"), _status),
        ], self)
        self.table = read_only_table(self.model, "keys_table")
        explain = QLabel(tr(
            "admin_keys", "Chỉ máy có khóa đã được quản trị đăng ký mới cấp được văn bằng, và chỉ chữ ký bằng các khóa "
                          "này được coi là thật. Tệp khóa của máy này: {path}. Hãy chép tệp này vào USB cất trong tủ "
                          "của phòng đào tạo; không gửi qua thư điện tử.").format(path=signing_keys.key_file()))
        explain.setWordWrap(True)
        enrol = QPushButton(tr("admin_keys", "Đăng ký khóa của máy này..."))
        enrol.setObjectName("enrol_key")
        enrol.clicked.connect(self.enrol)
        retire = QPushButton(tr("admin_keys", "Thôi dùng khóa đã chọn..."))
        retire.clicked.connect(self.retire)
        self.message = MessageLabel("keys_message")
        buttons = QHBoxLayout()
        buttons.addWidget(enrol)
        buttons.addWidget(retire)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def reload(self) -> None:
        def fetch(session: Session) -> list[KeyLine]:
            trusted = set(signing_keys.trusted_keys(session))
            names = audit_log.Names(session)
            return [(k, k.public_key in trusted, audit_log.who_label(names, k.enrolled_by) if k.enrolled_by else "")
                    for k in signing_keys.list_keys(session)]

        def show(rows: list[KeyLine]) -> None:
            self.model.set_rows(rows)
            self.table.resizeColumnsToContents()

        self.ctx.read(fetch, show, self)

    def ask_text(self, title: str, label: str) -> str | None:
        """A line of text from the person (tests patch this)."""
        return ask_reason(self, title, label)

    def enrol(self) -> None:
        label = self.ask_text(tr("admin_keys", "Đăng ký khóa"), tr("admin_keys", "Ghi chú về máy này (ví dụ: máy phòng "
                                                                                 "đào tạo):"))
        if label is None:
            return

        def enrolled(row: signing_keys.KeyRow) -> None:
            self.message.say(tr("admin_keys", "Đã đăng ký khóa {id}: máy này cấp được văn bằng.").format(id=row.key_id))
            self.reload()

        self.ctx.write(lambda s: signing_keys.enrol_key(s, label), enrolled, self, on_failed=self.message.failed)

    def retire(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.say(tr("admin_keys", "Chọn một khóa trong bảng."), error=True)
            return
        key = self.model.row_at(rows[0].row())[0]
        reason = self.ask_text(tr("admin_keys", "Thôi dùng khóa"), tr("admin_keys", "Lý do:"))
        if not reason:
            return

        def retired(_result: object) -> None:
            self.message.say(tr("admin_keys", "Đã thôi dùng khóa {id}.").format(id=key.key_id))
            self.reload()

        self.ctx.write(lambda s: signing_keys.retire_key(s, key.key_id, reason), retired, self, on_failed=self.message.failed)
