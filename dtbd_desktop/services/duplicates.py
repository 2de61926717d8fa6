"""People seen across the years: the possible duplicates imports proposed, reviewed by a person.

An import that finds the same name and birth date as a stored record, with no national ID to
tell them apart, makes a new record and proposes the pair (`PossibleDuplicate`). Here a person:

* **merges** the pair: the other record's enrolments (with their results and documents) move to
  the kept record, its empty fields are filled from the other (a national ID among them), and
  the other record is removed; what undoing needs (the removed record, what moved, what was
  filled) is kept with the pair;
* **undoes** a merge that is not confirmed yet: the record comes back with its own id and fields,
  its enrolments go back to it, the filled fields are emptied again;
* **confirms** a merge: it can no longer be undone (the kept data is dropped);
* **dismisses** the pair: two different people.

Every step is an audited operation (permission "edit_roster"), refused when the pair is not in
the state it needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, InputError, NotFoundError
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import Enrolment, Learner, PossibleDuplicate, TrainingClass
from dtbd_desktop.trust import audit
from dtbd_desktop.trust.operations import operation

STATUS_LABELS = {"open": tr_noop("duplicates", "Chờ xem xét"), "merged": tr_noop("duplicates", "Đã gộp (hoàn tác được)"),
                 "confirmed": tr_noop("duplicates", "Đã gộp, đã xác nhận"),
                 "dismissed": tr_noop("duplicates", "Hai người khác nhau")}
_FILL = ("national_id", "birth_date", "place_of_birth", "hometown", "position", "organisation_id", "education_level",
         "theory_level", "phone", "party_join_date")
_RECORD = ("id", "family_name", "middle_name", "given_name", "birth_date", "birth_year", "gender", "ethnicity",
           "national_id", "place_of_birth", "hometown", "party_member", "party_join_date", "position", "organisation_id",
           "education_level", "theory_level", "phone", "sort_key", "search_key")


@dataclass(frozen=True)
class Person:
    id: int | None
    full_name: str
    birth_text: str
    national_id: str | None
    classes: tuple[str, ...]


@dataclass(frozen=True)
class DuplicatePair:
    id: int
    status: str
    source: str
    kept: Person
    other: Person
    version: int

    @property
    def status_label(self) -> str:
        return tr("duplicates", STATUS_LABELS.get(self.status, self.status))

    def as_json(self) -> dict[str, Any]:
        def person(p: Person) -> dict[str, Any]:
            return {"id": p.id, "full_name": p.full_name, "birth": p.birth_text, "national_id": p.national_id,
                    "classes": list(p.classes)}

        return {"id": self.id, "status": self.status, "source": self.source, "kept": person(self.kept),
                "other": person(self.other)}


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _classes(session: Session, learner_id: int) -> tuple[str, ...]:
    return tuple(session.scalars(select(TrainingClass.code).join(Enrolment).where(Enrolment.learner_id == learner_id)
                                 .order_by(TrainingClass.start_date)))


def _person(session: Session, learner_id: int, snapshot: dict[str, Any] | None) -> Person:
    learner = session.get(Learner, learner_id)
    if learner is not None:
        birth = text.format_date(learner.birth_date) if learner.birth_date else str(learner.birth_year)
        return Person(learner.id, learner.full_name, birth, learner.national_id, _classes(session, learner.id))
    record = (snapshot or {}).get("record", {})
    name = text.join_name(record.get("family_name", ""), record.get("middle_name", ""), record.get("given_name", ""))
    birth_date = _date(record.get("birth_date"))
    birth = text.format_date(birth_date) if birth_date else str(record.get("birth_year", ""))
    return Person(None, name or "?", birth, record.get("national_id"), ())


def _pair(session: Session, row: PossibleDuplicate) -> DuplicatePair:
    return DuplicatePair(row.id, row.status, row.source or "", _person(session, row.learner_id, None),
                         _person(session, row.other_id, row.merged), row.version)


def list_pairs(session: Session, *, include_closed: bool = False) -> list[DuplicatePair]:
    """The pairs to review (and, with `include_closed`, those decided), oldest first."""
    stmt = select(PossibleDuplicate).order_by(PossibleDuplicate.id)
    if not include_closed:
        stmt = stmt.where(PossibleDuplicate.status.in_(("open", "merged")))
    return [_pair(session, row) for row in session.scalars(stmt)]


def _get(session: Session, pair_id: int, expected_version: int | None, wanted: str) -> PossibleDuplicate:
    row = session.scalar(select(PossibleDuplicate).where(PossibleDuplicate.id == pair_id).with_for_update()
                         .execution_options(populate_existing=True))
    if row is None:
        raise NotFoundError(tr("duplicates", "Không có cặp hồ sơ số {id}.").format(id=pair_id))
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(tr("duplicates", "Cặp hồ sơ số {id} vừa được người khác xử lý; hãy tải lại.").format(
            id=pair_id))
    if row.status != wanted:
        raise InputError(tr("duplicates", "Cặp hồ sơ số {id} đang ở trạng thái '{status}': không làm việc này được.")
                         .format(id=pair_id, status=tr("duplicates", STATUS_LABELS.get(row.status, row.status))))
    return row


def _who(session: Session) -> str | None:
    return getattr(session.info.get(audit.ACTOR_KEY), "username", None)


@operation("learners.merge", permission="edit_roster")
def merge(session: Session, pair_id: int, *, expected_version: int | None = None) -> DuplicatePair:
    """Make the pair one person (see the module's docstring); undoable until confirmed."""
    row = _get(session, pair_id, expected_version, "open")
    kept, other = session.get(Learner, row.learner_id), session.get(Learner, row.other_id)
    if kept is None or other is None:
        raise InputError(tr("duplicates", "Một trong hai hồ sơ của cặp số {id} không còn: bỏ qua cặp này.").format(
            id=pair_id))
    if kept.national_id and other.national_id and kept.national_id != other.national_id:
        raise InputError(tr("duplicates", "Hai hồ sơ có số CCCD khác nhau ({a}, {b}): là hai người, không gộp được.")
                         .format(a=kept.national_id, b=other.national_id))
    shared = set(_classes(session, kept.id)) & set(_classes(session, other.id))
    if shared:
        raise InputError(tr("duplicates", "Hai hồ sơ cùng học lớp {code}: là hai người, không gộp được.").format(
            code=", ".join(sorted(shared))))
    record = {name: _value(getattr(other, name)) for name in _RECORD}
    moved = list(session.scalars(select(Enrolment.id).where(Enrolment.learner_id == other.id)))
    filled = {name: _value(getattr(other, name)) for name in _FILL
              if getattr(kept, name) in (None, "") and getattr(other, name) not in (None, "")}
    session.execute(update(Enrolment).where(Enrolment.id.in_(moved)).values(learner_id=kept.id)
                    .execution_options(synchronize_session=False))
    for pair in session.scalars(select(PossibleDuplicate).where(PossibleDuplicate.id != row.id,
                                                                PossibleDuplicate.status == "open")):
        if other.id in (pair.learner_id, pair.other_id):
            pair.status = "dismissed"  # the other record is gone: what it was proposed with is reviewed anew
    session.expire(other, ["enrolments"])  # they belong to the kept record now
    session.delete(other)
    session.flush()
    for name, value in filled.items():
        setattr(kept, name, _date(value) if name in ("birth_date", "party_join_date") else value)
    row.status, row.merged, row.decided_by = "merged", {"record": record, "enrolments": moved, "filled": filled}, \
        _who(session)
    session.flush()
    audit.record(session, action="learners.merge", entity="learner", entity_id=kept.id,
                 old={"other": record["id"], "name": text.join_name(record["family_name"], record["middle_name"],
                                                                    record["given_name"])},
                 new={"enrolments": moved, "filled": sorted(filled)})
    return _pair(session, row)


@operation("learners.unmerge", permission="edit_roster")
def unmerge(session: Session, pair_id: int, *, expected_version: int | None = None) -> DuplicatePair:
    """Undo a merge not yet confirmed: the other record comes back as it was, with its enrolments."""
    row = _get(session, pair_id, expected_version, "merged")
    data = dict(row.merged or {})
    record = dict(data.get("record", {}))
    kept = session.get(Learner, row.learner_id)
    assert kept is not None
    for name in data.get("filled", {}):
        setattr(kept, name, None)
    session.flush()
    for name in ("birth_date", "party_join_date"):
        record[name] = _date(record.get(name))
    session.add(Learner(**record))
    session.flush()
    moved = [int(i) for i in data.get("enrolments", [])]
    session.execute(update(Enrolment).where(Enrolment.id.in_(moved)).values(learner_id=record["id"])
                    .execution_options(synchronize_session=False))
    row.status, row.merged, row.decided_by = "open", None, _who(session)
    session.flush()
    audit.record(session, action="learners.unmerge", entity="learner", entity_id=record["id"],
                 new={"kept": kept.id, "enrolments": moved})
    return _pair(session, row)


@operation("learners.confirm_merge", permission="edit_roster")
def confirm(session: Session, pair_id: int, *, expected_version: int | None = None) -> DuplicatePair:
    """Confirm a merge: it can no longer be undone."""
    row = _get(session, pair_id, expected_version, "merged")
    row.status, row.decided_by = "confirmed", _who(session)
    session.flush()
    audit.record(session, action="learners.confirm_merge", entity="learner", entity_id=row.learner_id,
                 new={"other": row.other_id})
    return _pair(session, row)


@operation("learners.dismiss_duplicate", permission="edit_roster")
def dismiss(session: Session, pair_id: int, *, expected_version: int | None = None) -> DuplicatePair:
    """Two different people: the pair is closed, both records stay."""
    row = _get(session, pair_id, expected_version, "open")
    row.status, row.decided_by = "dismissed", _who(session)
    session.flush()
    audit.record(session, action="learners.dismiss_duplicate", entity="learner", entity_id=row.learner_id,
                 new={"other": row.other_id})
    return _pair(session, row)


__all__ = ["STATUS_LABELS", "DuplicatePair", "Person", "confirm", "dismiss", "list_pairs", "merge", "unmerge"]
