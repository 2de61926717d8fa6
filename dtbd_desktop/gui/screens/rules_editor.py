"""The rule-set editor of a programme (pass mark, bands, absence limit, retakes...)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
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
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.widgets.programme_parts import (
    ABSENT_STATUSES,
    PROBLEM_BORDER,
    RIGHT,
    RULE_CHECKS,
    RULE_CHOICES,
    labels,
    message_label,
    parse_number,
)
from dtbd_desktop.services.catalogue import ProgrammeInfo


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
        for check in self.absent.values():
            absent_row.addWidget(check)
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
        self.regulation.setPlaceholderText(tr("programmes_view", "Mỗi văn bản một dòng: loại, số, ngày, cơ quan ban "
                                                                 "hành và tên văn bản"))
        self.regulation.setToolTip(tr("programmes_view", "In sau chữ \u201cCăn cứ\u201d trên quyết định, danh sách, "
                                                         "bảng điểm, công văn. Không để ghi chú hay chỗ trống: văn bản "
                                                         "có ghi chú sẽ không lưu được."))
        right = QGridLayout()
        right.addWidget(self.current_label, 0, 0, 1, 3)
        right.addWidget(note, 1, 0, 1, 3)
        right.addWidget(QLabel(tr("programmes_view", "Tên bộ quy định:")), 2, 0)
        right.addWidget(self.name_edit, 2, 1, 1, 2)
        right.addWidget(self.bands, 3, 0, 1, 3)
        right.addWidget(add_band, 4, 1)
        right.addWidget(remove_band, 4, 2)
        regulation_label = QLabel(tr("programmes_view", "Căn cứ pháp lý (in trên quyết định, danh sách, công văn):"))
        right.addWidget(regulation_label, 5, 0, 1, 3)
        right.addWidget(self.regulation, 6, 0, 1, 3)
        right.setRowStretch(3, 2)
        right.setRowStretch(6, 1)
        self.field_widgets: dict[str, QWidget] = {
            "legal_basis": self.regulation,
            "pass_mark": self.pass_mark, "absence_limit_share": self.absence_limit, "bands": self.bands,
            **self.combos, **self.spins}

        holder = QWidget()
        holder.setLayout(form)
        holder.setAutoFillBackground(False)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)  # a 1366-pixel screen
        scroll.viewport().setAutoFillBackground(False)
        scroll.setMinimumWidth(min(holder.sizeHint().width() + 12, 420))
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
