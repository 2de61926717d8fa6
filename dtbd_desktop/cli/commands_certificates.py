"""`dtbd certificates issue | print | register | revoke | reissue | verify | verify-page` (and a few
helpers: keys, the verification page's address, list, test page).

The contract (names, options, JSON keys) is shared/CLI.md; everything calls
`services.certificates`, the functions the GUI calls.
"""

from __future__ import annotations

from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.commands_base import iso_date, year_value
from dtbd_desktop.cli.context import EXIT_OK, Context, Parser, UsageError
from dtbd_desktop.cli.output import table


def register(sub: Any) -> None:
    p = sub.add_parser("certificates", help=tr("cli", "văn bằng, chứng chỉ và sổ gốc"))
    actions = p.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)

    issue = actions.add_parser("issue", help=tr("cli", "cấp số và vào sổ văn bằng cho mọi học viên đủ điều kiện"))
    issue.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    issue.add_argument("--date", type=iso_date, help=tr("cli", "ngày cấp YYYY-MM-DD (mặc định: hôm nay)"))
    issue.set_defaults(handler=cmd_issue)

    pr = actions.add_parser("print", help=tr("cli", "in văn bằng của lớp ra một tệp PDF, mỗi văn bằng một trang"))
    pr.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    pr.add_argument("--out", required=True, metavar="FILE.pdf", help=tr("cli", "tệp PDF"))
    pr.add_argument("--printer", help=tr("cli", "tên máy in để lấy căn chỉnh riêng của máy đó"))
    pr.add_argument("--with-blank", action="store_true",
                    help=tr("cli", "in kèm ảnh phôi phía sau để soát (bản soát, không tính là một lần in)"))
    pr.set_defaults(handler=cmd_print)

    reg = actions.add_parser("register", help=tr("cli", "sổ gốc cấp văn bằng, chứng chỉ của một năm"))
    reg.add_argument("--year", required=True, type=year_value, help=tr("cli", "năm"))
    reg.add_argument("--out", required=True, metavar="FILE.pdf|.xlsx", help=tr("cli", "tệp PDF hoặc XLSX"))
    reg.add_argument("--kind", choices=["diploma", "certificate"],
                     help=tr("cli", "chỉ một loại: diploma (bằng tốt nghiệp) hoặc certificate (giấy chứng nhận)"))
    reg.add_argument("--level", choices=["so_cap", "trung_cap", "cao_cap", "fostering"],
                     help=tr("cli", "chỉ sổ của một bậc: so_cap, trung_cap, cao_cap, fostering (bồi dưỡng)"))
    reg.add_argument("--date", type=iso_date, metavar="D", help=tr("cli", "ngày ký in trên sổ (mặc định: hôm nay)"))
    reg.set_defaults(handler=cmd_register)

    cr = actions.add_parser("close-register", help=tr("cli", "khóa sổ gốc của một năm (không vào sổ thêm được)"))
    cr.add_argument("--year", required=True, type=year_value, help=tr("cli", "năm"))
    cr.add_argument("--kind", required=True, choices=["diploma", "certificate"])
    cr.add_argument("--level", choices=["so_cap", "trung_cap", "cao_cap", "fostering"],
                    help=tr("cli", "bậc của sổ bằng (sổ giấy chứng nhận: fostering)"))
    cr.add_argument("--date", type=iso_date, metavar="D", help=tr("cli", "ngày khóa sổ (mặc định: hôm nay)"))
    cr.set_defaults(handler=cmd_close_register)

    rv = actions.add_parser("revoke", help=tr("cli", "thu hồi một văn bằng (dòng sổ gốc vẫn giữ)"))
    rv.add_argument("serial", metavar="SERIAL", help=tr("cli", "số hiệu văn bằng"))
    rv.add_argument("--reason", required=True, help=tr("cli", "lý do thu hồi"))
    rv.set_defaults(handler=cmd_revoke)

    ri = actions.add_parser("reissue", help=tr("cli", "cấp lại văn bằng bị mất hoặc sai, số mới liên kết số cũ"))
    ri.add_argument("serial", metavar="SERIAL", help=tr("cli", "số hiệu văn bằng cũ"))
    ri.add_argument("--reason", required=True, help=tr("cli", "lý do cấp lại"))
    ri.add_argument("--date", type=iso_date, help=tr("cli", "ngày cấp lại YYYY-MM-DD (mặc định: hôm nay)"))
    ri.set_defaults(handler=cmd_reissue)

    vf = actions.add_parser("verify", help=tr("cli", "kiểm tra mã xác thực, nội dung mã QR hoặc số hiệu (không cần mạng)"))
    vf.add_argument("code", metavar="CODE", help=tr("cli", "mã xác thực in trên văn bằng, nội dung mã QR, hoặc số hiệu"))
    vf.set_defaults(handler=cmd_verify)

    vp = actions.add_parser("verify-page", help=tr("cli", "ghi trang xác thực tĩnh (một tệp HTML) với khóa và danh "
                                                        "sách thu hồi hôm nay, để đưa lên trang web hoặc USB"))
    vp.add_argument("--out", required=True, metavar="FOLDER",
                    help=tr("cli", "thư mục; trang được ghi vào FOLDER/xac-thuc/index.html"))
    vp.set_defaults(handler=cmd_verify_page)

    va = actions.add_parser("verify-address", help=tr("cli", "địa chỉ web của trang xác thực: mã QR in trên văn bằng "
                                                             "thành đường dẫn tới trang đó"))
    va.add_argument("url", metavar="URL", nargs="?",
                    help=tr("cli", "ví dụ https://truongchinhtri.longan.gov.vn/xac-thuc (bỏ trống: xem địa chỉ đang "
                                   "đặt)"))
    va.add_argument("--clear", action="store_true", help=tr("cli", "bỏ địa chỉ: mã QR chỉ chứa nội dung đã ký"))
    va.set_defaults(handler=cmd_verify_address)

    ek = actions.add_parser("enrol-key", help=tr("cli", "quản trị đăng ký khóa ký văn bằng của máy này (tạo khóa nếu "
                                                        "máy chưa có)"))
    ek.add_argument("--label", help=tr("cli", "ghi chú: máy nào, phòng nào"))
    ek.set_defaults(handler=cmd_enrol_key)
    ks = actions.add_parser("keys", help=tr("cli", "các khóa ký văn bằng đã đăng ký"))
    ks.set_defaults(handler=cmd_keys)
    rk = actions.add_parser("retire-key", help=tr("cli", "thôi dùng một khóa ký (văn bằng đã ký vẫn kiểm tra được)"))
    rk.add_argument("key_id", metavar="KEYID", help=tr("cli", "mã khóa (6 ký tự)"))
    rk.add_argument("--reason", required=True, help=tr("cli", "lý do"))
    rk.set_defaults(handler=cmd_retire_key)

    ls = actions.add_parser("list", help=tr("cli", "văn bằng của một lớp và tình trạng"))
    ls.add_argument("class_code", metavar="C", help=tr("cli", "mã lớp"))
    ls.set_defaults(handler=cmd_list)

    tp = actions.add_parser("test-page", help=tr("cli", "trang thử lưới milimét để căn chỉnh máy in"))
    tp.add_argument("--out", required=True, metavar="FILE.pdf", help=tr("cli", "tệp PDF"))
    tp.add_argument("--calibrated", action="store_true", help=tr("cli", "áp dụng căn chỉnh đã lưu (để kiểm tra lại)"))
    tp.add_argument("--printer", help=tr("cli", "tên máy in"))
    tp.set_defaults(handler=cmd_test_page)

    from dtbd_desktop.cli import commands_copies

    commands_copies.register(actions)


def cmd_issue(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import certificates

    a = ctx.args
    with ctx.write() as session:
        rows = certificates.issue_for_class(session, a.class_code, a.date)
    if not ctx.json and rows:
        ctx.say(table([tr("cli", "Họ và tên"), tr("cli", "Số CCCD"), tr("cli", "Số hiệu"), tr("cli", "Số vào sổ"),
                      tr("cli", "Mã xác thực")],
                      [[r.full_name, r.national_id, r.serial, r.register_number, r.verification_code] for r in rows]))
    if rows:
        ctx.say(tr("cli", "Đã cấp và vào sổ {n} văn bằng cho lớp {code}.").format(n=len(rows), code=a.class_code))
    else:
        ctx.say(tr("cli", "Mọi học viên đủ điều kiện của lớp {code} đều đã có văn bằng; không cấp thêm.").format(
            code=a.class_code))
    return [r.as_issue_json() for r in rows], EXIT_OK


def cmd_print(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import certificates

    a = ctx.args
    if not str(a.out).lower().endswith(".pdf"):
        raise InputError(tr("cli", "Tệp in văn bằng phải là .pdf (đang là '{name}').").format(name=a.out))
    with ctx.write() as session:
        result = certificates.print_class(session, a.class_code, a.out, printer=a.printer, with_blank=a.with_blank)
    ctx.say(tr("cli", "Đã in {n} văn bằng của lớp {code} vào {path}. In ở tỉ lệ 100% (kích thước thật).").format(
        n=result.pages, code=a.class_code, path=result.path))
    return {"path": str(result.path), "pages": result.pages}, EXIT_OK


def cmd_register(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.register_report import export_register

    a = ctx.args
    with ctx.read() as session:
        path, rows = export_register(session, a.year, a.out, kind=a.kind, level=a.level, on=a.date)
    ctx.say(tr("cli", "Đã xuất sổ gốc năm {year} ({n} dòng) vào {path}.").format(year=a.year, n=rows, path=path))
    return {"path": str(path), "rows": rows}, EXIT_OK


def cmd_close_register(ctx: Context) -> tuple[Any, int]:
    import datetime as dt

    from dtbd_desktop.services import certificates_numbering

    a = ctx.args
    with ctx.write() as session:
        register = certificates_numbering.close_register(session, a.kind, a.year, a.date or dt.date.today(),
                                                         level=a.level)
        described = certificates_numbering.describe_register(register)
    ctx.say(tr("cli", "Đã khóa {name} ngày {date}.").format(name=register.name,
                                                           date=text.format_date(register.closed_on)))
    return described, EXIT_OK


def cmd_revoke(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import certificates

    a = ctx.args
    with ctx.write() as session:
        row = certificates.revoke(session, a.serial, a.reason)
    ctx.say(tr("cli", "Đã thu hồi văn bằng số hiệu {serial} ({name}); dòng sổ gốc vẫn giữ.").format(
        serial=row.serial, name=row.full_name))
    return {"serial": row.serial, "status": row.status}, EXIT_OK


def cmd_reissue(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import certificates

    a = ctx.args
    with ctx.write() as session:
        old, new = certificates.reissue(session, a.serial, a.reason, a.date)
    ctx.say(tr("cli", "Đã cấp lại cho {name}: số hiệu mới {serial}, số vào sổ {number}, mã xác thực {code} "
                      "(thay số hiệu {old}).").format(name=new.full_name, serial=new.serial,
                                                       number=new.register_number, code=new.verification_code,
                                                       old=old.serial))
    return {"old_serial": old.serial, "serial": new.serial, "register_number": new.register_number,
            "verification_code": new.verification_code}, EXIT_OK


def cmd_verify(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import certificates

    with ctx.read(personal=False) as session:
        result = certificates.verify(session, ctx.args.code)
    verdict = tr("cli", "HỢP LỆ") if result.valid else tr("cli", "KHÔNG HỢP LỆ")
    ctx.say(f"{verdict}: {result.message}")
    if result.full_name:
        details = [result.full_name]
        if result.birth_text:
            details.append(tr("cli", "sinh {date}").format(date=result.birth_text))
        if result.serial:
            details.append(tr("cli", "số hiệu {serial}").format(serial=result.serial))
        if result.issue_date:
            details.append(tr("cli", "cấp ngày {date}").format(date=text.format_date(result.issue_date)))
        if result.classification:
            details.append(result.classification)
        ctx.say("  " + ", ".join(details))
    return result.as_json(), EXIT_OK


def cmd_verify_page(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.reports.verify_page import write_verify_page

    with ctx.read() as session:
        path = write_verify_page(session, ctx.args.out)
    ctx.say(tr("cli", "Đã ghi trang xác thực vào {path}. Đưa cả thư mục {folder} lên trang web của đơn vị (hoặc chép "
                      "vào USB); ghi lại trang mỗi khi thu hồi hoặc cấp lại văn bằng.").format(
        path=path, folder=path.parent))
    return {"path": str(path)}, EXIT_OK


def cmd_verify_address(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import settings

    a = ctx.args
    if a.url is not None and a.clear:
        raise UsageError(tr("cli", "Chỉ dùng một trong hai: URL hoặc --clear."))
    if a.url is None and not a.clear:
        with ctx.read(personal=False) as session:
            current = settings.verify_page_link(session)
        ctx.say(current or tr("cli", "Chưa đặt địa chỉ trang xác thực: mã QR chỉ chứa nội dung đã ký."))
        return {"verify_page_url": current}, EXIT_OK
    value = None if a.clear else a.url.strip()
    with ctx.write() as session:
        settings.save_settings(session, verify_page_url=value)
    if value:
        ctx.say(tr("cli", "Từ nay mã QR in trên văn bằng là đường dẫn tới {url}#…; hãy đưa trang xác thực lên đúng "
                          "địa chỉ này (dtbd certificates verify-page).").format(url=value))
    else:
        ctx.say(tr("cli", "Đã bỏ địa chỉ trang xác thực: mã QR chỉ chứa nội dung đã ký."))
    return {"verify_page_url": value}, EXIT_OK


def cmd_enrol_key(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import signing_keys

    with ctx.write() as session:
        row = signing_keys.enrol_key(session, ctx.args.label)
    ctx.say(tr("cli", "Đã đăng ký khóa {id} của máy này; máy này cấp được văn bằng. Hãy chép tệp khóa {path} vào USB "
                      "cất trong tủ của phòng đào tạo.").format(id=row.key_id, path=signing_keys.key_file()))
    return {"key_id": row.key_id, "public_key": row.public_key}, EXIT_OK


def cmd_keys(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import signing_keys

    with ctx.read(personal=False) as session:
        rows = signing_keys.list_keys(session)
        trusted = set(signing_keys.trusted_keys(session))
    if not ctx.json:
        ctx.say(table([tr("cli", "Mã khóa"), tr("cli", "Ghi chú"), tr("cli", "Người đăng ký"), tr("cli", "Tình trạng")],
                      [[r.key_id + (" *" if r.this_pc else ""), r.label or "", r.enrolled_by or "",
                        (tr("cli", "đang dùng") if r.active else tr("cli", "thôi dùng"))
                        + ("" if r.public_key in trusted else tr("cli", ", KHÔNG TIN CẬY"))] for r in rows]))
    return [{"key_id": r.key_id, "label": r.label, "active": r.active, "this_pc": r.this_pc,
             "trusted": r.public_key in trusted} for r in rows], EXIT_OK


def cmd_retire_key(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import signing_keys

    with ctx.write() as session:
        signing_keys.retire_key(session, ctx.args.key_id, ctx.args.reason)
    ctx.say(tr("cli", "Đã thôi dùng khóa {id}.").format(id=ctx.args.key_id))
    return {"key_id": ctx.args.key_id, "active": False}, EXIT_OK


def cmd_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import certificates

    with ctx.read() as session:
        docs = certificates.class_documents(session, ctx.args.class_code)
    out = []
    rows = []
    for line in docs.lines:
        cert = line.certificate
        out.append({"national_id": line.national_id, "full_name": line.full_name, "eligible": line.eligible,
                    "classification": line.classification, "serial": cert.serial if cert else None,
                    "register_number": cert.register_number if cert else None,
                    "status": cert.status if cert else None, "print_count": cert.print_count if cert else 0})
        rows.append([line.full_name, tr("cli", "có") if line.eligible else tr("cli", "không"), line.classification or "",
                     cert.serial if cert else "", certificates.status_label(cert.status) if cert else "",
                     cert.print_count if cert else ""])
    if not ctx.json:
        ctx.say(table([tr("cli", "Họ và tên"), tr("cli", "Đủ ĐK"), tr("cli", "Xếp loại"), tr("cli", "Số hiệu"),
                       tr("cli", "Tình trạng"), tr("cli", "Số lần in")], rows))
    return out, EXIT_OK


def cmd_test_page(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.printing import certificate_pdf
    from dtbd_desktop.services import certificates

    a = ctx.args
    cal = None
    if a.calibrated:
        with ctx.read(personal=False) as session:
            cal = certificates.calibration(session, a.printer)
    pages = certificate_pdf.write_test_page(a.out, cal)
    ctx.say(tr("cli", "Đã tạo trang thử {path}: in ở tỉ lệ 100%, đo các dấu A, B, C.").format(path=a.out))
    return {"path": str(a.out), "pages": pages}, EXIT_OK
