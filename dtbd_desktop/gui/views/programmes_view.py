"""Programmes: their modules (học phần) and the rule set they apply, as the centre edits them.

The list on the left comes from `catalogue.list_programmes`; the editor on the right keeps
what the person typed until a save succeeds, and a refusal lists its problems in red next
to the part that was refused. Saving one part (programme and modules, or rules) refreshes
only that part, so unsaved edits in the other tab are kept.

Three pieces live here because only this screen uses them: `RulesEditor` (the rule-set
form), `ModulesModel` with its delegate (the editable module table) and the view itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop import text
from dtbd_desktop.errors import DtbdError
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column, RowTableModel
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.i18n import tr, tr_noop
from dtbd_desktop.services import catalogue
from dtbd_desktop.services.catalogue import ModuleEdit, ProgrammeInfo

Index = QModelIndex | QPersistentModelIndex
DISPLAY, EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
PROBLEM_BACKGROUND = QColor("#ffebee")
PROBLEM_BORDER = "border: 1px solid #b71c1c;"
ERROR_STYLE, OK_STYLE = "color: #b71c1c;", "color: #1b5e20;"

# Labels are marked where they are defined and translated where shown (`labels()`).
MODULE_KINDS = {
    "module": tr_noop("programmes_view", "Học phần"),
    "graduation_exam": tr_noop("programmes_view", "Thi tốt nghiệp"),
    "thesis": tr_noop("programmes_view", "Khóa luận"),
}
PROGRAMME_KINDS = {"training": tr_noop("programmes_view", "Đào tạo"),
                   "fostering": tr_noop("programmes_view", "Bồi dưỡng")}
DISCIPLINES: dict[str | None, str] = {
    None: tr_noop("programmes_view", "Không áp dụng"),
    "reprimand": tr_noop("programmes_view", "Từ khiển trách trở lên"),
    "warning": tr_noop("programmes_view", "Từ cảnh cáo trở lên"),
    "expulsion": tr_noop("programmes_view", "Buộc thôi học"),
}
RULE_CHOICES: dict[str, dict[Any, str]] = {
    "attempt_counted": {"latest": tr_noop("programmes_view", "Lần thi sau cùng"),
                        "best": tr_noop("programmes_view", "Lần thi cao nhất")},
    "outcome": {"classification": tr_noop("programmes_view", "Xếp loại (Xuất sắc, Giỏi...)"),
                "pass_fail": tr_noop("programmes_view", "Đạt / Không đạt")},
    "average_weighting": {"periods": tr_noop("programmes_view", "Theo số tiết của học phần"),
                          "equal": tr_noop("programmes_view", "Các học phần như nhau")},
    "downgrade_discipline_from": DISCIPLINES,
    "bar_discipline_from": DISCIPLINES,
}
RULE_CHECKS = {
    "makeup_restores_eligibility": tr_noop("programmes_view", "học đủ số tiết thì được dự thi"),
    "graded_essay": tr_noop("programmes_view", "bài thu hoạch xếp theo các mức"),
    "downgrade_on_retake": tr_noop("programmes_view", "có học phần thi lại thì hạ một mức"),
    "requires_confirmation": tr_noop("programmes_view", "bắt buộc trước khi xét tốt nghiệp"),
}
ABSENT_STATUSES = {"excused": tr_noop("programmes_view", "vắng có phép"),
                   "unexcused": tr_noop("programmes_view", "vắng không phép"),
                   "late": tr_noop("programmes_view", "đi muộn")}
COLUMNS = {  # the module table's columns, as problems name them
    "code": tr_noop("programmes_view", "Mã"),
    "name": tr_noop("programmes_view", "Tên học phần"),
    "periods": tr_noop("programmes_view", "Số tiết"),
    "kind": tr_noop("programmes_view", "Loại"),
    "part": tr_noop("programmes_view", "Phần"),
}
FIELDS = {  # where a problem is, in the words of the form (the core names fields by their keys)
    "name": tr_noop("programmes_view", "Tên chương trình"),
    "description": tr_noop("programmes_view", "Mô tả"),
    "modules": tr_noop("programmes_view", "Học phần"),
    "pass_mark": tr_noop("programmes_view", "Điểm đạt"),
    "absence_limit_share": tr_noop("programmes_view", "Giới hạn vắng"),
    "absence_statuses": tr_noop("programmes_view", "Tính là vắng"),
    "attempt_counted": tr_noop("programmes_view", "Lần thi được tính"),
    "outcome": tr_noop("programmes_view", "Kết quả khóa học"),
    "average_weighting": tr_noop("programmes_view", "Cách tính điểm trung bình"),
    "downgrade_discipline_from": tr_noop("programmes_view", "Kỷ luật hạ một mức"),
    "bar_discipline_from": tr_noop("programmes_view", "Kỷ luật không công nhận"),
    "ranking_decimals": tr_noop("programmes_view", "Số chữ số lẻ khi xếp loại"),
    "display_decimals": tr_noop("programmes_view", "Số chữ số lẻ khi in"),
    "bands": tr_noop("programmes_view", "Mức xếp loại"),
}


def labels(table: dict[Any, str]) -> dict[Any, str]:
    return {key: tr("programmes_view", source) for key, source in table.items()}


def programme_kind_label(kind: str) -> str:
    return tr("programmes_view", PROGRAMME_KINDS.get(kind, kind))


def problem_text(exc: BaseException) -> str:
    """The refusal and each problem with its row and field, in the form's words."""
    if not isinstance(exc, DtbdError):
        return error_text(exc)
    columns, fields = labels(COLUMNS), labels(FIELDS)
    lines = [exc.message]
    for p in exc.problems:
        message, where = p.message, []
        if p.row is not None:
            row = tr("programmes_view", "Dòng {row}").format(row=p.row)
            if message.lower().startswith(row.lower() + ":"):  # the core's message starts with it too
                message = message[len(row) + 1:].strip()
            where.append(row)
        for key, names in ((p.column, columns), (p.field, fields)):
            if key and f"'{key}'" in message:  # the message names the key itself: say the label instead
                message = message.replace(f"'{key}'", names.get(key, key))
            elif key:
                where.append(names.get(key, key))
        lines.append("• " + (", ".join(where) + ": " if where else "") + message)
    return "\n".join(lines)


def parse_number(value: str) -> Any:
    """'5,5' or '5.5' as a number; anything else is passed on as typed, for the core to name."""
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        return value.strip()
    return int(number) if number.is_integer() and value.strip().isdigit() else number


def message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def commit_open_editor(view: QAbstractItemView) -> None:
    """Keep what is being typed in a cell when a save button is pressed."""
    editor = view.indexWidget(view.currentIndex())
    if editor is not None:
        view.commitData(editor)
        view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)


# --- the rule-set form -------------------------------------------------------------------
class RulesEditor(QWidget):
    """Every editable key of a rule set; keys it does not show are kept from the loaded rules."""

    def __init__(self) -> None:
        super().__init__()
        self._base: dict[str, Any] = {}
        self.pass_mark = QLineEdit()
        self.pass_mark.setObjectName("pass_mark")
        self.pass_mark.setMaximumWidth(90)
        self.absence_limit = QDoubleSpinBox()
        self.absence_limit.setObjectName("absence_limit_share")
        self.absence_limit.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        self.absence_limit.setRange(0, 100)
        self.absence_limit.setDecimals(1)
        self.absence_limit.setSuffix(" %")
        self.absence_limit.setMaximumWidth(110)
        self.absent = {key: QCheckBox(label) for key, label in labels(ABSENT_STATUSES).items()}
        self.combos: dict[str, QComboBox] = {}
        for key, choices in RULE_CHOICES.items():
            box = self.combos[key] = QComboBox()
            for value, label in labels(choices).items():
                box.addItem(label, value)
        self.checks = {key: QCheckBox(label) for key, label in labels(RULE_CHECKS).items()}
        self.spins = {"ranking_decimals": QSpinBox(), "display_decimals": QSpinBox()}
        self.spins["ranking_decimals"].setRange(0, 3)
        self.spins["display_decimals"].setRange(0, 2)
        for key, widget in [*self.combos.items(), *self.checks.items(), *self.spins.items(),
                            *((f"absent_{k}", box) for k, box in self.absent.items())]:
            widget.setObjectName(key)
        absent_row, decimals_row = QHBoxLayout(), QHBoxLayout()
        for box in self.absent.values():
            absent_row.addWidget(box)
        for widget in (self.spins["ranking_decimals"], QLabel(tr("programmes_view", "khi xếp loại,")),
                       self.spins["display_decimals"], QLabel(tr("programmes_view", "khi in"))):
            decimals_row.addWidget(widget)
        absent_row.addStretch(1)
        decimals_row.addStretch(1)
        form = QFormLayout()
        for label, field in (
            (tr("programmes_view", "Điểm đạt (thang 10):"), self.pass_mark),
            (tr("programmes_view", "Vắng quá (% số tiết):"), self.absence_limit),
            (tr("programmes_view", "Tính là vắng:"), absent_row),
            (tr("programmes_view", "Học bổ sung:"), self.checks["makeup_restores_eligibility"]),
            (tr("programmes_view", "Lần thi được tính:"), self.combos["attempt_counted"]),
            (tr("programmes_view", "Kết quả khóa học:"), self.combos["outcome"]),
            (tr("programmes_view", "Khóa bồi dưỡng:"), self.checks["graded_essay"]),
            (tr("programmes_view", "Điểm trung bình:"), self.combos["average_weighting"]),
            (tr("programmes_view", "Thi lại:"), self.checks["downgrade_on_retake"]),
            (tr("programmes_view", "Kỷ luật hạ một mức:"), self.combos["downgrade_discipline_from"]),
            (tr("programmes_view", "Kỷ luật không công nhận:"), self.combos["bar_discipline_from"]),
            (tr("programmes_view", "Xác nhận của đơn vị:"), self.checks["requires_confirmation"]),
            (tr("programmes_view", "Số chữ số lẻ:"), decimals_row),
        ):
            form.addRow(label, field)

        self.current_label = message_label("current_rule_set")
        note = message_label("rules_note")
        note.setText(tr("programmes_view", "Lưu ý: nếu đã có lớp áp dụng quy định hiện hành, khi lưu sẽ tạo "
                                           "một phiên bản quy định mới cho các lớp mở sau; các lớp đã mở giữ "
                                           "nguyên quy định cũ."))
        note.setStyleSheet("color: #555;")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("rule_set_name")
        self.bands = QTableWidget(0, 2)
        self.bands.setObjectName("bands_table")
        self.bands.setHorizontalHeaderLabels([tr("programmes_view", "Mức xếp loại"),
                                              tr("programmes_view", "Điểm tối thiểu")])
        self.bands.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.bands.verticalHeader().setVisible(False)
        add_band = QPushButton(tr("programmes_view", "Thêm mức"))
        add_band.setObjectName("add_band")
        add_band.clicked.connect(lambda: self._add_band("", ""))
        remove_band = QPushButton(tr("programmes_view", "Xóa mức"))
        remove_band.setObjectName("remove_band")
        remove_band.clicked.connect(lambda: self.bands.removeRow(self.bands.currentRow()))
        self.regulation = QPlainTextEdit()
        self.regulation.setObjectName("regulation")
        self.regulation.setPlaceholderText(tr("programmes_view", "Ví dụ: Quy định số .../QĐ-TCT ngày ..."))
        right = QGridLayout()
        right.addWidget(self.current_label, 0, 0, 1, 3)
        right.addWidget(note, 1, 0, 1, 3)
        right.addWidget(QLabel(tr("programmes_view", "Tên bộ quy định:")), 2, 0)
        right.addWidget(self.name_edit, 2, 1, 1, 2)
        right.addWidget(self.bands, 3, 0, 1, 3)
        right.addWidget(add_band, 4, 1)
        right.addWidget(remove_band, 4, 2)
        regulation_label = QLabel(tr("programmes_view", "Căn cứ (in trên báo cáo áp dụng quy định):"))
        right.addWidget(regulation_label, 5, 0, 1, 3)
        right.addWidget(self.regulation, 6, 0, 1, 3)
        right.setRowStretch(3, 2)
        right.setRowStretch(6, 1)
        self.field_widgets: dict[str, QWidget] = {
            "pass_mark": self.pass_mark, "absence_limit_share": self.absence_limit, "bands": self.bands,
            **self.combos, **self.spins}

        holder = QWidget()
        holder.setLayout(form)
        holder.setAutoFillBackground(False)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setAutoFillBackground(False)
        scroll.setMinimumWidth(holder.sizeHint().width() + 12)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 3)
        layout.addLayout(right, 2)
        self.combos["outcome"].currentIndexChanged.connect(self._outcome_changed)

    def _outcome_changed(self, _index: int = 0) -> None:
        self.checks["graded_essay"].setEnabled(self.combos["outcome"].currentData() == "pass_fail")

    def _add_band(self, name: str, minimum: str) -> None:
        row = self.bands.rowCount()
        self.bands.insertRow(row)
        self.bands.setItem(row, 0, QTableWidgetItem(name))
        item = QTableWidgetItem(minimum)
        item.setTextAlignment(RIGHT)
        self.bands.setItem(row, 1, item)

    def set_programme(self, info: ProgrammeInfo) -> None:
        rules = self._base = dict(info.rules)
        current = tr("programmes_view", "Quy định hiện hành: <b>{name}</b> (mã số {id}).")
        self.current_label.setText(current.format(
            name=info.rule_set_name or tr("programmes_view", "chưa có"), id=info.rule_set_id or "–"))
        self.pass_mark.setText(text.format_decimal(rules.get("pass_mark"), 1))
        self.absence_limit.setValue(float(rules.get("absence_limit_share") or 0) * 100)
        for key, box in self.absent.items():
            box.setChecked(key in (rules.get("absence_statuses") or []))
        for key, combo in self.combos.items():
            combo.setCurrentIndex(max(0, combo.findData(rules.get(key))))
        for key, check in self.checks.items():
            check.setChecked(bool(rules.get(key)))
        for key, spin in self.spins.items():
            spin.setValue(int(rules.get(key) or 0))
        self._outcome_changed()
        self.bands.setRowCount(0)
        for band in rules.get("bands") or []:
            self._add_band(str(band.get("name", "")), text.format_decimal(band.get("min"), 1))
        self.name_edit.setText(info.rule_set_name or "")
        self.regulation.setPlainText(info.regulation or "")
        self.mark_problems(set())

    def params(self) -> dict[str, Any]:
        params = dict(self._base)
        params.update({key: combo.currentData() for key, combo in self.combos.items()})
        params.update({key: check.isChecked() for key, check in self.checks.items()})
        params.update({key: spin.value() for key, spin in self.spins.items()})
        cells = [[(item.text() if item else "") for item in (self.bands.item(r, 0), self.bands.item(r, 1))]
                 for r in range(self.bands.rowCount())]
        params.update(
            pass_mark=parse_number(self.pass_mark.text()),
            absence_limit_share=round(self.absence_limit.value() / 100, 4),
            absence_statuses=[key for key, box in self.absent.items() if box.isChecked()],
            bands=[{"name": text.clean(name) or "", "min": parse_number(minimum)} for name, minimum in cells],
        )
        return params

    def rule_set_name(self) -> str:
        return self.name_edit.text()

    def regulation_text(self) -> str:
        return self.regulation.toPlainText()

    def mark_problems(self, fields: set[str]) -> None:
        for key, widget in self.field_widgets.items():
            widget.setStyleSheet(PROBLEM_BORDER if key in fields else "")


# --- the module table --------------------------------------------------------------------
class ModulesModel(QAbstractTableModel):
    """The editable module rows (ModuleEdit, plain data) of one programme, in their order."""

    KEYS = ("code", "name", "periods", "kind", "part")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ModuleEdit] = []
        self.problem_rows: set[int] = set()  # 1-based, as the core counts rows
        self.titles = [tr("programmes_view", "Mã"), tr("programmes_view", "Tên học phần"),
                       tr("programmes_view", "Số tiết"), tr("programmes_view", "Loại"),
                       tr("programmes_view", "Phần")]

    def set_modules(self, modules: list[catalogue.ModuleInfo]) -> None:
        self.beginResetModel()
        self.rows = [ModuleEdit(m.code, m.name, m.periods, m.kind, m.part, m.id) for m in modules]
        self.problem_rows = set()
        self.endResetModel()

    def modules(self) -> list[ModuleEdit]:
        return [ModuleEdit(m.code, m.name, m.periods, m.kind, m.part, m.id) for m in self.rows]

    def total_periods(self) -> int:
        return sum(m.periods for m in self.rows)

    def mark_problems(self, rows: set[int]) -> None:
        self.problem_rows = rows
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.KEYS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.KEYS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        key = self.KEYS[index.column()]
        value = getattr(self.rows[index.row()], key)
        if role == DISPLAY:
            if key == "kind":
                return labels(MODULE_KINDS).get(value, value)
            return "" if value is None else str(value)
        if role == EDIT:
            return "" if value is None else value
        if role == Qt.ItemDataRole.ToolTipRole and key in ("name", "part"):
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "periods":
            return int(RIGHT)
        if role == Qt.ItemDataRole.BackgroundRole and index.row() + 1 in self.problem_rows:
            return PROBLEM_BACKGROUND
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if not index.isValid() or role != EDIT:
            return False
        key = self.KEYS[index.column()]
        if key == "periods":
            try:
                value = int(value)
            except (TypeError, ValueError):
                return False
        elif key != "kind":
            value = str(value or "")
        setattr(self.rows[index.row()], key, value)
        self.dataChanged.emit(index, index)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        return self.titles[section] if orientation == Qt.Orientation.Horizontal else section + 1

    def add_row(self, at: int) -> int:
        at = len(self.rows) if at < 0 else at
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, ModuleEdit("", "", 0, "module"))
        self.endInsertRows()
        return at

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.endRemoveRows()

    def move_row(self, row: int, delta: int) -> bool:
        target = row + delta
        if not (0 <= row < len(self.rows) and 0 <= target < len(self.rows)):
            return False
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + 1 if delta > 0 else target)
        self.rows.insert(target, self.rows.pop(row))
        self.endMoveRows()
        return True


class ModuleDelegate(QStyledItemDelegate):
    """A spin box for periods, a combo for the kind; plain text elsewhere."""

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        key = ModulesModel.KEYS[index.column()]
        if key == "periods":
            spin = QSpinBox(parent)
            spin.setRange(0, 2000)
            return spin
        if key == "kind":
            combo = QComboBox(parent)
            for kind, label in labels(MODULE_KINDS).items():
                combo.addItem(label, kind)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(EDIT))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        else:
            super().setModelData(editor, model, index)


# --- the screen --------------------------------------------------------------------------
def programme_columns() -> list[Column[ProgrammeInfo]]:
    def name(p: ProgrammeInfo) -> str:
        return p.name if p.active else tr("programmes_view", "{name} (ngừng sử dụng)").format(name=p.name)

    return [
        Column(tr("programmes_view", "Chương trình"), lambda p: f"{p.code} – {name(p)}",
               sort=lambda p: p.code, tooltip=name),
        Column(tr("programmes_view", "Loại"), lambda p: programme_kind_label(p.kind)),
        Column(tr("programmes_view", "Số lớp"), lambda p: p.classes, sort=lambda p: p.classes, align=RIGHT),
    ]


class ProgrammesView(QWidget):
    programme_saved = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._loaded = False
        self._quiet = False
        self.current: ProgrammeInfo | None = None
        title = QLabel(tr("programmes_view", "Chương trình đào tạo, bồi dưỡng"))
        title.setStyleSheet("font-size: 18px; font-weight: bold;")

        self.list_model: RowTableModel[ProgrammeInfo] = RowTableModel(programme_columns(), self)
        self.list = QTableView()
        self.list.setObjectName("programmes_list")
        self.list.setModel(self.list_model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        self.list.verticalHeader().setVisible(False)
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.heading = message_label("programme_heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_programme_tab(), tr("programmes_view", "Thông tin và học phần"))
        self.tabs.addTab(self._build_rules_tab(), tr("programmes_view", "Quy định đánh giá, xếp loại"))
        self.editor_panel = QWidget()
        right_layout = QVBoxLayout(self.editor_panel)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.tabs, 1)
        self.editor_panel.setEnabled(False)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.editor_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 860])
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(splitter, 1)
        self.list.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select_row(cur.row()))

    def _build_programme_tab(self) -> QWidget:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("programme_name")
        self.description = QPlainTextEdit()
        self.description.setObjectName("programme_description")
        self.description.setMaximumHeight(60)
        self.active = QCheckBox(tr("programmes_view", "Đang sử dụng (được mở lớp mới)"))
        self.active.setObjectName("programme_active")
        form = QFormLayout()
        form.addRow(tr("programmes_view", "Tên chương trình:"), self.name_edit)
        form.addRow(tr("programmes_view", "Mô tả:"), self.description)
        form.addRow("", self.active)

        self.modules_model = ModulesModel(self)
        self.modules = QTableView()
        self.modules.setObjectName("modules_table")
        self.modules.setModel(self.modules_model)
        self.modules.setItemDelegate(ModuleDelegate(self.modules))
        self.modules.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.modules.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.modules.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers
                                     & ~QAbstractItemView.EditTrigger.CurrentChanged)
        self.modules.setAlternatingRowColors(True)
        self.modules.setWordWrap(False)
        self.modules.verticalHeader().setDefaultSectionSize(self.modules.fontMetrics().height() + 10)
        self.modules.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.modules.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for signal in (self.modules_model.modelReset, self.modules_model.dataChanged,
                       self.modules_model.rowsInserted, self.modules_model.rowsRemoved):
            signal.connect(self._update_total)

        buttons = QHBoxLayout()
        for name, label, slot in (
            ("add_module", tr("programmes_view", "Thêm học phần"), self.add_module),
            ("remove_module", tr("programmes_view", "Xóa dòng"), self.remove_module),
            ("module_up", tr("programmes_view", "Lên"), lambda: self.move_module(-1)),
            ("module_down", tr("programmes_view", "Xuống"), lambda: self.move_module(1)),
        ):
            button = QPushButton(label)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.total_label = QLabel()
        self.total_label.setObjectName("total_periods")
        buttons.addWidget(self.total_label)

        self.programme_errors = message_label("programme_errors")
        self.programme_status = message_label("programme_status")
        self.save_programme_button = QPushButton(tr("programmes_view", "Lưu chương trình"))
        self.save_programme_button.setObjectName("save_programme")
        self.save_programme_button.clicked.connect(self.save_programme)
        bottom = QHBoxLayout()
        bottom.addWidget(self.programme_status, 1)
        bottom.addWidget(self.save_programme_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("programmes_view", "Học phần, chuyên đề (nhấn đúp vào ô để sửa):")))
        layout.addWidget(self.modules, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.programme_errors)
        layout.addLayout(bottom)
        return tab

    def _build_rules_tab(self) -> QWidget:
        self.rules = RulesEditor()
        self.rules_errors = message_label("rules_errors")
        self.rules_status = message_label("rules_status")
        self.save_rules_button = QPushButton(tr("programmes_view", "Lưu quy định"))
        self.save_rules_button.setObjectName("save_rules")
        self.save_rules_button.clicked.connect(self.save_rules)
        bottom = QHBoxLayout()
        bottom.addWidget(self.rules_status, 1)
        bottom.addWidget(self.save_rules_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.rules, 1)
        layout.addWidget(self.rules_errors)
        layout.addLayout(bottom)
        return tab

    # --- loading ------------------------------------------------------------------------
    def activate(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self, select: str | None = None, part: str = "all", message: str = "") -> None:
        """Reload the list; `part` ("all", "programme" or "rules") says which form to refill."""
        keep = select or (self.current.code if self.current else None)
        self.ctx.read(catalogue.list_programmes,
                      lambda rows: self._show_list(rows, keep, part, message), self)

    def _show_list(self, rows: list[ProgrammeInfo], select: str | None, part: str, message: str) -> None:
        self._quiet = True
        self.list_model.set_rows(rows)
        self.list.resizeRowsToContents()
        for row in range(len(rows)):
            self.list.setRowHeight(row, self.list.rowHeight(row) + 6)
        codes = [p.code for p in rows]
        if rows:
            self.list.selectRow(codes.index(select) if select in codes else 0)
        self._quiet = False
        if rows:
            self.show_programme(self.list_model.row_at(self.list.currentIndex().row()), part)
        if message:
            label = self.rules_status if part == "rules" else self.programme_status
            label.setStyleSheet(OK_STYLE)
            label.setText(message)

    def select_programme(self, code: str) -> None:
        self.list.selectRow([p.code for p in self.list_model.rows].index(code))

    def _select_row(self, row: int) -> None:
        if not self._quiet and 0 <= row < len(self.list_model.rows):
            self.show_programme(self.list_model.row_at(row))

    def show_programme(self, info: ProgrammeInfo, part: str = "all") -> None:
        self.current = info
        self.editor_panel.setEnabled(True)
        self.heading.setText(tr("programmes_view", "{code} – {name} ({kind}, {n} lớp)").format(
            code=info.code, name=info.name, kind=programme_kind_label(info.kind), n=info.classes))
        if part in ("all", "programme"):
            self.name_edit.setText(info.name)
            self.name_edit.setStyleSheet("")
            self.description.setPlainText(info.description or "")
            self.active.setChecked(info.active)
            self.modules_model.set_modules(info.modules)
            self.modules.resizeColumnsToContents()
            self.modules.setColumnWidth(0, max(self.modules.columnWidth(0), 60))
            self.modules.setColumnWidth(4, min(self.modules.columnWidth(4), 190))
            self.programme_errors.clear()
            self.programme_status.clear()
        if part in ("all", "rules"):
            self.rules.set_programme(info)
            self.rules_errors.clear()
            self.rules_status.clear()

    def _update_total(self, *_args: Any) -> None:
        self.total_label.setText(tr("programmes_view", "Tổng: {n} học phần, {p} tiết").format(
            n=self.modules_model.rowCount(), p=text.format_decimal(self.modules_model.total_periods(), 0)))

    # --- module rows --------------------------------------------------------------------
    def _current_module_row(self) -> int:
        index = self.modules.currentIndex()
        return index.row() if index.isValid() else -1

    def add_module(self) -> None:
        current = self._current_module_row()
        index = self.modules_model.index(self.modules_model.add_row(current + 1 if current >= 0 else -1), 0)
        self.modules.setCurrentIndex(index)
        self.modules.edit(index)

    def remove_module(self) -> None:
        row = self._current_module_row()
        if row >= 0:
            self.modules_model.remove_row(row)

    def move_module(self, delta: int) -> None:
        row = self._current_module_row()
        column = max(0, self.modules.currentIndex().column())
        if self.modules_model.move_row(row, delta):
            self.modules.setCurrentIndex(self.modules_model.index(row + delta, column))

    # --- saving -------------------------------------------------------------------------
    def save_programme(self) -> None:
        if self.current is None:
            return
        commit_open_editor(self.modules)
        code, name, description = self.current.code, self.name_edit.text(), self.description.toPlainText()
        active, modules = self.active.isChecked(), self.modules_model.modules()
        self.programme_status.clear()

        def save(session: Session) -> str:
            return catalogue.save_programme(session, code, name=name, description=description, active=active,
                                            modules=modules).code

        def done(_code: str) -> None:
            message = tr("programmes_view", "Đã lưu chương trình {code}.").format(code=code)
            self.reload(code, "programme", message)
            self.programme_saved.emit(code)

        self.ctx.write(save, done, self, on_failed=self._programme_refused)

    def _programme_refused(self, exc: BaseException) -> None:
        problems = exc.problems if isinstance(exc, DtbdError) else []
        self.programme_status.clear()
        self.programme_errors.setStyleSheet(ERROR_STYLE)
        self.programme_errors.setText(problem_text(exc))
        self.modules_model.mark_problems({p.row for p in problems if p.row is not None})
        self.name_edit.setStyleSheet(PROBLEM_BORDER if any(p.field == "name" for p in problems) else "")

    def save_rules(self) -> None:
        if self.current is None:
            return
        commit_open_editor(self.rules.bands)
        code, old_rule_set = self.current.code, self.current.rule_set_id
        params, name = self.rules.params(), self.rules.rule_set_name()
        regulation = self.rules.regulation_text()
        self.rules_status.clear()

        def save(session: Session) -> tuple[int | None, str | None]:
            info = catalogue.save_rule_set(session, code, params, name=name, regulation=regulation)
            return info.rule_set_id, info.rule_set_name

        def done(result: tuple[int | None, str | None]) -> None:
            new_id, new_name = result
            message = (tr("programmes_view", "Đã tạo phiên bản quy định mới \"{name}\"; các lớp đã mở giữ "
                                             "quy định cũ.") if new_id != old_rule_set
                       else tr("programmes_view", "Đã lưu quy định \"{name}\"."))
            self.reload(code, "rules", message.format(name=new_name or ""))
            self.programme_saved.emit(code)

        self.ctx.write(save, done, self, on_failed=self._rules_refused)

    def _rules_refused(self, exc: BaseException) -> None:
        self.rules_status.clear()
        self.rules_errors.setStyleSheet(ERROR_STYLE)
        self.rules_errors.setText(problem_text(exc))
        self.rules.mark_problems({p.field for p in getattr(exc, "problems", []) if p.field})
