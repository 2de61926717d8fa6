"""Printer calibration (setting `printer_calibration`, and `printer_calibrations` by printer name):
the correction applied to every position, `printed at = offset + scale × position in the layout`.
A printer that prints 1.5 mm too far right needs `offset_x_mm` = -1.5; one that stretches
297 mm to 298 mm needs `scale_x` = 297/298. `from_measurements` works both out from where the
marks of the test page (`pages.test_page_ops`) came out on paper.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr


@dataclass(frozen=True)
class Calibration:
    """The correction for one printer: printed at = offset + scale × position (millimetres)."""

    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    scale_x: float = 1.0
    scale_y: float = 1.0

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return self.offset_x_mm + self.scale_x * x, self.offset_y_mm + self.scale_y * y

    def as_setting(self) -> dict[str, float]:
        return {"offset_x_mm": round(self.offset_x_mm, 2), "offset_y_mm": round(self.offset_y_mm, 2),
                "scale_x": round(self.scale_x, 5), "scale_y": round(self.scale_y, 5)}

    @property
    def is_identity(self) -> bool:
        return self == Calibration()


MAX_OFFSET_MM = 30.0
SCALE_RANGE = (0.9, 1.1)


def calibration_from_setting(value: Any) -> Calibration:
    """A calibration from its stored form; InputError when a number is missing or out of range."""
    if not value:
        return Calibration()
    if not isinstance(value, Mapping):
        raise InputError(tr("layouts", "Căn chỉnh máy in không hợp lệ."))
    numbers: dict[str, float] = {}
    for key, default in (("offset_x_mm", 0.0), ("offset_y_mm", 0.0), ("scale_x", 1.0), ("scale_y", 1.0)):
        raw = value.get(key, default)
        try:
            numbers[key] = float(str(raw).replace(",", "."))
        except ValueError:
            raise InputError(tr("layouts", "Căn chỉnh máy in: '{key}' không phải số.").format(key=key)) from None
    for key in ("offset_x_mm", "offset_y_mm"):
        if abs(numbers[key]) > MAX_OFFSET_MM:
            raise InputError(tr("layouts", "Căn chỉnh máy in: độ lệch {value} mm quá lớn (tối đa {max} mm).").format(
                value=text.format_decimal(numbers[key], 1), max=int(MAX_OFFSET_MM)))
    for key in ("scale_x", "scale_y"):
        if not SCALE_RANGE[0] <= numbers[key] <= SCALE_RANGE[1]:
            raise InputError(tr("layouts", "Căn chỉnh máy in: tỉ lệ {value} phải từ 0,9 đến 1,1.").format(
                value=text.format_decimal(numbers[key], 4)))
    return Calibration(**numbers)


def calibration_for(values: Mapping[str, Any], printer: str | None = None) -> Calibration:
    """The calibration for a printer: its own (`printer_calibrations[name]`), else the centre's
    (`printer_calibration`)."""
    per_printer = values.get("printer_calibrations") or {}
    if printer and isinstance(per_printer, Mapping) and per_printer.get(printer):
        return calibration_from_setting(per_printer[printer])
    return calibration_from_setting(values.get("printer_calibration"))


#: Where the test page puts its three marks (mm from the top-left edge of A4 landscape).
MARK_A = (20.0, 20.0)
MARK_B = (277.0, 20.0)
MARK_C = (20.0, 190.0)


def from_measurements(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> Calibration:
    """The correction from where marks A, B and C of the uncalibrated test page came out
    (each measured from the paper's left and top edges, in mm)."""
    printed_sx = (b[0] - a[0]) / (MARK_B[0] - MARK_A[0])
    printed_sy = (c[1] - a[1]) / (MARK_C[1] - MARK_A[1])
    if printed_sx <= 0 or printed_sy <= 0:
        raise InputError(tr("layouts", "Số đo không hợp lệ: dấu B phải ở bên phải dấu A, dấu C ở dưới dấu A."))
    printed_ox = a[0] - printed_sx * MARK_A[0]
    printed_oy = a[1] - printed_sy * MARK_A[1]
    # The printer maps p to o + s·p; asking for (t - o) / s puts the mark at t.
    return calibration_from_setting({"offset_x_mm": -printed_ox / printed_sx, "offset_y_mm": -printed_oy / printed_sy,
                                     "scale_x": 1 / printed_sx, "scale_y": 1 / printed_sy})
