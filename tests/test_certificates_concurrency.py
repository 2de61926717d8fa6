"""Two PCs issuing at the same moment on one database: no duplicate, no gap, nothing issued twice.

Two real processes (each with its own data folder, hence its own signing key, as two PCs
have) issue certificates for their classes at the same moment, class after class, on
PostgreSQL (and on SQLite, whose writers queue). The register must come out gap-free.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from dtbd_desktop.db.engine import open_database
from dtbd_desktop.db.models import Certificate, Register
from dtbd_desktop.services import certificates, signing_keys
from tests.test_certificates import make_class

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import datetime as dt, json, sys, time
from dtbd_desktop.db.engine import open_database
from dtbd_desktop.services import certificates
url, start, classes = sys.argv[1], float(sys.argv[2]), sys.argv[3].split(",")
db = open_database(url)
from tests.logins import enrol_this_pc
enrol_this_pc(db)  # each PC's key is enrolled by the administrator before the day starts
while time.time() < start:
    time.sleep(0.005)
issued = []
for code in classes:
    with db.write(raw=True) as session:
        rows = certificates.issue_for_class(session, code, dt.date(2025, 3, 20))
        issued += [r.serial for r in rows]
# The same class again, at once, from both PCs: nobody gets a second document.
with db.write(raw=True) as session:
    issued += [r.serial for r in certificates.issue_for_class(session, "SHARED", dt.date(2025, 3, 20))]
db.dispose()
print(json.dumps(issued))
"""


def _children(url: str, tmp_path: Path, plans: list[list[str]]) -> list[list[str]]:
    start = time.time() + 3.0  # both are connected and waiting before the gun
    procs = []
    for index, plan in enumerate(plans):
        env = dict(os.environ, DTBD_DATA_DIR=str(tmp_path / f"pc{index}"), PYTHONPATH=str(ROOT))
        procs.append(subprocess.Popen([sys.executable, "-c", CHILD, url, str(start), ",".join(plan)], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_processes_issue_at_the_same_moment_without_duplicates_or_gaps(db_url: str, tmp_path: Path) -> None:
    db = open_database(db_url)
    try:
        codes = [f"DVM{i}" for i in range(8)]
        for code in codes:
            make_class(db, code, size=12)
        make_class(db, "SHARED", size=5)
    finally:
        db.dispose()
    first, second = _children(db_url, tmp_path, [codes[0::2], codes[1::2]])

    db = open_database(db_url)
    try:
        with db.read() as s:
            sequences = list(s.scalars(select(Certificate.sequence).order_by(Certificate.sequence)))
            serials = list(s.scalars(select(Certificate.serial)))
            last = s.scalar(select(Register.last_number))
            per_enrolment = s.scalar(select(func.max(select(func.count()).select_from(Certificate)
                                                    .group_by(Certificate.enrolment_id).subquery().c[0])))
            keys = signing_keys.trusted_keys(s)
            codes_issued = [certificates.short_of(c) for c in s.scalars(select(Certificate))]
            verified = [certificates.verify(s, code).valid for code in codes_issued]
    finally:
        db.dispose()
    total = 8 * 12 + 5
    assert sequences == list(range(1, total + 1))  # no gap
    assert len(set(serials)) == total == last  # no duplicate
    assert sorted(first + second) == sorted(serials)
    assert per_enrolment == 1  # nobody issued twice, "SHARED" included
    assert len(keys) == 3 and all(verified)  # the two PCs and the one that set up: enrolled; every code checks
    assert first and second  # both PCs issued
