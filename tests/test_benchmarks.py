"""The benchmark generator and every case run on a tiny dataset (the real run is not a test)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generator_and_every_case_run_on_a_tiny_dataset(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    path = tmp_path / "tiny.sqlite3"
    counts = generate.generate(path, scale=0.01, progress=False)
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT count(*) FROM classes").fetchone()[0] == counts["classes"] > 0
        assert con.execute("SELECT count(*) FROM attendance").fetchone()[0] == counts["attendance"] > 0
        assert con.execute("SELECT count(*) FROM certificates").fetchone()[0] == counts["certificates"] > 0
        # The same seed makes the same data.
        first = con.execute("SELECT national_id FROM learners ORDER BY id LIMIT 5").fetchall()
    finally:
        con.close()
    again = tmp_path / "again.sqlite3"
    generate.generate(again, scale=0.01, progress=False)
    con = sqlite3.connect(again)
    try:
        assert con.execute("SELECT national_id FROM learners ORDER BY id LIMIT 5").fetchall() == first
    finally:
        con.close()

    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--json", "--repeat", "1", "--scale", "0.01"],
        capture_output=True, text=True, timeout=900,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "DTBD_DATA_DIR": str(tmp_path / "data"),
             "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    document = json.loads(result.stdout)
    names = {case["name"] for case in document["cases"]}
    assert names == {"cli_help", "startup", "startup_filled", "attendance_grid_open", "attendance_mark", "roster_import_5000",
                     "certificates_print_1000", "annual_report", "learner_search"}
    for case in document["cases"]:
        assert case["seconds"] > 0 and case["floor_seconds"] > 0 and case["ratio"] > 0
    assert document["peak_rss_mb"] > 0
