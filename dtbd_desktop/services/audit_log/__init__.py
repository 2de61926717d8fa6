"""The audit log in words: each entry as a sentence a training officer reads, in Vietnamese.

"Sửa điểm học phần I.1 của Nguyễn Văn A (lớp TC25.01): 7,4 → 2,0", with who (the account's
full name; the local administrator of a database without accounts as "Quản trị (máy này)"),
when, the kind of change and the class it concerns, so that the log can be filtered by date,
person, class and kind. The raw entry stays available (`AuditLine.raw`) for technical support.
The GUI's *Quản trị → Nhật ký thay đổi* and `dtbd audit list` both read it from here.

Every operation of `trust.operations.REGISTRY` has its sentence (`operations_words`), and so has
every detailed entry the operations record (`records_words`); anything else still reads as
Vietnamese ("Thay đổi khác ...").
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.base.text import fold, nfc
from dtbd_desktop.db.models import AuditEntry
from dtbd_desktop.services.audit_log.facts import Facts, decode
from dtbd_desktop.services.audit_log.names import Names as Names
from dtbd_desktop.services.audit_log.names import as_int
from dtbd_desktop.services.audit_log.operations_words import OPERATION_WORDS, operation_kind
from dtbd_desktop.services.audit_log.records_words import RECORD_WORDS
from dtbd_desktop.trust.accounts import LOCAL_ADMIN

KINDS: dict[str, str] = {
    "scores": tr_noop("audit_words", "Điểm học phần"),
    "attendance": tr_noop("audit_words", "Điểm danh, học bù"),
    "graduation": tr_noop("audit_words", "Xét tốt nghiệp, rèn luyện"),
    "certificates": tr_noop("audit_words", "Văn bằng, chứng chỉ"),
    "learners": tr_noop("audit_words", "Học viên, danh sách lớp"),
    "classes": tr_noop("audit_words", "Lớp học, thời khóa biểu"),
    "catalogue": tr_noop("audit_words", "Danh mục, kế hoạch"),
    "documents": tr_noop("audit_words", "Văn bản đi, báo cáo"),
    "accounts": tr_noop("audit_words", "Tài khoản người dùng"),
    "system": tr_noop("audit_words", "Cài đặt, sao lưu, hệ thống"),
    "other": tr_noop("audit_words", "Thay đổi khác"),
}
#: Who wrote the entries the program makes itself.
SYSTEM_NAMES = {"demo": tr_noop("audit_words", "Chương trình (dữ liệu mẫu)"),
                "nang-cap": tr_noop("audit_words", "Chương trình (nâng cấp dữ liệu)")}


def kind_label(kind: str) -> str:
    return tr("audit_words", KINDS.get(kind, KINDS["other"]))


@dataclass(frozen=True)
class AuditLine:
    """One entry as a person reads it."""

    id: int
    seq: int | None
    at: dt.datetime
    username: str | None
    who: str
    kind: str
    class_code: str | None
    text: str
    reason: str | None
    raw: dict[str, Any]

    @property
    def when(self) -> str:
        return self.at.strftime("%d/%m/%Y %H:%M")

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def sentence(self) -> str:
        """The whole sentence, with its reason: "... — lý do: ..."."""
        if self.reason:
            return tr("audit_words", "{text} — lý do: {reason}").format(text=self.text, reason=self.reason)
        return self.text

    def raw_json(self) -> str:
        return json.dumps(self.raw, ensure_ascii=False, indent=2)


def who_label(names: Names, username: str | None, entry_format: int | None = 2) -> str:
    """The account's full name; the local administrator (no accounts) as "Quản trị (máy này)"."""
    name = names.account(username)
    if name:
        return name
    if username in SYSTEM_NAMES:
        return tr("audit_words", SYSTEM_NAMES[username or ""])
    if username in (None, "", LOCAL_ADMIN) or (entry_format or 1) < 2:
        # The first build named the computer's user ("root") for the administrator before accounts
        # existed: that name stays in the raw entry only.
        return tr("audit_words", "Quản trị (máy này)")
    return str(username)


def _words(facts: Facts) -> tuple[str, str]:
    """(kind, text) of one entry."""
    if facts.entity == "operation" and facts.action in OPERATION_WORDS:
        return operation_kind(facts.action), OPERATION_WORDS[facts.action](facts)
    found = RECORD_WORDS.get((facts.action, facts.entity))
    if found is not None:
        return found[0], found[1](facts)
    if facts.action in OPERATION_WORDS:
        return operation_kind(facts.action), OPERATION_WORDS[facts.action](facts)
    return "other", tr("audit_words", "Thay đổi khác (mã việc {action}, đối tượng {entity} {id})").format(
        action=facts.action, entity=facts.entity, id=facts.entity_id or "").strip()


def raw_entry(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id, "seq": entry.seq, "at": entry.at.isoformat(sep=" ", timespec="seconds"),
        "username": entry.username, "action": entry.action, "entity": entry.entity, "entity_id": entry.entity_id,
        "field": entry.field, "old_value": decode(entry.old_value), "new_value": decode(entry.new_value),
        "reason": entry.reason, "state": decode(entry.state), "hash": entry.hash, "prev_hash": entry.prev_hash,
        "signed": bool(entry.signature),
    }


def describe(names: Names, entry: AuditEntry) -> AuditLine:
    """One entry in words."""
    facts = Facts(entry.action, entry.entity, entry.entity_id, entry.field, decode(entry.old_value),
                  decode(entry.new_value), entry.reason, names)
    try:
        kind, text = _words(facts)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):  # an entry of an unexpected shape
        kind, text = "other", tr("audit_words", "Thay đổi khác (mã việc {action}, đối tượng {entity} {id})").format(
            action=entry.action, entity=entry.entity, id=entry.entity_id or "").strip()
    return AuditLine(entry.id, entry.seq, entry.at, entry.username, who_label(names, entry.username, entry.format),
                     kind, facts.class_code, text, entry.reason, raw_entry(entry))


def _prefetch(names: Names, entries: list[AuditEntry]) -> None:
    enrolments: set[int] = set()
    sessions: set[int] = set()
    classes: set[int] = set()
    certificates: set[str] = set()
    learners: set[int] = set()
    for e in entries:
        head = (e.entity_id or "").replace(":", "/").split("/")[0]
        if e.entity in ("score", "graduation_result", "enrolment", "attendance") and (i := as_int(head)) is not None:
            enrolments.add(i)
        if e.entity == "attendance" and (i := as_int((e.entity_id or "").partition(":")[2])) is not None:
            sessions.add(i)
        elif e.entity in ("class", "score_lock") and (i := as_int(head)) is not None:
            classes.add(i)
        elif e.entity == "certificate" and e.entity_id:
            certificates.add(e.entity_id)
        elif e.entity == "learner" and (i := as_int(e.entity_id)) is not None:
            learners.add(i)
        elif e.entity == "operation" and e.new_value and e.new_value.startswith("{"):
            args = decode(e.new_value)
            if isinstance(args, dict):
                for key, bucket in (("enrolment_id", enrolments), ("session_id", sessions), ("class_id", classes),
                                    ("learner_id", learners)):
                    if (i := as_int(args.get(key))) is not None:
                        bucket.add(i)
    names.prefetch(enrolments=enrolments, sessions=sessions, classes=classes, certificates=certificates,
                   learners=learners)


def _actions_of(kind: str) -> list[str]:
    found = {name for name in OPERATION_WORDS if operation_kind(name) == kind}
    found |= {action for (action, _entity), (k, _w) in RECORD_WORDS.items() if k == kind}
    return sorted(found)


def _batches(session: Session, *, since: dt.date | None, until: dt.date | None, username: str | None,
             kind: str | None, scan: int) -> Iterator[list[AuditEntry]]:
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if since:
        stmt = stmt.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
    if until:
        stmt = stmt.where(AuditEntry.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
    if username:
        stmt = stmt.where(AuditEntry.username == username)
    if kind and kind != "other":
        stmt = stmt.where(AuditEntry.action.in_(_actions_of(kind)))
    last: int | None = None
    read = 0
    while read < scan:
        page = stmt if last is None else stmt.where(AuditEntry.id < last)
        rows = list(session.scalars(page.limit(min(500, scan - read))))
        if not rows:
            return
        read += len(rows)
        last = rows[-1].id
        yield rows


def search(session: Session, *, since: dt.date | None = None, until: dt.date | None = None,
           username: str | None = None, class_code: str | None = None, kind: str | None = None,
           text: str | None = None, limit: int = 500, scan: int = 20000) -> list[AuditLine]:
    """Entries newest first, in words. `text` is looked for, without diacritics or case, in the
    sentence, the person, the reason and the raw values; `class_code` keeps the entries about
    that class. At most `limit` lines, from the newest `scan` entries that pass the date, person
    and kind filters."""
    names = Names(session)
    wanted_class = fold(nfc(class_code)) if class_code else None
    needle = fold(nfc(text)) if text and text.strip() else None
    out: list[AuditLine] = []
    for rows in _batches(session, since=since, until=until, username=username, kind=kind, scan=scan):
        _prefetch(names, rows)
        for entry in rows:
            line = describe(names, entry)
            if kind and line.kind != kind:
                continue
            if wanted_class and fold(line.class_code or "") != wanted_class:
                continue
            if needle and needle not in fold(" ".join((line.sentence, line.who, line.username or "",
                                                        entry.action, entry.old_value or "",
                                                        entry.new_value or ""))):
                continue
            out.append(line)
            if len(out) >= limit:
                return out
    return out


def people(session: Session) -> list[tuple[str, str]]:
    """(username, how it reads) of everyone the log names, accounts first."""
    names = Names(session)
    seen = [u for u in session.scalars(select(AuditEntry.username).distinct()) if u]
    accounts = names.accounts()
    users = sorted(set(seen) | set(accounts), key=lambda u: (u not in accounts, fold(who_label(names, u))))
    return [(u, who_label(names, u)) for u in users]


def class_codes(session: Session) -> list[str]:
    """Every class code, newest first (for the class filter)."""
    from dtbd_desktop.db.models import TrainingClass

    return [str(c) for c in session.scalars(select(TrainingClass.code).order_by(TrainingClass.start_date.desc(),
                                                                              TrainingClass.code))]
