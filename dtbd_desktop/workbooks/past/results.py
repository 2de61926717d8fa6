"""Past class results (bảng điểm tổng hợp) as the centre kept them: one row per learner, one column
per module, the average and the classification, one sheet per class: `import_results`.

Each sheet names its class (title block "Lớp K74B.21", or the sheet's name), which must be in the
program already (its register imported first); each row is matched to the class's learner by
national ID, else by name and birth date; each module column by its heading against the
programme's modules (code or name, without diacritics). Scores are entered as first attempts
(audited, protected records); the average fills the result's average where it has none. Any
problem refuses the whole file, by sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Enrolment, GraduationResult, Module, Score, TrainingClass
from dtbd_desktop.trust import audit, operations, protected
from dtbd_desktop.trust.accounts import Login
from dtbd_desktop.workbooks.past.reading import PastSheet, SheetProblem, read_past_workbook
from dtbd_desktop.workbooks.roster.cleaning import name_key
from dtbd_desktop.workbooks.roster.synonyms import heading_variants, normalize


@dataclass
class ResultsImport:
    file: str
    imported: int = 0
    classes: list[str] = field(default_factory=list)
    scores: int = 0
    rejected: list[SheetProblem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def refused(self) -> bool:
        return bool(self.rejected) or not self.imported

    def as_json(self) -> dict[str, Any]:
        return {"imported": self.imported if not self.refused else 0, "classes": self.classes, "scores": self.scores,
                "rejected": [p.as_dict() for p in self.rejected], "refused": self.refused, "dry_run": self.dry_run,
                "file": self.file}


Planned = tuple[Enrolment, dict[int, Decimal], Decimal | None]


def _modules(session: Session, cls: TrainingClass, sheet: PastSheet) -> dict[int, Module]:
    """Sheet column -> module, for the columns whose heading names a module of the class's programme."""
    modules = list(session.scalars(select(Module).where(Module.programme_id == cls.programme_id)))
    names = {normalize(m.name): m for m in modules} | {normalize(m.code): m for m in modules}
    found: dict[int, Module] = {}
    used = set(sheet.table.mapping.values()) | set(sheet.past_columns.values())
    for col in sheet.table.columns:
        if col.index in used or not col.heading:
            continue
        for variant in heading_variants(col.heading.split(" / ")[-1]):
            module = names.get(variant) or next((m for key, m in names.items() if len(key) > 6 and key in variant),
                                                None)
            if module is not None:
                found[col.index] = module
                break
    return found


def _plan_sheet(session: Session, sheet: PastSheet, out: ResultsImport) -> list[Planned]:
    def problem(row: int | None, column: str | None, message: str) -> None:
        out.rejected.append(SheetProblem(sheet.name, row, column, message))

    # The person's other cells (gender, ID...) are the register's business: only name and birth match here.
    code = sheet.facts.class_code or sheet.name
    cls = session.scalar(select(TrainingClass).where(TrainingClass.code.in_([code, sheet.name])))
    if cls is None:
        problem(sheet.header_row, None, tr("past_import", "Lớp {code} chưa có trong chương trình: nhập sổ gốc của lớp "
                                                          "trước (dtbd register import), rồi nhập bảng điểm.").format(
            code=code))
        return []
    modules = _modules(session, cls, sheet)
    if not modules:
        problem(sheet.header_row, None, tr("past_import", "Trang '{sheet}' không có cột nào mang tên học phần của "
                                                          "chương trình lớp {code}: ghi tên học phần ở dòng tiêu đề.")
                .format(sheet=sheet.name, code=cls.code))
        return []
    enrolments = list(session.scalars(select(Enrolment).where(Enrolment.class_id == cls.id)
                                      .options(joinedload(Enrolment.learner))))
    planned: list[Planned] = []
    for line in sheet.lines:
        p = line.person
        match = [e for e in enrolments if p.national_id and e.learner.national_id == p.national_id] or \
            [e for e in enrolments if name_key(e.learner.sort_key) == p.name_key and e.learner.birth_year == p.birth_year]
        if len(match) != 1:
            problem(line.row, sheet.column_label("full_name"), tr(
                "past_import", "Không tìm thấy {name} (sinh {birth}) trong lớp {code}: kiểm tra họ tên, ngày sinh.")
                .format(name=p.full_name, birth=line.birth_printed, code=cls.code))
            continue
        values: dict[int, Decimal] = {}
        row = next(r for r in sheet.table.rows if r.number == line.row)
        for index, module in modules.items():
            value = row.values[sheet.table.position(index)]
            if value is None:
                continue
            try:
                values[module.id] = text.parse_score(value)
            except text.ScoreParseError as exc:
                problem(line.row, sheet.table.sheet_column(index).label, exc.message)
        planned.append((match[0], values, line.average))
    if planned:
        out.classes.append(cls.code)
    return planned


@operations.operation("register.import_results", permission="enter_scores")
def write_results(session: Session, planned: list[Planned], file_name: str) -> int:
    """Enter the planned scores as first attempts (a module already scored keeps its score)."""
    written = 0
    for enrolment, values, average in planned:
        existing = set(session.scalars(select(Score.module_id).where(Score.enrolment_id == enrolment.id)))
        for module_id, value in values.items():
            if module_id in existing:
                continue
            session.add(Score(enrolment_id=enrolment.id, module_id=module_id, attempt=1, component="", value=value,
                              entered_by=getattr(session.info.get(audit.ACTOR_KEY), "username", None)))
            session.flush()
            audit.record(session, action="score.import", entity="score",
                         entity_id=protected.score_id(enrolment.id, module_id, 1, ""), new=str(value),
                         reason=tr("past_import", "Nhập bảng điểm cũ {file}").format(file=file_name),
                         state=protected.score_state(value))
            written += 1
        result = session.scalar(select(GraduationResult).where(GraduationResult.enrolment_id == enrolment.id))
        if result is not None and result.average is None and average is not None:
            result.average = average
            session.flush()
            audit.record(session, action="graduation.import_average", entity="graduation_result",
                         entity_id=enrolment.id, new=str(average),
                         state=protected.result_state(result.eligible, result.classification, average))
    return written


def import_results(db: Database, path: str | Path, *, dry_run: bool = False,
                   today: dt.date | None = None, login: Login | None = None) -> ResultsImport:
    """Import a workbook of past class results (see the module's docstring)."""
    workbook = read_past_workbook(path, today=today)
    out = ResultsImport(Path(path).name, dry_run=dry_run)
    context = operations.reading(db, login) if dry_run else operations.writing(db, login)
    with context as session:
        planned = [item for sheet in workbook.sheets for item in _plan_sheet(session, sheet, out)]
        out.imported = len(planned)
        if not workbook.sheets:
            out.rejected.append(SheetProblem("-", None, None, tr("past_import", "Không tìm thấy bảng điểm trong tệp "
                                                                                "{file}.").format(file=out.file)))
        if not out.refused and not dry_run:
            out.scores = write_results(session, planned, out.file)
        else:
            out.scores = sum(len(v) for _e, v, _a in planned)
    return out


__all__ = ["ResultsImport", "import_results", "write_results"]
