"""`dtbd-desktop --self-check`: the checks themselves (no Qt), and the whole command in a subprocess.

The self-check must find what a broken installation lacks, and must never change the user's data.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from dtbd_desktop import selfcheck
from dtbd_desktop.db.engine import open_database, resolve_url, sqlite_path
from dtbd_desktop.services import settings

REFUSED = "postgresql+psycopg://dtbd:x@127.0.0.1:1/dtbd"  # nothing listens on port 1


def names(report: selfcheck.Report) -> dict[str, selfcheck.Check]:
    return {check.name: check for check in report.checks}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_fresh_pc_passes_without_creating_anything(tmp_path: Path) -> None:
    seen: list[str] = []
    report = selfcheck.run_checks(progress=lambda check: seen.append(check.name))
    assert report.ok, report.text()
    assert seen == [c.name for c in report.checks]
    assert list(names(report)) == ["Tài nguyên", "Bản nâng cấp cơ sở dữ liệu", "Trình kết nối PostgreSQL",
                                   "Cơ sở dữ liệu", "In giấy chứng nhận"]
    assert "chưa có tệp" in names(report)["Cơ sở dữ liệu"].detail
    default_file = sqlite_path(resolve_url(None))
    assert default_file is not None and not default_file.exists()  # the user's database was not created
    assert report.text().splitlines()[-1] == "Kết quả: đạt."


def test_an_existing_database_is_checked_on_a_copy(tmp_path: Path, sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    with db.write(raw=True) as session:
        settings.save_settings(session, centre_name="Trường Chính trị tỉnh Long An", place_name="Long An",
                               director_title="HIỆU TRƯỞNG", director_name="Nguyễn Văn Bình")
    db.dispose()
    original = sqlite_path(sqlite_url)
    assert original is not None
    before = digest(original)
    work = tmp_path / "work"
    report = selfcheck.run_checks(sqlite_url, workdir=work)
    assert report.ok, report.text()
    assert f"bản sao của {original}" in names(report)["Cơ sở dữ liệu"].detail
    assert digest(original) == before  # untouched
    pdf = work / "giay-chung-nhan-thu.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN" in text  # the centre's own letterhead
        assert "GIẤY CHỨNG NHẬN" in text and "HIỆU TRƯỞNG" in text and "Nguyễn Văn Bình" in text
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]  # name, type, encoding, emb, sub, uni, object ID (two numbers)
        assert rows and all("LiberationSerif" in row and row.split()[-5] == "yes" for row in rows)


def test_the_temporary_folder_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = tempfile.mkdtemp

    def spy(*args: object, **kwargs: object) -> str:
        folder = real(*args, **kwargs)  # type: ignore[arg-type]
        made.append(folder)
        return folder

    monkeypatch.setattr(selfcheck.tempfile, "mkdtemp", spy)
    assert selfcheck.run_checks().ok
    assert made and not any(Path(folder).exists() for folder in made)


def test_a_database_from_a_newer_program_is_reported(tmp_path: Path, sqlite_url: str) -> None:
    path = sqlite_path(sqlite_url)
    assert path is not None
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_tuong_lai'")
    con.commit()
    con.close()
    report = selfcheck.run_checks(sqlite_url)
    assert not report.ok
    database = names(report)["Cơ sở dữ liệu"]
    assert not database.ok and "phiên bản mới hơn" in database.detail
    assert names(report)["In giấy chứng nhận"].ok  # the other checks still ran
    assert report.text().splitlines()[-1] == "Kết quả: CÓ LỖI."


def test_an_unreachable_server_is_reported_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTBD_DATABASE_URL", REFUSED)
    report = selfcheck.run_checks()
    database = names(report)["Cơ sở dữ liệu"]
    assert not database.ok
    assert "127.0.0.1" in database.detail and "Không kết nối được" in database.detail
    assert "x@" not in database.detail  # the password is not shown
    assert "Traceback" not in report.text()


def test_a_missing_resource_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selfcheck, "REQUIRED_RESOURCES", (*selfcheck.REQUIRED_RESOURCES, "layouts/khong-co.json"))
    check = selfcheck.check_resources()
    assert not check.ok and "layouts/khong-co.json" in check.detail


def test_probing_urls(sqlite_url: str, tmp_path: Path) -> None:
    bad = selfcheck.probe_database("không phải địa chỉ")
    assert bad.error == "Địa chỉ cơ sở dữ liệu không hợp lệ."
    refused = selfcheck.probe_database(REFUSED, timeout_s=3)
    assert not refused.ok and refused.error is not None and refused.error.startswith("Không kết nối được")
    new_file = selfcheck.probe_database(f"sqlite:///{tmp_path / 'moi.sqlite3'}")
    assert new_file.ok and new_file.revision is None and not (tmp_path / "moi.sqlite3").exists()
    db = open_database(sqlite_url)
    with db.write(raw=True) as session:
        settings.save_settings(session, centre_name="Trung tâm Chính trị huyện Bến Lức", place_name="Bến Lức")
    db.dispose()
    existing = selfcheck.probe_database(sqlite_url)
    assert existing.ok and existing.revision is not None
    assert existing.settings["centre_name"] == "Trung tâm Chính trị huyện Bến Lức"


def test_probing_a_postgresql_server(db_url: str) -> None:
    probe = selfcheck.probe_database(db_url)
    assert probe.ok and probe.revision is not None


def test_the_whole_command_passes_offscreen(tmp_path: Path) -> None:
    """`dtbd-desktop --self-check` from the source tree, GUI included (the frozen build is tested in
    tests/test_installer.py)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DTBD_DATA_DIR": str(tmp_path / "data"),
           "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "dtbd_desktop", "--self-check"], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[OK] Giao diện: cửa sổ chính mở được (nền offscreen)" in done.stdout
    assert "Kết quả: đạt." in done.stdout
    assert (tmp_path / "dtbd-selfcheck.txt").read_text(encoding="utf-8").startswith("DTBD Desktop")
    assert not (tmp_path / "data" / "dtbd.sqlite3").exists()
