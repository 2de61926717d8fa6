"""Conduct, the sending organisation's confirmation and discipline for a whole class: a learner
without a national ID is entered like any other, a block is saved all or nothing with every
refused cell named, a value changed by someone else since it was read refuses the block; the
review's rows explain their classification; what a new review would change once a decision is
recorded; who finalised, by name.

The class is tests.test_scores.build_class (T01), eight learners, confirmations received.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from dtbd_desktop.base.errors import ConflictError, InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, Enrolment, Learner
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.rules.graduation import Outcome
from dtbd_desktop.rules.rule_sets import default_rules
from dtbd_desktop.services import conduct, graduation, scores
from dtbd_desktop.services.conduct import ConductEntry
from dtbd_desktop.trust import accounts
from tests.test_scores import NID, build_class, put

D = Decimal


def enrolments(session: object, code: str = "T01") -> dict[str, Enrolment]:
    """The class's enrolments by the learner's given name."""
    rows = session.execute(select(Enrolment, Learner.given_name).join(Learner)  # type: ignore[attr-defined]
                           .where(Enrolment.training_class.has(code=code)))
    return {given: e for e, given in rows}


@pytest.mark.parametrize(("typed", "key"), [
    ("đạt", "received"), ("Đạt", "received"), ("dat", "received"), ("x", "received"), ("có", "received"),
    ("đã có, đạt yêu cầu", "received"), ("received", "received"), (" Đạt. ", "received"),
    ("không đạt", "unfavourable"), ("KHONG DAT", "unfavourable"), ("không đạt yêu cầu", "unfavourable"),
    ("", "missing"), ("chưa có", "missing"), (None, "missing"),
    ("tốt", None), ("đạt loại giỏi", None), ("2", None),
])
def test_what_a_person_types_for_a_confirmation(typed: object, key: str | None) -> None:
    assert graduation_rules.parse_confirmation(typed) == key


@pytest.mark.parametrize(("typed", "key"), [
    ("", "none"), ("không", "none"), ("khiển trách", "reprimand"), ("Khien trach", "reprimand"),
    ("cảnh cáo", "warning"), ("buộc thôi học", "expulsion"), ("warning", "warning"), ("đình chỉ", None),
])
def test_what_a_person_types_for_a_discipline(typed: str, key: str | None) -> None:
    assert graduation_rules.parse_discipline(typed) == key


def test_a_learner_without_a_national_id_gets_a_confirmation(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        e = enrolments(s)
        s.get(Learner, e["Bình"].learner_id).national_id = None  # type: ignore[union-attr]
        e["Bình"].confirmation = "missing"
        bình = e["Bình"].id
    with db.write(raw=True) as s:
        changes = graduation.set_conduct(s, "T01", enrolment_id=bình, confirmation="received", reason="CV 12")
        assert changes == [("confirmation", "missing", "received")]
        changes2 = conduct.set_conducts(s, "T01", [ConductEntry("conduct", "Tốt", enrolment_id=bình)])
        assert [(c.field, c.old, c.new) for c in changes2] == [("conduct", None, "Tốt")]
    with db.read() as s:
        e = enrolments(s)
        assert (e["Bình"].confirmation, e["Bình"].conduct) == ("received", "Tốt")
        review = {r.enrolment_id: r for r in graduation.load_review(s, "T01").rows}
        assert "Chưa có nhận xét của cơ quan cử đi học" not in review[bình].reasons


def test_a_class_column_is_filled_in_one_unit_of_work_and_audited(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        for e in enrolments(s).values():
            e.confirmation = "missing"
    with db.read() as s:
        sheet = conduct.load_conduct_sheet(s, "T01")
    assert sheet.missing_confirmations == 8 and sheet.requires_confirmation
    entries = [ConductEntry("confirmation", "đạt", enrolment_id=line.enrolment_id, row=i + 1,
                            column="Nhận xét", check_expected=True, expected="missing")
               for i, line in enumerate(sheet.learners)]
    with db.write(raw=True) as s:
        changes = conduct.set_conducts(s, "T01", entries, reason="Công văn số 45 của Huyện ủy")
    assert [c.new for c in changes] == ["received"] * 8
    with db.read() as s:
        assert conduct.load_conduct_sheet(s, "T01").missing_confirmations == 0
        audited = s.scalars(select(AuditEntry).where(AuditEntry.action == "enrolment.conduct")).all()
        assert [(a.field, a.old_value, a.new_value, a.reason) for a in audited] == \
            [("confirmation", "missing", "received", "Công văn số 45 của Huyện ủy")] * 8


def test_one_bad_cell_refuses_the_whole_block_naming_each_cell(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        ids = {given: e.id for given, e in enrolments(s).items()}
    block = [ConductEntry("confirmation", "không đạt", enrolment_id=ids["An"], row=1, column="Nhận xét"),
             ConductEntry("discipline", "đình chỉ", enrolment_id=ids["An"], row=1, column="Kỷ luật"),
             ConductEntry("conduct", "Tốt" * 20, enrolment_id=ids["Bình"], row=2, column="Rèn luyện"),
             ConductEntry("conduct", "Khá", enrolment_id=ids["Cường"], row=3, column="Rèn luyện")]
    with db.write(raw=True) as s, pytest.raises(InputError) as caught:
        conduct.set_conducts(s, "T01", block)
    assert caught.value.message == "Chưa lưu: 2 ô có lỗi, không ô nào được lưu."
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "Kỷ luật"), (2, "Rèn luyện")]
    assert "'đình chỉ' không phải mức kỷ luật" in caught.value.problems[0].message
    assert "dài quá 40 ký tự" in caught.value.problems[1].message
    with db.read() as s:
        e = enrolments(s)
        assert (e["An"].confirmation, e["Cường"].conduct) == ("received", None)
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action == "enrolment.conduct")).all()


def test_a_value_changed_by_someone_else_is_not_overwritten(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        an = enrolments(s)["An"].id
    with db.write(raw=True) as s:  # another PC records the organisation's unfavourable opinion
        conduct.set_conducts(s, "T01", [ConductEntry("confirmation", "không đạt", enrolment_id=an)])
    with db.write(raw=True) as s, pytest.raises(ConflictError) as caught:  # this screen still shows "received"
        conduct.set_conducts(s, "T01", [ConductEntry("confirmation", "đạt", enrolment_id=an, check_expected=True,
                                                     expected="received")])
    assert "vừa được người khác sửa (đang là \u201ckhông đạt yêu cầu\u201d)" in caught.value.message
    with db.read() as s:
        assert enrolments(s)["An"].confirmation == "unfavourable"


def outcome(**fields: object) -> Outcome:
    base: dict[str, object] = {"eligible": True, "average": None, "classification": None}
    base.update(fields)
    return Outcome(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "fields", "basis"), [
    ("training", {"average": D("8.42"), "classification": "Giỏi", "band": "Giỏi"}, "TB 8,42 → Giỏi (từ 8,0)"),
    ("training", {"average": D("9.00"), "classification": "Giỏi", "band": "Xuất sắc",
                  "downgrades": ("Hạ một mức vì ...",)}, "TB 9,00 → Xuất sắc (từ 9,0), hạ một mức → Giỏi"),
    ("training", {"eligible": False, "average": D("6.10"), "band": "Trung bình"}, ""),
    ("fostering", {"average": D("8.38"), "classification": "Đạt", "band": "Xuất sắc", "essay_score": D("9.5"),
                   "essay_band": "Xuất sắc"}, "Bài thu hoạch 9,5 → Xuất sắc (từ 9,0)"),
    ("fostering", {"average": D("8.42"), "classification": "Đạt", "band": "Giỏi", "essay_score": D("8.0"),
                   "essay_band": "Giỏi"}, "Bài thu hoạch 8,0 → Giỏi (từ 8,0)"),
])
def test_each_row_says_which_score_decided_its_band(kind: str, fields: dict[str, object], basis: str) -> None:
    assert graduation_rules.classification_basis(outcome(**fields), default_rules(kind)) == basis


def test_the_rule_text_says_what_the_band_is_decided_by() -> None:
    short = graduation_rules.rules_summary(default_rules("fostering"))
    assert any("xếp loại theo điểm bài thu hoạch (không theo điểm trung bình): Xuất sắc từ 9,0" in x for x in short)
    long = graduation_rules.rules_summary(default_rules("training"))
    assert any(x.startswith("Xếp loại theo điểm trung bình các học phần") for x in long)
    shared = graduation_rules.rules_summary({**default_rules("training"), "final_share": 0.3})
    assert any(x.startswith("Xếp loại theo điểm xét tốt nghiệp") for x in shared)


def test_what_a_new_review_would_change_after_the_decision(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        for given in ("An", "Bình"):
            for module in ("A", "B", "C", "TN1", "TN2"):
                put(s, "T01", given, module, "8.0")
        graduation.review(s, "T01")
        graduation.set_decision(s, "T01", number="12/QĐ-TCT", date=dt.date(2025, 7, 1))
    with db.read() as s:
        effects = graduation.review_effects(s, "T01")
    assert effects.decision == ("12/QĐ-TCT", dt.date(2025, 7, 1))
    assert (effects.changes, effects.unchanged) == ((), 8)
    with db.write(raw=True) as s:  # Bình's organisation now says no; An's module A is corrected up
        graduation.set_conduct(s, "T01", NID["Bình"], confirmation="unfavourable")
        scores.set_score(s, "T01", NID["An"], "A", "9.5")
    with db.read() as s:
        effects = graduation.review_effects(s, "T01")
    changed = {c.full_name: c for c in effects.changes}
    assert set(changed) == {"Nguyễn Văn An", "Trần Thị Bình"} and effects.unchanged == 6
    assert (changed["Trần Thị Bình"].old, changed["Trần Thị Bình"].new, changed["Trần Thị Bình"].loses_decision) == \
        ("Giỏi (8,00)", "Không đủ điều kiện", "12/QĐ-TCT")
    assert (changed["Nguyễn Văn An"].old, changed["Nguyễn Văn An"].new, changed["Nguyễn Văn An"].loses_decision) == \
        ("Giỏi (8,00)", "Giỏi (8,75)", None)


def test_who_finalised_is_shown_by_name(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        put(s, "T01", "An", "A", "8.0")
        scores.finalise_module(s, "T01", "A")
    with db.read() as s:
        sheet = scores.load_score_sheet(s, "T01", "A")
        assert (sheet.locked_by, sheet.locked_by_name) == ("quantri", "Quản trị (máy này)")
        assert accounts.display_names(s, ["root", None]) == {"root": "Quản trị (máy này, người dùng root)"}
        assert scores.unscored_learners(s, "T01", "A")[:2] == ["Trần Thị Bình", "Lê Văn Cường"]
