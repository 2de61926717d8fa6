"""Benchmarks on ten years of a provincial school, each against a floor measured in the same run.

The floor of a case is the least work any program must do for the same result with the same
libraries (CLI: issue 9). Each case and its floor are timed several times; the median counts.

    python benchmarks/run.py [--json] [--scale 1.0] [--repeat 5] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import generate  # noqa: E402

TARGETS = {  # the ratio each case must stay under (issues 9 and 17)
    "cli_help": 5, "startup": 4, "attendance_grid_open": 20, "attendance_mark": 50, "roster_import_5000": 3,
    "certificates_print_1000": 2, "annual_report": 10, "learner_search": 5,
}
PEAK_RSS_TARGET_MB = 250


@dataclass
class Case:
    name: str
    setup: Callable[[Path, Path], Any]  # (database copy, work folder) -> state
    run: Callable[[Any], Any]
    floor: Callable[[Any], Any]
    process: bool = False  # run and floor start a process and return its time themselves


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# --- startup --------------------------------------------------------------------------------------
BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QTableView()); w.show()
app.processEvents()
print("DTBD_READY", flush=True)
"""


def _time_process(args: list[str], env: dict[str, str], marker: str = "DTBD_READY") -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(marker):
            break
    elapsed = time.perf_counter() - started
    proc.wait(timeout=60)
    return elapsed


def startup_setup(db: Path, work: Path) -> dict[str, Any]:
    env = dict(os.environ, DTBD_EXIT_WHEN_READY="1", DTBD_DATA_DIR=str(work / "userdata"),
               QT_QPA_PLATFORM="offscreen")
    return {"db": db, "env": env}


def startup_run(state: dict[str, Any]) -> float:
    """Until the window and its frame are painted (title, menus, sidebar, "opening the database")."""
    return _time_process([sys.executable, "-m", "dtbd_desktop", "--db", f"sqlite:///{state['db']}"], state["env"],
                         "DTBD_PAINTED")


def startup_filled_run(state: dict[str, Any]) -> float:
    """Until the first screen (the dashboard) shows its data: reported, with no target of its own."""
    return _time_process([sys.executable, "-m", "dtbd_desktop", "--db", f"sqlite:///{state['db']}"], state["env"])


def startup_floor(state: dict[str, Any]) -> float:
    return _time_process([sys.executable, "-c", BARE_WINDOW], state["env"])


# --- the command line's help ----------------------------------------------------------------------
def cli_setup(db: Path, work: Path) -> dict[str, Any]:
    script = Path(sys.executable).parent / ("dtbd.exe" if os.name == "nt" else "dtbd")
    return {"cli": [str(script)] if script.exists() else [sys.executable, "-m", "dtbd_desktop.cli"],
            "env": dict(os.environ, DTBD_DATA_DIR=str(work / "userdata"))}


def _time_run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - started


def cli_run(state: dict[str, Any]) -> float:
    return _time_run([*state["cli"], "--help"], state["env"])


def cli_floor(state: dict[str, Any]) -> float:
    return _time_run([sys.executable, "-c", "import argparse"], state["env"])


# --- learner search -------------------------------------------------------------------------------
def search_setup(db: Path, work: Path) -> dict[str, Any]:
    from dtbd_desktop.services.startup import open_centre as open_database

    return {"db": open_database(f"sqlite:///{db}"), "path": db}


def search_run(state: dict[str, Any]) -> Any:
    from dtbd_desktop.services.learners import search_learners

    with state["db"].read() as session:
        rows = search_learners(session, "nguyen van an", limit=50)
    return rows


def search_floor(state: dict[str, Any]) -> Any:
    con = state.setdefault("floor_con", sqlite3.connect(state["path"]))
    return con.execute("SELECT id, family_name, middle_name, given_name, birth_date, national_id FROM learners "
                       "WHERE search_key LIKE ? ORDER BY sort_key LIMIT 50", ("%nguyen van an%",)).fetchall()


# --- roster import --------------------------------------------------------------------------------
def import_setup(db: Path, work: Path) -> dict[str, Any]:
    from bench_roster_import import build as build_workbook

    from dtbd_desktop.services.startup import open_centre as open_database

    path = work / "district_5000.xlsx"
    build_workbook(path, 5000)
    return {"db": open_database(f"sqlite:///{db}"), "workbook": path, "n": 0}


def import_run(state: dict[str, Any]) -> Any:
    import datetime as dt

    from dtbd_desktop.services import classes
    from dtbd_desktop.workbooks.roster import apply_import

    state["n"] += 1
    code = f"BENCH{state['n']}"
    with state["db"].write() as session:
        classes.create_class(session, code=code, programme="DVM", start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 9))
    # A few generated IDs may belong to people of the ten-year dataset with another name: skip those rows.
    result = apply_import(state["db"], code, state["workbook"], skip_invalid=True)
    assert result.imported > 4900, result.rejected[:3]
    return result


def import_floor(state: dict[str, Any]) -> Any:
    import openpyxl

    wb = openpyxl.load_workbook(state["workbook"], read_only=True)
    rows = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return rows


CASES = {
    "cli_help": Case("cli_help", cli_setup, cli_run, cli_floor, process=True),
    "startup": Case("startup", startup_setup, startup_run, startup_floor, process=True),
    "startup_filled": Case("startup_filled", startup_setup, startup_filled_run, startup_floor, process=True),
    "learner_search": Case("learner_search", search_setup, search_run, search_floor),
    "roster_import_5000": Case("roster_import_5000", import_setup, import_run, import_floor),
}


def register_optional_cases() -> None:
    """Cases whose code lives with the features (they add themselves when present)."""
    for name in ("bench_attendance", "bench_certificates", "bench_reports"):  # noqa: SIM118
        try:
            module = __import__(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        CASES.update(module.CASES)


def run_case(case: Case, dataset: Path, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"dtbd-bench-{case.name}-") as folder:
        work = Path(folder)
        db = work / "db.sqlite3"
        shutil.copyfile(dataset, db)
        state = case.setup(db, work)
        case.run(state)  # warm-up: caches, imports, fonts
        case.floor(state)
        if case.process:  # the process times are the measurements themselves
            seconds = statistics.median(case.run(state) for _ in range(repeat))
            floor = statistics.median(case.floor(state) for _ in range(repeat))
        else:
            seconds = median_time(lambda: case.run(state), repeat)
            floor = median_time(lambda: case.floor(state), repeat)
        if isinstance(state, dict) and "db" in state and hasattr(state["db"], "dispose"):
            state["db"].dispose()
    return {"name": case.name, "seconds": round(seconds, 4), "floor_seconds": round(floor, 4),
            "ratio": round(seconds / floor, 2) if floor > 0 else None, "target_ratio": TARGETS.get(case.name)}


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args(argv)
    register_optional_cases()
    dataset = generate.ensure(args.scale)
    results = []
    for name, case in CASES.items():
        if args.only and name not in args.only:
            continue
        results.append(run_case(case, dataset, args.repeat))
        if not args.json:
            r = results[-1]
            mark = "" if r["ratio"] is None or r["target_ratio"] is None else (
                "ok" if r["ratio"] <= r["target_ratio"] else "OVER")
            target = "(no target)" if r["target_ratio"] is None else f"(≤ {r['target_ratio']})"
            print(f"{r['name']:26} {r['seconds']:9.4f}s  floor {r['floor_seconds']:9.4f}s  ratio {r['ratio']:>7} "
                  f"{target} {mark}", flush=True)
    document = {"cases": results, "peak_rss_mb": peak_rss_mb()}
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(f"peak RSS: {document['peak_rss_mb']} MB (≤ {PEAK_RSS_TARGET_MB})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
