"""Writing a checked plan: new learners and enrolments in a few multi-row statements.

`write_plan` runs inside the caller's unit of work (`Database.write()`), so an error part-way
rolls everything back. Stored records only get their empty fields filled; identity fields
filled that way are audited like an edit; the import itself is one audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Enrolment, Learner
from dtbd_desktop.services.learners import IDENTITY_FIELDS
from dtbd_desktop.services.organisations import save_organisation
from dtbd_desktop.trust import audit
from dtbd_desktop.workbooks.roster.cleaning import PersonData
from dtbd_desktop.workbooks.roster.organisation_match import OrganisationMatcher, level_for_new
from dtbd_desktop.workbooks.roster.plan import ImportPlan, PlannedRow, chunks

CHUNK: Final = 500  # rows per INSERT statement
Progress = Callable[[int, int, str], None]


def _learner_values(p: PersonData, organisation_id: int | None, position: str | None) -> dict[str, Any]:
    assert p.birth_year is not None and p.gender is not None
    return {
        "family_name": p.family, "middle_name": p.middle, "given_name": p.given, "birth_date": p.birth_date,
        "birth_year": p.birth_year, "gender": p.gender, "ethnicity": p.ethnicity, "national_id": p.national_id,
        "place_of_birth": p.place_of_birth, "hometown": p.hometown,
        "party_member": True if p.party_join_date is not None else None,  # no date: the list said nothing
        "party_join_date": p.party_join_date, "position": position, "organisation_id": organisation_id,
        "education_level": p.education_level, "theory_level": p.theory_level, "phone": p.phone,
        "sort_key": p.sort_key, "search_key": p.search_key,
    }


def _insert_learners(session: Session, values: list[dict[str, Any]]) -> list[int]:
    """New learners in one statement (many rows); their ids in the order given."""
    if not values:
        return []
    stmt = insert(Learner).returning(Learner.id, sort_by_parameter_order=True)
    return list(session.scalars(stmt, values))


def _insert_enrolments(session: Session, values: list[dict[str, Any]]) -> None:
    if values:
        session.execute(insert(Enrolment), values)


def _fill_empty(session: Session, learner: Learner, p: PersonData, organisation_id: int | None,
                position: str | None, reason: str) -> None:
    """Fill the stored record's empty fields; never overwrite what it holds. Identity fields
    filled are audited, as `services.learners.update_learner` does."""
    values: dict[str, Any] = {
        "national_id": p.national_id, "place_of_birth": p.place_of_birth, "hometown": p.hometown,
        "position": position, "education_level": p.education_level, "theory_level": p.theory_level, "phone": p.phone}
    if learner.birth_date is None and p.birth_date is not None and p.birth_year == learner.birth_year:
        values["birth_date"] = p.birth_date
    for name, value in values.items():
        if getattr(learner, name) in (None, "") and value:
            if name in IDENTITY_FIELDS:
                audit.record(session, action="learner.identity", entity="learner", entity_id=learner.id, field=name,
                             old=None, new=value, reason=reason)
            setattr(learner, name, value)
    if learner.organisation_id is None and organisation_id is not None:
        learner.organisation_id = organisation_id
    if learner.party_join_date is None and p.party_join_date is not None:
        learner.party_join_date, learner.party_member = p.party_join_date, True


def _create_organisations(session: Session, plan: ImportPlan, rows: list[PlannedRow]) -> dict[str, int]:
    matcher = plan.matcher or OrganisationMatcher([])
    created: dict[str, int] = {}
    for key in sorted({r.organisation_key for r in rows if r.organisation_key}):
        name = plan.new_organisations[key]
        org = save_organisation(session, name=name, level=level_for_new(name), block="other",
                                parent_id=matcher.parent_for_new(name))
        created[key] = org.id
    return created


def write_plan(session: Session, plan: ImportPlan, *, create_organisations: bool = True,
               progress: Progress | None = None) -> tuple[int, int]:
    """Write the plan's good rows in `session` (the caller's unit of work), CHUNK rows per
    statement. Returns (new learners, existing learners)."""
    rows = plan.good_rows
    reason = tr("roster_import", "Nhập danh sách {file} vào lớp {code}").format(
        file=plan.table.file_name, code=plan.class_code)
    created = _create_organisations(session, plan, rows) if create_organisations else {}
    existing_ids = sorted({r.learner_id for r in rows if r.learner_id is not None})
    existing: dict[int, Learner] = {}
    for ids in chunks(existing_ids):
        existing.update({lr.id: lr for lr in session.scalars(select(Learner).where(Learner.id.in_(ids)))})
    new = 0
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        orgs = [r.organisation_id or (created.get(r.organisation_key) if r.organisation_key else None) for r in chunk]
        fresh = [(r, org) for r, org in zip(chunk, orgs, strict=True) if r.learner_id is None]
        new_ids = iter(_insert_learners(session, [_learner_values(r.person, org, r.position) for r, org in fresh]))
        new += len(fresh)
        enrolments = []
        for planned, org in zip(chunk, orgs, strict=True):
            if planned.learner_id is None:
                learner_id = next(new_ids)
            else:
                learner_id = planned.learner_id
                _fill_empty(session, existing[learner_id], planned.person, org, planned.position, reason)
            enrolments.append({"class_id": plan.class_id, "learner_id": learner_id, "organisation_id": org,
                               "position": planned.position})
        _insert_enrolments(session, enrolments)
        if progress:
            done = start + len(chunk)
            progress(done, len(rows), tr("roster_import", "Đã ghi {n}/{total} học viên").format(n=done, total=len(rows)))
    session.flush()
    audit.record(session, action="roster.import", entity="class", entity_id=plan.class_id, field="enrolments",
                 new={"file": plan.table.file_name, "sheet": plan.table.sheet, "imported": len(rows), "new_learners": new,
                      "rejected_rows": sorted(plan.bad_rows)}, reason=reason)
    return new, len(rows) - new

