"""`dtbd-desktop --self-check`, the part without Qt: is everything the program needs there and working?

Run after installing (and by the build scripts on the frozen bundle) to catch what a one-folder
build most often gets wrong: a resource or a migration not bundled, a database driver missing,
the PDF font not embedded. Nothing belonging to the user is changed: the database is checked on
a temporary copy, in a temporary folder.

* resources: fonts, translations, catalogue, icons, the user guide, the verification page;
* migrations: Alembic's scripts are found and have one head;
* database: the database this PC would open (same order as start-up: --db, DTBD_DATABASE_URL,
  config.json, the default file). A SQLite file is copied (online backup API) and the copy is
  opened and migrated to the program's schema; when there is no file yet, a new database is
  created in the temporary folder instead. A PostgreSQL server is only connected to and its
  schema revision read (nothing is migrated there), and the migrations are run on a new
  temporary SQLite database;
* PostgreSQL driver: psycopg and its compiled libpq are there;
* certificate: one certificate of completion for a made-up learner is rendered to PDF by the
  certificate printing code, on the checked database's layout, letterhead and printer
  calibration, and the PDF is checked to embed the document font.

The GUI part (offscreen QApplication, translations, icon, main window) is in
`dtbd_desktop.gui.app.self_check`, which calls `run_checks` here.

Also here, for the first-run wizard and the Settings screen: `probe_database`, which tries a
database URL without creating or migrating anything.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from dtbd_desktop import __version__
from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.paths import resource_path

#: Files the program cannot work without, relative to resources/.
REQUIRED_RESOURCES: tuple[str, ...] = (
    "fonts/LiberationSerif-Regular.ttf",
    "fonts/LiberationSerif-Bold.ttf",
    "fonts/LiberationSerif-Italic.ttf",
    "fonts/LiberationSerif-BoldItalic.ttf",
    "catalogue/programmes.json",
    "import/column_synonyms.json",
    "translations/dtbd_en.ts",
    "translations/dtbd_en.qm",
    "translations/qtbase_vi.ts",
    "icons/dtbd-256.png",
    "icons/dtbd-32.png",
    "help/huong-dan.md",
    "verify_page/page.html",
    "verify_page/page.css",
    "verify_page/page.js",
    "verify_page/vendor/tweetnacl-1.0.3/nacl-fast.min.js",
    "verify_page/vendor/tweetnacl-1.0.3/VENDOR.json",
)
CONNECT_TIMEOUT_S = 8


@dataclass
class Check:
    """One line of the self-check report."""

    name: str
    ok: bool
    detail: str = ""

    def line(self) -> str:
        mark = "OK" if self.ok else tr("selfcheck", "LỖI")
        return f"[{mark}] {self.name}: {self.detail}" if self.detail else f"[{mark}] {self.name}"


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    database_url: str | None = None  # the temporary database checked (for the GUI part), if any

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, check: Check, progress: Callable[[Check], None] | None) -> None:
        self.checks.append(check)
        if progress is not None:
            progress(check)

    def text(self) -> str:
        lines = [f"DTBD Desktop {__version__} – " + tr("selfcheck", "tự kiểm tra")]
        lines += [c.line() for c in self.checks]
        lines.append(tr("selfcheck", "Kết quả: đạt.") if self.ok else tr("selfcheck", "Kết quả: CÓ LỖI."))
        return "\n".join(lines)


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, DtbdError):
        return exc.message
    from dtbd_desktop.base.redact import scrub_secrets, without_sql

    orig = getattr(exc, "orig", None)
    message = scrub_secrets(without_sql(str(orig if orig is not None else exc))) or type(exc).__name__
    return message.splitlines()[0]


def check_resources() -> Check:
    missing = [name for name in REQUIRED_RESOURCES if not resource_path(name).is_file()]
    name = tr("selfcheck", "Tài nguyên")
    if missing:
        return Check(name, False, tr("selfcheck", "thiếu {files} (trong {root})").format(
            files=", ".join(missing), root=resource_path()))
    return Check(name, True, tr("selfcheck", "đủ {n} tệp trong {root}").format(
        n=len(REQUIRED_RESOURCES), root=resource_path()))


def check_migrations() -> Check:
    from dtbd_desktop.db.engine import MIGRATIONS, head_revision

    name = tr("selfcheck", "Bản nâng cấp cơ sở dữ liệu")
    try:
        head = head_revision()
    except Exception as exc:  # reported, not raised: the report lists every problem
        return Check(name, False, tr("selfcheck", "không đọc được {path}: {error}").format(
            path=MIGRATIONS, error=_first_line(exc)))
    return Check(name, True, tr("selfcheck", "lược đồ mới nhất {rev}").format(rev=head))


def check_postgres_driver() -> Check:
    name = tr("selfcheck", "Trình kết nối PostgreSQL")
    try:
        import psycopg

        implementation = psycopg.pq.__impl__
        libpq = psycopg.pq.version()
    except Exception as exc:  # an ImportError, or libpq missing
        return Check(name, False, _first_line(exc))
    return Check(name, True, f"psycopg {psycopg.__version__} ({implementation}, libpq {libpq // 10000}.{libpq % 10000})")


def check_database(url: str | None, workdir: Path) -> tuple[Check, str | None]:
    """(the check, the URL of the temporary database that was migrated, if any)."""
    from dtbd_desktop.db.engine import current_revision, head_revision, resolve_url, sqlite_path
    from dtbd_desktop.db.sqlite_copy import copy_sqlite
    from dtbd_desktop.services.startup import open_centre as open_database

    name = tr("selfcheck", "Cơ sở dữ liệu")
    try:
        resolved = resolve_url(url)
        shown = make_url(resolved).render_as_string(hide_password=True)
        source = sqlite_path(resolved)
        temp_url = f"sqlite:///{workdir / 'selfcheck.sqlite3'}"
        if source is not None and source.exists():
            copy_sqlite(source, workdir / "selfcheck.sqlite3")
            db = open_database(temp_url)
            detail = tr("selfcheck", "bản sao của {path} mở được và nâng cấp được tới lược đồ {rev}").format(
                path=source, rev=db.revision)
        elif source is not None:
            db = open_database(temp_url)
            detail = tr("selfcheck", "chưa có tệp {path}; tạo thử một cơ sở dữ liệu mới được (lược đồ {rev})").format(
                path=source, rev=db.revision)
        else:
            probe = probe_database(resolved)
            if probe.error:
                return Check(name, False, f"{shown}: {probe.error}"), None
            db = open_database(temp_url)
            server_rev = probe.revision or tr("selfcheck", "chưa có bảng")
            detail = tr("selfcheck", "{url} kết nối được (lược đồ {server}); bản nâng cấp chạy được trên một cơ sở "
                                     "dữ liệu tạm (lược đồ {rev})").format(url=shown, server=server_rev, rev=db.revision)
        try:
            with db.read() as session:
                session.execute(text("SELECT 1"))
            revision = current_revision(db.engine)
        finally:
            db.dispose()
    except Exception as exc:  # reported, not raised
        return Check(name, False, _first_line(exc)), None
    if revision != head_revision():
        return Check(name, False, tr("selfcheck", "lược đồ {rev} thay vì {head}").format(
            rev=revision, head=head_revision())), None
    return Check(name, True, detail), temp_url


def render_sample_certificate(path: Path, session: Any | None = None) -> None:
    """One certificate of completion for a made-up learner, drawn exactly as certificates are
    printed: the centre's layout (bundled, or its own saved in the database), its letterhead and
    printer calibration when a database session is given, the QR code, the PDF writer."""
    from dtbd_desktop.base import text
    from dtbd_desktop.printing import layouts
    from dtbd_desktop.printing.certificate_pdf import write_pdf
    from dtbd_desktop.printing.letterhead import NATIONAL_MOTTO, NATIONAL_NAME, PARTY_HEADING
    from dtbd_desktop.services import settings
    from dtbd_desktop.services.settings import load_letterhead

    values = settings.get_settings(session) if session is not None else dict(settings.DEFAULTS)
    available = layouts.merge_layouts(layouts.bundled_layouts(), values.get("certificate_layouts") or {})
    layout = layouts.choose_layout(available, "certificate", "DVM", values.get("certificate_layout_by_programme"))
    sample = layouts.sample_values(layout)
    if session is not None:
        head = load_letterhead(session)
        today = dt.date.today()
        sample.update({
            "superior_body": head.superior_body, "centre_name": head.centre_name, "place_name": head.place_name,
            "director_title": head.director_title, "director_name": head.director_name,
            "heading_1": PARTY_HEADING if head.party_heading else NATIONAL_NAME,
            "heading_2": "" if head.party_heading else NATIONAL_MOTTO,
            "party_heading": "1" if head.party_heading else "", "national_heading": "" if head.party_heading else "1",
            "place_date": text.long_date(head.place_name, today),
        })
    page = layouts.page_ops(layout, sample, layouts.calibration_for(values))
    write_pdf(path, [page], title="Giấy chứng nhận (tự kiểm tra)", author=sample["centre_name"])


def check_certificate(workdir: Path, database_url: str | None) -> Check:
    name = tr("selfcheck", "In giấy chứng nhận")
    target = workdir / "giay-chung-nhan-thu.pdf"
    try:
        if database_url is not None:
            from dtbd_desktop.db.engine import open_database

            db = open_database(database_url)
            try:
                with db.read() as session:
                    render_sample_certificate(target, session)
            finally:
                db.dispose()
        else:
            render_sample_certificate(target)
        data = target.read_bytes()
    except Exception as exc:  # reported, not raised
        return Check(name, False, _first_line(exc))
    if not data.startswith(b"%PDF") or len(data) < 2000:
        return Check(name, False, tr("selfcheck", "tệp PDF không đúng ({n} byte)").format(n=len(data)))
    if b"/FontFile2" not in data or b"LiberationSerif" not in data:
        return Check(name, False, tr("selfcheck", "phông chữ không được nhúng vào PDF"))
    return Check(name, True, tr("selfcheck", "PDF {kb} KB, phông chữ đã nhúng").format(kb=max(1, len(data) // 1024)))


@contextmanager
def _workdir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    folder = Path(tempfile.mkdtemp(prefix="dtbd-selfcheck-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_checks(url: str | None = None, *, workdir: Path | None = None,
               progress: Callable[[Check], None] | None = None,
               extra: Callable[[Report, Path], None] | None = None) -> Report:
    """Run every check (none stops the others). `workdir` keeps the temporary files there (for
    looking at the PDF); `extra(report, folder)` runs more checks while the temporary database
    exists (the GUI part)."""
    report = Report()
    with _workdir(workdir) as folder:
        for check in (check_resources, check_migrations, check_postgres_driver):
            report.add(check(), progress)
        database_check, report.database_url = check_database(url, folder)
        report.add(database_check, progress)
        report.add(check_certificate(folder, report.database_url), progress)
        if extra is not None:
            try:
                extra(report, folder)
            except Exception as exc:  # reported, not raised
                report.add(Check(tr("selfcheck", "Giao diện"), False,
                                 _first_line(exc) + "\n" + traceback.format_exc()), progress)
    return report


# ---------------------------------------------------------------------------------- probing a URL


@dataclass(frozen=True)
class DatabaseProbe:
    """What trying a database URL found: an error for a person to read, or the schema there."""

    error: str | None
    revision: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # the centre's settings, when the tables exist

    @property
    def ok(self) -> bool:
        return self.error is None


def probe_database(url: str, timeout_s: int = CONNECT_TIMEOUT_S) -> DatabaseProbe:
    """Connect to `url` and read (never write) its schema revision and centre settings."""
    from alembic.runtime.migration import MigrationContext

    from dtbd_desktop.db.models import Setting

    try:
        u = make_url(url)
    except ArgumentError:
        return DatabaseProbe(tr("selfcheck", "Địa chỉ cơ sở dữ liệu không hợp lệ."))
    kwargs: dict[str, Any] = {}
    if u.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": timeout_s}
    elif u.get_backend_name() == "sqlite":
        path = Path(u.database or "")
        if not u.database or not path.exists():
            return DatabaseProbe(None)  # a new file: created on first start
    try:
        engine = create_engine(u, **kwargs)
    except (NoSuchModuleError, ImportError):
        return DatabaseProbe(tr("selfcheck", "Không hỗ trợ loại cơ sở dữ liệu '{name}'.").format(name=u.drivername))
    try:
        with engine.connect() as conn:
            revision = MigrationContext.configure(conn).get_current_revision()
            values: dict[str, Any] = {}
            if revision is not None:
                values = {row.key: row.value for row in conn.execute(select(Setting.key, Setting.value))}
            return DatabaseProbe(None, revision, values)
    except SQLAlchemyError as exc:
        return DatabaseProbe(tr("selfcheck", "Không kết nối được: {reason}").format(reason=_first_line(exc)))
    finally:
        engine.dispose()
