"""Printer calibration: print the millimetre test page, measure marks A, B, C, keep the correction.

The correction is kept per printer (setting `printer_calibrations`) or as the centre's default
(`printer_calibration`, which the settings screen edits too).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.certificates_preview import print_pages
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.printing import layouts
from dtbd_desktop.services import certificates, settings


def _spin(low: float, high: float, decimals: int, step: float, value: float = 0.0) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setValue(value)
    return box


class CalibrationDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.values: dict[str, Any] = {}
        self.setWindowTitle(tr("certificates_calibration", "Căn chỉnh máy in"))
        fit_to_screen(self, 620, 520)
        self.printer = QComboBox()
        self.printer.setObjectName("calibration_printer")
        self.printer.addItem(tr("certificates_calibration", "(mặc định cho mọi máy in)"), None)
        for name in QPrinterInfo.availablePrinterNames():
            self.printer.addItem(name, name)

        self.offset_x = _spin(-layouts.MAX_OFFSET_MM, layouts.MAX_OFFSET_MM, 2, 0.1)
        self.offset_y = _spin(-layouts.MAX_OFFSET_MM, layouts.MAX_OFFSET_MM, 2, 0.1)
        self.scale_x = _spin(*layouts.SCALE_RANGE, 5, 0.001, 1.0)
        self.scale_y = _spin(*layouts.SCALE_RANGE, 5, 0.001, 1.0)
        for name, box in (("offset_x", self.offset_x), ("offset_y", self.offset_y), ("scale_x", self.scale_x),
                          ("scale_y", self.scale_y)):
            box.setObjectName(f"calibration_{name}")
        values_box = QGroupBox(tr("certificates_calibration", "Hiệu chỉnh (vị trí in = độ lệch + tỉ lệ × vị trí trên mẫu)"))
        form = QFormLayout(values_box)
        form.addRow(tr("certificates_calibration", "Lệch ngang (mm):"), self.offset_x)
        form.addRow(tr("certificates_calibration", "Lệch dọc (mm):"), self.offset_y)
        form.addRow(tr("certificates_calibration", "Tỉ lệ ngang:"), self.scale_x)
        form.addRow(tr("certificates_calibration", "Tỉ lệ dọc:"), self.scale_y)

        measure_box = QGroupBox(tr("certificates_calibration", "Tính từ trang thử đã in (chưa căn chỉnh)"))
        grid = QGridLayout(measure_box)
        grid.addWidget(QLabel(tr("certificates_calibration", "Đo tâm dấu, tính từ mép trái và mép trên tờ giấy (mm):")),
                       0, 0, 1, 5)
        self.marks: dict[str, tuple[QDoubleSpinBox, QDoubleSpinBox]] = {}
        for row, (label, (mx, my)) in enumerate((("A", layouts.MARK_A), ("B", layouts.MARK_B), ("C", layouts.MARK_C)),
                                                start=1):
            x_box, y_box = _spin(0, 400, 1, 0.5, mx), _spin(0, 400, 1, 0.5, my)
            x_box.setObjectName(f"mark_{label}_x")
            y_box.setObjectName(f"mark_{label}_y")
            self.marks[label] = (x_box, y_box)
            grid.addWidget(QLabel(tr("certificates_calibration", "Dấu {label} (mẫu {x:g}; {y:g}):").format(
                label=label, x=mx, y=my)), row, 0)
            grid.addWidget(QLabel(tr("certificates_calibration", "ngang")), row, 1)
            grid.addWidget(x_box, row, 2)
            grid.addWidget(QLabel(tr("certificates_calibration", "dọc")), row, 3)
            grid.addWidget(y_box, row, 4)
        self.compute_button = QPushButton(tr("certificates_calibration", "Tính hiệu chỉnh"))
        self.compute_button.setObjectName("calibration_compute")
        grid.addWidget(self.compute_button, 4, 4)

        self.print_plain = QPushButton(tr("certificates_calibration", "In trang thử..."))
        self.print_checked = QPushButton(tr("certificates_calibration", "In trang thử đã căn chỉnh..."))
        prints = QHBoxLayout()
        prints.addWidget(self.print_plain)
        prints.addWidget(self.print_checked)
        prints.addStretch(1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("certificates_calibration", "Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("certificates_calibration", "Đóng"))
        printer_row = QHBoxLayout()
        printer_row.addWidget(QLabel(tr("certificates_calibration", "Máy in:")))
        printer_row.addWidget(self.printer, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(printer_row)
        layout.addLayout(prints)
        layout.addWidget(measure_box)
        layout.addWidget(values_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.printer.currentIndexChanged.connect(lambda _i: self._show_current())
        self.compute_button.clicked.connect(self.compute)
        self.print_plain.clicked.connect(lambda: self.print_test_page(False))
        self.print_checked.clicked.connect(lambda: self.print_test_page(True))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.ctx.read(settings.get_settings, self._loaded, self)

    def launch(self) -> None:
        self.open()

    def _loaded(self, values: dict[str, Any]) -> None:
        self.values = values
        self._show_current()

    def _show_current(self) -> None:
        try:
            cal = layouts.calibration_for(self.values, self.printer.currentData())
        except DtbdError:
            cal = layouts.Calibration()
        self.set_calibration(cal)

    def set_calibration(self, cal: layouts.Calibration) -> None:
        self.offset_x.setValue(cal.offset_x_mm)
        self.offset_y.setValue(cal.offset_y_mm)
        self.scale_x.setValue(cal.scale_x)
        self.scale_y.setValue(cal.scale_y)

    def calibration(self) -> layouts.Calibration:
        return layouts.Calibration(self.offset_x.value(), self.offset_y.value(), self.scale_x.value(),
                                   self.scale_y.value())

    def compute(self) -> None:
        (ax, ay), (bx, by), (cx, cy) = ((x.value(), y.value()) for x, y in self.marks.values())
        try:
            self.set_calibration(layouts.from_measurements((ax, ay), (bx, by), (cx, cy)))
        except DtbdError as exc:
            QMessageBox.warning(self, self.windowTitle(), error_text(exc))

    def ask_printer(self, printer: QPrinter) -> bool:
        from PySide6.QtPrintSupport import QPrintDialog

        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted

    def print_test_page(self, calibrated: bool) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        name = self.printer.currentData()
        if name:
            printer.setPrinterName(name)
        if not self.ask_printer(printer):
            return
        page = layouts.test_page_ops(self.calibration() if calibrated else None)
        print_pages(printer, [page])

    def save(self) -> None:
        cal, printer = self.calibration(), self.printer.currentData()

        def write(session: Session) -> None:
            certificates.save_calibration(session, cal, printer)

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, self.windowTitle(), error_text(exc))

        self.ctx.write(write, lambda _r: self.accept(), self, on_failed=failed)
