"""Several PCs writing scores and attendance on one PostgreSQL server at once, as fast as they can.

    python benchmarks/concurrent_writers.py --db postgresql+psycopg://... --procs 16 --seconds 60 [--json]

Each writer is a separate process logged in with its own office account (as PCs are), writing
through the same core operations the screens use: a score of one of its own learners, then a mark
of one of them, again and again. It remembers the last value it saw committed for every cell.
At the end the database must hold exactly those values (no lost update), and `audit verify`
must find the log intact (one writer at a time, every entry signed). `tests/test_concurrency.py`
runs the two-writer case in CI; this script runs the larger ones (the README has the table).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pg_centre import PASSWORD, set_up_centre  # noqa: E402

CLASS = "TAI.01"
LEARNERS_EACH = 6


def set_up(url: str, procs: int) -> None:
    """A Trung cấp class with `procs` × LEARNERS_EACH learners and its timetable; an administrator
    and one office account per writer."""
    set_up_centre(url, {CLASS: [(f"Tải{i}", f"0790{i:08d}") for i in range(procs * LEARNERS_EACH)]},
                  [f"may{w}" for w in range(procs)])


def writer(url: str, index: int, procs: int, start: float, seconds: float) -> dict[str, Any]:
    """One PC: log in, wait for the start, write until the time is up; the last values it committed."""
    from dtbd_desktop.base.errors import ConflictError
    from dtbd_desktop.services import attendance, scores
    from dtbd_desktop.services import timetable as timetable_service
    from dtbd_desktop.services.startup import open_centre as open_database
    from dtbd_desktop.trust import accounts, operations

    db = open_database(url)
    login = accounts.authenticate(db, f"may{index}", PASSWORD)
    mine = [f"0790{i:08d}" for i in range(index * LEARNERS_EACH, (index + 1) * LEARNERS_EACH)]
    with operations.reading(db, login) as s:
        sessions = [(r.date, r.half, r.module_code) for r in timetable_service.list_sessions(s, CLASS)
                    if r.date <= dt.date.today() and r.module_code and r.kind == "lesson"][:40]
        modules = sorted({m for _d, _h, m in sessions if m})[:4]
    rng = random.Random(index)
    last_scores: dict[str, str] = {}
    last_marks: dict[str, str] = {}
    done = conflicts = 0
    timings: list[float] = []
    while time.time() < start:
        time.sleep(0.01)
    while time.time() < start + seconds:
        nid = rng.choice(mine)
        module = rng.choice(modules)
        value = f"{rng.randint(50, 100) / 10:.1f}"
        day, half, _m = rng.choice(sessions)
        status = rng.choice(["present", "late", "excused", "unexcused"])
        began = time.perf_counter()
        try:
            with operations.writing(db, login) as s:
                scores.set_score(s, CLASS, nid, module, value, attempt=1)
            last_scores[f"{nid}/{module}"] = value
            with operations.writing(db, login) as s:
                attendance.set_mark(s, CLASS, nid, day, half, status, allow_locked=True, reason="Thử tải")
            last_marks[f"{nid}/{day.isoformat()}/{half}"] = status
        except ConflictError:
            conflicts += 1
        timings.append(time.perf_counter() - began)
        done += 1
    db.dispose()
    timings.sort()
    return {"writer": index, "rounds": done, "conflicts": conflicts, "scores": last_scores, "marks": last_marks,
            "p50": timings[len(timings) // 2] if timings else None,
            "p95": timings[int(len(timings) * 0.95)] if timings else None}


def check(url: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    """Lost updates (a committed value not in the database) and the audit check."""
    from sqlalchemy import select

    from dtbd_desktop.db.models import AttendanceMark, ClassSession, Enrolment, Learner, Module, Score
    from dtbd_desktop.services.startup import open_centre as open_database
    from dtbd_desktop.trust import audit_check

    db = open_database(url)
    try:
        with db.read() as s:
            stored_scores = {f"{nid}/{code}": f"{value:.1f}" for nid, code, value in s.execute(
                select(Learner.national_id, Module.code, Score.value).join(Enrolment, Enrolment.id == Score.enrolment_id)
                .join(Learner, Learner.id == Enrolment.learner_id).join(Module, Module.id == Score.module_id)
                .where(Score.attempt == 1, Score.component == ""))}
            stored_marks = {f"{nid}/{day.isoformat()}/{half}": status for nid, day, half, status in s.execute(
                select(Learner.national_id, ClassSession.date, ClassSession.half, AttendanceMark.status)
                .join(Enrolment, Enrolment.id == AttendanceMark.enrolment_id)
                .join(Learner, Learner.id == Enrolment.learner_id)
                .join(ClassSession, ClassSession.id == AttendanceMark.session_id))}
            report = audit_check.verify(s)
    finally:
        db.dispose()
    lost = sum(1 for r in results for key, value in r["scores"].items() if stored_scores.get(key) != value)
    lost += sum(1 for r in results for key, value in r["marks"].items() if stored_marks.get(key) != value)
    return {"lost_updates": lost, "audit_intact": report.intact, "audit_entries": report.entries,
            "breaks": [b.problem for b in report.breaks[:5]]}


def run(url: str, procs: int, seconds: float) -> dict[str, Any]:
    set_up(url, procs)
    start = time.time() + 3.0 + procs * 0.3  # every writer logged in before the gun
    children = []
    folder = Path(tempfile.mkdtemp(prefix="dtbd-writers-"))
    for index in range(procs):
        env = dict(os.environ, DTBD_DATA_DIR=str(folder / f"pc{index}"), PYTHONPATH=str(ROOT))
        children.append(subprocess.Popen(
            [sys.executable, __file__, "--child", str(index), "--db", url, "--procs", str(procs),
             "--start", str(start), "--seconds", str(seconds)], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True))
    results = []
    for child in children:
        out, err = child.communicate(timeout=seconds + 600)
        if child.returncode != 0:
            raise SystemExit(f"writer failed:\n{err[-3000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    summary = check(url, results)
    summary.update({"procs": procs, "seconds": seconds, "rounds": sum(r["rounds"] for r in results),
                    "conflicts": sum(r["conflicts"] for r in results),
                    "p95_round_ms": round(1000 * max(r["p95"] or 0 for r in results), 1)})
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL of an empty, migrated database")
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(writer(args.db, args.child, args.procs, args.start, args.seconds)))
        return 0
    summary = run(args.db, args.procs, args.seconds)
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"{summary['procs']} writers × {summary['seconds']:.0f} s: {summary['rounds']} rounds (a score and a "
              f"mark each), {summary['conflicts']} conflicts, lost updates {summary['lost_updates']}, audit "
              f"{'intact' if summary['audit_intact'] else 'BROKEN'} ({summary['audit_entries']} entries), "
              f"p95 of a round {summary['p95_round_ms']} ms")
    return 0 if summary["lost_updates"] == 0 and summary["audit_intact"] else 1


if __name__ == "__main__":
    sys.exit(main())
