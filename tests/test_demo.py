"""The demo centre: deterministic, realistic, every programme, consistent numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import (
    AttendanceMark,
    Certificate,
    ClassSession,
    Enrolment,
    Learner,
    Programme,
    Register,
    TrainingClass,
)
from dtbd_desktop.services import classes, signing_keys
from dtbd_desktop.services.demo import build_demo
from dtbd_desktop.services.startup import open_centre
from dtbd_desktop.trust.signing import signed_payload, verify
from tests.conftest import DEMO_TODAY


def test_every_programme_has_classes_in_both_years(demo_db: Database) -> None:
    with demo_db.read() as s:
        pairs = set(s.execute(select(Programme.code, TrainingClass.year).join(TrainingClass.programme)).all())
    for code in ("SC", "TC", "CC", "DVM", "NTVD", "DT4", "NVCTD"):
        assert {(code, 2025), (code, 2026)} <= pairs


def test_classes_are_finished_running_and_planned_as_of_today(demo_db: Database) -> None:
    with demo_db.read() as s:
        rows = classes.list_classes(s)
    by_status = {r.status for r in rows}
    assert by_status == {"finished", "running", "planned"}
    for r in rows:
        if r.status == "running":
            assert r.start <= DEMO_TODAY <= r.end
        elif r.status == "planned":
            assert r.start > DEMO_TODAY
        else:
            assert r.end < DEMO_TODAY


def test_some_learners_come_back_for_another_class(demo_db: Database) -> None:
    with demo_db.read() as s:
        repeaters = s.scalar(select(func.count()).select_from(
            select(Enrolment.learner_id).group_by(Enrolment.learner_id).having(func.count() > 1).subquery()))
    assert repeaters and repeaters > 10


def test_attendance_only_for_sessions_already_held(demo_db: Database) -> None:
    with demo_db.read() as s:
        latest = s.scalar(select(func.max(ClassSession.date)).join(
            AttendanceMark, AttendanceMark.session_id == ClassSession.id))
        marks = s.scalar(select(func.count(AttendanceMark.id)))
    assert latest is not None and latest <= DEMO_TODAY
    assert marks and marks > 10_000


def test_certificate_numbers_are_gap_free_and_signed(demo_db: Database) -> None:
    with demo_db.read() as s:
        public = signing_keys.trusted_keys(s)[0]
        for register in s.scalars(select(Register)):
            seqs = list(s.scalars(select(Certificate.sequence).where(Certificate.register_id == register.id)
                                  .order_by(Certificate.sequence)))
            assert seqs == list(range(1, len(seqs) + 1))
            assert register.last_number == len(seqs)
        certs = s.scalars(select(Certificate)).all()
        assert len(certs) > 100
        for cert in certs[:20]:
            assert cert.course == cert.enrolment.training_class.name
            payload = signed_payload(cert.serial, cert.full_name, cert.birth_date_text, cert.issue_date,
                                     cert.classification, cert.course)
            assert verify(public, payload, cert.verification_code)
            assert not verify(public, payload.replace(cert.full_name, cert.full_name + "x"),
                              cert.verification_code)


def test_the_same_day_gives_the_same_demo(tmp_path: Path, demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DTBD_DATA_DIR", str(tmp_path / "other"))
    again = open_centre(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    try:
        build_demo(again, today=DEMO_TODAY)

        def people(db: Database) -> list[tuple[str, str, dt.date | None, str | None]]:
            with db.read() as s:
                return [tuple(r) for r in s.execute(select(
                    Learner.family_name, Learner.given_name, Learner.birth_date, Learner.national_id)
                    .order_by(Learner.id))]

        assert people(again) == people(demo_db)
    finally:
        again.dispose()


def test_demo_refuses_a_database_with_real_data(sqlite_db: Database) -> None:
    with sqlite_db.write(raw=True) as s:
        classes.create_class(s, code="A1", programme="TC", start=dt.date(2025, 1, 6), end=dt.date(2025, 8, 1))
    with pytest.raises(InputError, match="dữ liệu thật"):
        build_demo(sqlite_db, today=DEMO_TODAY)
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count(Learner.id))) == 0
