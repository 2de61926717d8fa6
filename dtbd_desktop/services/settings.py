"""Centre-wide settings stored in the database, with defaults."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.db.models import Setting

DEFAULTS: dict[str, Any] = {
    "centre_name": "TRUNG TÂM CHÍNH TRỊ",
    "superior_body": "",
    "place_name": "",
    "director_title": "GIÁM ĐỐC",
    "director_name": "",
    "party_heading": True,  # "ĐẢNG CỘNG SẢN VIỆT NAM" on the right of the letterhead
    "attendance_lock_days": 7,
    "backup_keep": 10,
    "young_cadre_max_age": 35,
    "demo": False,
}


def get_settings(session: Session) -> dict[str, Any]:
    values = dict(DEFAULTS)
    values.update({s.key: s.value for s in session.scalars(select(Setting))})
    return values


def get_setting(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    return row.value if row is not None else DEFAULTS.get(key)


def set_settings(session: Session, **values: Any) -> None:
    for key, value in values.items():
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    session.flush()
