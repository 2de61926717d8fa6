"""A learner's transcript in a class: every module with its attempts, and the history of the
changes made to their scores, confirmation and conduct (from the audit log).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import NotFoundError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import AuditEntry
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.rules.scores import ModuleResult
from dtbd_desktop.services.scores.class_scores import (
    ClassScores,
    LearnerLine,
    find_learner,
    load_class_scores,
)
from dtbd_desktop.trust import accounts

# ----------------------------------------------------------------------------- transcript and history


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change on a learner's record: a score or the conduct / confirmation."""

    at: dt.datetime
    username: str | None
    action: str
    what: str  # "I.1 lần 1", "I.1/TX lần 2", "Nhận xét của cơ quan cử đi học"
    old: str | None
    new: str | None
    reason: str | None
    who: str = ""  # the account's full name ("Quản trị (máy này)" without accounts)

    @property
    def is_correction(self) -> bool:
        """A change of a value already there (not the first entry of a score)."""
        return self.old is not None


def _score_text(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return score_rules.score_text(Decimal(raw))
    except ArithmeticError:
        return raw


CONDUCT_FIELDS = {
    "confirmation": "Nhận xét của cơ quan cử đi học",
    "discipline": "Kỷ luật",
    "conduct": "Rèn luyện",
}


def learner_history(session: Session, enrolment_id: int) -> list[HistoryEntry]:
    """Every audited change of the learner's scores and conduct in this class, oldest first."""
    stmt = select(AuditEntry).where(
        ((AuditEntry.entity == "score") & AuditEntry.entity_id.like(f"{enrolment_id}/%"))
        | ((AuditEntry.entity == "enrolment") & (AuditEntry.entity_id == str(enrolment_id)))
    ).order_by(AuditEntry.id)
    out = []
    for entry in session.scalars(stmt):
        if entry.entity == "score":
            parts = (entry.entity_id or "").split("/")
            attempt = parts[2] if len(parts) > 2 else "1"
            what = tr("scores", "{module} lần {n}").format(module=entry.field or "", n=attempt)
            old, new = _score_text(entry.old_value), _score_text(entry.new_value)
        else:
            what = tr("scores", CONDUCT_FIELDS.get(entry.field or "", entry.field or ""))
            old, new = _conduct_text(entry.field, entry.old_value), _conduct_text(entry.field, entry.new_value)
        out.append(HistoryEntry(at=entry.at, username=entry.username, action=entry.action, what=what, old=old,
                                new=new, reason=entry.reason))
    names = accounts.display_names(session, [h.username for h in out])
    return [replace(h, who=names.get(h.username or "", h.username or "")) for h in out]


def _conduct_text(field_name: str | None, value: str | None) -> str | None:
    if value is None:
        return None
    if field_name == "confirmation":
        return graduation_rules.confirmation_label(value)
    if field_name == "discipline":
        return graduation_rules.discipline_label(value)
    return value


@dataclass(frozen=True)
class Transcript:
    """A learner's results in a class: every module with its attempts, the history of changes."""

    data: ClassScores
    learner: LearnerLine
    modules: tuple[ModuleResult, ...]
    history: tuple[HistoryEntry, ...] = field(default_factory=tuple)


def learner_transcript(session: Session, class_code: str, national_id: str | None = None, *,
                       enrolment_id: int | None = None, data: ClassScores | None = None) -> Transcript:
    """One learner's transcript (by CCCD or enrolment id); pass `data` to reuse a loaded class."""
    data = data or load_class_scores(session, class_code)
    if enrolment_id is not None:
        line = next((x for x in data.learners if x.enrolment_id == enrolment_id), None)
        if line is None:
            raise NotFoundError(tr("scores", "Học viên này không có trong lớp {code}.").format(code=data.class_code))
    else:
        line = find_learner(data, national_id or "")
    return Transcript(data=data, learner=line, modules=data.results(line.enrolment_id),
                      history=tuple(learner_history(session, line.enrolment_id)))
