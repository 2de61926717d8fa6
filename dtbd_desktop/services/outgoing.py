"""The book of outgoing documents (sổ đăng ký văn bản đi): every decision, letter and report the
centre sends takes its number here, per year and kind ("12-QĐ/TCT"), when it is finalised.

* A document of the program (a class's graduation decision, an attendance letter, the annual
  report) is named by its `source`; numbering it again (a reprint) gives back the number it has:
  its number, date and what it froze (`content`) are printed on every copy.
* A number the office typed (a document numbered outside the program, in the paper book or
  before the program was used) is entered as typed; the next number the program gives is always
  above the highest in the book, so the two never collide.
* Numbers are gap-free: the next is the highest of the year and kind plus one, taken inside the
  caller's transaction under the numbering lock (PostgreSQL: an advisory lock after the audit
  log's, as the certificate numbering does), so two PCs never take one number and a failed print
  gives its number back. A line is never deleted: a number given by mistake is voided with its
  reason and stays in the book.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from dtbd_desktop.base import text as vtext
from dtbd_desktop.base.errors import ConflictError, InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import OutgoingDocument
from dtbd_desktop.printing.letterhead import Letterhead, issuer_symbol
from dtbd_desktop.rules.documents import (
    KINDS,
    TypedNumberError,
    format_symbol,
    kind_label,
    normalise_kind,
    parse_typed_number,
)
from dtbd_desktop.trust import audit, operations
from dtbd_desktop.trust.operations import operation

BOOK_LOCK = 0x44544244_02  # "DTBD" + 2: the advisory lock of the book of outgoing documents
MIN_REASON = 3
SUBJECT_LIMIT = 500


@dataclass(frozen=True)
class BookEntry:
    """One line of the book, as the screen, the command line and the printed book show it."""

    id: int
    year: int
    kind: str
    number: int
    symbol: str
    issued_on: dt.date
    subject: str
    recipients: str
    signer: str
    source: str | None
    typed: bool
    status: str
    void_reason: str
    created_by: str
    version: int
    content: dict[str, Any]

    @property
    def live(self) -> bool:
        return self.status == "issued"

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "kind": self.kind, "number": self.number, "symbol": self.symbol,
                "date": self.issued_on.isoformat(), "subject": self.subject, "recipients": self.recipients,
                "signer": self.signer, "source": self.source, "typed": self.typed, "status": self.status,
                "void_reason": self.void_reason or None}


def to_entry(doc: OutgoingDocument) -> BookEntry:
    return BookEntry(id=doc.id, year=doc.year, kind=doc.kind, number=doc.number, symbol=doc.symbol,
                     issued_on=doc.issued_on, subject=doc.subject, recipients=doc.recipients or "",
                     signer=doc.signer or "", source=doc.source, typed=bool(doc.typed), status=doc.status,
                     void_reason=doc.void_reason or "", created_by=doc.created_by or "", version=doc.version,
                     content=dict(doc.content or {}))


def lock_book(session: Session) -> None:
    """Serialise numbering across PCs for the rest of this transaction (PostgreSQL); the audit
    log's lock first, as everywhere, so that no two transactions take the locks in opposite orders."""
    audit.lock(session)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOOK_LOCK})


def check_kind(kind: str) -> str:
    found = normalise_kind(kind)
    if found is None:
        raise InputError(tr("documents", "Loại văn bản '{kind}' không có; chọn: {kinds}.").format(
            kind=kind, kinds=", ".join(KINDS)))
    return found


def next_number(session: Session, year: int, kind: str) -> int:
    """The number the next document of this year and kind takes (after the highest in the book)."""
    highest = session.scalar(select(func.max(OutgoingDocument.number)).where(
        OutgoingDocument.year == year, OutgoingDocument.kind == kind))
    return int(highest or 0) + 1


def find_live(session: Session, source: str) -> OutgoingDocument | None:
    """The live (not voided) document numbered for `source`, if any."""
    return session.scalar(select(OutgoingDocument).where(OutgoingDocument.source == source,
                                                         OutgoingDocument.status == "issued"))


def entry_for(session: Session, source: str) -> BookEntry | None:
    doc = find_live(session, source)
    return to_entry(doc) if doc is not None else None


def _holder(session: Session, year: int, kind: str, number: int) -> OutgoingDocument | None:
    return session.scalar(select(OutgoingDocument).where(
        OutgoingDocument.year == year, OutgoingDocument.kind == kind, OutgoingDocument.number == number))


def _clean_subject(subject: str) -> str:
    value = " ".join(vtext.nfc(subject or "").split())
    if not value:
        raise InputError(tr("documents", "Chưa nhập trích yếu (văn bản về việc gì)."),
                         [Problem(tr("documents", "Chưa nhập trích yếu."), field="subject")])
    if len(value) > SUBJECT_LIMIT:
        raise InputError(tr("documents", "Trích yếu dài quá {n} ký tự.").format(n=SUBJECT_LIMIT),
                         [Problem(tr("documents", "Trích yếu quá dài."), field="subject")])
    return value


def take_number(session: Session, head: Letterhead, *, kind: str, on: dt.date, subject: str,
                source: str | None = None, typed: str | None = None, recipients: str | None = None,
                signer: str | None = None, content: dict[str, Any] | None = None) -> OutgoingDocument:
    """Enter a document in the book and return its line, inside the caller's operation.

    `typed` is a number the office typed ("45", "45-QĐ/TCT"); without it the document takes the
    next number. A `source` already numbered gives back its line unchanged (a reprint), unless a
    different number is typed: the old line is then voided ("thay bằng số ...") and the new one
    entered. Refused, with nothing entered, when a typed number is already in the book.
    """
    kind = check_kind(kind)
    subject = _clean_subject(subject)
    lock_book(session)
    wanted = None
    if typed is not None and str(typed).strip():
        try:
            wanted = parse_typed_number(str(typed))
        except TypedNumberError as exc:
            raise InputError(exc.message, [Problem(exc.message, field="number")]) from exc
    existing = find_live(session, source) if source else None
    if existing is not None and (wanted is None or (wanted.number, on.year, kind) == (
            existing.number, existing.year, existing.kind)):
        return existing
    number = wanted.number if wanted is not None else next_number(session, on.year, kind)
    holder = _holder(session, on.year, kind, number)
    if holder is not None:
        raise InputError(tr("documents", "Số {symbol} năm {year} đã có trong sổ văn bản đi ({subject}, ngày {date}"
                                         "{void}). Chọn số khác.").format(
            symbol=holder.symbol, year=on.year, subject=holder.subject, date=vtext.format_date(holder.issued_on),
            void=tr("documents", ", đã hủy") if holder.status == "void" else ""),
            [Problem(tr("documents", "Số đã dùng."), field="number")])
    symbol = (wanted.symbol if wanted is not None and wanted.symbol else
              format_symbol(number, kind, issuer_symbol(head), party=head.party))
    if existing is not None:
        void_line(session, existing, tr("documents", "Thay bằng số {symbol}").format(symbol=symbol))
    actor = session.info.get(audit.ACTOR_KEY)
    who = getattr(actor, "username", None)
    doc = OutgoingDocument(year=on.year, kind=kind, number=number, symbol=symbol, issued_on=on, subject=subject,
                           recipients=recipients, signer=signer, source=source, typed=wanted is not None,
                           status="issued", content=content, created_by=who)
    session.add(doc)
    session.flush()
    audit.record(session, action="outgoing.number", entity="outgoing_document", entity_id=f"{on.year}/{symbol}",
                 new={"symbol": symbol, "date": on.isoformat(), "subject": subject, "source": source,
                      "typed": wanted is not None})
    return doc


def void_line(session: Session, doc: OutgoingDocument, reason: str) -> None:
    doc.status = "void"
    doc.void_reason = reason
    session.flush()
    audit.record(session, action="outgoing.void", entity="outgoing_document", entity_id=f"{doc.year}/{doc.symbol}",
                 field="status", old="issued", new="void", reason=reason)


# ---------------------------------------------------------------------------------- operations


@operation("outgoing.register", permission="number_documents")
def register_document(session: Session, head: Letterhead, *, kind: str, on: dt.date, subject: str,
                      number: str | None = None, recipients: str | None = None,
                      signer: str | None = None) -> BookEntry:
    """Enter in the book a document the program does not print (a plan, an invitation...): the
    next number of its year and kind, or the number typed (a document numbered outside)."""
    doc = take_number(session, head, kind=kind, on=on, subject=subject, typed=number,
                      recipients=vtext.clean(recipients), signer=vtext.clean(signer))
    return to_entry(doc)


@operation("outgoing.number", permission="number_documents")
def number_document(session: Session, head: Letterhead, *, kind: str, on: dt.date, subject: str, source: str,
                    number: str | None = None, recipients: str | None = None, signer: str | None = None,
                    content: dict[str, Any] | None = None) -> BookEntry:
    """Number a document the program prints (a letter, the annual report), named by `source`: the
    number it already has (a reprint), else the next one (or the number typed). A document already
    numbered on another date is refused: its number and date stand until the number is voided."""
    before = find_live(session, source)
    doc = take_number(session, head, kind=kind, on=on, subject=subject, source=source, typed=number,
                      recipients=recipients, signer=signer, content=content)
    if doc is before and before is not None and before.issued_on != on:
        raise InputError(tr("documents", "{subject} đã vào sổ số {symbol} ngày {date}: in lại giữ số và ngày đó (chọn "
                                         "ngày {date}), hoặc hủy số {symbol} trong sổ văn bản đi rồi in lại.").format(
            subject=before.subject, symbol=before.symbol, date=vtext.format_date(before.issued_on)))
    return to_entry(doc)


@operation("outgoing.void", permission="number_documents")
def void(session: Session, year: int, kind: str, number: int, reason: str, *,
         expected_version: int | None = None) -> BookEntry:
    """Void a number (a document numbered by mistake, or to be numbered anew): its line stays in
    the book with the reason; the program's document it numbered takes a new number next time."""
    value = " ".join(vtext.nfc(reason or "").split())
    if len(value) < MIN_REASON:
        raise InputError(tr("documents", "Cần ghi lý do hủy số (ví dụ: lấy nhầm số, in lại ngày khác)."))
    kind = check_kind(kind)
    lock_book(session)
    doc = session.scalar(select(OutgoingDocument).where(
        OutgoingDocument.year == year, OutgoingDocument.kind == kind, OutgoingDocument.number == number)
        .with_for_update().execution_options(populate_existing=True))
    if doc is None:
        raise NotFoundError(tr("documents", "Sổ văn bản đi năm {year} không có số {number} loại {kind}.").format(
            year=year, number=number, kind=kind))
    if expected_version is not None and doc.version != expected_version:
        raise ConflictError(tr("documents", "Số {symbol} vừa được người khác thay đổi; hãy tải lại.").format(
            symbol=doc.symbol))
    if doc.status == "void":
        raise InputError(tr("documents", "Số {symbol} đã hủy trước đó ({reason}).").format(
            symbol=doc.symbol, reason=doc.void_reason or ""))
    void_line(session, doc, value)
    return to_entry(doc)


# ---------------------------------------------------------------------------------- reading


def list_book(session: Session, year: int, kind: str | None = None) -> list[BookEntry]:
    """The book of a year (one kind or all), by kind then number."""
    stmt = select(OutgoingDocument).where(OutgoingDocument.year == year)
    if kind:
        stmt = stmt.where(OutgoingDocument.kind == check_kind(kind))
    order = {k: i for i, k in enumerate(KINDS)}
    rows = [to_entry(d) for d in session.scalars(stmt)]
    return sorted(rows, key=lambda e: (order.get(e.kind, len(order)), e.kind, e.number))


def book_years(session: Session) -> list[int]:
    return sorted(set(session.scalars(select(OutgoingDocument.year))), reverse=True)


def gaps(entries: list[BookEntry]) -> dict[str, list[int]]:
    """Numbers missing before the highest of each kind (numbers given outside the program that
    were never entered): the book shows them, so that the office can enter them."""
    out: dict[str, list[int]] = {}
    by_kind: dict[str, set[int]] = {}
    for e in entries:
        by_kind.setdefault(e.kind, set()).add(e.number)
    for kind, numbers in by_kind.items():
        missing = [n for n in range(1, max(numbers)) if n not in numbers]
        if missing:
            out[kind] = missing
    return out


@dataclass(frozen=True)
class PrintFacts:
    """What a print dialog shows for a paper: its number and date if it has them, whether the
    person may take a number, who may sign."""

    existing: tuple[str, dt.date] | None
    may_number: bool
    head_title: str
    deputy_title: str


def print_facts(session: Session, source: str | None) -> PrintFacts:
    from dtbd_desktop.services.settings import load_letterhead

    head = load_letterhead(session)
    entry = entry_for(session, source) if source else None
    return PrintFacts(existing=(entry.symbol, entry.issued_on) if entry is not None else None,
                      may_number=may_number(session), head_title=head.director_title.strip(),
                      deputy_title=head.deputy_title.strip())


def may_number(session: Session) -> bool:
    """Whether the person logged in may take numbers (else they print drafts)."""
    try:
        return operations.may(session, "number_documents")
    except InputError:
        return False


__all__ = [
    "BookEntry", "PrintFacts", "book_years", "check_kind", "entry_for", "find_live", "gaps", "kind_label", "list_book",
    "lock_book", "may_number", "next_number", "number_document", "print_facts", "register_document", "take_number", "to_entry", "void", "void_line",
]
