"""The decision on graduation (or on completing a fostering course) with its attached list, as
PDF and XLSX, from `services.graduation_decision.load_decision`.

PDF: the decision on its own pages (letterhead with "Số 12-QĐ/TCT" and the place and date; "QUYẾT
ĐỊNH" and its trích yếu; who decides; the legal basis lines; Điều 1–3; "Nơi nhận" beside the
signature), then the attached list on its own pages ("Kèm theo Quyết định số ... ngày ..."): the
learners, their averages and classifications, and the count. The list carries no rules block and
no signature: the decision above it is what is signed. Page numbers: the bare number at the top
from each part's second page (Hướng dẫn 36-HD/VPTW, Nghị định 30/2020).

A decision not yet recorded prints as a draft: the number and the date left blank to be written
by hand. XLSX: the list (sheet 1) and the decision's text (sheet 2), ready to print or to edit.
"""

from __future__ import annotations

import datetime as dt
import os

from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import official, pdf
from dtbd_desktop.printing.letterhead import Letterhead, number_line
from dtbd_desktop.reports.tables import Column, TableDoc, pdf_table, write_pdf_or_xlsx, write_table_sheet
from dtbd_desktop.services.graduation_decision import Decision, class_phrase, load_decision, mode_label
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.workbooks import xlsx as xl

BODY = 14.0
BLANK = "\u00a0" * 6


def _average(value: object, decimals: int) -> str:
    from decimal import Decimal

    return text.format_decimal(value, decimals) if isinstance(value, Decimal) else ""


def place_date(head: Letterhead, date: dt.date | None, year: int) -> str:
    """"Long An, ngày 05 tháng 7 năm 2026", or with the day and month left blank (a draft)."""
    if date is not None:
        return text.long_date(head.place_name, date)
    body = tr("decision", "ngày {blank} tháng {blank} năm {year}").format(blank=BLANK, year=year)
    return f"{text.nfc(head.place_name)}, {body}" if head.place_name else body


def reference(decision: Decision, head: Letterhead) -> str:
    """"(Kèm theo Quyết định số 12-QĐ/TCT ngày 05 tháng 7 năm 2026 của Hiệu trưởng Trường Chính trị
    tỉnh Long An)"."""
    from dtbd_desktop.reports.attendance_reports.common import proper_name

    number = decision.number or number_line(head, "QĐ", None).split(" ", 1)[1].strip()
    when = text.long_date("", decision.date) if decision.date else \
        tr("decision", "ngày {blank} tháng {blank} năm {year}").format(blank=BLANK, year=decision.data.end.year)
    who = (head.collective or head.director_title).strip()
    of = tr("decision", " của {who} {centre}").format(who=who[:1].upper() + who[1:].lower(),
                                                      centre=proper_name(head.centre_name)) if who else ""
    return tr("decision", "(Kèm theo Quyết định số {number} {date}{of})").format(number=number, date=when, of=of)


def articles(decision: Decision) -> list[tuple[str, str]]:
    """(heading, text) of Điều 1, 2, 3."""
    data = decision.data
    klass = class_phrase(data.class_code, data.class_name)
    n = len(decision.results)
    period = tr("decision", "học từ ngày {start} đến ngày {end}").format(
        start=text.format_date(data.start), end=text.format_date(data.end))
    if decision.pass_fail:
        first = tr("decision", "Công nhận {n} học viên {klass} ({period}) hoàn thành chương trình bồi dưỡng, có tên "
                               "trong danh sách kèm theo.").format(n=n, klass=klass, period=period)
        second = tr("decision", "Học viên có tên tại Điều 1 được cấp giấy chứng nhận hoàn thành khóa bồi dưỡng.")
    else:
        first = tr("decision", "Công nhận tốt nghiệp cho {n} học viên {klass}, hệ {mode}, khóa học {years} ({period}), "
                               "có tên trong danh sách kèm theo.").format(
            n=n, klass=klass, mode=mode_label(decision.mode), years=decision.years, period=period)
        counts = decision.classification_counts()
        if counts:
            first += " " + tr("decision", "Xếp loại tốt nghiệp: {counts}.").format(
                counts=", ".join(f"{name} {count}" for name, count in counts))
        second = tr("decision", "Học viên có tên tại Điều 1 được cấp bằng tốt nghiệp {programme} theo quy định.").format(
            programme=data.programme_name[:1].lower() + data.programme_name[1:])
    executors = decision.content.executors.strip().rstrip(".,;")
    who = tr("decision", "{executors} và các học viên có tên tại Điều 1").format(executors=executors) if executors \
        else tr("decision", "Các bộ phận có liên quan và các học viên có tên tại Điều 1")
    third = tr("decision", "{who} chịu trách nhiệm thi hành Quyết định này. Quyết định có hiệu lực kể từ ngày ký.").format(
        who=who)
    return [(tr("decision", "Điều 1."), first), (tr("decision", "Điều 2."), second), (tr("decision", "Điều 3."), third)]


def basis_lines(decision: Decision, head: Letterhead) -> list[str]:
    """The "Căn cứ" lines as printed: "- Căn cứ ...;" (Party) or "Căn cứ ...;" (State), the last
    one ending with ","."""
    lines = [line.rstrip(" ;,.") for line in decision.content.basis if line.strip()]
    out = []
    for index, line in enumerate(lines):
        end = "," if index == len(lines) - 1 else ";"
        out.append(("- " if head.party else "") + line + end)
    return out


# ---------------------------------------------------------------------------------- the list


def list_document(decision: Decision, head: Letterhead, *, landscape: bool = False) -> TableDoc:
    data = decision.data
    decimals = int(data.rules.get("display_decimals", 1))
    columns = [Column(tr("reports", "STT"), 30, 5.5, "center"),
               Column(tr("reports", "Họ và đệm"), 88, 20),
               Column(tr("reports", "Tên"), 42, 8),
               Column(tr("reports", "Ngày sinh"), 60, 11.5, "center"),
               Column(tr("reports", "Đơn vị công tác"), 0, 30),
               Column(tr("reports", "Điểm TB"), 38, 8, "center"),
               Column(tr("reports", "Kết quả") if decision.pass_fail else tr("reports", "Xếp loại"), 62, 12, "center")]
    rows = []
    for n, r in enumerate(decision.results, start=1):
        line = r.learner
        rows.append([str(n), line.family_middle, line.given_name, line.birth_text, line.organisation or "",
                     _average(r.average, decimals), r.classification or ""])
    summary = tr("decision", "Danh sách có {n} học viên.").format(n=len(rows))
    counts = decision.classification_counts()
    if counts and not decision.pass_fail:
        summary = summary[:-1] + " (" + "; ".join(f"{name} {count}" for name, count in counts) + ")."
    title = tr("reports", "DANH SÁCH HỌC VIÊN ĐƯỢC CÔNG NHẬN HOÀN THÀNH KHÓA BỒI DƯỠNG") if decision.pass_fail else \
        tr("reports", "DANH SÁCH HỌC VIÊN ĐƯỢC CÔNG NHẬN TỐT NGHIỆP")
    name = data.class_name if data.class_code.casefold() in data.class_name.casefold() else \
        f"{data.class_name} ({data.class_code})"
    return TableDoc(
        head=head, title=title, subtitle_lines=[name], columns=columns, rows=rows, summary=[summary],
        rules_heading="", rules_lines=[], legend=[], landscape=landscape, on=decision.date or data.end, signers=[],
        doc_title=tr("reports", "Danh sách công nhận tốt nghiệp lớp {code}").format(code=data.class_code),
        split_name=True, reference=reference(decision, head))


# ---------------------------------------------------------------------------------- PDF


def decision_story(decision: Decision, head: Letterhead, width: float, *, draft_date: dt.date | None = None
                   ) -> list[Flowable]:
    """The decision's pages; a draft (no number yet) is dated `draft_date`, else left blank."""
    body = official.body_style("qd-body", size=BODY)
    basis_style = official.body_style("qd-basis", size=BODY, space_after=2)
    if not head.party:
        basis_style = official.body_style("qd-basis-state", size=BODY, space_after=2)
        basis_style.fontName = pdf.FONT_ITALIC
    number = number_line(head, "QĐ", None, decision.number) if decision.number else number_line(head, "QĐ", None)
    story: list[Flowable] = [
        official.PartStart(),
        official.letterhead(head, width, number=number,
                            date_line=place_date(head, decision.date or draft_date, decision.data.end.year)),
        Spacer(1, 14),
        official.title(tr("decision", "QUYẾT ĐỊNH"), size=15 if head.party else 14, name="qd-kind"),
        official.title(decision.subject[:1].lower() + decision.subject[1:], size=14, name="qd-subject"),
    ]
    if head.party:
        story.append(official.title("-----", size=14, bold=False, name="qd-dashes"))
    else:
        story.append(pdf.CentredRule(60, space_before=3, space_after=2))
    story += [Spacer(1, 8), official.title(decision.content.authority, size=14, name="qd-authority", space_after=6)]
    story += [pdf.para(line, basis_style) for line in basis_lines(decision, head)]
    story += [Spacer(1, 4), official.title(tr("decision", "QUYẾT ĐỊNH") + ("" if head.party else ":"), size=14,
                                           name="qd-decides", space_after=6)]
    for heading, value in articles(decision):
        story.append(Paragraph(f"<b>{pdf.markup(heading)}</b> {pdf.markup(value)}", body))
    signer = pdf.Signer("\n".join(decision.content.signer), decision.content.signer_name)
    story.append(KeepTogether([Spacer(1, 10), official.recipients_and_signature(
        head, [tr("decision", "Như Điều 3"), *decision.content.recipients], width, signer=signer)]))
    return story


def list_story(decision: Decision, head: Letterhead, width: float) -> list[Flowable]:
    doc = list_document(decision, head)
    info = pdf.style("qd-list-info", bold=True, align=TA_CENTER)
    ref = pdf.style("qd-list-ref", italic=True, align=TA_CENTER, space_after=2)
    story: list[Flowable] = [
        official.PartStart(), official.letterhead(head, width), Spacer(1, 10),
        official.title(doc.title, size=14, name="qd-list-title"),
        official.BalancedTitle(doc.reference or "", ref),
        *(pdf.para(line, info) for line in doc.subtitle_lines), Spacer(1, 6),
        pdf_table(doc, width),
    ]
    summary = pdf.style("qd-list-summary", align=TA_JUSTIFY, space_before=6)
    story += [pdf.para(line, summary) for line in doc.summary]
    return story


def render_decision_pdf(decision: Decision, head: Letterhead, path: str | os.PathLike[str], *,
                        draft_date: dt.date | None = None) -> int:
    width = pdf.content_width(False)
    document = pdf.new_document(path, title=tr("decision", "Quyết định {subject}").format(subject=decision.subject),
                                author=head.centre_name)
    story = [*decision_story(decision, head, width, draft_date=draft_date), PageBreak(),
             *list_story(decision, head, width)]
    return pdf.build(document, story, canvasmaker=official.OfficialCanvas)


# ---------------------------------------------------------------------------------- XLSX


def _decision_sheet(ws: Worksheet, decision: Decision, head: Letterhead, draft_date: dt.date | None) -> None:
    last = 8
    xl.set_column_widths(ws, [12.0] * last)
    number = number_line(head, "QĐ", None, decision.number) if decision.number else number_line(head, "QĐ", None)
    row = xl.write_letterhead(ws, head, row=1, left_cols=(1, 4), right_cols=(5, last), number=number)
    xl.merged_line(ws, row - 1, 5, last, place_date(head, decision.date or draft_date, decision.data.end.year),
                   cell_font=xl.font(14, italic=True))
    row += 1

    def line(value: str, *, bold: bool = False, italic: bool = False, centre: bool = False, size: float = 14,
             height: float | None = None) -> None:
        nonlocal row
        xl.merged_line(ws, row, 1, last, value, cell_font=xl.font(size, bold=bold, italic=italic),
                       horizontal="center" if centre else "justify",
                       height=height or 19 * max(1, len(value) // 95 + 1))
        row += 1

    line(tr("decision", "QUYẾT ĐỊNH"), bold=True, centre=True, size=15)
    line(decision.subject[:1].lower() + decision.subject[1:], bold=True, centre=True)
    line(decision.content.authority, bold=True, centre=True)
    for basis in basis_lines(decision, head):
        line(basis, italic=not head.party)
    line(tr("decision", "QUYẾT ĐỊNH") + ("" if head.party else ":"), bold=True, centre=True)
    for heading, value in articles(decision):
        line(f"{heading} {value}")
    row += 1
    start = row
    xl.write_recipients(ws, head, [tr("decision", "Như Điều 3"), *decision.content.recipients], row=row, cols=(1, 4))
    lines = decision.content.signer
    for offset, value in enumerate(lines):
        xl.merged_line(ws, start + offset, 5, last, value, cell_font=xl.font(14, bold=True))
    if decision.content.signer_name:
        xl.merged_line(ws, start + len(lines) + 4, 5, last, decision.content.signer_name,
                       cell_font=xl.font(14, bold=True))
    xl.page_setup(ws, landscape=False)


def render_decision_xlsx(decision: Decision, head: Letterhead, path: str | os.PathLike[str], *,
                         draft_date: dt.date | None = None) -> int:
    doc = list_document(decision, head)
    wb, ws = xl.new_workbook(tr("decision", "Danh sách"))
    xl.set_document_properties(wb, title=doc.doc_title, author=head.centre_name)
    rows = write_table_sheet(ws, doc)
    _decision_sheet(wb.create_sheet(tr("decision", "Quyết định")), decision, head, draft_date)
    xl.save_workbook(wb, path)
    return rows


def export_decision(session: Session, class_code: str, path: str | os.PathLike[str], *, on: dt.date | None = None,
                    deputy: bool = False) -> int:
    """The class's decision and its list to `path` (.pdf: pages; .xlsx: the list's rows). A recorded
    decision prints with its number and date (`on`, when given, must be that date); before it is
    recorded, a draft with the number and date blank (or dated `on`)."""
    decision = load_decision(session, class_code, deputy=deputy)
    if decision.date is not None and on is not None and on != decision.date:
        raise InputError(tr("decision", "Quyết định số {number} của lớp {code} ký ngày {date}: in lại giữ ngày đó "
                                        "(bỏ ngày ký, hoặc chọn đúng ngày {date}).").format(
            number=decision.number, code=decision.data.class_code, date=text.format_date(decision.date)))
    head = load_letterhead(session)
    draft = on if decision.date is None else None
    return write_pdf_or_xlsx(path, lambda p: render_decision_pdf(decision, head, p, draft_date=draft),
                             lambda p: render_decision_xlsx(decision, head, p, draft_date=draft))


__all__ = ["articles", "basis_lines", "export_decision", "list_document", "place_date", "reference",
           "render_decision_pdf", "render_decision_xlsx"]
