"""`dtbd backup [--out FILE]` and `dtbd restore FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dtbd_desktop import backup
from dtbd_desktop.cli.main import EXIT_OK, Context
from dtbd_desktop.db.engine import open_database, resolve_url
from dtbd_desktop.i18n import tr


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help=tr("cli", "sao lưu cơ sở dữ liệu (kể cả khi chương trình đang mở)"))
    p.add_argument("--out", type=Path, help=tr("cli", "tệp sao lưu; mặc định: thư mục backups của người dùng"))
    p.set_defaults(handler=cmd_backup)
    r = sub.add_parser("restore", help=tr("cli", "kiểm tra bản sao lưu, cất cơ sở dữ liệu hiện tại sang bên, phục hồi"))
    r.add_argument("file", type=Path, help=tr("cli", "tệp sao lưu"))
    r.set_defaults(handler=cmd_restore)
    register_accounts(sub)


def cmd_backup(ctx: Context) -> tuple[Any, int]:
    url = ctx.db.url  # creates or upgrades the database first, as every command does
    result = backup.backup(url, ctx.args.out)
    ctx.say(tr("cli", "Đã sao lưu vào {path} ({size} byte).").format(path=result.path, size=result.bytes))
    return {"path": str(result.path), "bytes": result.bytes}, EXIT_OK


def cmd_restore(ctx: Context) -> tuple[Any, int]:
    url = resolve_url(ctx.args.db)
    result = backup.restore(url, ctx.args.file)
    open_database(url).dispose()  # a copy from an older program is upgraded now
    previous = str(result.previous) if result.previous else None
    ctx.say(tr("cli", "Đã phục hồi từ {file}. Cơ sở dữ liệu trước đó được cất ở {previous}.").format(
        file=ctx.args.file, previous=previous or tr("cli", "(không có)")))
    return {"restored": True, "previous": previous}, EXIT_OK


def register_accounts(sub: Any) -> None:
    from dtbd_desktop.cli.main import Parser

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

    log = sub.add_parser("audit", help=tr("cli", "nhật ký thay đổi"))
    log_sub = log.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    log_sub.add_parser("verify", help=tr("cli", "kiểm tra chuỗi nhật ký không bị sửa, xóa")).set_defaults(
        handler=cmd_audit_verify)


def _new_password() -> str:
    import os

    from dtbd_desktop.cli.main import UsageError

    password = os.environ.get("DTBD_NEW_PASSWORD")
    if not password:
        raise UsageError(tr("cli", "Đặt mật khẩu mới trong biến môi trường DTBD_NEW_PASSWORD."))
    return password


def cmd_users_add(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop import accounts

    a = ctx.args
    with ctx.db.write() as s:
        user = accounts.create_user(s, username=a.username, full_name=a.name, role=a.role,
                                    password=_new_password(), lecturer_id=a.lecturer_id)
        doc = {"username": user.username, "role": user.role}
    ctx.say(tr("cli", "Đã tạo tài khoản {user}.").format(user=doc["username"]))
    return doc, EXIT_OK


def cmd_users_list(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop import accounts

    with ctx.db.read() as s:
        accounts.require(s, "manage_users")
        rows = accounts.list_users(s)
    for username, name, role, active, locked in rows:
        ctx.say(f"{username:16} {role:9} {'' if active else '(ngừng) '}{'(đang khóa) ' if locked else ''}{name}")
    return [{"username": u, "full_name": n, "role": r, "active": a, "locked": lk} for u, n, r, a, lk in rows], EXIT_OK


def cmd_users_reset(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop import accounts

    with ctx.db.write() as s:
        accounts.reset_password(s, ctx.args.username, _new_password())
    ctx.say(tr("cli", "Đã đặt lại mật khẩu cho {user}.").format(user=ctx.args.username))
    return {"ok": True}, EXIT_OK


def cmd_audit_verify(ctx: Context) -> tuple[Any, int]:
    from dtbd_desktop.audit import verify_chain

    with ctx.db.read() as s:
        breaks = verify_chain(s)
    for b in breaks:
        ctx.say(tr("cli", "Mục nhật ký {id}: {problem}").format(id=b.entry_id, problem=b.problem))
    ctx.say(tr("cli", "Nhật ký nguyên vẹn.") if not breaks else tr("cli", "Nhật ký đã bị can thiệp."))
    return {"intact": not breaks, "breaks": [{"entry": b.entry_id, "problem": b.problem} for b in breaks]}, (
        EXIT_OK if not breaks else 1)
