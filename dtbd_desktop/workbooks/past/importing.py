"""Bringing past registers in, all or nothing: `import_registers` (command line and GUI alike).

The workbook is read (`reading`), planned against the database (`plan`) and, when no row has a
problem, written in one operation (`register.import`, permission "issue_certificates") through
`writing`. Any problem refuses the whole file, with every problem by sheet, row and column; a
dry run plans and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from dtbd_desktop.db.engine import Database
from dtbd_desktop.trust import operations
from dtbd_desktop.trust.accounts import Login
from dtbd_desktop.workbooks.past.plan import PastPlan, plan_past_import
from dtbd_desktop.workbooks.past.reading import PastWorkbook, SheetProblem, read_past_workbook
from dtbd_desktop.workbooks.past.writing import Progress, write_plan


@dataclass
class PastDuplicate:
    sheet: str
    row: int
    existing: str


@dataclass
class PastResult:
    file: str
    imported: int
    rejected: list[SheetProblem]
    classes: list[str]
    learners_new: int
    learners_matched: int
    possible_duplicates: list[PastDuplicate]
    converted_legacy: int
    dry_run: bool
    refused: bool
    sheets: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """CLI.md's document, with a few extra keys."""
        return {"imported": self.imported, "rejected": [p.as_dict() for p in self.rejected],
                "classes": self.classes, "learners_new": self.learners_new, "learners_matched": self.learners_matched,
                "possible_duplicates": [{"sheet": d.sheet, "row": d.row, "existing": d.existing}
                                        for d in self.possible_duplicates],
                "converted_legacy": self.converted_legacy, "dry_run": self.dry_run, "refused": self.refused,
                "file": self.file, "sheets": self.sheets}


def _result(plan: PastPlan, *, dry_run: bool) -> PastResult:
    refused = bool(plan.problems) or not plan.lines
    lines = plan.lines
    duplicates = [PastDuplicate(p.line.sheet, p.line.row, description)
                  for p in lines for _stored, _other, description in p.duplicate_of]
    new = sum(1 for p in lines if p.new_person)
    return PastResult(
        file=plan.workbook.file_name, imported=0 if refused else len(lines), rejected=list(plan.problems),
        classes=[] if refused else [c.code for c in plan.classes if c.lines], learners_new=0 if refused else new,
        learners_matched=0 if refused else len(lines) - new, possible_duplicates=duplicates,
        converted_legacy=sum(1 for s in plan.workbook.sheets for line in s.lines if line.converted),
        dry_run=dry_run, refused=refused, sheets=[s.name for s in plan.workbook.sheets])


def no_table_problem(workbook: PastWorkbook) -> SheetProblem | None:
    from dtbd_desktop.base.i18n import tr

    if workbook.sheets:
        return None
    return SheetProblem(", ".join(workbook.empty_sheets) or "-", None, None, tr(
        "past_import", "Không tìm thấy bảng sổ gốc trong tệp {file}: bảng cần một dòng tiêu đề có cột 'Họ và tên', "
                       "'Ngày sinh' và 'Số hiệu'.").format(file=workbook.file_name))


@operations.operation("register.import", permission="issue_certificates")
def import_workbook(session: Session, workbook: PastWorkbook, *, kind: str | None = None, programme: str | None = None,
                    today: dt.date | None = None, progress: Progress | None = None) -> PastResult:
    """Plan and, when the plan has no problem, write the past registers in the caller's unit of work."""
    plan = plan_past_import(session, workbook, kind=kind, programme=programme)
    result = _result(plan, dry_run=False)
    missing = no_table_problem(workbook)
    if missing is not None:
        result.rejected.append(missing)
        result.refused = True
    if not result.refused:
        written = write_plan(session, plan, today=today or dt.date.today(), progress=progress)
        result.learners_new, result.learners_matched = written.learners_new, written.learners_matched
    return result


def import_registers(db: Database, source: str | Path | PastWorkbook, *, kind: str | None = None,
                     programme: str | None = None, dry_run: bool = False, today: dt.date | None = None,
                     progress: Progress | None = None, login: Login | None = None) -> PastResult:
    """Import a workbook of past registers (see the module's docstring). `source` is a path or a
    workbook already read (the wizard reads it once to show it)."""
    workbook = source if isinstance(source, PastWorkbook) else read_past_workbook(source, today=today)
    if dry_run:
        with operations.reading(db, login) as session:
            result = _result(plan_past_import(session, workbook, kind=kind, programme=programme), dry_run=True)
            missing = no_table_problem(workbook)
            if missing is not None:
                result.rejected.append(missing)
                result.refused = True
            return result
    with operations.writing(db, login) as session:
        result = import_workbook(session, workbook, kind=kind, programme=programme, today=today, progress=progress)
        if result.refused:
            session.rollback()
        return result


__all__ = ["PastDuplicate", "PastResult", "import_registers", "import_workbook"]
