"""How long importing a 5,000-row learner list takes (issue 3: "a few seconds at most").

    .venv/bin/python benchmarks/bench_roster_import.py [--rows 5000] [--db URL]

Builds a district-style workbook (title rows, two-row merged header, split name columns,
the "Ngày tháng năm sinh: Nam | Nữ" columns, numeric IDs, a signature block), then times
reading it, a dry run and the real import into a fresh class, and prints the seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dtbd_desktop.services import classes  # noqa: E402
from dtbd_desktop.services.startup import open_centre as open_database  # noqa: E402
from dtbd_desktop.workbooks.roster import apply_import, read_roster  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hoàng", "Ngọc", "Hữu", "Thị Thu", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Nhung", "Sơn", "Tâm", "Yến"]
UNITS = ["UBND xã Mỹ Yên", "Đảng ủy xã Lương Hòa", "Ban Tổ chức Huyện ủy Bến Lức", "Phòng Nội vụ huyện Bến Lức",
         "Xã Thạnh Đức", "Trường THCS Nhựt Chánh"]


def build(path: Path, rows: int) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["F1"] = "HUYỆN ỦY BẾN LỨC", "ĐẢNG CỘNG SẢN VIỆT NAM"
    ws.merge_cells("A3:J3")
    ws["A3"] = "DANH SÁCH HỌC VIÊN"
    for col, heading in zip("AFGHIJ", ["STT", "Dân tộc", "Số CCCD", "Chức vụ", "Đơn vị công tác", "Ghi chú"],
                            strict=True):
        ws[f"{col}5"] = heading
        ws.merge_cells(f"{col}5:{col}6")
    ws["B5"], ws["B6"], ws["C6"] = "Họ và tên", "Họ đệm", "Tên"
    ws.merge_cells("B5:C5")
    ws["D5"], ws["D6"], ws["E6"] = "Ngày tháng năm sinh", "Nam", "Nữ"
    ws.merge_cells("D5:E5")
    for i in range(rows):
        female = i % 3 == 0
        birth = dt.datetime(1970, 1, 1) + dt.timedelta(days=(i * 37) % 10000)
        nid = int(f"080{1 if female else 0}{birth.year % 100:02d}{i:06d}")
        ws.append([i + 1, f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 10]}", GIVEN[i % 12],
                   None if female else birth, birth if female else None, "Kinh", nid, "Chuyên viên",
                   UNITS[i % len(UNITS)], None])
    ws.append([])
    ws.append([None, None, None, None, None, "Bến Lức, ngày 10 tháng 3 năm 2026"])
    ws.append([None, None, None, None, None, "TRƯỞNG BAN"])
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "danh_sach.xlsx"
        build(path, args.rows)
        db = open_database(args.db or f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        code = f"BENCH{int(time.time())}"
        with db.write() as session:
            classes.create_class(session, code=code, programme="SC", start=dt.date(2026, 4, 6),
                                 end=dt.date(2026, 5, 8))
        t0 = time.perf_counter()
        table = read_roster(path)
        t1 = time.perf_counter()
        dry = apply_import(db, code, table, dry_run=True)
        t2 = time.perf_counter()
        result = apply_import(db, code, path)
        t3 = time.perf_counter()
        db.dispose()
        assert dry.imported == result.imported == args.rows, (dry.as_json()["rejected"][:3], result.imported)
        print(f"rows: {args.rows}  backend: {db.engine.dialect.name}")
        print(f"read_roster:            {t1 - t0:6.2f} s")
        print(f"dry run (plan):         {t2 - t1:6.2f} s")
        print(f"import, whole (read + check + write): {t3 - t2:6.2f} s")


if __name__ == "__main__":
    main()
