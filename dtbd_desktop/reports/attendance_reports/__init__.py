"""Attendance printouts: the sign-in sheet of a session (`sign_in`), the class's attendance
summary as PDF and XLSX (`summary`) and the letters to the sending organisations (`letters`);
what they share (`common`).

Everything is read through `services.attendance.load_grid` (a few set-based queries).
"""

from dtbd_desktop.reports.attendance_reports.common import proper_name
from dtbd_desktop.reports.attendance_reports.letters import (
    LetterCanvas,
    LettersResult,
    export_letters,
    render_letters_pdf,
)
from dtbd_desktop.reports.attendance_reports.sign_in import (
    SheetLine,
    SignInSheet,
    export_sign_in_sheet,
    load_sign_in_sheet,
    render_sign_in_pdf,
)
from dtbd_desktop.reports.attendance_reports.summary import (
    export_summary,
    render_summary_pdf,
    render_summary_xlsx,
)

__all__ = [
    "LetterCanvas", "LettersResult", "SheetLine", "SignInSheet", "export_letters", "export_sign_in_sheet",
    "export_summary", "load_sign_in_sheet", "proper_name", "render_letters_pdf", "render_sign_in_pdf",
    "render_summary_pdf", "render_summary_xlsx",
]
