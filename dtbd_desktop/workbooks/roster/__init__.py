"""Importing the learner lists that sending organisations send (Excel .xlsx), Qt-free.

    table = read_roster("Ben_Luc.xlsx")            # find the table, recognise the columns
    table = table.remap({...})                     # a person corrects the column mapping
    with db.read() as s: plan = plan_import(s, "SC26.01", table)   # what would happen
    result = apply_import(db, "SC26.01", table)    # all or nothing; result.as_json() for the CLI
    save_annotated_copy("Ben_Luc.xlsx", result.rejected, "Ben_Luc_loi.xlsx", sheet=table.sheet)
"""

from dtbd_desktop.workbooks.roster.annotate import save_annotated_copy
from dtbd_desktop.workbooks.roster.cleaning import ImportProblem, PersonData
from dtbd_desktop.workbooks.roster.plan import ImportPlan, ImportResult, PossibleDuplicate, plan_import
from dtbd_desktop.workbooks.roster.roster_import import apply_import
from dtbd_desktop.workbooks.roster.sheet import read_roster
from dtbd_desktop.workbooks.roster.synonyms import FIELD_LABELS, FIELDS, field_label
from dtbd_desktop.workbooks.roster.table import DetectedTable, RosterFileError, SheetColumn, SheetRow
from dtbd_desktop.workbooks.roster.writing import write_plan

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "DetectedTable",
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
