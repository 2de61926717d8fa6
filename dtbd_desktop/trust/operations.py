"""The operation layer: every change to the records is an operation of the core.

An operation is a core function declared with `@operation(name, permission=..., scope=...)`
where it is defined. Calling it (with a unit of work from `writing`) does, in this order:

1. **who**: the unit of work's `Login` becomes the acting `Principal`, re-read from the database
   (role, active, key); nobody logged in is the local administrator only while the database has
   no account (`accounts.principal_for`);
2. **may they**: the declared permission, and for a class-bound one (a lecturer's own classes)
   the class the arguments name (`scope`), checked before anything changes;
3. **the change**, inside the caller's transaction (all or nothing), with the audit log's writer
   lock taken first on PostgreSQL;
4. **the audit entry**: the function records its own detailed entries (old and new values,
   states of protected records); when it records none, the layer records one naming the
   operation and its arguments. Entries are signed with the acting account's key.

Screens and commands only choose an operation and its arguments: `writing(db, login)` opens the
unit of work, `reading(db, login)` a read session (which also refuses personal data to nobody).
A change made outside any operation refuses to flush (`db.engine.WriteOutsideOperation`).
`REGISTRY` lists every operation, so that one test can try each as every role.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import NotFoundError, PermissionDenied
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.engine import OPS_DEPTH, Database
from dtbd_desktop.db.models import ClassSession, Enrolment, MakeUp, TrainingClass
from dtbd_desktop.trust import accounts, audit
from dtbd_desktop.trust.accounts import Login, Principal

P = ParamSpec("P")
R = TypeVar("R")

LOGIN_KEY = "dtbd.login"
_PRINCIPAL_KEY = "dtbd.principal"
_TEACHES_KEY = "dtbd.teaches"

#: Resolves the class an operation's arguments name (for class-bound permissions), or None.
Scope = Callable[[Session, inspect.BoundArguments], "int | None"]


class Operation(Generic[P, R]):
    """A core function with its permission; call it like the function (session first)."""

    def __init__(self, fn: Callable[Concatenate[Session, P], R], name: str, permission: str,
                 scope: Scope | None, audited: bool) -> None:
        self.fn = fn
        self.name = name
        self.permission = permission
        self.scope = scope
        self.audited = audited
        self.signature = inspect.signature(fn)
        functools.update_wrapper(self, fn)

    def __repr__(self) -> str:
        return f"<operation {self.name} ({self.permission})>"

    def __call__(self, session: Session, *args: P.args, **kwargs: P.kwargs) -> R:
        who = acting(session)
        bound = self.signature.bind(session, *args, **kwargs)
        class_id = self.scope(session, bound) if self.scope is not None else None
        _check(session, who, self.permission, class_id)
        if self.audited:
            audit.lock(session)
        previous_actor = session.info.get(audit.ACTOR_KEY)
        session.info[audit.ACTOR_KEY] = who
        session.info[OPS_DEPTH] = session.info.get(OPS_DEPTH, 0) + 1
        written = session.info.get(audit.WRITTEN_KEY, 0)
        try:
            result = self.fn(session, *args, **kwargs)
            if self.audited and session.info.get(audit.WRITTEN_KEY, 0) == written:
                audit.record(session, action=self.name, entity="operation", entity_id=None,
                             new=_describe(bound))
            session.flush()
        finally:
            session.info[OPS_DEPTH] -= 1
            session.info[audit.ACTOR_KEY] = previous_actor
        return result


REGISTRY: dict[str, Operation[Any, Any]] = {}


def operation(name: str, *, permission: str, scope: Scope | None = None, audited: bool = True
              ) -> Callable[[Callable[Concatenate[Session, P], R]], Operation[P, R]]:
    """Declare a core function as an operation (see the module's docstring). `audited=False` is for
    high-volume changes that are not official records (attendance marks of open sessions): such an
    operation records entries itself where a record is protected (a locked session)."""
    if permission not in accounts.PERMISSION_LABELS:
        raise ValueError(f"unknown permission {permission}")

    def declare(fn: Callable[Concatenate[Session, P], R]) -> Operation[P, R]:
        if name in REGISTRY:
            raise ValueError(f"operation {name} declared twice")
        op = Operation(fn, name, permission, scope, audited)
        REGISTRY[name] = op
        return op

    return declare


# ---------------------------------------------------------------------------------- scopes


def _argument(bound: inspect.BoundArguments, name: str) -> Any:
    bound.apply_defaults()
    return bound.arguments.get(name)


def class_code(name: str = "class_code") -> Scope:
    """The class named by its code in argument `name`."""

    def scope(session: Session, bound: inspect.BoundArguments) -> int | None:
        from dtbd_desktop.base.text import nfc

        value = _argument(bound, name)
        if value is None:
            return None
        found = session.scalar(select(TrainingClass.id).where(TrainingClass.code == nfc(str(value))))
        if found is None:
            raise NotFoundError(tr("classes", "Không có lớp mã '{code}'. Xem danh sách lớp bằng lệnh: dtbd class "
                                              "list").format(code=value))
        return int(found)

    return scope


def class_id(name: str = "class_id") -> Scope:
    def scope(_session: Session, bound: inspect.BoundArguments) -> int | None:
        value = _argument(bound, name)
        return None if value is None else int(value)

    return scope


def enrolment(name: str = "enrolment_id") -> Scope:
    def scope(session: Session, bound: inspect.BoundArguments) -> int | None:
        value = _argument(bound, name)
        return None if value is None else session.scalar(select(Enrolment.class_id).where(Enrolment.id == value))

    return scope


def class_session(name: str = "session_id") -> Scope:
    def scope(session: Session, bound: inspect.BoundArguments) -> int | None:
        value = _argument(bound, name)
        return None if value is None else session.scalar(select(ClassSession.class_id).where(ClassSession.id == value))

    return scope


def makeup(name: str = "makeup_id") -> Scope:
    def scope(session: Session, bound: inspect.BoundArguments) -> int | None:
        value = _argument(bound, name)
        if value is None:
            return None
        return session.scalar(select(Enrolment.class_id).join(MakeUp, MakeUp.enrolment_id == Enrolment.id)
                              .where(MakeUp.id == value))

    return scope


# ---------------------------------------------------------------------------------- who, may they


def acting(session: Session) -> Principal:
    """Who acts in this unit of work (checked once per unit of work)."""
    who: Principal | None = session.info.get(_PRINCIPAL_KEY)
    if who is None:
        who = accounts.principal_for(session, session.info.get(LOGIN_KEY))
        session.info[_PRINCIPAL_KEY] = who
    return who


def _check(session: Session, who: Principal, permission: str, class_id: int | None) -> None:
    if who.role == "lecturer" and permission in accounts.CLASS_BOUND and class_id is not None:
        cache: dict[int, bool] = session.info.setdefault(_TEACHES_KEY, {})
        if class_id not in cache:
            cache[class_id] = accounts.teaches(session, who.lecturer_id, class_id)
        if cache[class_id]:
            return
    accounts.check(session, who, permission, class_id=class_id)


def require(session: Session, permission: str, *, class_id: int | None = None) -> Principal:
    """Inside an operation: a further permission its arguments call for (changing a finalised
    score needs `override_score_lock`, say)."""
    who = acting(session)
    _check(session, who, permission, class_id)
    return who


def may(session: Session, permission: str, *, class_id: int | None = None) -> bool:
    """Whether the person of this session may do it: for screens to grey out what they cannot do
    (the operation checks again)."""
    try:
        require(session, permission, class_id=class_id)
    except PermissionDenied:
        return False
    return True


# ---------------------------------------------------------------------------------- units of work


@contextmanager
def writing(db: Database, login: Login | None) -> Iterator[Session]:
    """A unit of work for `login` (None: nobody logged in): committed whole, or rolled back whole."""
    with db.write() as session:
        session.info[LOGIN_KEY] = login
        yield session
        written = session.info.get(audit.WRITTEN_KEY, 0)
        head = audit.head(session) if written else None
    if head is not None:
        from dtbd_desktop.trust import witness

        witness.remember(db, head)


@contextmanager
def reading(db: Database, login: Login | None, *, personal: bool = True) -> Iterator[Session]:
    """A read session for `login`. With `personal` (the default: rosters, scores, documents,
    backups), nobody logged in is refused once the database has accounts."""
    with db.read() as session:
        session.info[LOGIN_KEY] = login
        if personal:
            acting(session)
        yield session


def _describe(bound: inspect.BoundArguments) -> dict[str, Any]:
    """The plain arguments of a call, for the generic audit entry."""
    out: dict[str, Any] = {}
    for key, value in bound.arguments.items():
        if isinstance(value, Session):
            continue
        if isinstance(value, dt.date | Decimal):
            out[key] = str(value)
        elif value is None or isinstance(value, str | int | float | bool):
            out[key] = value if not isinstance(value, str) else value[:200]
        elif isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
            out[key] = list(value)[:50]
    return out
