"""`dtbd programmes wording P [--salutation S] [--course-title T] [--course-label L]`: what the
programme's diplomas and certificates say (services.document_wording); without an option it shows it."""

from __future__ import annotations

from typing import Any

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.context import EXIT_OK, Context


def register_programmes(prog_sub: Any) -> None:
    """Add `programmes wording` to the `programmes` group."""
    p = prog_sub.add_parser("wording", help=tr("cli", "cách ghi trên văn bằng, giấy chứng nhận của một chương trình"))
    p.add_argument("programme", metavar="P", help=tr("cli", "mã chương trình, ví dụ DVM"))
    p.add_argument("--salutation", metavar="S", help=tr("cli", "cách gọi người học: \"Đồng chí\" hoặc \"Ông (Bà)\""))
    p.add_argument("--course-title", dest="course_title", metavar="T",
                   help=tr("cli", "tên khóa học in trên văn bằng, ví dụ: bồi dưỡng lý luận chính trị dành cho đảng "
                                  "viên mới"))
    p.add_argument("--course-label", dest="course_label", metavar="L",
                   help=tr("cli", "khóa học, ví dụ \"Khóa {number} ({years})\": {number} số trong mã lớp, {years} các "
                                  "năm học, {start} {end} ngày học; \"\" chỉ in thời gian học"))
    p.set_defaults(handler=cmd_programmes_wording)


def cmd_programmes_wording(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import catalogue, document_wording

    a = ctx.args
    changes = {k: getattr(a, k) for k in ("salutation", "course_title", "course_label") if getattr(a, k) is not None}
    if changes:
        with ctx.write() as session:
            words = document_wording.save_wording(session, a.programme, **changes)
        ctx.say(tr("cli", "Đã lưu cách ghi văn bằng của chương trình {code}.").format(code=a.programme))
    else:
        with ctx.read(personal=False) as session:
            words = document_wording.programme_wording(session, catalogue.get_programme(session, a.programme))
    ctx.say(tr("cli", "Cách gọi: {v}").format(v=words.salutation))
    ctx.say(tr("cli", "Tên khóa học: {v}").format(v=words.course_title))
    ctx.say(tr("cli", "Khóa học: {v}").format(v=words.course_label or tr("cli", "(chỉ in thời gian học)")))
    return {"code": a.programme, **words.as_json()}, EXIT_OK
