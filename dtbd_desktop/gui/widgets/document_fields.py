"""The Settings screen's "Văn bản" tab: how official papers name the centre and who signs them
(the letterhead's name, the abbreviation in document numbers, the collective the head signs for,
the deputy who may sign "K/T", the archive line), and what they say beside the figures (the
centre's own legal basis, who proposes and carries out a decision, where papers go).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.services import settings

SINGLE = ("letterhead_name", "document_symbol", "signer_collective", "deputy_title", "deputy_name", "archive_line",
          "proposer")
MULTI = ("centre_basis", "executors", "decision_recipients", "letter_recipients", "report_recipients")
KEYS = SINGLE + MULTI


def _note(value: str) -> QLabel:
    label = QLabel(value)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


class DocumentFields(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        labels = settings.document_labels()
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        for key in SINGLE:
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setMaxLength(settings.TEXT_LIMIT)
            self.edits[key] = edit
        for key in MULTI:
            box = QPlainTextEdit()
            box.setObjectName(key)
            box.setFixedHeight(56)
            self.edits[key] = box
        self.edits["letterhead_name"].setPlaceholderText(tr("document_fields", "để trống: tên đơn vị bỏ phần địa "
                                                                             "danh đã có ở cơ quan chủ quản"))
        self.edits["document_symbol"].setPlaceholderText(tr("document_fields", "ví dụ TCT; để trống: chữ cái đầu"))
        self.edits["signer_collective"].setPlaceholderText(tr("document_fields", "ví dụ BAN GIÁM HIỆU; để trống: thủ "
                                                                               "trưởng ký"))
        self.edits["deputy_title"].setPlaceholderText(tr("document_fields", "ví dụ PHÓ HIỆU TRƯỞNG"))
        self.edits["archive_line"].setPlaceholderText(tr("document_fields", "để trống: Lưu VP. (Đảng), Lưu: VT. "
                                                                          "(Nhà nước)"))
        self.edits["proposer"].setPlaceholderText(tr("document_fields", "ví dụ Trưởng phòng Quản lý đào tạo"))

        names = QGroupBox(tr("document_fields", "Tên, ký hiệu và người ký"))
        names_form = QFormLayout(names)
        for key in ("letterhead_name", "document_symbol", "signer_collective", "deputy_title", "deputy_name",
                    "archive_line"):
            names_form.addRow(labels[key] + ":", self.edits[key])
        words = QGroupBox(tr("document_fields", "Nội dung quyết định, công văn, báo cáo"))
        words_form = QFormLayout(words)
        for key in ("centre_basis", "proposer", "executors", "decision_recipients", "letter_recipients",
                    "report_recipients"):
            words_form.addRow(labels[key] + ":", self.edits[key])
        words_form.addRow(_note(tr("document_fields", "Mỗi văn bản căn cứ, mỗi nơi nhận một dòng. Căn cứ của từng "
                                                      "chương trình (quy chế, hướng dẫn) ghi trong quy định của chương "
                                                      "trình: Chương trình → Quy định.")))
        layout = QVBoxLayout(self)
        layout.addWidget(names)
        layout.addWidget(words)
        layout.addStretch(1)

    def set_values(self, values: dict[str, Any]) -> None:
        for key, edit in self.edits.items():
            value = str(values.get(key) or "")
            if isinstance(edit, QLineEdit):
                edit.setText(value)
            else:
                edit.setPlainText(value)

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, edit in self.edits.items():
            if isinstance(edit, QLineEdit):
                out[key] = text.nfc(edit.text())
            else:
                out[key] = "\n".join(text.nfc(line) for line in edit.toPlainText().splitlines() if text.nfc(line))
        return out


__all__ = ["KEYS", "DocumentFields"]
