"""Accounts and who is acting: roles, passwords (Argon2id), lock-out, keys, permissions.

* **Login.** `authenticate` checks a password and returns a `Login`, the only proof of identity
  the operation layer accepts: it holds the account's private signing key, derived from the
  password (Argon2id with its own salt), whose public half the account stores. A `Login` cannot
  be made from a name: the constructor refuses, and the operation layer also checks that the key
  still matches the account (a password changed elsewhere ends every older login).
* **No accounts yet.** A database without any account is a single-PC install that has not set
  up accounts: whoever uses it acts as its local administrator (`Principal.local()`), until the
  first account, which must be an administrator, is created.
* **Permissions** are checked by the operation layer (`dtbd_desktop.trust.operations`) with `check`,
  against the role the account has in the database now.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, PermissionDenied
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import ROLES, AuditEntry, ClassSession, TrainingClass, User
from dtbd_desktop.trust import audit, protected

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
        "manage_users", "manage_keys", "restore", "edit_catalogue", "edit_classes", "edit_roster",
        "mark_attendance", "override_attendance_lock", "enter_scores", "enter_conduct", "finalise_scores",
        "override_score_lock", "review_graduation", "issue_certificates", "revoke_certificates", "edit_settings", "backup", "view",
        "own_account", "number_documents",
    }),
    "office": frozenset({
        "edit_catalogue", "edit_classes", "edit_roster", "mark_attendance", "override_attendance_lock",
        "enter_scores", "enter_conduct", "finalise_scores", "override_score_lock", "review_graduation", "issue_certificates",
        "revoke_certificates", "backup", "view", "own_account", "number_documents",
    }),
    "lecturer": frozenset({"mark_attendance", "enter_scores", "enter_conduct", "view", "own_account"}),
    "viewer": frozenset({"view", "own_account"}),
}
CLASS_BOUND = frozenset({"mark_attendance", "enter_scores", "enter_conduct"})  # limited to own classes for lecturers

PERMISSION_LABELS = {
    "manage_users": tr_noop("accounts", "quản lý tài khoản"),
    "manage_keys": tr_noop("accounts", "đăng ký khóa ký văn bằng"),
    "restore": tr_noop("accounts", "phục hồi cơ sở dữ liệu"),
    "edit_catalogue": tr_noop("accounts", "sửa danh mục"),
    "edit_classes": tr_noop("accounts", "sửa lớp học, thời khóa biểu"),
    "edit_roster": tr_noop("accounts", "sửa danh sách học viên"),
    "mark_attendance": tr_noop("accounts", "điểm danh"),
    "override_attendance_lock": tr_noop("accounts", "sửa điểm danh đã khóa"),
    "enter_scores": tr_noop("accounts", "nhập điểm"),
    "enter_conduct": tr_noop("accounts", "ghi rèn luyện, nhận xét của cơ quan cử đi học"),
    "finalise_scores": tr_noop("accounts", "chốt điểm"),
    "override_score_lock": tr_noop("accounts", "sửa điểm đã chốt"),
    "review_graduation": tr_noop("accounts", "xét tốt nghiệp"),
    "issue_certificates": tr_noop("accounts", "cấp văn bằng, chứng chỉ"),
    "revoke_certificates": tr_noop("accounts", "thu hồi, cấp lại văn bằng"),
    "edit_settings": tr_noop("accounts", "sửa cài đặt"),
    "number_documents": tr_noop("accounts", "vào sổ văn bản đi (lấy số quyết định, công văn, báo cáo)"),
    "backup": tr_noop("accounts", "sao lưu"),
    "view": tr_noop("accounts", "xem dữ liệu"),
    "own_account": tr_noop("accounts", "đổi mật khẩu của mình"),
}

_hasher = PasswordHasher()  # Argon2id with the library's recommended memory and time costs
_KDF = "argon2id"


# ---------------------------------------------------------------------------------- keys


def _new_key_params() -> str:
    salt = base64.b64encode(os.urandom(16)).decode("ascii")
    return f"{_KDF}$t={_hasher.time_cost}$m={_hasher.memory_cost}$p={_hasher.parallelism}${salt}"


def derive_key(password: str, params: str) -> Ed25519PrivateKey:
    """The account's signing key from its password and the stored derivation parameters."""
    try:
        kdf, t, m, p, salt = params.split("$")
        if kdf != _KDF:
            raise ValueError(kdf)
        seed = hash_secret_raw(password.encode("utf-8"), base64.b64decode(salt), time_cost=int(t[2:]),
                               memory_cost=int(m[2:]), parallelism=int(p[2:]), hash_len=32, type=Type.ID)
    except (ValueError, IndexError) as exc:
        raise InputError(tr("accounts", "Thông số khóa của tài khoản bị hỏng; quản trị hãy đặt lại mật khẩu.")) from exc
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_text(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def _set_password(user: User, password: str) -> Ed25519PrivateKey:
    """Store the hash and a fresh key (new salt) for the password; returns the private key."""
    user.password_hash = _hasher.hash(password)
    user.key_params = _new_key_params()
    key = derive_key(password, user.key_params)
    user.public_key = public_text(key)
    return key


# ---------------------------------------------------------------------------------- who acts

_TOKEN = object()


class Login:
    """An account that proved its password in this process (see the module's docstring)."""

    __slots__ = ("username", "full_name", "role", "lecturer_id", "public_key", "_key", "__weakref__")

    def __init__(self, token: object, username: str, full_name: str, role: str, lecturer_id: int | None,
                 key: Ed25519PrivateKey) -> None:
        if token is not _TOKEN:
            raise TypeError("a Login comes from accounts.authenticate(), never from a name")
        self.username = username
        self.full_name = full_name
        self.role = role  # as at login; the operation layer uses the role the database holds now
        self.lecturer_id = lecturer_id
        self._key = key
        self.public_key = public_text(key)

    def __repr__(self) -> str:
        return f"Login({self.username!r})"


_issued: weakref.WeakSet[Login] = weakref.WeakSet()


def _login(user: User, key: Ed25519PrivateKey) -> Login:
    login = Login(_TOKEN, user.username, user.full_name, user.role, user.lecturer_id, key)
    _issued.add(login)
    return login


@dataclass(frozen=True)
class Principal:
    """Who acts in one unit of work, as the database knows them now; signs audit entries."""

    username: str
    full_name: str
    role: str
    lecturer_id: int | None
    _key: Ed25519PrivateKey | None = None

    @staticmethod
    def local() -> Principal:
        return Principal(LOCAL_ADMIN, tr("accounts", "Quản trị (máy đơn)"), "admin", None)

    @property
    def is_local(self) -> bool:
        return self._key is None and self.username == LOCAL_ADMIN

    def sign(self, data: bytes) -> bytes | None:
        return None if self._key is None else self._key.sign(data)


def accounts_exist(session: Session) -> bool:
    return bool(session.scalar(select(func.count(User.id)).where(User.password_hash.is_not(None))))


def _need_login() -> PermissionDenied:
    return PermissionDenied(tr("accounts", "Cần đăng nhập để làm việc này (dòng lệnh: --user TÊN, mật khẩu trong "
                                           "biến môi trường DTBD_PASSWORD)."))


def principal_for(session: Session, login: Login | None) -> Principal:
    """Who acts for `login` in this database now, or PermissionDenied: nobody logged in while
    accounts exist, a Login not made by `authenticate`, an account removed, locked out of use or
    whose password changed since."""
    if login is None:
        if accounts_exist(session):
            raise _need_login()
        return Principal.local()
    if not isinstance(login, Login) or login not in _issued:
        raise PermissionDenied(tr("accounts", "Không xác nhận được người đang làm việc; hãy đăng nhập lại."))
    user = session.scalar(select(User).where(User.username == login.username))
    if user is None or not user.active or user.password_hash is None:
        raise PermissionDenied(tr("accounts", "Tài khoản {user} không còn hoạt động.").format(user=login.username))
    if user.public_key != login.public_key:
        raise PermissionDenied(tr("accounts", "Mật khẩu của tài khoản {user} đã thay đổi; hãy đăng nhập lại.").format(
            user=login.username))
    if audited_state(session, user.username) != protected.user_state(user):
        raise PermissionDenied(tr("accounts", "Tài khoản {user} đã bị sửa ngoài chương trình (vai trò hoặc khóa không "
                                              "khớp nhật ký thay đổi). Quản trị hãy chạy Kiểm tra nhật ký (dtbd audit "
                                              "verify) và đặt lại vai trò.").format(user=user.username))
    return Principal(user.username, user.full_name, user.role, user.lecturer_id, login._key)


def audited_state(session: Session, username: str) -> object:
    """The account's state as its last entry in the audit log has it (the upgrade's snapshot for an
    account of the first build); None when the log has none. An entry whose hash does not match
    its content is no evidence."""
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "user", AuditEntry.entity_id == username,
                                                    AuditEntry.state.is_not(None))
                           .order_by(AuditEntry.seq.desc()).limit(1))
    if entry is None:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "audit.baseline")
                               .order_by(AuditEntry.seq.desc()).limit(1))
        if entry is None:
            return None
        state = audit.decode_state(entry.state)[1]
        value = state.get("user", {}).get(username) if isinstance(state, dict) else None
    else:
        value = audit.decode_state(entry.state)[1]
    if entry.hash != audit.digest(entry, entry.prev_hash or audit.GENESIS):
        return None
    return value


def teaches(session: Session, lecturer_id: int | None, class_id: int) -> bool:
    if lecturer_id is None:
        return False
    homeroom = session.scalar(select(TrainingClass.id).where(
        TrainingClass.id == class_id, TrainingClass.homeroom_lecturer_id == lecturer_id))
    if homeroom:
        return True
    return bool(session.scalar(select(ClassSession.id).where(
        ClassSession.class_id == class_id, ClassSession.lecturer_id == lecturer_id).limit(1)))


def allowed(session: Session, who: Principal, permission: str, *, class_id: int | None = None) -> bool:
    if permission not in PERMISSIONS.get(who.role, frozenset()):
        return False
    if who.role == "lecturer" and permission in CLASS_BOUND:
        return class_id is not None and teaches(session, who.lecturer_id, class_id)
    return True


def check(session: Session, who: Principal, permission: str, *, class_id: int | None = None) -> None:
    """PermissionDenied saying that `who` may not do this (nothing has been changed yet)."""
    if not allowed(session, who, permission, class_id=class_id):
        what = tr("accounts", PERMISSION_LABELS.get(permission, permission))
        if who.role == "lecturer" and permission in CLASS_BOUND and permission in PERMISSIONS["lecturer"]:
            raise PermissionDenied(tr("accounts", "Tài khoản {user} (giảng viên) chỉ được {what} ở lớp mình chủ nhiệm "
                                                  "hoặc giảng dạy.").format(user=who.username, what=what))
        raise PermissionDenied(tr("accounts", "Tài khoản {user} ({role}) không có quyền {what}.").format(
            user=who.username, role=tr("accounts", ROLE_LABELS.get(who.role, who.role)), what=what))


# ---------------------------------------------------------------------------------- logging in


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(tr("accounts", "Mật khẩu cần ít nhất {n} ký tự.").format(n=MIN_PASSWORD))


def _refused_login(session: Session, user: User | None, now: dt.datetime) -> str:
    refused = tr("accounts", "Tên đăng nhập hoặc mật khẩu không đúng.")
    if user is None:
        return refused
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = now + LOCKOUT
        user.failed_logins = 0
        audit.record_system(session, action="user.locked", username=user.username, entity="user",
                            entity_id=user.username)
    session.flush()
    return refused


def _check_login(session: Session, username: str, password: str, now: dt.datetime) -> Login | str:
    """The login, or the message saying why not; failures are counted in the session."""
    user = session.scalar(select(User).where(User.username == (text.clean(username) or "").lower()))
    if user is None or not user.active or user.password_hash is None:
        return tr("accounts", "Tên đăng nhập hoặc mật khẩu không đúng.")
    if user.locked_until is not None and user.locked_until > now:
        return tr("accounts", "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {time}.").format(
            time=user.locked_until.strftime("%H:%M"))
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return _refused_login(session, user, now)
    user.failed_logins = 0
    user.locked_until = None
    if user.public_key is None or user.key_params is None:
        # An account of the first build: its key is made now, at its first login, and recorded
        # (signed by the new key itself; the README says what this leaves open).
        key = _set_password(user, password)
        who = Principal(user.username, user.full_name, user.role, user.lecturer_id, key)
        session.info[audit.ACTOR_KEY] = who
        audit.record(session, action="user.key", entity="user", entity_id=user.username,
                     state=protected.user_state(user))
        session.info.pop(audit.ACTOR_KEY, None)
    else:
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        key = derive_key(password, user.key_params)
        if public_text(key) != user.public_key:
            return tr("accounts", "Khóa của tài khoản {user} không khớp mật khẩu (dữ liệu tài khoản đã bị sửa ngoài "
                                  "chương trình); quản trị hãy đặt lại mật khẩu.").format(user=user.username)
    session.flush()
    return _login(user, key)


def authenticate(db: Database, username: str, password: str, *, now: dt.datetime | None = None) -> Login:
    """Check a password in its own unit of work, so that a failure is counted even though it is
    refused; repeated failures lock the account for a while. Raises InputError. Takes a moment
    (two Argon2 computations): call it off the GUI thread."""
    with db.write(raw=True) as session:
        outcome = _check_login(session, username, password, now or dt.datetime.now())
    if isinstance(outcome, str):
        raise InputError(outcome)
    return outcome


# ---------------------------------------------------------------------------------- account changes
# The operations wrapping these (with their permissions) are in dtbd_desktop.trust.operations.


def create_user(session: Session, *, username: str, full_name: str, role: str, password: str,
                lecturer_id: int | None = None) -> User:
    """Create an account. The first account of a database must be an administrator."""
    if not accounts_exist(session) and role != "admin":
        raise InputError(tr("accounts", "Tài khoản đầu tiên phải là tài khoản quản trị."))
    name = (text.clean(username) or "").lower()
    if not name or not name.replace(".", "").replace("_", "").isalnum() or len(name) > 60:
        raise InputError(tr("accounts", "Tên đăng nhập chỉ gồm chữ, số, dấu chấm, gạch dưới."))
    if role not in ROLES:
        raise InputError(tr("accounts", "Vai trò không hợp lệ."))
    if session.scalar(select(User.id).where(User.username == name)):
        raise InputError(tr("accounts", "Đã có tài khoản '{name}'.").format(name=name))
    _check_password(password)
    user = User(username=name, full_name=text.clean(full_name) or name, role=role, lecturer_id=lecturer_id,
                active=True, failed_logins=0)
    _set_password(user, password)
    session.add(user)
    session.flush()
    audit.record(session, action="user.create", entity="user", entity_id=name,
                 new={"role": role, "full_name": user.full_name}, state=protected.user_state(user))
    return user


def change_password(session: Session, who: Principal, old: str, new: str) -> None:
    """The acting person changes their own password (their key changes with it)."""
    user = session.scalar(select(User).where(User.username == who.username))
    if user is None or user.password_hash is None:
        raise InputError(tr("accounts", "Quản trị máy đơn không có mật khẩu; hãy tạo tài khoản trước."))
    try:
        _hasher.verify(user.password_hash, old)
    except (VerifyMismatchError, VerificationError, InvalidHashError) as exc:
        raise InputError(tr("accounts", "Mật khẩu hiện tại không đúng.")) from exc
    _check_password(new)
    _set_password(user, new)
    audit.record(session, action="user.password", entity="user", entity_id=user.username,
                 state=protected.user_state(user))


def reset_password(session: Session, username: str, new: str) -> None:
    """An administrator sets a new password (and unlocks the account)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(tr("accounts", "Không có tài khoản '{name}'.").format(name=username))
    _check_password(new)
    _set_password(user, new)
    user.failed_logins, user.locked_until = 0, None
    audit.record(session, action="user.reset_password", entity="user", entity_id=username,
                 state=protected.user_state(user))


def set_role(session: Session, username: str, role: str | None, *, active: bool = True) -> None:
    """Give an account a role (None: keep its role) and make it active or not."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(tr("accounts", "Không có tài khoản '{name}'.").format(name=username))
    role = user.role if role is None else role
    if role not in ROLES:
        raise InputError(tr("accounts", "Vai trò không hợp lệ."))
    admins = session.scalar(select(func.count(User.id)).where(User.role == "admin", User.active.is_(True)))
    if user.role == "admin" and (role != "admin" or not active) and (admins or 0) <= 1:
        raise InputError(tr("accounts", "Phải còn ít nhất một tài khoản quản trị đang hoạt động."))
    old = user.role
    user.role, user.active = role, active
    audit.record(session, action="user.role", entity="user", entity_id=username, old=old, new=role,
                 state=protected.user_state(user))


def list_users(session: Session) -> list[tuple[str, str, str, bool, bool]]:
    """(username, full name, role, active, locked now) of every account."""
    now = dt.datetime.now()
    return [(u.username, u.full_name, u.role, u.active, bool(u.locked_until and u.locked_until > now))
            for u in session.scalars(select(User).order_by(User.username))]


def display_names(session: Session, usernames: Iterable[str | None]) -> dict[str, str]:
    """The name to show for each username recorded on a change (who finalised, who corrected): an
    account's full name; the local administrator of a database without accounts as "Quản trị
    (máy này)"; a name that is no account (the first build recorded the computer's own login of
    the person at that PC, its administrator then) as "Quản trị (máy này, người dùng NAME)"."""
    wanted = {name for name in usernames if name}
    known: dict[str, str] = {}
    if wanted:
        known = {u: n for u, n in session.execute(select(User.username, User.full_name)
                                                  .where(User.username.in_(wanted)))}
    out = {}
    for name in wanted:
        if name in known and known[name]:
            out[name] = known[name]
        elif name == LOCAL_ADMIN:
            out[name] = tr("accounts", "Quản trị (máy này)")
        else:
            out[name] = tr("accounts", "Quản trị (máy này, người dùng {name})").format(name=name)
    return out
