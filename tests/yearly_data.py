"""A small centre over 2024–2025 whose yearly figures are worked out by hand in the tests.

Organisations (the tree the statistics roll up):

    Tỉnh Long An (province)
    ├── Huyện Bến Lức (district)
    │   ├── Xã Mỹ Yên (commune)          "C1"
    │   ├── Xã Lương Hòa (commune)       "C2"
    │   └── Ban Tổ chức Huyện ủy Bến Lức (agency under the district)   "DA"
    └── Sở Nội vụ tỉnh Long An (agency under the province)             "PA"

Plan 2025: SC 2 classes / 100 learners, TC 1 / 10, DVM 1 / 30.

Classes (all full-time but TC24):

    SC24   SC   01/09/2024–15/10/2024  Trung tâm Chính trị huyện Bến Lức   4 learners (L11–L14)
    TC24   TC   01/09/2024–20/12/2025  Trường Chính trị tỉnh (part-time)   3 learners (L15–L17): carried into 2025
    SC25   SC   01/03/2025–15/04/2025  Trung tâm Chính trị huyện Bến Lức   L1–L4 (L4 withdrew: still counted)
                                                                           and L5 (transferred: not counted)
    DVM25  DVM  01/06/2025–10/06/2025  Trường Chính trị tỉnh               L6–L8
    SC25B  SC   20/11/2025–20/12/2025  Trung tâm Chính trị huyện Bến Lức   L9–L10

Learners of 2025 (gender, ethnicity, born, Party member, organisation):

    L1  Nữ   Kinh   1995  yes  C1      L6  Nữ   Hoa    2000  yes  PA
    L2  Nam  Khmer  1990  yes  C1      L7  Nam  Kinh   1992  no   C2
    L3  Nữ   Kinh   1980  no   C2      L8  Nữ   Kinh   1975  yes  (none)
    L4  Nam  Kinh   1970  yes  DA      L9  Nam  Kinh   1988  yes  Huyện Bến Lức
    L5  Nam  Kinh   1985  yes  PA      L10 Nữ   Kinh   1996  no   C1

Graduation results: SC25: L1 Giỏi, L2 Khá, L3 Khá, L4 not eligible; DVM25: L6 Đạt, L7 Đạt,
L8 not eligible.

Timetable (lecturers A "Nguyễn Văn Giảng", full-time, and B "Trần Thị Mời", guest):

    TC24   02/12/2024 morning  TC I.1  A  5 periods  lesson     (2024: not in 2025's figures)
    TC24   06/01/2025 morning  TC I.2  B  5 periods  lesson
    SC25   03/03/2025 morning  SC I.1  A  5 periods  lesson
    SC25   03/03/2025 afternoon SC I.1 A  5 periods  lesson
    SC25   04/03/2025 morning  SC I.2  B  4 periods  field trip
    SC25   10/04/2025 morning  SC I.3  -  2 periods  exam       (no lecturer: paid to nobody)
    DVM25  02/06/2025 morning  DVM B1  A  5 periods  lesson
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import (
    AnnualPlan,
    ClassSession,
    Enrolment,
    GraduationResult,
    Learner,
    Lecturer,
    Module,
    Organisation,
    Programme,
)
from dtbd_desktop.services.classes import create_class
from dtbd_desktop.services.learners import person_keys

D = dt.date


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    gender: str
    ethnicity: str
    born: int
    party: bool
    org: str | None
    national_id: str


PEOPLE_2025 = [
    Person("L1", "Nguyễn Thị Lan", "F", "Kinh", 1995, True, "C1", "080195000001"),
    Person("L2", "Thạch Văn Sang", "M", "Khmer", 1990, True, "C1", "080090000002"),
    Person("L3", "Lê Thị Hoa", "F", "Kinh", 1980, False, "C2", "080180000003"),
    Person("L4", "Phạm Văn Bốn", "M", "Kinh", 1970, True, "DA", "080070000004"),
    Person("L5", "Võ Văn Năm", "M", "Kinh", 1985, True, "PA", "080085000005"),
    Person("L6", "Lâm Mỹ Linh", "F", "Hoa", 2000, True, "PA", "080200000006"),
    Person("L7", "Đỗ Văn Bảy", "M", "Kinh", 1992, False, "C2", "080092000007"),
    Person("L8", "Trần Thị Tám", "F", "Kinh", 1975, True, None, "080175000008"),
    Person("L9", "Huỳnh Văn Chín", "M", "Kinh", 1988, True, "D", "080088000009"),
    Person("L10", "Mai Thị Mười", "F", "Kinh", 1996, False, "C1", "080196000010"),
]
PEOPLE_2024 = [Person(f"L{n}", f"Học Viên Số {n}", "M", "Kinh", 1980, True, "C1", f"0800800000{n}")
               for n in range(11, 18)]


def _person(s: object, p: Person, orgs: dict[str, int]) -> Learner:
    family, *middle, given = p.name.split(" ")
    sort_key, search_key = person_keys(family, " ".join(middle), given)
    learner = Learner(family_name=family, middle_name=" ".join(middle), given_name=given, birth_year=p.born,
                      birth_date=D(p.born, 6, 15), gender=p.gender, ethnicity=p.ethnicity, national_id=p.national_id,
                      party_member=p.party, organisation_id=orgs[p.org] if p.org else None, sort_key=sort_key,
                      search_key=search_key)
    s.add(learner)  # type: ignore[attr-defined]
    return learner


def _org(s: object, name: str, level: str, parent: int | None) -> int:
    org = Organisation(name=name, level=level, parent_id=parent, search_key=name.lower())
    s.add(org)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    return org.id


def _module(s: object, programme: str, code: str) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    mid = s.scalar(select(Module.id).join(Programme).where(Programme.code == programme, Module.code == code))
    assert mid is not None
    return mid


def build(db: Database) -> dict[str, int]:
    """Build the centre; returns ids by key (organisations, classes, enrolments "E-L1"...,
    lecturers "A", "B")."""
    ids: dict[str, int] = {}
    with db.write(raw=True) as s:
        ids["P"] = _org(s, "Tỉnh Long An", "province", None)
        ids["D"] = _org(s, "Huyện Bến Lức", "district", ids["P"])
        ids["C1"] = _org(s, "Xã Mỹ Yên", "commune", ids["D"])
        ids["C2"] = _org(s, "Xã Lương Hòa", "commune", ids["D"])
        ids["DA"] = _org(s, "Ban Tổ chức Huyện ủy Bến Lức", "agency", ids["D"])
        ids["PA"] = _org(s, "Sở Nội vụ tỉnh Long An", "agency", ids["P"])
        for key, family, middle, given, kind in (("A", "Nguyễn", "Văn", "Giảng", "full_time"),
                                                ("B", "Trần", "Thị", "Mời", "guest")):
            sort_key, search_key = person_keys(family, middle, given)
            lec = Lecturer(family_name=family, middle_name=middle, given_name=given, kind=kind, sort_key=sort_key,
                           search_key=search_key)
            s.add(lec)
            s.flush()
            ids[key] = lec.id
        programmes = dict(s.execute(select(Programme.code, Programme.id)).all())
        for code, classes, learners in (("SC", 2, 100), ("TC", 1, 10), ("DVM", 1, 30)):
            s.add(AnnualPlan(year=2025, programme_id=programmes[code], target_classes=classes,
                             target_learners=learners))
        centre, school = "Trung tâm Chính trị huyện Bến Lức", "Trường Chính trị tỉnh"
        for code, programme, start, end, venue, mode in (
                ("SC24", "SC", D(2024, 9, 1), D(2024, 10, 15), centre, "full-time"),
                ("TC24", "TC", D(2024, 9, 1), D(2025, 12, 20), school, "part-time"),
                ("SC25", "SC", D(2025, 3, 1), D(2025, 4, 15), centre, "full-time"),
                ("DVM25", "DVM", D(2025, 6, 1), D(2025, 6, 10), school, "full-time"),
                ("SC25B", "SC", D(2025, 11, 20), D(2025, 12, 20), centre, "full-time")):
            ids[code] = create_class(s, code=code, programme=programme, start=start, end=end, venue=venue,
                                     mode=mode).id
        members = {"SC24": PEOPLE_2024[:4], "TC24": PEOPLE_2024[4:], "SC25": PEOPLE_2025[:5],
                   "DVM25": PEOPLE_2025[5:8], "SC25B": PEOPLE_2025[8:]}
        statuses = {"L4": "withdrawn", "L5": "transferred"}
        for code, people in members.items():
            for p in people:
                learner = _person(s, p, ids)
                s.flush()
                e = Enrolment(class_id=ids[code], learner_id=learner.id, organisation_id=learner.organisation_id,
                              status=statuses.get(p.key, "enrolled"))
                s.add(e)
                s.flush()
                ids[f"E-{p.key}"] = e.id
        for key, eligible, classification in (("L1", True, "Giỏi"), ("L2", True, "Khá"), ("L3", True, "Khá"),
                                              ("L4", False, None), ("L6", True, "Đạt"), ("L7", True, "Đạt"),
                                              ("L8", False, "Không đạt")):
            s.add(GraduationResult(enrolment_id=ids[f"E-{key}"], eligible=eligible, classification=classification,
                                   reasons=[]))
        for code, day, half, programme, module, lecturer, periods, kind in (
                ("TC24", D(2024, 12, 2), "morning", "TC", "I.1", "A", 5, "lesson"),
                ("TC24", D(2025, 1, 6), "morning", "TC", "I.2", "B", 5, "lesson"),
                ("SC25", D(2025, 3, 3), "morning", "SC", "I.1", "A", 5, "lesson"),
                ("SC25", D(2025, 3, 3), "afternoon", "SC", "I.1", "A", 5, "lesson"),
                ("SC25", D(2025, 3, 4), "morning", "SC", "I.2", "B", 4, "field_trip"),
                ("SC25", D(2025, 4, 10), "morning", "SC", "I.3", None, 2, "exam"),
                ("DVM25", D(2025, 6, 2), "morning", "DVM", "B1", "A", 5, "lesson")):
            s.add(ClassSession(class_id=ids[code], date=day, half=half, module_id=_module(s, programme, module),
                               lecturer_id=ids[lecturer] if lecturer else None, periods=periods, kind=kind))
    return ids
