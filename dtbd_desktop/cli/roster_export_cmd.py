"""`dtbd roster list C` and `dtbd roster export C --out FILE.pdf|.xlsx`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.commands_base import iso_date
from dtbd_desktop.cli.context import EXIT_OK, Context, UsageError
from dtbd_desktop.cli.output import table

EXPORT_FORMATS = (".pdf", ".xlsx")


def register_list_export(roster_sub: Any) -> None:
    """Add the `list` and `export` subcommands to `dtbd roster`."""
    rl = roster_sub.add_parser("list", help=tr("cli", "học viên của lớp, theo thứ tự tên, đệm, họ"))
    rl.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp, ví dụ A48"))
    rl.set_defaults(handler=cmd_roster_list)

    ex = roster_sub.add_parser("export", help=tr("cli", "in danh sách học viên ra tệp PDF hoặc Excel (.xlsx)"))
    ex.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp, ví dụ A48"))
    ex.add_argument("--out", required=True, metavar="FILE",
                    help=tr("cli", "tệp kết quả: .pdf hoặc .xlsx (ghi đè nếu đã có)"))
    ex.add_argument("--date", type=iso_date, metavar="D",
                    help=tr("cli", "ngày ghi trên danh sách, YYYY-MM-DD (mặc định: hôm nay)"))
    ex.set_defaults(handler=cmd_roster_export)


def cmd_roster_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.roster import ENROLMENT_STATUS_LABELS, class_roster

    with ctx.read() as session:
        rows = class_roster(session, ctx.args.class_code)
    if not ctx.json:
        notes = {"withdrawn", "transferred"}
        ctx.say(table(
            [tr("cli", "STT"), tr("cli", "Họ và tên"), tr("cli", "Ngày sinh"), tr("cli", "Giới tính"),
             tr("cli", "Dân tộc"), tr("cli", "Số CCCD"), tr("cli", "Chức vụ"), tr("cli", "Đơn vị"),
             tr("cli", "Ghi chú")],
            [[i, r.full_name, r.birth_text, text.gender_label(r.gender), r.ethnicity, r.national_id, r.position,
              r.organisation, tr("roster", ENROLMENT_STATUS_LABELS[r.status]) if r.status in notes else ""]
             for i, r in enumerate(rows, start=1)],
        ))
        ctx.say(tr("cli", "{n} học viên.").format(n=len(rows)))
    return [r.as_json() for r in rows], EXIT_OK


def cmd_roster_export(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.roster_report import export_roster_pdf, export_roster_xlsx

    a = ctx.args
    out = Path(a.out).expanduser()
    suffix = out.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise UsageError(tr("cli", "Tệp '{path}' phải có đuôi .pdf hoặc .xlsx.").format(path=a.out))
    shown = os.path.abspath(out)
    with ctx.read() as session:
        if suffix == ".pdf":
            pages = export_roster_pdf(session, a.class_code, out, on=a.date)
            ctx.say(tr("cli", "Đã in danh sách học viên lớp {code} ({pages} trang) ra tệp {path}.").format(
                code=a.class_code, pages=pages, path=shown))
            return {"path": shown, "pages": pages}, EXIT_OK
        rows = export_roster_xlsx(session, a.class_code, out, on=a.date)
    ctx.say(tr("cli", "Đã xuất danh sách học viên lớp {code} ({rows} học viên) ra tệp {path}.").format(
        code=a.class_code, rows=rows, path=shown))
    return {"path": shown, "rows": rows}, EXIT_OK
