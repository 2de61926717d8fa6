"""The attendance grid on the largest class of the ten-year dataset (70 learners x 240 sessions, every
mark taken): opening it, and one key press saved.

* attendance_grid_open: `load_grid_model` (the one core call and the Qt model over it), against
  selecting the same learners, sessions and marks with sqlite3 directly.
* attendance_mark: one key press in the grid until the mark is committed (`mark`: the cell shown
  at once, the summary recomputed, `set_marks` in one transaction), against one
  INSERT ... ON CONFLICT and a commit with sqlite3 under the same pragmas.

The grid is opened "as of" the class's last session day, so the marked session is neither locked
nor in the future (the dataset's classes are all in the past).

    python benchmarks/run.py --only attendance_grid_open attendance_mark --repeat 3
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from run import Case  # noqa: E402


def _largest_class(path: Path) -> tuple[int, str, dt.date]:
    con = sqlite3.connect(path)
    try:
        class_id, code = con.execute(
            "SELECT c.id, c.code FROM classes c ORDER BY "
            "(SELECT COUNT(*) FROM enrolments e WHERE e.class_id = c.id) * "
            "(SELECT COUNT(*) FROM sessions s WHERE s.class_id = c.id) DESC, c.id LIMIT 1").fetchone()
        (last,) = con.execute("SELECT MAX(date) FROM sessions WHERE class_id = ? AND periods > 0",
                              (class_id,)).fetchone()
    finally:
        con.close()
    return class_id, code, dt.date.fromisoformat(str(last)[:10])


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=30)
    con.execute("PRAGMA busy_timeout = 30000")
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    return con


# --- opening the grid -------------------------------------------------------------------------------
def open_setup(db: Path, work: Path) -> dict[str, Any]:
    from dtbd_desktop.services.startup import open_centre as open_database

    class_id, code, last = _largest_class(db)
    return {"db": open_database(f"sqlite:///{db}"), "path": db, "class_id": class_id, "code": code, "today": last}


def open_run(state: dict[str, Any]) -> Any:
    from dtbd_desktop.gui.models.attendance_model import load_grid_model

    model = load_grid_model(state["db"], state["code"], today=state["today"])
    assert model.rowCount() > 0 and model.columnCount() > 2, (model.rowCount(), model.columnCount())
    return model


def open_floor(state: dict[str, Any]) -> Any:
    con = state.setdefault("floor_con", _connect(state["path"]))
    cid = state["class_id"]
    learners = con.execute(
        "SELECT e.id, l.id, l.national_id, l.family_name, l.middle_name, l.given_name, e.organisation_id, e.status "
        "FROM enrolments e JOIN learners l ON l.id = e.learner_id WHERE e.class_id = ? ORDER BY l.sort_key, l.id",
        (cid,)).fetchall()
    sessions = con.execute("SELECT id, date, half, module_id, periods, kind, lecturer_id FROM sessions "
                           "WHERE class_id = ? ORDER BY date, half", (cid,)).fetchall()
    marks = {(e, s): st for e, s, st in con.execute(
        "SELECT a.enrolment_id, a.session_id, a.status FROM attendance a JOIN sessions s ON s.id = a.session_id "
        "WHERE s.class_id = ?", (cid,))}
    return learners, sessions, marks


# --- one key press ----------------------------------------------------------------------------------
def mark_setup(db: Path, work: Path) -> dict[str, Any]:
    from dtbd_desktop.gui.models.attendance_model import FIXED_COLUMNS, load_grid_model

    state = open_setup(db, work)
    model = load_grid_model(state["db"], state["code"], today=state["today"])
    column = max(i for i, s in enumerate(model.grid.sessions) if s.date <= state["today"] and s.periods > 0)
    state.update(model=model, column=column + FIXED_COLUMNS, session_id=model.session_ids[column], n=0)
    return state


def mark_run(state: dict[str, Any]) -> Any:
    from dtbd_desktop.gui.models.attendance_model import mark

    model = state["model"]
    row = state["n"] % model.rowCount()
    state["n"] += 1
    status = "late" if model.status_at(row, state["column"]) != "late" else "present"
    mark(model, row, state["column"], status)
    assert model.status_at(row, state["column"]) == status


def mark_floor(state: dict[str, Any]) -> Any:
    con = state.setdefault("floor_con", _connect(state["path"]))
    state["m"] = state.get("m", 0) + 1
    model = state["model"]
    enrolment_id = model.enrolment_ids[state["m"] % model.rowCount()]
    con.execute("INSERT INTO attendance (session_id, enrolment_id, status, updated_at, updated_by) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, enrolment_id) DO UPDATE SET "
                "status = excluded.status, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                (state["session_id"], enrolment_id, "late" if state["m"] % 2 else "present",
                 dt.datetime.now().replace(microsecond=0).isoformat(" "), "bench"))
    con.commit()


CASES = {
    "attendance_grid_open": Case("attendance_grid_open", open_setup, open_run, open_floor),
    "attendance_mark": Case("attendance_mark", mark_setup, mark_run, mark_floor),
}
