"""Importing the learner lists that sending organisations send (Excel .xlsx), Qt-free.

    table = read_roster("Ben_Luc.xlsx")            # find the table, recognise the columns
    table = table.remap({...})                     # a person corrects the column mapping
    with db.read() as s: plan = plan_import(s, "SC26.01", table)   # what would happen
    result = apply_import(db, "SC26.01", table)    # all or nothing; result.as_json() for the CLI
    save_annotated_copy("Ben_Luc.xlsx", result.rejected, "Ben_Luc_loi.xlsx", sheet=table.sheet)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The engine loads on first use of a name (PEP 562), so that a light import of one part (the
# command line reading the field names for its help) does not load openpyxl and the database.
_WHERE = {
    "save_annotated_copy": "dtbd_desktop.workbooks.roster.annotate",
    "ImportProblem": "dtbd_desktop.workbooks.roster.cleaning",
    "PersonData": "dtbd_desktop.workbooks.roster.cleaning",
    "ImportPlan": "dtbd_desktop.workbooks.roster.plan",
    "ImportResult": "dtbd_desktop.workbooks.roster.plan",
    "PossibleDuplicate": "dtbd_desktop.workbooks.roster.plan",
    "plan_import": "dtbd_desktop.workbooks.roster.plan",
    "apply_import": "dtbd_desktop.workbooks.roster.roster_import",
    "read_roster": "dtbd_desktop.workbooks.roster.sheet",
    "FIELD_LABELS": "dtbd_desktop.workbooks.roster.synonyms",
    "FIELDS": "dtbd_desktop.workbooks.roster.synonyms",
    "field_label": "dtbd_desktop.workbooks.roster.synonyms",
    "DetectedTable": "dtbd_desktop.workbooks.roster.table",
    "RosterFileError": "dtbd_desktop.workbooks.roster.table",
    "SheetColumn": "dtbd_desktop.workbooks.roster.table",
    "SheetRow": "dtbd_desktop.workbooks.roster.table",
    "write_plan": "dtbd_desktop.workbooks.roster.writing",
}

if TYPE_CHECKING:
    from dtbd_desktop.workbooks.roster.annotate import save_annotated_copy as save_annotated_copy
    from dtbd_desktop.workbooks.roster.cleaning import ImportProblem as ImportProblem
    from dtbd_desktop.workbooks.roster.cleaning import PersonData as PersonData
    from dtbd_desktop.workbooks.roster.plan import ImportPlan as ImportPlan
    from dtbd_desktop.workbooks.roster.plan import ImportResult as ImportResult
    from dtbd_desktop.workbooks.roster.plan import PossibleDuplicate as PossibleDuplicate
    from dtbd_desktop.workbooks.roster.plan import plan_import as plan_import
    from dtbd_desktop.workbooks.roster.roster_import import apply_import as apply_import
    from dtbd_desktop.workbooks.roster.sheet import read_roster as read_roster
    from dtbd_desktop.workbooks.roster.synonyms import FIELD_LABELS as FIELD_LABELS
    from dtbd_desktop.workbooks.roster.synonyms import FIELDS as FIELDS
    from dtbd_desktop.workbooks.roster.synonyms import field_label as field_label
    from dtbd_desktop.workbooks.roster.table import DetectedTable as DetectedTable
    from dtbd_desktop.workbooks.roster.table import RosterFileError as RosterFileError
    from dtbd_desktop.workbooks.roster.table import SheetColumn as SheetColumn
    from dtbd_desktop.workbooks.roster.table import SheetRow as SheetRow
    from dtbd_desktop.workbooks.roster.writing import write_plan as write_plan


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)


__all__ = [
    "DetectedTable",
    "FIELDS",
    "FIELD_LABELS",
    "ImportPlan",
    "ImportProblem",
    "ImportResult",
    "PersonData",
    "PossibleDuplicate",
    "RosterFileError",
    "SheetColumn",
    "SheetRow",
    "apply_import",
    "field_label",
    "plan_import",
    "read_roster",
    "save_annotated_copy",
    "write_plan",
]
