"""The layout editor: fields over the scan of the blank, moved with the mouse or typed in mm.

The page is drawn by the same painter as the preview and printing (sample values, the blank's
scan behind); each field has a dashed box on top that can be dragged. The form on the right
edits the selected field: its text (with the values it may use), font, size, alignment,
position and width in millimetres. Saving keeps a new version of the layout in the database,
for every PC; a layout can also be exported to and imported from a JSON file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import DtbdError, InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.paths import user_data_dir
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.certificates_preview import render_image
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.printing import layouts
from dtbd_desktop.services import certificates

PX_PER_MM = 4.0
PT_MM = 25.4 / 72
FONT_LABELS = {"regular": "Thường", "bold": "Đậm", "italic": "Nghiêng", "bold_italic": "Đậm nghiêng"}
ALIGN_LABELS = {"left": "Trái", "center": "Giữa", "right": "Phải"}


def field_box(f: layouts.Field, page_w: float, page_h: float) -> tuple[QRectF, float]:
    """The field's box in mm (local rectangle) and how far its reference point (x, y) lies below
    the box's top: for text the baseline, for a QR code its top-left corner."""
    if f.type == "text":
        ascent = f.size * PT_MM * 0.9
        lines = f.max_lines if f.wrap else 1
        height = f.size * PT_MM * (0.3 + 0.9 + (lines - 1) * f.leading)
        return QRectF(0, 0, f.width_mm, height), ascent
    if f.type == "qr":
        return QRectF(0, 0, f.size_mm, f.size_mm), 0.0
    if f.type == "line":
        return QRectF(0, 0, f.width_mm, 1.6), 0.8
    return QRectF(0, 0, page_w - 2 * f.inset_mm, page_h - 2 * f.inset_mm), 0.0


def as_jpeg(path: Path) -> Path:
    """The blank's scan as JPEG, which the PDF library draws by itself: a PNG is converted into the
    data folder (layouts/), a JPEG is used where it is."""
    if path.suffix.lower() in (".jpg", ".jpeg"):
        return path
    target = user_data_dir() / "layouts" / (path.stem + ".jpg")
    target.parent.mkdir(parents=True, exist_ok=True)
    image = QImage(str(path))
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    if image.isNull() or not rgb.save(str(target), "JPG", 90):  # type: ignore[call-overload]  # PySide6 takes the format as str; its stub says bytes
        raise InputError(tr("certificates_layout_editor", "Không đọc được ảnh {path}.").format(path=path))
    return target


class FieldBox(QGraphicsRectItem):
    """The draggable box of one field; moving it moves the field."""

    def __init__(self, editor: LayoutEditor, index: int) -> None:
        super().__init__()
        self.editor = editor
        self.index = index
        self.setPen(QPen(QColor("#1565c0"), 0, Qt.PenStyle.DashLine))
        self.setBrush(QBrush(QColor(21, 101, 192, 18)))
        movable = editor.layout_obj().fields[index].type != "frame"
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, movable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, True)
        self.sync()

    def field(self) -> layouts.Field:
        return self.editor.layout_obj().fields[self.index]

    def sync(self) -> None:
        f = self.field()
        layout = self.editor.layout_obj()
        rect, drop = field_box(f, layout.page_width_mm, layout.page_height_mm)
        self.setRect(rect)
        self._syncing = True
        if f.type == "frame":
            self.setPos(f.inset_mm, f.inset_mm)
        else:
            self.setPos(f.x_mm, f.y_mm - drop)
        self._syncing = False

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if (change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged and not getattr(self, "_syncing", True)):
            f = self.field()
            _rect, drop = field_box(f, 0, 0)
            f.x_mm = round(self.pos().x(), 1)
            f.y_mm = round(self.pos().y() + drop, 1)
            self.editor.field_moved(self.index)
        return super().itemChange(change, value)

    def mouseReleaseEvent(self, event: Any) -> None:
        super().mouseReleaseEvent(event)
        self.editor.render_page()


class LayoutEditor(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.layouts: dict[str, layouts.Layout] = {}
        self.current: layouts.Layout | None = None
        self.boxes: list[FieldBox] = []
        self._filling = False
        self.setWindowTitle(tr("certificates_layout_editor", "Mẫu in văn bằng, chứng chỉ"))
        fit_to_screen(self, 1280, 760)

        self.choice = QComboBox()
        self.choice.setObjectName("layout_choice")
        self.version_label = QLabel()
        self.show_blank = QCheckBox(tr("certificates_layout_editor", "Hiện ảnh phôi"))
        self.show_blank.setChecked(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("certificates_layout_editor", "Mẫu:")))
        top.addWidget(self.choice, 1)
        self.version_label.setMinimumWidth(90)
        top.addWidget(self.version_label)
        top.addWidget(self.show_blank)

        self.scene = QGraphicsScene(self)
        self.page_item = QGraphicsPixmapItem()
        self.page_item.setScale(1 / PX_PER_MM)
        self.page_item.setZValue(-1)
        self.scene.addItem(self.page_item)
        self.view = QGraphicsView(self.scene)
        self.view.setObjectName("layout_view")
        self.view.setBackgroundBrush(QColor("#808080"))

        self.fields = QListWidget()
        self.fields.setObjectName("layout_fields")
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("field_text")
        self.insert_key = QComboBox()
        self.insert_key.addItem(tr("certificates_layout_editor", "Chèn giá trị..."), None)
        for key in layouts.FIELD_KEYS:
            self.insert_key.addItem(f"{{{key}}} – {layouts.key_description(key)}", key)
        self.font_box = QComboBox()
        for key, label in FONT_LABELS.items():
            self.font_box.addItem(tr("certificates_layout_editor", label), key)
        self.size_box = QDoubleSpinBox()
        self.size_box.setRange(4, 72)
        self.size_box.setSingleStep(0.5)
        self.align_box = QComboBox()
        for key, label in ALIGN_LABELS.items():
            self.align_box.addItem(tr("certificates_layout_editor", label), key)
        self.x_box, self.y_box, self.w_box = (self._mm_box() for _ in range(3))
        self.x_box.setObjectName("field_x")
        self.y_box.setObjectName("field_y")
        self.upper_box = QCheckBox(tr("certificates_layout_editor", "Chữ in hoa"))
        self.wrap_box = QCheckBox(tr("certificates_layout_editor", "Xuống dòng khi dài"))
        self.fit_box = QCheckBox(tr("certificates_layout_editor", "Thu nhỏ cho vừa ô"))
        form = QFormLayout()
        form.addRow(tr("certificates_layout_editor", "Nội dung:"), self.text_edit)
        form.addRow("", self.insert_key)
        form.addRow(tr("certificates_layout_editor", "Phông:"), self.font_box)
        form.addRow(tr("certificates_layout_editor", "Cỡ chữ (pt):"), self.size_box)
        form.addRow(tr("certificates_layout_editor", "Căn lề:"), self.align_box)
        form.addRow(tr("certificates_layout_editor", "Cách mép trái (mm):"), self.x_box)
        form.addRow(tr("certificates_layout_editor", "Cách mép trên, tới chân chữ (mm):"), self.y_box)
        form.addRow(tr("certificates_layout_editor", "Rộng / cạnh (mm):"), self.w_box)
        form.addRow("", self.upper_box)
        form.addRow("", self.wrap_box)
        form.addRow("", self.fit_box)

        self.add_button = QPushButton(tr("certificates_layout_editor", "Thêm trường chữ"))
        self.delete_button = QPushButton(tr("certificates_layout_editor", "Xóa trường"))
        self.blank_button = QPushButton(tr("certificates_layout_editor", "Ảnh phôi..."))
        self.import_button = QPushButton(tr("certificates_layout_editor", "Nhập tệp..."))
        self.export_button = QPushButton(tr("certificates_layout_editor", "Xuất tệp..."))
        self.reset_button = QPushButton(tr("certificates_layout_editor", "Về mẫu gốc"))
        self.save_button = QPushButton(tr("certificates_layout_editor", "Lưu"))
        self.save_button.setObjectName("layout_save")
        self.close_button = QPushButton(tr("certificates_layout_editor", "Đóng"))
        tools = QHBoxLayout()
        tools.addWidget(self.add_button)
        tools.addWidget(self.delete_button)
        files = QHBoxLayout()
        for button in (self.blank_button, self.import_button, self.export_button, self.reset_button):
            files.addWidget(button)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(QLabel(tr("certificates_layout_editor", "Các trường:")))
        side_layout.addWidget(self.fields, 1)
        side_layout.addLayout(tools)
        side_layout.addLayout(form)
        side_layout.addLayout(files)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(side)
        side.setMaximumWidth(440)
        self.fields.setMaximumHeight(230)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([840, 420])
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(tr("certificates_layout_editor", "Kéo ô xanh để dời trường; vị trí tính bằng mm từ mép "
                                                                 "giấy. Ảnh phôi chỉ để căn, không in ra.")), 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

        self.choice.currentIndexChanged.connect(self._choose)
        self.show_blank.toggled.connect(lambda _on: self.render_page())
        self.fields.currentRowChanged.connect(self._select_field)
        for widget in (self.text_edit,):
            widget.textEdited.connect(lambda _t: self._form_changed())
        for combo in (self.font_box, self.align_box):
            combo.currentIndexChanged.connect(lambda _i: self._form_changed())
        for spin in (self.size_box, self.x_box, self.y_box, self.w_box):
            spin.valueChanged.connect(lambda _v: self._form_changed())
        for check in (self.upper_box, self.wrap_box, self.fit_box):
            check.toggled.connect(lambda _on: self._form_changed())
        self.insert_key.activated.connect(self._insert_key)
        self.scene.selectionChanged.connect(self._scene_selection)
        self.add_button.clicked.connect(self.add_field)
        self.delete_button.clicked.connect(self.delete_field)
        self.blank_button.clicked.connect(self.choose_blank)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_file)
        self.reset_button.clicked.connect(self.reset)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.accept)
        self.load()

    def _mm_box(self) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(0, 500)
        box.setDecimals(1)
        box.setSingleStep(0.5)
        return box

    def launch(self) -> None:
        self.open()

    def layout_obj(self) -> layouts.Layout:
        assert self.current is not None
        return self.current

    # ------------------------------------------------------------------ loading

    def load(self, select: str | None = None) -> None:
        def done(found: dict[str, layouts.Layout]) -> None:
            self.layouts = found
            self.choice.blockSignals(True)
            self.choice.clear()
            for layout_id, layout in found.items():
                self.choice.addItem(layout.name, layout_id)
            self.choice.blockSignals(False)
            index = self.choice.findData(select) if select else 0
            self.choice.setCurrentIndex(max(index, 0))
            self._choose(self.choice.currentIndex())

        self.ctx.read(certificates.load_layouts, done, self)

    def _choose(self, index: int) -> None:
        layout_id = self.choice.itemData(index)
        if layout_id is None:
            return
        self.set_layout(self.layouts[layout_id].copy())

    def set_layout(self, layout: layouts.Layout) -> None:
        self.current = layout
        self.version_label.setText(tr("certificates_layout_editor", "phiên bản {n}").format(n=layout.version))
        for box in self.boxes:
            self.scene.removeItem(box)
        self.boxes = [FieldBox(self, i) for i in range(len(layout.fields))]
        for box in self.boxes:
            self.scene.addItem(box)
        self.fields.blockSignals(True)
        self.fields.clear()
        for f in layout.fields:
            self.fields.addItem(layouts.field_label(f))
        self.fields.blockSignals(False)
        self.scene.setSceneRect(QRectF(0, 0, layout.page_width_mm, layout.page_height_mm))
        self.render_page()
        self.fit()
        self.view.viewport().update()
        if layout.fields:
            self.fields.setCurrentRow(0)

    def fit(self) -> None:
        self.view.fitInView(self.scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.current is not None:
            self.fit()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.current is not None:
            self.fit()

    def render_page(self) -> None:
        layout = self.layout_obj()
        page = layouts.page_ops(layout, layouts.sample_values(layout))
        background = None
        path = layout.background_path()
        if self.show_blank.isChecked() and path is not None and path.exists():
            background = QImage(str(path))
        self.page_image = render_image(page, PX_PER_MM, background)
        self.page_item.setPixmap(QPixmap.fromImage(self.page_image))

    # ------------------------------------------------------------------ fields

    def selected_field(self) -> layouts.Field | None:
        row = self.fields.currentRow()
        if self.current is None or not 0 <= row < len(self.current.fields):
            return None
        return self.current.fields[row]

    def _select_field(self, row: int) -> None:
        f = self.selected_field()
        if f is None:
            return
        self._filling = True
        self.text_edit.setText(f.text)
        self.font_box.setCurrentIndex(self.font_box.findData(f.font))
        self.size_box.setValue(f.size)
        self.align_box.setCurrentIndex(self.align_box.findData(f.align))
        self.x_box.setValue(f.x_mm if f.type != "frame" else f.inset_mm)
        self.y_box.setValue(f.y_mm if f.type != "frame" else f.inset_mm)
        self.w_box.setValue(f.size_mm if f.type == "qr" else f.width_mm)
        self.upper_box.setChecked(f.upper)
        self.wrap_box.setChecked(f.wrap)
        self.fit_box.setChecked(f.fit)
        for widget in (self.font_box, self.size_box, self.align_box, self.upper_box, self.wrap_box, self.fit_box,
                       self.insert_key):
            widget.setEnabled(f.type == "text")
        self._filling = False
        self.scene.blockSignals(True)
        for box in self.boxes:
            box.setSelected(box.index == row)
        self.scene.blockSignals(False)

    def _scene_selection(self) -> None:
        for box in self.boxes:
            if box.isSelected():
                self.fields.setCurrentRow(box.index)
                return

    def _form_changed(self) -> None:
        f = self.selected_field()
        if f is None or self._filling:
            return
        f.text = self.text_edit.text()
        f.font = self.font_box.currentData()
        f.size = self.size_box.value()
        f.align = self.align_box.currentData()
        if f.type == "frame":
            f.inset_mm = self.x_box.value()
        else:
            f.x_mm, f.y_mm = self.x_box.value(), self.y_box.value()
        if f.type == "qr":
            f.size_mm = self.w_box.value()
        else:
            f.width_mm = self.w_box.value()
        f.upper, f.wrap, f.fit = self.upper_box.isChecked(), self.wrap_box.isChecked(), self.fit_box.isChecked()
        row = self.fields.currentRow()
        self.fields.item(row).setText(layouts.field_label(f))
        self.boxes[row].sync()
        self.render_page()

    def field_moved(self, index: int) -> None:
        if self.fields.currentRow() == index:
            self._select_field(index)

    def _insert_key(self, index: int) -> None:
        key = self.insert_key.itemData(index)
        self.insert_key.setCurrentIndex(0)
        if key:
            self.text_edit.insert(f"{{{key}}}")
            self._form_changed()

    def add_field(self) -> None:
        layout = self.layout_obj()
        layout.fields.append(layouts.Field(text="{full_name}", x_mm=layout.page_width_mm / 3,
                                           y_mm=layout.page_height_mm / 2, width_mm=80,
                                           label=tr("certificates_layout_editor", "Trường mới")))
        self.set_layout(layout)
        self.fields.setCurrentRow(len(layout.fields) - 1)

    def delete_field(self) -> None:
        row = self.fields.currentRow()
        layout = self.layout_obj()
        if 0 <= row < len(layout.fields):
            del layout.fields[row]
            self.set_layout(layout)

    # ------------------------------------------------------------------ files and saving

    def choose_blank(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, tr("certificates_layout_editor", "Ảnh quét phôi (đúng khổ giấy)"),
                                               "", "Ảnh (*.png *.jpg *.jpeg)")
        if path:
            self.layout_obj().background = str(as_jpeg(Path(path)))
            self.render_page()

    def export_file(self) -> None:
        layout = self.layout_obj()
        path, _f = QFileDialog.getSaveFileName(self, tr("certificates_layout_editor", "Xuất mẫu in"),
                                               f"{layout.id}.json", "JSON (*.json)")
        if path:
            layouts.write_layout_file(layout, Path(path))

    def import_file(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, tr("certificates_layout_editor", "Nhập mẫu in"), "", "JSON (*.json)")
        if not path:
            return
        try:
            layout = layouts.read_layout_file(Path(path))
        except DtbdError as exc:
            QMessageBox.warning(self, self.windowTitle(), error_text(exc))
            return
        self.layouts[layout.id] = layout
        if self.choice.findData(layout.id) < 0:
            self.choice.addItem(layout.name, layout.id)
        self.choice.setCurrentIndex(self.choice.findData(layout.id))
        self.set_layout(layout.copy())

    def save(self) -> None:
        layout = self.layout_obj().copy()

        def write(session: Session) -> layouts.Layout:
            return certificates.save_layout(session, layout)

        def done(saved: layouts.Layout) -> None:
            self.layouts[saved.id] = saved
            self.current = saved.copy()
            self.version_label.setText(tr("certificates_layout_editor", "phiên bản {n}").format(n=saved.version))
            self.saved_version = saved.version

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, self.windowTitle(), error_text(exc))

        self.ctx.write(write, done, self, on_failed=failed)

    def reset(self) -> None:
        layout_id = self.layout_obj().id
        self.ctx.write(lambda s: certificates.reset_layout(s, layout_id), lambda _r: self.load(layout_id), self)
