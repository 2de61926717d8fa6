"""The `dtbd` command line: the core's second front door (contract: shared/CLI.md).

Exit codes: 0 done; 1 refused because of the input or a rule (nothing changed); 2 wrong usage.
With --json exactly one JSON document goes to stdout; messages for people go to stderr.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Sequence
from typing import Any, NoReturn

from dtbd_desktop import __version__
from dtbd_desktop.base.errors import DatabaseError, DtbdError, Problem, describe_database_error
from dtbd_desktop.base.i18n import language_from_environment, tr, use_language
from dtbd_desktop.base.logfile import log, log_path, setup_logging
from dtbd_desktop.cli.context import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Context, Handler, Parser, UsageError


def _add_commands(sub: Any) -> None:
    from dtbd_desktop.cli import (
        commands_admin,
        commands_attendance,
        commands_base,
        commands_certificates,
        commands_grades,
        commands_outgoing,
        commands_past,
        commands_reports,
        commands_roster,
    )

    for module in (commands_base, commands_roster, commands_attendance, commands_grades, commands_certificates,
                   commands_reports, commands_outgoing, commands_past, commands_admin):
        module.register(sub)


def build_parser() -> Parser:
    parser = Parser(
        prog="dtbd",
        description=tr("cli", "DTBD Desktop: quản lý đào tạo, bồi dưỡng (dòng lệnh)."),
    )
    parser.add_argument("--db", metavar="URL", help=tr("cli", "cơ sở dữ liệu (URL SQLAlchemy); mặc định: "
                                                           "DTBD_DATABASE_URL hoặc tệp SQLite của người dùng"))
    parser.add_argument("--user", metavar="TÊN", help=tr("cli", "làm việc với tài khoản này (mật khẩu trong biến "
                                                             "DTBD_PASSWORD); khi chưa có tài khoản nào: quản trị máy đơn"))
    parser.add_argument("--version", action="version", version=f"dtbd {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=Parser)
    sub.required = True
    _add_commands(sub)
    return parser


def _split_global_flags(argv: Sequence[str]) -> tuple[list[str], bool, bool]:
    """`--json` and `--debug` are accepted anywhere (CLI.md: after the command's own words)."""
    rest: list[str] = []
    as_json = debug = False
    for i, arg in enumerate(argv):
        if arg == "--":
            rest.extend(argv[i:])
            break
        if arg == "--json":
            as_json = True
        elif arg == "--debug":
            debug = True
        else:
            rest.append(arg)
    return rest, as_json, debug


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def _problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.as_dict() for p in problems]


def _report_error(message: str, problems: list[Problem], as_json: bool, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        doc: dict[str, Any] = {"error": message, "rejected": _problems_json(problems)}
        if extra:
            doc.update(extra)
        emit_json(doc)
    print(tr("cli", "Lỗi: {message}").format(message=message), file=sys.stderr)
    for p in problems:
        where = []
        if p.row is not None:
            where.append(tr("cli", "dòng {row}").format(row=p.row))
        if p.column:
            where.append(tr("cli", "cột {column}").format(column=p.column))
        if p.field and not p.column:
            where.append(p.field)
        prefix = f"  - {', '.join(where)}: " if where else "  - "
        print(prefix + p.message, file=sys.stderr)


def _print_debug_trace() -> None:
    """--debug: the traceback, without the SQL parameters, hashes and passwords it may carry."""
    from dtbd_desktop.base.redact import scrub_secrets

    print(scrub_secrets(traceback.format_exc()), file=sys.stderr, end="")


def _is_database_error(exc: BaseException) -> bool:
    """SQLAlchemy is loaded only by commands that use the database: looked up when one failed."""
    module = sys.modules.get("sqlalchemy.exc")
    return module is not None and isinstance(exc, module.SQLAlchemyError)


def _refused(command: str, exc: BaseException, as_json: bool, debug: bool) -> int:
    """A database error (the driver's reason, never SQL) or a file the system refused."""
    if debug:
        _print_debug_trace()
    operational = sys.modules.get("sqlalchemy.exc")
    if operational is not None and isinstance(exc, operational.OperationalError):
        log.error("dtbd %s: database error", command, exc_info=True)
        _report_error(tr("cli", "Lỗi cơ sở dữ liệu: {error}. Không có gì bị thay đổi.").format(
            error=describe_database_error(exc)), [], as_json)
        return EXIT_REFUSED
    log.error("dtbd %s: %s", command, type(exc).__name__, exc_info=True)
    _report_error(tr("cli", "Không thực hiện được: {error}. Không có gì bị thay đổi. Chạy lại với --debug để xem chi tiết.")
                  .format(error=describe_database_error(exc)), [], as_json)
    return EXIT_REFUSED


def main(argv: Sequence[str] | None = None) -> int:
    use_language(language_from_environment())
    setup_logging()
    raw = list(sys.argv[1:] if argv is None else argv)
    rest, as_json, debug = _split_global_flags(raw)
    try:
        args = build_parser().parse_args(rest)
    except UsageError as exc:
        _report_error(tr("cli", "Sai cú pháp lệnh. {detail}. Xem: dtbd --help").format(detail=exc), [], as_json)
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    args.json, args.debug = as_json, debug
    ctx = Context(args)
    handler: Handler = args.handler
    try:
        document, code = handler(ctx)
        if as_json:
            emit_json(document)
        return code
    except UsageError as exc:
        _report_error(str(exc), [], as_json)
        return EXIT_USAGE
    except DtbdError as exc:
        if debug:
            _print_debug_trace()
        if isinstance(exc, DatabaseError):
            log.warning("dtbd %s: %s", args.command, exc.message)
        _report_error(exc.message, exc.problems, as_json)
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        return _refused(args.command, exc, as_json, debug)
    except KeyboardInterrupt:
        _report_error(tr("cli", "Đã dừng theo yêu cầu; không có gì bị thay đổi."), [], as_json)
        return EXIT_REFUSED
    except Exception as exc:  # a database error, else a bug: say so plainly, the traceback only on request
        if _is_database_error(exc):
            return _refused(args.command, exc, as_json, debug)
        if debug:
            _print_debug_trace()
        log.error("dtbd %s: unexpected error", args.command, exc_info=True)
        _report_error(tr("cli", "Lỗi không mong đợi ({kind}): {error}. Chạy lại với --debug và gửi kết quả cho bộ phận kỹ thuật.")
                      .format(kind=type(exc).__name__, error=describe_database_error(exc)), [], as_json)
        print(tr("cli", "Chi tiết đã ghi vào nhật ký {path}.").format(path=log_path()), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        ctx.close()


def run() -> NoReturn:
    sys.exit(main())


__all__ = ["Context", "DatabaseError", "UsageError", "emit_json", "main", "run"]
