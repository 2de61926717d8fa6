"""*Báo cáo → Nhận định, phương hướng...*: the office's assessment of the year and the tasks of
the next, printed as sections VIII and IX of the annual report. Opens with what was written, or
with the default made from the year's figures; saving an empty box goes back to the default.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.widgets.common import MessageLabel


class AnnualTextsDialog(QDialog):
    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.setWindowTitle(tr("annual_texts", "Nhận định, phương hướng của báo cáo năm {year}").format(year=year))
        self.resize(760, 560)
        self.note = QLabel()
        self.note.setObjectName("texts_note")
        self.note.setWordWrap(True)
        self.assessment = QPlainTextEdit()
        self.assessment.setObjectName("texts_assessment")
        self.next_year = QPlainTextEdit()
        self.next_year.setObjectName("texts_next_year")
        self.message = MessageLabel("texts_message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("annual_texts", "Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("annual_texts", "Đóng"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(QLabel(tr("annual_texts", "VIII. Đánh giá chung (mỗi đoạn một dòng):")))
        layout.addWidget(self.assessment, 1)
        layout.addWidget(QLabel(tr("annual_texts", "IX. Phương hướng, nhiệm vụ năm {year} (mỗi đoạn một dòng):").format(
            year=year + 1)))
        layout.addWidget(self.next_year, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setEnabled(False)
        ctx.read(self._load, self._fill, self, on_failed=self.message.failed)

    def _load(self, session: Any) -> Any:
        from dtbd_desktop.services import report_texts

        return report_texts.annual_texts(session, self.year)

    def _fill(self, texts: Any) -> None:
        self.assessment.setPlainText(texts.assessment)
        self.next_year.setPlainText(texts.next_year)
        self.note.setText(tr("annual_texts", "Đã ghi bởi {who}.").format(who=texts.updated_by or "—") if texts.written
                          else tr("annual_texts", "Chưa ghi: đây là nội dung gợi ý từ số liệu của năm, sửa rồi lưu."))
        self.setEnabled(True)

    def save(self) -> None:
        year, assessment, next_year = self.year, self.assessment.toPlainText(), self.next_year.toPlainText()

        def job(session: Any) -> Any:
            from dtbd_desktop.services import report_texts

            return report_texts.save_annual_texts(session, year, assessment=assessment, next_year=next_year)

        self.setEnabled(False)
        self.ctx.write(job, lambda _texts: self.accept(), self, on_failed=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        self.message.failed(exc)

    def launch(self) -> None:
        """Show the dialog (tests patch this to avoid a modal loop)."""
        self.open()


__all__ = ["AnnualTextsDialog"]
