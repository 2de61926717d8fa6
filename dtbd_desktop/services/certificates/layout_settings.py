"""The centre's layouts and printer calibrations, kept in the settings so that every PC prints
the same: the layouts saved over the bundled ones, the layout chosen for each programme, the
calibration of each printer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import InputError, NotFoundError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Programme, TrainingClass
from dtbd_desktop.printing import layouts
from dtbd_desktop.services import settings
from dtbd_desktop.trust import audit
from dtbd_desktop.trust.operations import operation


def load_layouts(session: Session) -> dict[str, layouts.Layout]:
    return layouts.merge_layouts(layouts.bundled_layouts(), settings.get_setting(session, "certificate_layouts") or {})


@operation("certificates.save_layout", permission="edit_catalogue")
def save_layout(session: Session, layout: layouts.Layout) -> layouts.Layout:
    """Keep the centre's version of a layout in the database (version + 1), for every PC."""
    stored = dict(settings.get_setting(session, "certificate_layouts") or {})
    current = load_layouts(session).get(layout.id)
    saved = layout.copy()
    saved.version = max(layout.version, current.version if current else 0) + 1
    checked = layouts.layout_from_json(saved.to_json())  # refuses what would not load again
    stored[layout.id] = checked.to_json()
    settings.set_settings(session, certificate_layouts=stored)
    audit.record(session, action="layout.save", entity="layout", entity_id=layout.id, new=checked.version)
    return checked


@operation("certificates.reset_layout", permission="edit_catalogue")
def reset_layout(session: Session, layout_id: str) -> None:
    """Go back to the layout shipped with the program."""
    stored = dict(settings.get_setting(session, "certificate_layouts") or {})
    if stored.pop(layout_id, None) is not None:
        settings.set_settings(session, certificate_layouts=stored)
        audit.record(session, action="layout.reset", entity="layout", entity_id=layout_id)


def layout_for_class(session: Session, cls: TrainingClass) -> layouts.Layout:
    chosen = settings.get_setting(session, "certificate_layout_by_programme") or {}
    return layouts.choose_layout(load_layouts(session), cls.programme.document_kind, cls.programme.code, chosen)


def calibration(session: Session, printer: str | None = None) -> layouts.Calibration:
    return layouts.calibration_for(settings.get_settings(session), printer)


def programme_layouts(session: Session) -> dict[str, str]:
    return dict(settings.get_setting(session, "certificate_layout_by_programme") or {})


@operation("certificates.set_programme_layout", permission="edit_catalogue")
def set_programme_layout(session: Session, programme_code: str, layout_id: str | None) -> None:
    chosen = programme_layouts(session)
    programme = session.scalar(select(Programme).where(Programme.code == programme_code))
    if programme is None:
        raise NotFoundError(tr("certificates", "Không có chương trình '{code}'.").format(code=programme_code))
    if layout_id:
        available = load_layouts(session)
        if layout_id not in available or available[layout_id].document_kind != programme.document_kind:
            raise InputError(tr("certificates", "Mẫu in '{id}' không dùng được cho chương trình {code}.").format(
                id=layout_id, code=programme_code))
        chosen[programme_code] = layout_id
    else:
        chosen.pop(programme_code, None)
    settings.set_settings(session, certificate_layout_by_programme=chosen)


@operation("certificates.save_calibration", permission="edit_catalogue")
def save_calibration(session: Session, cal: layouts.Calibration, printer: str | None = None) -> None:
    """Keep a printer's calibration (or the centre's default when `printer` is None)."""
    checked = layouts.calibration_from_setting(cal.as_setting())
    if printer:
        per_printer = dict(settings.get_setting(session, "printer_calibrations") or {})
        per_printer[printer] = checked.as_setting()
        settings.set_settings(session, printer_calibrations=per_printer)
    else:
        settings.set_settings(session, printer_calibration=checked.as_setting())
    audit.record(session, action="printer.calibrate", entity="printer", entity_id=printer or "*",
                 new=checked.as_setting())
