"""Papers issued from the register: a copy (bản sao từ sổ gốc), a confirmation of graduation
(giấy xác nhận), and the book of copies (sổ cấp bản sao) of a year, as PDF (and the book as XLSX).

A copy and a confirmation carry the centre's letterhead and signature block (`printing.official`)
and print the register line as it stands, never the learner's record as it is now.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import official, pdf
from dtbd_desktop.printing.letterhead import Letterhead, number_line, running_name
from dtbd_desktop.reports.tables import (
    Column,
    TableDoc,
    render_table_pdf,
    render_table_xlsx,
    write_pdf_or_xlsx,
)
from dtbd_desktop.services.certificate_copies import CONFIRMATION_KIND, CopyEntry, LineFacts
from dtbd_desktop.services.outgoing import BookEntry


def _decision(facts: LineFacts) -> str:
    if not facts.decision_number and facts.decision_date is None:
        return ""
    date = text.format_date(facts.decision_date) if facts.decision_date else ""
    return tr("copies", "số {number} ngày {date}").format(number=facts.decision_number or "...", date=date).strip()


def _facts_table(facts: LineFacts, width: float) -> Table:
    label = pdf.style("copy-label", size=13)
    value = pdf.style("copy-value", size=13, bold=True)
    rows = [
        (tr("copies", "Họ và tên"), facts.full_name),
        (tr("copies", "Ngày sinh"), facts.birth_text),
        (tr("copies", "Nơi sinh"), facts.place_of_birth),
        (tr("copies", "Giới tính"), facts.gender),
        (tr("copies", "Dân tộc"), facts.ethnicity),
        (tr("copies", "Khóa học"), f"{facts.class_code} ({facts.course})"),
        (tr("copies", "Hình thức đào tạo"), facts.mode),
        (tr("copies", "Xếp loại tốt nghiệp") if facts.kind == "diploma" else tr("copies", "Kết quả"),
         facts.classification),
        (tr("copies", "Quyết định công nhận"), _decision(facts)),
        (tr("copies", "Số hiệu"), facts.serial),
        (tr("copies", "Số vào sổ gốc cấp văn bằng"), facts.register_number),
        (tr("copies", "Ngày cấp"), text.format_date(facts.issue_date)),
    ]
    data = [[pdf.para(k + ":", label), pdf.para(v or "", value)] for k, v in rows if v]
    table = Table(data, colWidths=[width * 0.42, width * 0.58], hAlign="CENTER")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf.FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


def _signature(head: Letterhead, on: dt.date, width: float) -> Table:
    cell = official.signature_cell(official.official_signer(head), size=13,
                                   place_date=text.long_date(head.place_name, on))
    table = Table([["", cell]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf.FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def render_copy(entry: CopyEntry, head: Letterhead, path: str | os.PathLike[str]) -> int:
    """The copy from the register: "BẢN SAO", the document's title and the register line."""
    facts = entry.facts
    width = pdf.content_width(False)
    document = pdf.new_document(path, title=tr("copies", "Bản sao {serial}").format(serial=facts.serial),
                                author=head.centre_name)
    mark = pdf.style("copy-mark", size=15, bold=True, align=TA_RIGHT)
    note = pdf.style("copy-note", size=12, italic=True, align=TA_CENTER, space_before=6)
    story: list[Flowable] = [
        official.letterhead(head, width, number=tr("copies", "Số vào sổ cấp bản sao: {number}").format(
            number=entry.copy_number)),
        Spacer(1, 6), pdf.para(tr("copies", "BẢN SAO"), mark), Spacer(1, 6),
        official.title(facts.document_title, size=15, name="copy-title", space_after=4),
        official.title(running_name(head.centre_name), size=13, bold=False, name="copy-centre", space_after=10),
        official.title(tr("copies", "cấp cho"), size=13, bold=False, italic=True, name="copy-for", space_after=8),
        _facts_table(facts, width * 0.9),
        pdf.para(tr("copies", "Sao từ sổ gốc cấp văn bằng, chứng chỉ của {centre}.").format(
            centre=running_name(head.centre_name)), note),
    ]
    if facts.past:
        story.append(pdf.para(tr("copies", "Văn bằng cấp trước khi dùng chương trình, vào sổ gốc giấy; dòng sổ gốc đã được "
                                           "nhập lại, bản sao này không mang mã xác thực."), note))
    story.append(KeepTogether([Spacer(1, 10), _signature(head, entry.issued_on, width)]))
    return pdf.build(document, story, canvasmaker=official.OfficialCanvas)


def render_confirmation(entry: BookEntry, facts: LineFacts, head: Letterhead, path: str | os.PathLike[str]) -> int:
    """The confirmation of graduation, numbered in the book of outgoing documents."""
    width = pdf.content_width(False)
    document = pdf.new_document(path, title=tr("copies", "Giấy xác nhận tốt nghiệp {name}").format(
        name=facts.full_name), author=head.centre_name)
    body = official.body_style("confirm-body", size=14)
    centre = running_name(head.centre_name)
    doc_name = facts.document_title[:1] + facts.document_title[1:].lower()
    story: list[Flowable] = [
        official.letterhead(head, width, number=number_line(head, CONFIRMATION_KIND, None, entry.symbol),
                            date_line=text.long_date(head.place_name, entry.issued_on)),
        Spacer(1, 14),
        official.title(tr("copies", "GIẤY XÁC NHẬN"), size=15, name="confirm-kind"),
        official.title(tr("copies", "Về việc tốt nghiệp"), size=14, name="confirm-subject", space_after=10),
        pdf.para(tr("copies", "{centre} xác nhận:").format(centre=centre), body),
        _facts_table(facts, width * 0.9),
        pdf.para(tr("copies", "đã được {centre} cấp {document}, số hiệu {serial}, số vào sổ gốc {number}, ngày cấp "
                              "{date}; sổ gốc cấp văn bằng hiện lưu tại {centre}.").format(
            centre=centre, document=doc_name.lower(), serial=facts.serial, number=facts.register_number,
            date=text.format_date(facts.issue_date)), body),
        pdf.para(tr("copies", "Giấy xác nhận này có giá trị thay cho văn bằng trong thời gian chờ cấp bản sao hoặc cấp "
                              "lại."), body),
        KeepTogether([Spacer(1, 10), official.recipients_and_signature(
            head, [entry.recipients or tr("copies", "Người được xác nhận")], width)]),
    ]
    return pdf.build(document, story, canvasmaker=official.OfficialCanvas)


def book_document(entries: list[CopyEntry], head: Letterhead, year: int, on: dt.date) -> TableDoc:
    columns = [Column(tr("copies", "STT"), 28, 5, "center"),
               Column(tr("copies", "Số vào sổ cấp bản sao"), 70, 14, "center"),
               Column(tr("copies", "Họ và tên người được cấp văn bằng"), 0, 28),
               Column(tr("copies", "Ngày sinh"), 58, 11, "center"),
               Column(tr("copies", "Số hiệu văn bằng"), 72, 14, "center"),
               Column(tr("copies", "Số vào sổ gốc"), 62, 12, "center"),
               Column(tr("copies", "Ngày cấp bản sao"), 58, 11, "center"),
               Column(tr("copies", "Người yêu cầu"), 90, 20),
               Column(tr("copies", "Ký nhận"), 50, 10)]
    rows = [[str(n), e.copy_number, e.facts.full_name, e.facts.birth_text, e.facts.serial, e.facts.register_number,
             text.format_date(e.issued_on), e.requested_by, ""] for n, e in enumerate(entries, start=1)]
    summary = tr("copies", "Sổ ghi {n} bản sao.").format(n=len(rows)) if rows else \
        tr("copies", "Năm {year} chưa cấp bản sao nào.").format(year=year)
    return TableDoc(head=head, title=tr("copies", "SỔ CẤP BẢN SAO VĂN BẰNG, CHỨNG CHỈ TỪ SỔ GỐC"),
                    subtitle_lines=[tr("copies", "Năm {year}").format(year=year)], columns=columns, rows=rows,
                    summary=[summary], rules_heading="", rules_lines=[], legend=[], landscape=True, on=on,
                    signers=[official.official_signer(head)],
                    doc_title=tr("copies", "Sổ cấp bản sao năm {year}").format(year=year))


def export_book(entries: list[CopyEntry], head: Letterhead, year: int, path: str | os.PathLike[str], *,
                on: dt.date | None = None) -> int:
    doc = book_document(entries, head, year, on or dt.date.today())
    return write_pdf_or_xlsx(path, lambda p: render_table_pdf(doc, p),
                             lambda p: render_table_xlsx(doc, p, tr("copies", "Sổ cấp bản sao")))


def write_pdf(path: str | os.PathLike[str], render: Callable[[Path], int]) -> int:
    """A single PDF written whole (a temporary file renamed), refused unless the name ends in .pdf."""
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise InputError(tr("copies", "Tệp phải là .pdf (đang là '{name}').").format(name=target.name))
    with atomic_output(target) as temporary:
        return render(temporary)


__all__ = ["book_document", "export_book", "render_confirmation", "render_copy", "write_pdf"]
