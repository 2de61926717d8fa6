"""Every write operation of the core, tried as each role: the permission is the core's.

`operations.REGISTRY` lists every operation with its declared permission. This test gives each
one an example call on the demo centre (class A50, a finished Trung cấp class with scores,
results and diplomas) and runs it:

* as a viewer, as a lecturer who teaches another class, and with nobody logged in: refused with
  `PermissionDenied`, and the database is exactly as it was;
* as the administrator: accepted (so the refusals above are about who, not about the arguments).

An operation added without an example here makes the test fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from dtbd_desktop.base.errors import PermissionDenied
from dtbd_desktop.db.engine import Database, WriteOutsideOperation
from dtbd_desktop.db.models import (
    Base,
    Certificate,
    ClassSession,
    Enrolment,
    FollowUp,
    Holiday,
    Learner,
    Lecturer,
    MakeUp,
    Module,
    Organisation,
)
from dtbd_desktop.printing import layouts
from dtbd_desktop.rules.learner_fields import PersonFields

# Every module that declares operations, so that REGISTRY is complete.
from dtbd_desktop.services import (
    attendance,  # noqa: F401
    catalogue,
    certificate_copies,  # noqa: F401
    certificates,
    certificates_numbering,  # noqa: F401
    classes,
    conduct,
    duplicates,  # noqa: F401
    enrolments,
    feedback,
    followup,  # noqa: F401
    graduation,  # noqa: F401
    learners,  # noqa: F401
    lecturers,  # noqa: F401
    organisations,  # noqa: F401
    outgoing,  # noqa: F401
    plans,
    report_texts,  # noqa: F401
    restore,
    scores,
    settings,  # noqa: F401
    signing_keys,
    timetable,  # noqa: F401
    users,  # noqa: F401
)
from dtbd_desktop.trust import operations
from dtbd_desktop.trust.accounts import Login
from dtbd_desktop.workbooks import attendance as attendance_workbook
from dtbd_desktop.workbooks import feedback as feedback_workbook
from dtbd_desktop.workbooks import needs as plan_workbook
from dtbd_desktop.workbooks import scores as score_workbook
from dtbd_desktop.workbooks.past import importing, results  # noqa: F401  (their operations)
from dtbd_desktop.workbooks.roster import roster_import  # noqa: F401  (their operations)
from tests.logins import PASSWORD, admin_login, create_account

CLASS = "A50"
OTHER = "B22.KTT"


@dataclass
class World:
    """Ids in the demo centre that the examples use, and the files they import."""

    db: Database
    folder: Path
    class_id: int
    enrolment_id: int
    spare_enrolment_id: int
    learner_id: int
    learner_version: int
    national_id: str
    module_code: str
    finalised_module: str
    makeup_id: int
    session_id: int
    lecturer_id: int
    organisation_id: int
    serial: str
    certificate_id: int
    key_id: str
    followup_year: int
    files: dict[str, Path]
    pair_open: int = 0
    pair_merged: int = 0


Example = Callable[[World], tuple[tuple[Any, ...], dict[str, Any]]]


def a(*args: Any, **kwargs: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return args, kwargs


EXAMPLES: dict[str, Example] = {
    "attendance.delete_makeup": lambda w: a(w.makeup_id, reason="Ghi nhầm"),
    "attendance.import_workbook": lambda w: a(CLASS, w.files["attendance"], dry_run=True),
    "attendance.record_makeup": lambda w: a(CLASS, None, w.module_code, dt.date(2026, 6, 20), 1,
                                            enrolment_id=w.enrolment_id, today=dt.date(2026, 11, 23)),
    "attendance.set_mark": lambda w: a(CLASS, w.national_id, *_session_slot(w), "excused", allow_locked=True,
                                       reason="Có giấy phép"),
    "attendance.set_marks": lambda w: a(w.class_id, [(w.enrolment_id, w.session_id, "excused")], allow_locked=True,
                                        reason="Có giấy phép"),
    "backup.restore": lambda w: a(carry=restore.Carry(), source_name="x.sqlite3", source_digest="0" * 64),
    "certificates.close_register": lambda w: a("certificate", 2025, dt.date(2025, 12, 31)),
    "certificates.enrol_key": lambda w: a("Máy mới"),
    "certificates.issue": lambda w: a(CLASS, dt.date(2026, 12, 1)),
    "certificates.print": lambda w: a(CLASS, w.folder / "in.pdf"),
    "certificates.record_prints": lambda w: a([w.certificate_id]),
    "certificates.reissue": lambda w: a(w.serial, "Bị mất", dt.date(2026, 12, 1)),
    "certificates.reset_layout": lambda w: a("diploma-blank"),
    "certificates.retire_key": lambda w: a(w.key_id, "Máy hỏng"),
    "certificates.revoke": lambda w: a(w.serial, "Sai ngày sinh"),
    "certificates.save_calibration": lambda w: a(layouts.Calibration(1.0, -0.5, 1.0, 1.0), "Máy in A"),
    "certificates.save_layout": lambda w: a(_a_layout(w)),
    "certificates.set_patterns": lambda w: a("certificate", 2030, "{n:04d}/GCN-{year}", "{n:04d}/{year}/CN"),
    "certificates.set_programme_layout": lambda w: a("TC", None),
    "certificates.confirm": lambda w: a(w.serial, dt.date(2026, 12, 1), requested_by="Sở Nội vụ"),
    "certificates.copy": lambda w: a(w.serial, dt.date(2026, 12, 1), requested_by="Người học"),
    "classes.create": lambda w: a(code="Z1", programme="DVM", start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 9)),
    "classes.delete": lambda w: a("DVM26.98"),
    "classes.update": lambda w: a(CLASS, venue="Hội trường B"),
    "feedback.add": lambda w: a(CLASS, [feedback.FeedbackForm(w.module_code, w.lecturer_id, 5, 4, 5, 4)]),
    "feedback.delete": lambda w: a(CLASS),
    "feedback.import_workbook": lambda w: a(CLASS, w.files["feedback"], dry_run=True),
    "followup.delete": lambda w: a(w.enrolment_id, w.followup_year),
    "followup.record": lambda w: a(enrolment_id=w.enrolment_id, year=2027, annual_rating="HTTNV"),
    "graduation.conduct": lambda w: a(CLASS, w.national_id, conduct="Tốt"),
    "graduation.conducts": lambda w: a(CLASS, [conduct.ConductEntry("confirmation", "không đạt",
                                                                   enrolment_id=w.enrolment_id)], reason="Công văn 7"),
    "graduation.decision": lambda w: a(CLASS, number="99-QĐ/TCT", date=dt.date(2026, 7, 10)),
    "graduation.review": lambda w: a(CLASS),
    "learners.create": lambda w: a(OTHER, PersonFields("Thạch", "Thị Sa", "Ry", dt.date(1991, 4, 2), 1991, "F",
                                                       "Khmer", "080191999999")),
    "learners.confirm_merge": lambda w: a(w.pair_merged),
    "learners.dismiss_duplicate": lambda w: a(w.pair_open),
    "learners.merge": lambda w: a(w.pair_open),
    "learners.unmerge": lambda w: a(w.pair_merged),
    "learners.update": lambda w: a(w.learner_id, expected_version=w.learner_version, phone="0909000111"),
    "lecturers.save": lambda w: a(full_name="Lê Văn Mới"),
    "organisations.delete": lambda w: a(w.organisation_id),
    "organisations.save": lambda w: a(name="Xã Mới Lập"),
    "outgoing.number": lambda w: a(_head(w), kind="CV", on=dt.date(2026, 12, 1), subject="V/v cử cán bộ đi học",
                                   source="thu:1"),
    "outgoing.register": lambda w: a(_head(w), kind="KH", on=dt.date(2026, 12, 1), subject="Kế hoạch năm 2027"),
    "outgoing.void": lambda w: a(2026, "QĐ", 1, "Lấy nhầm số"),
    "plans.apply_draft": lambda w: a(2027),
    "plans.clear_needs": lambda w: a(2026),
    "plans.import_needs": lambda w: a(w.files["needs"], dry_run=True),
    "plans.save": lambda w: a(2027, [plans.PlanTarget("TC", 2, 100)]),
    "plans.save_need": lambda w: a(year=2027, organisation_id=w.organisation_id, programme_code="TC", learners=5),
    "plans.set_needs": lambda w: a(2027, [(w.organisation_id, "TC", 4, None)]),
    "programmes.save": lambda w: a("DVM", **_programme_fields(w)),
    "programmes.save_legal_basis": lambda w: a("DVM", "Hướng dẫn của Ban Tuyên giáo và Dân vận Trung ương"),
    "programmes.save_rules": lambda w: a("DVM", _rules(w)),
    "programmes.save_wording": lambda w: a("DVM", salutation="Ông (Bà)", course_label="Khóa {number}"),
    "reports.annual_texts": lambda w: a(2026, assessment="Hoàn thành kế hoạch năm.", next_year="Tiếp tục."),
    "register.import": lambda w: a(_past_workbook(w)),
    "register.import_results": lambda w: a([], "diem.xlsx"),
    "roster.add": lambda w: a(OTHER, w.learner_id),
    "roster.import": lambda w: a(OTHER, _table(w)),
    "roster.move": lambda w: a(w.spare_enrolment_id, "DVM26.98", "Chuyển theo nguyện vọng"),
    "roster.reinstate": lambda w: a(w.spare_enrolment_id),
    "roster.remove": lambda w: a(w.spare_enrolment_id),
    "roster.withdraw": lambda w: a(w.spare_enrolment_id, "Chuyển công tác"),
    "scores.finalise": lambda w: a(CLASS, w.module_code),
    "scores.import_workbook": lambda w: a(CLASS, w.files["scores"], reason="Nhập lại", allow_locked=True),
    "scores.set": lambda w: a(CLASS, [scores.ScoreEntry(module_code=w.module_code, value="9,0",
                                                        national_id=w.national_id)], reason="Phúc khảo",
                              allow_locked=True),
    "scores.unfinalise": lambda w: a(CLASS, w.finalised_module, reason="Nhập thiếu"),
    "settings.save": lambda w: a(director_name="Nguyễn Văn Mới"),
    "timetable.add_holiday": lambda w: a(dt.date(2027, 5, 19), "Ngày sinh Bác Hồ"),
    "timetable.add_session": lambda w: a(OTHER, day=dt.date(2027, 1, 9), half="evening", kind="exam"),
    "timetable.assign_lecturer": lambda w: a(w.session_id, w.lecturer_id),
    "timetable.delete_session": lambda w: a(w.session_id, force=True, reason="Hủy buổi"),
    "timetable.generate": lambda w: a("DVM26.99"),
    "timetable.move_session": lambda w: a(w.session_id, dt.date(2026, 3, 7), "evening"),
    "timetable.remove_holiday": lambda w: a(_holiday(w)),
    "timetable.seed_holidays": lambda w: a(2030),
    "users.change_password": lambda w: a(PASSWORD, "mat-khau-moi-123"),
    "users.create": lambda w: a(username="moi", full_name="Người Mới", role="viewer", password="mat-khau-123"),
    "users.reset_password": lambda w: a("xem", "mat-khau-khac-1"),
    "users.set_role": lambda w: a("xem", "office"),
}


def _head(w: World) -> Any:
    with w.db.read() as s:
        return settings.load_letterhead(s)


def _session_slot(w: World) -> tuple[dt.date, str]:
    with w.db.read() as s:
        row = s.execute(select(ClassSession.date, ClassSession.half).where(ClassSession.id == w.session_id)).one()
    return row[0], row[1]


def _a_layout(w: World) -> layouts.Layout:
    with w.db.read() as s:
        return certificates.load_layouts(s)["diploma-blank"]


def _programme_fields(w: World) -> dict[str, Any]:
    with w.db.read() as s:
        info = catalogue.programme_info(s, "DVM")
    return {"name": info.name, "description": "Mô tả mới", "active": True,
            "modules": [catalogue.ModuleEdit(m.code, m.name, m.periods, m.kind, m.part, m.id) for m in info.modules]}


def _rules(w: World) -> dict[str, Any]:
    with w.db.read() as s:
        rules = dict(catalogue.programme_info(s, "DVM").rules)
    rules["pass_mark"] = 5.0
    return rules


def _table(w: World) -> Any:
    from dtbd_desktop.workbooks.roster.sheet import read_roster

    return read_roster(w.files["roster"])


def _past_workbook(w: World) -> Any:
    from dtbd_desktop.workbooks.past.reading import read_past_workbook

    return read_past_workbook(w.files["past"])


def _past_book(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "SC15"
    ws.append(["SỔ GỐC CẤP BẰNG TỐT NGHIỆP SƠ CẤP LÝ LUẬN CHÍNH TRỊ"])
    ws.append(["Quyết định công nhận tốt nghiệp số 12-QĐ/TTCT ngày 10/5/2015"])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Xếp loại", "Số hiệu", "Số vào sổ", "Ngày cấp"])
    ws.append([1, "Trần Văn Xưa", "05/03/1960", "Nam", "Khá", "0001/SC-2015", "001/2015", "15/05/2015"])
    wb.save(path)
    return path


def _pairs(s: Any) -> tuple[int, int]:
    """Two possible duplicates: one to review, one merged (undoable)."""
    from dtbd_desktop.db.models import PossibleDuplicate
    from dtbd_desktop.services.learners import person_keys

    people = []
    for given, year in (("Một", 1970), ("Một", 1970), ("Hai", 1971), ("Hai", 1971)):
        sort_key, search_key = person_keys("Trùng", "Văn", given)
        learner = Learner(family_name="Trùng", middle_name="Văn", given_name=given, birth_year=year, gender="M",
                          sort_key=sort_key, search_key=search_key)
        s.add(learner)
        people.append(learner)
    s.flush()
    first = PossibleDuplicate(learner_id=people[0].id, other_id=people[1].id, status="open")
    second = PossibleDuplicate(learner_id=people[2].id, other_id=people[3].id, status="open")
    s.add_all([first, second])
    s.flush()
    duplicates.merge(s, second.id)
    return first.id, second.id


def _holiday(w: World) -> dt.date:
    with w.db.read() as s:
        return s.scalars(select(Holiday.date).order_by(Holiday.date.desc())).first()  # type: ignore[return-value]


def _fill_feedback(path: Path) -> None:
    """One form on the exported feedback workbook: item 1, ratings 5 4 5 4."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    row = feedback_workbook.FIRST_DATA_ROW
    ws.cell(row=row, column=feedback_workbook.ITEM_COL, value=1)
    for offset, rating in enumerate((5, 4, 5, 4)):
        ws.cell(row=row, column=feedback_workbook.FIRST_RATING_COL + offset, value=rating)
    wb.save(path)


def _roster_book(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chức vụ", "Đơn vị"])
    ws.append([1, "Trần Văn Mới", "05/03/1985", "Nam", "080085999123", "Chuyên viên", "Xã Mới"])
    wb.save(path)
    return path


@pytest.fixture
def world(demo_db: Database, tmp_path: Path) -> World:
    db = demo_db
    with db.write(raw=True) as s:  # the world, and the files the importers read, made before accounts exist
        cls = classes.get_class(s, CLASS)
        files = {"roster": _roster_book(tmp_path / "ds.xlsx"), "past": _past_book(tmp_path / "so_goc.xlsx"),
                 "attendance": tmp_path / "dd.xlsx", "scores": tmp_path / "diem.xlsx",
                 "feedback": tmp_path / "ph.xlsx", "needs": tmp_path / "nc.xlsx"}
        attendance_workbook.export_workbook(s, CLASS, files["attendance"], today=dt.date(2026, 11, 23))
        module, finalised = s.scalars(select(Module).where(Module.programme_id == cls.programme_id,
                                                           Module.kind == "module").order_by(Module.position)).all()[:2]
        scores.finalise_module(s, CLASS, finalised.code)
        score_workbook.export_score_workbook(s, CLASS, module.code, files["scores"])
        feedback_workbook.export_feedback_workbook(s, CLASS, files["feedback"])
        _fill_feedback(files["feedback"])
        plan_workbook.export_needs_workbook(s, 2026, files["needs"])
        classes.create_class(s, code="DVM26.99", programme="DVM", start=dt.date(2027, 4, 5), end=dt.date(2027, 4, 13))
        classes.create_class(s, code="DVM26.98", programme="DVM", start=dt.date(2027, 5, 3), end=dt.date(2027, 5, 11))
        enrolment = s.scalars(select(Enrolment).join(Certificate, Certificate.enrolment_id == Enrolment.id)
                              .where(Enrolment.class_id == cls.id, Certificate.status == "issued")
                              .order_by(Enrolment.id)).first()
        assert enrolment is not None
        learner = s.get(Learner, enrolment.learner_id)
        assert learner is not None and learner.national_id
        spare = enrolments.add_learner(s, "DVM26.99", learner.id)
        makeup = s.scalars(select(MakeUp).join(Enrolment).where(Enrolment.class_id == cls.id)).first()
        if makeup is None:
            makeup = MakeUp(enrolment_id=enrolment.id, module_id=module.id, date=dt.date(2026, 5, 1), periods=1)
            s.add(makeup)
        session_row = s.scalars(select(ClassSession).where(ClassSession.class_id == cls.id,
                                                           ClassSession.module_id == module.id)).first()
        assert session_row is not None
        cert = s.scalars(select(Certificate).where(Certificate.enrolment_id == enrolment.id)).one()
        organisation = Organisation(name="Xã Không Ai Học", search_key="xa khong ai hoc")
        s.add(organisation)
        s.add(FollowUp(enrolment_id=enrolment.id, year=2026, annual_rating="HTTNV"))
        key_id = signing_keys.list_keys(s)[0].key_id
        s.flush()
        # A lecturer who teaches elsewhere, never in A50.
        teaches_here = set(s.scalars(select(ClassSession.lecturer_id).where(ClassSession.class_id == cls.id)))
        teaches_here.add(cls.homeroom_lecturer_id)
        outsider = s.scalars(select(Lecturer.id).where(Lecturer.id.not_in([t for t in teaches_here if t]))
                             .order_by(Lecturer.id)).first()
        assert outsider is not None
        w = World(db, tmp_path, cls.id, enrolment.id, spare.id, learner.id, learner.version, learner.national_id,
                  module.code, finalised.code, makeup.id, session_row.id, outsider, organisation.id, cert.serial, cert.id, key_id,
                  2026, files)
        w.pair_open, w.pair_merged = _pairs(s)
    return w


@dataclass
class People:
    admin: Login
    viewer: Login
    lecturer: Login


@pytest.fixture
def people(world: World) -> People:
    admin = admin_login(world.db)
    return People(admin, create_account(world.db, "xem", "viewer", by=admin),
                  create_account(world.db, "tam", "lecturer", by=admin, lecturer_id=world.lecturer_id))


def fingerprint(db: Database) -> str:
    """Every row of every table, hashed: equal before and after means nothing changed."""
    h = hashlib.sha256()
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table).order_by(*table.primary_key.columns)):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def _all_operations() -> list[str]:
    return sorted(operations.REGISTRY)


def test_every_operation_has_an_example() -> None:
    assert sorted(EXAMPLES) == _all_operations()


def _call(world: World, login: Login | None, name: str) -> Any:
    op = operations.REGISTRY[name]
    args, kwargs = EXAMPLES[name](world)
    with operations.writing(world.db, login) as s:
        return op(s, *args, **kwargs)


def test_each_operation_is_refused_to_a_viewer_a_lecturer_of_another_class_and_nobody(
        world: World, people: People) -> None:
    before = fingerprint(world.db)
    refused: dict[str, list[str]] = {}
    for name in _all_operations():
        op = operations.REGISTRY[name]
        tries: list[tuple[str, Login | None]] = [("nobody", None)]
        if op.permission != "own_account":  # changing one's own password is for everyone logged in
            tries += [("viewer", people.viewer), ("lecturer of another class", people.lecturer)]
        for who, login in tries:
            with pytest.raises(PermissionDenied) as caught:
                _call(world, login, name)
            refused.setdefault(name, []).append(who)
            expected = {"nobody": "đăng nhập", "viewer": "không có quyền",
                        "lecturer of another class": "lớp mình" if op.permission in {
                            "mark_attendance", "enter_scores", "enter_conduct"} else "không có quyền"}[who]
            assert expected in caught.value.message, (name, who, caught.value.message)
    assert fingerprint(world.db) == before  # nothing changed, anywhere
    assert sorted(refused) == _all_operations()


def test_each_operation_is_accepted_from_an_administrator(world: World, people: People,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each in its own unit of work, rolled back, so that each meets the demo as it is."""
    for name in _all_operations():
        if name == "users.change_password":
            continue  # the administrator's own password: below, with the viewer's
        op = operations.REGISTRY[name]
        args, kwargs = EXAMPLES[name](world)
        with monkeypatch.context() as patch, operations.reading(world.db, people.admin) as s:
            if name == "certificates.enrol_key":  # a new PC: this one's key is enrolled already
                patch.setenv("DTBD_DATA_DIR", str(world.folder / "new-pc"))
            op(s, *args, **kwargs)


def test_anyone_logged_in_changes_only_their_own_password(world: World, people: People) -> None:
    from dtbd_desktop.trust import accounts

    _call(world, people.viewer, "users.change_password")
    assert accounts.authenticate(world.db, "xem", "mat-khau-moi-123").username == "xem"
    assert accounts.authenticate(world.db, "quantri", PASSWORD).username == "quantri"  # untouched


def test_a_change_outside_any_operation_is_refused(world: World, people: People) -> None:
    """A screen or command that wrote to the database without an operation would fail here."""
    with pytest.raises(WriteOutsideOperation), operations.writing(world.db, people.admin) as s:
        s.add(Organisation(name="Xã Lén Lút", search_key="xa len lut"))
    with pytest.raises(WriteOutsideOperation), operations.writing(world.db, people.admin) as s:
        s.execute(update(Learner).values(phone="1"))
    with pytest.raises(WriteOutsideOperation), operations.writing(world.db, people.admin) as s:
        learner = s.get(Learner, world.learner_id)
        assert learner is not None
        learner.phone = "0123"
    with world.db.read() as s:
        assert s.scalar(select(func.count(Organisation.id)).where(Organisation.name == "Xã Lén Lút")) == 0
        learner = s.get(Learner, world.learner_id)
        assert learner is not None and learner.phone != "0123"
