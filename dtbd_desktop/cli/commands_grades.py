"""`dtbd grades ...`, `dtbd conduct set`, `dtbd graduation ...` (contract: shared/CLI.md).

Fixed by the contract: `grades set C --learner ID --module M --score S [--attempt N]
[--component K]` -> {"ok": true}; `conduct set C --learner ID [--confirmation ...]
[--discipline ...]` -> {"ok": true}; `graduation review C` -> a list of {"national_id",
"full_name", "average", "classification", "eligible", "reasons"}. The rest are extras:
finalising a module, retake rosters, the fill-in workbook and its import, the decision and the
documents. Every command calls the same core functions as the GUI.
"""

from __future__ import annotations

import argparse
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.commands_base import iso_date
from dtbd_desktop.cli.context import EXIT_OK, Context, Parser, UsageError
from dtbd_desktop.cli.output import table


def _attempt(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(tr("cli", "Lần thi '{value}' phải là số nguyên từ 1 trở lên.").format(
            value=value))
    return int(value)


def _lock_options(p: Any) -> None:
    p.add_argument("--reason", help=tr("cli", "lý do sửa (bắt buộc khi sửa điểm đã chốt)"))
    p.add_argument("--allow-locked", action="store_true",
                   help=tr("cli", "sửa cả điểm đã chốt (người chạy lệnh chịu trách nhiệm về quyền sửa)"))


def register(sub: Any) -> None:
    grades = sub.add_parser("grades", help=tr("cli", "điểm học phần, thi lại, chốt điểm"))
    g_sub = grades.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)

    gs = g_sub.add_parser("set", help=tr("cli", "nhập một điểm (8.5 hoặc 8,5)"))
    gs.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    gs.add_argument("--learner", required=True, metavar="ID", help=tr("cli", "số CCCD của học viên"))
    gs.add_argument("--module", required=True, metavar="M", help=tr("cli", "mã học phần, môn thi, khóa luận"))
    gs.add_argument("--score", required=True, metavar="S", help=tr("cli", "điểm từ 0 đến 10, một chữ số thập phân"))
    which = gs.add_mutually_exclusive_group()
    which.add_argument("--attempt", type=_attempt, metavar="N", help=tr("cli", "lần thi (mặc định 1)"))
    which.add_argument("--retake", action="store_true", help=tr("cli", "điểm thi lại (lần thi tiếp theo)"))
    gs.add_argument("--component", metavar="K", help=tr("cli", "mã điểm thành phần (bỏ trống: điểm học phần)"))
    _lock_options(gs)
    gs.set_defaults(handler=cmd_grades_set)

    gf = g_sub.add_parser("finalise", help=tr("cli", "chốt điểm một học phần của lớp"))
    gf.add_argument("class_code", metavar="C")
    gf.add_argument("--module", required=True, metavar="M")
    gf.set_defaults(handler=cmd_grades_finalise)

    gu = g_sub.add_parser("unfinalise", help=tr("cli", "mở lại điểm đã chốt (cần lý do)"))
    gu.add_argument("class_code", metavar="C")
    gu.add_argument("--module", required=True, metavar="M")
    gu.add_argument("--reason", required=True)
    gu.set_defaults(handler=cmd_grades_unfinalise)

    gh = g_sub.add_parser("show", help=tr("cli", "bảng điểm một học phần của lớp"))
    gh.add_argument("class_code", metavar="C")
    gh.add_argument("--module", required=True, metavar="M")
    gh.set_defaults(handler=cmd_grades_show)

    gr = g_sub.add_parser("retakes", help=tr("cli", "danh sách thi lại"))
    gr.add_argument("class_code", metavar="C")
    gr.add_argument("--module", metavar="M", help=tr("cli", "một học phần (mặc định: tất cả)"))
    gr.set_defaults(handler=cmd_grades_retakes)

    gx = g_sub.add_parser("sheet", help=tr("cli", "xuất bảng điểm học phần ra Excel để nhập điểm"))
    gx.add_argument("class_code", metavar="C")
    gx.add_argument("--module", required=True, metavar="M")
    gx.add_argument("--out", required=True, metavar="FILE.xlsx")
    gx.set_defaults(handler=cmd_grades_sheet)

    gi = g_sub.add_parser("import", help=tr("cli", "nhập lại bảng điểm Excel đã điền (tất cả hoặc không gì cả)"))
    gi.add_argument("class_code", metavar="C")
    gi.add_argument("file", metavar="FILE.xlsx")
    gi.add_argument("--dry-run", action="store_true", help=tr("cli", "chỉ kiểm tra, không lưu"))
    _lock_options(gi)
    gi.set_defaults(handler=cmd_grades_import)

    conduct = sub.add_parser("conduct", help=tr("cli", "nhận xét của cơ quan cử đi học, kỷ luật, rèn luyện"))
    c_sub = conduct.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    cs = c_sub.add_parser("set", help=tr("cli", "ghi nhận xét, kỷ luật của một học viên"))
    cs.add_argument("class_code", metavar="C")
    cs.add_argument("--learner", required=True, metavar="ID")
    cs.add_argument("--confirmation", choices=["received", "unfavourable", "missing"],
                    help=tr("cli", "nhận xét của cơ quan cử đi học: received (đạt), unfavourable (không đạt), missing"))
    cs.add_argument("--discipline", choices=["none", "reprimand", "warning", "expulsion"],
                    help=tr("cli", "kỷ luật: none, reprimand (khiển trách), warning (cảnh cáo), expulsion"))
    cs.add_argument("--conduct", metavar="TEXT", help=tr("cli", "xếp loại rèn luyện, ví dụ: Tốt"))
    cs.add_argument("--reason", help=tr("cli", "ghi chú, căn cứ (văn bản của cơ quan cử đi học...)"))
    cs.set_defaults(handler=cmd_conduct_set)

    grad = sub.add_parser("graduation", help=tr("cli", "xét tốt nghiệp, quyết định, danh sách và bảng điểm in"))
    r_sub = grad.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    rv = r_sub.add_parser("review", help=tr("cli", "xét tốt nghiệp (hoàn thành khóa học) theo quy định của lớp"))
    rv.add_argument("class_code", metavar="C")
    rv.add_argument("--dry-run", action="store_true", help=tr("cli", "chỉ xem, không lưu kết quả"))
    rv.set_defaults(handler=cmd_graduation_review)

    rd = r_sub.add_parser("decision", help=tr("cli", "vào sổ (lấy số) quyết định công nhận tốt nghiệp, ghi cho học viên "
                                                     "và in quyết định kèm danh sách"))
    rd.add_argument("class_code", metavar="C")
    rd.add_argument("--number", metavar="N", help=tr("cli", "số đã cấp ngoài chương trình (ví dụ 45 hoặc 45-QĐ/TCT); "
                                                           "mặc định: lấy số tiếp theo trong sổ văn bản đi"))
    rd.add_argument("--date", type=iso_date, metavar="D", help=tr("cli", "ngày ký quyết định (mặc định: ngày đã ghi, hoặc hôm nay)"))
    rd.add_argument("--deputy", action="store_true", help=tr("cli", "cấp phó ký thay (K/T), theo cài đặt"))
    rd.add_argument("--out", metavar="FILE.pdf|.xlsx", help=tr("cli", "in quyết định kèm danh sách ra tệp này"))
    rd.set_defaults(handler=cmd_graduation_decision)

    doc = r_sub.add_parser("documents", help=tr("cli", "in danh sách xét, danh sách công nhận, bảng điểm"))
    doc.add_argument("class_code", metavar="C")
    doc.add_argument("--kind", required=True, choices=["review", "decision", "scores", "transcript"],
                     help=tr("cli", "review (xét tốt nghiệp), decision (kèm quyết định), scores (bảng điểm tổng hợp), "
                                    "transcript (bảng điểm từng học viên)"))
    doc.add_argument("--out", required=True, metavar="FILE.pdf|.xlsx")
    doc.add_argument("--decision-number", metavar="N", help=tr("cli", "số quyết định (được lưu lại)"))
    doc.add_argument("--decision-date", type=iso_date, metavar="D", help=tr("cli", "ngày quyết định YYYY-MM-DD"))
    doc.add_argument("--learner", metavar="ID", help=tr("cli", "chỉ một học viên (bảng điểm cá nhân)"))
    doc.add_argument("--date", type=iso_date, metavar="D", help=tr("cli", "ngày ký in trên tài liệu (mặc định hôm nay)"))
    doc.set_defaults(handler=cmd_graduation_documents)


# ----------------------------------------------------------------------------- grades


def cmd_grades_set(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.rules import scores as score_rules
    from dtbd_desktop.services import scores

    a = ctx.args
    try:  # an empty --score is no score (the grid clears a cell with "", the command line does not)
        text.parse_score(a.score)
    except text.ScoreParseError as exc:
        raise InputError(exc.message) from exc
    with ctx.write() as session:
        change = scores.set_score(session, a.class_code, a.learner, a.module, a.score, attempt=a.attempt,
                                  retake=a.retake, component=a.component, reason=a.reason,
                                  allow_locked=a.allow_locked)
    where = change.module_code + (f"/{change.component}" if change.component else "")
    if change.changed:
        ctx.say(tr("cli", "Đã lưu điểm {score} {where} lần {n} cho {name}{old}.").format(
            score=score_rules.score_text(change.new), where=where, n=change.attempt, name=change.full_name,
            old=tr("cli", " (trước: {old})").format(old=score_rules.score_text(change.old)) if change.old is not None else ""))
    else:
        ctx.say(tr("cli", "Điểm {where} lần {n} của {name} đã là {score}; không có gì thay đổi.").format(
            where=where, n=change.attempt, name=change.full_name, score=score_rules.score_text(change.new)))
    return {"ok": True}, EXIT_OK


def cmd_grades_finalise(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import scores

    a = ctx.args
    with ctx.write() as session:
        result = scores.finalise_module(session, a.class_code, a.module)
    ctx.say(tr("cli", "Đã chốt điểm học phần {module} lớp {code}.").format(module=result.module_code, code=a.class_code))
    if result.missing:
        ctx.say(tr("cli", "Chưa có điểm: {names}.").format(names=", ".join(result.missing)))
    return {"module": result.module_code, "finalised": True, "missing": result.missing}, EXIT_OK


def cmd_grades_unfinalise(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import scores

    a = ctx.args
    with ctx.write() as session:
        scores.unfinalise_module(session, a.class_code, a.module, reason=a.reason)
    ctx.say(tr("cli", "Đã mở lại điểm học phần {module} lớp {code}.").format(module=a.module, code=a.class_code))
    return {"module": a.module, "finalised": False}, EXIT_OK


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def cmd_grades_show(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.rules import scores as score_rules
    from dtbd_desktop.services import scores

    a = ctx.args
    with ctx.read() as session:
        sheet = scores.load_score_sheet(session, a.class_code, a.module)
    doc = []
    for row in sheet.rows:
        doc.append({
            "national_id": row.national_id, "full_name": row.full_name,
            "scores": [{"attempt": c.attempt, "component": c.component, "value": _number(row.value(c))}
                       for c in sheet.columns if row.value(c) is not None],
            "counted": _number(row.result.counted), "status": row.result.status,
        })
    if not ctx.json:
        ctx.say(f"{sheet.module_code}. {sheet.module_name}" + (tr("cli", " (đã chốt)") if sheet.locked else ""))
        ctx.say(table([tr("cli", "Họ và tên"), tr("cli", "Số CCCD"), *(c.label for c in sheet.columns),
                       tr("cli", "Điểm tính"), tr("cli", "Kết quả")],
                      [[r.full_name, r.national_id or "", *(score_rules.score_text(r.value(c)) for c in sheet.columns),
                        score_rules.score_text(r.result.counted), score_rules.status_label(r.result.status)]
                       for r in sheet.rows]))
    return doc, EXIT_OK


def cmd_grades_retakes(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.rules import scores as score_rules
    from dtbd_desktop.services import scores

    a = ctx.args
    with ctx.read() as session:
        rows = scores.retake_roster(session, a.class_code, a.module)
    if not ctx.json:
        ctx.say(table([tr("cli", "Học phần"), tr("cli", "Họ và tên"), tr("cli", "Số CCCD"), tr("cli", "Các lần thi"),
                       tr("cli", "Thi lại lần")],
                      [[r.module_code, r.full_name, r.national_id or "",
                        " / ".join(score_rules.score_text(v) for v in r.attempts), r.next_attempt] for r in rows]))
        ctx.say(tr("cli", "{n} lượt thi lại.").format(n=len(rows)))
    return [{"module": r.module_code, "national_id": r.national_id, "full_name": r.full_name,
             "attempts": [_number(v) for v in r.attempts], "counted": _number(r.counted),
             "next_attempt": r.next_attempt} for r in rows], EXIT_OK


def cmd_grades_sheet(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks import scores as score_workbook

    a = ctx.args
    with ctx.read() as session:
        rows = score_workbook.export_score_workbook(session, a.class_code, a.module, a.out)
    ctx.say(tr("cli", "Đã xuất bảng điểm {module} ({n} học viên) ra {path}.").format(module=a.module, n=rows,
                                                                                      path=a.out))
    return {"path": a.out, "rows": rows}, EXIT_OK


def cmd_grades_import(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks import scores as score_workbook

    a = ctx.args
    session_of = ctx.read if a.dry_run else ctx.write  # a read session is rolled back at its end
    with session_of() as session:
        result = score_workbook.import_score_workbook(session, a.class_code, a.file, reason=a.reason,
                                              allow_locked=a.allow_locked)
    if a.dry_run:
        ctx.say(tr("cli", "Kiểm tra xong: {n} điểm sẽ được lưu, {m} không đổi (chưa lưu gì).").format(
            n=result.changed, m=result.unchanged))
    else:
        ctx.say(tr("cli", "Đã nhập {n} điểm học phần {module}; {m} điểm không đổi.").format(
            n=result.changed, module=result.module_code, m=result.unchanged))
    return {"module": result.module_code, "imported": result.changed, "unchanged": result.unchanged,
            "dry_run": bool(a.dry_run)}, EXIT_OK


# ----------------------------------------------------------------------------- conduct


def cmd_conduct_set(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import graduation

    a = ctx.args
    if a.confirmation is None and a.discipline is None and a.conduct is None:
        raise UsageError(tr("cli", "dtbd conduct set: cần ít nhất một trong --confirmation, --discipline, --conduct"))
    with ctx.write() as session:
        changes = graduation.set_conduct(session, a.class_code, a.learner, confirmation=a.confirmation,
                                         discipline=a.discipline, conduct=a.conduct, reason=a.reason)
    if changes:
        ctx.say(tr("cli", "Đã ghi: {changes}.").format(changes="; ".join(
            f"{name}: {old or '—'} → {new or '—'}" for name, old, new in changes)))
    else:
        ctx.say(tr("cli", "Không có gì thay đổi."))
    return {"ok": True}, EXIT_OK


# ----------------------------------------------------------------------------- graduation


def cmd_graduation_review(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import graduation

    a = ctx.args
    session_of = ctx.read if a.dry_run else ctx.write
    with session_of() as session:
        rows = graduation.review(session, a.class_code, save=not a.dry_run)
    if not ctx.json:
        ctx.say(table(
            [tr("cli", "Hạng"), tr("cli", "Họ và tên"), tr("cli", "Số CCCD"), tr("cli", "Điểm TB"),
             tr("cli", "Xếp loại"), tr("cli", "Lý do")],
            [[r.rank or "", r.full_name, r.national_id or "", text.format_decimal(r.average, 2),
              (r.classification or "") + (f" ({r.outcome.essay_band})" if r.outcome.essay_band else ""),
              "; ".join(r.reasons)] for r in rows]))
        eligible = sum(1 for r in rows if r.eligible)
        ctx.say(tr("cli", "{ok}/{n} học viên đủ điều kiện.").format(ok=eligible, n=len(rows))
                + ("" if a.dry_run else " " + tr("cli", "Đã lưu kết quả xét.")))
    return [r.as_json() for r in rows], EXIT_OK


def cmd_graduation_decision(ctx: Context) -> tuple[Any, int]:
    import datetime as dt

    from dtbd_desktop.reports import graduation_reports
    from dtbd_desktop.services import graduation, graduation_decision

    a = ctx.args
    with ctx.write() as session:
        n = graduation.set_decision(session, a.class_code, number=a.number, date=a.date, deputy=a.deputy)
        decision = graduation_decision.load_decision(session, a.class_code)
    number, when = decision.number or "", decision.date or a.date or dt.date.today()
    ctx.say(tr("cli", "Đã ghi quyết định {number} ngày {date} cho {n} học viên.").format(
        number=number, date=text.format_date(when), n=n))
    doc: dict[str, Any] = {"class": a.class_code, "decision_number": number, "decision_date": when.isoformat(),
                           "learners": n}
    if a.out:
        with ctx.read() as session:
            count = graduation_reports.export_decision(session, a.class_code, a.out)
        unit = "pages" if a.out.lower().endswith(".pdf") else "rows"
        doc.update({"path": a.out, unit: count})
        ctx.say(tr("cli", "Đã in quyết định ra {path}.").format(path=a.out))
    return doc, EXIT_OK


def cmd_graduation_documents(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports import graduation_reports
    from dtbd_desktop.services import graduation

    a = ctx.args
    if (a.decision_number is None) != (a.decision_date is None):
        raise UsageError(tr("cli", "dtbd graduation documents: --decision-number và --decision-date đi cùng nhau"))
    if a.decision_number and a.kind != "decision":
        raise UsageError(tr("cli", "dtbd graduation documents: --decision-number chỉ dùng với --kind decision"))
    if a.learner and a.kind != "transcript":
        raise UsageError(tr("cli", "dtbd graduation documents: --learner chỉ dùng với --kind transcript"))
    if a.decision_number:
        with ctx.write() as session:
            graduation.set_decision(session, a.class_code, number=a.decision_number, date=a.decision_date)
    with ctx.read() as session:
        count = graduation_reports.export_document(session, a.class_code, a.kind, a.out, national_id=a.learner,
                                                   number=a.decision_number, date=a.decision_date, on=a.date)
    unit = "pages" if a.out.lower().endswith(".pdf") else "rows"
    ctx.say(tr("cli", "Đã ghi {path} ({n} {unit}).").format(
        path=a.out, n=count, unit=tr("cli", "trang") if unit == "pages" else tr("cli", "dòng")))
    return {"path": a.out, unit: count}, EXIT_OK
