"""The short version of benchmarks/load_pg.py: a few PCs at a person's pace on one PostgreSQL server.

The full run (20 PCs × 5 minutes) is in the README; here four PCs work for twenty seconds, and the
day must end with every committed mark and score in the database and an intact audit log. Times
are not asserted (speed targets belong to benchmarks/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_four_pcs_at_a_persons_pace_lose_nothing_and_keep_the_log_intact(pg_url: str, tmp_path: Path) -> None:
    env = dict(os.environ, DTBD_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load_pg.py"), "--db", pg_url,
                           "--pcs", "4", "--seconds", "20", "--json"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["lost_updates"] == 0
    assert summary["audit_intact"], summary["breaks"]
    # every kind of action happened, and each change left its audit entry
    assert all(summary["actions"][action]["count"] > 0 for action in ("mark", "score", "search", "list"))
    changes = summary["actions"]["mark"]["count"] + summary["actions"]["score"]["count"] - summary["conflicts"]
    assert summary["audit_entries"] >= changes
