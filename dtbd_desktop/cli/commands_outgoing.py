"""`dtbd outgoing list | add | void | export`: the book of outgoing documents (sổ đăng ký văn bản
đi), the same core functions as *Báo cáo → Sổ văn bản đi*.

JSON: `list` gives a list of {"year", "kind", "number", "symbol", "date", "subject", "recipients",
"signer", "source", "typed", "status", "void_reason"}; `add` and `void` give the line; `export`
gives {"path", "pages"|"rows"}.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.commands_base import iso_date, year_value
from dtbd_desktop.cli.context import EXIT_OK, Context, Parser
from dtbd_desktop.cli.output import table
from dtbd_desktop.rules.documents import KINDS


def register(sub: Any) -> None:
    p = sub.add_parser("outgoing", help=tr("cli", "sổ văn bản đi: số quyết định, công văn, báo cáo"))
    actions = p.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    kinds = ", ".join(KINDS)

    ls = actions.add_parser("list", help=tr("cli", "các văn bản đã vào sổ của một năm"))
    ls.add_argument("--year", type=year_value, help=tr("cli", "năm (mặc định: năm nay)"))
    ls.add_argument("--kind", metavar="K", help=tr("cli", "một loại: {kinds}").format(kinds=kinds))
    ls.set_defaults(handler=cmd_list)

    add = actions.add_parser("add", help=tr("cli", "vào sổ một văn bản (lấy số tiếp theo, hoặc số đã cấp ngoài "
                                                   "chương trình)"))
    add.add_argument("--kind", required=True, metavar="K", help=tr("cli", "loại văn bản: {kinds}").format(kinds=kinds))
    add.add_argument("--subject", required=True, metavar="TEXT", help=tr("cli", "trích yếu (về việc gì)"))
    add.add_argument("--date", type=iso_date, metavar="D", help=tr("cli", "ngày ký (mặc định: hôm nay)"))
    add.add_argument("--number", metavar="N", help=tr("cli", "số đã cấp ngoài chương trình, ví dụ 45 hoặc 45-CV/TCT"))
    add.add_argument("--recipients", metavar="TEXT", help=tr("cli", "nơi nhận"))
    add.add_argument("--signer", metavar="TEXT", help=tr("cli", "người ký"))
    add.set_defaults(handler=cmd_add)

    vd = actions.add_parser("void", help=tr("cli", "hủy một số (dòng vẫn giữ trong sổ, ghi lý do)"))
    vd.add_argument("--year", required=True, type=year_value)
    vd.add_argument("--kind", required=True, metavar="K")
    vd.add_argument("--number", required=True, type=int, metavar="N")
    vd.add_argument("--reason", required=True)
    vd.set_defaults(handler=cmd_void)

    ex = actions.add_parser("export", help=tr("cli", "in sổ văn bản đi của một năm (PDF hoặc XLSX)"))
    ex.add_argument("--year", required=True, type=year_value)
    ex.add_argument("--out", required=True, metavar="FILE.pdf|.xlsx")
    ex.add_argument("--kind", metavar="K")
    ex.add_argument("--date", type=iso_date, metavar="D", help=tr("cli", "ngày ghi trên sổ in ra (mặc định: hôm nay)"))
    ex.set_defaults(handler=cmd_export)


def cmd_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.outgoing_report import note
    from dtbd_desktop.services import outgoing

    a = ctx.args
    year = a.year or dt.date.today().year
    with ctx.read() as session:
        entries = outgoing.list_book(session, year, a.kind)
    if not ctx.json:
        ctx.say(table([tr("cli", "Số, ký hiệu"), tr("cli", "Ngày"), tr("cli", "Trích yếu"), tr("cli", "Ghi chú")],
                      [[e.symbol, text.format_date(e.issued_on), e.subject, note(e)] for e in entries]))
        ctx.say(tr("cli", "{n} văn bản trong sổ năm {year}.").format(n=len(entries), year=year))
    return [e.as_json() for e in entries], EXIT_OK


def cmd_add(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import outgoing
    from dtbd_desktop.services.settings import load_letterhead

    a = ctx.args
    with ctx.write() as session:
        entry = outgoing.register_document(session, load_letterhead(session), kind=a.kind,
                                           on=a.date or dt.date.today(), subject=a.subject, number=a.number,
                                           recipients=a.recipients, signer=a.signer)
    ctx.say(tr("cli", "Đã vào sổ: số {symbol} ngày {date}.").format(symbol=entry.symbol,
                                                                    date=text.format_date(entry.issued_on)))
    return entry.as_json(), EXIT_OK


def cmd_void(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import outgoing

    a = ctx.args
    with ctx.write() as session:
        entry = outgoing.void(session, a.year, a.kind, a.number, a.reason)
    ctx.say(tr("cli", "Đã hủy số {symbol}; dòng vẫn giữ trong sổ.").format(symbol=entry.symbol))
    return entry.as_json(), EXIT_OK


def cmd_export(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.outgoing_report import export_book

    a = ctx.args
    with ctx.read() as session:
        count = export_book(session, a.year, a.out, kind=a.kind, on=a.date)
    unit = "pages" if a.out.lower().endswith(".pdf") else "rows"
    ctx.say(tr("cli", "Đã in sổ văn bản đi năm {year} ra {path}.").format(year=a.year, path=a.out))
    return {"path": a.out, unit: count}, EXIT_OK
