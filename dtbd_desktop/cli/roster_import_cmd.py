"""`dtbd roster import C FILE.xlsx [--dry-run] [--skip-invalid] [--annotated OUT.xlsx]`.

JSON (CLI.md): {"imported", "rejected": [{"row", "column", "message"}], "converted_legacy",
"possible_duplicates": [{"row", "existing"}]} plus a few extra keys. Exit 0 when imported (or a
clean dry run), 1 when refused (the rejected rows listed, on stderr too), 2 on wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dtbd_desktop.base.errors import DtbdError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.context import EXIT_OK, EXIT_REFUSED, Context, UsageError
from dtbd_desktop.workbooks.roster.synonyms import FIELDS

if TYPE_CHECKING:
    from dtbd_desktop.workbooks.roster import DetectedTable, ImportResult


def register_import(roster_sub: Any) -> None:
    """Add the `import` subcommand to `dtbd roster`."""
    p = roster_sub.add_parser("import", help=tr("cli", "nhập danh sách học viên do đơn vị gửi (tệp Excel .xlsx) "
                                                     "vào lớp"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp, ví dụ SC26.01"))
    p.add_argument("file", metavar="FILE.xlsx", help=tr("cli", "tệp danh sách (.xlsx)"))
    p.add_argument("--dry-run", action="store_true",
                   help=tr("cli", "chỉ kiểm tra và cho biết sẽ nhập những gì; không ghi gì"))
    p.add_argument("--skip-invalid", action="store_true",
                   help=tr("cli", "nhập các dòng đúng, bỏ qua (và liệt kê) các dòng có lỗi"))
    p.add_argument("--annotated", metavar="OUT.xlsx",
                   help=tr("cli", "lưu bản sao tệp có tô màu và ghi chú các ô lỗi, để gửi lại đơn vị"))
    p.add_argument("--link-duplicates", action="store_true",
                   help=tr("cli", "coi người trùng họ tên và ngày sinh (không có CCCD để phân biệt) là người đã "
                                  "có hồ sơ; mặc định tạo hồ sơ mới và liệt kê để kiểm tra"))
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COL",
                   help=tr("cli", "sửa cách nhận cột, ví dụ --map organisation=J (FIELD= để không nhập trường đó); "
                                  "FIELD là một trong: {fields}").format(fields=", ".join(FIELDS)))
    p.add_argument("--no-new-organisations", action="store_true",
                   help=tr("cli", "không tự thêm đơn vị chưa có trong danh mục (chỉ liệt kê)"))
    p.set_defaults(handler=cmd_roster_import)


def _mapping(table: DetectedTable, options: list[str]) -> dict[str, int]:
    """The detected mapping changed by `--map FIELD=COL` options."""
    from openpyxl.utils import column_index_from_string

    mapping = dict(table.mapping)
    for option in options:
        field_name, _, letter = option.partition("=")
        field_name, letter = field_name.strip(), letter.strip().upper()
        if field_name not in FIELDS:
            raise UsageError(tr("cli", "--map {option}: không có trường '{field}'; dùng một trong: {fields}.").format(
                option=option, field=field_name, fields=", ".join(FIELDS)))
        mapping.pop(field_name, None)
        if not letter:
            continue
        try:
            index = column_index_from_string(letter)
        except ValueError:
            raise UsageError(tr("cli", "--map {option}: '{letter}' không phải tên cột Excel (A, B, ..., Z, AA...).")
                             .format(option=option, letter=letter)) from None
        for other in [f for f, i in mapping.items() if i == index]:
            del mapping[other]  # the column now holds the field named here
        mapping[field_name] = index
    return mapping


def _where(file_name: str, problem: Problem) -> str:
    parts = [file_name]
    if problem.row is not None:
        parts.append(tr("cli", "dòng {row}").format(row=problem.row))
    if problem.column:
        parts.append(tr("cli", "cột {column}").format(column=problem.column))
    return ", ".join(parts)


def _print_problems(file_name: str, problems: list[Problem], title: str) -> None:
    if not problems:
        return
    print(title, file=sys.stderr)
    for problem in problems:
        print(f"  - {_where(file_name, problem)}: {problem.message}", file=sys.stderr)


def _failure(ctx: Context, file_name: str, exc: DtbdError) -> tuple[dict[str, Any], int]:
    problems = exc.problems or [Problem(exc.message)]
    print(tr("cli", "Lỗi: {message}").format(message=exc.message), file=sys.stderr)
    if exc.problems:
        _print_problems(file_name, exc.problems, tr("cli", "Chi tiết:"))
    print(tr("cli", "Không có gì bị thay đổi."), file=sys.stderr)
    doc = {"imported": 0, "rejected": [p.as_dict() for p in problems], "converted_legacy": 0,
           "possible_duplicates": [], "refused": True, "dry_run": bool(ctx.args.dry_run), "file": file_name,
           "error": exc.message}
    return doc, exc.exit_code


def _summary(ctx: Context, result: ImportResult, first_row: int | None, last_row: int | None) -> None:
    ctx.say(tr("cli", "Tệp {file}, trang '{sheet}': {n} dòng học viên (dòng {first}–{last}).").format(
        file=result.file, sheet=result.sheet, n=result.rows_read, first=first_row or "-", last=last_row or "-"))
    if result.converted_legacy:
        ctx.say(tr("cli", "Đã chuyển {n} dòng gõ bằng bảng mã cũ (TCVN3/VNI) sang Unicode.").format(
            n=result.converted_legacy))
    bad_rows = len({p.row for p in result.rejected if p.row is not None})
    if result.refused:
        ctx.say(tr("cli", "KHÔNG NHẬP: {k} lỗi ở {rows} dòng; không có gì bị thay đổi. Sửa tệp theo danh sách lỗi "
                          "rồi nhập lại, hoặc thêm --skip-invalid để chỉ nhập các dòng đúng.").format(
            k=len(result.rejected), rows=bad_rows))
    elif result.dry_run:
        ctx.say(tr("cli", "Chạy thử: sẽ nhập {n} học viên vào lớp {code} ({new} hồ sơ mới, {old} người đã có hồ "
                          "sơ); chưa ghi gì.").format(n=result.imported, code=result.class_code,
                                                      new=result.new_learners, old=result.existing_learners))
    else:
        ctx.say(tr("cli", "Đã nhập {n} học viên vào lớp {code} ({new} hồ sơ mới, {old} người đã có hồ sơ).").format(
            n=result.imported, code=result.class_code, new=result.new_learners, old=result.existing_learners))
    if not result.refused and result.rejected:
        ctx.say(tr("cli", "Bỏ qua {rows} dòng có lỗi (xem danh sách lỗi).").format(rows=bad_rows))
    if result.new_organisations:
        names = "; ".join(result.new_organisations)
        if ctx.args.no_new_organisations:
            message = tr("cli", "Đơn vị chưa có trong danh mục, chưa gán cho học viên ({n}): {names}.")
        elif result.dry_run:
            message = tr("cli", "Sẽ thêm {n} đơn vị mới vào danh mục: {names}.")
        else:
            message = tr("cli", "Đã thêm {n} đơn vị mới vào danh mục (xếp lại ở mục Đơn vị nếu cần): {names}.")
        ctx.say(message.format(n=len(result.new_organisations), names=names))
    for dup in result.possible_duplicates:
        ctx.say(tr("cli", "Có thể trùng người: dòng {row} giống hồ sơ đã có [{existing}]; {decision}.").format(
            row=dup.row, existing=dup.existing,
            decision=tr("cli", "dùng hồ sơ đã có") if dup.linked else tr("cli", "tạo hồ sơ mới, hãy kiểm tra lại")))


def cmd_roster_import(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks.roster import apply_import, read_roster, save_annotated_copy

    a = ctx.args
    path = Path(a.file)
    try:
        table = read_roster(path)
        if a.map:
            table = table.remap(_mapping(table, a.map))
        result = apply_import(ctx.db, a.class_code, table, dry_run=a.dry_run, skip_invalid=a.skip_invalid,
                              create_organisations=not a.no_new_organisations, link_duplicates=a.link_duplicates)
    except DtbdError as exc:
        return _failure(ctx, path.name, exc)
    rows = [r.number for r in table.rows]
    _summary(ctx, result, rows[0] if rows else None, rows[-1] if rows else None)
    _print_problems(result.file, list(result.rejected), tr("cli", "Lỗi (dòng, cột theo tệp Excel):"))
    _print_problems(result.file, list(result.warnings), tr("cli", "Lưu ý (không chặn việc nhập):"))
    if a.annotated:
        try:
            marked = save_annotated_copy(path, result.rejected, a.annotated, sheet=table.sheet,
                                         first_column=table.columns[0].index, warnings=result.warnings)
        except DtbdError as exc:
            print(tr("cli", "Lỗi: {message}").format(message=exc.message), file=sys.stderr)
        else:
            ctx.say(tr("cli", "Đã lưu bản đánh dấu {n} ô lỗi: {path}").format(n=marked, path=a.annotated))
    return result.as_json(), EXIT_REFUSED if result.refused else EXIT_OK
