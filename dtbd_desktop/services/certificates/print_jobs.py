"""Printing a class's documents: the values a layout prints for each document, the print job read
in one go, one PDF at 100% scale with the printer's calibration; each print adds one to the
document's print count (a reprint, never a new document).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Certificate, Enrolment, GraduationResult, Learner, TrainingClass
from dtbd_desktop.printing import layouts
from dtbd_desktop.printing.letterhead import NATIONAL_MOTTO, NATIONAL_NAME, PARTY_HEADING, Letterhead
from dtbd_desktop.services import document_wording as wording_service
from dtbd_desktop.services.certificates.layout_settings import calibration, layout_for_class
from dtbd_desktop.services.certificates.records import LIVE, Progress, clean_serial, kind_label, short_of
from dtbd_desktop.services.classes import get_class, mode_label
from dtbd_desktop.services.scores import class_rules
from dtbd_desktop.services.settings import load_letterhead, verify_page_link
from dtbd_desktop.trust import audit, signing
from dtbd_desktop.trust.operations import operation

DOCUMENT_TITLES = {"diploma": "BẰNG TỐT NGHIỆP", "certificate": "GIẤY CHỨNG NHẬN"}

# ---------------------------------------------------------------------------------- printing


def _heading(head: Letterhead) -> dict[str, str]:
    if head.party_heading:
        return {"heading_1": PARTY_HEADING, "heading_2": "", "party_heading": "1", "national_heading": ""}
    return {"heading_1": NATIONAL_NAME, "heading_2": NATIONAL_MOTTO, "party_heading": "", "national_heading": "1"}


@dataclass(frozen=True)
class ClassWording:
    """What every document of a class says alike: the programme's wording, the issuing school,
    the course and where it was held, the rule set's bands."""

    wording: wording_service.Wording
    issuer: str
    course: str
    course_period: str
    bands: list[str]


def class_wording(session: Session, cls: TrainingClass) -> ClassWording:
    words = wording_service.programme_wording(session, cls.programme)
    issuer = wording_service.issuing_name(session)
    course = wording_service.course_label(words.course_label, cls)
    period = tr("certificates", "từ ngày {start} đến ngày {end}").format(
        start=text.format_date(cls.start_date), end=text.format_date(cls.end_date))
    where = wording_service.venue_text(cls.venue, issuer)
    at = tr("certificates", "tại {venue}").format(venue=where) if where else ""
    if course:
        line = ", ".join(p for p in (course, tr("certificates", "học {period}").format(period=period), at) if p)
    else:
        line = " ".join(p for p in (tr("certificates", "Học tập {period}").format(period=period), at) if p)
    rules = class_rules(cls)
    return ClassWording(wording=words, issuer=issuer, course=course, course_period=line + ".",
                        bands=[str(b.get("name")) for b in rules.get("bands", []) if isinstance(b, dict)])


def document_values(cert: Certificate, head: Letterhead, *, programme_name: str,
                    cls: TrainingClass, result: GraduationResult | None,
                    organisation: str | None, position: str | None, link: str | None = None,
                    words: ClassWording | None = None) -> dict[str, str]:
    """Everything a layout may print for one document (frozen register values where they exist);
    `link`: the centre's verification page, which the QR code then links to."""
    issued = cert.issue_date
    short = short_of(cert)
    payload = signing.certificate_payload(cert)
    place_org = ", ".join(p for p in (position, organisation) if p)
    title = words.wording.course_title if words else programme_name
    return {
        "salutation": words.wording.salutation if words else "Ông (Bà)",
        "course_title": title, "course": words.course if words else "",
        "course_period": words.course_period if words else "",
        "issuing_name": words.issuer if words else head.centre_name,
        "issuer": f"{head.director_title} {head.centre_name}".strip(),
        "result_label": wording_service.result_label(cert.classification, words.bands if words else []),
        "superior_body": head.superior_body, "centre_name": head.centre_name, "place_name": head.place_name,
        "director_title": head.director_title, "director_name": head.director_name, **_heading(head),
        "document_title": DOCUMENT_TITLES.get(cert.register.kind, ""),
        "full_name": cert.full_name, "birth_date": cert.birth_date_text, "place_of_birth": cert.place_of_birth or "",
        "gender": text.gender_label(cert.gender) if cert.gender in text.GENDER_LABELS else "",
        "ethnicity": cert.ethnicity or "", "position": position or "", "organisation": organisation or "",
        "position_organisation": place_org, "programme_name": programme_name, "class_code": cls.code,
        "class_name": cls.name, "start_date": text.format_date(cls.start_date), "end_date": text.format_date(cls.end_date),
        "mode": mode_label(cls.mode), "venue": cls.venue or "", "at_venue": f", tại {cls.venue}" if cls.venue else "",
        "classification": cert.classification or "",
        "average": text.format_decimal(result.average, 1) if result is not None and result.average is not None else "",
        "decision_number": (result.decision_number or "") if result is not None else "",
        "issue_date": text.format_date(issued), "issue_day": f"{issued.day:02d}",
        "issue_month": f"{issued.month:02d}" if issued.month < 3 else str(issued.month),
        "issue_year": str(issued.year), "place_date": text.long_date(head.place_name, issued),
        "serial": cert.serial, "register_number": cert.register_number, "verification_code": short,
        "qr": signing.qr_text(payload, cert.verification_code, link) if short else "",
    }


@dataclass(frozen=True)
class PrintJob:
    """What a class's print needs, read in one go: pages are made from it without the database."""

    class_code: str
    layout: layouts.Layout
    documents: list[tuple[int, dict[str, str]]]  # (certificate id, values)

    def pages(self, cal: layouts.Calibration | None = None) -> list[layouts.Page]:
        cache: layouts.OpsCache = {}
        return [layouts.page_ops(self.layout, values, cal, cache) for _id, values in self.documents]

    @property
    def certificate_ids(self) -> list[int]:
        return [cid for cid, _v in self.documents]


def print_job(session: Session, class_code: str, serials: Sequence[str] | None = None) -> PrintJob:
    """The live documents of a class (or those of `serials`), in register order."""
    cls = get_class(session, class_code)
    stmt = (select(Certificate).join(Enrolment, Certificate.enrolment_id == Enrolment.id)
            .where(Enrolment.class_id == cls.id, Certificate.status == LIVE)
            .options(joinedload(Certificate.register),
                     joinedload(Certificate.enrolment).selectinload(Enrolment.organisation),
                     joinedload(Certificate.enrolment).selectinload(Enrolment.learner).selectinload(Learner.organisation))
            .order_by(Certificate.register_id, Certificate.sequence))
    if serials is not None:
        stmt = stmt.where(Certificate.serial.in_([clean_serial(s) for s in serials]))
    certs = list(session.scalars(stmt).unique())
    if not certs:
        raise InputError(tr("certificates", "Lớp {code} chưa có văn bằng nào đang có hiệu lực để in: cấp văn bằng "
                                            "trước (dtbd certificates issue {code}).").format(code=cls.code))
    results = {r.enrolment_id: r for r in session.scalars(select(GraduationResult).where(
        GraduationResult.enrolment_id.in_([c.enrolment_id for c in certs])))}
    head = load_letterhead(session)
    link = verify_page_link(session)
    programme_name = cls.programme.name
    words = class_wording(session, cls)
    documents = []
    for cert in certs:
        e = cert.enrolment
        org = e.organisation or e.learner.organisation
        documents.append((cert.id, document_values(
            cert, head, programme_name=programme_name, cls=cls, result=results.get(e.id),
            organisation=org.name if org is not None else None, position=e.position or e.learner.position,
            link=link, words=words)))
    return PrintJob(cls.code, layout_for_class(session, cls), documents)


@operation("certificates.record_prints", permission="issue_certificates")
def record_prints(session: Session, certificate_ids: Sequence[int]) -> int:
    """Count one more print of each document (the first is a print, the next ones reprints)."""
    count = 0
    for start in range(0, len(certificate_ids), 500):
        chunk = list(certificate_ids[start:start + 500])
        for cert in session.scalars(select(Certificate).where(Certificate.id.in_(chunk)).order_by(Certificate.id)):
            cert.print_count += 1
            audit.record(session, action="certificate.print" if cert.print_count == 1 else "certificate.reprint",
                         entity="certificate", entity_id=cert.serial, field="print_count",
                         old=cert.print_count - 1, new=cert.print_count)
            count += 1
    session.flush()
    return count


@dataclass(frozen=True)
class PrintResult:
    path: Path
    pages: int


@operation("certificates.print", permission="issue_certificates")
def print_class(session: Session, class_code: str, out: str | Path, *, printer: str | None = None,
                with_blank: bool = False, count: bool = True, serials: Sequence[str] | None = None,
                progress: Progress | None = None) -> PrintResult:
    """The class's documents, one per page, to one PDF at 100% scale with the printer's
    calibration; counts a (re)print of each unless `count` is false (a proof)."""
    from dtbd_desktop.printing import certificate_pdf

    job = print_job(session, class_code, serials)
    cal = calibration(session, printer)
    background = job.layout.background_path() if with_blank else None
    head = load_letterhead(session)
    pages = certificate_pdf.write_pdf(
        out, job.pages(cal), title=f"{kind_label(job.layout.document_kind)} – {job.class_code}",
        author=head.centre_name, background=background, progress=progress)
    if count and not with_blank:
        record_prints(session, job.certificate_ids)
    return PrintResult(Path(out), pages)
