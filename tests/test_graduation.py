"""The graduation review of a hand-built class, its answers worked out by hand; storing and
replacing results, the decision, conduct; and a sanity check on the demo centre.

The class (tests.test_scores.build_class): modules A 60, B 40, C 20 periods; exams TN1, TN2;
thesis KL (replaces the exams when written). Default training rules: pass 5.0, bands 9/8/7/5,
latest attempt, one band lost for a retake or a reprimand, confirmation required.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import (
    AttendanceMark,
    AuditEntry,
    ClassSession,
    Enrolment,
    GraduationResult,
    Learner,
    Module,
    TrainingClass,
)
from dtbd_desktop.services import graduation, scores
from tests.test_scores import NID, build_class, put

D = Decimal


def fill_class(s: Session) -> None:
    build_class(s)
    # An: (8.0*60 + 9.0*40 + 9.5*20)/120 = 1030/120 = 8.583 -> 8.58 Giỏi
    for module, value in (("A", "8.0"), ("B", "9.0"), ("C", "9.5"), ("TN1", "7.0"), ("TN2", "7.5")):
        put(s, "T01", "An", module, value)
    # Bình: A 4.0 retaken 8.0, then as An with a thesis instead of the exams: 8.58, Giỏi -> Khá for the retake
    put(s, "T01", "Bình", "A", "4.0", "8.0")
    for module, value in (("B", "9.0"), ("C", "9.5"), ("KL", "8.0")):
        put(s, "T01", "Bình", module, value)
    # Cường: (9.0*60 + 9.0*40 + 8.7*20)/120 = 1074/120 = 8.95: Giỏi, not Xuất sắc
    for module, value in (("A", "9.0"), ("B", "9.0"), ("C", "8.7"), ("TN1", "8.0"), ("TN2", "8.0")):
        put(s, "T01", "Cường", module, value)
    # Dung: 7.0 everywhere but no confirmation from her organisation
    for module in ("A", "B", "C", "TN1", "TN2"):
        put(s, "T01", "Dung", module, "7.0")
    # Em: B 4.5 never retaken; (6*60 + 4.5*40 + 7*20)/120 = 680/120 = 5.67
    for module, value in (("A", "6.0"), ("B", "4.5"), ("C", "7.0"), ("TN1", "6.0"), ("TN2", "6.0")):
        put(s, "T01", "Em", module, value)
    # Giang: no scores at all
    # Hải: 9.0 everywhere = 9.00 Xuất sắc, reprimanded -> Giỏi
    for module in ("A", "B", "C", "TN1", "TN2"):
        put(s, "T01", "Hải", module, "9.0")
    # Khánh: 8.0 everywhere, but absent 15 of module A's 60 periods (25% > 20%) and not made up
    for module in ("A", "B", "C", "TN1", "TN2"):
        put(s, "T01", "Khánh", module, "8.0")
    graduation.set_conduct(s, "T01", NID["Dung"], confirmation="missing")
    graduation.set_conduct(s, "T01", NID["Hải"], discipline="reprimand",
                           reason="Quyết định kỷ luật số 5")
    cls = s.scalar(select(TrainingClass).where(TrainingClass.code == "T01"))
    module_a = s.scalar(select(Module).where(Module.code == "A", Module.programme_id == cls.programme_id))
    khanh = s.scalar(select(Enrolment).join(Learner).where(Learner.national_id == NID["Khánh"],
                                                           Enrolment.class_id == cls.id))
    assert cls and module_a and khanh
    for day in (3, 4, 5):
        session = ClassSession(class_id=cls.id, date=dt.date(2025, 3, day), half="morning", module_id=module_a.id,
                               periods=5)
        s.add(session)
        s.flush()
        s.add(AttendanceMark(session_id=session.id, enrolment_id=khanh.id, status="unexcused"))
    s.flush()


EXPECTED = {
    # name: (eligible, average, classification, rank, a reason expected)
    "Nguyễn Văn An": (True, D("8.58"), "Giỏi", 3, None),
    "Trần Thị Bình": (True, D("8.58"), "Khá", 3, None),
    "Lê Văn Cường": (True, D("8.95"), "Giỏi", 2, None),
    "Phạm Thị Dung": (False, D("7.00"), None, None, "Chưa có nhận xét của cơ quan cử đi học"),
    "Hoàng Văn Em": (False, D("5.67"), None, None, "Học phần B: chưa đạt (4,5 điểm, cần từ 5,0), chưa thi lại"),
    "Đỗ Thị Giang": (False, None, None, None, "Chưa có điểm học phần nào"),
    "Vũ Văn Hải": (True, D("9.00"), "Giỏi", 1, None),
    "Ngô Thị Khánh": (False, D("8.00"), None, None,
                      "Học phần A: nghỉ quá 20% số tiết, chưa học bù đủ nên chưa được dự thi"),
}


def test_review_of_a_hand_built_class(db: Database) -> None:
    with db.write(raw=True) as s:
        fill_class(s)
    with db.write(raw=True) as s:
        rows = graduation.review(s, "T01")
    got = {r.full_name: (r.eligible, r.average, r.classification, r.rank) for r in rows}
    assert got == {name: value[:4] for name, value in EXPECTED.items()}
    for row in rows:
        reason = EXPECTED[row.full_name][4]
        if reason is None:
            assert row.reasons == []
        else:
            assert reason in row.reasons, row.reasons
    hai = next(r for r in rows if r.full_name == "Vũ Văn Hải")
    assert hai.outcome.band == "Xuất sắc"
    assert hai.outcome.downgrades == ("Hạ một mức vì bị kỷ luật khiển trách trong khóa học",)
    assert [r.full_name for r in rows][:2] == ["Nguyễn Văn An", "Trần Thị Bình"]  # roster order: An, Bình...
    assert rows[0].as_json() == {"national_id": NID["An"], "full_name": "Nguyễn Văn An", "average": 8.58,
                                 "classification": "Giỏi", "eligible": True, "reasons": []}
    with db.read() as s:
        stored = {r.learner.full_name: (r.eligible, r.average, r.classification, r.rank)
                  for r in graduation.stored_results(s, "T01")}
    assert stored == {name: value[:4] for name, value in EXPECTED.items()}


def test_a_correction_with_permission_changes_the_review(db: Database) -> None:
    with db.write(raw=True) as s:
        fill_class(s)
        graduation.review(s, "T01")
        scores.finalise_module(s, "T01", "B")
    with db.write(raw=True) as s, pytest.raises(InputError, match="đã được chốt"):
        scores.set_score(s, "T01", NID["Em"], "B", "5,5")
    with db.write(raw=True) as s:
        scores.set_score(s, "T01", NID["Em"], "B", "5,5", allow_locked=True, reason="Phúc khảo")
        rows = graduation.review(s, "T01")
    em = next(r for r in rows if r.full_name == "Hoàng Văn Em")
    # (6*60 + 5.5*40 + 7*20)/120 = 720/120 = 6.00, Trung bình
    assert (em.eligible, em.average, em.classification, em.rank) == (True, D("6.00"), "Trung bình", 5)
    with db.read() as s:
        changes = s.scalars(select(AuditEntry).where(AuditEntry.entity == "graduation_result")
                            .order_by(AuditEntry.id.desc())).first()
        assert changes is not None
        assert (changes.old_value, changes.new_value, changes.username) == (
            "Không đủ điều kiện", "Trung bình (6,00)", "quantri")


def test_decision_number_is_kept_for_learners_still_eligible(db: Database) -> None:
    with db.write(raw=True) as s:
        fill_class(s)
        with pytest.raises(InputError, match="hãy xét tốt nghiệp trước"):
            graduation.set_decision(s, "T01", number="12/QĐ-TCT", date=dt.date(2025, 7, 10))
        graduation.review(s, "T01")
        assert graduation.set_decision(s, "T01", number="12/QĐ-TCT", date=dt.date(2025, 7, 10)) == 4
    with db.write(raw=True) as s:
        graduation.set_conduct(s, "T01", NID["An"], confirmation="unfavourable")
        graduation.review(s, "T01")
    with db.read() as s:
        stored = {r.learner.full_name: r for r in graduation.stored_results(s, "T01")}
        assert stored["Trần Thị Bình"].decision_number == "12/QĐ-TCT"
        assert stored["Trần Thị Bình"].decision_date == dt.date(2025, 7, 10)
        assert stored["Nguyễn Văn An"].decision_number is None and not stored["Nguyễn Văn An"].eligible
        assert len(s.scalars(select(GraduationResult)).all()) == 8


def test_a_withdrawn_learner_is_listed_a_transferred_one_is_not(db: Database) -> None:
    with db.write(raw=True) as s:
        fill_class(s)
        cls = s.scalar(select(TrainingClass).where(TrainingClass.code == "T01"))
        assert cls is not None
        for given, status in (("An", "withdrawn"), ("Bình", "transferred")):
            e = s.scalar(select(Enrolment).join(Learner).where(Learner.national_id == NID[given]))
            assert e is not None
            e.status, e.status_reason = status, "chuyển công tác"
        rows = graduation.review(s, "T01")
    names = [r.full_name for r in rows]
    assert "Trần Thị Bình" not in names
    an = next(r for r in rows if r.full_name == "Nguyễn Văn An")
    assert (an.eligible, an.reasons) == (False, ["Đã thôi học: chuyển công tác"])


def test_conduct_is_checked_and_audited(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        changes = graduation.set_conduct(s, "T01", NID["An"], confirmation="unfavourable", discipline="warning",
                                         conduct="Khá", reason="Công văn số 45")
        assert changes == [("confirmation", "received", "unfavourable"), ("discipline", "none", "warning"),
                           ("conduct", None, "Khá")]
        assert graduation.set_conduct(s, "T01", NID["An"], discipline="warning") == []
    with db.write(raw=True) as s, pytest.raises(InputError) as caught:
        graduation.set_conduct(s, "T01", NID["An"], confirmation="ok", discipline="bad")
    assert {p.field for p in caught.value.problems} == {"confirmation", "discipline"}
    with db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "enrolment")).all()
        assert [(e.field, e.old_value, e.new_value, e.reason) for e in entries] == [
            ("confirmation", "received", "unfavourable", "Công văn số 45"), ("discipline", "none", "warning",
                                                                              "Công văn số 45"),
            ("conduct", None, "Khá", "Công văn số 45")]
        history = scores.learner_transcript(s, "T01", NID["An"]).history
        assert [(h.what, h.old, h.new) for h in history][:2] == [
            ("Nhận xét của cơ quan cử đi học", "đã có, đạt yêu cầu", "không đạt yêu cầu"),
            ("Kỷ luật", "không", "cảnh cáo")]


def test_short_course_completion_with_a_graded_essay(db: Database) -> None:
    learners = [("Nguyễn", "Văn", "An", "080190000001", "M"), ("Trần", "Thị", "Bình", "080190000002", "F"),
                ("Lê", "Văn", "Cường", "080190000003", "M")]
    with db.write(raw=True) as s:
        build_class(s, code="BD01", kind="fostering", learners=learners)
        put(s, "BD01", "An", "B3", "7.5")
        put(s, "BD01", "Bình", "B3", "4.0")
        rows = graduation.review(s, "BD01")
    got = {r.full_name: (r.eligible, r.classification, r.outcome.essay_band, r.reasons) for r in rows}
    assert got == {
        "Nguyễn Văn An": (True, "Đạt", "Khá", []),
        "Trần Thị Bình": (False, "Không đạt", None, ["Bài thu hoạch: chưa đạt (4,0 điểm, cần từ 5,0), chưa thi lại"]),
        "Lê Văn Cường": (False, "Không đạt", None, ["Bài thu hoạch: chưa có điểm"]),
    }


def test_demo_finished_classes_review_sensibly(demo_db: Database) -> None:
    with demo_db.read() as s:
        finished = s.scalars(select(TrainingClass).where(TrainingClass.status == "finished")
                             .order_by(TrainingClass.start_date)).all()
        tc = next(c for c in finished if c.programme.code == "TC")
        rows = graduation.review(s, tc.code, save=False)
        assert len(rows) > 40
        eligible = [r for r in rows if r.eligible]
        assert len(eligible) > len(rows) / 2
        for row in rows:
            if row.eligible:
                assert row.average is not None and D("5") <= row.average <= D("10")
                assert row.classification in ("Xuất sắc", "Giỏi", "Khá", "Trung bình")
                assert row.rank is not None
            else:
                assert row.reasons and row.classification is None and row.rank is None
        assert sorted(r.rank for r in eligible if r.rank)[0] == 1
        best = max(eligible, key=lambda r: r.average or 0)
        assert best.rank == 1
        short = next(c for c in finished if c.programme.code == "NTVD")
        short_rows = graduation.review(s, short.code, save=False)
        assert {r.classification for r in short_rows} <= {"Đạt", "Không đạt"}
        assert sum(r.eligible for r in short_rows) >= len(short_rows) - 3
