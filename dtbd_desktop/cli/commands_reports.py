"""`dtbd report ...` (annual report, plan against actual, statistics, lecturers' periods,
feedback, follow-up), `dtbd plan ...`, `dtbd needs ...`, `dtbd feedback ...`,
`dtbd followup ...` and `dtbd dashboard`: the same core functions the Reports screen and the
Dashboard call.

`dtbd report annual --year Y --out FILE.pdf|.xlsx` prints (JSON) {"path", "classes",
"learners"} as CLI.md fixes, plus "year", "as_of", "planned_classes", "planned_learners",
"classes_percent", "learners_percent", "carried_over_classes", "carried_over_learners",
"summary" and "pages" (PDF) or "sheets" (XLSX).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.commands_base import iso_date, year_value
from dtbd_desktop.cli.context import EXIT_OK, Context, Parser, UsageError
from dtbd_desktop.cli.output import table


def _num(value: Decimal | None, places: int = 1) -> float | None:
    return None if value is None else float(round(value, places))


def _actions(parser: Any) -> Any:
    return parser.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)


def _year(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--year", type=year_value, required=required, help=tr("cli", "năm, ví dụ 2026"))


def register(sub: Any) -> None:
    rep = _actions(sub.add_parser("report", help=tr("cli", "báo cáo: kế hoạch, thống kê, giảng viên, phản hồi")))
    p = rep.add_parser("annual", help=tr("cli", "báo cáo năm: kế hoạch và thực hiện, thống kê (PDF hoặc XLSX)"))
    _year(p)
    p.add_argument("--out", required=True, metavar="FILE", help=tr("cli", "tệp kết quả: .pdf hoặc .xlsx"))
    p.add_argument("--date", type=iso_date, help=tr("cli", "ngày ký ghi trên báo cáo (mặc định: ngày đã vào sổ, "
                                                          "hoặc hôm nay)"))
    p.add_argument("--as-of", type=iso_date, dest="as_of",
                   help=tr("cli", "số liệu tính đến ngày này (mặc định: cuối năm, hoặc hôm nay nếu năm chưa hết)"))
    p.add_argument("--count-carried-over", action="store_true", dest="carried",
                   help=tr("cli", "tính cả lớp chuyển tiếp từ năm trước vào số thực hiện so với kế hoạch"))
    p.add_argument("--draft", action="store_true", help=tr("cli", "bản nháp: chưa lấy số báo cáo trong sổ văn bản đi"))
    p.add_argument("--deputy", action="store_true", help=tr("cli", "cấp phó ký thay (K/T), theo cài đặt"))
    p.set_defaults(handler=cmd_report_annual)
    p = rep.add_parser("annual-text", help=tr("cli", "nhận định và phương hướng in trong báo cáo năm: xem, sửa"))
    _year(p)
    p.add_argument("--assessment", metavar="TEXT", help=tr("cli", "đánh giá chung (mỗi đoạn một dòng; \"\" trở về mặc "
                                                                 "định)"))
    p.add_argument("--next-year", metavar="TEXT", dest="next_year",
                   help=tr("cli", "phương hướng, nhiệm vụ năm sau (mỗi đoạn một dòng; \"\" trở về mặc định)"))
    p.set_defaults(handler=cmd_report_annual_text)
    p = rep.add_parser("plan", help=tr("cli", "kế hoạch và thực hiện theo chương trình"))
    _year(p)
    p.add_argument("--as-of", type=iso_date, dest="as_of", help=tr("cli", "số liệu tính đến ngày này"))
    p.add_argument("--count-carried-over", action="store_true", dest="carried",
                   help=tr("cli", "tính cả lớp chuyển tiếp vào số thực hiện"))
    p.set_defaults(handler=cmd_report_plan)
    p = rep.add_parser("stats", help=tr("cli", "thống kê lớp và lượt học viên của năm"))
    _year(p)
    p.set_defaults(handler=cmd_report_stats)
    p = rep.add_parser("lecturers", help=tr("cli", "số tiết giảng theo giảng viên (tùy chọn: bảng XLSX để thanh toán)"))
    _year(p)
    p.add_argument("--out", metavar="FILE.xlsx", help=tr("cli", "xuất bảng tổng hợp ra tệp .xlsx"))
    p.set_defaults(handler=cmd_report_lecturers)
    p = rep.add_parser("feedback", help=tr("cli", "tỷ lệ học viên hài lòng theo giảng viên và chương trình"))
    _year(p, required=False)
    p.add_argument("--class", dest="class_code", metavar="C", help=tr("cli", "chỉ một lớp"))
    p.set_defaults(handler=cmd_report_feedback)
    p = rep.add_parser("followup", help=tr("cli", "kết quả theo dõi sau đào tạo theo chương trình và khóa"))
    p.add_argument("--cohort", type=year_value, action="append", help=tr("cli", "năm tốt nghiệp (có thể lặp lại)"))
    p.set_defaults(handler=cmd_report_followup)

    plan = _actions(sub.add_parser("plan", help=tr("cli", "kế hoạch đào tạo, bồi dưỡng hằng năm")))
    p = plan.add_parser("show", help=tr("cli", "chỉ tiêu của năm và nhu cầu đã đăng ký"))
    _year(p)
    p.set_defaults(handler=cmd_plan_show)
    p = plan.add_parser("set", help=tr("cli", "đặt chỉ tiêu của một chương trình"))
    _year(p)
    p.add_argument("--programme", required=True, help=tr("cli", "mã chương trình"))
    p.add_argument("--classes", type=int, required=True, help=tr("cli", "số lớp"))
    p.add_argument("--learners", type=int, required=True, help=tr("cli", "số học viên"))
    p.add_argument("--note", help=tr("cli", "ghi chú"))
    p.set_defaults(handler=cmd_plan_set)
    p = plan.add_parser("draft", help=tr("cli", "dự thảo kế hoạch từ nhu cầu đã đăng ký"))
    _year(p)
    p.add_argument("--apply", action="store_true", help=tr("cli", "lấy dự thảo làm kế hoạch"))
    p.add_argument("--overwrite", action="store_true", help=tr("cli", "thay cả chỉ tiêu đã có"))
    p.set_defaults(handler=cmd_plan_draft)

    needs = _actions(sub.add_parser("needs", help=tr("cli", "nhu cầu đào tạo, bồi dưỡng các đơn vị đăng ký")))
    p = needs.add_parser("list", help=tr("cli", "nhu cầu đã đăng ký"))
    _year(p)
    p.set_defaults(handler=cmd_needs_list)
    p = needs.add_parser("export", help=tr("cli", "xuất phiếu đăng ký nhu cầu (XLSX) để các đơn vị điền"))
    _year(p)
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_needs_export)
    p = needs.add_parser("import", help=tr("cli", "nhập phiếu đăng ký nhu cầu đã điền"))
    p.add_argument("file", metavar="FILE.xlsx")
    _year(p, required=False)
    p.add_argument("--dry-run", action="store_true", help=tr("cli", "chỉ kiểm tra, không ghi"))
    p.set_defaults(handler=cmd_needs_import)

    fb = _actions(sub.add_parser("feedback", help=tr("cli", "phiếu phản hồi của học viên")))
    p = fb.add_parser("export", help=tr("cli", "xuất bảng nhập phiếu phản hồi của lớp (XLSX)"))
    p.add_argument("class_code", metavar="C")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_feedback_export)
    p = fb.add_parser("import", help=tr("cli", "nhập các phiếu phản hồi đã gõ vào bảng"))
    p.add_argument("class_code", metavar="C")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help=tr("cli", "chỉ kiểm tra, không ghi"))
    p.add_argument("--replace", action="store_true", help=tr("cli", "xóa các phiếu đã nhập trước của lớp"))
    p.set_defaults(handler=cmd_feedback_import)

    fu = _actions(sub.add_parser("followup", help=tr("cli", "theo dõi, đánh giá học viên sau đào tạo")))
    p = fu.add_parser("due", help=tr("cli", "học viên tốt nghiệp cần đánh giá trong năm"))
    _year(p)
    p.set_defaults(handler=cmd_followup_due)
    p = fu.add_parser("record", help=tr("cli", "ghi kết quả đánh giá một năm của một học viên tốt nghiệp"))
    p.add_argument("class_code", metavar="C")
    p.add_argument("--learner", required=True, metavar="ID", help=tr("cli", "số CCCD"))
    _year(p)
    p.add_argument("--rating", help=tr("cli", "xếp loại: HTXSNV, HTTNV, HTNV, KHTNV"))
    for flag, help_text in (("planned", "được quy hoạch"), ("rotated", "được luân chuyển"),
                            ("promoted", "được bổ nhiệm, đề bạt"), ("higher-duties", "được giao nhiệm vụ cao hơn")):
        p.add_argument(f"--{flag}", action="store_true", help=tr("cli", help_text))
    p.add_argument("--note", help=tr("cli", "ghi chú"))
    p.set_defaults(handler=cmd_followup_record)

    p = sub.add_parser("dashboard", help=tr("cli", "tổng quan: tiến độ kế hoạch, lớp đang học, cảnh báo"))
    p.add_argument("--date", type=iso_date, help=tr("cli", "xem như ngày này (mặc định: hôm nay)"))
    p.set_defaults(handler=cmd_dashboard)


def _out(value: str, suffixes: tuple[str, ...]) -> tuple[Path, str]:
    out = Path(value).expanduser()
    if out.suffix.lower() not in suffixes:
        raise UsageError(tr("cli", "Tệp '{path}' phải có đuôi {suffixes}.").format(
            path=value, suffixes=tr("cli", " hoặc ").join(suffixes)))
    return out, os.path.abspath(out)


# ---------------------------------------------------------------------------------- report


def cmd_report_annual(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.annual_report import load_annual_report, number_report, render_pdf
    from dtbd_desktop.reports.annual_report_xlsx import render_xlsx
    from dtbd_desktop.rules.statistics import percent

    a = ctx.args
    out, shown = _out(a.out, (".pdf", ".xlsx"))
    session_of = ctx.read if a.draft else ctx.write
    with session_of() as session:
        doc = load_annual_report(session, a.year, as_of=a.as_of, on=a.date, count_carried_over=a.carried,
                                 deputy=a.deputy)
        if not a.draft:
            doc = number_report(session, doc)
        written = render_pdf(doc, out) if out.suffix.lower() == ".pdf" else render_xlsx(doc, out)
    total = doc.plan.total
    result: dict[str, Any] = {
        "path": shown, "classes": total.actual.classes, "learners": total.actual.learners, "year": a.year,
        "as_of": doc.plan.as_of.isoformat(), "planned_classes": total.target.classes,
        "planned_learners": total.target.learners,
        "classes_percent": _num(percent(total.actual.classes, total.target.classes)),
        "learners_percent": _num(percent(total.actual.learners, total.target.learners)),
        "carried_over_classes": total.carried.classes, "carried_over_learners": total.carried.learners,
        "summary": doc.plan.summary, "number": doc.entry.symbol if doc.entry is not None else None,
        "date": doc.date.isoformat(),
    }
    result["pages" if out.suffix.lower() == ".pdf" else "sheets"] = written
    ctx.say(doc.plan.summary)
    if doc.entry is not None:
        ctx.say(tr("cli", "Báo cáo số {number} ngày {date}.").format(number=doc.entry.symbol,
                                                                       date=text.format_date(doc.date)))
    ctx.say(tr("cli", "Đã ghi báo cáo năm {year} ra tệp {path}.").format(year=a.year, path=shown))
    return result, EXIT_OK


def cmd_report_annual_text(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import report_texts

    a = ctx.args
    if a.assessment is not None or a.next_year is not None:
        with ctx.write() as session:
            current = report_texts.annual_texts(session, a.year)
            texts = report_texts.save_annual_texts(
                session, a.year,
                assessment=(a.assessment if a.assessment is not None else
                            current.assessment if current.written else "").replace("\\n", "\n"),
                next_year=(a.next_year if a.next_year is not None else
                           current.next_year if current.written else "").replace("\\n", "\n"))
        ctx.say(tr("cli", "Đã lưu nhận định, phương hướng của báo cáo năm {year}.").format(year=a.year))
    else:
        with ctx.read() as session:
            texts = report_texts.annual_texts(session, a.year)
    if not ctx.json:
        ctx.say(tr("cli", "Đánh giá chung:"))
        ctx.say(texts.assessment)
        ctx.say(tr("cli", "Phương hướng, nhiệm vụ năm {year}:").format(year=a.year + 1))
        ctx.say(texts.next_year)
    return {"year": texts.year, "assessment": texts.assessment, "next_year": texts.next_year,
            "written": texts.written}, EXIT_OK


def _figures(f: Any) -> dict[str, int]:
    return {"classes": f.classes, "learners": f.learners}


def _plan_line_json(line: Any) -> dict[str, Any]:
    from dtbd_desktop.rules.statistics import percent

    return {"programme": line.programme_code or None, "name": line.programme_name, "kind": line.kind or None,
            "target": _figures(line.target), "actual": _figures(line.actual), "opened": _figures(line.opened),
            "carried_over": _figures(line.carried), "scheduled": _figures(line.scheduled),
            "classes_percent": _num(percent(line.actual.classes, line.target.classes)),
            "learners_percent": _num(percent(line.actual.learners, line.target.learners)), "phrase": line.phrase}


def cmd_report_plan(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.plans import plan_vs_actual

    a = ctx.args
    with ctx.read() as session:
        report = plan_vs_actual(session, a.year, as_of=a.as_of, count_carried_over=a.carried)
    if not ctx.json:
        ctx.say(report.summary)
        for line in [*report.subtotals, *report.lines]:
            ctx.say("- " + line.sentence(a.year))
    return {"year": report.year, "as_of": report.as_of.isoformat(), "summary": report.summary,
            "count_carried_over": report.count_carried_over,
            "programmes": [_plan_line_json(ln) for ln in report.lines],
            "kinds": [_plan_line_json(ln) for ln in report.subtotals], "total": _plan_line_json(report.total)}, EXIT_OK


def _breakdown_json(lines: list[Any]) -> list[dict[str, Any]]:
    return [{"key": b.key, "label": b.label, "classes": b.classes, "learners": b.learners, "depth": b.depth}
            for b in lines]


def cmd_report_stats(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.rules.statistics import count_text
    from dtbd_desktop.services.statistics import year_statistics

    with ctx.read() as session:
        st = year_statistics(session, ctx.args.year)
    c = st.composition
    doc = {
        "year": st.year, "as_of": st.as_of.isoformat(), "classes": st.classes, "learners": st.learners,
        "by_programme": _breakdown_json(st.by_programme), "by_level": _breakdown_json(st.by_programme_level),
        "by_organisation": _breakdown_json(st.by_organisation),
        "by_organisation_level": _breakdown_json(st.by_organisation_level), "by_mode": _breakdown_json(st.by_mode),
        "by_venue": _breakdown_json(st.by_venue),
        "composition": {"total": c.total, "women": c.women, "ethnic_minorities": c.minorities, "young": c.young,
                        "young_max_age": st.young_max_age, "party_members": c.party_members,
                        "age_bands": [{"band": label, "learners": n}
                                      for label, n in zip(st.age_band_labels, c.age_bands, strict=True)]},
        "results": [{"programme": r.programme_code, "reviewed": r.reviewed, "classifications": r.counts}
                    for r in st.results],
    }
    if not ctx.json:
        ctx.say(tr("cli", "Năm {year}: {c} lớp, {l} lượt học viên.").format(
            year=st.year, c=count_text(st.classes), l=count_text(st.learners)))
        ctx.say(table([tr("cli", "Chương trình"), tr("cli", "Lớp"), tr("cli", "Lượt học viên")],
                      [[b.label, b.classes, b.learners] for b in st.by_programme]))
    return doc, EXIT_OK


def cmd_report_lecturers(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.lecturer_periods_report import render_lecturer_periods_xlsx
    from dtbd_desktop.services.settings import load_letterhead
    from dtbd_desktop.services.statistics import lecturer_periods

    a = ctx.args
    with ctx.read() as session:
        report = lecturer_periods(session, a.year)
        head = load_letterhead(session)
    doc: dict[str, Any] = {
        "year": report.year, "periods": report.periods, "by_kind": report.by_kind,
        "lecturers": [{"name": lec.full_name, "title": lec.title, "kind": lec.kind, "periods": lec.periods,
                       "sessions": lec.sessions, "lesson_periods": lec.lesson_periods,
                       "field_trip_periods": lec.field_trip_periods, "exam_periods": lec.exam_periods,
                       "classes": [{"class": c.class_code, "programme": c.programme_code, "periods": c.periods}
                                   for c in lec.classes]} for lec in report.lecturers]}
    if a.out:
        out, shown = _out(a.out, (".xlsx",))
        render_lecturer_periods_xlsx(report, head, out)
        doc["path"] = shown
        ctx.say(tr("cli", "Đã ghi bảng tổng hợp số tiết ra tệp {path}.").format(path=shown))
    if not ctx.json:
        ctx.say(table([tr("cli", "Giảng viên"), tr("cli", "Loại"), tr("cli", "Số tiết")],
                      [[lec.display_name, lec.kind, lec.periods] for lec in report.lecturers]))
    return doc, EXIT_OK


def _satisfaction_json(line: Any) -> dict[str, Any]:
    from dtbd_desktop.rules.statistics import CRITERIA

    return {"label": line.label, "forms": line.forms, "satisfied_percent": _num(line.share()),
            "average": _num(line.average(), 2),
            "criteria": {c: _num(line.share(c)) for c in CRITERIA}}


def cmd_report_feedback(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.feedback import satisfaction

    a = ctx.args
    with ctx.read() as session:
        report = satisfaction(session, year=a.year, class_code=a.class_code)
    if not ctx.json:
        ctx.say(table([tr("cli", "Giảng viên"), tr("cli", "Số phiếu"), tr("cli", "Hài lòng")],
                      [[ln.label, ln.forms, _num(ln.share())] for ln in report.by_lecturer]))
    return {"year": report.year, "class": report.class_code,
            "lecturers": [_satisfaction_json(ln) for ln in report.by_lecturer],
            "programmes": [{"programme": ln.key, **_satisfaction_json(ln)} for ln in report.by_programme],
            "total": _satisfaction_json(report.total)}, EXIT_OK


def cmd_report_followup(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.followup import RATING_ABBREVIATIONS, followup_report

    with ctx.read() as session:
        lines, total = followup_report(session, cohorts=ctx.args.cohort)

    def js(ln: Any) -> dict[str, Any]:
        return {"programme": ln.programme_code or None, "cohort": ln.cohort, "graduates": ln.graduates,
                "followed": ln.followed, "ratings": dict(zip(RATING_ABBREVIATIONS, ln.ratings, strict=True)),
                "planned": ln.planned, "rotated": ln.rotated, "promoted": ln.promoted,
                "higher_duties": ln.higher_duties}

    if not ctx.json:
        ctx.say(table([tr("cli", "Chương trình"), tr("cli", "Khóa"), tr("cli", "Tốt nghiệp"), tr("cli", "Đã đánh giá")],
                      [[ln.programme_code, ln.cohort, ln.graduates, ln.followed] for ln in lines]))
    return {"lines": [js(ln) for ln in lines], "total": js(total)}, EXIT_OK


# ---------------------------------------------------------------------------------- plan, needs


def cmd_plan_show(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.plans import plan_sheet

    with ctx.read() as session:
        entries = plan_sheet(session, ctx.args.year)
    if not ctx.json:
        ctx.say(table([tr("cli", "Mã"), tr("cli", "Chương trình"), tr("cli", "Lớp"), tr("cli", "Học viên"),
                       tr("cli", "Nhu cầu"), tr("cli", "Đề xuất lớp")],
                      [[e.programme_code, e.programme_name, e.target_classes, e.target_learners, e.needs_learners,
                        e.suggested_classes] for e in entries]))
    return [{"programme": e.programme_code, "target_classes": e.target_classes, "target_learners": e.target_learners,
             "note": e.note, "needs_learners": e.needs_learners, "needs_organisations": e.needs_organisations,
             "class_size": e.class_size, "suggested_classes": e.suggested_classes} for e in entries], EXIT_OK


def cmd_plan_set(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.plans import PlanTarget, save_plan

    a = ctx.args
    with ctx.write() as session:
        changed = save_plan(session, a.year, [PlanTarget(a.programme, a.classes, a.learners, a.note)])
    ctx.say(tr("cli", "Đã lưu chỉ tiêu năm {year} của chương trình {code}: {c} lớp, {l} học viên.").format(
        year=a.year, code=a.programme, c=a.classes, l=a.learners))
    return {"year": a.year, "programme": a.programme, "target_classes": a.classes, "target_learners": a.learners,
            "changed": changed}, EXIT_OK


def cmd_plan_draft(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.plans import apply_draft, draft_plan

    a = ctx.args
    with ctx.write() if a.apply else ctx.read() as session:
        lines = draft_plan(session, a.year)
        changed = apply_draft(session, a.year, overwrite=a.overwrite) if a.apply else 0
    if not ctx.json:
        ctx.say(table([tr("cli", "Mã"), tr("cli", "Nhu cầu"), tr("cli", "Đơn vị"), tr("cli", "Sĩ số"),
                       tr("cli", "Đề xuất lớp")],
                      [[d.programme_code, d.needs_learners, d.needs_organisations, d.class_size, d.suggested_classes]
                       for d in lines]))
    return {"year": a.year, "applied": bool(a.apply), "changed": changed,
            "programmes": [{"programme": d.programme_code, "needs_learners": d.needs_learners,
                            "organisations": d.needs_organisations, "class_size": d.class_size,
                            "suggested_classes": d.suggested_classes} for d in lines]}, EXIT_OK


def cmd_needs_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.plans import list_needs

    with ctx.read() as session:
        rows = list_needs(session, ctx.args.year)
    if not ctx.json:
        ctx.say(table([tr("cli", "Đơn vị"), tr("cli", "Chương trình"), tr("cli", "Học viên")],
                      [[r.organisation, r.programme_code, r.learners] for r in rows]))
    return [{"organisation": r.organisation, "programme": r.programme_code, "learners": r.learners, "note": r.note}
            for r in rows], EXIT_OK


def cmd_needs_export(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks.needs import export_needs_workbook

    a = ctx.args
    out, shown = _out(a.out, (".xlsx",))
    with ctx.read() as session:
        rows = export_needs_workbook(session, a.year, out)
    ctx.say(tr("cli", "Đã xuất phiếu đăng ký nhu cầu năm {year} ({n} đơn vị) ra tệp {path}.").format(
        year=a.year, n=rows, path=shown))
    return {"path": shown, "rows": rows}, EXIT_OK


def cmd_needs_import(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks.needs import import_needs_workbook

    a = ctx.args
    with ctx.write() as session:
        result = import_needs_workbook(session, a.file, dry_run=a.dry_run, year=a.year)
    ctx.say(tr("cli", "Phiếu đăng ký năm {year}: {n} ô có số, {c} dòng nhu cầu thay đổi{dry}.").format(
        year=result.year, n=result.cells, c=result.changed, dry=tr("cli", " (chỉ kiểm tra)") if a.dry_run else ""))
    return result.as_json(), EXIT_OK


# ---------------------------------------------------------------------------------- feedback, follow-up


def cmd_feedback_export(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks.feedback import export_feedback_workbook

    a = ctx.args
    out, shown = _out(a.out, (".xlsx",))
    with ctx.read() as session:
        items = export_feedback_workbook(session, a.class_code, out)
    ctx.say(tr("cli", "Đã xuất bảng nhập phiếu phản hồi lớp {code} ({n} mục) ra tệp {path}.").format(
        code=a.class_code, n=items, path=shown))
    return {"path": shown, "items": items}, EXIT_OK


def cmd_feedback_import(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.workbooks.feedback import import_feedback_workbook

    a = ctx.args
    with ctx.write() as session:
        result = import_feedback_workbook(session, a.class_code, a.file, dry_run=a.dry_run, replace=a.replace)
    ctx.say(tr("cli", "Lớp {code}: {n} phiếu phản hồi{dry}.").format(
        code=result.class_code, n=result.forms, dry=tr("cli", " (chỉ kiểm tra)") if a.dry_run else ""))
    return result.as_json(), EXIT_OK


def cmd_followup_due(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.followup import followup_due

    with ctx.read() as session:
        rows = followup_due(session, ctx.args.year)
    if not ctx.json:
        ctx.say(table([tr("cli", "Họ và tên"), tr("cli", "Lớp"), tr("cli", "Tốt nghiệp"), tr("cli", "Năm thứ"),
                       tr("cli", "Đã đánh giá")],
                      [[r.graduate.full_name, r.graduate.class_code, r.graduate.graduated.isoformat(), r.year_after,
                        "x" if r.done else ""] for r in rows]))
    return [{"national_id": r.graduate.national_id, "full_name": r.graduate.full_name, "class": r.graduate.class_code,
             "programme": r.graduate.programme_code, "graduated": r.graduate.graduated.isoformat(),
             "year_after": r.year_after, "record": r.record.as_json() if r.record else None} for r in rows], EXIT_OK


def cmd_followup_record(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.followup import find_graduate, record_followup

    a = ctx.args
    with ctx.write() as session:
        eid = find_graduate(session, a.class_code, a.learner)
        record = record_followup(session, enrolment_id=eid, year=a.year, annual_rating=a.rating, planned=a.planned,
                                 rotated=a.rotated, promoted=a.promoted, higher_duties=a.higher_duties, note=a.note)
    ctx.say(tr("cli", "Đã ghi kết quả năm {year} của học viên {nid}.").format(year=a.year, nid=a.learner))
    return {"national_id": a.learner, **record.as_json()}, EXIT_OK


def cmd_dashboard(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services.dashboard import load_dashboard, warning_kind_label

    today = ctx.args.date or dt.date.today()
    with ctx.read() as session:
        board = load_dashboard(session, today)
    if not ctx.json:
        ctx.say(board.plan.summary)
        ctx.say(tr("cli", "Lớp đang học: {codes}").format(codes=", ".join(r.code for r in board.running) or "–"))
        for w in board.warnings:
            ctx.say(f"[{warning_kind_label(w.kind)}] {w.message}")
    return {"date": today.isoformat(), "plan": _plan_line_json(board.plan.total), "summary": board.plan.summary,
            "running": [r.as_json() for r in board.running],
            "warnings": [w.as_json() for w in board.warnings]}, EXIT_OK
