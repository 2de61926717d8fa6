"""Bringing the centre's past in: `dtbd register import FILE [--kind] [--programme] [--dry-run]`,
`dtbd register results FILE [--dry-run]` (past class results).

JSON of `register import` (CLI.md): {"imported", "rejected": [{"sheet", "row", "column",
"message"}], "classes", "learners_new", "learners_matched", "possible_duplicates": [{"sheet",
"row", "existing"}], "converted_legacy"}. Exit 1 when refused (nothing changed), with every
problem by sheet, row and column on stderr too.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.context import EXIT_OK, EXIT_REFUSED, Context, Parser


def register(sub: Any) -> None:
    p = sub.add_parser("register", help=tr("cli", "đưa sổ gốc và kết quả học tập của các năm trước (Excel) vào "
                                                  "chương trình"))
    actions = p.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    imp = actions.add_parser("import", help=tr("cli", "nhập sổ gốc cũ (.xlsx hoặc .xls): mỗi trang một lớp, mỗi dòng "
                                                      "một văn bằng đã cấp"))
    imp.add_argument("file", metavar="FILE.xlsx", help=tr("cli", "tệp sổ gốc (.xlsx hoặc .xls)"))
    imp.add_argument("--kind", choices=["diploma", "certificate"],
                     help=tr("cli", "loại văn bằng: diploma (bằng tốt nghiệp) hoặc certificate (giấy chứng nhận); "
                                    "mặc định theo dòng tiêu đề của sổ"))
    imp.add_argument("--programme", metavar="P",
                     help=tr("cli", "mã chương trình (SC, TC, DVM...); mặc định theo dòng tiêu đề của sổ"))
    imp.add_argument("--dry-run", action="store_true", help=tr("cli", "chỉ kiểm tra, không ghi gì"))
    imp.set_defaults(handler=cmd_register_import)
    res = actions.add_parser("results", help=tr("cli", "nhập bảng điểm tổng hợp của các lớp đã học (mỗi học viên một "
                                                       "dòng, mỗi học phần một cột)"))
    res.add_argument("file", metavar="FILE.xlsx", help=tr("cli", "tệp bảng điểm (.xlsx hoặc .xls)"))
    res.add_argument("--dry-run", action="store_true", help=tr("cli", "chỉ kiểm tra, không ghi gì"))
    res.set_defaults(handler=cmd_register_results)


def _where(problem: Any) -> str:
    parts = [tr("cli", "trang '{sheet}'").format(sheet=problem.sheet)]
    if problem.row is not None:
        parts.append(tr("cli", "dòng {row}").format(row=problem.row))
    if problem.column:
        parts.append(tr("cli", "cột {column}").format(column=problem.column))
    return ", ".join(parts)


def print_problems(file_name: str, problems: list[Any]) -> None:
    if not problems:
        return
    print(tr("cli", "Lỗi trong tệp {file} (trang, dòng, cột theo tệp Excel):").format(file=file_name), file=sys.stderr)
    for problem in problems:
        print(f"  - {_where(problem)}: {problem.message}", file=sys.stderr)
    print(tr("cli", "Không có gì bị thay đổi: sửa tệp theo danh sách lỗi rồi nhập lại."), file=sys.stderr)


def failure(ctx: Context, path: Path, exc: DtbdError) -> tuple[dict[str, Any], int]:
    print(tr("cli", "Lỗi: {message}").format(message=exc.message), file=sys.stderr)
    rejected = [{"sheet": None, "row": p.row, "column": p.column, "message": p.message} for p in exc.problems] or \
        [{"sheet": None, "row": None, "column": None, "message": exc.message}]
    return {"imported": 0, "rejected": rejected, "classes": [], "learners_new": 0, "learners_matched": 0,
            "possible_duplicates": [], "converted_legacy": 0, "refused": True, "file": path.name,
            "dry_run": bool(ctx.args.dry_run), "error": exc.message}, exc.exit_code


def cmd_register_import(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks.past.importing import import_registers

    a = ctx.args
    path = Path(a.file)
    try:
        result = import_registers(ctx.db, path, kind=a.kind, programme=a.programme, dry_run=a.dry_run,
                                  login=ctx.login)
    except DtbdError as exc:
        return failure(ctx, path, exc)
    if result.converted_legacy:
        ctx.say(tr("cli", "Đã chuyển {n} dòng gõ bằng bảng mã cũ (TCVN3/VNI) sang Unicode.").format(
            n=result.converted_legacy))
    if result.refused:
        ctx.say(tr("cli", "KHÔNG NHẬP tệp {file}: {n} lỗi.").format(file=result.file, n=len(result.rejected)))
        print_problems(result.file, result.rejected)
        return result.as_json(), EXIT_REFUSED
    verb = tr("cli", "Chạy thử: sẽ nhập") if result.dry_run else tr("cli", "Đã nhập")
    ctx.say(tr("cli", "{verb} {n} dòng sổ gốc, {k} lớp ({classes}); {new} hồ sơ học viên mới, {old} dòng của người đã "
                      "có hồ sơ.").format(verb=verb, n=result.imported, k=len(result.classes),
                                          classes=", ".join(result.classes), new=result.learners_new,
                                          old=result.learners_matched))
    for dup in result.possible_duplicates:
        ctx.say(tr("cli", "Có thể trùng người: trang '{sheet}' dòng {row} giống [{existing}]; đã tạo hồ sơ riêng, xem "
                          "lại ở mục Học viên trùng (dtbd learners duplicates).").format(
            sheet=dup.sheet, row=dup.row, existing=dup.existing))
    return result.as_json(), EXIT_OK


def cmd_register_results(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks.past.results import import_results

    a = ctx.args
    path = Path(a.file)
    try:
        result = import_results(ctx.db, path, dry_run=a.dry_run, login=ctx.login)
    except DtbdError as exc:
        return failure(ctx, path, exc)
    if result.refused:
        ctx.say(tr("cli", "KHÔNG NHẬP tệp {file}: {n} lỗi.").format(file=result.file, n=len(result.rejected)))
        print_problems(result.file, result.rejected)
        return result.as_json(), EXIT_REFUSED
    verb = tr("cli", "Chạy thử: sẽ nhập") if result.dry_run else tr("cli", "Đã nhập")
    ctx.say(tr("cli", "{verb} điểm của {n} học viên, {k} lớp ({classes}).").format(
        verb=verb, n=result.imported, k=len(result.classes), classes=", ".join(result.classes)))
    return result.as_json(), EXIT_OK
