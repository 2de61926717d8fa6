"""Two people at once: no "database is locked" on SQLite, no silent overwrite anywhere."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select, update

from dtbd_desktop.base.errors import ConflictError
from dtbd_desktop.db.engine import Database, open_database
from dtbd_desktop.db.models import Learner
from dtbd_desktop.services.learners import person_keys, update_learner


def _learner(db: Database) -> int:
    with db.write(raw=True) as s:
        sort_key, search_key = person_keys("Phạm", "Văn", "Đồng")
        person = Learner(family_name="Phạm", middle_name="Văn", given_name="Đồng", birth_year=1980, gender="M",
                         sort_key=sort_key, search_key=search_key, position="Chuyên viên")
        s.add(person)
        s.flush()
        return person.id


def test_two_editors_of_one_record_get_a_conflict_not_an_overwrite(db: Database) -> None:
    learner_id = _learner(db)
    with db.read() as s:  # both people open the record
        seen = s.get(Learner, learner_id).version  # type: ignore[union-attr]
    with db.write(raw=True) as s:  # the other person saves first
        update_learner(s, learner_id, expected_version=seen, position="Trưởng phòng")
    with pytest.raises(ConflictError, match="người khác sửa"), db.write(raw=True) as s:
        update_learner(s, learner_id, expected_version=seen, position="Phó Trưởng phòng")
    with db.read() as s:
        saved = s.get(Learner, learner_id)
        assert saved is not None and (saved.position, saved.version) == ("Trưởng phòng", 2)


def test_a_change_committed_between_read_and_write_is_detected_by_the_database(db: Database) -> None:
    learner_id = _learner(db)
    with pytest.raises(ConflictError), db.write(raw=True) as s:
        person = s.get(Learner, learner_id)
        assert person is not None
        # Another PC commits an update of the same row after we loaded it (its version moves on).
        s.execute(update(Learner).where(Learner.id == learner_id).values(version=Learner.version + 1)
                  .execution_options(synchronize_session=False))
        person.position = "Phó Trưởng phòng"
        s.flush()
    with db.read() as s:
        assert s.get(Learner, learner_id).position == "Chuyên viên"  # type: ignore[union-attr]


def test_identity_changes_are_audited(db: Database) -> None:
    from dtbd_desktop.trust.audit import search

    learner_id = _learner(db)
    with db.write(raw=True) as s:
        update_learner(s, learner_id, expected_version=1, given_name="Đông", reason="Sai chính tả trong danh sách")
    with db.read() as s:
        rows = search(s)
        person = s.get(Learner, learner_id)
        assert person is not None and person.search_key == "pham van dong"
    assert [(r.field, r.old_value, r.new_value, r.reason) for r in rows] == [
        ("given_name", "Đồng", "Đông", "Sai chính tả trong danh sách")]


WRITER = """
import sys
from dtbd_desktop.db.engine import open_database
from dtbd_desktop.db.models import Learner
db = open_database(sys.argv[1])
tag = sys.argv[2]
for i in range(60):
    with db.write(raw=True) as s:
        s.add(Learner(family_name="Lê", middle_name=tag, given_name=str(i), birth_year=1990, gender="F",
                      sort_key=f"{tag}{i:03d}", search_key=f"le {tag} {i}"))
        # read-modify-write inside the unit of work, as the program does
        s.flush()
print("done")
"""


def test_two_programs_writing_to_one_sqlite_file_both_succeed(sqlite_url: str) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, sqlite_url, tag], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for tag in ("A", "B", "C")]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
        assert out.strip() == "done"
    db = open_database(sqlite_url)
    try:
        with db.read() as s:
            assert s.scalar(select(func.count(Learner.id))) == 180
    finally:
        db.dispose()


def test_two_pcs_writing_scores_and_marks_at_once_lose_nothing_and_keep_the_audit_intact(db_url: str) -> None:
    """Two processes, each logged in with its own account, write scores and marks through the core's
    operations as fast as they can (benchmarks/concurrent_writers.py; it runs 8 and 16 of them)."""
    import json
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "concurrent_writers.py"
    done = subprocess.run([sys.executable, str(script), "--db", db_url, "--procs", "2", "--seconds", "6", "--json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["lost_updates"] == 0 and summary["audit_intact"], summary
    assert summary["rounds"] > 20 and summary["audit_entries"] > 40  # both really wrote, each score audited
