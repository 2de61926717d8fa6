"""A deterministic ten-year dataset of a provincial political school, for the benchmarks.

About 500 classes (50 a year), 35,000 enrolments of 25,000 people (some in several classes),
4.5 million attendance marks, every score, about 30,000 certificates with their register.
Generated once into `benchmarks/.cache/` and reused; `--scale` makes a smaller one (the test
suite runs the generator at a tiny scale).

    python benchmarks/generate.py [--scale 1.0] [--out PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dtbd_desktop.base import text  # noqa: E402
from dtbd_desktop.rules import timetable  # noqa: E402
from dtbd_desktop.services.learners import person_keys  # noqa: E402
from dtbd_desktop.services.startup import open_centre as open_database  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
SEED = 20_160_101
FIRST_YEAR = 2016
YEARS = 10
# Classes a year per programme and learners a class: 50 classes, ~3,500 enrolments a year.
MIX = [("TC", 20, 70), ("CC", 6, 60), ("SC", 8, 70), ("DVM", 6, 70), ("NTVD", 6, 75), ("DT4", 2, 60),
       ("NVCTD", 2, 60)]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô",
          "Hồ", "Dương", "Đinh", "Lâm", "Lý", "Mai", "Trịnh"]
MIDDLE_M = ["Văn", "Hữu", "Minh", "Thanh", "Quốc", "Đức", "Công", "Ngọc", "Hoàng", "Xuân", "Thành", "Văn Minh"]
MIDDLE_F = ["Thị", "Ngọc", "Thị Thanh", "Kim", "Thu", "Thị Kim", "Mỹ", "Thị Ngọc", "Hồng", "Bích", "Thúy"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh",
           "Khoa", "Lâm", "Lộc", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Tâm",
           "Thắng", "Thành", "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Việt", "Vinh", "Vũ"]
GIVEN_F = ["Anh", "Ánh", "Bích", "Châu", "Diễm", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
           "Hồng", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương",
           "Quyên", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Trinh", "Uyên", "Vân", "Yến"]


def default_path(scale: float) -> Path:
    return CACHE / ("ten_years.sqlite3" if scale == 1.0 else f"ten_years_{scale:g}.sqlite3")


def generate(path: Path, scale: float = 1.0, progress: bool = True) -> dict[str, int]:
    """Build the dataset at `path` (replacing it). Returns row counts."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA foreign_keys = OFF")
    cur = con.cursor()

    programmes = {code: pid for pid, code in cur.execute("SELECT id, code FROM programmes")}
    rule_sets = {pid: rid for rid, pid in cur.execute("SELECT id, programme_id FROM rule_sets")}
    kinds = {pid: kind for pid, kind in cur.execute("SELECT id, kind FROM programmes")}
    modules: dict[int, list[tuple[int, int, str]]] = {}
    for mid, pid, periods, kind in cur.execute(
            "SELECT id, programme_id, periods, kind FROM modules ORDER BY programme_id, position"):
        modules.setdefault(pid, []).append((mid, periods, kind))

    # Organisations: the province, 15 districts with 10 communes each, 20 provincial agencies.
    cur.execute("INSERT INTO organisations (name, level, block, search_key, active) VALUES (?,?,?,?,1)",
                ("Tỉnh Long An", "province", "government", "tinh long an"))
    province = cur.lastrowid
    orgs: list[int] = []
    for d in range(15):
        name = f"Huyện số {d + 1}"
        cur.execute("INSERT INTO organisations (parent_id, name, level, block, search_key, active) "
                    "VALUES (?,?,?,?,?,1)", (province, name, "district", "government", text.fold(name)))
        district = cur.lastrowid
        for c in range(10):
            cname = f"Xã {c + 1} huyện {d + 1}"
            cur.execute("INSERT INTO organisations (parent_id, name, level, block, search_key, active) "
                        "VALUES (?,?,?,?,?,1)", (district, cname, "commune", "government", text.fold(cname)))
            orgs.append(int(cur.lastrowid or 0))
    for a in range(20):
        aname = f"Sở, ban, ngành số {a + 1}"
        cur.execute("INSERT INTO organisations (parent_id, name, level, block, search_key, active) "
                    "VALUES (?,?,?,?,?,1)", (province, aname, "agency", "government", text.fold(aname)))
        orgs.append(int(cur.lastrowid or 0))

    lecturers = []
    for i in range(40):
        family, middle, given = rng.choice(FAMILY), rng.choice(MIDDLE_M), rng.choice(GIVEN_M)
        sort_key, search_key = person_keys(family, middle, given)
        kind = "full_time" if i < 25 else "part_time" if i < 34 else "guest"
        cur.execute("INSERT INTO lecturers (family_name, middle_name, given_name, kind, sort_key, search_key, active) "
                    "VALUES (?,?,?,?,?,?,1)", (family, middle, given, kind, sort_key, search_key))
        lecturers.append(int(cur.lastrowid or 0))

    people: list[int] = []
    used_ids: set[str] = set()

    def new_person() -> int:
        gender = "M" if rng.random() < 0.55 else "F"
        family = rng.choice(FAMILY)
        middle = rng.choice(MIDDLE_M if gender == "M" else MIDDLE_F)
        given = rng.choice(GIVEN_M if gender == "M" else GIVEN_F)
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 35))
        while True:
            nid = f"080{(0 if birth.year < 2000 else 2) + (gender == 'F'):d}{birth.year % 100:02d}" \
                  f"{rng.randrange(10 ** 6):06d}"
            if nid not in used_ids:
                used_ids.add(nid)
                break
        sort_key, search_key = person_keys(family, middle, given)
        cur.execute(
            "INSERT INTO learners (family_name, middle_name, given_name, birth_date, birth_year, gender, ethnicity, "
            "national_id, party_member, position, organisation_id, sort_key, search_key, version, created_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1,CURRENT_TIMESTAMP,CURRENT_TIMESTAMP)",
            (family, middle, given, birth.isoformat(), birth.year, gender, "Kinh" if rng.random() < 0.93 else "Khmer",
             nid, 1 if rng.random() < 0.85 else 0, "Chuyên viên", rng.choice(orgs), sort_key, search_key))
        pid = int(cur.lastrowid or 0)
        people.append(pid)
        return pid

    counts = {"classes": 0, "enrolments": 0, "attendance": 0, "scores": 0, "certificates": 0}
    target_people = int(25_000 * scale)
    target_enrolments = int(35_000 * scale)
    repeat_share = max(0.0, 1 - target_people / max(target_enrolments, 1))
    statuses = ["present"] * 92 + ["late"] * 3 + ["excused"] * 3 + ["unexcused"] * 2
    registers: dict[tuple[str, int], tuple[int, int]] = {}
    class_no = 0
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        for code, per_year, size in MIX:
            n_classes = max(1, round(per_year * scale)) if scale < 1 else per_year
            size = max(5, round(size * min(1.0, scale * 4))) if scale < 1 else size
            pid = programmes[code]
            specs = [timetable.ModuleSpec(m, p, k) for m, p, k in modules[pid]]
            for k in range(n_classes):
                class_no += 1
                start = dt.date(year, 1 + (k * 11) % 10, 1 + (k * 7) % 20)
                long_course = code in ("TC", "CC")
                weekdays = (1, 2, 3, 4, 5)
                end_guess = start + dt.timedelta(days=400 if long_course else 60)
                planned = timetable.lay_out(specs, start, end_guess, weekdays=weekdays,
                                            halves=("morning", "afternoon"))
                if long_course:  # spread to about 240 half-days for TC, 200 for CC
                    want = 240 if code == "TC" else 200
                    while len(planned) < want:
                        planned = planned + planned[: want - len(planned)]
                    planned = [timetable.PlannedSession(
                        start + dt.timedelta(days=(i // 2) * 7 // 5), ("morning", "afternoon")[i % 2], p.module_id,
                        p.periods, p.kind) for i, p in enumerate(planned[:want])]
                end = max(p.date for p in planned)
                ccode = f"{code}{year % 100:02d}.{k + 1:02d}"
                cur.execute(
                    "INSERT INTO classes (code, name, programme_id, rule_set_id, mode, venue, start_date, end_date, "
                    "year, status, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,"
                    "CURRENT_TIMESTAMP,CURRENT_TIMESTAMP)",
                    (ccode, f"Lớp {code} {ccode}", pid, rule_sets[pid], "full-time", "Trường Chính trị tỉnh",
                     start.isoformat(), end.isoformat(), year, "closed" if year < FIRST_YEAR + YEARS - 1 else "finished"))
                class_id = int(cur.lastrowid or 0)
                counts["classes"] += 1
                session_rows = [(class_id, p.date.isoformat(), p.half, p.module_id, rng.choice(lecturers), p.periods,
                                 p.kind) for p in planned]
                cur.executemany("INSERT INTO sessions (class_id, date, half, module_id, lecturer_id, periods, kind) "
                                "VALUES (?,?,?,?,?,?,?)", session_rows)
                session_ids = [r[0] for r in cur.execute(
                    "SELECT id FROM sessions WHERE class_id = ? ORDER BY date, half", (class_id,))]
                members: set[int] = set()
                while len(members) < size:
                    if people and rng.random() < repeat_share:
                        members.add(rng.choice(people))
                    else:
                        members.add(new_person())
                enrolment_ids = []
                for person in sorted(members):
                    cur.execute("INSERT INTO enrolments (class_id, learner_id, status, confirmation, discipline, "
                                "version, created_at, updated_at) VALUES (?,?,?,?,?,1,CURRENT_TIMESTAMP,"
                                "CURRENT_TIMESTAMP)", (class_id, person, "completed", "received", "none"))
                    enrolment_ids.append(int(cur.lastrowid or 0))
                counts["enrolments"] += len(enrolment_ids)
                marks = [(sid, eid, rng.choice(statuses)) for eid in enrolment_ids for sid in session_ids]
                cur.executemany("INSERT INTO attendance (session_id, enrolment_id, status, updated_at) "
                                "VALUES (?,?,?,CURRENT_TIMESTAMP)", marks)
                counts["attendance"] += len(marks)
                scores = [(eid, mid, 1, "", round(min(10.0, max(3.0, rng.gauss(7.5, 1.0))), 1))
                          for eid in enrolment_ids for mid, _p, _k in modules[pid]]
                cur.executemany("INSERT INTO scores (enrolment_id, module_id, attempt, component, value, version, "
                                "entered_at) VALUES (?,?,?,?,?,1,CURRENT_TIMESTAMP)", scores)
                counts["scores"] += len(scores)
                doc_kind = "diploma" if kinds[pid] == "training" else "certificate"
                issue = end + dt.timedelta(days=14)
                key = (doc_kind, issue.year)
                if key not in registers:
                    cur.execute("INSERT INTO registers (kind, year, name, serial_pattern, register_pattern, "
                                "last_number) VALUES (?,?,?,?,?,0)",
                                (doc_kind, issue.year, f"Sổ {doc_kind} {issue.year}", "{n:06d}", "{n:05d}/{year}"))
                    registers[key] = (int(cur.lastrowid or 0), 0)
                register_id, last = registers[key]
                certs = []
                for eid in enrolment_ids:
                    if rng.random() < 0.86:
                        last += 1
                        certs.append((register_id, eid, last, f"{last:06d}", f"{last:05d}/{issue.year}",
                                      issue.isoformat(), "issued", "Học viên", "1980", "M", "Kinh", "Khá",
                                      f"BENCH-{register_id}-{last}", 1))
                registers[key] = (register_id, last)
                cur.executemany(
                    "INSERT INTO certificates (register_id, enrolment_id, sequence, serial, register_number, "
                    "issue_date, status, full_name, birth_date_text, gender, ethnicity, classification, "
                    "verification_code, print_count, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                    "CURRENT_TIMESTAMP,CURRENT_TIMESTAMP)", certs)
                counts["certificates"] += len(certs)
        for code, per_year, size in MIX:
            cur.execute("INSERT INTO annual_plans (year, programme_id, target_classes, target_learners) "
                        "VALUES (?,?,?,?)", (year, programmes[code], per_year, per_year * size))
        if progress:
            print(f"  {year}: {counts['classes']} lớp, {counts['attendance']:,} lượt điểm danh "
                  f"({time.perf_counter() - started:.0f}s)", file=sys.stderr, flush=True)
    for register_id, last in registers.values():
        cur.execute("UPDATE registers SET last_number = ? WHERE id = ?", (last, register_id))
    con.commit()
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("ANALYZE")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    counts["people"] = len(people)
    return counts


def ensure(scale: float = 1.0, path: Path | None = None) -> Path:
    """The cached dataset, generated first if it is not there."""
    target = path or default_path(scale)
    if not target.exists():
        generate(target, scale)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    target = args.out or default_path(args.scale)
    started = time.perf_counter()
    counts = generate(target, args.scale)
    print(f"{target}: {counts} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
