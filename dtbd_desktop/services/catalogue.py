"""The programme catalogue: seeding it, reading it, and the centre's edits to it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.paths import resource_path
from dtbd_desktop.db.models import MODULE_KINDS, Module, Programme, RuleSet, TrainingClass
from dtbd_desktop.rules.rule_sets import (
    check_legal_basis,
    default_rules,
    legal_basis_lines,
    validate_rules,
    with_defaults,
)
from dtbd_desktop.trust.operations import operation


@dataclass(frozen=True)
class ModuleInfo:
    id: int
    code: str
    name: str
    periods: int
    kind: str
    part: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "periods": self.periods, "kind": self.kind}


@dataclass(frozen=True)
class ProgrammeInfo:
    id: int
    code: str
    name: str
    kind: str
    level: str
    document_kind: str
    description: str | None
    active: bool
    modules: list[ModuleInfo] = field(default_factory=list)
    rule_set_id: int | None = None
    rule_set_name: str | None = None
    regulation: str | None = None
    rules: dict[str, Any] = field(default_factory=dict)
    classes: int = 0

    @property
    def total_periods(self) -> int:
        return sum(m.periods for m in self.modules)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "modules": [m.as_json() for m in self.modules],
        }


@lru_cache(maxsize=1)
def load_catalogue_file() -> dict[str, Any]:
    with resource_path("catalogue", "programmes.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def current_rule_set(programme: Programme) -> RuleSet | None:
    """The rule set new classes of the programme get: the latest one."""
    return programme.rule_sets[-1] if programme.rule_sets else None


def seed_catalogue(session: Session, *, only_if_empty: bool = False) -> int:
    """Add the seeded programmes whose codes are missing; the centre's edits are never overwritten."""
    if only_if_empty and session.scalar(select(func.count(Programme.id))):
        return 0
    existing = set(session.scalars(select(Programme.code)))
    added = 0
    for position, entry in enumerate(load_catalogue_file()["programmes"]):
        if entry["code"] in existing:
            continue
        programme = Programme(
            code=entry["code"],
            name=text.nfc(entry["name"]),
            kind=entry["kind"],
            level=entry["level"],
            document_kind=entry["document_kind"],
            description=entry.get("description"),
            position=position,
        )
        for index, m in enumerate(entry["modules"]):
            programme.modules.append(
                Module(code=m["code"], name=text.nfc(m["name"]), periods=int(m["periods"]),
                       kind=m.get("kind", "module"), part=m.get("part"), position=index)
            )
        programme.rule_sets.append(
            RuleSet(
                name=tr("catalogue", "Quy định chung của chương trình"),
                regulation=entry.get("regulation"),
                params=default_rules(entry["kind"]),
            )
        )
        session.add(programme)
        added += 1
    session.flush()
    return added


def _info(programme: Programme, classes: int = 0) -> ProgrammeInfo:
    rule_set = current_rule_set(programme)
    return ProgrammeInfo(
        id=programme.id,
        code=programme.code,
        name=programme.name,
        kind=programme.kind,
        level=programme.level,
        document_kind=programme.document_kind,
        description=programme.description,
        active=programme.active,
        modules=[ModuleInfo(m.id, m.code, m.name, m.periods, m.kind, m.part) for m in programme.modules],
        rule_set_id=rule_set.id if rule_set else None,
        rule_set_name=rule_set.name if rule_set else None,
        regulation=rule_set.regulation if rule_set else None,
        rules=with_defaults(rule_set.params, programme.kind) if rule_set else default_rules(programme.kind),
        classes=classes,
    )


def list_programmes(session: Session) -> list[ProgrammeInfo]:
    counts = dict(
        session.execute(select(TrainingClass.programme_id, func.count()).group_by(TrainingClass.programme_id)).all()
    )
    programmes = session.scalars(
        select(Programme)
        .options(selectinload(Programme.modules), selectinload(Programme.rule_sets))
        .order_by(Programme.position, Programme.code)
    ).all()
    return [_info(p, counts.get(p.id, 0)) for p in programmes]


def get_programme(session: Session, code: str) -> Programme:
    programme = session.scalar(select(Programme).where(Programme.code == code))
    if programme is None:
        known = ", ".join(session.scalars(select(Programme.code).order_by(Programme.position)))
        raise NotFoundError(
            tr("catalogue", "Không có chương trình mã '{code}'. Các mã hiện có: {known}.").format(code=code, known=known)
        )
    return programme


def programme_info(session: Session, code: str) -> ProgrammeInfo:
    return _info(get_programme(session, code))


@dataclass
class ModuleEdit:
    """One row of the module editor; id None for a new module."""

    code: str
    name: str
    periods: int
    kind: str = "module"
    part: str | None = None
    id: int | None = None


@operation("programmes.save", permission="edit_catalogue")
def save_programme(
    session: Session,
    code: str,
    *,
    name: str,
    description: str | None,
    active: bool,
    modules: list[ModuleEdit],
) -> ProgrammeInfo:
    """Save the programme's name and its modules as edited; refuses the whole edit on any problem."""
    programme = get_programme(session, code)
    problems: list[Problem] = []
    clean_name = text.clean(name)
    if not clean_name:
        problems.append(Problem(tr("catalogue", "Tên chương trình không được để trống."), field="name"))
    seen: set[str] = set()
    for row, m in enumerate(modules, start=1):
        mcode = text.clean(m.code) or ""
        if not mcode:
            problems.append(Problem(tr("catalogue", "Thiếu mã học phần.").format(row=row), row=row, column="code"))
        elif mcode in seen:
            problems.append(Problem(tr("catalogue", "Mã học phần '{code}' bị trùng.").format(row=row, code=mcode),
                                    row=row, column="code"))
        seen.add(mcode)
        if not text.clean(m.name):
            problems.append(Problem(tr("catalogue", "Thiếu tên học phần.").format(row=row), row=row, column="name"))
        if not isinstance(m.periods, int) or m.periods < 0 or m.periods > 2000:
            problems.append(Problem(tr("catalogue", "Số tiết phải là số nguyên từ 0 đến 2000.").format(row=row),
                                    row=row, column="periods"))
        if m.kind not in MODULE_KINDS:
            problems.append(Problem(tr("catalogue", "Loại học phần không hợp lệ.").format(row=row),
                                    row=row, column="kind"))
    by_id = {m.id: m for m in programme.modules}
    kept = {m.id for m in modules if m.id is not None}
    removed_ids = set(by_id) - kept
    if removed_ids and session.scalar(
        select(func.count(TrainingClass.id)).where(TrainingClass.programme_id == programme.id)
    ):
        for removed in sorted(removed_ids):
            problems.append(Problem(
                tr("catalogue", "Không xóa được học phần '{code}' vì chương trình đã có lớp học; hãy đổi tên thay vì xóa.")
                .format(code=by_id[removed].code), field="modules"))
    if problems:
        raise InputError(tr("catalogue", "Chưa lưu được chương trình {code}.").format(code=code), problems)
    programme.name = clean_name or programme.name
    programme.description = text.clean(description)
    programme.active = active
    for removed in removed_ids:
        programme.modules.remove(by_id[removed])
    for position, m in enumerate(modules):
        target = by_id.get(m.id) if m.id is not None else None
        if target is None:
            target = Module(programme=programme)
            programme.modules.append(target)
        target.code = text.nfc(m.code)
        target.name = text.nfc(m.name)
        target.periods = m.periods
        target.kind = m.kind
        target.part = text.clean(m.part)
        target.position = position
    session.flush()
    return _info(programme)


def clean_legal_basis(value: str) -> str:
    """The legal basis as stored: one regulation per line, each line NFC and trimmed, refused
    (InputError naming the line) when empty or holding a note instead of a regulation."""
    problems = check_legal_basis(value)
    if problems:
        raise InputError(tr("catalogue", "Căn cứ chưa hợp lệ, chưa lưu."), problems)
    return "\n".join(text.nfc(line) for line in legal_basis_lines(value))


@operation("programmes.save_rules", permission="edit_catalogue")
def save_rule_set(
    session: Session, code: str, params: dict[str, Any], *, name: str | None = None, regulation: str | None = None
) -> ProgrammeInfo:
    """Save an edited rule set. If classes already use the current one and its rules change, a new
    version is added, so their results keep the rules they were reviewed under; otherwise it is
    edited in place (a new name or legal basis alone changes no result, so classes keep it too).
    `regulation` is the legal basis (căn cứ), one regulation per line; None keeps the current one."""
    programme = get_programme(session, code)
    problems = validate_rules(params)
    if problems:
        raise InputError(tr("catalogue", "Quy định chưa hợp lệ, chưa lưu."), problems)
    basis = clean_legal_basis(regulation) if regulation is not None else None
    rule_set = current_rule_set(programme)
    in_use = rule_set is not None and session.scalar(
        select(func.count(TrainingClass.id)).where(TrainingClass.rule_set_id == rule_set.id)
    )
    same_rules = rule_set is not None and dict(rule_set.params or {}) == dict(params)
    if rule_set is None or (in_use and not same_rules):
        rule_set = RuleSet(
            programme=programme,
            name=text.clean(name) or tr("catalogue", "Quy định sửa đổi"),
            regulation=basis if basis is not None else (rule_set.regulation if rule_set is not None else None),
            params=dict(params),
        )
        session.add(rule_set)
    else:
        rule_set.params = dict(params)
        if name is not None:
            rule_set.name = text.clean(name) or rule_set.name
        if basis is not None:
            rule_set.regulation = basis
    session.flush()
    session.refresh(programme)
    return _info(programme)


@operation("programmes.save_legal_basis", permission="edit_catalogue")
def save_legal_basis(session: Session, code: str, legal_basis: str) -> ProgrammeInfo:
    """Set the legal basis (căn cứ) of the programme's current rule set, in place: it changes no
    result, and the classes that use the rule set print it from now on (a decision already
    numbered keeps the one it was signed with)."""
    programme = get_programme(session, code)
    basis = clean_legal_basis(legal_basis)
    rule_set = current_rule_set(programme)
    if rule_set is None:
        raise InputError(tr("catalogue", "Chương trình {code} chưa có quy định để ghi căn cứ.").format(code=code))
    rule_set.regulation = basis
    session.flush()
    return _info(programme)
