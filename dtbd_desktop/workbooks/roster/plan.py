"""Planning an import: every row cleaned and checked, people and organisations matched.

`plan_import` writes nothing: it says what importing a table into a class would do, with
every problem found (sheet row, column, what to do).

Matching people (one record per person across a whole career):

* the same national ID is the same person. Empty fields of the stored record are filled from
  the list; identity fields that differ (name, birth date or year, gender) refuse the row,
  since the ID or the name is then wrong somewhere; other differing personal facts (ethnicity,
  places, Party date) keep the stored value and are reported as warnings. Position and
  organisation change over a career: the enrolment keeps the list's, the record fills only
  empty ones.
* the same folded name and birth date (or year, when either side has only the year), where
  the ID does not tell (the row or the stored record has none), is a *possible duplicate*: by
  default a new record is made and the pair is listed for a person to check, because merging
  two different people silently is worse than a duplicate that can be merged later.
  `link_duplicates=True` (or a {row: learner id} choice) makes the row use the stored record.
  Someone already in the class refuses the row either way, so importing a list twice adds
  nobody twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Enrolment, Learner, Organisation, TrainingClass
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.workbooks.roster.cleaning import ImportProblem, PersonData, RowCleaner, name_key
from dtbd_desktop.workbooks.roster.organisation_match import OrganisationMatcher, OrgNode, org_key
from dtbd_desktop.workbooks.roster.table import DetectedTable

T = TypeVar("T")
QUERY_CHUNK: Final = 500  # values per IN (...) query
_STABLE_FACTS: Final = {"ethnicity": "dân tộc", "place_of_birth": "nơi sinh", "hometown": "quê quán"}


@dataclass(frozen=True)
class PossibleDuplicate:
    row: int
    existing: str  # "Nguyễn Văn An, sinh 05/03/1985, CCCD 080085000123, các lớp: A48"
    learner_id: int
    linked: bool  # True: the row uses this record; False: a new record is made


@dataclass
class PlannedRow:
    person: PersonData
    learner_id: int | None = None  # the stored record it uses, None for a new one
    organisation_key: str | None = None  # key into ImportPlan.organisations / new_organisations
    organisation_id: int | None = None
    position: str | None = None


@dataclass
class ImportPlan:
    class_code: str
    class_id: int
    table: DetectedTable
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    possible_duplicates: list[PossibleDuplicate] = field(default_factory=list)
    new_organisations: dict[str, str] = field(default_factory=dict)  # key -> name as typed
    converted_legacy: int = 0
    matcher: OrganisationMatcher | None = field(default=None, repr=False)

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.row is not None}

    @property
    def file_problems(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.row is None]

    @property
    def good_rows(self) -> list[PlannedRow]:
        bad = self.bad_rows
        return [r for r in self.rows if r.person.row not in bad]


@dataclass
class ImportResult:
    file: str
    sheet: str
    class_code: str
    rows_read: int
    imported: int
    rejected: list[ImportProblem]
    warnings: list[ImportProblem]
    converted_legacy: int
    possible_duplicates: list[PossibleDuplicate]
    new_organisations: list[str]
    refused: bool
    dry_run: bool
    new_learners: int = 0
    existing_learners: int = 0

    def as_json(self) -> dict[str, Any]:
        """CLI.md's document, with a few extra keys."""
        return {
            "imported": self.imported,
            "rejected": [p.as_dict() for p in self.rejected],
            "converted_legacy": self.converted_legacy,
            "possible_duplicates": [{"row": d.row, "existing": d.existing} for d in self.possible_duplicates],
            "refused": self.refused,
            "dry_run": self.dry_run,
            "file": self.file,
            "sheet": self.sheet,
            "class": self.class_code,
            "rows": self.rows_read,
            "new_learners": self.new_learners,
            "existing_learners": self.existing_learners,
            "new_organisations": self.new_organisations,
            "warnings": [p.as_dict() for p in self.warnings],
        }


def chunks(items: Sequence[T], size: int = QUERY_CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _same_birth(person: PersonData, learner: Learner) -> bool:
    if person.birth_year != learner.birth_year:
        return False
    return person.birth_date is None or learner.birth_date is None or person.birth_date == learner.birth_date


def _describe(learner: Learner, classes: list[str]) -> str:
    birth = text.format_date(learner.birth_date) if learner.birth_date else str(learner.birth_year)
    nid = (tr("roster_import", "CCCD {id}").format(id=learner.national_id) if learner.national_id
           else tr("roster_import", "chưa có CCCD"))
    where = (tr("roster_import", "các lớp: {classes}").format(classes=", ".join(classes)) if classes
             else tr("roster_import", "chưa học lớp nào"))
    return tr("roster_import", "{name}, sinh {birth}, {id}, {classes}").format(
        name=learner.full_name, birth=birth, id=nid, classes=where)


class _Planner:
    def __init__(self, session: Session, cls: TrainingClass, table: DetectedTable, *, create_organisations: bool,
                 link_duplicates: bool | Mapping[int, int], today: dt.date | None) -> None:
        self.s = session
        self.cls = cls
        self.table = table
        self.create_organisations = create_organisations
        self.link_duplicates = link_duplicates
        self.cleaner = RowCleaner(table, cls.start_date, today)
        self.plan = ImportPlan(cls.code, cls.id, table)

    def problem(self, person: PersonData | None, row: int | None, field_name: str | None, message: str,
                *, warning: bool = False) -> None:
        col = self.table.column_for(field_name) if field_name else None
        problem = ImportProblem(message, row=row, column=col.label if col else None, field=field_name,
                                cell=f"{col.letter}{row}" if col and row else None)
        (self.plan.warnings if warning else self.plan.problems).append(problem)

    def run(self) -> ImportPlan:
        t = self.table
        for number in t.stray_rows:
            self.problem(None, number, None, tr(
                "roster_import", "Dòng {row} có vẻ là một học viên nhưng nằm ngoài bảng (bảng kết thúc ở dòng {end}): "
                                 "xóa dòng trống hoặc dòng ghi chú xen giữa danh sách, rồi nhập lại.").format(
                    row=number, end=t.end_row))
        if not t.rows:
            self.problem(None, None, None, tr(
                "roster_import", "Tệp {file} không có dòng học viên nào dưới dòng tiêu đề (dòng {header}) của trang "
                                 "'{sheet}': kiểm tra lại tệp.").format(
                    file=t.file_name, header=t.header_rows[-1], sheet=t.sheet))
            return self.plan
        people = [self.cleaner.clean(row) for row in t.rows]
        for person in people:
            self.plan.problems += person.problems
            self.plan.warnings += person.warnings
            self.plan.converted_legacy += person.converted
        self._duplicates_in_file(people)
        self._match_people(people)
        self._match_organisations()
        self.plan.problems.sort(key=lambda p: (p.row or 0, p.cell or ""))
        self.plan.warnings.sort(key=lambda p: (p.row or 0, p.cell or ""))
        return self.plan

    def _duplicates_in_file(self, people: list[PersonData]) -> None:
        by_id: dict[str, int] = {}
        by_name: dict[tuple[str, int | None, dt.date | None], int] = {}
        for p in people:
            if p.national_id:
                if p.national_id in by_id:
                    self.problem(p, p.row, "national_id", tr(
                        "roster_import", "Số CCCD {id} trùng với dòng {first}: một người chỉ ghi một lần; kiểm tra "
                                         "lại số CCCD của hai dòng.").format(id=p.national_id, first=by_id[p.national_id]))
                else:
                    by_id[p.national_id] = p.row
            elif p.given and p.birth_year:
                key = (p.name_key, p.birth_year, p.birth_date)
                if key in by_name:
                    self.problem(p, p.row, "full_name" if "full_name" in self.table.mapping else "given", tr(
                        "roster_import", "Cùng họ tên và ngày sinh với dòng {first}: kiểm tra xem có ghi một người hai "
                                         "lần không.").format(first=by_name[key]), warning=True)
                else:
                    by_name[key] = p.row

    def _load(self, people: list[PersonData]) -> tuple[dict[str, Learner], dict[str, list[Learner]]]:
        ids = sorted({p.national_id for p in people if p.national_id})
        by_id: dict[str, Learner] = {}
        for chunk in chunks(ids):
            for learner in self.s.scalars(select(Learner).where(Learner.national_id.in_(chunk))):
                assert learner.national_id is not None
                by_id[learner.national_id] = learner
        # Possible duplicates have the same name and birth year (_same_birth): only those are loaded
        search_keys = sorted({p.search_key for p in people if p.given and p.birth_year})
        years = sorted({p.birth_year for p in people if p.given and p.birth_year})
        by_name: dict[str, list[Learner]] = {}
        for chunk in chunks(search_keys):
            for learner in self.s.scalars(select(Learner).where(Learner.search_key.in_(chunk),
                                                               Learner.birth_year.in_(years))):
                by_name.setdefault(learner.search_key, []).append(learner)
        return by_id, by_name

    def _classes_of(self, learner_ids: Iterable[int]) -> dict[int, list[str]]:
        result: dict[int, list[str]] = {}
        ids = sorted(set(learner_ids))
        for chunk in chunks(ids):
            for learner_id, code in self.s.execute(
                    select(Enrolment.learner_id, TrainingClass.code).join(TrainingClass)
                    .where(Enrolment.learner_id.in_(chunk)).order_by(TrainingClass.start_date)):
                result.setdefault(learner_id, []).append(code)
        return result

    def _match_people(self, people: list[PersonData]) -> None:
        by_id, by_name = self._load(people)
        # Stored people by name and birth year, each name's key worked out once
        by_key: dict[tuple[str, str, int | None], list[Learner]] = {}
        for search_key, stored in by_name.items():
            for lr in stored:
                by_key.setdefault((search_key, name_key(lr.sort_key), lr.birth_year), []).append(lr)
        candidates: dict[int, list[Learner]] = {}
        for p in people:
            if p.given and p.birth_year:
                candidates[p.row] = [
                    lr for lr in by_key.get((p.search_key, p.name_key, p.birth_year), [])
                    if _same_birth(p, lr) and (p.national_id is None or lr.national_id is None)]
        known = [lr.id for lr in by_id.values()] + [lr.id for c in candidates.values() for lr in c]
        classes = self._classes_of(known)
        in_class = {lid for lid, codes in classes.items() if self.cls.code in codes}
        for p in people:
            planned = PlannedRow(p)
            self.plan.rows.append(planned)
            if p.problems:
                continue
            learner = by_id.get(p.national_id) if p.national_id else None
            if learner is not None:
                self._same_id(planned, learner, learner.id in in_class)
                continue
            found = candidates.get(p.row, [])
            enrolled = [lr for lr in found if lr.id in in_class]
            if enrolled:
                self.problem(p, p.row, self._name_field(), tr(
                    "roster_import", "Học viên này đã có trong lớp {code} ({existing}): xóa dòng này khỏi tệp.")
                    .format(code=self.cls.code, existing=_describe(enrolled[0], classes.get(enrolled[0].id, []))))
                continue
            choice = self.link_duplicates.get(p.row) if isinstance(self.link_duplicates, Mapping) else None
            for lr in found:
                linked = choice == lr.id or (self.link_duplicates is True and len(found) == 1)
                self.plan.possible_duplicates.append(
                    PossibleDuplicate(p.row, _describe(lr, classes.get(lr.id, [])), lr.id, linked))
                if linked:
                    planned.learner_id = lr.id
                    self._compare_facts(p, lr)

    def _name_field(self) -> str:
        return "full_name" if "full_name" in self.table.mapping else "given"

    def _same_id(self, planned: PlannedRow, learner: Learner, enrolled: bool) -> None:
        p = planned.person
        differences = []
        if p.name_key != name_key(learner.sort_key):
            differences.append(tr("roster_import", "họ tên '{name}'").format(name=learner.full_name))
        if not _same_birth(p, learner):
            birth = text.format_date(learner.birth_date) if learner.birth_date else str(learner.birth_year)
            differences.append(tr("roster_import", "ngày sinh {birth}").format(birth=birth))
        if p.gender != learner.gender:
            differences.append(tr("roster_import", "giới tính {gender}").format(gender=text.gender_label(learner.gender)))
        if differences:
            self.problem(p, p.row, "national_id", tr(
                "roster_import", "Số CCCD {id} đã thuộc hồ sơ học viên có {stored}, khác với dòng này: kiểm tra lại số "
                                 "CCCD; nếu hồ sơ đã lưu bị sai, sửa hồ sơ đó ở mục Học viên (tìm số CCCD, mở hồ "
                                 "sơ, sửa rồi bấm Lưu) rồi nhập lại.").format(
                    id=p.national_id, stored="; ".join(differences)))
            return
        if enrolled:
            self.problem(p, p.row, "national_id", tr(
                "roster_import", "Học viên {name} (CCCD {id}) đã có trong lớp {code}: xóa dòng này khỏi tệp.").format(
                    name=learner.full_name, id=p.national_id, code=self.cls.code))
            return
        planned.learner_id = learner.id
        self._compare_facts(p, learner)

    def _compare_facts(self, p: PersonData, learner: Learner) -> None:
        for name, label in _STABLE_FACTS.items():
            new, old = getattr(p, name), getattr(learner, name)
            if new and old and text.fold(new) != text.fold(old):
                self.problem(p, p.row, name, tr(
                    "roster_import", "Hồ sơ đã lưu của {person} ghi {label} '{old}', tệp ghi '{new}': giữ giá trị đã "
                                     "lưu; nếu cần, sửa ở mục Học viên.").format(
                        person=learner.full_name, label=tr("roster_import", label), old=old, new=new), warning=True)

    def _match_organisations(self) -> None:
        nodes = [OrgNode(*row) for row in self.s.execute(
            select(Organisation.id, Organisation.name, Organisation.short_name, Organisation.parent_id,
                   Organisation.level))]
        matcher = OrganisationMatcher(nodes)
        self.plan.matcher = matcher
        for planned in self.plan.rows:
            p = planned.person
            planned.position = p.position
            if p.position_organisation:
                position, org_id = matcher.split_position(p.position_organisation)
                planned.organisation_id = org_id
                if p.position is None and len(position) > 200:
                    self.problem(p, p.row, "position_organisation", tr(
                        "roster_import", "Chức vụ dài {n} ký tự, quá 200 ký tự cho phép: rút gọn lại.").format(
                            n=len(position)))
                planned.position = p.position or position
            if not p.organisation:
                continue
            planned.organisation_id = None  # the organisation column says it better than the combined one
            found = matcher.match(p.organisation)
            if found is not None and found.organisation_id is not None:
                planned.organisation_id = found.organisation_id
            elif found is not None:
                self.problem(p, p.row, "organisation", tr(
                    "roster_import", "Đơn vị '{name}' có thể là một trong: {names}; chưa gán đơn vị: ghi rõ tên đầy đủ "
                                     "(kèm huyện, tỉnh), hoặc gán sau ở mục Học viên.").format(
                        name=p.organisation, names="; ".join(found.ambiguous)), warning=True)
            else:
                key = org_key(p.organisation)
                self.plan.new_organisations.setdefault(key, p.organisation)
                planned.organisation_key = key
                if not self.create_organisations:
                    self.problem(p, p.row, "organisation", tr(
                        "roster_import", "Đơn vị '{name}' chưa có trong danh mục đơn vị: chưa gán đơn vị cho học viên "
                                         "này; thêm đơn vị ở mục Đơn vị rồi gán sau.").format(name=p.organisation),
                        warning=True)


def plan_import(session: Session, class_code: str, table: DetectedTable, *, create_organisations: bool = True,
                link_duplicates: bool | Mapping[int, int] = False, today: dt.date | None = None) -> ImportPlan:
    """What importing `table` into class `class_code` would do, with every problem; writes nothing."""
    cls = get_class(session, class_code)
    planner = _Planner(session, cls, table, create_organisations=create_organisations,
                       link_duplicates=link_duplicates, today=today)
    return planner.run()

