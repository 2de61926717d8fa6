"""Protected records: the official values whose every change the audit log holds.

A score, a finalised module, a graduation result, a certificate's status, an account (role,
active, key) and an enrolled signing key. Every operation that changes one records the record's
state after the change in its audit entry (`audit.record(..., state=...)`), computed by the
functions here; `snapshot` computes the same states from the tables, so that `audit_check` can
tell a record changed outside the program (with sqlite3, say) from one changed through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.db.models import Certificate, GraduationResult, Score, ScoreLock, SigningKey, User

ENTITIES = ("score", "score_lock", "graduation_result", "certificate", "user", "signing_key")
FINALISED = "finalised"


def score_id(enrolment_id: int, module_id: int, attempt: int, component: str) -> str:
    return f"{enrolment_id}/{module_id}/{attempt}/{component}"


def score_state(value: Decimal | float | str | None) -> str | None:
    return None if value is None else f"{Decimal(str(value)):.1f}"


def lock_id(class_id: int, module_id: int) -> str:
    return f"{class_id}/{module_id}"


def result_state(eligible: bool, classification: str | None, average: Decimal | None) -> dict[str, Any]:
    return {"eligible": bool(eligible), "classification": classification,
            "average": None if average is None else f"{Decimal(str(average)):.2f}"}


def certificate_state(cert: Certificate) -> dict[str, Any]:
    """A line issued by the program is covered by its signature; a line brought in from a past
    register has none, so its state also holds the digest of what it says."""
    return _certificate_state(cert.status, cert.enrolment_id, cert.verification_code)


def _certificate_state(status: str, enrolment_id: int, code: str | None) -> dict[str, Any]:
    state: dict[str, Any] = {"status": status, "enrolment": enrolment_id}
    if code and code.startswith("past:"):
        state["past"] = code
    return state


def user_state(user: User) -> dict[str, Any]:
    return {"role": user.role, "active": bool(user.active), "key": user.public_key}


def key_state(key: SigningKey) -> dict[str, Any]:
    return {"key": key.public_key, "active": bool(key.active)}


def snapshot(session: Session, entities: Iterable[str] = ENTITIES) -> dict[str, dict[str, Any]]:
    """entity -> {entity id -> state} of every protected record in the database now."""
    wanted = set(entities)
    out: dict[str, dict[str, Any]] = {}
    if "score" in wanted:
        out["score"] = {score_id(e, m, a, c): score_state(v) for e, m, a, c, v in session.execute(
            select(Score.enrolment_id, Score.module_id, Score.attempt, Score.component, Score.value))}
    if "score_lock" in wanted:
        out["score_lock"] = {lock_id(c, m): FINALISED for c, m in session.execute(
            select(ScoreLock.class_id, ScoreLock.module_id))}
    if "graduation_result" in wanted:
        out["graduation_result"] = {str(e): result_state(ok, c, a) for e, ok, c, a in session.execute(
            select(GraduationResult.enrolment_id, GraduationResult.eligible, GraduationResult.classification,
                   GraduationResult.average))}
    if "certificate" in wanted:
        # Only the columns the state needs: migration 0002 takes this snapshot before later
        # revisions add columns to the table.
        out["certificate"] = {serial: _certificate_state(status, enrolment, code) for serial, status, enrolment, code in
                              session.execute(select(Certificate.serial, Certificate.status, Certificate.enrolment_id,
                                                     Certificate.verification_code))}
    if "user" in wanted:
        out["user"] = {u.username: user_state(u) for u in session.scalars(select(User))}
    if "signing_key" in wanted:
        out["signing_key"] = {k.key_id: key_state(k) for k in session.scalars(select(SigningKey))}
    return out
