"""Preview and printing of certificates and diplomas inside the program.

PySide6-Essentials has no QtPdf, so pages are not rasterised from the PDF: the same drawing
operations the PDF writer draws (`layouts.page_ops`: millimetres from the paper's edge, printer
calibration applied) are painted with QPainter, onto an image for the preview and onto the
printer for printing. Printing goes through Qt's print dialog at 100% scale: the printer is
put in full-page mode (coordinates from the paper's edge, no margins) and nothing is fitted to
the page, so the fields land where the layout and the calibration say.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.paths import resource_path
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.printing.layouts import LineOp, Page, QrOp, RectOp, TextOp
from dtbd_desktop.printing.qr import qr_matrix

FAMILY = "Liberation Serif"
_fonts_loaded = False


def load_fonts() -> str:
    """Make the bundled Liberation Serif available to Qt (once); returns the family name."""
    global _fonts_loaded
    if not _fonts_loaded:
        for path in sorted(resource_path("fonts").glob("*.ttf")):
            QFontDatabase.addApplicationFont(str(path))
        _fonts_loaded = True
    return FAMILY


def _font(kind: str, size: float) -> QFont:
    font = QFont(FAMILY)
    font.setPointSizeF(size)
    font.setBold(kind in ("bold", "bold_italic"))
    font.setItalic(kind in ("italic", "bold_italic"))
    font.setKerning(False)  # reportlab does not kern: keep the same widths as the PDF
    return font


def paint_page(painter: QPainter, page: Page, px_per_mm: float, background: QImage | None = None) -> None:
    """Paint one page's operations; the painter's device must have px_per_mm × 25.4 dots per inch
    for fonts to come out at their point size."""
    load_fonts()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    if background is not None and not background.isNull():
        painter.drawImage(QRectF(0, 0, page.width_mm * px_per_mm, page.height_mm * px_per_mm), background)
    pt = px_per_mm * 25.4 / 72  # device pixels per point
    for op in page.ops:
        if isinstance(op, TextOp):
            painter.setFont(_font(op.font, op.size))
            painter.setPen(QColor(op.color))
            painter.drawText(QPointF(op.x * px_per_mm, op.y * px_per_mm), op.text)
        elif isinstance(op, LineOp):
            painter.setPen(QPen(QColor(op.color), max(op.width * pt, 0.5)))
            painter.drawLine(QPointF(op.x1 * px_per_mm, op.y1 * px_per_mm), QPointF(op.x2 * px_per_mm, op.y2 * px_per_mm))
        elif isinstance(op, RectOp):
            painter.setPen(QPen(QColor(op.color), max(op.width * pt, 0.5)))
            painter.setBrush(QColor(op.fill) if op.fill else Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(op.x * px_per_mm, op.y * px_per_mm, op.w * px_per_mm, op.h * px_per_mm))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        elif isinstance(op, QrOp):
            _paint_qr(painter, op, px_per_mm)
    painter.restore()


def _paint_qr(painter: QPainter, op: QrOp, px_per_mm: float) -> None:
    size, modules = qr_matrix(op.content)
    image = QImage(size, size, QImage.Format.Format_Mono)
    image.setColorTable([QColor("white").rgb(), QColor("black").rgb()])
    for y in range(size):
        for x in range(size):
            image.setPixel(x, y, modules[y * size + x])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    side = op.size * px_per_mm
    painter.drawImage(QRectF(op.x * px_per_mm, op.y * px_per_mm, side, side), image)
    painter.restore()


def render_image(page: Page, px_per_mm: float = 4.0, background: QImage | None = None) -> QImage:
    """One page as an image (white paper, or the blank's scan behind it)."""
    image = QImage(int(round(page.width_mm * px_per_mm)), int(round(page.height_mm * px_per_mm)),
                   QImage.Format.Format_RGB32)
    dots_per_metre = int(round(px_per_mm * 1000))
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        paint_page(painter, page, px_per_mm, background)
    finally:
        painter.end()
    return image


def setup_printer(printer: QPrinter, page: Page) -> None:
    """The paper of the layout, full page (origin at the paper's edge), no margins, no scaling."""
    orientation = (QPageLayout.Orientation.Landscape if page.width_mm > page.height_mm
                   else QPageLayout.Orientation.Portrait)
    short, long_ = sorted((page.width_mm, page.height_mm))
    size = QPageSize(QSizeF(short, long_), QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    printer.setFullPage(True)


def print_pages(printer: QPrinter, pages: Sequence[Page], *, background: QImage | None = None,
                progress: Callable[[int, int], bool] | None = None) -> int:
    """Paint the pages on the printer at 100%; `progress(done, total)` returning False stops.
    Returns the number of pages printed."""
    if not pages:
        return 0
    setup_printer(printer, pages[0])
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(tr("certificates_preview", "Không mở được máy in."))
    done = 0
    try:
        px_per_mm = printer.resolution() / 25.4
        for index, page in enumerate(pages):
            if progress is not None and not progress(index, len(pages)):
                printer.abort()
                break
            if index:
                printer.newPage()
            paint_page(painter, page, px_per_mm, background)
            done += 1
    finally:
        painter.end()
    return done


class PreviewDialog(QDialog):
    """Pages one at a time, zoomable; Print... opens Qt's print dialog (100%, no fit-to-page).

    The preview shows the layout as designed (over the blank's scan, if asked); what is printed
    is made by `pages_for_printer(name)`, with that printer's calibration, when given.
    `on_printed(n)` is called after n pages went to the printer (the caller counts the reprints).
    """

    def __init__(self, pages: Sequence[Page], title: str, *, background: Path | None = None,
                 show_background: bool = False, on_printed: Callable[[int], None] | None = None,
                 pages_for_printer: Callable[[str | None], list[Page]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = list(pages)
        self.on_printed = on_printed
        self.pages_for_printer = pages_for_printer
        self.background = QImage(str(background)) if background is not None else None
        self.show_background = show_background and self.background is not None
        self.setWindowTitle(title)
        fit_to_screen(self, 1100, 780)
        self.image_label = QLabel()
        self.image_label.setObjectName("preview_image")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.image_label)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: #808080; }")
        self.page_box = QSpinBox()
        self.page_box.setObjectName("preview_page")
        self.page_box.setRange(1, max(1, len(self.pages)))
        self.count_label = QLabel(tr("certificates_preview", "/ {n} trang").format(n=len(self.pages)))
        self.zoom = QSpinBox()
        self.zoom.setRange(25, 300)
        self.zoom.setSingleStep(25)
        self.zoom.setSuffix(" %")
        self.zoom.setValue(100)
        self.blank_button = QPushButton(tr("certificates_preview", "Hiện phôi"))
        self.blank_button.setCheckable(True)
        self.blank_button.setChecked(self.show_background)
        self.blank_button.setVisible(self.background is not None)
        self.print_button = QPushButton(tr("certificates_preview", "In..."))
        self.print_button.setObjectName("print_button")
        self.close_button = QPushButton(tr("certificates_preview", "Đóng"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("certificates_preview", "Trang")))
        bar.addWidget(self.page_box)
        bar.addWidget(self.count_label)
        bar.addSpacing(16)
        bar.addWidget(QLabel(tr("certificates_preview", "Thu phóng")))
        bar.addWidget(self.zoom)
        bar.addWidget(self.blank_button)
        bar.addStretch(1)
        note = QLabel(tr("certificates_preview", "In ở tỉ lệ 100% (kích thước thật); phôi chỉ hiện để soát, không in ra."))
        note.setStyleSheet("color: #555;")
        bar.addWidget(note)
        bar.addWidget(self.print_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        self.page_box.valueChanged.connect(lambda _v: self.refresh())
        self.zoom.valueChanged.connect(lambda _v: self.refresh())
        self.blank_button.toggled.connect(self._toggle_blank)
        self.print_button.clicked.connect(self.print_dialog)
        self.close_button.clicked.connect(self.accept)
        self.refresh()

    def launch(self) -> None:
        self.open()

    def _toggle_blank(self, on: bool) -> None:
        self.show_background = on
        self.refresh()

    def current_image(self) -> QImage:
        page = self.pages[self.page_box.value() - 1]
        px_per_mm = 3.2 * self.zoom.value() / 100
        return render_image(page, px_per_mm, self.background if self.show_background else None)

    def refresh(self) -> None:
        if not self.pages:
            self.image_label.setText(tr("certificates_preview", "Không có trang nào."))
            return
        self.image_label.setPixmap(QPixmap.fromImage(self.current_image()))

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.pages:
            setup_printer(printer, self.pages[0])
        return printer

    def ask_printer(self, printer: QPrinter) -> bool:
        """Qt's print dialog (tests patch this)."""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr("certificates_preview", "In văn bằng"))
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_dialog(self) -> None:
        printer = self.make_printer()
        if not self.ask_printer(printer):
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        progress = QProgressDialog(tr("certificates_preview", "Đang gửi trang in..."), tr("certificates_preview", "Hủy"),
                                   0, len(self.pages), self)
        progress.setMinimumDuration(500)
        progress.setWindowModality(Qt.WindowModality.WindowModal)

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()

        pages = self.pages
        if self.pages_for_printer is not None:
            pages = self.pages_for_printer(printer.printerName() or None)
        try:
            printed = print_pages(printer, pages, progress=step)
        except OSError as exc:
            QMessageBox.warning(self, tr("certificates_preview", "Không in được"), str(exc))
            return 0
        finally:
            progress.reset()
        if printed and self.on_printed is not None:
            self.on_printed(printed)
        return printed
