"""The names behind the ids an audit entry holds: learners, classes, modules, sessions, accounts...

`Names` answers with one query per kind for a page of entries (`prefetch`), and with one small
query for an id it was not given beforehand; an id whose record is gone gives None, and the
wording says so in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.db.models import (
    Certificate,
    ClassSession,
    Enrolment,
    Learner,
    Lecturer,
    Module,
    Organisation,
    TrainingClass,
    User,
)


@dataclass(frozen=True)
class EnrolmentName:
    learner: str
    class_code: str


@dataclass(frozen=True)
class SessionName:
    class_code: str
    date: dt.date
    half: str
    module: str | None


@dataclass(frozen=True)
class CertificateName:
    full_name: str
    class_code: str | None


def as_int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class Names:
    """Cached look-ups for one page of entries."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._enrolments: dict[int, EnrolmentName | None] = {}
        self._classes: dict[int, str | None] = {}
        self._modules: dict[int, str | None] = {}
        self._sessions: dict[int, SessionName | None] = {}
        self._learners: dict[int, str | None] = {}
        self._lecturers: dict[int, str | None] = {}
        self._organisations: dict[int, str | None] = {}
        self._certificates: dict[str, CertificateName | None] = {}
        self._users: dict[str, str | None] | None = None

    # ------------------------------------------------------------------ batch loading

    def prefetch(self, *, enrolments: Iterable[int] = (), classes: Iterable[int] = (), modules: Iterable[int] = (),
                 sessions: Iterable[int] = (), learners: Iterable[int] = (), lecturers: Iterable[int] = (),
                 organisations: Iterable[int] = (), certificates: Iterable[str] = ()) -> None:
        self._load_enrolments(set(enrolments) - set(self._enrolments))
        self._load_sessions(set(sessions) - set(self._sessions))
        self._load_simple(self._classes, TrainingClass, set(classes))
        self._load_simple(self._modules, Module, set(modules))
        self._load_people(self._learners, Learner, set(learners))
        self._load_people(self._lecturers, Lecturer, set(lecturers))
        self._load_simple(self._organisations, Organisation, set(organisations), attr="name")
        self._load_certificates(set(certificates) - set(self._certificates))

    def _load_enrolments(self, ids: set[int]) -> None:
        if not ids:
            return
        for chunk in _chunks(ids):
            rows = self.session.execute(
                select(Enrolment.id, Learner, TrainingClass.code).join(Learner, Learner.id == Enrolment.learner_id)
                .join(TrainingClass, TrainingClass.id == Enrolment.class_id).where(Enrolment.id.in_(chunk)))
            for enrolment_id, learner, code in rows:
                self._enrolments[int(enrolment_id)] = EnrolmentName(learner.full_name, code)
        for i in ids:
            self._enrolments.setdefault(i, None)

    def _load_sessions(self, ids: set[int]) -> None:
        if not ids:
            return
        for chunk in _chunks(ids):
            rows = self.session.execute(
                select(ClassSession.id, TrainingClass.code, ClassSession.date, ClassSession.half, Module.code)
                .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
                .outerjoin(Module, Module.id == ClassSession.module_id).where(ClassSession.id.in_(chunk)))
            for sid, code, day, half, module in rows:
                self._sessions[int(sid)] = SessionName(code, day, half, module)
        for i in ids:
            self._sessions.setdefault(i, None)

    def _load_simple(self, cache: dict[int, str | None], model: type[TrainingClass] | type[Module]
                     | type[Organisation], ids: set[int], attr: str = "code") -> None:
        ids = ids - set(cache)
        if not ids:
            return
        column = getattr(model, attr)
        for chunk in _chunks(ids):
            for rid, value in self.session.execute(select(model.id, column).where(model.id.in_(chunk))):
                cache[int(rid)] = str(value)
        for i in ids:
            cache.setdefault(i, None)

    def _load_people(self, cache: dict[int, str | None], model: type[Learner] | type[Lecturer], ids: set[int]) -> None:
        ids = ids - set(cache)
        if not ids:
            return
        for chunk in _chunks(ids):
            people: list[Learner | Lecturer] = list(self.session.scalars(select(model).where(model.id.in_(chunk))))
            for person in people:
                cache[person.id] = person.full_name
        for i in ids:
            cache.setdefault(i, None)

    def _load_certificates(self, serials: set[str]) -> None:
        if not serials:
            return
        for chunk in _chunks(serials):
            rows = self.session.execute(
                select(Certificate.serial, Certificate.full_name, TrainingClass.code)
                .outerjoin(Enrolment, Enrolment.id == Certificate.enrolment_id)
                .outerjoin(TrainingClass, TrainingClass.id == Enrolment.class_id)
                .where(Certificate.serial.in_(chunk)))
            for serial, name, code in rows:
                self._certificates[str(serial)] = CertificateName(name, code)
        for s in serials:
            self._certificates.setdefault(s, None)

    # ------------------------------------------------------------------ answers

    def enrolment(self, value: object) -> EnrolmentName | None:
        i = as_int(value)
        if i is None:
            return None
        if i not in self._enrolments:
            self._load_enrolments({i})
        return self._enrolments[i]

    def class_code(self, value: object) -> str | None:
        i = as_int(value)
        if i is None:
            return None
        self._load_simple(self._classes, TrainingClass, {i})
        return self._classes[i]

    def module(self, value: object) -> str | None:
        i = as_int(value)
        if i is None:
            return None
        self._load_simple(self._modules, Module, {i})
        return self._modules[i]

    def class_session(self, value: object) -> SessionName | None:
        i = as_int(value)
        if i is None:
            return None
        if i not in self._sessions:
            self._load_sessions({i})
        return self._sessions[i]

    def learner(self, value: object) -> str | None:
        i = as_int(value)
        if i is None:
            return None
        self._load_people(self._learners, Learner, {i})
        return self._learners[i]

    def lecturer(self, value: object) -> str | None:
        i = as_int(value)
        if i is None:
            return None
        self._load_people(self._lecturers, Lecturer, {i})
        return self._lecturers[i]

    def organisation(self, value: object) -> str | None:
        i = as_int(value)
        if i is None:
            return None
        self._load_simple(self._organisations, Organisation, {i}, attr="name")
        return self._organisations[i]

    def certificate(self, serial: object) -> CertificateName | None:
        if serial is None:
            return None
        key = str(serial)
        if key not in self._certificates:
            self._load_certificates({key})
        return self._certificates[key]

    def account(self, username: str | None) -> str | None:
        """The full name of an account (None: no such account)."""
        if self._users is None:
            self._users = {u: n for u, n in self.session.execute(select(User.username, User.full_name))}
        return self._users.get(username or "")

    def accounts(self) -> dict[str, str | None]:
        self.account(None)
        assert self._users is not None
        return dict(self._users)


def _chunks(ids: Iterable[object], size: int = 500) -> Iterable[list[object]]:
    items = list(ids)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def layout_name(session: Session, layout_id: object) -> str | None:
    """A certificate layout's title ("Giấy chứng nhận in toàn bộ"), None for one that is gone."""
    from dtbd_desktop.services.certificates.layout_settings import load_layouts

    found = load_layouts(session).get(str(layout_id))
    return found.name if found is not None else None
