"""The whole domain model of a training centre, as SQLAlchemy 2 typed mappings.

Every table the later features need is here, so that they add behaviour rather than
churn the schema. Constraints live in the database: unique national ID, unique serial
and register number per register, foreign keys, checks on score ranges and enumerations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from dtbd_desktop.rules.vocabulary import (
    ATTENDANCE_STATUSES as ATTENDANCE_STATUSES,
)
from dtbd_desktop.rules.vocabulary import (
    CERTIFICATE_STATUSES as CERTIFICATE_STATUSES,
)
from dtbd_desktop.rules.vocabulary import (
    CLASS_MODES as CLASS_MODES,
)
from dtbd_desktop.rules.vocabulary import (
    CLASS_STATUSES as CLASS_STATUSES,
)
from dtbd_desktop.rules.vocabulary import (
    CONFIRMATIONS as CONFIRMATIONS,
)
from dtbd_desktop.rules.vocabulary import (
    DISCIPLINES as DISCIPLINES,
)
from dtbd_desktop.rules.vocabulary import (
    DOCUMENT_KINDS as DOCUMENT_KINDS,
)
from dtbd_desktop.rules.vocabulary import (
    ENROLMENT_STATUSES as ENROLMENT_STATUSES,
)
from dtbd_desktop.rules.vocabulary import (
    GENDERS as GENDERS,
)
from dtbd_desktop.rules.vocabulary import (
    HALVES as HALVES,
)
from dtbd_desktop.rules.vocabulary import (
    LECTURER_KINDS as LECTURER_KINDS,
)
from dtbd_desktop.rules.vocabulary import (
    MODULE_KINDS as MODULE_KINDS,
)
from dtbd_desktop.rules.vocabulary import (
    ORGANISATION_BLOCKS as ORGANISATION_BLOCKS,
)
from dtbd_desktop.rules.vocabulary import (
    ORGANISATION_LEVELS as ORGANISATION_LEVELS,
)
from dtbd_desktop.rules.vocabulary import (  # the schema's enumerations, re-exported
    PROGRAMME_KINDS as PROGRAMME_KINDS,
)
from dtbd_desktop.rules.vocabulary import (
    PROGRAMME_LEVELS as PROGRAMME_LEVELS,
)
from dtbd_desktop.rules.vocabulary import (
    ROLES as ROLES,
)
from dtbd_desktop.rules.vocabulary import (
    SESSION_KINDS as SESSION_KINDS,
)

# Deterministic constraint names, so that Alembic migrations work the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Sort keys are ASCII strings compared byte by byte; PostgreSQL's default collation would reorder them.
SortKey = String(400).with_variant(String(400, collation="C"), "postgresql")


def _enum_check(column: str, values: tuple[str, ...]) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")



class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class Setting(Base):
    """Centre-wide settings (name, superior body, place, director, lock days...) as JSON values."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Organisation(Base):
    """A sending organisation (đơn vị cử đi học), in a tree: tỉnh → huyện → xã, blocks."""

    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        _enum_check("level", ORGANISATION_LEVELS),
        _enum_check("block", ORGANISATION_BLOCKS),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(20), default="agency")
    block: Mapped[str] = mapped_column(String(20), default="other")
    search_key: Mapped[str] = mapped_column(String(200), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent")


class Learner(Timestamped, Base):
    """A person trained by the centre (học viên); one record across a whole career."""

    __tablename__ = "learners"
    __table_args__ = (
        _enum_check("gender", GENDERS),
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year_range"),
        CheckConstraint("length(national_id) = 12", name="national_id_length"),
        Index("ix_learners_name_birth", "search_key", "birth_year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str] = mapped_column(String(60))  # họ
    middle_name: Mapped[str] = mapped_column(String(80), default="")  # đệm
    given_name: Mapped[str] = mapped_column(String(40))  # tên
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    birth_year: Mapped[int] = mapped_column(Integer)
    gender: Mapped[str] = mapped_column(String(1))
    ethnicity: Mapped[str] = mapped_column(String(40), default="Kinh")
    national_id: Mapped[str | None] = mapped_column(String(12), unique=True)  # CCCD, text
    place_of_birth: Mapped[str | None] = mapped_column(String(200))
    hometown: Mapped[str | None] = mapped_column(String(200))  # quê quán
    party_member: Mapped[bool | None] = mapped_column(Boolean)  # None: not known (the list said nothing)
    party_join_date: Mapped[dt.date | None] = mapped_column(Date)
    position: Mapped[str | None] = mapped_column(String(200))  # chức vụ
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    education_level: Mapped[str | None] = mapped_column(String(80))  # trình độ chuyên môn
    theory_level: Mapped[str | None] = mapped_column(String(80))  # trình độ LLCT
    phone: Mapped[str | None] = mapped_column(String(20))
    sort_key: Mapped[str] = mapped_column(SortKey, index=True)
    search_key: Mapped[str] = mapped_column(String(200))  # folded: no diacritics, lower case
    version: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation | None] = relationship()
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="learner")

    __mapper_args__ = {"version_id_col": version}

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)


class Lecturer(Base):
    """Full-time (chuyên trách), part-time from other bodies (kiêm chức) or guest (thỉnh giảng)."""

    __tablename__ = "lecturers"
    __table_args__ = (_enum_check("kind", LECTURER_KINDS),)
    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str] = mapped_column(String(60))
    middle_name: Mapped[str] = mapped_column(String(80), default="")
    given_name: Mapped[str] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(80))  # học hàm, học vị: "ThS.", "TS."
    kind: Mapped[str] = mapped_column(String(20), default="full_time")
    workplace: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))  # khoa
    phone: Mapped[str | None] = mapped_column(String(20))
    sort_key: Mapped[str] = mapped_column(SortKey, index=True)
    search_key: Mapped[str] = mapped_column(String(200), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)


class Programme(Base):
    """A programme (chương trình): long training ending in a diploma, or fostering ending in a certificate."""

    __tablename__ = "programmes"
    __table_args__ = (
        _enum_check("kind", PROGRAMME_KINDS),
        _enum_check("level", PROGRAMME_LEVELS),
        _enum_check("document_kind", DOCUMENT_KINDS),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    document_kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    modules: Mapped[list[Module]] = relationship(
        back_populates="programme", order_by="Module.position", cascade="all, delete-orphan"
    )
    rule_sets: Mapped[list[RuleSet]] = relationship(
        back_populates="programme", order_by="RuleSet.id", cascade="all, delete-orphan"
    )


class RuleSet(Timestamped, Base):
    """The rules a programme applies (pass mark, bands, absence limit...), editable data.

    A class keeps the rule set it was opened with, so a new regulation does not rewrite
    the results of classes already closed.
    """

    __tablename__ = "rule_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    regulation: Mapped[str | None] = mapped_column(Text)  # the regulation it follows, printed on reports
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)

    programme: Mapped[Programme] = relationship(back_populates="rule_sets")
    __mapper_args__ = {"version_id_col": version}


class Module(Base):
    """A module (học phần / môn / chuyên đề) with its periods (tiết); exams and thesis are modules too."""

    __tablename__ = "modules"
    __table_args__ = (
        UniqueConstraint("programme_id", "code"),
        _enum_check("kind", MODULE_KINDS),
        CheckConstraint("periods >= 0", name="periods_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    periods: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="module")
    position: Mapped[int] = mapped_column(Integer, default=0)
    part: Mapped[str | None] = mapped_column(String(200))  # phần (block of modules) when the programme has them
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # components and weights

    programme: Mapped[Programme] = relationship(back_populates="modules")


class Holiday(Base):
    """A day without lessons in the centre's calendar."""

    __tablename__ = "holidays"
    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200))


class TrainingClass(Timestamped, Base):
    """A class (lớp, khóa) running one programme."""

    __tablename__ = "classes"
    __table_args__ = (
        _enum_check("mode", CLASS_MODES),
        _enum_check("status", CLASS_STATUSES),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        Index("ix_classes_year_programme", "year", "programme_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_sets.id"))
    mode: Mapped[str] = mapped_column(String(20), default="full-time")
    venue: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)  # the year it opened, for plans and reports
    homeroom_lecturer_id: Mapped[int | None] = mapped_column(ForeignKey("lecturers.id"))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    weekdays: Mapped[list[Any] | None] = mapped_column(JSON)  # part-time: ISO weekdays it meets on
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    programme: Mapped[Programme] = relationship()
    rule_set: Mapped[RuleSet] = relationship()
    homeroom_lecturer: Mapped[Lecturer | None] = relationship()
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="training_class")
    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="training_class", order_by="ClassSession.date"
    )
    __mapper_args__ = {"version_id_col": version}


HALF_ORDER = {h: i for i, h in enumerate(HALVES)}


class ClassSession(Base):
    """A half-day session (buổi) of a class's timetable."""

    __tablename__ = "sessions"
    __table_args__ = (
        UniqueConstraint("class_id", "date", "half"),
        _enum_check("half", HALVES),
        _enum_check("kind", SESSION_KINDS),
        CheckConstraint("periods >= 0 AND periods <= 6", name="periods_range"),
        Index("ix_sessions_lecturer_date", "lecturer_id", "date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    half: Mapped[str] = mapped_column(String(10))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id"))
    lecturer_id: Mapped[int | None] = mapped_column(ForeignKey("lecturers.id"))
    periods: Mapped[int] = mapped_column(Integer, default=5)
    kind: Mapped[str] = mapped_column(String(20), default="lesson")
    topic: Mapped[str | None] = mapped_column(String(300))  # field trip place, exam name...

    training_class: Mapped[TrainingClass] = relationship(back_populates="sessions")
    module: Mapped[Module | None] = relationship()
    lecturer: Mapped[Lecturer | None] = relationship()


class Enrolment(Timestamped, Base):
    """A learner in a class, sent by an organisation."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("class_id", "learner_id"),
        _enum_check("status", ENROLMENT_STATUSES),
        _enum_check("confirmation", CONFIRMATIONS),
        _enum_check("discipline", DISCIPLINES),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="RESTRICT"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    position: Mapped[str | None] = mapped_column(String(200))  # position when sent
    status: Mapped[str] = mapped_column(String(20), default="enrolled")
    status_reason: Mapped[str | None] = mapped_column(Text)
    confirmation: Mapped[str] = mapped_column(String(20), default="missing")
    discipline: Mapped[str] = mapped_column(String(20), default="none")
    conduct: Mapped[str | None] = mapped_column(String(40))  # rèn luyện
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    training_class: Mapped[TrainingClass] = relationship(back_populates="enrolments")
    learner: Mapped[Learner] = relationship(back_populates="enrolments")
    organisation: Mapped[Organisation | None] = relationship()
    __mapper_args__ = {"version_id_col": version}


class AttendanceMark(Base):
    """One learner's status in one session; a missing row means not yet taken."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "enrolment_id"),
        _enum_check("status", ATTENDANCE_STATUSES),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    updated_by: Mapped[str | None] = mapped_column(String(60))


class MakeUp(Base):
    """Make-up lessons (học bổ sung) for a module, restoring eligibility as the rule set says."""

    __tablename__ = "makeups"
    __table_args__ = (CheckConstraint("periods > 0", name="periods_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    periods: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class Score(Base):
    """One score: overall (component '') or a component, per attempt (1 = first sitting, 2+ = retakes)."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "module_id", "attempt", "component"),
        CheckConstraint("value >= 0 AND value <= 10", name="value_range"),
        CheckConstraint("attempt >= 1", name="attempt_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    component: Mapped[str] = mapped_column(String(40), default="")
    value: Mapped[Decimal] = mapped_column(Numeric(3, 1))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    entered_by: Mapped[str | None] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class ScoreLock(Base):
    """A module's scores finalised by the training office for a class."""

    __tablename__ = "score_locks"
    __table_args__ = (UniqueConstraint("class_id", "module_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    locked_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    locked_by: Mapped[str | None] = mapped_column(String(60))


class GraduationResult(Base):
    """The outcome of the graduation review (xét tốt nghiệp) or course completion for one enrolment."""

    __tablename__ = "graduation_results"
    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), unique=True)
    average: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    classification: Mapped[str | None] = mapped_column(String(40))
    eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rank: Mapped[int | None] = mapped_column(Integer)
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)


class Register(Base):
    """A certificate register (sổ gốc) per kind of document and year, with its gap-free counter.

    A kind of document is the document kind and the programme's level: the diplomas of Sơ cấp
    and of Trung cấp are different documents, each with its register and number series; every
    certificate of completion shares one. `level` None is a register of the first builds, which
    kept every diploma of a year in one (closed when the registers were split, its lines kept)."""

    __tablename__ = "registers"
    __table_args__ = (UniqueConstraint("kind", "level", "year"), _enum_check("kind", DOCUMENT_KINDS))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20))  # the programmes' level; None: a combined register
    year: Mapped[int] = mapped_column(Integer)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)  # mở sổ
    closed_on: Mapped[dt.date | None] = mapped_column(Date)  # khóa sổ: nothing more is numbered in it
    name: Mapped[str] = mapped_column(String(200))
    serial_pattern: Mapped[str] = mapped_column(String(80))  # e.g. "{n:03d}/GCN-TTCT"
    register_pattern: Mapped[str] = mapped_column(String(80))  # e.g. "{n:04d}/{year}"
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Certificate(Timestamped, Base):
    """One issued document and its register line; a void or re-issue keeps its line."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("register_id", "serial"),
        UniqueConstraint("register_id", "register_number"),
        UniqueConstraint("register_id", "sequence"),
        _enum_check("status", CERTIFICATE_STATUSES),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="RESTRICT"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)  # n in the patterns, gap-free per register
    serial: Mapped[str] = mapped_column(String(60), index=True)  # số hiệu
    register_number: Mapped[str] = mapped_column(String(60))  # số vào sổ
    issue_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="issued")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    reason: Mapped[str | None] = mapped_column(Text)  # why revoked / reissued
    # What was printed, frozen at issue time: a copy must match the register exactly.
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date_text: Mapped[str] = mapped_column(String(20))
    place_of_birth: Mapped[str | None] = mapped_column(String(200))
    gender: Mapped[str] = mapped_column(String(1))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    classification: Mapped[str | None] = mapped_column(String(40))
    # The class's name as signed with the line (None on lines issued before the verification page).
    course: Mapped[str | None] = mapped_column(String(300))
    verification_code: Mapped[str] = mapped_column(String(120), index=True)
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    # Optimistic check: revoking or reissuing a line someone else changed meanwhile is a conflict.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    register: Mapped[Register] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    replaces: Mapped[Certificate | None] = relationship(remote_side=[id])


class OutgoingDocument(Timestamped, Base):
    """One line of the book of outgoing documents (sổ đăng ký văn bản đi): a decision, a letter, a
    report... numbered per year and kind ("12-QĐ/TCT"). A line is never deleted: a number given by
    mistake is voided with its reason. `source` names the program's document it numbers (the
    graduation decision of a class, a letter, the annual report), so that a reprint keeps its
    number; `content` freezes what the paper says beside the figures (the legal basis, who signs)."""

    __tablename__ = "outgoing_documents"
    __table_args__ = (
        UniqueConstraint("year", "kind", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("status IN ('issued', 'void')", name="status_valid"),
        Index("ix_outgoing_documents_source_live", "source", unique=True,
              sqlite_where=text("status = 'issued'"), postgresql_where=text("status = 'issued'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # QĐ, CV, BC, TB... (rules.documents.KINDS)
    number: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(60))  # the number and sign as printed: "12-QĐ/TCT"
    issued_on: Mapped[dt.date] = mapped_column(Date)  # the signing date printed on it
    subject: Mapped[str] = mapped_column(String(500))  # trích yếu
    recipients: Mapped[str | None] = mapped_column(Text)  # nơi nhận, one per line
    signer: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(200))
    typed: Mapped[bool] = mapped_column(Boolean, default=False)  # the number was typed (numbered outside)
    status: Mapped[str] = mapped_column(String(10), default="issued")
    void_reason: Mapped[str | None] = mapped_column(Text)
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class CertificateCopy(Base):
    """One line of the book of copies (sổ cấp bản sao): a copy of a diploma or certificate issued
    from its register line (Thông tư 21/2019/TT-BGDĐT), numbered per year without gaps."""

    __tablename__ = "certificate_copies"
    __table_args__ = (UniqueConstraint("year", "number"), CheckConstraint("number > 0", name="number_positive"))
    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    copy_number: Mapped[str] = mapped_column(String(60))  # as printed: "005/BS-2026"
    issued_on: Mapped[dt.date] = mapped_column(Date)
    requested_by: Mapped[str | None] = mapped_column(String(200))  # người yêu cầu cấp bản sao
    created_by: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    certificate: Mapped[Certificate] = relationship()


class PossibleDuplicate(Base):
    """Two learner records that may be one person (same name and birth date, no national ID to
    tell), proposed by an import for a person to decide. Merging moves the other record's
    enrolments to `learner_id` and removes it, keeping what undoing needs (`merged`) until the
    merge is confirmed."""

    __tablename__ = "possible_duplicates"
    __table_args__ = (UniqueConstraint("learner_id", "other_id"),
                      CheckConstraint("status IN ('open', 'merged', 'confirmed', 'dismissed')", name="status_valid"))
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int] = mapped_column(Integer, index=True)  # no key: the record is removed by a merge
    status: Mapped[str] = mapped_column(String(12), default="open")
    source: Mapped[str | None] = mapped_column(String(300))  # where it was found: file, sheet, row
    merged: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the removed record and what moved
    decided_by: Mapped[str | None] = mapped_column(String(60))
    found_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AnnualReportText(Base):
    """What the training office writes into the year's report: its assessment of the year and
    the tasks for the next (the report prints a default made from the figures until then)."""

    __tablename__ = "annual_report_texts"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment: Mapped[str | None] = mapped_column(Text)
    next_year: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())
    updated_by: Mapped[str | None] = mapped_column(String(60))


class AnnualPlan(Base):
    """Target classes and learners per programme for a year (kế hoạch)."""

    __tablename__ = "annual_plans"
    __table_args__ = (UniqueConstraint("year", "programme_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    target_classes: Mapped[int] = mapped_column(Integer, default=0)
    target_learners: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)


class TrainingNeed(Base):
    """Training needs registered by an organisation (đăng ký nhu cầu)."""

    __tablename__ = "training_needs"
    __table_args__ = (UniqueConstraint("year", "organisation_id", "programme_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    learners: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class Feedback(Base):
    """One learner feedback form (phiếu phản hồi) on a lecturer's module; ratings 1–5."""

    __tablename__ = "feedback"
    __table_args__ = tuple(
        CheckConstraint(f"{c} BETWEEN 1 AND 5", name=f"{c}_range")
        for c in ("content", "method", "manner", "usefulness")
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id"))
    lecturer_id: Mapped[int | None] = mapped_column(ForeignKey("lecturers.id"))
    content: Mapped[int] = mapped_column(Integer)
    method: Mapped[int] = mapped_column(Integer)
    manner: Mapped[int] = mapped_column(Integer)
    usefulness: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


class FollowUp(Base):
    """A graduate's outcome in one year after the course (đánh giá sau đào tạo)."""

    __tablename__ = "followups"
    __table_args__ = (UniqueConstraint("enrolment_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    annual_rating: Mapped[str | None] = mapped_column(String(60))
    planned: Mapped[bool] = mapped_column(Boolean, default=False)  # quy hoạch
    rotated: Mapped[bool] = mapped_column(Boolean, default=False)
    promoted: Mapped[bool] = mapped_column(Boolean, default=False)
    higher_duties: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)


class User(Timestamped, Base):
    """An account of the program; roles decide what it may change."""

    __tablename__ = "users"
    __table_args__ = (_enum_check("role", ROLES),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    lecturer_id: Mapped[int | None] = mapped_column(ForeignKey("lecturers.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The account's signing key is derived from its password (see accounts); only the public half
    # is stored, with the derivation's salt and costs. Every audit entry the account makes is
    # signed with it, so the log cannot be extended or re-hashed without a password.
    public_key: Mapped[str | None] = mapped_column(String(60))
    key_params: Mapped[str | None] = mapped_column(String(200))


class SigningKey(Base):
    """A public key an administrator enrolled for signing documents (one per issuing PC).

    Only enrolled keys are trusted when a document is verified, and a PC may only issue with an
    enrolled key; enrolling and retiring are audited."""

    __tablename__ = "signing_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(12), unique=True)
    public_key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))  # which PC, written by the administrator
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    enrolled_by: Mapped[str | None] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AuditEntry(Base):
    """Who changed what, when, from which value to which, and why; chained by hash."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    # Position in the chain: 1, 2, 3... without gaps (ids may skip on PostgreSQL).
    seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    # 1: the first build's digest; 2: the digest also covers seq and state.
    format: Mapped[int] = mapped_column(Integer, default=2, server_default="1")
    # For protected records (scores, locks, results, certificates, accounts, signing keys): the
    # record's value after the change, as JSON {"v": ...} ({"v": null}: removed). `audit verify`
    # compares the records with the last value the log holds for them.
    state: Mapped[str | None] = mapped_column(Text)
    # Ed25519 signature of `hash` by the acting account's key (base64); None for the local
    # administrator of a database without accounts.
    signature: Mapped[str | None] = mapped_column(String(100))
