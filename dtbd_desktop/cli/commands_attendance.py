"""`dtbd timetable ...`, `dtbd holiday ...` and `dtbd attendance ...` (contract: shared/CLI.md).

Every handler calls the same core functions as the GUI: `services.timetable`,
`services.attendance`, `reports.attendance_reports` and `workbooks.attendance`.
A refusal raises `InputError` inside the unit of work, so nothing is written (exit 1).
"""

from __future__ import annotations

import argparse
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.commands_base import iso_date, year_value
from dtbd_desktop.cli.context import EXIT_OK, Context, Parser
from dtbd_desktop.cli.output import table
from dtbd_desktop.rules.vocabulary import ATTENDANCE_STATUSES, HALVES


def _positive_int(value: str) -> int:
    if not value.strip().isdigit() or int(value) <= 0:
        raise argparse.ArgumentTypeError(tr("cli", "'{value}' phải là số nguyên lớn hơn 0.").format(value=value))
    return int(value)


def _weekdays(value: str) -> list[int]:
    """"6,7" -> [6, 7] (ISO weekdays: Monday 1 ... Sunday 7)."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= 7 for p in parts):
        raise argparse.ArgumentTypeError(tr("cli", "'{value}' phải là các ngày trong tuần từ 1 (Thứ Hai) đến 7 (Chủ "
                                                   "nhật), cách nhau bởi dấu phẩy, ví dụ 6,7.").format(value=value))
    return sorted({int(p) for p in parts})


def _actions(parser: Any) -> Any:
    return parser.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)


def register(sub: Any) -> None:

    tt = _actions(sub.add_parser("timetable", help=tr("cli", "thời khóa biểu của lớp")))
    p = tt.add_parser("generate", help=tr("cli", "lập thời khóa biểu: xếp các học phần vào các buổi học"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.add_argument("--replace", action="store_true",
                   help=tr("cli", "lập lại thời khóa biểu đã có (giữ các buổi đã học, đã điểm danh, đi thực tế)"))
    p.add_argument("--from", dest="start", type=iso_date,
                   help=tr("cli", "xếp lịch từ ngày YYYY-MM-DD (mặc định: ngày khai giảng, hoặc sau buổi điểm danh "
                                  "cuối)"))
    p.add_argument("--weekdays", type=_weekdays, metavar="N,N",
                   help=tr("cli", "các ngày học trong tuần, 1 (Thứ Hai) đến 7 (Chủ nhật), ví dụ 6,7; được lưu cho lớp"))
    p.set_defaults(handler=cmd_timetable_generate)
    p = tt.add_parser("list", help=tr("cli", "các buổi học của lớp theo thứ tự ngày"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.set_defaults(handler=cmd_timetable_list)
    p = tt.add_parser("conflicts", help=tr("cli", "trùng lịch: giảng viên dạy hai lớp cùng buổi, học vào ngày nghỉ"))
    p.add_argument("class_code", metavar="C", nargs="?", help=tr("cli", "mã lớp (bỏ trống: mọi lớp)"))
    p.add_argument("--from", dest="start", type=iso_date, help=tr("cli", "từ ngày YYYY-MM-DD"))
    p.add_argument("--to", dest="end", type=iso_date, help=tr("cli", "đến ngày YYYY-MM-DD"))
    p.set_defaults(handler=cmd_timetable_conflicts)

    hol = _actions(sub.add_parser("holiday", help=tr("cli", "lịch ngày nghỉ của trường/trung tâm")))
    p = hol.add_parser("list", help=tr("cli", "các ngày nghỉ"))
    p.add_argument("--year", type=year_value, help=tr("cli", "năm"))
    p.set_defaults(handler=cmd_holiday_list)
    p = hol.add_parser("add", help=tr("cli", "thêm (hoặc đổi tên) một ngày nghỉ"))
    p.add_argument("--date", required=True, type=iso_date, help=tr("cli", "ngày YYYY-MM-DD"))
    p.add_argument("--name", required=True, help=tr("cli", "tên ngày nghỉ"))
    p.set_defaults(handler=cmd_holiday_add)
    p = hol.add_parser("remove", help=tr("cli", "bỏ một ngày nghỉ"))
    p.add_argument("--date", required=True, type=iso_date, help=tr("cli", "ngày YYYY-MM-DD"))
    p.set_defaults(handler=cmd_holiday_remove)
    p = hol.add_parser("seed", help=tr("cli", "thêm các ngày lễ cố định của một năm (1/1, 30/4, 1/5, 2/9...)"))
    p.add_argument("--year", required=True, type=year_value, help=tr("cli", "năm"))
    p.set_defaults(handler=cmd_holiday_seed)

    att = _actions(sub.add_parser("attendance", help=tr("cli", "điểm danh, chuyên cần")))
    p = att.add_parser("set", help=tr("cli", "điểm danh một học viên trong một buổi"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.add_argument("--learner", required=True, metavar="ID", help=tr("cli", "số CCCD của học viên"))
    p.add_argument("--date", required=True, type=iso_date, help=tr("cli", "ngày YYYY-MM-DD"))
    p.add_argument("--half", required=True, choices=list(HALVES), help=tr("cli", "buổi: sáng, chiều hoặc tối"))
    p.add_argument("--status", required=True, choices=list(ATTENDANCE_STATUSES),
                   help=tr("cli", "có mặt, vắng có phép, vắng không phép, đi muộn"))
    p.add_argument("--reason", help=tr("cli", "lý do (bắt buộc khi sửa điểm danh đã khóa)"))
    p.add_argument("--override-lock", action="store_true",
                   help=tr("cli", "sửa điểm danh đã khóa (người chạy lệnh chịu trách nhiệm; cần --reason)"))
    p.set_defaults(handler=cmd_attendance_set)

    p = att.add_parser("summary", help=tr("cli", "số tiết vắng, tỷ lệ, học phần không được thi, điều kiện cấp chứng nhận"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.set_defaults(handler=cmd_attendance_summary)

    p = att.add_parser("makeup", help=tr("cli", "ghi nhận học bổ sung một học phần"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.add_argument("--learner", required=True, metavar="ID", help=tr("cli", "số CCCD của học viên"))
    p.add_argument("--module", required=True, metavar="M", help=tr("cli", "mã học phần"))
    p.add_argument("--date", required=True, type=iso_date, help=tr("cli", "ngày học bổ sung YYYY-MM-DD"))
    p.add_argument("--periods", required=True, type=_positive_int, help=tr("cli", "số tiết đã học bổ sung"))
    p.add_argument("--note", help=tr("cli", "ghi chú"))
    p.set_defaults(handler=cmd_attendance_makeup)

    p = att.add_parser("sheet", help=tr("cli", "in danh sách ký tên của một buổi học (PDF)"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.add_argument("--date", required=True, type=iso_date, help=tr("cli", "ngày YYYY-MM-DD"))
    p.add_argument("--half", required=True, choices=list(HALVES), help=tr("cli", "buổi"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=tr("cli", "tệp PDF"))
    p.set_defaults(handler=cmd_attendance_sheet)

    p = att.add_parser("report", help=tr("cli", "in bảng tổng hợp chuyên cần của lớp (PDF hoặc XLSX)"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.add_argument("--out", required=True, metavar="FILE.pdf|.xlsx", help=tr("cli", "tệp kết quả"))
    p.add_argument("--date", type=iso_date, metavar="D",
                   help=tr("cli", "ngày ký, số liệu tính đến ngày này (mặc định: hôm nay)"))
    p.set_defaults(handler=cmd_attendance_report)

    p = att.add_parser("letters", help=tr("cli", "in công văn thông báo chuyên cần gửi từng đơn vị cử học viên (PDF), "
                                                 "mỗi công văn lấy số trong sổ văn bản đi"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=tr("cli", "tệp PDF"))
    p.add_argument("--date", type=iso_date, metavar="D",
                   help=tr("cli", "ngày ký, số liệu tính đến ngày này (mặc định: hôm nay)"))
    p.add_argument("--draft", action="store_true", help=tr("cli", "bản nháp: chưa lấy số, không ghi vào sổ"))
    p.add_argument("--deputy", action="store_true", help=tr("cli", "cấp phó ký thay (K/T), theo cài đặt"))
    p.set_defaults(handler=cmd_attendance_letters)

    p = att.add_parser("export", help=tr("cli", "xuất bảng điểm danh để nhập tay từ sổ ký tên (XLSX)"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help=tr("cli", "tệp XLSX"))
    p.set_defaults(handler=cmd_attendance_export)

    p = att.add_parser("import", help=tr("cli", "nhập lại bảng điểm danh đã điền (XLSX)"))
    p.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    p.add_argument("file", metavar="FILE.xlsx", help=tr("cli", "tệp XLSX do chương trình xuất ra"))
    p.add_argument("--dry-run", action="store_true", help=tr("cli", "chỉ kiểm tra, không ghi gì"))
    p.add_argument("--reason", help=tr("cli", "lý do (bắt buộc khi sửa điểm danh đã khóa)"))
    p.add_argument("--override-lock", action="store_true",
                   help=tr("cli", "cho sửa điểm danh đã khóa (cần --reason)"))
    p.set_defaults(handler=cmd_attendance_import)


def _suffix(path: str, allowed: tuple[str, ...]) -> None:
    from dtbd_desktop.base.errors import InputError

    if not path.lower().endswith(allowed):
        raise InputError(tr("cli", "Tệp kết quả phải có đuôi {allowed}.").format(allowed=" hoặc ".join(allowed)))


# ---------------------------------------------------------------------------------- timetable


def cmd_timetable_generate(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import timetable as timetable_service

    with ctx.write() as session:
        result = timetable_service.generate_timetable(session, ctx.args.class_code, replace=ctx.args.replace,
                                                      start=ctx.args.start, weekdays=ctx.args.weekdays)
    if result.sessions:
        assert result.first and result.last
        ctx.say(tr("cli", "Đã lập thời khóa biểu lớp {code}: {n} buổi, từ {first} đến {last}.").format(
            code=ctx.args.class_code, n=result.sessions, first=text.format_date(result.first),
            last=text.format_date(result.last)))
    if result.kept:
        ctx.say(tr("cli", "Giữ nguyên {n} buổi đã có (đã học, đã điểm danh hoặc thêm bằng tay).").format(n=result.kept))
    if result.holidays_skipped:
        ctx.say(tr("cli", "Đã bỏ qua các ngày nghỉ: {days}.").format(
            days=", ".join(text.format_date(d) for d in result.holidays_skipped)))
    return result.as_json(), EXIT_OK


def cmd_timetable_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.rules import timetable
    from dtbd_desktop.services import timetable as timetable_service

    with ctx.read(personal=False) as session:
        rows = timetable_service.list_sessions(session, ctx.args.class_code)
    if not ctx.json:
        ctx.say(table(
            [tr("cli", "Ngày"), tr("cli", "Thứ"), tr("cli", "Buổi"), tr("cli", "Học phần"), tr("cli", "Số tiết"),
             tr("cli", "Giảng viên"), tr("cli", "Loại")],
            [[text.format_date(r.date), timetable.weekday_label(r.date), timetable.half_label(r.half),
              r.module_code or "", r.periods, r.lecturer or "", timetable.session_kind_label(r.kind)] for r in rows]))
        ctx.say(tr("cli", "{n} buổi, {p} tiết.").format(n=len(rows), p=sum(r.periods for r in rows)))
    return [r.as_json() for r in rows], EXIT_OK


def cmd_timetable_conflicts(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import timetable as timetable_service

    a = ctx.args
    with ctx.read(personal=False) as session:
        found = timetable_service.timetable_conflicts(session, a.class_code, start=a.start, end=a.end)
    for c in found:
        ctx.say(c.message)
    if not found:
        ctx.say(tr("cli", "Không có trùng lịch."))
    return [c.as_json() for c in found], EXIT_OK


# ---------------------------------------------------------------------------------- holidays


def cmd_holiday_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.rules import timetable
    from dtbd_desktop.services import timetable as timetable_service

    with ctx.read(personal=False) as session:
        rows = timetable_service.list_holidays(session, ctx.args.year)
    if not ctx.json:
        ctx.say(table([tr("cli", "Ngày"), tr("cli", "Thứ"), tr("cli", "Ngày nghỉ")],
                      [[text.format_date(r.date), timetable.weekday_label(r.date), r.name] for r in rows]))
    return [{"date": r.date.isoformat(), "name": r.name} for r in rows], EXIT_OK


def cmd_holiday_add(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import timetable as timetable_service

    with ctx.write() as session:
        row = timetable_service.add_holiday(session, ctx.args.date, ctx.args.name)
    ctx.say(tr("cli", "Đã thêm ngày nghỉ {date}: {name}.").format(date=text.format_date(row.date), name=row.name))
    return {"date": row.date.isoformat(), "name": row.name}, EXIT_OK


def cmd_holiday_remove(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import timetable as timetable_service

    with ctx.write() as session:
        timetable_service.remove_holiday(session, ctx.args.date)
    ctx.say(tr("cli", "Đã bỏ ngày nghỉ {date}.").format(date=text.format_date(ctx.args.date)))
    return {"ok": True}, EXIT_OK


def cmd_holiday_seed(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import timetable as timetable_service

    with ctx.write() as session:
        added = timetable_service.seed_national_holidays(session, ctx.args.year)
    ctx.say(tr("cli", "Đã thêm {n} ngày lễ của năm {year}.").format(n=added, year=ctx.args.year))
    return {"added": added}, EXIT_OK


# ---------------------------------------------------------------------------------- attendance


def cmd_attendance_set(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.rules import attendance as rules_mod
    from dtbd_desktop.rules import timetable
    from dtbd_desktop.services import attendance

    a = ctx.args
    with ctx.write() as session:
        saved = attendance.set_mark(session, a.class_code, a.learner, a.date, a.half, a.status, reason=a.reason,
                                    allow_locked=a.override_lock)
    slot = f"{timetable.half_label(a.half).lower()} {text.format_date(a.date)}"
    if saved.changed:
        old = saved.changes[0].old
        ctx.say(tr("cli", "Đã ghi {status} cho học viên {nid}, buổi {slot}{was}.").format(
            status=rules_mod.status_label(a.status).lower(), nid=a.learner, slot=slot,
            was=tr("cli", " (trước là: {old})").format(old=rules_mod.status_label(old).lower()) if old else ""))
    else:
        ctx.say(tr("cli", "Không thay đổi: học viên {nid} đã được ghi {status} buổi {slot}.").format(
            nid=a.learner, status=rules_mod.status_label(a.status).lower(), slot=slot))
    return {"ok": True}, EXIT_OK


def cmd_attendance_summary(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import attendance

    with ctx.read() as session:
        rows = attendance.attendance_summary(session, ctx.args.class_code)
    if not ctx.json:
        ctx.say(table(
            [tr("cli", "Họ và tên"), tr("cli", "Số CCCD"), tr("cli", "Vắng (tiết)"), tr("cli", "Tỷ lệ"),
             tr("cli", "Không được thi"), tr("cli", "Đủ điều kiện")],
            [[r.full_name, r.national_id or "", r.absent_periods, text.format_percent(r.absent_share * 100, 1),
              ", ".join(r.barred_modules), tr("cli", "có") if r.certificate_eligible else tr("cli", "không")]
             for r in rows]))
        for r in rows:
            for explanation in r.explanations:
                ctx.say(f"- {r.full_name}: {explanation}")
    return [r.as_json() for r in rows], EXIT_OK


def cmd_attendance_makeup(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import attendance

    a = ctx.args
    with ctx.write() as session:
        row = attendance.record_makeup(session, a.class_code, a.learner, a.module, a.date, a.periods, a.note)
    ctx.say(tr("cli", "Đã ghi {name} học bổ sung {periods} tiết học phần {module} ngày {date}.").format(
        name=row.full_name, periods=row.periods, module=row.module_code, date=text.format_date(row.date)))
    return {"ok": True}, EXIT_OK


def cmd_attendance_sheet(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports import attendance_reports

    a = ctx.args
    _suffix(a.out, (".pdf",))
    with ctx.read() as session:
        pages = attendance_reports.export_sign_in_sheet(session, a.class_code, a.date, a.half, a.out)
    ctx.say(tr("cli", "Đã in danh sách ký tên ra {path} ({n} trang).").format(path=a.out, n=pages))
    return {"path": a.out, "pages": pages}, EXIT_OK


def cmd_attendance_report(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports import attendance_reports

    a = ctx.args
    _suffix(a.out, (".pdf", ".xlsx"))
    with ctx.read() as session:
        key, n = attendance_reports.export_summary(session, a.class_code, a.out, on=a.date)
    ctx.say(tr("cli", "Đã in bảng tổng hợp chuyên cần ra {path}.").format(path=a.out))
    return {"path": a.out, key: n}, EXIT_OK


def cmd_attendance_letters(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports import attendance_reports

    a = ctx.args
    _suffix(a.out, (".pdf",))
    session_of = ctx.read if a.draft else ctx.write
    with session_of() as session:
        result = attendance_reports.export_letters(session, a.class_code, a.out, on=a.date, draft=a.draft,
                                                   deputy=a.deputy)
    ctx.say(tr("cli", "Đã in {n} thông báo gửi đơn vị ra {path} ({pages} trang).").format(
        n=result.letters, path=a.out, pages=result.pages))
    if result.numbers:
        ctx.say(tr("cli", "Số công văn: {numbers}.").format(numbers=", ".join(result.numbers)))
    if result.without_organisation:
        ctx.say(tr("cli", "{n} học viên có vắng nhưng chưa có đơn vị cử đi học: không có thông báo.").format(
            n=result.without_organisation))
    return {"path": a.out, "pages": result.pages, "letters": result.letters,
            "organisations": result.organisations, "numbers": result.numbers}, EXIT_OK


def cmd_attendance_export(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks import attendance as attendance_workbook

    a = ctx.args
    _suffix(a.out, (".xlsx",))
    with ctx.read() as session:
        rows, sessions = attendance_workbook.export_workbook(session, a.class_code, a.out)
    ctx.say(tr("cli", "Đã xuất bảng điểm danh ra {path}: {rows} học viên × {sessions} buổi.").format(
        path=a.out, rows=rows, sessions=sessions))
    return {"path": a.out, "rows": rows, "sessions": sessions}, EXIT_OK


def cmd_attendance_import(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks import attendance as attendance_workbook

    a = ctx.args
    with ctx.write() as session:
        result = attendance_workbook.import_workbook(session, a.class_code, a.file, dry_run=a.dry_run,
                                                     reason=a.reason, allow_locked=a.override_lock)
    if a.dry_run:
        ctx.say(tr("cli", "Kiểm tra xong, không có lỗi: sẽ ghi {n} thay đổi ({same} ô không đổi). Chưa ghi gì.").format(
            n=result.changed, same=result.unchanged))
    else:
        ctx.say(tr("cli", "Đã nhập {n} thay đổi điểm danh ({same} ô không đổi).").format(
            n=result.changed, same=result.unchanged))
    return result.as_json(), EXIT_OK
