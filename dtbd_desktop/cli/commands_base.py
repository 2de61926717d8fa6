"""`dtbd init`, `programmes list` (and `programmes wording`, in `wording_cmd`), `class create`, `class list`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.context import EXIT_OK, Context, Parser
from dtbd_desktop.cli.output import table
from dtbd_desktop.rules.vocabulary import CLASS_STATUSES


def iso_date(value: str) -> dt.date:
    """A date option: YYYY-MM-DD (dd/mm/yyyy accepted too, for people typing by hand)."""
    try:
        parsed, _year = text.parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if parsed is None:
        raise argparse.ArgumentTypeError(
            tr("cli", "'{value}' chỉ có năm; cần ngày đầy đủ dạng YYYY-MM-DD.").format(value=value))
    return parsed


def year_value(value: str) -> int:
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise argparse.ArgumentTypeError(tr("cli", "Năm '{value}' không hợp lệ (ví dụ: 2025).").format(value=value))
    return int(value)


def register(sub: Any) -> None:

    p = sub.add_parser("init", help=tr("cli", "tạo hoặc nâng cấp cơ sở dữ liệu, nạp danh mục chương trình"))
    p.add_argument("--demo", action="store_true", help=tr("cli", "thêm dữ liệu mẫu của một trường chính trị tỉnh"))
    p.set_defaults(handler=cmd_init)

    prog = sub.add_parser("programmes", help=tr("cli", "danh mục chương trình"))
    prog_sub = prog.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    pl = prog_sub.add_parser("list", help=tr("cli", "liệt kê chương trình và học phần"))
    pl.set_defaults(handler=cmd_programmes_list)
    pr = prog_sub.add_parser("rules", help=tr("cli", "quy định đang áp dụng của một chương trình và căn cứ (văn bản "
                                                     "quy định in trên tài liệu); sửa căn cứ"))
    pr.add_argument("programme", metavar="P", help=tr("cli", "mã chương trình"))
    basis = pr.add_mutually_exclusive_group()
    basis.add_argument("--legal-basis", metavar="TEXT",
                       help=tr("cli", "căn cứ mới: tên, số, ngày của văn bản; nhiều văn bản cách nhau bằng dòng mới"))
    basis.add_argument("--legal-basis-file", metavar="FILE", help=tr("cli", "đọc căn cứ mới từ tệp văn bản UTF-8, "
                                                                          "mỗi văn bản một dòng"))
    pr.set_defaults(handler=cmd_programmes_rules)
    from dtbd_desktop.cli import wording_cmd

    wording_cmd.register_programmes(prog_sub)

    cls = sub.add_parser("class", help=tr("cli", "lớp học"))
    cls_sub = cls.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    cc = cls_sub.add_parser("create", help=tr("cli", "mở lớp"))
    cc.add_argument("--code", required=True, help=tr("cli", "mã lớp, ví dụ A48"))
    cc.add_argument("--programme", required=True, help=tr("cli", "mã chương trình, ví dụ TC"))
    cc.add_argument("--start", required=True, type=iso_date, help=tr("cli", "ngày khai giảng YYYY-MM-DD"))
    cc.add_argument("--end", required=True, type=iso_date, help=tr("cli", "ngày kết thúc YYYY-MM-DD"))
    cc.add_argument("--name", help=tr("cli", "tên lớp"))
    cc.add_argument("--mode", choices=["full-time", "part-time"], default="full-time",
                    help=tr("cli", "hình thức: full-time (tập trung) hoặc part-time (không tập trung)"))
    cc.add_argument("--venue", help=tr("cli", "địa điểm học"))
    cc.set_defaults(handler=cmd_class_create)

    cl = cls_sub.add_parser("list", help=tr("cli", "danh sách lớp"))
    cl.add_argument("--year", type=year_value, help=tr("cli", "năm mở lớp"))
    cl.add_argument("--programme", help=tr("cli", "mã chương trình"))
    cl.add_argument("--status", choices=list(CLASS_STATUSES), help=tr("cli", "trạng thái"))
    cl.set_defaults(handler=cmd_class_list)


def cmd_init(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import catalogue

    db = ctx.db
    with db.write(raw=True) as session:  # the program's own catalogue, before anyone works in it
        added = catalogue.seed_catalogue(session)
        programmes = len(catalogue.list_programmes(session))
    if ctx.args.demo:
        from dtbd_desktop.services.demo import build_demo

        summary = build_demo(db, progress=None if ctx.json else ctx.say)
        ctx.say(summary)
    if db.created:
        ctx.say(tr("cli", "Đã tạo cơ sở dữ liệu {url}.").format(url=db.display_url))
    else:
        ctx.say(tr("cli", "Cơ sở dữ liệu {url} đã ở phiên bản {rev}.").format(url=db.display_url, rev=db.revision))
    if added:
        ctx.say(tr("cli", "Đã thêm {n} chương trình vào danh mục.").format(n=added))
    return {"database": db.display_url, "schema_version": db.revision, "programmes": programmes}, EXIT_OK


_KIND_LABELS = {"module": "học phần", "graduation_exam": "thi tốt nghiệp", "thesis": "khóa luận"}


def cmd_programmes_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import catalogue

    with ctx.read(personal=False) as session:
        programmes = catalogue.list_programmes(session)
    if not ctx.json:
        for p in programmes:
            kind = tr("cli", "đào tạo") if p.kind == "training" else tr("cli", "bồi dưỡng")
            ctx.say(f"{p.code}  {p.name}  ({kind}, {p.total_periods} {tr('cli', 'tiết')})")
            ctx.say(table(
                [tr("cli", "Mã"), tr("cli", "Học phần"), tr("cli", "Số tiết"), tr("cli", "Loại")],
                [[m.code, m.name, m.periods, tr("cli", _KIND_LABELS[m.kind])] for m in p.modules],
            ))
            ctx.say("")
    return [p.as_json() for p in programmes], EXIT_OK


def cmd_programmes_rules(ctx: Context) -> tuple[Any, int]:
    from pathlib import Path

    from dtbd_desktop.base.errors import InputError
    from dtbd_desktop.rules.rule_sets import legal_basis_lines
    from dtbd_desktop.services import catalogue

    a = ctx.args
    new = a.legal_basis
    if a.legal_basis_file:
        try:
            new = Path(a.legal_basis_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(tr("cli", "Không đọc được tệp căn cứ {path}: {error}. Lưu tệp dạng văn bản UTF-8.").format(
                path=a.legal_basis_file, error=exc)) from exc
    if new is not None:
        with ctx.write() as session:
            info = catalogue.save_legal_basis(session, a.programme, new.replace("\\n", "\n"))
        ctx.say(tr("cli", "Đã lưu căn cứ của chương trình {code}.").format(code=info.code))
    else:
        with ctx.read(personal=False) as session:
            info = catalogue.programme_info(session, a.programme)
    lines = legal_basis_lines(info.regulation)
    if not ctx.json:
        ctx.say(f"{info.code}  {info.name}: {info.rule_set_name or ''}")
        ctx.say(tr("cli", "Căn cứ:"))
        for line in lines:
            ctx.say(f"  - {line}")
    return {"code": info.code, "rule_set": info.rule_set_name, "legal_basis": lines, "rules": info.rules}, EXIT_OK


def cmd_class_create(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import classes

    a = ctx.args
    with ctx.write() as session:
        cls = classes.create_class(
            session, code=a.code, programme=a.programme, start=a.start, end=a.end, name=a.name, mode=a.mode,
            venue=a.venue,
        )
        doc = {"code": cls.code, "programme": cls.programme.code, "start": cls.start_date.isoformat(),
               "end": cls.end_date.isoformat()}
        ctx.say(tr("cli", "Đã mở lớp {code} ({name}), {start} – {end}.").format(
            code=cls.code, name=cls.name, start=text.format_date(cls.start_date), end=text.format_date(cls.end_date)))
    return doc, EXIT_OK


def cmd_class_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import classes

    a = ctx.args
    with ctx.read(personal=False) as session:
        rows = classes.list_classes(session, year=a.year, programme=a.programme, status=a.status)
    if not ctx.json:
        ctx.say(table(
            [tr("cli", "Mã lớp"), tr("cli", "Chương trình"), tr("cli", "Khai giảng"), tr("cli", "Kết thúc"),
             tr("cli", "Học viên"), tr("cli", "Trạng thái")],
            [[r.code, r.programme_code, text.format_date(r.start), text.format_date(r.end), r.learners,
              classes.status_label(r.status)] for r in rows],
        ))
        ctx.say(tr("cli", "{n} lớp.").format(n=len(rows)))
    return [r.as_json() for r in rows], EXIT_OK
