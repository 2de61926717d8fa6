"""Adding a sending organisation's learner list to a class, all or nothing: `apply_import`.

`apply_import` plans (`plan.plan_import`) inside one unit of work for the person logged in,
through the operation `import_table` (permission "edit_roster"), and writes (`writing.write_plan`) only when the plan is clean, or with `skip_invalid` its good
rows; so a list is imported whole or not at all, and a failure half-way rolls back. How
people and organisations are matched is described in `plan`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.engine import Database
from dtbd_desktop.trust import operations
from dtbd_desktop.trust.accounts import Login
from dtbd_desktop.workbooks.roster.plan import (
    ImportPlan,
    ImportResult,
    PlannedRow,
    PossibleDuplicate,
    plan_import,
)
from dtbd_desktop.workbooks.roster.sheet import read_roster
from dtbd_desktop.workbooks.roster.table import DetectedTable
from dtbd_desktop.workbooks.roster.writing import Progress, write_plan

__all__ = ["ImportPlan", "ImportResult", "PlannedRow", "PossibleDuplicate", "apply_import", "plan_import",
           "write_plan"]


def _result(plan: ImportPlan, *, refused: bool, dry_run: bool) -> ImportResult:
    good = [] if refused else plan.good_rows
    new_orgs = sorted({plan.new_organisations[r.organisation_key] for r in good if r.organisation_key},
                      key=text.vn_sort_key)
    return ImportResult(
        file=plan.table.file_name, sheet=plan.table.sheet, class_code=plan.class_code,
        rows_read=len(plan.table.rows), imported=len(good), rejected=list(plan.problems),
        warnings=list(plan.warnings), converted_legacy=plan.converted_legacy,
        possible_duplicates=list(plan.possible_duplicates), new_organisations=new_orgs, refused=refused,
        dry_run=dry_run, new_learners=sum(1 for r in good if r.learner_id is None),
        existing_learners=sum(1 for r in good if r.learner_id is not None),
    )


def _is_refused(plan: ImportPlan, skip_invalid: bool) -> bool:
    if plan.file_problems or not plan.good_rows:
        return True
    return bool(plan.problems) and not skip_invalid


@operations.operation("roster.import", permission="edit_roster")
def import_table(session: Session, class_code: str, table: DetectedTable, *, skip_invalid: bool = False,
                 create_organisations: bool = True, link_duplicates: bool | Mapping[int, int] = False,
                 progress: Progress | None = None, today: dt.date | None = None) -> ImportResult:
    """Plan and, when the plan allows it, write the import in the caller's unit of work."""
    plan = plan_import(session, class_code, table, create_organisations=create_organisations,
                       link_duplicates=link_duplicates, today=today)
    refused = _is_refused(plan, skip_invalid)
    result = _result(plan, refused=refused, dry_run=False)
    if not refused:
        result.new_learners, result.existing_learners = write_plan(
            session, plan, create_organisations=create_organisations, progress=progress)
    return result


def apply_import(db: Database, class_code: str, source: str | Path | DetectedTable, *, dry_run: bool = False,
                 skip_invalid: bool = False, create_organisations: bool = True,
                 link_duplicates: bool | Mapping[int, int] = False, progress: Progress | None = None,
                 today: dt.date | None = None, login: Login | None = None) -> ImportResult:
    """Import a list into a class, all or nothing (see the module's docstring).

    Refused (nothing written, `refused` True) when the file has a problem of its own, when no
    row can be imported, or when any row has a problem and `skip_invalid` is False. With
    `skip_invalid` the good rows are imported and the bad ones listed in `rejected`. With
    `dry_run` nothing is written; the result says what would have been.
    """
    table = source if isinstance(source, DetectedTable) else read_roster(source)
    if progress:
        progress(0, len(table.rows), tr("roster_import", "Đang kiểm tra {n} dòng").format(n=len(table.rows)))
    options: dict[str, Any] = {"create_organisations": create_organisations, "link_duplicates": link_duplicates,
                               "today": today}
    if dry_run:
        with operations.reading(db, login) as session:
            plan = plan_import(session, class_code, table, **options)
            return _result(plan, refused=_is_refused(plan, skip_invalid), dry_run=True)
    with operations.writing(db, login) as session:
        return import_table(session, class_code, table, skip_invalid=skip_invalid, progress=progress, **options)
