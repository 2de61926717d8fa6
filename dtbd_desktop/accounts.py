"""Accounts and who is acting: roles, password hashing (Argon2id), lock-out, permissions.

Permissions are checked here, in the core, so the GUI and the command line obey the same
rules. The program acts for one person at a time (the one who logged in to the GUI, or the
`--user` of the command line); `act_as()` sets that person for the process. A database
without any account is a single-PC install that has not set up accounts yet: everyone acts
as its local administrator until the first account is created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop import audit, text
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import ROLES, ClassSession, TrainingClass, User
from dtbd_desktop.errors import InputError, NotFoundError
from dtbd_desktop.i18n import tr, tr_noop

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD = 8
LOCAL_ADMIN = "quantri"

ROLE_LABELS = {
    "admin": tr_noop("accounts", "Quản trị"),
    "office": tr_noop("accounts", "Phòng đào tạo"),
    "lecturer": tr_noop("accounts", "Giảng viên"),
    "viewer": tr_noop("accounts", "Chỉ xem"),
}

# What each role may do. Lecturers may take attendance and enter scores only in their own classes.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({
        "manage_users", "edit_catalogue", "edit_classes", "edit_roster", "mark_attendance",
        "override_attendance_lock", "enter_scores", "finalise_scores", "override_score_lock",
        "review_graduation", "issue_certificates", "revoke_certificates", "edit_settings", "backup", "view",
    }),
    "office": frozenset({
        "edit_catalogue", "edit_classes", "edit_roster", "mark_attendance", "override_attendance_lock",
        "enter_scores", "finalise_scores", "override_score_lock", "review_graduation", "issue_certificates",
        "revoke_certificates", "backup", "view",
    }),
    "lecturer": frozenset({"mark_attendance", "enter_scores", "view"}),
    "viewer": frozenset({"view"}),
}
CLASS_BOUND = {"mark_attendance", "enter_scores"}  # limited to own classes for lecturers

_hasher = PasswordHasher()  # Argon2id with the library's recommended memory and time costs


@dataclass(frozen=True)
class Actor:
    username: str
    full_name: str
    role: str
    lecturer_id: int | None = None


_current: Actor | None = None


def act_as(actor: Actor | None) -> None:
    """Set who the program acts for (after a login); None: nobody logged in."""
    global _current
    _current = actor
    audit.set_actor(actor.username if actor else None)


def current() -> Actor | None:
    return _current


def accounts_exist(session: Session) -> bool:
    return bool(session.scalar(select(func.count(User.id)).where(User.password_hash.is_not(None))))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(tr("accounts", "Mật khẩu cần ít nhất {n} ký tự.").format(n=MIN_PASSWORD))


def create_user(session: Session, *, username: str, full_name: str, role: str, password: str,
                lecturer_id: int | None = None) -> User:
    """Create an account. The first account of a database must be an administrator."""
    if accounts_exist(session):
        require(session, "manage_users")
    elif role != "admin":
        raise InputError(tr("accounts", "Tài khoản đầu tiên phải là tài khoản quản trị."))
    name = (text.clean(username) or "").lower()
    if not name or not name.replace(".", "").replace("_", "").isalnum():
        raise InputError(tr("accounts", "Tên đăng nhập chỉ gồm chữ, số, dấu chấm, gạch dưới."))
    if role not in ROLES:
        raise InputError(tr("accounts", "Vai trò không hợp lệ."))
    if session.scalar(select(User.id).where(User.username == name)):
        raise InputError(tr("accounts", "Đã có tài khoản '{name}'.").format(name=name))
    _check_password(password)
    user = User(username=name, full_name=text.clean(full_name) or name, role=role,
                password_hash=_hasher.hash(password), lecturer_id=lecturer_id)
    session.add(user)
    session.flush()
    audit.record(session, action="user.create", entity="user", entity_id=name,
                 new={"role": role, "full_name": user.full_name})
    return user


def _check_login(session: Session, username: str, password: str, now: dt.datetime) -> Actor | str:
    """The actor, or the message saying why not; failures are counted in the session."""
    user = session.scalar(select(User).where(User.username == (text.clean(username) or "").lower()))
    refused = tr("accounts", "Tên đăng nhập hoặc mật khẩu không đúng.")
    if user is None or not user.active or user.password_hash is None:
        return refused
    if user.locked_until is not None and user.locked_until > now:
        return tr("accounts", "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {time}.").format(
            time=user.locked_until.strftime("%H:%M"))
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            audit.record(session, action="user.locked", entity="user", entity_id=user.username, actor=user.username)
        session.flush()
        return refused
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.flush()
    return Actor(user.username, user.full_name, user.role, user.lecturer_id)


def authenticate(db: Database, username: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a password in its own unit of work, so that a failure is counted even though it is
    refused; repeated failures lock the account for a while. Raises InputError."""
    with db.write() as session:
        outcome = _check_login(session, username, password, now or dt.datetime.now())
    if isinstance(outcome, str):
        raise InputError(outcome)
    return outcome


def change_password(session: Session, username: str, old: str, new: str) -> None:
    outcome = _check_login(session, username, old, dt.datetime.now())
    if isinstance(outcome, str):
        raise InputError(outcome)
    _check_password(new)
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    user.password_hash = _hasher.hash(new)
    audit.record(session, action="user.password", entity="user", entity_id=username, actor=username)


def reset_password(session: Session, username: str, new: str) -> None:
    """An administrator sets a new password (and unlocks the account)."""
    require(session, "manage_users")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(tr("accounts", "Không có tài khoản '{name}'.").format(name=username))
    _check_password(new)
    user.password_hash = _hasher.hash(new)
    user.failed_logins, user.locked_until = 0, None
    audit.record(session, action="user.reset_password", entity="user", entity_id=username)


def set_role(session: Session, username: str, role: str, *, active: bool = True) -> None:
    require(session, "manage_users")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(tr("accounts", "Không có tài khoản '{name}'.").format(name=username))
    if role not in ROLES:
        raise InputError(tr("accounts", "Vai trò không hợp lệ."))
    admins = session.scalar(select(func.count(User.id)).where(User.role == "admin", User.active.is_(True)))
    if user.role == "admin" and (role != "admin" or not active) and (admins or 0) <= 1:
        raise InputError(tr("accounts", "Phải còn ít nhất một tài khoản quản trị đang hoạt động."))
    audit.record(session, action="user.role", entity="user", entity_id=username, old=user.role, new=role)
    user.role, user.active = role, active


def effective_actor(session: Session) -> Actor:
    """Who acts now: the logged-in person, or the local administrator while no account exists."""
    if _current is not None:
        return _current
    if not accounts_exist(session):
        return Actor(LOCAL_ADMIN, tr("accounts", "Quản trị (máy đơn)"), "admin")
    raise InputError(tr("accounts", "Cần đăng nhập để làm việc này (dòng lệnh: --user TÊN, mật khẩu trong "
                                    "biến môi trường DTBD_PASSWORD)."))


def teaches(session: Session, lecturer_id: int | None, class_id: int) -> bool:
    if lecturer_id is None:
        return False
    homeroom = session.scalar(select(TrainingClass.id).where(
        TrainingClass.id == class_id, TrainingClass.homeroom_lecturer_id == lecturer_id))
    if homeroom:
        return True
    return bool(session.scalar(select(ClassSession.id).where(
        ClassSession.class_id == class_id, ClassSession.lecturer_id == lecturer_id).limit(1)))


def allowed(session: Session, permission: str, *, class_id: int | None = None) -> bool:
    actor = effective_actor(session)
    if permission not in PERMISSIONS.get(actor.role, frozenset()):
        return False
    if actor.role == "lecturer" and permission in CLASS_BOUND:
        return class_id is not None and teaches(session, actor.lecturer_id, class_id)
    return True


def require(session: Session, permission: str, *, class_id: int | None = None) -> Actor:
    """The acting person, or InputError saying they may not do this."""
    actor = effective_actor(session)
    if not allowed(session, permission, class_id=class_id):
        raise InputError(tr("accounts", "Tài khoản {user} ({role}) không có quyền làm việc này.").format(
            user=actor.username, role=tr("accounts", ROLE_LABELS.get(actor.role, actor.role))))
    return actor


def list_users(session: Session) -> list[tuple[str, str, str, bool, bool]]:
    """(username, full name, role, active, locked now) of every account."""
    now = dt.datetime.now()
    return [(u.username, u.full_name, u.role, u.active, bool(u.locked_until and u.locked_until > now))
            for u in session.scalars(select(User).order_by(User.username))]

