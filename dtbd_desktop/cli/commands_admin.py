"""`dtbd backup`, `restore`, `users ...`, `audit verify`, `audit list`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.context import EXIT_OK, EXIT_REFUSED, Context


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help=tr("cli", "sao lưu cơ sở dữ liệu (kể cả khi chương trình đang mở)"))
    p.add_argument("--out", type=Path, help=tr("cli", "tệp sao lưu; mặc định: thư mục backups của người dùng"))
    p.set_defaults(handler=cmd_backup)
    r = sub.add_parser("restore", help=tr("cli", "kiểm tra bản sao lưu, cất cơ sở dữ liệu hiện tại sang bên, phục hồi "
                                                 "(cần tài khoản quản trị)"))
    r.add_argument("file", type=Path, help=tr("cli", "tệp sao lưu"))
    r.add_argument("--override", metavar="LÝ_DO",
                   help=tr("cli", "vẫn phục hồi bản sao lưu không qua kiểm tra nhật ký; lý do được ghi vào nhật ký"))
    r.set_defaults(handler=cmd_restore)
    register_accounts(sub)


def cmd_backup(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import backup

    result = backup.backup_as(ctx.db, ctx.login, ctx.args.out)
    ctx.say(tr("cli", "Đã sao lưu vào {path} ({size} byte).").format(path=result.path, size=result.bytes))
    return {"path": str(result.path), "bytes": result.bytes}, EXIT_OK


def cmd_restore(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.db.engine import resolve_url
    from dtbd_desktop.services import backup

    url = resolve_url(ctx.args.db)
    login = ctx.login  # checked against the current database before anything is touched
    ctx.close()
    result = backup.restore(url, ctx.args.file, login=login, override=ctx.args.override)
    previous = str(result.previous) if result.previous else None
    ctx.say(tr("cli", "Đã phục hồi từ {file}. Cơ sở dữ liệu trước đó được cất ở {previous}.").format(
        file=ctx.args.file, previous=previous or tr("cli", "(không có)")))
    if result.summary is not None and (result.summary.carried_lines or result.summary.carried_statuses):
        ctx.say(tr("cli", "Đã chuyển sang {n} dòng sổ gốc và {m} lần thu hồi, cấp lại có sau ngày sao lưu.").format(
            n=result.summary.carried_lines, m=result.summary.carried_statuses))
    if result.overridden:
        ctx.say(tr("cli", "Bản sao lưu không qua kiểm tra nhật ký; đã phục hồi theo lý do được ghi vào nhật ký."))
    doc: dict[str, Any] = {"restored": True, "previous": previous}
    if result.summary is not None:
        doc.update({"carried_lines": result.summary.carried_lines,
                    "carried_statuses": result.summary.carried_statuses})
    return doc, EXIT_OK


def register_accounts(sub: Any) -> None:
    from dtbd_desktop.cli.context import Parser

    users = sub.add_parser("users", help=tr("cli", "tài khoản người dùng"))
    users_sub = users.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    add = users_sub.add_parser("add", help=tr("cli", "tạo tài khoản (mật khẩu trong biến DTBD_NEW_PASSWORD)"))
    add.add_argument("username")
    add.add_argument("--name", required=True, help=tr("cli", "họ và tên"))
    add.add_argument("--role", required=True, choices=["admin", "office", "lecturer", "viewer"])
    add.add_argument("--lecturer-id", type=int)
    add.set_defaults(handler=cmd_users_add)
    users_sub.add_parser("list", help=tr("cli", "danh sách tài khoản")).set_defaults(handler=cmd_users_list)
    reset = users_sub.add_parser("reset-password", help=tr("cli", "đặt lại mật khẩu (DTBD_NEW_PASSWORD)"))
    reset.add_argument("username")
    reset.set_defaults(handler=cmd_users_reset)
    role = users_sub.add_parser("role", help=tr("cli", "đổi vai trò hoặc ngừng một tài khoản"))
    role.add_argument("username")
    role.add_argument("--role", required=True, choices=["admin", "office", "lecturer", "viewer"])
    role.add_argument("--inactive", action="store_true", help=tr("cli", "ngừng tài khoản"))
    role.set_defaults(handler=cmd_users_role)
    password = users_sub.add_parser("password", help=tr("cli", "đổi mật khẩu của mình (mới trong DTBD_NEW_PASSWORD)"))
    password.set_defaults(handler=cmd_users_password)

    log = sub.add_parser("audit", help=tr("cli", "nhật ký thay đổi"))
    log_sub = log.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    log_sub.add_parser("verify", help=tr("cli", "kiểm tra nhật ký và dữ liệu được bảo vệ không bị sửa, xóa ngoài "
                                                "chương trình")).set_defaults(handler=cmd_audit_verify)
    register_audit_list(log_sub)


#: The kinds of change of `services.audit_log.KINDS` (named here so that `dtbd --help` loads no core module).
AUDIT_KINDS = ("scores", "attendance", "graduation", "certificates", "learners", "classes", "catalogue", "documents",
               "accounts", "system", "other")


def register_audit_list(log_sub: Any) -> None:
    from dtbd_desktop.cli.commands_base import iso_date

    listing = log_sub.add_parser("list", help=tr("cli", "xem nhật ký thay đổi bằng lời, mới nhất trước"))
    listing.add_argument("--since", type=iso_date, help=tr("cli", "từ ngày YYYY-MM-DD"))
    listing.add_argument("--until", type=iso_date, help=tr("cli", "đến ngày YYYY-MM-DD"))
    listing.add_argument("--by", metavar="TÊN", help=tr("cli", "chỉ những thay đổi của tài khoản này"))
    listing.add_argument("--class", dest="class_code", metavar="C", help=tr("cli", "chỉ những thay đổi của lớp này"))
    listing.add_argument("--kind", choices=AUDIT_KINDS, help=tr("cli", "loại thay đổi"))
    listing.add_argument("--text", help=tr("cli", "tìm chữ này (không cần dấu)"))
    listing.add_argument("--limit", type=int, default=100, help=tr("cli", "nhiều nhất bấy nhiêu dòng (mặc định 100)"))
    listing.set_defaults(handler=cmd_audit_list)


def _new_password() -> str:
    import os

    from dtbd_desktop.cli.context import UsageError

    password = os.environ.get("DTBD_NEW_PASSWORD")
    if not password:
        raise UsageError(tr("cli", "Đặt mật khẩu mới trong biến môi trường DTBD_NEW_PASSWORD."))
    return password


def cmd_users_add(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import users

    a = ctx.args
    password = _new_password()
    with ctx.write() as s:
        user = users.create_user(s, username=a.username, full_name=a.name, role=a.role, password=password,
                                 lecturer_id=a.lecturer_id)
        doc = {"username": user.username, "role": user.role}
    ctx.say(tr("cli", "Đã tạo tài khoản {user}.").format(user=doc["username"]))
    return doc, EXIT_OK


def cmd_users_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import users

    with ctx.read() as s:
        rows = users.list_users(s)
    from dtbd_desktop.trust.accounts import ROLE_LABELS

    for username, name, role, active, locked in rows:
        state = ("" if active else tr("cli", "(ngừng)") + " ") + (tr("cli", "(đang khóa)") + " " if locked else "")
        ctx.say(f"{username:16} {tr('accounts', ROLE_LABELS.get(role, role)):14} {state}{name}")
    return [{"username": u, "full_name": n, "role": r, "active": a, "locked": lk} for u, n, r, a, lk in rows], EXIT_OK


def cmd_users_reset(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import users

    password = _new_password()
    with ctx.write() as s:
        users.reset_password(s, ctx.args.username, password)
    ctx.say(tr("cli", "Đã đặt lại mật khẩu cho {user}.").format(user=ctx.args.username))
    return {"ok": True}, EXIT_OK


def cmd_users_role(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import users

    a = ctx.args
    with ctx.write() as s:
        users.set_role(s, a.username, a.role, active=not a.inactive)
    ctx.say(tr("cli", "Đã đổi vai trò của {user}.").format(user=a.username))
    return {"username": a.username, "role": a.role, "active": not a.inactive}, EXIT_OK


def cmd_users_password(ctx: Context) -> tuple[Any, int]:
    import os

    from dtbd_desktop.cli.context import UsageError
    from dtbd_desktop.services import users

    old = os.environ.get("DTBD_PASSWORD")
    if not ctx.args.user or old is None:
        raise UsageError(tr("cli", "Đổi mật khẩu: dtbd --user TÊN users password, mật khẩu hiện tại trong "
                                   "DTBD_PASSWORD, mật khẩu mới trong DTBD_NEW_PASSWORD."))
    new = _new_password()
    with ctx.write() as s:
        users.change_password(s, old, new)
    ctx.say(tr("cli", "Đã đổi mật khẩu của {user}.").format(user=ctx.args.user))
    return {"ok": True}, EXIT_OK


def cmd_audit_verify(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.trust import audit_check, witness

    seen = witness.recall(ctx.db)
    with ctx.read(personal=False) as s:
        report = audit_check.verify(s, witness=seen)
    for b in report.breaks:
        where = tr("cli", "Mục nhật ký {id}: ").format(id=b.entry_id) if b.entry_id is not None else ""
        ctx.say(f"{where}{b.problem}")
    if report.intact:
        witness.reset(ctx.db, report.head)
        ctx.say(tr("cli", "Nhật ký nguyên vẹn ({n} mục); dữ liệu được bảo vệ khớp nhật ký.").format(n=report.entries))
    else:
        ctx.say(tr("cli", "Nhật ký hoặc dữ liệu được bảo vệ đã bị can thiệp ngoài chương trình ({n} chỗ).").format(
            n=len(report.breaks)))
    return {"intact": report.intact, "breaks": [{"entry": b.entry_id, "problem": b.problem} for b in report.breaks]}, (
        EXIT_OK if report.intact else EXIT_REFUSED)


def cmd_audit_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.services import audit_log

    a = ctx.args
    with ctx.read() as s:
        lines = audit_log.search(s, since=a.since, until=a.until, username=a.by, class_code=a.class_code, kind=a.kind,
                                 text=a.text, limit=max(1, a.limit))
    for line in lines:
        ctx.say(f"{line.when}  {line.who}  [{line.kind_label}]  {line.sentence}")
    if not lines:
        ctx.say(tr("cli", "Không có thay đổi nào khớp điều kiện."))
    return [{"id": line.id, "seq": line.seq, "at": line.at.isoformat(timespec="seconds"), "username": line.username,
             "who": line.who, "kind": line.kind, "class": line.class_code, "text": line.text, "reason": line.reason,
             "action": line.raw["action"]} for line in lines], EXIT_OK
