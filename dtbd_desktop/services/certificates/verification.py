"""Verifying a document: genuine, revoked, replaced or unknown from a scanned QR code, a typed
short code or a serial, checked against the signature and the register, with no network (see
`trust.signing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Certificate
from dtbd_desktop.services import signing_keys
from dtbd_desktop.services.certificates.records import find_by_serial, find_by_short_code, replacement_serial
from dtbd_desktop.trust import signing

# ---------------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class Verification:
    valid: bool
    status: str  # issued | revoked | replaced | unknown
    full_name: str | None
    serial: str | None
    message: str
    birth_text: str | None = None
    issue_date: dt.date | None = None
    classification: str | None = None
    replaced_by: str | None = None
    source: str = ""  # "qr", "code" or "serial": what was checked
    signed: bool = True  # False: a line brought in from a past register (issued before the program)

    def as_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"valid": self.valid, "status": self.status, "full_name": self.full_name,
                               "serial": self.serial}
        if not self.signed:
            doc["signed"] = False
            doc["message"] = self.message
        return doc


def public_keys(session: Session) -> list[str]:
    """The keys a genuine document may be signed with: those an administrator enrolled."""
    return signing_keys.trusted_keys(session)


def _unknown(message: str, source: str = "") -> Verification:
    return Verification(False, "unknown", None, None, message, source=source)


def _past(cert: Certificate, source: str) -> Verification:
    """A line brought in from a past register: in the register, issued before the program, with
    no digital signature; its digest still matches what it said when imported."""
    if not signing.past_matches(cert):
        return _unknown(tr("certificates", "Dòng sổ gốc của số hiệu {serial} (nhập từ sổ gốc cũ) đã bị sửa ngoài chương "
                                           "trình. Không xác nhận được.").format(serial=cert.serial), source)
    replaced_by = replacement_serial(cert) if cert.status == "replaced" else None
    base = tr("certificates", "Có trong sổ gốc, cấp trước khi dùng chương trình, không có chữ ký số")
    if cert.status == "issued":
        message = tr("certificates", "{base}: đang có hiệu lực.").format(base=base)
    elif cert.status == "revoked":
        message = tr("certificates", "{base}; ĐÃ BỊ THU HỒI: {reason}").format(base=base, reason=cert.reason or "")
    else:
        message = tr("certificates", "{base}; ĐÃ ĐƯỢC CẤP LẠI bằng số hiệu {serial}, bản này không còn hiệu lực.").format(
            base=base, serial=replaced_by or "?")
    return Verification(cert.status == "issued", cert.status, cert.full_name, cert.serial, message,
                        birth_text=cert.birth_date_text, issue_date=cert.issue_date,
                        classification=cert.classification, replaced_by=replaced_by, source=source, signed=False)


def _from_register(cert: Certificate, keys: Sequence[str], source: str) -> Verification:
    if signing.is_past(cert.verification_code):
        return _past(cert, source)
    if not signing.verify_any(keys, signing.certificate_payload(cert), cert.verification_code):
        return _unknown(tr("certificates", "Dòng sổ gốc của số hiệu {serial} không khớp chữ ký: dữ liệu đã bị sửa "
                                           "ngoài chương trình. Không xác nhận được.").format(serial=cert.serial), source)
    replaced_by = replacement_serial(cert) if cert.status == "replaced" else None
    if cert.status == "issued":
        message = tr("certificates", "Văn bằng thật, đang có hiệu lực.")
    elif cert.status == "revoked":
        message = tr("certificates", "Văn bằng thật nhưng ĐÃ BỊ THU HỒI: {reason}").format(reason=cert.reason or "")
    else:
        message = tr("certificates", "Văn bằng thật nhưng ĐÃ ĐƯỢC CẤP LẠI bằng số hiệu {serial}; bản này không còn "
                                     "hiệu lực.").format(serial=replaced_by or "?")
    return Verification(cert.status == "issued", cert.status, cert.full_name, cert.serial, message,
                        birth_text=cert.birth_date_text, issue_date=cert.issue_date,
                        classification=cert.classification, replaced_by=replaced_by, source=source)


def verify(session: Session, code: str) -> Verification:
    """Check a scanned QR code, a typed short code or a serial against the signature and the register."""
    value = text.nfc(code or "").strip()
    if not value:
        return _unknown(tr("certificates", "Chưa nhập mã."))
    keys = public_keys(session)
    content = signing.parse_qr(value)
    if content is not None:
        if not signing.verify_qr(keys, content):
            return _unknown(tr("certificates", "Mã QR không có chữ ký hợp lệ của trung tâm: giả hoặc đã bị sửa."), "qr")
        parts = content.payload.split("|")
        serial, full_name = parts[0], parts[1] if len(parts) > 1 else ""
        for cert in find_by_short_code(session, content.short):
            if cert.serial == serial:
                if signing.certificate_payload(cert) != content.payload:
                    return _unknown(tr("certificates", "Mã QR có chữ ký thật nhưng khác dòng sổ gốc số hiệu {serial}.")
                                    .format(serial=serial), "qr")
                return _from_register(cert, keys, "qr")
        return Verification(False, "unknown", full_name, serial,
                            tr("certificates", "Mã QR mang chữ ký hợp lệ nhưng số hiệu {serial} không có trong sổ gốc: "
                                               "không xác nhận văn bằng này là thật (văn bằng thật luôn có dòng trong "
                                               "sổ gốc).").format(serial=serial), source="qr")
    short = signing.normalise_short_code(value)
    if short is not None:
        matches = find_by_short_code(session, short)
        if matches:
            return _from_register(matches[0], keys, "code")
    by_serial = find_by_serial(session, value)
    if by_serial is not None:
        return _from_register(by_serial, keys, "serial")
    return _unknown(tr("certificates", "Không có văn bằng nào mang mã hoặc số hiệu '{code}' trong sổ gốc.").format(
        code=value), "code" if short else "serial")
