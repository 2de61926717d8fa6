"""`dtbd certificates copy SERIAL --out FILE.pdf [--date D] [--requested-by NAME]` (a copy from the
register, numbered in the book of copies), `certificates confirm SERIAL --out FILE.pdf [--date D]`
(a confirmation of graduation, numbered in the book of outgoing documents) and `certificates
copies --year Y --out FILE.pdf|.xlsx` (the book of copies).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.commands_base import iso_date, year_value
from dtbd_desktop.cli.context import EXIT_OK, Context


def register(actions: Any) -> None:
    cp = actions.add_parser("copy", help=tr("cli", "cấp bản sao văn bằng từ sổ gốc (PDF), vào sổ cấp bản sao"))
    cp.add_argument("serial", metavar="SERIAL", help=tr("cli", "số hiệu văn bằng"))
    cp.add_argument("--out", required=True, metavar="FILE.pdf", help=tr("cli", "tệp PDF"))
    cp.add_argument("--date", type=iso_date, metavar="D", help=tr("cli", "ngày cấp bản sao (mặc định: hôm nay)"))
    cp.add_argument("--requested-by", metavar="NAME", help=tr("cli", "người yêu cầu cấp bản sao"))
    cp.set_defaults(handler=cmd_copy)
    cf = actions.add_parser("confirm", help=tr("cli", "giấy xác nhận tốt nghiệp từ sổ gốc (PDF), lấy số trong sổ văn "
                                                      "bản đi"))
    cf.add_argument("serial", metavar="SERIAL", help=tr("cli", "số hiệu văn bằng"))
    cf.add_argument("--out", required=True, metavar="FILE.pdf", help=tr("cli", "tệp PDF"))
    cf.add_argument("--date", type=iso_date, metavar="D", help=tr("cli", "ngày ký (mặc định: hôm nay)"))
    cf.add_argument("--requested-by", metavar="NAME", help=tr("cli", "người hoặc cơ quan đề nghị xác nhận"))
    cf.set_defaults(handler=cmd_confirm)
    bk = actions.add_parser("copies", help=tr("cli", "sổ cấp bản sao của một năm (PDF hoặc XLSX)"))
    bk.add_argument("--year", required=True, type=year_value, help=tr("cli", "năm"))
    bk.add_argument("--out", required=True, metavar="FILE.pdf|.xlsx", help=tr("cli", "tệp PDF hoặc XLSX"))
    bk.add_argument("--date", type=iso_date, metavar="D", help=tr("cli", "ngày ký in trên sổ (mặc định: hôm nay)"))
    bk.set_defaults(handler=cmd_copies)


def _pdf_only(out: str) -> None:
    if not str(out).lower().endswith(".pdf"):
        raise InputError(tr("cli", "Tệp phải là .pdf (đang là '{name}').").format(name=out))


def cmd_copy(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.copy_report import render_copy, write_pdf
    from dtbd_desktop.services import certificate_copies
    from dtbd_desktop.services.settings import load_letterhead

    a = ctx.args
    _pdf_only(a.out)
    with ctx.write() as session:
        entry = certificate_copies.issue_copy(session, a.serial, a.date, requested_by=a.requested_by)
        head = load_letterhead(session)
        pages = write_pdf(a.out, lambda p: render_copy(entry, head, p))
    ctx.say(tr("cli", "Đã cấp bản sao số {number} của văn bằng {serial} ({name}) vào {path}.").format(
        number=entry.copy_number, serial=entry.facts.serial, name=entry.facts.full_name, path=a.out))
    return {"path": str(Path(a.out)), "copy_number": entry.copy_number, "pages": pages}, EXIT_OK


def cmd_confirm(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.copy_report import render_confirmation, write_pdf
    from dtbd_desktop.services import certificate_copies
    from dtbd_desktop.services.settings import load_letterhead

    a = ctx.args
    _pdf_only(a.out)
    with ctx.write() as session:
        entry, facts = certificate_copies.confirm_graduation(session, a.serial, a.date, requested_by=a.requested_by)
        head = load_letterhead(session)
        write_pdf(a.out, lambda p: render_confirmation(entry, facts, head, p))
    ctx.say(tr("cli", "Đã in giấy xác nhận số {symbol} ngày {date} cho {name} vào {path}.").format(
        symbol=entry.symbol, date=text.format_date(entry.issued_on), name=facts.full_name, path=a.out))
    return {"path": str(Path(a.out)), "number": entry.symbol, "date": entry.issued_on.isoformat()}, EXIT_OK


def cmd_copies(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.copy_report import export_book
    from dtbd_desktop.services import certificate_copies
    from dtbd_desktop.services.settings import load_letterhead

    a = ctx.args
    with ctx.read() as session:
        entries = certificate_copies.list_copies(session, a.year)
        head = load_letterhead(session)
    export_book(entries, head, a.year, a.out, on=a.date or dt.date.today())
    ctx.say(tr("cli", "Đã xuất sổ cấp bản sao năm {year} ({n} dòng) vào {path}.").format(year=a.year, n=len(entries),
                                                                                      path=a.out))
    return {"path": str(Path(a.out)), "rows": len(entries)}, EXIT_OK
