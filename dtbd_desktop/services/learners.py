"""Learners: their stored sort and search keys, searching, a person's history, and their record
edited or made by hand.

* `update_learner` (operation `learners.update`): a record edited against the version the person
  saw, with the import's checks (`rules.learner_fields`) on what changed; identity fields need a
  reason and are audited one by one.
* `create_learner` (operation `learners.create`): a person the import refused, typed in by hand
  and enrolled in the class in the same transaction, with the import's checks, a national ID no
  one else has, and people of the same name and birth who may be the same person listed first.
* `review_update` and `review_new` say beforehand, writing nothing, what the operations would
  refuse (problems) and what a person should look at first (warnings, possible duplicates).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import (
    Certificate,
    Enrolment,
    GraduationResult,
    Learner,
    Lecturer,
    Organisation,
    Programme,
    TrainingClass,
)
from dtbd_desktop.rules.learner_fields import PersonFields, capitalise_name, check_person, normalise_phone
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.trust import audit
from dtbd_desktop.trust.operations import operation


def person_keys(family: str, middle: str, given: str) -> tuple[str, str]:
    """(sort_key, search_key) of a person: Vietnamese roster order, and the folded full name."""
    return (
        text.name_sort_key(family, middle, given),
        text.fold(text.join_name(family, middle, given)),
    )


def refresh_keys(person: Learner | Lecturer) -> None:
    person.sort_key, person.search_key = person_keys(person.family_name, person.middle_name, person.given_name)


@dataclass(frozen=True)
class LearnerRow:
    id: int
    full_name: str
    birth_date: dt.date | None
    birth_year: int
    gender: str
    ethnicity: str
    national_id: str | None
    organisation: str | None
    position: str | None
    classes: list[str] = field(default_factory=list)

    @property
    def birth_text(self) -> str:
        return text.format_date(self.birth_date) if self.birth_date else str(self.birth_year)

    def as_find_json(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else str(self.birth_year),
            "national_id": self.national_id,
            "classes": self.classes,
        }


def _like_pattern(folded: str) -> str:
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_learners(session: Session, query: str, *, limit: int | None = 50, offset: int = 0) -> list[LearnerRow]:
    """People whose name (ignoring diacritics and case) or national ID contains the query,
    in Vietnamese order. An empty query lists everyone."""
    folded = text.fold(query or "")
    stmt = (
        select(Learner.id, Learner.family_name, Learner.middle_name, Learner.given_name, Learner.birth_date,
               Learner.birth_year, Learner.gender, Learner.ethnicity, Learner.national_id, Organisation.name,
               Learner.position)
        .outerjoin(Organisation, Learner.organisation_id == Organisation.id)
        .order_by(Learner.sort_key, Learner.id)
    )
    if folded:
        digits = folded.replace(" ", "")
        condition: ColumnElement[bool] = Learner.search_key.like(_like_pattern(folded), escape="\\")
        if digits.isdigit():
            condition = condition | Learner.national_id.like(f"%{digits}%")
        stmt = stmt.where(condition)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    rows = session.execute(stmt).all()
    ids = [r[0] for r in rows]
    classes: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for learner_id, code in session.execute(
            select(Enrolment.learner_id, TrainingClass.code)
            .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
            .where(Enrolment.learner_id.in_(ids))
            .order_by(TrainingClass.start_date)
        ):
            classes[learner_id].append(code)
    return [
        LearnerRow(
            id=r[0], full_name=text.join_name(r[1], r[2], r[3]), birth_date=r[4], birth_year=r[5], gender=r[6],
            ethnicity=r[7], national_id=r[8], organisation=r[9], position=r[10], classes=classes[r[0]],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class HistoryRow:
    class_code: str
    programme: str
    start: dt.date
    end: dt.date
    status: str
    classification: str | None
    serial: str | None
    certificate_status: str | None


@dataclass(frozen=True)
class LearnerDetail:
    row: LearnerRow
    place_of_birth: str | None
    hometown: str | None
    party_member: bool | None  # None: not known
    party_join_date: dt.date | None
    education_level: str | None
    theory_level: str | None
    phone: str | None
    history: list[HistoryRow]
    family_name: str = ""
    middle_name: str = ""
    given_name: str = ""
    organisation_id: int | None = None
    version: int = 1  # what an edit is checked against

    @property
    def fields(self) -> PersonFields:
        r = self.row
        return PersonFields(
            family_name=self.family_name, middle_name=self.middle_name, given_name=self.given_name,
            birth_date=r.birth_date, birth_year=r.birth_year, gender=r.gender, ethnicity=r.ethnicity,
            national_id=r.national_id, place_of_birth=self.place_of_birth, hometown=self.hometown,
            party_member=self.party_member, party_join_date=self.party_join_date, position=r.position,
            education_level=self.education_level, theory_level=self.theory_level, phone=self.phone)


def learner_detail(session: Session, learner_id: int) -> LearnerDetail:
    """A person's identity and whole training history across classes, with their documents."""
    p = session.get(Learner, learner_id)
    if p is None:
        raise NotFoundError(tr("learners", "Không tìm thấy học viên."))
    org = session.get(Organisation, p.organisation_id) if p.organisation_id else None
    history = []
    for e, cls, prog_name, classification in session.execute(
        select(Enrolment, TrainingClass, Programme.name, GraduationResult.classification)
        .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
        .join(Programme, TrainingClass.programme_id == Programme.id)
        .outerjoin(GraduationResult, GraduationResult.enrolment_id == Enrolment.id)
        .where(Enrolment.learner_id == p.id)
        .order_by(TrainingClass.start_date)
    ):
        cert = session.scalar(select(Certificate).where(Certificate.enrolment_id == e.id)
                              .order_by(Certificate.id.desc()).limit(1))
        history.append(HistoryRow(cls.code, prog_name, cls.start_date, cls.end_date, e.status, classification,
                                  cert.serial if cert else None, cert.status if cert else None))
    row = LearnerRow(p.id, p.full_name, p.birth_date, p.birth_year, p.gender, p.ethnicity, p.national_id,
                     org.name if org else None, p.position, [h.class_code for h in history])
    return LearnerDetail(row, p.place_of_birth, p.hometown, p.party_member, p.party_join_date, p.education_level,
                         p.theory_level, p.phone, history, family_name=p.family_name, middle_name=p.middle_name,
                         given_name=p.given_name, organisation_id=p.organisation_id, version=p.version)


@dataclass(frozen=True)
class LearnerChoices:
    """What a learner form offers: the organisations (id, name; the parent's name added where two
    share a name) in Vietnamese order, and the ethnicities and levels already in use."""

    organisations: list[tuple[int, str]]
    ethnicities: list[str]
    education_levels: list[str]
    theory_levels: list[str]


def learner_choices(session: Session) -> LearnerChoices:
    parent = aliased(Organisation)
    rows = session.execute(select(Organisation.id, Organisation.name, parent.name)
                           .outerjoin(parent, parent.id == Organisation.parent_id)).all()
    names = Counter(name for _id, name, _parent in rows)
    organisations = sorted(((i, f"{name} ({above})" if names[name] > 1 and above else name)
                            for i, name, above in rows), key=lambda o: text.vn_sort_key(o[1]))

    def used(column: Any, *first: str) -> list[str]:
        found = {v for v in session.scalars(select(column).distinct()) if v}
        return [*first, *sorted(found - set(first), key=text.vn_sort_key)]

    return LearnerChoices(organisations, used(Learner.ethnicity, "Kinh"), used(Learner.education_level),
                          used(Learner.theory_level))


IDENTITY_FIELDS = ("family_name", "middle_name", "given_name", "birth_date", "birth_year", "gender", "ethnicity",
                   "national_id", "place_of_birth")
EDITABLE_FIELDS = (*IDENTITY_FIELDS, "hometown", "party_member", "party_join_date", "position", "organisation_id",
                   "education_level", "theory_level", "phone")
FIELD_LABELS = {
    "family_name": tr_noop("learners", "họ"), "middle_name": tr_noop("learners", "tên đệm"),
    "given_name": tr_noop("learners", "tên"), "birth_date": tr_noop("learners", "ngày sinh"),
    "birth_year": tr_noop("learners", "năm sinh"), "gender": tr_noop("learners", "giới tính"),
    "ethnicity": tr_noop("learners", "dân tộc"), "national_id": tr_noop("learners", "số CCCD"),
    "place_of_birth": tr_noop("learners", "nơi sinh"),
}
#: Classes whose enrolments still take a correction of the learner's position or organisation.
_OPEN_CLASSES = ("planned", "running")


@dataclass(frozen=True)
class LearnerReview:
    """What saving a learner's record would meet: problems refuse it; warnings and possible
    duplicates ("Nguyễn Văn An, sinh 05/03/1985, ...") are for a person to look at first."""

    problems: list[Problem]
    warnings: list[Problem]
    duplicates: list[str] = field(default_factory=list)


def _clean_fields(p: PersonFields) -> PersonFields:
    def clean(value: str | None) -> str | None:
        return text.clean(value)

    def name(value: str) -> str:  # as the import writes names: "NGUYỄN VĂN AN" -> "Nguyễn Văn An"
        return capitalise_name(text.nfc(value))

    phone = clean(p.phone)
    ethnicity = clean(p.ethnicity)
    return PersonFields(
        family_name=name(p.family_name), middle_name=name(p.middle_name), given_name=name(p.given_name),
        birth_date=p.birth_date, birth_year=p.birth_date.year if p.birth_date else p.birth_year, gender=p.gender,
        ethnicity=capitalise_name(ethnicity) if ethnicity else None, national_id=clean(p.national_id), place_of_birth=clean(p.place_of_birth),
        hometown=clean(p.hometown), party_member=p.party_member, party_join_date=p.party_join_date,
        position=clean(p.position), education_level=clean(p.education_level), theory_level=clean(p.theory_level),
        phone=(normalise_phone(phone) or phone) if phone else None)


def _national_id_problems(session: Session, national_id: str | None, learner_id: int | None) -> list[Problem]:
    if not national_id:
        return []
    try:
        nid = text.normalize_national_id(national_id)
    except text.NationalIdError as exc:
        return [Problem(exc.message + ".", field="national_id")]
    other = session.scalar(select(Learner).where(Learner.national_id == nid))
    if other is None or other.id == learner_id:
        return []
    if learner_id is None:  # a new record
        message = tr("learners", "Số CCCD {id} đã có trong hồ sơ của {person}: kiểm tra lại số CCCD; nếu đúng là "
                                 "người này thì tìm và chọn họ ở \"Thêm học viên...\" thay vì tạo hồ sơ mới.")
    else:
        message = tr("learners", "Số CCCD {id} đã có trong hồ sơ của {person}: kiểm tra lại số CCCD (mỗi số CCCD "
                                 "chỉ thuộc một người).")
    return [Problem(message.format(id=nid, person=_describe(session, other)), field="national_id")]


def _describe(session: Session, learner: Learner) -> str:
    classes = list(session.scalars(select(TrainingClass.code).join(Enrolment, Enrolment.class_id == TrainingClass.id)
                                   .where(Enrolment.learner_id == learner.id).order_by(TrainingClass.start_date)))
    birth = text.format_date(learner.birth_date) if learner.birth_date else str(learner.birth_year)
    where = (tr("learners", "các lớp: {classes}").format(classes=", ".join(classes)) if classes
             else tr("learners", "chưa học lớp nào"))
    nid = tr("learners", "CCCD {id}").format(id=learner.national_id) if learner.national_id else tr(
        "learners", "chưa có CCCD")
    return tr("learners", "{name}, sinh {birth}, {id}, {classes}").format(
        name=learner.full_name, birth=birth, id=nid, classes=where)


def _with_national_id(p: PersonFields) -> PersonFields:
    """`p` with its national ID as 12 digits when it reads as one."""
    if not p.national_id:
        return p
    try:
        nid = text.normalize_national_id(p.national_id)
    except text.NationalIdError:
        return p
    return PersonFields(**{**p.__dict__, "national_id": nid})


def _organisation_problems(session: Session, organisation_id: int | None) -> list[Problem]:
    if organisation_id is None or session.get(Organisation, organisation_id) is not None:
        return []
    return [Problem(tr("learners", "Không tìm thấy đơn vị đã chọn (có thể vừa bị xóa)."), field="organisation_id")]


def _possible_duplicates(session: Session, p: PersonFields) -> list[str]:
    if not p.given_name or p.birth_year is None:
        return []
    _sort_key, search_key = person_keys(p.family_name, p.middle_name, p.given_name)
    found = session.scalars(select(Learner).where(Learner.search_key == search_key,
                                                  Learner.birth_year == p.birth_year).order_by(Learner.id))
    return [_describe(session, lr) for lr in found
            if (p.birth_date is None or lr.birth_date is None or lr.birth_date == p.birth_date)
            and (p.national_id is None or lr.national_id is None)]


def review_new(session: Session, class_code: str, fields: PersonFields, *, organisation_id: int | None = None,
               today: dt.date | None = None) -> LearnerReview:
    """What `create_learner` would refuse or ask about; writes nothing."""
    cls = get_class(session, class_code)
    p = _with_national_id(_clean_fields(fields))
    problems, warnings = check_person(p, reference=cls.start_date, today=today or dt.date.today())
    problems += _national_id_problems(session, fields.national_id, None)
    problems += _organisation_problems(session, organisation_id)
    return LearnerReview(problems, warnings, _possible_duplicates(session, p))


@operation("learners.create", permission="edit_roster")
def create_learner(session: Session, class_code: str, fields: PersonFields, *, organisation_id: int | None = None,
                   same_name_checked: bool = False, today: dt.date | None = None) -> Enrolment:
    """A person typed in by hand (one the import refused, say), enrolled in the class at once.

    Refused, with nothing written: what the import would refuse in a row (`rules.learner_fields`),
    a national ID another record has, and, unless `same_name_checked`, people of the same name and
    birth whose ID does not tell them apart (the person should look first: they may be the same)."""
    cls = get_class(session, class_code)
    review = review_new(session, class_code, fields, organisation_id=organisation_id, today=today)
    if review.problems:
        raise InputError(tr("learners", "Chưa thêm được học viên {name}.").format(name=fields.full_name or "?"),
                         review.problems)
    if review.duplicates and not same_name_checked:
        raise InputError(tr("learners", "Đã có người cùng họ tên và ngày sinh: {people}. Nếu là cùng một người, tìm và "
                                        "chọn họ ở \"Thêm học viên...\"; nếu là người khác, xác nhận để tạo hồ sơ "
                                        "mới.")
                         .format(people="; ".join(review.duplicates)))
    p = _with_national_id(_clean_fields(fields))
    assert p.birth_year is not None and p.gender is not None
    sort_key, search_key = person_keys(p.family_name, p.middle_name, p.given_name)
    person = Learner(
        family_name=p.family_name, middle_name=p.middle_name, given_name=p.given_name, birth_date=p.birth_date,
        birth_year=p.birth_year, gender=p.gender, ethnicity=p.ethnicity or "Kinh", national_id=p.national_id,
        place_of_birth=p.place_of_birth, hometown=p.hometown, party_member=p.party_member,
        party_join_date=p.party_join_date, position=p.position, organisation_id=organisation_id,
        education_level=p.education_level, theory_level=p.theory_level, phone=p.phone, sort_key=sort_key,
        search_key=search_key)
    enrolment = Enrolment(training_class=cls, learner=person, organisation_id=organisation_id, position=p.position)
    session.add(enrolment)
    session.flush()
    audit.record(session, action="learner.create", entity="learner", entity_id=person.id, field="record",
                 new={**p.__dict__, "organisation_id": organisation_id, "class": cls.code},
                 reason=tr("learners", "Thêm bằng tay vào lớp {code}").format(code=cls.code))
    return enrolment


def _current(person: Learner) -> PersonFields:
    return PersonFields(**{name: getattr(person, name) for name in PersonFields.__dataclass_fields__})


def _reference_day(session: Session, person: Learner, today: dt.date) -> dt.date:
    """The day a person's age is checked at: the start of their first class."""
    first = session.scalar(select(TrainingClass.start_date).join(Enrolment, Enrolment.class_id == TrainingClass.id)
                           .where(Enrolment.learner_id == person.id).order_by(TrainingClass.start_date).limit(1))
    return first or today


def _changes(person: Learner, changes: dict[str, Any]) -> tuple[PersonFields, dict[str, Any]]:
    """The record after `changes` (cleaned), and the fields that really change."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InputError(tr("learners", "Không sửa được các trường: {fields}.").format(fields=", ".join(sorted(unknown))))
    values = {name: value for name, value in changes.items() if name != "organisation_id"}
    if "birth_date" in values and values["birth_date"] is not None and "birth_year" not in values:
        values["birth_year"] = values["birth_date"].year
    after = _with_national_id(_clean_fields(PersonFields(**{**_current(person).__dict__, **values})))
    changed = {name: getattr(after, name) for name in values if getattr(after, name) != getattr(person, name)}
    if "organisation_id" in changes and changes["organisation_id"] != person.organisation_id:
        changed["organisation_id"] = changes["organisation_id"]
    return after, changed


def review_update(session: Session, learner_id: int, changes: dict[str, Any], *,
                  today: dt.date | None = None) -> LearnerReview:
    """What `update_learner` would refuse or ask about (only what the changes bring: a record
    is not refused for a value it already held); writes nothing."""
    person = session.get(Learner, learner_id)
    if person is None:
        raise NotFoundError(tr("learners", "Không tìm thấy học viên."))
    after, changed = _changes(person, changes)
    day = today or dt.date.today()
    reference = _reference_day(session, person, day)
    old_problems, old_warnings = check_person(_current(person), reference=reference, today=day)
    problems, warnings = check_person(after, reference=reference, today=day)
    seen = {p.message for p in old_problems}
    problems = [p for p in problems if p.message not in seen]
    problems += _national_id_problems(session, changes.get("national_id"), person.id) if "national_id" in changed else []
    problems += _organisation_problems(session, changed.get("organisation_id"))
    warned = {w.message for w in old_warnings}
    return LearnerReview(problems, [w for w in warnings if w.message not in warned])


@operation("learners.update", permission="edit_roster")
def update_learner(session: Session, /, learner_id: int, *, expected_version: int, reason: str | None = None,
                   today: dt.date | None = None, **changes: Any) -> Learner:
    """Edit a learner's record. `expected_version` is the version the person saw: if someone else saved
    in between, ConflictError instead of a silent overwrite. What the changes bring is checked as the
    import checks a row (`review_update`); a change of an identity field needs a reason and is
    audited, field by field. A corrected position or organisation also corrects the learner's
    enrolments in classes not yet finished that held the old one."""
    person = session.get(Learner, learner_id)
    if person is None:
        raise NotFoundError(tr("learners", "Không tìm thấy học viên."))
    if person.version != expected_version:
        raise ConflictError(tr("learners", "Hồ sơ của {name} vừa được người khác sửa. Hãy mở lại để xem bản mới "
                                           "nhất.").format(name=person.full_name))
    after, changed = _changes(person, changes)
    review = review_update(session, learner_id, changes, today=today)
    if review.problems:
        raise InputError(tr("learners", "Chưa lưu được hồ sơ của {name}.").format(name=person.full_name),
                         review.problems)
    clean_reason = text.clean(reason)
    identity = [name for name in IDENTITY_FIELDS if name in changed]
    if identity and not clean_reason:
        raise InputError(tr("learners", "Sửa {fields} của {name} cần ghi lý do (được ghi vào nhật ký).").format(
            fields=", ".join(tr("learners", FIELD_LABELS[n]) for n in identity), name=person.full_name))
    # The audit entries and the enrolments first, the record last: one UPDATE, one new version.
    others: dict[str, tuple[Any, Any]] = {}
    for name, value in changed.items():
        old = getattr(person, name)
        if name in IDENTITY_FIELDS:
            audit.record(session, action="learner.identity", entity="learner", entity_id=person.id, field=name,
                         old=old, new=value, reason=clean_reason)
        else:
            others[name] = (old, value)
    if others:
        audit.record(session, action="learner.update", entity="learner", entity_id=person.id, field="record",
                     old={n: o for n, (o, _v) in others.items()}, new={n: v for n, (_o, v) in others.items()},
                     reason=clean_reason)
    _correct_open_enrolments(session, person, others)
    for name, value in changed.items():
        setattr(person, name, value)
    refresh_keys(person)
    session.flush()
    return person


def _correct_open_enrolments(session: Session, person: Learner, others: dict[str, tuple[Any, Any]]) -> None:
    for name in ("position", "organisation_id"):
        if name not in others:
            continue
        old, new = others[name]
        column = Enrolment.position if name == "position" else Enrolment.organisation_id
        for enrolment in session.scalars(
                select(Enrolment).join(TrainingClass, Enrolment.class_id == TrainingClass.id)
                .where(Enrolment.learner_id == person.id, TrainingClass.status.in_(_OPEN_CLASSES),
                       column.is_(None) if old is None else column == old)):
            setattr(enrolment, name, new)
