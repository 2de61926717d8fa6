"""The `dtbd` command line keeps the contract of shared/CLI.md: names, JSON keys, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dtbd_desktop.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, object]:
    code, out, err = run(capsys, *args, "--json")
    return code, json.loads(out)  # exactly one JSON document, nothing else on stdout


def test_init_creates_the_database_and_seeds_the_catalogue(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    code, doc = run_json(capsys, "--db", url, "init")
    assert code == 0
    assert doc == {"database": url, "schema_version": "0003_docs_core", "programmes": 7}
    assert (tmp_path / "new.sqlite3").exists()


def test_programmes_list_json(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, doc = run_json(capsys, "--db", db_url, "programmes", "list")
    assert code == 0
    assert isinstance(doc, list)
    codes = [p["code"] for p in doc]
    assert sorted(codes) == ["CC", "DT4", "DVM", "NTVD", "NVCTD", "SC", "TC"]
    tc = next(p for p in doc if p["code"] == "TC")
    assert set(tc) == {"code", "name", "kind", "modules"}
    assert tc["kind"] == "training"
    assert set(tc["modules"][0]) == {"code", "name", "periods", "kind"}
    assert {m["kind"] for m in tc["modules"]} == {"module", "graduation_exam", "thesis"}
    assert next(p for p in doc if p["code"] == "DVM")["kind"] == "fostering"


def test_class_create_and_list(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, doc = run_json(capsys, "--db", db_url, "class", "create", "--code", "A48", "--programme", "TC",
                         "--start", "2025-03-02", "--end", "2025-10-30", "--mode", "full-time")
    assert (code, doc) == (0, {"code": "A48", "programme": "TC", "start": "2025-03-02", "end": "2025-10-30"})
    run_json(capsys, "--db", db_url, "class", "create", "--code", "SC26.01", "--programme", "SC",
             "--start", "2026-04-06", "--end", "2026-05-08", "--name", "Lớp Sơ cấp LLCT huyện Bến Lức")
    code, doc = run_json(capsys, "--db", db_url, "class", "list", "--year", "2025")
    assert code == 0
    assert doc == [{"code": "A48", "programme": "TC", "start": "2025-03-02", "end": "2025-10-30",
                    "learners": 0, "status": "planned"}]
    code, doc = run_json(capsys, "--db", db_url, "class", "list")
    assert [c["code"] for c in doc] == ["SC26.01", "A48"]


def test_json_flag_is_accepted_anywhere_after_the_command(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code = main(["--db", sqlite_url, "class", "--json", "list"])
    out, _err = capsys.readouterr()
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize(
    ("args", "expected_code", "words"),
    [
        (["class", "create", "--code", "X1", "--programme", "ZZ", "--start", "2025-01-01", "--end", "2025-02-01"],
         1, "ZZ"),
        (["class", "create", "--code", "X1", "--programme", "TC", "--start", "2025-05-01", "--end", "2025-02-01"],
         1, "trước ngày khai giảng"),
        (["class", "create", "--code", "X1", "--programme", "TC", "--start", "2025-02-30", "--end", "2025-03-01"],
         2, "30/02/2025"),
        (["class", "create", "--code", "X1", "--programme", "TC", "--start", "hôm qua", "--end", "2025-03-01"],
         2, "hôm qua"),
        (["class", "create", "--programme", "TC", "--start", "2025-01-01", "--end", "2025-02-01"], 2, "--code"),
        (["class", "create", "--code", "X1", "--programme", "TC", "--start", "2025-01-01", "--end", "2025-02-01",
          "--mode", "weekly"], 2, "weekly"),
        (["class", "list", "--year", "20x5"], 2, "20x5"),
        (["class", "fly"], 2, "fly"),
        (["nothing"], 2, "nothing"),
    ],
)
def test_bad_input_gets_exit_code_and_message_never_a_traceback(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, args: list[str], expected_code: int, words: str
) -> None:
    code, out, err = run(capsys, "--db", sqlite_url, *args, "--json")
    assert code == expected_code
    assert "Traceback" not in out + err
    doc = json.loads(out)
    assert words in doc["error"] + json.dumps(doc["rejected"], ensure_ascii=False) + err
    # Nothing was created.
    code, listed = run_json(capsys, "--db", sqlite_url, "class", "list")
    assert listed == []


def test_duplicate_class_code_is_refused(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    args = ["--db", sqlite_url, "class", "create", "--code", "A48", "--programme", "TC", "--start", "2025-03-02",
            "--end", "2025-10-30"]
    assert run_json(capsys, *args)[0] == 0
    code, doc = run_json(capsys, *args)
    assert code == 1
    assert doc["rejected"][0]["message"] == "Đã có lớp mã 'A48'. Chọn mã khác."


def test_an_unreachable_database_is_a_message_not_a_traceback(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, out, err = run(capsys, "--db", f"sqlite:///{blocker}/sub/db.sqlite3", "class", "list")
    assert code == 1
    assert "Traceback" not in out + err
    assert err.startswith("Lỗi:")


def test_human_output_is_a_vietnamese_table(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    main(["--db", sqlite_url, "class", "create", "--code", "A48", "--programme", "TC", "--start", "2025-03-02",
          "--end", "2025-10-30"])
    capsys.readouterr()
    code, out, _err = run(capsys, "--db", sqlite_url, "class", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Mã", "lớp", "Chương", "trình", "Khai", "giảng", "Kết", "thúc", "Học", "viên",
                                "Trạng", "thái"]
    assert lines[2].split() == ["A48", "TC", "02/03/2025", "30/10/2025", "0", "Dự", "kiến"]


def test_the_installed_entry_point_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ep.sqlite3'}"
    result = subprocess.run([sys.executable, "-m", "dtbd_desktop.cli", "--db", url, "programmes", "list", "--json"],
                            capture_output=True, text=True, env={"PATH": "", "DTBD_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 7


def test_help_and_version_load_nothing_heavy() -> None:
    """`dtbd --help`, `--version` and a command's help start at once: no database library, no Excel,
    no PDF, no Qt loaded (benchmarks/run.py times it: case cli_help)."""
    heavy = ("sqlalchemy", "openpyxl", "reportlab", "PySide6", "cryptography", "argon2", "psycopg")
    code = ("import sys\nfrom dtbd_desktop.cli.main import main\n"
            "for args in (['--help'], ['--version'], ['roster', 'import', '--help'], ['certificates', 'verify', '--help']):\n"
            "    assert main(args) == 0\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
