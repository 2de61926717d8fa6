"""`dtbd learners find TEXT [--limit N]`: search every learner, ignoring diacritics and case."""

from __future__ import annotations

import argparse
from typing import Any

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.context import EXIT_OK, Context, Parser
from dtbd_desktop.cli.output import table

DEFAULT_LIMIT = 50


def limit_value(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(
            tr("cli", "Số người '{value}' không hợp lệ: ghi một số từ 0 trở lên (0 là không giới hạn)")
            .format(value=value))
    return int(value)


def register(sub: Any) -> None:
    """Add the `learners` command group."""
    learners = sub.add_parser("learners", help=tr("cli", "học viên của mọi lớp"))
    learners_sub = learners.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    find = learners_sub.add_parser(
        "find", help=tr("cli", "tìm học viên theo tên (không phân biệt dấu, hoa thường) hoặc số CCCD"))
    find.add_argument("text", nargs="+", metavar="TEXT",
                      help=tr("cli", "tên hay một phần tên, ví dụ: nguyen van an; hoặc các chữ số CCCD"))
    find.add_argument("--limit", type=limit_value, default=DEFAULT_LIMIT, metavar="N",
                      help=tr("cli", "hiện nhiều nhất N người (mặc định {n}; 0 là tất cả)").format(n=DEFAULT_LIMIT))
    find.set_defaults(handler=cmd_learners_find)

    from dtbd_desktop.cli import commands_duplicates

    commands_duplicates.register(learners_sub)


def cmd_learners_find(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.learners import search_learners

    query = " ".join(ctx.args.text)
    limit: int | None = ctx.args.limit or None
    with ctx.read() as session:
        rows = search_learners(session, query, limit=limit)
    if not ctx.json:
        ctx.say(table(
            [tr("cli", "Họ và tên"), tr("cli", "Ngày sinh"), tr("cli", "Số CCCD"), tr("cli", "Đơn vị"),
             tr("cli", "Lớp")],
            [[r.full_name, r.birth_text, r.national_id, r.organisation, ", ".join(r.classes)] for r in rows],
        ))
        ctx.say(tr("cli", "{n} người.").format(n=len(rows)))
    if limit is not None and len(rows) == limit:
        ctx.say(tr("cli", "Chỉ hiện {n} người đầu tiên; thêm --limit 0 để xem tất cả.").format(n=limit))
    return [r.as_find_json() for r in rows], EXIT_OK
