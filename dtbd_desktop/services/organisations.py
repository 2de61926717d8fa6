"""Sending organisations (đơn vị cử đi học) as a tree: province → district → commune, and agencies."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import ORGANISATION_BLOCKS, ORGANISATION_LEVELS, Enrolment, Learner, Organisation
from dtbd_desktop.trust.operations import operation

LEVEL_LABELS = {"province": tr_noop("organisations", "Cấp tỉnh"), "district": tr_noop("organisations", "Cấp huyện"), "commune": tr_noop("organisations", "Cấp xã"), "agency": tr_noop("organisations", "Cơ quan, đơn vị")}
BLOCK_LABELS = {"party": tr_noop("organisations", "Khối Đảng"), "government": tr_noop("organisations", "Khối chính quyền"), "front": tr_noop("organisations", "Mặt trận Tổ quốc"),
                "mass": tr_noop("organisations", "Đoàn thể"), "other": tr_noop("organisations", "Khác")}


@dataclass
class OrganisationNode:
    id: int
    name: str
    short_name: str | None
    level: str
    block: str
    parent_id: int | None
    learners: int = 0
    children: list[OrganisationNode] = field(default_factory=list)


def organisation_tree(session: Session) -> list[OrganisationNode]:
    """All organisations as a forest, siblings in Vietnamese order, with their learner counts."""
    counts = dict(session.execute(
        select(Learner.organisation_id, func.count()).group_by(Learner.organisation_id)).all())
    nodes = {
        o.id: OrganisationNode(o.id, o.name, o.short_name, o.level, o.block, o.parent_id, counts.get(o.id, 0))
        for o in session.scalars(select(Organisation))
    }
    roots: list[OrganisationNode] = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id is not None else None
        (parent.children if parent else roots).append(node)
    for node in [*nodes.values()]:
        node.children.sort(key=lambda n: text.vn_sort_key(n.name))
    roots.sort(key=lambda n: text.vn_sort_key(n.name))
    return roots


def _validate(session: Session, name: str | None, level: str, block: str, parent_id: int | None,
              own_id: int | None = None) -> list[Problem]:
    problems: list[Problem] = []
    if not name:
        problems.append(Problem(tr("organisations", "Tên đơn vị không được để trống."), field="name"))
    if level not in ORGANISATION_LEVELS:
        problems.append(Problem(tr("organisations", "Cấp đơn vị không hợp lệ."), field="level"))
    if block not in ORGANISATION_BLOCKS:
        problems.append(Problem(tr("organisations", "Khối không hợp lệ."), field="block"))
    if parent_id is not None and session.get(Organisation, parent_id) is None:
        problems.append(Problem(tr("organisations", "Không có đơn vị cấp trên đã chọn."), field="parent"))
    # No cycles: the parent may not be the organisation itself or one of its descendants.
    ancestor = parent_id
    while ancestor is not None and own_id is not None:
        if ancestor == own_id:
            problems.append(Problem(tr("organisations", "Không thể đặt một đơn vị làm cấp dưới của chính nó."),
                                    field="parent"))
            break
        parent = session.get(Organisation, ancestor)
        ancestor = parent.parent_id if parent else None
    if name:
        clash = session.scalar(select(Organisation.id).where(
            Organisation.name == name,
            Organisation.parent_id.is_(None) if parent_id is None else Organisation.parent_id == parent_id))
        if clash is not None and clash != own_id:
            problems.append(Problem(tr("organisations", "Đã có đơn vị '{name}' ở cùng cấp trên.").format(name=name),
                                    field="name"))
    return problems


@operation("organisations.save", permission="edit_catalogue")
def save_organisation(session: Session, *, name: str, level: str = "agency", block: str = "other",
                      parent_id: int | None = None, short_name: str | None = None,
                      organisation_id: int | None = None) -> Organisation:
    clean = text.clean(name)
    problems = _validate(session, clean, level, block, parent_id, organisation_id)
    if problems:
        raise InputError(tr("organisations", "Chưa lưu được đơn vị."), problems)
    assert clean
    if organisation_id is None:
        org = Organisation(name=clean)
        session.add(org)
    else:
        found = session.get(Organisation, organisation_id)
        if found is None:
            raise NotFoundError(tr("organisations", "Không tìm thấy đơn vị cần sửa."))
        org = found
    org.name, org.level, org.block, org.parent_id = clean, level, block, parent_id
    org.short_name = text.clean(short_name)
    org.search_key = text.fold(clean)
    session.flush()
    return org


@operation("organisations.delete", permission="edit_catalogue")
def delete_organisation(session: Session, organisation_id: int) -> None:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError(tr("organisations", "Không tìm thấy đơn vị cần xóa."))
    if session.scalar(select(func.count()).select_from(Organisation).where(Organisation.parent_id == org.id)):
        raise InputError(tr("organisations", "Đơn vị '{name}' còn đơn vị cấp dưới; hãy xóa hoặc chuyển chúng trước.")
                         .format(name=org.name))
    used = session.scalar(select(func.count()).select_from(Learner).where(Learner.organisation_id == org.id)) or 0
    used += session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.organisation_id == org.id)) or 0
    if used:
        raise InputError(tr("organisations", "Đơn vị '{name}' đã có học viên nên không xóa được.").format(name=org.name))
    from dtbd_desktop.trust import audit

    audit.record(session, action="organisations.delete", entity="organisation", entity_id=org.id, old=org.name)
    session.delete(org)
    session.flush()
