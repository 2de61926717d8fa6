"""Each learner's transcript (bảng điểm học tập), as PDF and as XLSX.

One transcript per learner, for one learner or for the whole class in one file:

* PDF: every transcript starts on a new page and is numbered within itself ("Trang 1/2" of that
  learner, not of the file). The signature block is never alone on a page: it goes with the result
  lines, the rules applied and at least the last rows of the table (`TailedTable`). A page after
  the first repeats the learner's name at its head, so a loose sheet still says whose it is.
* XLSX: one sheet per learner.

The table lists the programme's modules and only the final assessments the learner's path has: the
graduation exams, or the thesis that replaces them (`rules.graduation.required_finals`); a final
module with a score is always shown. Conduct (rèn luyện) is printed when it was recorded.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.reports.tables import SMALL_SIZE, TITLE_SIZE, Column, TableDoc, pdf_table, write_table_sheet
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.rules.graduation import FINAL_KINDS
from dtbd_desktop.services.graduation import ReviewRow, load_review
from dtbd_desktop.services.scores import ClassScores, LearnerLine, ModuleDef, Transcript, learner_transcript
from dtbd_desktop.services.scores import find_learner as _find_learner
from dtbd_desktop.workbooks import xlsx as xl

#: Table rows that always go with the result lines and the signature onto their page.
ROWS_KEPT_WITH_SIGNATURE = 3


@dataclass(frozen=True)
class TranscriptDoc:
    transcript: Transcript
    row: ReviewRow | None

    @property
    def learner(self) -> LearnerLine:
        return self.transcript.learner

    @property
    def data(self) -> ClassScores:
        return self.transcript.data


def class_title(data: ClassScores) -> str:
    """The class as a transcript names it after "Lớp:": its name without a leading "Lớp"."""
    name = text.nfc(data.class_name).strip()
    if text.fold(name).startswith("lop "):
        name = name[4:].strip()
        name = name[:1].upper() + name[1:]
    return name


def _rules_heading(data: ClassScores) -> str:
    return tr("reports", "Quy định đã áp dụng ({name}):").format(name=data.rule_set_name)


def _rules_lines(data: ClassScores) -> list[str]:
    return [f"{n}. {line}" for n, line in enumerate(graduation_rules.rules_summary(data.rules, data.regulation), start=1)]


def _signers(head: Letterhead) -> list[pdf.Signer]:
    return [pdf.Signer(tr("reports", "Người lập biểu")), pdf.Signer(head.director_title, head.director_name)]


def _info_pairs(t: TranscriptDoc) -> list[tuple[str, str]]:
    """(label, value) of the learner and the class; the first four go two by two on the PDF."""
    line, data = t.learner, t.data
    role = ", ".join(p for p in (line.position, line.organisation) if p)
    pairs = [
        (tr("reports", "Họ và tên"), line.full_name),
        (tr("reports", "Ngày sinh"), line.birth_text),
        (tr("reports", "Số CCCD"), line.national_id or ""),
        (tr("reports", "Nơi sinh"), line.place_of_birth or ""),
        (tr("reports", "Chức vụ, đơn vị"), role),
        (tr("reports", "Lớp"), tr("reports", "{name}, học từ {start} đến {end}").format(
            name=class_title(data), start=text.format_date(data.start), end=text.format_date(data.end))),
    ]
    if text.fold(data.programme_name) not in text.fold(data.class_name):
        pairs.append((tr("reports", "Chương trình"), data.programme_name))
    return pairs


def shown_modules(t: TranscriptDoc) -> list[int]:
    """Indexes of the modules the transcript lists: every ordinary module, and of the graduation
    exams and thesis those the learner's path counts (the thesis replaces the exams for a learner who
    wrote one) or that hold a score."""
    results = t.transcript.modules
    counted = {m.code for m in graduation_rules.required_finals(results, t.data.rules)}
    return [i for i, r in enumerate(results) if r.kind not in FINAL_KINDS or r.code in counted or r.attempts]


def transcript_rows(t: TranscriptDoc) -> tuple[list[str], list[list[str]], int]:
    """Headings, rows and the number of attempt columns of a transcript's table."""
    results = t.transcript.modules
    shown = shown_modules(t)
    attempts = max([1, *(results[i].latest_attempt for i in shown)])
    heads = [tr("reports", "STT"), tr("reports", "Học phần, môn thi"), tr("reports", "Số tiết")]
    heads += [tr("reports", "Lần 1")] + [tr("reports", "Thi lại {n}").format(n=a - 1) for a in range(2, attempts + 1)]
    heads += [tr("reports", "Điểm tính"), tr("reports", "Kết quả")]
    barred = set(t.row.barred_modules) if t.row is not None else set()
    rows = []
    modules: Sequence[ModuleDef] = t.data.modules
    for number, index in enumerate(shown, start=1):
        module, result = modules[index], results[index]
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


def _average_text(value: Any, rules: Any) -> str:
    return text.format_decimal(value, int(rules.get("display_decimals", 1))) if value is not None else ""


def result_lines(t: TranscriptDoc) -> list[str]:
    """The result under the table: average and classification (or Đạt and the essay), why not
    eligible, the sending organisation's confirmation, discipline, and conduct when recorded."""
    line = t.learner
    rules = t.data.rules
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
    conduct = tr("reports", "Kỷ luật: {d}.").format(d=graduation_rules.discipline_label(line.discipline))
    if line.conduct:
        conduct += " " + tr("reports", "Rèn luyện: {r}.").format(r=line.conduct)
    if rules.get("requires_confirmation") or line.confirmation != "missing":
        conduct = tr("reports", "Nhận xét của cơ quan cử đi học: {c}.").format(
            c=graduation_rules.confirmation_label(line.confirmation)) + " " + conduct
    out.append(conduct)
    return out


def _corrections(t: TranscriptDoc) -> list[list[str]]:
    return [[e.at.strftime("%d/%m/%Y %H:%M"), e.username or "", e.what, f"{e.old or '—'} → {e.new or '—'}",
             e.reason or ""] for e in t.transcript.history if e.is_correction]


def running_head(t: TranscriptDoc) -> str:
    """What heads a transcript's pages after its first."""
    return tr("reports", "Bảng điểm học tập của {name}, sinh {birth} (tiếp theo)").format(
        name=t.learner.full_name, birth=t.learner.birth_text)


# ----------------------------------------------------------------------------- PDF


class TailedTable(Flowable):
    """A table followed by a tail (the result lines, the rules, the signature) that is never left
    alone on a page: when the whole does not fit, the page breaks so that at least
    `ROWS_KEPT_WITH_SIGNATURE` rows go with the tail, the table's header repeated above them.

    Each row is measured once; each piece is drawn by `tables.pdf_table` over the rows it holds.
    """

    def __init__(self, doc: TableDoc, width: float, size: float, tail: Sequence[Flowable], page_height: float, *,
                 _state: tuple[list[float], float, int] | None = None) -> None:
        super().__init__()
        self.doc, self.table_width, self.size, self.tail = doc, width, size, list(tail)
        self.page_height = page_height
        if _state is None:
            probe = pdf_table(doc, width, size, compact=True)
            probe.wrap(width, 1e9)
            heights: list[float] = list(probe._rowHeights)  # type: ignore[attr-defined]  # measured by Table.wrap
            header_rows = len(heights) - len(doc.rows)
            _state = (heights[header_rows:], sum(heights[:header_rows]), 0)
        self.heights, self.header_height, self.start = _state
        self._deferred = False

    def _piece(self, start: int, end: int) -> Flowable:
        part = TableDoc(**{**self.doc.__dict__, "rows": self.doc.rows[start:end]})
        return pdf_table(part, self.table_width, self.size, compact=True)

    def _tail_height(self, width: float) -> float:
        total = 0.0
        for f in self.tail:
            _w, h = f.wrap(width, 1e9)
            total += h + f.getSpaceBefore() + f.getSpaceAfter()
        return total

    def _parts(self) -> list[Flowable]:
        return [self._piece(self.start, len(self.doc.rows)), *self.tail]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        rows = sum(self.heights[self.start:])
        return self.table_width, self.header_height + rows + self._tail_height(avail_width)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        rest = self.heights[self.start:]
        room = avail_height - self.header_height
        fit = 0
        while fit < len(rest) and rest[fit] <= room + 1e-6:
            room -= rest[fit]
            fit += 1
        if fit == len(rest) and room >= self._tail_height(avail_width):
            return self._parts()
        keep = min(ROWS_KEPT_WITH_SIGNATURE, len(rest))
        here = min(fit, len(rest) - keep)
        if here > 0:
            end = self.start + here
            return [self._piece(self.start, end),
                    TailedTable(self.doc, self.table_width, self.size, self.tail, self.page_height,
                                _state=(self.heights, self.header_height, end))]
        if self._deferred or avail_height >= self.page_height - 1:
            return self._parts()  # the tail with its rows is taller than a page: let it break where it must
        self._deferred = True
        return []  # on to the next page, where the last rows and the tail fit together

    def draw(self) -> None:
        y = self.wrap(self.table_width, 1e9)[1]
        for f in self._parts():
            _w, h = f.wrap(self.table_width, 1e9)
            y -= f.getSpaceBefore() + h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


class _TranscriptStart(Flowable):
    """Marks, on the canvas, the page where a transcript starts (for its own page numbers)."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if isinstance(self.canv, TranscriptCanvas):
            self.canv.transcript_starts.append((self.canv.getPageNumber(), self.index))


class TranscriptCanvas(pdf.NumberedCanvas):
    """Numbers each transcript's pages on their own ("Trang 1/2") and heads its later pages with
    the learner's name. `transcript_starts` is filled while the pages are laid out;
    `running_heads` holds each transcript's head line."""

    transcript_starts: list[tuple[int, int]] = []
    running_heads: list[str] = []

    def _draw_page_number(self, total: int) -> None:
        page: int = self._pageNumber  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        starts = sorted(self.transcript_starts)
        mine = [s for s in starts if s[0] <= page]
        if not mine:
            super()._draw_page_number(total)
            return
        first, index = mine[-1]
        later = [s[0] for s in starts if s[0] > first]
        count = (later[0] if later else total + 1) - first
        width, height = self._pagesize  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        self.saveState()
        self.setFont(pdf.FONT, self.PAGE_NUMBER_SIZE)
        self.drawCentredString(width / 2, 10 * mm, pdf.page_label(page - first + 1, count))
        if page > first and index < len(self.running_heads):
            self.setFont(pdf.FONT_ITALIC, 10.5)
            self.drawCentredString(width / 2, height - 13 * mm, pdf.nfc(self.running_heads[index]))
        self.restoreState()


def _info_table(t: TranscriptDoc, width: float) -> Table:
    label = pdf.style("tr-info", size=11.5, leading=13.5)

    def pair(key: str, value: str) -> Paragraph:
        return Paragraph(f"{pdf.markup(key)}: <b>{pdf.markup(value)}</b>", label)

    pairs = _info_pairs(t)
    rows: list[list[Any]] = [[pair(*pairs[0]), pair(*pairs[1])], [pair(*pairs[2]), pair(*pairs[3])]]
    rows += [[pair(*p), ""] for p in pairs[4:] if p[1]]
    table = Table(rows, colWidths=[width * 0.5, width * 0.5], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf.FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               *(("SPAN", (0, r), (1, r)) for r in range(2, len(rows)))]))
    return table


def _table_doc(head: Letterhead, on: dt.date, columns: list[Column], rows: list[list[str]]) -> TableDoc:
    return TableDoc(head=head, title="", subtitle_lines=[], columns=columns, rows=rows, summary=[], rules_heading="",
                    rules_lines=[], legend=[], landscape=False, on=on, signers=[], doc_title="")


def _transcript_story(t: TranscriptDoc, index: int, head: Letterhead, on: dt.date, width: float,
                      page_height: float) -> list[Flowable]:
    data = t.data
    title_style = pdf.style("tr-title", size=TITLE_SIZE, bold=True, align=TA_CENTER, space_before=6,
                            space_after=4)
    body = pdf.style("tr-body", size=11, space_before=2, align=TA_JUSTIFY)
    small_head = pdf.style("tr-small-head", size=SMALL_SIZE, bold=True, space_before=4)
    story: list[Flowable] = [_TranscriptStart(index), pdf.letterhead(head, width),
                             pdf.para(tr("reports", "BẢNG ĐIỂM HỌC TẬP"), title_style), _info_table(t, width),
                             Spacer(1, 4)]
    heads, rows, attempts = transcript_rows(t)
    columns = [Column(heads[0], 24, 5, "center"), Column(heads[1], 0, 45), Column(heads[2], 30, 7, "center")]
    columns += [Column(h, 36, 8, "center") for h in heads[3:3 + attempts]]
    columns += [Column(heads[-2], 38, 9, "center"), Column(heads[-1], 52, 12, "center")]
    tail: list[Flowable] = [pdf.para(line, body) for line in result_lines(t)]
    corrections = _corrections(t)
    if corrections:
        tail.append(pdf.para(tr("reports", "Các lần sửa điểm, nhận xét đã ghi nhận:"), small_head))
        tail.append(pdf_table(_table_doc(head, on, [
            Column(tr("reports", "Thời điểm"), 78, 16, "center"), Column(tr("reports", "Người sửa"), 62, 12),
            Column(tr("reports", "Nội dung"), 80, 16), Column(tr("reports", "Cũ → mới"), 80, 14, "center"),
            Column(tr("reports", "Lý do"), 0, 30)], corrections), width, SMALL_SIZE - 1))
    rules_style = pdf.style("tr-rules", size=7.5, align=TA_JUSTIFY, leading=9, space_before=3)
    tail += [Paragraph(f"<b>{pdf.markup(_rules_heading(data))}</b> " + pdf.markup(" ".join(_rules_lines(data))),
                       rules_style),
             Spacer(1, 2),
             pdf.signature_block(_signers(head), width, place_date=text.long_date(head.place_name, on))]
    story.append(TailedTable(_table_doc(head, on, columns, rows), width, 9.5, tail, page_height))
    return story


def render_transcripts_pdf(docs: Sequence[TranscriptDoc], head: Letterhead, on: dt.date,
                           path: str | os.PathLike[str], title: str) -> int:
    """The transcripts, each from a new page and numbered on its own; returns the file's pages."""
    width = pdf.content_width(False)
    document = pdf.new_document(path, title=title, author=head.centre_name)
    story: list[Flowable] = []
    for index, t in enumerate(docs):
        if index:
            story.append(PageBreak())
        story += _transcript_story(t, index, head, on, width, document.height)

    class _Canvas(TranscriptCanvas):
        transcript_starts: list[tuple[int, int]] = []
        running_heads = [running_head(t) for t in docs]

    pdf.register_fonts()
    document.build(story, canvasmaker=_Canvas)
    pages: int = document.page
    return pages


# ----------------------------------------------------------------------------- XLSX


def render_transcripts_xlsx(docs: Sequence[TranscriptDoc], head: Letterhead, on: dt.date,
                            path: str | os.PathLike[str], title: str) -> int:
    """One sheet per learner; returns the sheets."""
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
        heads, rows, attempts = transcript_rows(t)
        columns = [Column(heads[0], 24, 5, "center"), Column(heads[1], 0, 48), Column(heads[2], 34, 8, "center")]
        columns += [Column(h, 40, 9, "center") for h in heads[3:3 + attempts]]
        columns += [Column(heads[-2], 44, 10, "center"), Column(heads[-1], 56, 16, "center")]
        info = [f"{k}: {v}" for k, v in _info_pairs(t)]
        legend = [tr("reports", "Sửa {what} lúc {at} ({who}): {old} → {new}; lý do: {reason}").format(
            what=c[2], at=c[0], who=c[1], old=c[3].split(" → ")[0], new=c[3].split(" → ")[1], reason=c[4] or "—")
            for c in _corrections(t)]
        doc = TableDoc(head=head, title=tr("reports", "BẢNG ĐIỂM HỌC TẬP"), subtitle_lines=info, columns=columns,
                       rows=rows, summary=result_lines(t), rules_heading=_rules_heading(t.data),
                       rules_lines=_rules_lines(t.data), legend=legend, landscape=False, on=on,
                       signers=_signers(head), doc_title=title)
        write_table_sheet(ws, doc)
        for r in range(1, ws.max_row + 1):  # the info lines read better left-aligned
            cell = ws.cell(row=r, column=1)
            if isinstance(cell.value, str) and any(cell.value.startswith(k + ":") for k, _v in _info_pairs(t)):
                cell.alignment = xl.align("left", "center", wrap=True)
    xl.save_workbook(wb, path)
    return len(docs)


# ----------------------------------------------------------------------------- export


def transcript_docs(session: Session, class_code: str, *, national_id: str | None = None,
                    enrolment_id: int | None = None) -> tuple[ClassScores, list[TranscriptDoc]]:
    """The class and the transcripts to print: one learner (by CCCD or enrolment), else every
    learner of the class in roster order."""
    review = load_review(session, class_code)
    data = review.data
    by_enrolment = {r.enrolment_id: r for r in review.rows}
    if enrolment_id is not None:
        lines = [learner_transcript(session, data.class_code, enrolment_id=enrolment_id, data=data).learner]
    elif national_id:
        lines = [_find_learner(data, national_id)]
    else:
        lines = list(data.learners)
    return data, [TranscriptDoc(learner_transcript(session, data.class_code, enrolment_id=line.enrolment_id,
                                                   data=data), by_enrolment.get(line.enrolment_id))
                  for line in lines]


__all__ = [
    "ROWS_KEPT_WITH_SIGNATURE", "TailedTable", "TranscriptCanvas", "TranscriptDoc", "class_title",
    "render_transcripts_pdf", "render_transcripts_xlsx", "result_lines", "running_head", "shown_modules",
    "transcript_docs", "transcript_rows",
]
