"""The audit log is chained: altering, removing or inserting an entry is detected."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from dtbd_desktop.audit import record, verify_chain
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry


def _three(db: Database) -> list[int]:
    with db.write() as s:
        ids = [
            record(s, action="score.change", entity="score", entity_id=1, field="value", old="6.5", new="7.0",
                   reason="Chấm phúc khảo", actor="giaovu").id,
            record(s, action="attendance.change", entity="attendance", entity_id=2, old="present", new="excused",
                   reason="Có giấy phép", actor="giaovu").id,
            record(s, action="user.create", entity="user", entity_id="lan", new={"role": "office"}, actor="admin").id,
        ]
    return ids


def test_an_untouched_log_verifies(db: Database) -> None:
    _three(db)
    with db.read() as s:
        assert verify_chain(s) == []
        entries = [(e.username, e.old_value, e.new_value)
                   for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert entries == [
        ("giaovu", "6.5", "7.0"), ("giaovu", "present", "excused"), ("admin", None, '{"role": "office"}')]


def test_an_altered_entry_is_reported(db: Database) -> None:
    ids = _three(db)
    with db.write() as s:
        s.execute(update(AuditEntry).where(AuditEntry.id == ids[0]).values(new_value="9.0"))
    with db.read() as s:
        assert [b.entry_id for b in verify_chain(s)] == [ids[0]]


def test_a_removed_entry_is_reported(db: Database) -> None:
    ids = _three(db)
    with db.write() as s:
        s.execute(delete(AuditEntry).where(AuditEntry.id == ids[1]))
    with db.read() as s:
        assert [b.entry_id for b in verify_chain(s)] == [ids[2]]


def test_search_by_text_and_user(db: Database) -> None:
    from dtbd_desktop.audit import search

    _three(db)
    with db.read() as s:
        assert [r.action for r in search(s, text="phúc khảo")] == ["score.change"]
        assert [r.action for r in search(s, username="admin")] == ["user.create"]
        assert [r.action for r in search(s)] == ["user.create", "attendance.change", "score.change"]
