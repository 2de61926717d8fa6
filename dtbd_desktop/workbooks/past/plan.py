"""Planning the import of past registers: what each sheet and row would become, and every problem.

Each sheet becomes a closed class of its programme (`--programme`, else the programme whose name
the title block gives, else the level it names: "TRUNG CẤP" is Trung cấp's diploma), its code
from the title block ("Lớp K74B.21", "Khóa 86") or the sheet's name, its dates from the title
("từ ngày ... đến ngày ...") or the decision's date, its decision's number and date from the
title block or a column. Each row becomes a register line kept as printed (serial, register
number, issue date, classification), an enrolment with its classification, and a learner:

* the same national ID is the same person (a stored record, or an earlier row of the file); a
  different name, birth date or gender under one ID refuses the row;
* without an ID to tell, the same name and birth date as a stored record or as an earlier row of
  another sheet is a *possible duplicate*: a new record is made and the pair is proposed, for a
  person to merge or dismiss on the review screen (merging two people silently is worse);
* a serial already in the register, or twice in the file, refuses the row (a file imported twice
  adds nothing).

Nothing here writes; `services.past_records.write` does, from this plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Certificate, Enrolment, Learner, Programme, Register, TrainingClass
from dtbd_desktop.services import certificates_numbering as numbering
from dtbd_desktop.workbooks.past.reading import PastLine, PastSheet, PastWorkbook, SheetProblem
from dtbd_desktop.workbooks.roster.cleaning import name_key
from dtbd_desktop.workbooks.roster.plan import chunks

GENERIC_SHEET = re.compile(r"^(sheet|trang tinh|trang|sh)\s*\d*$")


@dataclass
class PlannedLine:
    line: PastLine
    learner_id: int | None = None  # a stored record
    same_as: PlannedLine | None = None  # an earlier row of the file: the same person (same ID)
    duplicate_of: list[tuple[int | None, PlannedLine | None, str]] = field(default_factory=list)

    @property
    def new_person(self) -> bool:
        return self.learner_id is None and self.same_as is None


@dataclass
class PlannedClass:
    sheet: PastSheet
    code: str
    programme_id: int
    programme_code: str
    kind: str
    level: str
    start: dt.date
    end: dt.date
    mode: str
    decision_number: str | None
    decision_date: dt.date | None
    lines: list[PlannedLine] = field(default_factory=list)


@dataclass
class PastPlan:
    workbook: PastWorkbook
    classes: list[PlannedClass] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)

    @property
    def lines(self) -> list[PlannedLine]:
        return [line for cls in self.classes for line in cls.lines]


def _describe_stored(learner: Learner, classes: Sequence[str]) -> str:
    birth = text.format_date(learner.birth_date) if learner.birth_date else str(learner.birth_year)
    where = ", ".join(classes) or tr("past_import", "chưa học lớp nào")
    return tr("past_import", "{name}, sinh {birth}, lớp: {classes}").format(name=learner.full_name, birth=birth,
                                                                          classes=where)


def _describe_row(line: PastLine) -> str:
    return tr("past_import", "{name}, sinh {birth}, trang '{sheet}' dòng {row} của tệp này").format(
        name=line.person.full_name, birth=line.birth_printed, sheet=line.sheet, row=line.row)


def _same_birth(a_year: int | None, a_date: dt.date | None, b_year: int | None, b_date: dt.date | None) -> bool:
    return a_year == b_year and (a_date is None or b_date is None or a_date == b_date)


class _Planner:
    def __init__(self, session: Session, workbook: PastWorkbook, kind: str | None, programme: str | None) -> None:
        self.s = session
        self.workbook = workbook
        self.kind = kind
        self.plan = PastPlan(workbook)
        self.programmes = list(session.scalars(select(Programme).order_by(Programme.position, Programme.id)))
        self.forced: Programme | None = None
        if programme:
            self.forced = next((p for p in self.programmes if p.code.casefold() == programme.strip().casefold()), None)
            if self.forced is None:
                raise InputError(tr("past_import", "Không có chương trình mã '{code}': xem danh sách bằng dtbd "
                                                   "programmes list.").format(code=programme))
        self.codes = {c.casefold(): y for c, y in session.execute(select(TrainingClass.code, TrainingClass.year))}

    def problem(self, sheet: PastSheet, row: int | None, field_name: str | None, message: str) -> None:
        self.plan.problems.append(SheetProblem(sheet.name, row, sheet.column_label(field_name) if field_name else None,
                                               message))

    # -- the sheet -------------------------------------------------------------------------
    def _programme(self, sheet: PastSheet) -> Programme | None:
        if self.forced is not None:
            return self.forced
        facts = sheet.facts
        named = [p for p in self.programmes if len(text.fold(p.name)) > 8 and text.fold(p.name) in facts.folded]
        if named:
            return max(named, key=lambda p: len(p.name))
        kind = self.kind or facts.kind or "diploma"
        if facts.level:
            same = [p for p in self.programmes if p.level == facts.level and p.document_kind == kind]
            if same:
                return same[0]
        return None

    def _class_code(self, sheet: PastSheet, programme: Programme, year: int, index: int, taken: set[str]) -> str:
        code = sheet.facts.class_code or sheet.name.strip()
        if code.casefold() == sheet.name.strip().casefold():
            code = sheet.name.strip()  # a title typed in lower case (a legacy font of capitals, say)
        if GENERIC_SHEET.match(text.fold(code)):
            code = f"{programme.code}-{year}-{index}"
        code = code[:40]
        if code.casefold() in self.codes or code.casefold() in taken:
            code = f"{code[:35]}-{year}"
        return code

    def _sheet(self, sheet: PastSheet, index: int, taken: set[str]) -> PlannedClass | None:
        self.plan.problems += sheet.problems
        programme = self._programme(sheet)
        header = sheet.header_row
        if programme is None:
            self.problem(sheet, sheet.facts.decision_row or 1, None, tr(
                "past_import", "Không biết trang '{sheet}' là sổ của chương trình nào: dòng tiêu đề cần ghi bậc (sơ cấp, "
                               "trung cấp, cao cấp) hoặc tên chương trình; hoặc chọn chương trình khi nhập "
                               "(--programme).").format(sheet=sheet.name))
            return None
        if "serial" not in sheet.past_columns:
            self.problem(sheet, header, None, tr(
                "past_import", "Trang '{sheet}' không có cột 'Số hiệu' (số hiệu văn bằng): sổ gốc cần cột này; sửa tiêu "
                               "đề cột rồi nhập lại.").format(sheet=sheet.name))
            return None
        if not sheet.lines:
            self.problem(sheet, header, None, tr("past_import", "Trang '{sheet}' không có dòng học viên nào dưới dòng tiêu "
                                                                "đề.").format(sheet=sheet.name))
            return None
        kind = self.kind or sheet.facts.kind or programme.document_kind
        level = numbering.check_level(kind, programme.level if kind == "diploma" or programme.kind != "fostering"
                                      else "fostering")
        dates = [line.issue_date or line.decision_date for line in sheet.lines]
        decisions = [line.decision_date for line in sheet.lines if line.decision_date]
        end = sheet.facts.end or sheet.facts.decision_date or (min(decisions) if decisions else None) or \
            min((d for d in dates if d), default=None)
        if end is None:
            self.problem(sheet, header, None, tr(
                "past_import", "Trang '{sheet}' không ghi ngày cấp, ngày quyết định hay thời gian học: thêm cột 'Ngày "
                               "cấp' hoặc ghi quyết định (số, ngày) ở dòng tiêu đề.").format(sheet=sheet.name))
            return None
        start = min(sheet.facts.start or end, end)
        mode = sheet.facts.mode or _mode_of(next((ln.mode for ln in sheet.lines if ln.mode), None)) or "full-time"
        code = self._class_code(sheet, programme, start.year, index, taken)
        taken.add(code.casefold())
        return PlannedClass(sheet, code, programme.id, programme.code, kind, level, start, end, mode,
                            sheet.facts.decision_number, sheet.facts.decision_date)

    # -- the rows --------------------------------------------------------------------------
    def _lines(self, cls: PlannedClass) -> None:
        sheet = cls.sheet
        bad = {p.row for p in sheet.problems if p.row is not None}
        for line in sheet.lines:
            if line.row in bad:
                continue
            if not line.serial:
                self.problem(sheet, line.row, "serial", tr("past_import", "Thiếu số hiệu văn bằng: ghi số hiệu như trên "
                                                                          "sổ gốc giấy."))
                continue
            if line.issue_date is None and line.decision_date is None:
                self.problem(sheet, line.row, "issue_date" if "issue_date" in sheet.past_columns else None, tr(
                    "past_import", "Thiếu ngày cấp: ghi ngày cấp dạng dd/mm/yyyy."))
                continue
            cls.lines.append(PlannedLine(line))

    def _serials(self) -> None:
        seen: dict[tuple[str, str, int, str], PastLine] = {}
        numbers: dict[tuple[str, str, int, str], PastLine] = {}
        for cls in self.plan.classes:
            keep = []
            for planned in cls.lines:
                line = planned.line
                year = (line.issue_date or line.decision_date or cls.end).year
                assert line.serial is not None
                key = (cls.kind, cls.level, year, line.serial.casefold())
                number_key = (cls.kind, cls.level, year, (line.register_number or line.serial).casefold())
                if key in seen:
                    first = seen[key]
                    self.problem(cls.sheet, line.row, "serial", tr(
                        "past_import", "Số hiệu {serial} trùng với trang '{sheet}' dòng {row}: mỗi văn bằng một số hiệu; "
                                       "kiểm tra lại.").format(serial=line.serial, sheet=first.sheet, row=first.row))
                    continue
                if line.register_number and number_key in numbers:
                    first = numbers[number_key]
                    self.problem(cls.sheet, line.row, "register_number", tr(
                        "past_import", "Số vào sổ {number} trùng với trang '{sheet}' dòng {row}: kiểm tra lại.").format(
                            number=line.register_number, sheet=first.sheet, row=first.row))
                    continue
                seen[key], numbers[number_key] = line, line
                keep.append(planned)
            cls.lines = keep
        serials = sorted({p.line.serial for p in self.plan.lines if p.line.serial})
        stored: dict[str, tuple[str, int]] = {}
        for chunk in chunks(serials):
            for serial, name, year in self.s.execute(
                    select(Certificate.serial, Certificate.full_name, Register.year).join(Register)
                    .where(Certificate.serial.in_(chunk))):
                stored[serial] = (name, year)
        for cls in self.plan.classes:
            keep = []
            for planned in cls.lines:
                found = stored.get(planned.line.serial or "")
                if found is not None:
                    self.problem(cls.sheet, planned.line.row, "serial", tr(
                        "past_import", "Số hiệu {serial} đã có trong sổ gốc ({name}, năm {year}): trang này có thể đã "
                                       "được nhập; xóa dòng này hoặc kiểm tra lại số hiệu.").format(
                            serial=planned.line.serial, name=found[0], year=found[1]))
                    continue
                keep.append(planned)
            cls.lines = keep

    def _people(self) -> None:
        lines = self.plan.lines
        ids = sorted({p.line.person.national_id for p in lines if p.line.person.national_id})
        by_id: dict[str, Learner] = {}
        for chunk in chunks(ids):
            for learner in self.s.scalars(select(Learner).where(Learner.national_id.in_(chunk))):
                by_id[learner.national_id or ""] = learner
        keys = sorted({p.line.person.search_key for p in lines if p.line.person.given})
        by_name: dict[str, list[Learner]] = {}
        for chunk in chunks(keys):
            for learner in self.s.scalars(select(Learner).where(Learner.search_key.in_(chunk))):
                by_name.setdefault(learner.search_key, []).append(learner)
        classes: dict[int, list[str]] = {}
        known = [lr.id for lr in by_id.values()] + [lr.id for group in by_name.values() for lr in group]
        for id_chunk in chunks(sorted(set(known))):
            for learner_id, code in self.s.execute(select(Enrolment.learner_id, TrainingClass.code).join(TrainingClass)
                                                   .where(Enrolment.learner_id.in_(id_chunk))):
                classes.setdefault(learner_id, []).append(code)
        in_file: dict[str, PlannedLine] = {}
        new_by_name: dict[str, list[PlannedLine]] = {}
        for cls in self.plan.classes:
            keep = []
            in_class: set[str] = set()
            for planned in cls.lines:
                p = planned.line.person
                if p.national_id:
                    if p.national_id in in_class:
                        self.problem(cls.sheet, planned.line.row, "national_id", tr(
                            "past_import", "Số CCCD {id} đã có ở một dòng khác của trang này: một người chỉ ghi một "
                                           "lần trong một lớp.").format(id=p.national_id))
                        continue
                    stored = by_id.get(p.national_id)
                    earlier = in_file.get(p.national_id)
                    other = (stored.full_name, name_key(stored.sort_key), stored.birth_year, stored.birth_date,
                             stored.gender) if stored else (
                        (earlier.line.person.full_name, earlier.line.person.name_key, earlier.line.person.birth_year,
                         earlier.line.person.birth_date, earlier.line.person.gender) if earlier else None)
                    if other is not None and (other[1] != p.name_key or other[4] != p.gender or not _same_birth(
                            other[2], other[3], p.birth_year, p.birth_date)):
                        self.problem(cls.sheet, planned.line.row, "national_id", tr(
                            "past_import", "Số CCCD {id} đã thuộc {name} (sinh {birth}), khác với dòng này: kiểm tra "
                                           "lại số CCCD, họ tên và ngày sinh.").format(
                                id=p.national_id, name=other[0],
                                birth=text.format_date(other[3]) if other[3] else other[2]))
                        continue
                    in_class.add(p.national_id)
                    if stored is not None:
                        planned.learner_id = stored.id
                    elif earlier is not None:
                        planned.same_as = earlier
                    else:
                        in_file[p.national_id] = planned
                if planned.new_person and p.given:
                    for lr in by_name.get(p.search_key, []):
                        if name_key(lr.sort_key) == p.name_key and _same_birth(
                                lr.birth_year, lr.birth_date, p.birth_year, p.birth_date) and \
                                (lr.national_id is None or p.national_id is None):
                            planned.duplicate_of.append((lr.id, None, _describe_stored(lr, classes.get(lr.id, []))))
                    for other_line in new_by_name.get(p.search_key, []):
                        q = other_line.line.person
                        if other_line.line.sheet != planned.line.sheet and q.name_key == p.name_key and _same_birth(
                                q.birth_year, q.birth_date, p.birth_year, p.birth_date) and \
                                (q.national_id is None or p.national_id is None):
                            planned.duplicate_of.append((None, other_line, _describe_row(other_line.line)))
                    new_by_name.setdefault(p.search_key, []).append(planned)
                keep.append(planned)
            cls.lines = keep

    def run(self) -> PastPlan:
        taken: set[str] = set()
        for index, sheet in enumerate(self.workbook.sheets, start=1):
            planned = self._sheet(sheet, index, taken)
            if planned is not None:
                self._lines(planned)
                self.plan.classes.append(planned)
        self._serials()
        self._people()
        self.plan.problems.sort(key=lambda p: ([s.name for s in self.workbook.sheets].index(p.sheet)
                                               if p.sheet in [s.name for s in self.workbook.sheets] else 0,
                                               p.row or 0, p.column or ""))
        return self.plan


def _mode_of(value: str | None) -> str | None:
    if not value:
        return None
    low = text.fold(value)
    if "khong tap trung" in low or "vua lam" in low or "tai chuc" in low:
        return "part-time"
    return "full-time" if "tap trung" in low else None


def plan_past_import(session: Session, workbook: PastWorkbook, *, kind: str | None = None,
                     programme: str | None = None) -> PastPlan:
    """What importing the workbook would do, with every problem (see the module's docstring)."""
    if kind is not None and kind not in ("diploma", "certificate"):
        raise InputError(tr("past_import", "Loại văn bằng '{kind}' không có: chọn diploma (bằng tốt nghiệp) hoặc "
                                           "certificate (giấy chứng nhận).").format(kind=kind))
    return _Planner(session, workbook, kind, programme).run()


__all__ = ["PastPlan", "PlannedClass", "PlannedLine", "plan_past_import"]
