"""Score entry as the training office does it: one cell, a pasted block, retakes, finalising a
module and correcting it with permission, the transcript's history, the fill-in workbook.

`build_class` makes a small hand-built class (used by the graduation and CLI tests too): a
programme "TT" of three modules of 60, 40 and 20 periods, two graduation exams (TN1, TN2) and a
thesis (KL), with the default training rules; a short course "BD" of three 10-period lessons
whose last holds the bài thu hoạch.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import ConflictError, InputError, NotFoundError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import (
    AuditEntry,
    Enrolment,
    Learner,
    Module,
    Programme,
    RuleSet,
    Score,
    TrainingClass,
)
from dtbd_desktop.rules.rule_sets import default_rules
from dtbd_desktop.services import classes, scores
from dtbd_desktop.services.learners import person_keys
from dtbd_desktop.services.scores import ScoreEntry
from dtbd_desktop.workbooks import scores as score_workbook

D = Decimal

#: (họ, đệm, tên, CCCD, gender)
LEARNERS = [
    ("Nguyễn", "Văn", "An", "080190000001", "M"),
    ("Trần", "Thị", "Bình", "080190000002", "F"),
    ("Lê", "Văn", "Cường", "080190000003", "M"),
    ("Phạm", "Thị", "Dung", "080190000004", "F"),
    ("Hoàng", "Văn", "Em", "080190000005", "M"),
    ("Đỗ", "Thị", "Giang", "080190000006", "F"),
    ("Vũ", "Văn", "Hải", "080190000007", "M"),
    ("Ngô", "Thị", "Khánh", "080190000008", "F"),
]
NID = {given: nid for _f, _m, given, nid, _g in LEARNERS}
TRAINING_MODULES = [("A", "Triết học Mác - Lênin", 60, "module"), ("B", "Kinh tế chính trị", 40, "module"),
                    ("C", "Chủ nghĩa xã hội khoa học", 20, "module"),
                    ("TN1", "Thi tốt nghiệp môn Lý luận chính trị", 0, "graduation_exam"),
                    ("TN2", "Thi tốt nghiệp môn Vận dụng", 0, "graduation_exam"),
                    ("KL", "Khóa luận tốt nghiệp", 0, "thesis")]
SHORT_MODULES = [("B1", "Lịch sử Đảng", 10, "module"), ("B2", "Điều lệ Đảng", 10, "module"),
                 ("B3", "Phấn đấu trở thành đảng viên (bài thu hoạch)", 10, "module")]


def build_class(session: Session, *, code: str = "T01", kind: str = "training", rules: dict[str, Any] | None = None,
                learners: list[tuple[str, str, str, str, str]] | None = None) -> TrainingClass:
    """A class of a hand-made programme with its learners (confirmation received), no scores."""
    prog_code = "TT" if kind == "training" else "BD"
    programme = session.scalar(select(Programme).where(Programme.code == prog_code))
    if programme is None:
        programme = Programme(code=prog_code, name="Trung cấp thử nghiệm" if kind == "training" else "Bồi dưỡng thử",
                              kind=kind, level="trung_cap" if kind == "training" else "fostering",
                              document_kind="diploma" if kind == "training" else "certificate")
        for position, (mcode, name, periods, mkind) in enumerate(
                TRAINING_MODULES if kind == "training" else SHORT_MODULES):
            programme.modules.append(Module(code=mcode, name=name, periods=periods, kind=mkind, position=position))
        programme.rule_sets.append(RuleSet(name="Quy định thử", regulation="Quy chế đào tạo thử nghiệm",
                                           params={**default_rules(kind), **(rules or {})}))
        session.add(programme)
        session.flush()
    cls = classes.create_class(session, code=code, programme=prog_code, start=dt.date(2025, 3, 2),
                               end=dt.date(2025, 6, 30), name=f"Lớp thử {code}")
    for family, middle, given, nid, gender in learners or LEARNERS:
        sort_key, search_key = person_keys(family, middle, given)
        person = session.scalar(select(Learner).where(Learner.national_id == nid))
        if person is None:
            person = Learner(family_name=family, middle_name=middle, given_name=given, birth_date=dt.date(1985, 5, 4),
                             birth_year=1985, gender=gender, national_id=nid, sort_key=sort_key, search_key=search_key)
            session.add(person)
        session.add(Enrolment(training_class=cls, learner=person, confirmation="received"))
    session.flush()
    return cls


def put(session: Session, class_code: str, given: str, module: str, *values: str, component: str | None = None) -> None:
    """Enter a learner's attempts for a module: first sitting, then retakes."""
    for attempt, value in enumerate(values, start=1):
        scores.set_score(session, class_code, NID[given], module, value, attempt=attempt, component=component)


def sheet_row(session: Session, class_code: str, module: str, given: str) -> scores.SheetRow:
    sheet = scores.load_score_sheet(session, class_code, module)
    return next(r for r in sheet.rows if r.national_id == NID[given])


# ----------------------------------------------------------------------------- one cell


@pytest.mark.parametrize("typed", ["8,5", "8.5", " 8,5 ", 8.5, D("8.5")])
def test_a_score_is_accepted_with_a_decimal_comma_or_point(db: Database, typed: object) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        change = scores.set_score(s, "T01", NID["An"], "A", typed)
    assert (change.old, change.new, change.attempt, change.component) == (None, D("8.5"), 1, "")
    with db.read() as s:
        assert sheet_row(s, "T01", "A", "An").result.counted == D("8.5")


@pytest.mark.parametrize(
    ("nid", "module", "value", "component", "message"),
    [
        ("080190000001", "A", "11", None, "Điểm phải từ 0 đến 10 (đang là 11)"),
        ("080190000001", "A", "abc", None, "Không đọc được điểm 'abc'"),
        ("080190000001", "A", "8,25", None, "Điểm chỉ có một chữ số thập phân"),
        ("080190000001", "A", "-1", None, "Điểm phải từ 0 đến 10"),
        ("080190000001", "A", "", None, None),  # an empty cell is not a score: nothing to clear, nothing done
        ("080190000099", "A", "8", None, "Không có học viên số CCCD 080190000099 trong lớp T01"),
        ("12345", "A", "8", None, "Số CCCD phải có đúng 12 chữ số"),
        ("080190000001", "Z9", "8", None, "Chương trình TT không có học phần mã 'Z9'"),
        ("080190000001", "A", "8", "TX", "Học phần A chỉ có một điểm chung, không có điểm thành phần 'TX'"),
    ],
)
def test_a_bad_cell_is_refused_with_the_reason(db: Database, nid: str, module: str, value: str,
                                                component: str | None, message: str | None) -> None:
    with db.write(raw=True) as s:
        build_class(s)
    with db.write(raw=True) as s:
        if message is None:
            assert not scores.set_score(s, "T01", nid, module, value, component=component).changed
            return
        with pytest.raises(InputError) as caught:
            scores.set_score(s, "T01", nid, module, value, component=component)
        assert message in caught.value.message
    with db.read() as s:
        assert s.scalar(select(func.count(Score.id))) == 0


def test_validate_cell_for_the_grid() -> None:
    assert scores.validate_cell("7,5") == scores.CellCheck(True, D("7.5"))
    assert scores.validate_cell("") == scores.CellCheck(True, None)
    refused = scores.validate_cell("10,5")
    assert not refused.ok and refused.message == "Điểm phải từ 0 đến 10 (đang là 10,5)"


def test_a_withdrawn_learner_gets_no_new_score(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        enrolment = s.scalar(select(Enrolment).join(Learner).where(Learner.national_id == NID["An"]))
        assert enrolment is not None
        enrolment.status = "withdrawn"
    with db.write(raw=True) as s, pytest.raises(InputError, match="đã thôi học"):
        scores.set_score(s, "T01", NID["An"], "A", "8")


def test_a_change_is_audited_with_old_and_new(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        put(s, "T01", "An", "A", "7.0")
        scores.set_score(s, "T01", NID["An"], "A", "7,5", reason="chấm phúc khảo")
    with db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "score").order_by(AuditEntry.id)).all()
        assert [(e.username, e.field, e.old_value, e.new_value, e.reason) for e in entries] == [
            ("quantri", "A", None, "7.0", None), ("quantri", "A", "7.0", "7.5", "chấm phúc khảo")]
        transcript = scores.learner_transcript(s, "T01", NID["An"])
        assert [(h.what, h.old, h.new, h.reason) for h in transcript.history if h.is_correction] == [
            ("A lần 1", "7,0", "7,5", "chấm phúc khảo")]


def test_someone_else_changed_the_cell(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        put(s, "T01", "An", "A", "7.0")
    with db.write(raw=True) as s, pytest.raises(ConflictError, match="vừa được người khác sửa"):
        scores.set_score(s, "T01", NID["An"], "A", "8.0", check_expected=True, expected=D("6.0"))
    with db.write(raw=True) as s:
        assert scores.set_score(s, "T01", NID["An"], "A", "8.0", check_expected=True, expected=D("7.0")).changed


def test_clearing_a_cell(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        put(s, "T01", "An", "A", "4.0", "6.0")
    with db.write(raw=True) as s, pytest.raises(InputError, match="hãy xóa điểm lần 2 trước"):
        scores.set_score(s, "T01", NID["An"], "A", "", attempt=1)
    with db.write(raw=True) as s:
        assert scores.set_score(s, "T01", NID["An"], "A", None, attempt=2).old == D("6.0")
    with db.read() as s:
        assert sheet_row(s, "T01", "A", "An").result.counted == D("4.0")


# ----------------------------------------------------------------------------- retakes


def test_retakes_latest_or_best(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        put(s, "T01", "An", "A", "4.5")
        change = scores.set_score(s, "T01", NID["An"], "A", "4,0", retake=True)
        assert change.attempt == 2
    with db.read() as s:
        row = sheet_row(s, "T01", "A", "An")
        assert [a.score for a in row.result.attempts] == [D("4.5"), D("4.0")]
        assert row.result.counted == D("4.0")  # latest, the default
        assert [r.next_attempt for r in scores.retake_roster(s, "T01", "A")] == [3]
    with db.write(raw=True) as s:
        cls = classes.get_class(s, "T01")
        cls.rule_set.params = {**cls.rule_set.params, "attempt_counted": "best"}
    with db.read() as s:
        assert sheet_row(s, "T01", "A", "An").result.counted == D("4.5")


def test_retake_rules(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        put(s, "T01", "An", "A", "6.0")
        put(s, "T01", "Bình", "A", "3.0")
    with db.write(raw=True) as s, pytest.raises(InputError, match="đã đạt"):
        scores.set_score(s, "T01", NID["An"], "A", "8", retake=True)
    with db.write(raw=True) as s, pytest.raises(InputError, match="Chưa có điểm lần 1"):
        scores.set_score(s, "T01", NID["Cường"], "A", "8", retake=True)
    with db.write(raw=True) as s, pytest.raises(InputError, match="Chưa có điểm lần 2 nên chưa nhập được lần 3"):
        scores.set_score(s, "T01", NID["Bình"], "A", "8", attempt=3)
    with db.read() as s:
        roster = scores.retake_roster(s, "T01")
        assert [(r.full_name, r.module_code, r.attempts) for r in roster] == [("Trần Thị Bình", "A", (D("3.0"),))]
        sheet = scores.load_score_sheet(s, "T01", "A")
        assert [c.label for c in sheet.columns] == ["Điểm", "Thi lại lần 1"]  # a column for the retake


# ----------------------------------------------------------------------------- components


def test_a_module_with_components(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        module = s.scalar(select(Module).where(Module.code == "A"))
        assert module is not None
        module.assessment = {"components": [{"code": "TX", "name": "Kiểm tra thường xuyên", "weight": 3},
                                            {"code": "THI", "name": "Thi hết học phần", "weight": 7}]}
    with db.write(raw=True) as s:
        scores.set_score(s, "T01", NID["An"], "A", "8", component="TX")
        assert sheet_row(s, "T01", "A", "An").result.status == "incomplete"
        scores.set_score(s, "T01", NID["An"], "A", "6,5", component="thi")  # codes in any case
        with pytest.raises(InputError, match="không có điểm thành phần 'GK' \\(có: TX, THI\\)"):
            scores.set_score(s, "T01", NID["An"], "A", "6", component="GK")
    with db.read() as s:
        sheet = scores.load_score_sheet(s, "T01", "A")
        assert [c.label for c in sheet.columns] == ["Kiểm tra thường xuyên", "Thi hết học phần"]
        row = sheet_row(s, "T01", "A", "An")
        assert row.result.counted == D("7.0")  # (3*8 + 7*6.5)/10 = 6.95 -> 7.0


# ----------------------------------------------------------------------------- a pasted block


def test_a_pasted_block_is_saved_all_or_nothing(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
    block = [ScoreEntry("A", "8,5", national_id=NID["An"], row=1, column="Điểm"),
             ScoreEntry("A", "11", national_id=NID["Bình"], row=2, column="Điểm"),
             ScoreEntry("A", "7", national_id=NID["Cường"], row=3, column="Điểm"),
             ScoreEntry("A", "x", national_id=NID["Dung"], row=4, column="Điểm")]
    with db.write(raw=True) as s, pytest.raises(InputError) as caught:
        scores.set_scores(s, "T01", block)
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (2, "Điểm", "Điểm phải từ 0 đến 10 (đang là 11)"),
        (4, "Điểm", "Không đọc được điểm 'x': nhập số từ 0 đến 10, ví dụ 8,5")]
    with db.read() as s:
        assert s.scalar(select(func.count(Score.id))) == 0
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "score")) == 0
    good = [block[0], ScoreEntry("A", "4", national_id=NID["Bình"]), block[2],
            ScoreEntry("A", "6", national_id=NID["Bình"], attempt=2)]  # a retake in the same paste
    with db.write(raw=True) as s:
        changes = scores.set_scores(s, "T01", good)
    assert [c.new for c in changes] == [D("8.5"), D("4.0"), D("7.0"), D("6.0")]
    with db.read() as s:
        assert sheet_row(s, "T01", "A", "Bình").result.counted == D("6.0")


# ----------------------------------------------------------------------------- finalising


def test_a_finalised_module_needs_permission_and_a_reason(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        put(s, "T01", "An", "A", "7.0")
        result = scores.finalise_module(s, "T01", "A")
        assert "Trần Thị Bình" in result.missing
    with db.write(raw=True) as s, pytest.raises(InputError, match="đã được chốt"):
        scores.set_score(s, "T01", NID["An"], "A", "8.0")
    with db.write(raw=True) as s, pytest.raises(InputError, match="phải ghi lý do"):
        scores.set_score(s, "T01", NID["An"], "A", "8.0", allow_locked=True)
    with db.write(raw=True) as s:
        change = scores.set_score(s, "T01", NID["An"], "A", "8.0", allow_locked=True,
                                  reason="Phúc khảo theo đơn ngày 12/7")
        assert change.changed
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "score").order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert (entry.username, entry.old_value, entry.new_value, entry.reason) == (
            "quantri", "7.0", "8.0", "Phúc khảo theo đơn ngày 12/7")
        assert scores.load_score_sheet(s, "T01", "A").locked
    with db.write(raw=True) as s, pytest.raises(InputError, match="đã được chốt từ trước"):
        scores.finalise_module(s, "T01", "A")
    with db.write(raw=True) as s, pytest.raises(InputError, match="phải ghi lý do"):
        scores.unfinalise_module(s, "T01", "A", reason=" ")
    with db.write(raw=True) as s:
        scores.unfinalise_module(s, "T01", "A", reason="Nhập thiếu điểm")
        assert scores.set_score(s, "T01", NID["Bình"], "A", "6").changed


# ----------------------------------------------------------------------------- the fill-in workbook


def _fill(path: Path, values: dict[tuple[str, int], object]) -> None:
    """Write values into the exported workbook by (CCCD, score column index)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in range(6, ws.max_row + 1):
        nid = ws.cell(row=row, column=2).value
        for (wanted, column), value in values.items():
            if nid == wanted:
                ws.cell(row=row, column=4 + column, value=value)
    wb.save(path)


def test_score_workbook_round_trip(db: Database, tmp_path: Path) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        put(s, "T01", "An", "B", "7.0")
    path = tmp_path / "diem-B.xlsx"
    with db.read() as s:
        assert score_workbook.export_score_workbook(s, "T01", "B", path) == len(LEARNERS)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.cell(row=5, column=5).value == "Điểm"
    assert [ws.cell(row=r, column=3).value for r in (6, 7)] == ["Nguyễn Văn An", "Trần Thị Bình"]  # roster order
    assert ws.cell(row=6, column=5).value == 7.0
    _fill(path, {(NID["Bình"], 1): "8,5", (NID["Cường"], 1): 6, (NID["An"], 1): 7.0})
    with db.write(raw=True) as s:
        result = score_workbook.import_score_workbook(s, "T01", path)
    assert (result.module_code, result.changed, result.unchanged) == ("B", 2, 1)
    with db.read() as s:
        assert sheet_row(s, "T01", "B", "Bình").result.counted == D("8.5")
        assert sheet_row(s, "T01", "B", "Cường").result.counted == D("6.0")


def test_score_workbook_refused_whole_with_rows_and_columns(db: Database, tmp_path: Path) -> None:
    with db.write(raw=True) as s:
        build_class(s)
        build_class(s, code="T02")
    path = tmp_path / "diem-A.xlsx"
    with db.read() as s:
        score_workbook.export_score_workbook(s, "T01", "A", path)
    _fill(path, {(NID["An"], 1): "8,5", (NID["Bình"], 1): "11", (NID["Dung"], 1): "tám"})
    with db.write(raw=True) as s, pytest.raises(InputError) as caught:
        score_workbook.import_score_workbook(s, "T01", path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(7, "E"), (9, "E")]
    assert "Điểm phải từ 0 đến 10" in caught.value.problems[0].message
    with db.read() as s:
        assert s.scalar(select(func.count(Score.id))) == 0
    with db.write(raw=True) as s, pytest.raises(InputError, match="của lớp T01, không phải lớp T02"):
        score_workbook.import_score_workbook(s, "T02", path)
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0].cell(row=5, column=5, value="Điểm thi")
    wb.save(path)
    with db.write(raw=True) as s, pytest.raises(InputError, match="đã bị sửa cấu trúc") as caught:
        score_workbook.import_score_workbook(s, "T01", path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "E")]
    assert "Tiêu đề cột đã bị sửa (cần 'Điểm')" in caught.value.problems[0].message
    other = tmp_path / "khac.xlsx"
    openpyxl.Workbook().save(other)
    with db.write(raw=True) as s, pytest.raises(InputError, match="không phải bảng điểm"):
        score_workbook.import_score_workbook(s, "T01", other)
    with db.write(raw=True) as s, pytest.raises(InputError, match="Không có tệp"):
        score_workbook.import_score_workbook(s, "T01", tmp_path / "khong-co.xlsx")


def test_unknown_class_and_module(db: Database) -> None:
    with db.write(raw=True) as s:
        build_class(s)
    with db.read() as s:
        with pytest.raises(NotFoundError, match="Không có lớp mã 'X9'"):
            scores.load_score_sheet(s, "X9", "A")
        with pytest.raises(NotFoundError, match="Các mã: A, B, C, TN1, TN2, KL"):
            scores.load_score_sheet(s, "T01", "Z")
