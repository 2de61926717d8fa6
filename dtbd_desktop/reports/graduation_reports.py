"""Result documents of a class, as PDF and as XLSX:

* the review list for the council (danh sách xét tốt nghiệp / xét hoàn thành khóa học): every
  learner with the average, the classification, eligible or not and why;
* the graduation decision with its attached list (`reports.decision_report`);
* the class score sheet (bảng điểm tổng hợp): learners × modules, landscape, header repeated;
* each learner's transcript (bảng điểm cá nhân): drawn by `reports.transcripts`, exported here.

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
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.reports import transcripts
from dtbd_desktop.reports.tables import (
    Column,
    TableDoc,
    render_table_pdf,
    render_table_xlsx,
    write_pdf_or_xlsx,
)
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.rules.graduation import FINAL_KINDS
from dtbd_desktop.rules.scores import ModuleResult
from dtbd_desktop.services.graduation import ClassReview, ReviewRow, StoredResult, load_review
from dtbd_desktop.services.scores import ClassScores, ModuleDef
from dtbd_desktop.services.settings import load_letterhead

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


def review_finals(data: ClassScores) -> list[ModuleDef]:
    """The graduation exams and the thesis of the class's programme, in its order."""
    return [m for m in data.modules if m.kind in FINAL_KINDS]


def review_document(review: ClassReview, head: Letterhead, on: dt.date) -> TableDoc:
    """The review list. Every score that decides a row is on it: for long training the module
    average and each graduation exam and thesis; for a short course the average, the bài thu
    hoạch's score and its band."""
    data = review.data
    pass_fail = review.pass_fail
    graded_essay = pass_fail and bool(review.rules.get("graded_essay"))
    finals = [] if pass_fail else review_finals(data)
    columns = _name_columns(True) + [Column(tr("reports", "Đơn vị công tác"), 114 if finals else 170 if pass_fail else 140, 30)]
    if finals:
        group = tr("reports", "Điểm thi tốt nghiệp, khóa luận")
        columns.append(Column(tr("reports", "Điểm TB học phần"), 40, 9, "center"))
        columns += [Column(m.code, 32, 7, "center", group=group) for m in finals]
    else:
        columns.append(Column(tr("reports", "Điểm TB"), 38, 8, "center"))
    if graded_essay:
        columns.append(Column(tr("reports", "Điểm bài thu hoạch"), 44, 10, "center"))
    columns += [
        Column(tr("reports", "Xếp loại bài thu hoạch") if pass_fail else tr("reports", "Xếp loại"), 62, 12, "center"),
        Column(tr("reports", "Kết quả"), 72, 13, "center"),
        Column(tr("reports", "Lý do, ghi chú"), 0, 45),
    ]
    final_index = [i for i, m in enumerate(data.modules) if m.kind in FINAL_KINDS]
    rows = []
    for number, row in enumerate(review.rows, start=1):
        line = row.learner
        note = "\n".join(f"- {r}" for r in row.reasons) if len(row.reasons) > 1 else "".join(row.reasons)
        if row.eligible and row.outcome.downgrades:
            note = "\n".join(row.outcome.downgrades)
        cells = [str(number), line.family_middle, line.given_name, line.birth_text, line.organisation or "",
                 _average_text(row.average, review.rules)]
        if finals:
            cells += [_module_cell(row.modules[i]) for i in final_index]
        if graded_essay:
            cells.append(score_rules.score_text(row.outcome.essay_score) if row.outcome.essay_score is not None else "")
        cells += [_classification_text(row, pass_fail), _result_label(row, pass_fail), note]
        rows.append(cells)
    legend = []
    if finals:
        legend.append(tr("reports", "{finals}. Học viên làm khóa luận được xét theo điểm khóa luận thay các môn thi tốt "
                                    "nghiệp; (*) điểm sau thi lại.").format(
            finals="; ".join(f"{m.code}: {m.name}" for m in finals)))
    title = tr("reports", "DANH SÁCH XÉT CÔNG NHẬN HOÀN THÀNH KHÓA BỒI DƯỠNG") if pass_fail else \
        tr("reports", "DANH SÁCH XÉT TỐT NGHIỆP")
    return TableDoc(
        head=head, title=title, subtitle_lines=_class_lines(data), columns=columns, rows=rows,
        summary=[_review_summary(review)], rules_heading=_rules_heading(data), rules_lines=_rules_lines(data),
        legend=legend, landscape=True, on=on, signers=_signers(head),
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
                       national_id: str | None = None, enrolment_id: int | None = None,
                       on: dt.date | None = None) -> int:
    """Transcripts of every learner of the class (or of one, by CCCD or enrolment), each numbered on
    its own; pages (PDF) or sheets (XLSX)."""
    data, docs = transcripts.transcript_docs(session, class_code, national_id=national_id, enrolment_id=enrolment_id)
    head = load_letterhead(session)
    when = on or dt.date.today()
    if len(docs) == 1:
        title = tr("reports", "Bảng điểm học tập của {name}").format(name=docs[0].learner.full_name)
    else:
        title = tr("reports", "Bảng điểm học tập lớp {code}").format(code=data.class_code)
    return write_pdf_or_xlsx(path, lambda p: transcripts.render_transcripts_pdf(docs, head, when, p, title),
                             lambda p: transcripts.render_transcripts_xlsx(docs, head, when, p, title))


def export_document(session: Session, class_code: str, kind: str, path: str | os.PathLike[str], *,
                    national_id: str | None = None, enrolment_id: int | None = None, number: str | None = None,
                    date: dt.date | None = None, on: dt.date | None = None) -> int:
    """One of KINDS to `path` (.pdf or .xlsx); returns pages (PDF) or rows / sheets (XLSX)."""
    if kind == "review":
        return export_review(session, class_code, path, on=on)
    if kind == "decision":
        return export_decision(session, class_code, path, on=on)
    if kind == "scores":
        return export_score_table(session, class_code, path, on=on)
    if kind == "transcript":
        return export_transcripts(session, class_code, path, national_id=national_id, enrolment_id=enrolment_id,
                                  on=on)
    raise InputError(tr("reports", "Loại tài liệu '{kind}' không có; chọn: {kinds}.").format(
        kind=kind, kinds=", ".join(KINDS)))


__all__ = [
    "KINDS", "export_decision", "export_document", "export_review",
    "export_score_table", "export_transcripts", "review_document", "scores_document",
]

