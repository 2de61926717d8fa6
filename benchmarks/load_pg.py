"""A centre's day on one PostgreSQL server: 20 PCs working at a person's pace.

    python benchmarks/load_pg.py --db postgresql+psycopg://... [--pcs 20] [--seconds 300] [--json]

Each PC is a process logged in with its own account. Every one to three seconds it does what a
person in the training office does, through the same core operations the screens use:

* **mark**: one attendance mark in the grid of one of the two classes (`attendance.set_marks`);
* **score**: one score cell, checked against the value the person saw (`scores.set_scores` with
  `check_expected`, as the score grid saves): a cell someone else changed meanwhile is refused
  with a conflict, which the person sees and reloads;
* **search**: a learner searched by name (`learners.search_learners`);
* **list**: a class's attendance grid or score sheet opened (`attendance.attendance_grid`,
  `scores.load_score_sheet`).

The two classes are shared by all PCs. Each PC marks and scores its own learners (so every one of
its committed values can be checked at the end), and one score in twenty goes to a cell every PC
writes, to measure conflicts. At the end: lost updates (a PC's last committed value of its own
cells missing from the database: must be 0), and `audit verify` (must be intact: it also compares
every shared score with the last value the log holds). Target: p95 ≤ 50 ms for a mark and a score.
`tests/test_load_pg.py` runs a short version in CI; the README has the table of the full run.
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
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pg_centre import PASSWORD, set_up_centre  # noqa: E402

CLASSES = ("NGAY.A", "NGAY.B")
LEARNERS_PER_PC = 4  # in each class
ACTIONS = ("mark", "score", "search", "list")


def _nid(pc: int, cls: int, i: int) -> str:
    return f"07{cls}{pc:03d}{i:06d}"


def set_up(url: str, pcs: int) -> None:
    """Two Trung cấp classes with their timetables, LEARNERS_PER_PC learners of each PC in each,
    an administrator and one office account per PC."""
    set_up_centre(url, {code: [(f"Tải{c}{pc}{i}", _nid(pc, c, i)) for pc in range(pcs) for i in range(LEARNERS_PER_PC)]
                        for c, code in enumerate(CLASSES)}, [f"pc{pc}" for pc in range(pcs)])


def pc_day(url: str, pc: int, start: float, seconds: float, seed: int) -> dict[str, Any]:
    """One PC's day: an action every one to three seconds until the time is up."""
    from sqlalchemy import select

    from dtbd_desktop.base.errors import ConflictError
    from dtbd_desktop.db.models import ClassSession, Enrolment, Learner, TrainingClass
    from dtbd_desktop.services import attendance, learners, scores
    from dtbd_desktop.services.startup import open_centre
    from dtbd_desktop.trust import accounts, operations

    db = open_centre(url)
    login = accounts.authenticate(db, f"pc{pc}", PASSWORD)
    rng = random.Random(seed * 1000 + pc)
    today = dt.date.today()
    world: dict[str, Any] = {}
    with operations.reading(db, login) as s:
        for c, code in enumerate(CLASSES):
            class_id = s.scalar(select(TrainingClass.id).where(TrainingClass.code == code))
            mine = {nid: eid for eid, nid in s.execute(
                select(Enrolment.id, Learner.national_id).join(Learner, Learner.id == Enrolment.learner_id)
                .where(Enrolment.class_id == class_id)) if nid.startswith(f"07{c}{pc:03d}")}
            sessions = list(s.scalars(select(ClassSession.id).where(
                ClassSession.class_id == class_id, ClassSession.date <= today, ClassSession.kind == "lesson")
                .order_by(ClassSession.date).limit(60)))
            modules = [m.code for m in scores.load_class_scores(s, code).modules if m.kind == "module"][:3]
            world[code] = {"class_id": class_id, "mine": mine, "sessions": sessions, "modules": modules}
    times: dict[str, list[float]] = {a: [] for a in ACTIONS}
    conflicts = 0
    last_scores: dict[str, str] = {}
    last_marks: dict[str, str] = {}
    shared_nid = _nid(0, 0, 0)  # one learner whose first module every PC corrects now and then
    shown: dict[str, Decimal | None] = {}  # the shared cells as this PC last saw them
    while time.time() < start:
        time.sleep(0.02)
    while time.time() < start + seconds:
        time.sleep(rng.uniform(1.0, 3.0))
        action = rng.choice(ACTIONS)
        code = rng.choice(CLASSES)
        w = world[code]
        began = time.perf_counter()
        try:
            if action == "mark":
                nid = rng.choice(sorted(w["mine"]))
                session_id = rng.choice(w["sessions"])
                status = rng.choice(["present", "late", "excused", "unexcused"])
                with operations.writing(db, login) as s:
                    attendance.set_marks(s, w["class_id"], [(w["mine"][nid], session_id, status)],
                                         allow_locked=True, reason="Ghi theo sổ ký tên")
                last_marks[f"{w['mine'][nid]}/{session_id}"] = status
            elif action == "score":
                shared = rng.random() < 0.05
                nid = shared_nid if shared else rng.choice(sorted(w["mine"]))
                code = CLASSES[0] if shared else code
                module = world[code]["modules"][0] if shared else rng.choice(w["modules"])
                value = f"{rng.randint(50, 100) / 10:.1f}"
                key = f"{nid}/{module}"
                seen = Decimal(last_scores[key]) if key in last_scores else shown.get(key)
                try:  # one key press in the score grid: saved against the value the person saw
                    with operations.writing(db, login) as s:
                        scores.set_scores(s, code, [scores.ScoreEntry(
                            module_code=module, value=value, national_id=nid, attempt=1, check_expected=True,
                            expected=seen)], reason="Nhập điểm", allow_locked=True)
                except ConflictError:
                    shown.pop(key, None)
                    raise
                if shared:
                    shown[key] = Decimal(value)
                else:
                    last_scores[key] = value
            elif action == "search":
                with operations.reading(db, login) as s:
                    learners.search_learners(s, f"nguyen van tai{rng.randint(0, 1)}", limit=50)
            else:
                with operations.reading(db, login) as s:
                    if rng.random() < 0.5:
                        attendance.attendance_grid(s, code)
                    else:  # the sheet as the person now sees it
                        module = rng.choice(w["modules"])
                        for row in scores.load_score_sheet(s, code, module).rows:
                            if row.national_id == shared_nid:
                                shown[f"{shared_nid}/{module}"] = row.attempt_score(1)
        except ConflictError:
            conflicts += 1
        times[action].append(time.perf_counter() - began)
    db.dispose()
    return {"pc": pc, "times": times, "conflicts": conflicts, "scores": last_scores, "marks": last_marks}


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def check(url: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    from sqlalchemy import select

    from dtbd_desktop.db.models import AttendanceMark, Enrolment, Learner, Module, Score
    from dtbd_desktop.services.startup import open_centre
    from dtbd_desktop.trust import audit_check

    db = open_centre(url)
    try:
        with db.read() as s:
            stored_scores = {f"{nid}/{code}": f"{value:.1f}" for nid, code, value in s.execute(
                select(Learner.national_id, Module.code, Score.value).join(Enrolment, Enrolment.id == Score.enrolment_id)
                .join(Learner, Learner.id == Enrolment.learner_id).join(Module, Module.id == Score.module_id)
                .where(Score.attempt == 1, Score.component == ""))}
            stored_marks = {f"{eid}/{sid}": status for eid, sid, status in s.execute(
                select(AttendanceMark.enrolment_id, AttendanceMark.session_id, AttendanceMark.status))}
            report = audit_check.verify(s)
    finally:
        db.dispose()
    lost = sum(1 for r in results for key, value in r["scores"].items() if stored_scores.get(key) != value)
    lost += sum(1 for r in results for key, value in r["marks"].items() if stored_marks.get(key) != value)
    return {"lost_updates": lost, "audit_intact": report.intact, "audit_entries": report.entries,
            "breaks": [b.problem for b in report.breaks[:5]]}


def run(url: str, pcs: int, seconds: float, seed: int = 1) -> dict[str, Any]:
    set_up(url, pcs)
    start = time.time() + 5.0 + pcs * 0.4  # every PC logged in before the day starts
    folder = Path(tempfile.mkdtemp(prefix="dtbd-load-"))
    children = []
    for pc in range(pcs):
        env = dict(os.environ, DTBD_DATA_DIR=str(folder / f"pc{pc}"), PYTHONPATH=str(ROOT))
        children.append(subprocess.Popen(
            [sys.executable, __file__, "--pc", str(pc), "--db", url, "--start", str(start), "--seconds", str(seconds),
             "--seed", str(seed)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = []
    for child in children:
        out, err = child.communicate(timeout=seconds + 900)
        if child.returncode != 0:
            raise SystemExit(f"a PC failed:\n{err[-3000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    summary = check(url, results)
    per_action = {}
    for action in ACTIONS:
        values = [t for r in results for t in r["times"][action]]
        p50, p95 = _percentile(values, 0.5), _percentile(values, 0.95)
        per_action[action] = {"count": len(values), "p50_ms": None if p50 is None else round(p50 * 1000, 1),
                              "p95_ms": None if p95 is None else round(p95 * 1000, 1)}
    summary.update({"pcs": pcs, "seconds": seconds, "actions": per_action,
                    "conflicts": sum(r["conflicts"] for r in results)})
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL of an empty database")
    parser.add_argument("--pcs", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pc", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pc is not None:
        print(json.dumps(pc_day(args.db, args.pc, args.start, args.seconds, args.seed)))
        return 0
    summary = run(args.db, args.pcs, args.seconds, args.seed)
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"{summary['pcs']} PCs × {summary['seconds']:.0f} s at a person's pace:")
        for action, row in summary["actions"].items():
            print(f"  {action:7} {row['count']:6} × p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms")
        print(f"  conflicts reported: {summary['conflicts']}; lost updates: {summary['lost_updates']}; audit "
              f"{'intact' if summary['audit_intact'] else 'BROKEN'} ({summary['audit_entries']} entries)")
    ok = summary["lost_updates"] == 0 and summary["audit_intact"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
