"""Result documents of a class, as PDF and as XLSX:

* the review list for the council (danh sách xét tốt nghiệp / xét hoàn thành khóa học): every
  learner with the average, the classification, eligible or not and why;
* the graduation decision with its attached list (`reports.decision_report`);
* the class score sheet (bảng điểm tổng hợp): learners × modules, landscape, header repeated;
* each learner's transcript (bảng điểm cá nhân), one per page (one sheet per learner in XLSX),
  with the corrections made to their scores.

Every document prints the rules it applied at its foot (pass mark, bands, downgrades, absence
limit, the regulation). Scores and averages use the decimal comma, averages with the rule set's
display decimals. The data are read once (`services.scores.load_class_scores`,
`services.graduation.load_review`) and drawn by the table renderer of `reports.tables`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.reports.tables import (
    SMALL_SIZE,
    TITLE_SIZE,
    Column,
    TableDoc,
    pdf_table,
    render_table_pdf,
    render_table_xlsx,
    write_pdf_or_xlsx,
    write_table_sheet,
)
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.rules.scores import ModuleResult
from dtbd_desktop.services.graduation import ClassReview, ReviewRow, StoredResult, load_review
from dtbd_desktop.services.scores import ClassScores, LearnerLine, Transcript, learner_transcript
from dtbd_desktop.services.scores import find_learner as _find_learner
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.workbooks import xlsx as xl

KINDS = ("review", "decision", "scores", "transcript")

# ----------------------------------------------------------------------------- shared words


def _average_text(value: Decimal | None, rules: Any) -> str:
    return text.format_decimal(value, int(rules.get("display_decimals", 1))) if value is not None else ""


def _class_lines(data: ClassScores) -> list[str]:
    """Class name (with its code), the programme, the dates."""
    name = data.class_name
    if data.class_code.casefold() not in name.casefold():
        name = tr("reports", "{name} (mã lớp {code})").format(name=name, code=data.class_code)
    out = [name]
    if text.fold(data.programme_name) not in text.fold(data.class_name):
        out.append(tr("reports", "Chương trình: {programme}").format(programme=data.programme_name))
    out.append(tr("reports", "Thời gian học: từ ngày {start} đến ngày {end}").format(
        start=text.format_date(data.start), end=text.format_date(data.end)))
    return out


def _rules_heading(data: ClassScores) -> str:
    return tr("reports", "Quy định đã áp dụng ({name}):").format(name=data.rule_set_name)


def _rules_lines(data: ClassScores) -> list[str]:
    return [f"{n}. {line}" for n, line in enumerate(graduation_rules.rules_summary(data.rules, data.regulation), start=1)]


def _result_label(row: ReviewRow | StoredResult, pass_fail: bool) -> str:
    if pass_fail:
        return tr("reports", "Đạt") if row.eligible else tr("reports", "Không đạt")
    return tr("reports", "Đủ điều kiện") if row.eligible else tr("reports", "Không đủ điều kiện")


def _classification_text(row: ReviewRow, pass_fail: bool) -> str:
    if pass_fail:
        return row.outcome.essay_band or ""
    return row.classification or ""


def _counts_line(classifications: Sequence[str | None], bands: Sequence[str]) -> str:
    counts = Counter(c for c in classifications if c)
    order = [b for b in bands if counts.get(b)] + sorted(c for c in counts if c not in bands)
    return "; ".join(f"{name} {counts[name]}" for name in order)


def _review_summary(review: ClassReview) -> str:
    total = len(review.rows)
    eligible = review.eligible_rows
    bands = [b["name"] for b in review.rules.get("bands", [])]
    if review.pass_fail:
        line = tr("reports", "Tổng số {n} học viên; đạt: {ok}; không đạt: {ko}.").format(
            n=total, ok=len(eligible), ko=total - len(eligible))
        counts = _counts_line([r.outcome.essay_band for r in eligible], bands)
        if counts:
            line += " " + tr("reports", "Xếp loại bài thu hoạch: {counts}.").format(counts=counts)
        return line
    line = tr("reports", "Tổng số {n} học viên; đủ điều kiện tốt nghiệp: {ok}; không đủ điều kiện: {ko}.").format(
        n=total, ok=len(eligible), ko=total - len(eligible))
    counts = _counts_line([r.classification for r in eligible], bands)
    if counts:
        line += " " + tr("reports", "Xếp loại: {counts}.").format(counts=counts)
    return line


def _signers(head: Letterhead) -> list[pdf.Signer]:
    from dtbd_desktop.printing.official import official_signer

    return [pdf.Signer(tr("reports", "Người lập biểu")), official_signer(head)]


# ----------------------------------------------------------------------------- the review list


def _name_columns(landscape: bool) -> list[Column]:
    return [Column(tr("reports", "STT"), 30, 5.5, "center"),
            Column(tr("reports", "Họ và đệm"), 100 if landscape else 88, 20),
            Column(tr("reports", "Tên"), 42, 8),
            Column(tr("reports", "Ngày sinh"), 60, 11.5, "center")]


def review_document(review: ClassReview, head: Letterhead, on: dt.date) -> TableDoc:
    data = review.data
    pass_fail = review.pass_fail
    columns = _name_columns(True) + [
        Column(tr("reports", "Đơn vị công tác"), 140, 30),
        Column(tr("reports", "Điểm TB"), 38, 8, "center"),
        Column(tr("reports", "Xếp loại bài thu hoạch") if pass_fail else tr("reports", "Xếp loại"),
               62, 12, "center"),
        Column(tr("reports", "Kết quả"), 72, 13, "center"),
        Column(tr("reports", "Lý do, ghi chú"), 0, 45),
    ]
    rows = []
    for number, row in enumerate(review.rows, start=1):
        line = row.learner
        note = "\n".join(f"- {r}" for r in row.reasons) if len(row.reasons) > 1 else "".join(row.reasons)
        if row.eligible and row.outcome.downgrades:
            note = "\n".join(row.outcome.downgrades)
        rows.append([str(number), line.family_middle, line.given_name, line.birth_text, line.organisation or "",
                     _average_text(row.average, review.rules), _classification_text(row, pass_fail),
                     _result_label(row, pass_fail), note])
    title = tr("reports", "DANH SÁCH XÉT CÔNG NHẬN HOÀN THÀNH KHÓA BỒI DƯỠNG") if pass_fail else \
        tr("reports", "DANH SÁCH XÉT TỐT NGHIỆP")
    return TableDoc(
        head=head, title=title, subtitle_lines=_class_lines(data), columns=columns, rows=rows,
        summary=[_review_summary(review)], rules_heading=_rules_heading(data), rules_lines=_rules_lines(data),
        legend=[], landscape=True, on=on, signers=_signers(head),
        doc_title=tr("reports", "Danh sách xét tốt nghiệp lớp {code}").format(code=data.class_code), split_name=True)


# ----------------------------------------------------------------------------- the class score sheet


def _module_cell(result: ModuleResult) -> str:
    if result.counted is None:
        return "" if result.status == "missing" else "…"
    mark = "*" if result.retaken else ""
    return score_rules.score_text(result.counted) + mark


def scores_document(review: ClassReview, head: Letterhead, on: dt.date) -> TableDoc:
    data = review.data
    modules = list(data.modules)
    n = len(modules)
    module_width = max(22.0, min(40.0, (743 - 30 - 125 - 34 - 68) / max(n, 1)))
    group = tr("reports", "Điểm các học phần, môn thi")
    columns = [Column(tr("reports", "STT"), 30, 5, "center"),
               Column(tr("reports", "Họ và tên"), 0, 24)]
    columns += [Column(m.code, module_width, 6.5, "center", group=group) for m in modules]
    columns += [Column(tr("reports", "Điểm TB"), 34, 7.5, "center"),
                Column(tr("reports", "Kết quả") if review.pass_fail else tr("reports", "Xếp loại"), 68, 12, "center")]
    rows = []
    for number, row in enumerate(review.rows, start=1):
        cells = [str(number), row.full_name] + [_module_cell(m) for m in row.modules]
        verdict = row.classification or "" if row.eligible else tr("reports", "Không đủ ĐK")
        if review.pass_fail:
            verdict = _result_label(row, True)
        cells += [_average_text(row.average, review.rules), verdict]
        rows.append(cells)
    legend = [tr("reports", "Học phần: {modules}.").format(modules="; ".join(
        f"{m.code}: {m.name} ({m.periods} tiết)" if m.periods else f"{m.code}: {m.name}" for m in modules))]
    counted = tr("reports", "lần cao nhất") if data.rules.get("attempt_counted") == "best" else \
        tr("reports", "lần sau cùng")
    legend.append(tr("reports", "(*) điểm sau thi lại, tính {counted}; (…) chưa đủ điểm thành phần; ô trống: chưa có "
                                "điểm.").format(counted=counted))
    return TableDoc(
        head=head, title=tr("reports", "BẢNG ĐIỂM TỔNG HỢP"), subtitle_lines=_class_lines(data), columns=columns,
        rows=rows, summary=[_review_summary(review)], rules_heading=_rules_heading(data),
        rules_lines=_rules_lines(data), legend=legend, landscape=True, on=on, signers=_signers(head),
        doc_title=tr("reports", "Bảng điểm tổng hợp lớp {code}").format(code=data.class_code))


# ----------------------------------------------------------------------------- transcripts


@dataclass(frozen=True)
class TranscriptDoc:
    transcript: Transcript
    row: ReviewRow | None

    @property
    def learner(self) -> LearnerLine:
        return self.transcript.learner


def _info_pairs(t: TranscriptDoc) -> list[tuple[str, str]]:
    """(label, value) of the learner and the class; the first four go two by two on the PDF."""
    line, data = t.learner, t.transcript.data
    role = ", ".join(p for p in (line.position, line.organisation) if p)
    class_name = data.class_name if data.class_code.casefold() in data.class_name.casefold() else \
        f"{data.class_name} ({data.class_code})"
    pairs = [
        (tr("reports", "Họ và tên"), line.full_name),
        (tr("reports", "Ngày sinh"), line.birth_text),
        (tr("reports", "Số CCCD"), line.national_id or ""),
        (tr("reports", "Nơi sinh"), line.place_of_birth or ""),
        (tr("reports", "Chức vụ, đơn vị"), role),
        (tr("reports", "Lớp"), tr("reports", "{name}, học từ {start} đến {end}").format(
            name=class_name, start=text.format_date(data.start), end=text.format_date(data.end))),
    ]
    if text.fold(data.programme_name) not in text.fold(data.class_name):
        pairs.append((tr("reports", "Chương trình"), data.programme_name))
    return pairs


def _transcript_rows(t: TranscriptDoc) -> tuple[list[str], list[list[str]], int]:
    """Headings, rows and the number of attempt columns of a transcript's table."""
    attempts = max([1, *(m.latest_attempt for m in t.transcript.modules)])
    heads = [tr("reports", "STT"), tr("reports", "Học phần, môn thi"), tr("reports", "Số tiết")]
    heads += [tr("reports", "Lần 1")] + [tr("reports", "Thi lại {n}").format(n=a - 1) for a in range(2, attempts + 1)]
    heads += [tr("reports", "Điểm tính"), tr("reports", "Kết quả")]
    barred = set(t.row.barred_modules) if t.row is not None else set()
    rows = []
    data = t.transcript.data
    for number, (module, result) in enumerate(zip(data.modules, t.transcript.modules, strict=True), start=1):
        values = [str(number), f"{module.code}. {module.name}", str(module.periods) if module.periods else ""]
        for a in range(1, attempts + 1):
            found = result.attempt(a)
            values.append(score_rules.score_text(found.score) if found and found.score is not None else
                          ("…" if found else ""))
        verdict = score_rules.status_label(result.status) if result.status != "missing" else ""
        if module.code in barred:
            verdict = tr("reports", "Chưa được dự thi")
        values += [score_rules.score_text(result.counted), verdict]
        rows.append(values)
    return heads, rows, attempts


def _transcript_result_lines(t: TranscriptDoc) -> list[str]:
    line = t.learner
    rules = t.transcript.data.rules
    out = []
    if t.row is not None:
        outcome = t.row.outcome
        average = _average_text(outcome.average, rules)
        reasons = "; ".join(r[:1].lower() + r[1:] for r in outcome.reasons)
        if rules.get("outcome") == "pass_fail":
            result = tr("reports", "Kết quả: {result}").format(result=outcome.classification or "")
            if outcome.essay_score is not None:
                result += "; " + tr("reports", "điểm bài thu hoạch: {score}").format(
                    score=score_rules.score_text(outcome.essay_score))
            if outcome.essay_band:
                result += "; " + tr("reports", "xếp loại: {band}").format(band=outcome.essay_band)
            out.append(result + (f" — {reasons}." if reasons else "."))
        elif outcome.eligible:
            out.append(tr("reports", "Điểm trung bình chung: {average}; xếp loại tốt nghiệp: {classification}.").format(
                average=average, classification=outcome.classification or ""))
            out += [f"{d}." for d in outcome.downgrades]
        else:
            head = tr("reports", "Điểm trung bình chung: {average}.").format(average=average) + " " if average else ""
            out.append(head + tr("reports", "Chưa đủ điều kiện tốt nghiệp: {reasons}.").format(reasons=reasons))
    conduct = tr("reports", "Kỷ luật: {d}. Rèn luyện: {r}.").format(
        d=graduation_rules.discipline_label(line.discipline), r=line.conduct or tr("reports", "chưa xếp loại"))
    if rules.get("requires_confirmation") or line.confirmation != "missing":
        conduct = tr("reports", "Nhận xét của cơ quan cử đi học: {c}.").format(
            c=graduation_rules.confirmation_label(line.confirmation)) + " " + conduct
    out.append(conduct)
    return out


def _corrections(t: TranscriptDoc) -> list[list[str]]:
    return [[e.at.strftime("%d/%m/%Y %H:%M"), e.username or "", e.what, f"{e.old or '—'} → {e.new or '—'}",
             e.reason or ""] for e in t.transcript.history if e.is_correction]


def _info_table(t: TranscriptDoc, width: float) -> Table:
    label = pdf.style("tr-info", size=11.5, leading=13.5)

    def pair(key: str, value: str) -> Paragraph:
        return Paragraph(f"{pdf.markup(key)}: <b>{pdf.markup(value)}</b>", label)

    pairs = _info_pairs(t)
    rows: list[list[Any]] = [[pair(*pairs[0]), pair(*pairs[1])], [pair(*pairs[2]), pair(*pairs[3])]]
    rows += [[pair(*p), ""] for p in pairs[4:] if p[1]]
    table = Table(rows, colWidths=[width * 0.58, width * 0.42], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf.FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               *(("SPAN", (0, r), (1, r)) for r in range(2, len(rows)))]))
    return table


def _transcript_story(t: TranscriptDoc, head: Letterhead, on: dt.date, width: float) -> list[Flowable]:
    data = t.transcript.data
    title_style = pdf.style("tr-title", size=TITLE_SIZE, bold=True, align=TA_CENTER, space_before=6,
                            space_after=4)
    body = pdf.style("tr-body", size=11, space_before=2, align=TA_JUSTIFY)
    small_head = pdf.style("tr-small-head", size=SMALL_SIZE, bold=True, space_before=4)
    story: list[Flowable] = [pdf.letterhead(head, width), pdf.para(tr("reports", "BẢNG ĐIỂM HỌC TẬP"), title_style),
                             _info_table(t, width), Spacer(1, 4)]
    heads, rows, attempts = _transcript_rows(t)
    columns = [Column(heads[0], 24, 5, "center"), Column(heads[1], 0, 45), Column(heads[2], 30, 7, "center")]
    columns += [Column(h, 36, 8, "center") for h in heads[3:3 + attempts]]
    columns += [Column(heads[-2], 38, 9, "center"), Column(heads[-1], 52, 12, "center")]
    table_doc = TableDoc(head=head, title="", subtitle_lines=[], columns=columns, rows=rows, summary=[],
                         rules_heading="", rules_lines=[], legend=[], landscape=False, on=on, signers=[],
                         doc_title="")
    story.append(pdf_table(table_doc, width, 9.5, compact=True))  # a transcript fits one page
    story += [pdf.para(line, body) for line in _transcript_result_lines(t)]
    corrections = _corrections(t)
    if corrections:
        story.append(pdf.para(tr("reports", "Các lần sửa điểm, nhận xét đã ghi nhận:"), small_head))
        fix_doc = TableDoc(head=head, title="", subtitle_lines=[], columns=[
            Column(tr("reports", "Thời điểm"), 78, 16, "center"), Column(tr("reports", "Người sửa"), 62, 12),
            Column(tr("reports", "Nội dung"), 80, 16), Column(tr("reports", "Cũ → mới"), 80, 14, "center"),
            Column(tr("reports", "Lý do"), 0, 30)], rows=corrections, summary=[], rules_heading="", rules_lines=[],
            legend=[], landscape=False, on=on, signers=[], doc_title="")
        story.append(pdf_table(fix_doc, width, SMALL_SIZE - 1))
    rules_style = pdf.style("tr-rules", size=7.5, align=TA_JUSTIFY, leading=9, space_before=3)
    story.append(KeepTogether([Paragraph(f"<b>{pdf.markup(_rules_heading(data))}</b> "
                                         + pdf.markup(" ".join(_rules_lines(data))), rules_style),
                               Spacer(1, 2),
                               pdf.signature_block(_signers(head), width,
                                                   place_date=text.long_date(head.place_name, on))]))
    return story


def render_transcripts_pdf(docs: Sequence[TranscriptDoc], head: Letterhead, on: dt.date,
                           path: str | os.PathLike[str], title: str) -> int:
    width = pdf.content_width(False)
    document = pdf.new_document(path, title=title, author=head.centre_name)
    story: list[Flowable] = []
    for index, t in enumerate(docs):
        if index:
            story.append(PageBreak())
        story += _transcript_story(t, head, on, width)
    return pdf.build(document, story)


def render_transcripts_xlsx(docs: Sequence[TranscriptDoc], head: Letterhead, on: dt.date,
                            path: str | os.PathLike[str], title: str) -> int:
    wb, first = xl.new_workbook("1")
    xl.set_document_properties(wb, title=title, author=head.centre_name)
    used: set[str] = set()
    for index, t in enumerate(docs):
        ws = first if index == 0 else wb.create_sheet()
        name = f"{index + 1}. {t.learner.full_name}"
        safe = "".join("-" if ch in "[]:*?/\\" else ch for ch in text.nfc(name))[:31]
        while safe in used:
            safe = safe[:28] + f"~{index}"
        used.add(safe)
        ws.title = safe
        heads, rows, attempts = _transcript_rows(t)
        columns = [Column(heads[0], 24, 5, "center"), Column(heads[1], 0, 48), Column(heads[2], 34, 8, "center")]
        columns += [Column(h, 40, 9, "center") for h in heads[3:3 + attempts]]
        columns += [Column(heads[-2], 44, 10, "center"), Column(heads[-1], 56, 16, "center")]
        info = [f"{k}: {v}" for k, v in _info_pairs(t)]
        summary = _transcript_result_lines(t)
        legend = [tr("reports", "Sửa {what} lúc {at} ({who}): {old} → {new}; lý do: {reason}").format(
            what=c[2], at=c[0], who=c[1], old=c[3].split(" → ")[0], new=c[3].split(" → ")[1], reason=c[4] or "—")
            for c in _corrections(t)]
        doc = TableDoc(head=head, title=tr("reports", "BẢNG ĐIỂM HỌC TẬP"), subtitle_lines=info, columns=columns,
                       rows=rows, summary=summary, rules_heading=_rules_heading(t.transcript.data),
                       rules_lines=_rules_lines(t.transcript.data), legend=legend, landscape=False, on=on,
                       signers=_signers(head), doc_title=title)
        write_table_sheet(ws, doc)
        for r in range(1, ws.max_row + 1):  # the info lines read better left-aligned
            cell = ws.cell(row=r, column=1)
            if isinstance(cell.value, str) and any(cell.value.startswith(k + ":") for k, _v in _info_pairs(t)):
                cell.alignment = xl.align("left", "center", wrap=True)
    xl.save_workbook(wb, path)
    return len(docs)



def export_review(session: Session, class_code: str, path: str | os.PathLike[str], *,
                  on: dt.date | None = None) -> int:
    """The review list for the council, as of now (nothing stored); pages (PDF) or rows (XLSX)."""
    review = load_review(session, class_code)
    doc = review_document(review, load_letterhead(session), on or dt.date.today())
    return write_pdf_or_xlsx(path, lambda p: render_table_pdf(doc, p),
                  lambda p: render_table_xlsx(doc, p, tr("reports", "Xét tốt nghiệp")))


def export_decision(session: Session, class_code: str, path: str | os.PathLike[str], *,
                    on: dt.date | None = None, deputy: bool = False) -> int:
    """The decision with its attached list (`reports.decision_report`): the recorded decision, else
    a draft; pages (PDF) or the list's rows (XLSX)."""
    from dtbd_desktop.reports.decision_report import export_decision as export

    return export(session, class_code, path, on=on, deputy=deputy)


def export_score_table(session: Session, class_code: str, path: str | os.PathLike[str], *,
                       on: dt.date | None = None) -> int:
    """The class score sheet (bảng điểm tổng hợp), learners × modules."""
    review = load_review(session, class_code)
    doc = scores_document(review, load_letterhead(session), on or dt.date.today())
    return write_pdf_or_xlsx(path, lambda p: render_table_pdf(doc, p),
                  lambda p: render_table_xlsx(doc, p, tr("reports", "Bảng điểm tổng hợp")))


def export_transcripts(session: Session, class_code: str, path: str | os.PathLike[str], *,
                       national_id: str | None = None, on: dt.date | None = None) -> int:
    """Transcripts of every learner of the class (or of one, by CCCD); pages (PDF) or sheets (XLSX)."""
    review = load_review(session, class_code)
    data = review.data
    by_enrolment = {r.enrolment_id: r for r in review.rows}
    lines = [_find_learner(data, national_id)] if national_id else list(data.learners)
    docs = [TranscriptDoc(learner_transcript(session, data.class_code, enrolment_id=line.enrolment_id, data=data),
                          by_enrolment.get(line.enrolment_id)) for line in lines]
    head = load_letterhead(session)
    when = on or dt.date.today()
    title = tr("reports", "Bảng điểm học tập lớp {code}").format(code=data.class_code)
    return write_pdf_or_xlsx(path, lambda p: render_transcripts_pdf(docs, head, when, p, title),
                  lambda p: render_transcripts_xlsx(docs, head, when, p, title))


def export_document(session: Session, class_code: str, kind: str, path: str | os.PathLike[str], *,
                    national_id: str | None = None, number: str | None = None, date: dt.date | None = None,
                    on: dt.date | None = None) -> int:
    """One of KINDS to `path` (.pdf or .xlsx); returns pages (PDF) or rows / sheets (XLSX)."""
    if kind == "review":
        return export_review(session, class_code, path, on=on)
    if kind == "decision":
        return export_decision(session, class_code, path, on=on)
    if kind == "scores":
        return export_score_table(session, class_code, path, on=on)
    if kind == "transcript":
        return export_transcripts(session, class_code, path, national_id=national_id, on=on)
    raise InputError(tr("reports", "Loại tài liệu '{kind}' không có; chọn: {kinds}.").format(
        kind=kind, kinds=", ".join(KINDS)))


__all__ = [
    "KINDS", "export_decision", "export_document", "export_review",
    "export_score_table", "export_transcripts", "review_document", "scores_document",
]

