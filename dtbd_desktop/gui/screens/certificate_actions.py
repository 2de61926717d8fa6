"""Revoke or reissue one certificate, from a class's tab or from the register: ask the reason
with what follows (no undo; its OK confirms), write through the core's operation, tell the
person what became of it.

The register line of a revoked or replaced certificate stays; a reissue takes a new number."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.widgets.common import ask_reason
from dtbd_desktop.services import certificates
from dtbd_desktop.services.certificates import CertificateRow

AskReason = Callable[[str, str], str | None]  # (title, question) -> the reason, None if cancelled


def revoke_certificate(parent: QWidget, ctx: AppContext, serial: str, after: Callable[[], None], *,
                       ask: AskReason | None = None, say: Callable[[str], None] | None = None) -> None:
    """Revoke `serial`; `after()` once it is done (reload what shows it), `say` the news (the
    screen's line of news; a box if it has none)."""
    reason = (ask or _asker(parent))(
        tr("certificate_actions", "Thu hồi văn bằng {serial}").format(serial=serial),
        tr("certificate_actions", "Văn bằng {serial} sẽ hết giá trị: tra cứu mã xác thực sẽ báo \u201cđã thu hồi\u201d; "
                                  "dòng sổ gốc vẫn giữ. Việc thu hồi không hoàn tác được.\n\nLý do thu hồi (ghi vào sổ "
                                  "gốc và nhật ký):").format(serial=serial))
    if reason is None:
        return

    def done(_result: object) -> None:
        after()
        (say or _reporter(parent))(tr("certificate_actions", "Đã thu hồi văn bằng {serial}; dòng sổ gốc vẫn giữ.")
                                   .format(serial=serial))

    ctx.write(lambda s: certificates.revoke(s, serial, reason), done, parent)


def reissue_certificate(parent: QWidget, ctx: AppContext, serial: str, after: Callable[[], None], *,
                        ask: AskReason | None = None, say: Callable[[str], None] | None = None) -> None:
    """Revoke `serial` and issue its replacement under a new number; `after()` once it is done."""
    reason = (ask or _asker(parent))(
        tr("certificate_actions", "Cấp lại văn bằng {serial}").format(serial=serial),
        tr("certificate_actions", "Văn bằng {serial} sẽ hết giá trị và được thay bằng văn bằng mới với số hiệu, số vào "
                                  "sổ mới (dòng phụ lục sổ gốc nối hai số). Việc cấp lại không hoàn tác được.\n\nLý do "
                                  "cấp lại (ghi vào sổ gốc và nhật ký):").format(serial=serial))
    if reason is None:
        return

    def done(pair: tuple[CertificateRow, CertificateRow]) -> None:
        after()
        (say or _reporter(parent))(tr("certificate_actions", "Đã cấp lại: số hiệu mới {serial}, số vào sổ {number}.")
                                   .format(serial=pair[1].serial, number=pair[1].register_number))

    ctx.write(lambda s: certificates.reissue(s, serial, reason), done, parent)


def ask_certificate_reason(parent: QWidget, title: str, question: str | None = None) -> str | None:
    """The reason for revoking or reissuing (the register keeps it); the question says what follows,
    and its buttons what they do ("Thu hồi" / "Cấp lại", "Quay lại")."""
    if question is None:
        return ask_reason(parent, title, tr("certificate_actions", "Lý do:"))
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(question)
    revoking = title.startswith(tr("certificate_actions", "Thu hồi"))
    dialog.setOkButtonText(tr("certificate_actions", "Thu hồi") if revoking else tr("certificate_actions", "Cấp lại"))
    dialog.setCancelButtonText(tr("certificate_actions", "Quay lại"))
    if dialog.exec() != QInputDialog.DialogCode.Accepted:
        return None
    return text.clean(dialog.textValue()) or ""


def _asker(parent: QWidget) -> AskReason:
    return lambda title, question: ask_certificate_reason(parent, title, question)


def _reporter(parent: QWidget) -> Callable[[str], None]:
    def report(message: str) -> None:
        QMessageBox.information(parent, tr("certificate_actions", "Văn bằng, chứng chỉ"), message)

    return report
