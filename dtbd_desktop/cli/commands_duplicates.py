"""`dtbd learners duplicates [--all]`, `learners merge ID`, `learners unmerge ID`, `learners
confirm-merge ID`, `learners not-duplicate ID`: the possible duplicates that imports proposed."""

from __future__ import annotations

from typing import Any

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.context import EXIT_OK, Context
from dtbd_desktop.cli.output import table


def _pair_id(value: str) -> int:
    import argparse

    if not value.isdigit():
        raise argparse.ArgumentTypeError(tr("cli", "Số cặp '{value}' không hợp lệ: ghi số trong cột 'Cặp' của dtbd "
                                                   "learners duplicates.").format(value=value))
    return int(value)


def register(learners_sub: Any) -> None:
    dup = learners_sub.add_parser("duplicates", help=tr("cli", "các cặp hồ sơ có thể là một người (do nhập sổ cũ, "
                                                               "danh sách đề xuất)"))
    dup.add_argument("--all", action="store_true", help=tr("cli", "cả các cặp đã xử lý"))
    dup.set_defaults(handler=cmd_duplicates)
    for name, help_text, handler in (
            ("merge", tr("cli", "gộp hai hồ sơ của một cặp thành một người (hoàn tác được đến khi xác nhận)"), cmd_merge),
            ("unmerge", tr("cli", "hoàn tác việc gộp chưa xác nhận"), cmd_unmerge),
            ("confirm-merge", tr("cli", "xác nhận việc gộp (không hoàn tác được nữa)"), cmd_confirm),
            ("not-duplicate", tr("cli", "hai hồ sơ là hai người khác nhau"), cmd_dismiss)):
        p = learners_sub.add_parser(name, help=help_text)
        p.add_argument("pair", type=_pair_id, metavar="ID", help=tr("cli", "số của cặp (cột 'Cặp')"))
        p.set_defaults(handler=handler)


def cmd_duplicates(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import duplicates

    with ctx.read() as session:
        pairs = duplicates.list_pairs(session, include_closed=ctx.args.all)
    if not ctx.json:
        ctx.say(table([tr("cli", "Cặp"), tr("cli", "Hồ sơ giữ"), tr("cli", "Hồ sơ kia"), tr("cli", "Tình trạng"),
                       tr("cli", "Tìm thấy ở")],
                      [[str(p.id), f"{p.kept.full_name}, {p.kept.birth_text} ({', '.join(p.kept.classes)})",
                        f"{p.other.full_name}, {p.other.birth_text} ({', '.join(p.other.classes)})", p.status_label,
                        p.source] for p in pairs]))
    return [p.as_json() for p in pairs], EXIT_OK


def _run(ctx: Context, action: str) -> tuple[Any, int]:
    from dtbd_desktop.services import duplicates

    with ctx.write() as session:
        pair = getattr(duplicates, action)(session, ctx.args.pair)
    ctx.say(tr("cli", "Cặp {id}: {status}.").format(id=pair.id, status=pair.status_label))
    return pair.as_json(), EXIT_OK


def cmd_merge(ctx: Context) -> tuple[Any, int]:
    return _run(ctx, "merge")


def cmd_unmerge(ctx: Context) -> tuple[Any, int]:
    return _run(ctx, "unmerge")


def cmd_confirm(ctx: Context) -> tuple[Any, int]:
    return _run(ctx, "confirm")


def cmd_dismiss(ctx: Context) -> tuple[Any, int]:
    return _run(ctx, "dismiss")
