"""The centre's settings in the core: what is valid (boundaries), age bands, the logo, checked saving."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import select

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry
from dtbd_desktop.printing import layouts
from dtbd_desktop.services import settings
from dtbd_desktop.trust import operations
from tests.logins import admin_login, create_account

PNG = settings.PNG_SIGNATURE + b"\x00" * 64  # only the signature matters to the check
GOOD_CALIBRATION = {"offset_x_mm": -1.5, "offset_y_mm": 2.0, "scale_x": 0.995, "scale_y": 1.0}


@pytest.mark.parametrize(("values", "refused"), [
    ({"centre_name": "Trường Chính trị tỉnh Long An"}, False),
    ({"centre_name": "   "}, True),
    ({"centre_name": "x" * settings.TEXT_LIMIT}, False),
    ({"centre_name": "x" * (settings.TEXT_LIMIT + 1)}, True),
    ({"place_name": ""}, True),
    ({"superior_body": ""}, False),
    ({"director_name": 5}, True),
    ({"party_heading": "có"}, True),
    ({"attendance_lock_days": 0}, False),
    ({"attendance_lock_days": 365}, False),
    ({"attendance_lock_days": 366}, True),
    ({"attendance_lock_days": -1}, True),
    ({"attendance_lock_days": True}, True),
    ({"backup_keep": 0}, True),
    ({"backup_keep": 1}, False),
    ({"young_cadre_max_age": 17}, True),
    ({"young_cadre_max_age": 35}, False),
    ({"age_band_limits": [30, 40, 50]}, False),
    ({"age_band_limits": [30]}, False),
    ({"age_band_limits": []}, True),
    ({"age_band_limits": [40, 40]}, True),
    ({"age_band_limits": [50, 40]}, True),
    ({"age_band_limits": [14, 40]}, True),
    ({"age_band_limits": [30, "bốn mươi"]}, True),
    ({"printer_calibration": GOOD_CALIBRATION}, False),
    ({"printer_calibration": {**GOOD_CALIBRATION, "offset_x_mm": -30.0}}, False),
    ({"printer_calibration": {**GOOD_CALIBRATION, "offset_x_mm": -30.1}}, True),
    ({"printer_calibration": {**GOOD_CALIBRATION, "scale_y": 0.9}}, False),
    ({"printer_calibration": {**GOOD_CALIBRATION, "scale_y": 0.89}}, True),
    ({"printer_calibration": {**GOOD_CALIBRATION, "scale_x": 1.1}}, False),
    ({"printer_calibration": {**GOOD_CALIBRATION, "scale_x": 1.11}}, True),
    ({"printer_calibration": {"offset_x_mm": 0}}, True),
    ({"logo_png": None}, False),
    ({"logo_png": base64.b64encode(PNG).decode()}, False),
    ({"logo_png": base64.b64encode(b"GIF89a....").decode()}, True),
    ({"logo_png": "không phải base64"}, True),
])
def test_what_is_valid(values: dict[str, Any], refused: bool) -> None:
    problems = settings.check_settings(values)
    assert bool(problems) is refused, problems
    assert all(p.field == next(iter(values)) for p in problems)


def test_age_bands() -> None:
    bands = settings.age_bands([30, 40, 50])
    assert bands == [(None, 29), (30, 39), (40, 49), (50, None)]
    assert [settings.age_band_label(b) for b in bands] == ["dưới 30", "30–39", "40–49", "từ 50"]
    assert settings.age_bands([35]) == [(None, 34), (35, None)]


def test_a_logo_too_large_is_refused() -> None:
    with pytest.raises(InputError, match="quá lớn"):
        settings.encode_logo(settings.PNG_SIGNATURE + b"\x00" * settings.MAX_LOGO_BYTES)
    assert settings.decode_logo(settings.encode_logo(PNG)) == PNG


def test_saving_stores_what_changed_and_logs_it(db: Database) -> None:
    with db.write(raw=True) as session:
        settings.save_settings(session, centre_name="Trường Chính trị tỉnh Long An", place_name="Long An",
                               printer_calibration={"offset_x_mm": 1, "offset_y_mm": 0, "scale_x": 1, "scale_y": 1},
                               logo_png=settings.encode_logo(PNG))
    with db.write(raw=True) as session:
        settings.save_settings(session, centre_name="Trường Chính trị tỉnh Long An", place_name="Tân An")
    with db.read() as session:
        values = settings.get_settings(session)
        assert settings.logo_png(session) == PNG
        log = [(e.entity_id, e.old_value, e.new_value) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "settings.change").order_by(AuditEntry.id))]
    assert values["place_name"] == "Tân An"
    assert layouts.calibration_for(values) == layouts.Calibration(1.0, 0.0, 1.0, 1.0)  # what printing applies
    assert values["printer_calibration"] == {"offset_x_mm": 1.0, "offset_y_mm": 0.0, "scale_x": 1.0, "scale_y": 1.0}
    assert [key for key, _old, _new in log] == ["centre_name", "place_name", "printer_calibration", "logo_png",
                                                "place_name"]
    assert log[-1][1:] == ("Long An", "Tân An")
    assert "PNG" in (log[3][2] or "") and len(log[3][2] or "") < 40  # the image itself is not in the log


def test_a_refused_value_stores_nothing(db: Database) -> None:
    with pytest.raises(InputError) as refused, db.write(raw=True) as session:
        settings.save_settings(session, centre_name="Trường Chính trị tỉnh Long An", backup_keep=0)
    assert [p.field for p in refused.value.problems] == ["backup_keep"]
    with pytest.raises(InputError, match="Không có mục cài đặt: mau_nen"), db.write(raw=True) as session:
        settings.save_settings(session, mau_nen="đỏ")
    with db.read() as session:
        assert settings.get_settings(session)["centre_name"] == settings.DEFAULTS["centre_name"]


def test_only_those_allowed_change_settings(sqlite_db: Database) -> None:
    with sqlite_db.write(raw=True) as session:
        settings.save_settings(session, centre_name="Trường Chính trị tỉnh Long An", place_name="Long An")
    admin = admin_login(sqlite_db)
    lan = create_account(sqlite_db, "lan", "office", by=admin, full_name="Trần Thị Lan")
    with pytest.raises(InputError, match="không có quyền"), operations.writing(sqlite_db, lan) as session:
        settings.save_settings(session, director_name="Nguyễn Văn Bình")
    with pytest.raises(InputError, match="đăng nhập"), operations.writing(sqlite_db, None) as session:
        settings.save_settings(session, director_name="Nguyễn Văn Bình")
    with operations.writing(sqlite_db, admin) as session:
        settings.save_settings(session, director_name="Nguyễn Văn Bình")
    with sqlite_db.read() as session:
        assert settings.get_settings(session)["director_name"] == "Nguyễn Văn Bình"
