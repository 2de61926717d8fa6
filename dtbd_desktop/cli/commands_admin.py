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
