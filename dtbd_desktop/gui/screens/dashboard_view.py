"""The dashboard (Tổng quan), the first screen: this year's plan progress, the classes running
today, and the warnings that need someone. A warning (or a running class) opens its class:
the view emits `open_class_requested(code, tab)`, the tab being the one the warning is about
(absences: attendance), and the main window opens the class's page there."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import ROW_ROLE, Column
from dtbd_desktop.gui.widgets.charts import ProgressChart, ProgressLine
from dtbd_desktop.gui.widgets.common import child_items, section_title, top_level_items
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.rules.statistics import count_text
from dtbd_desktop.services.dashboard import (
    WARNING_KINDS,
    Dashboard,
    RunningClass,
    load_dashboard,
    warning_kind_label,
)

CODE_ROLE = Qt.ItemDataRole.UserRole + 10
EXPAND_UP_TO = 12  # longer groups start collapsed, so every kind of warning shows at a glance
#: The tab of the class page a warning of each kind opens (class_dialog.TAB_KEYS).
KIND_TABS = {"absence": "attendance", "confirmation": "graduation", "scores": "scores", "printing": "certificates"}
KIND_COLOURS = {"absence": "#b71c1c", "confirmation": "#c55a11", "scores": "#7f6000", "printing": "#1f4e79"}


def _heading(value: str) -> QLabel:
    label = QLabel(value)
    label.setStyleSheet("font-size: 15px; font-weight: bold; color: #1f3a5f;")
    return label


def _panel() -> QFrame:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setStyleSheet("QFrame#panel { background: white; border: 1px solid #d0d7e1; border-radius: 4px; }")
    frame.setObjectName("panel")
    return frame


def running_columns() -> list[Column[RunningClass]]:
    return [
        Column(tr("dashboard_view", "Lớp"), lambda r: r.code),
        Column(tr("dashboard_view", "CT"), lambda r: r.programme_code),
        Column(tr("dashboard_view", "Học viên"), lambda r: r.learners, align=Qt.AlignmentFlag.AlignRight),
        Column(tr("dashboard_view", "Thời gian"),
               lambda r: f"{text.format_date(r.start)} – {text.format_date(r.end)}"),
        Column(tr("dashboard_view", "Hôm nay"),
               lambda r: "; ".join(r.today) or (tr("dashboard_view", "buổi tới: {date}").format(
                   date=text.format_date(r.next_session)) if r.next_session else tr("dashboard_view", "hết buổi học")),
               tooltip=lambda r: "\n".join([r.name, r.venue or "", *r.today])),
    ]


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text needs in the column's width, so a long warning wraps instead of
    being cut (QTreeView asks a row's height without the column's width)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        value = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(value, str) or not value:
            return hint
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        indent = self.tree.indentation() * (depth + 1) if index.column() == 0 else 0
        width = max(80, self.tree.columnWidth(index.column()) - indent - 12)
        metrics = QFontMetrics(option.font)
        needed = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, value).height() + 6
        return QSize(hint.width(), max(hint.height(), needed))


class WarningTree(QTreeWidget):
    """The warnings; a click (or Enter on the keyboard) opens the class of a warning."""

    chosen = Signal(QTreeWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.chosen.emit(self.currentItem())
            return
        super().keyPressEvent(event)


class DashboardView(QWidget):
    open_class_requested = Signal(str, str)  # class code, tab ("" for the first)
    loaded = Signal()

    def __init__(self, ctx: AppContext, today: dt.date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today
        self.board: Dashboard | None = None
        self._loaded = False

        title = section_title(tr("dashboard_view", "Tổng quan"))
        self.date_label = QLabel()
        self.refresh_button = QPushButton(tr("dashboard_view", "Làm mới"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(self.date_label)
        top.addStretch(1)
        top.addWidget(self.refresh_button)

        plan_panel = _panel()
        self.plan_heading = _heading(tr("dashboard_view", "Thực hiện kế hoạch"))
        self.plan_summary = QLabel()
        self.plan_summary.setObjectName("plan_summary")
        self.plan_summary.setWordWrap(True)
        self.classes_chart = ProgressChart()
        self.learners_chart = ProgressChart()
        charts = QGridLayout()
        charts.addWidget(QLabel(tr("dashboard_view", "<b>Số lớp</b> (vạch đỏ: kế hoạch)")), 0, 0)
        charts.addWidget(QLabel(tr("dashboard_view", "<b>Số học viên</b>")), 0, 1)
        charts.addWidget(self.classes_chart, 1, 0)
        charts.addWidget(self.learners_chart, 1, 1)
        plan_layout = QVBoxLayout(plan_panel)
        plan_layout.addWidget(self.plan_heading)
        plan_layout.addWidget(self.plan_summary)
        plan_layout.addLayout(charts)

        running_panel = _panel()
        self.running_heading = _heading(tr("dashboard_view", "Lớp đang học"))
        running: RowList[RunningClass] = RowList(running_columns(), "running_table", self, sortable=False,
                                                 on_open=lambda row: self.open_class_requested.emit(row.code, ""))
        self.running_model, self.running_table = running.model, running.table
        running_layout = QVBoxLayout(running_panel)
        running_layout.addWidget(self.running_heading)
        running_layout.addWidget(self.running_table)

        warnings_panel = _panel()
        self.warnings_heading = _heading(tr("dashboard_view", "Việc cần xử lý"))
        self.warnings = WarningTree()
        self.warnings.setObjectName("warnings")
        self.warnings.setHeaderLabels([tr("dashboard_view", "Cảnh báo"), tr("dashboard_view", "Lớp")])
        self.warnings.setRootIsDecorated(True)
        self.warnings.setUniformRowHeights(False)
        self.warnings.setWordWrap(True)  # long warnings wrap in the column rather than being cut
        self.warnings.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.warnings.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.warnings.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.warnings.header().setStretchLastSection(False)
        self.warnings.setExpandsOnDoubleClick(False)
        self.warnings.itemClicked.connect(self._warning_clicked)
        self.warnings.setItemDelegate(WrappingDelegate(self.warnings))
        self.warnings.header().sectionResized.connect(lambda *_a: self.warnings.scheduleDelayedItemsLayout())
        self.warnings.chosen.connect(self._warning_clicked)
        hint = QLabel(tr("dashboard_view", "Bấm vào một cảnh báo để mở lớp ở đúng phần cần xử lý."))
        hint.setStyleSheet("color: #555;")
        warnings_layout = QVBoxLayout(warnings_panel)
        warnings_layout.addWidget(self.warnings_heading)
        warnings_layout.addWidget(self.warnings, 1)
        warnings_layout.addWidget(hint)

        bottom = QHBoxLayout()
        bottom.addWidget(running_panel, 5)
        bottom.addWidget(warnings_panel, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(plan_panel)
        layout.addLayout(bottom, 1)

    # --- loading ------------------------------------------------------------------------
    def activate(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def refresh(self) -> None:
        today = self.today or dt.date.today()
        self.refresh_button.setEnabled(False)
        self.ctx.read(lambda s: load_dashboard(s, today), self.show_dashboard, self)

    def show_dashboard(self, board: Dashboard) -> None:
        self.board = board
        self.refresh_button.setEnabled(True)
        self.date_label.setText(tr("dashboard_view", "Hôm nay: {date}").format(date=text.format_date(board.today)))
        plan = board.plan
        self.plan_heading.setText(tr("dashboard_view", "Thực hiện kế hoạch năm {year}").format(year=plan.year))
        self.plan_summary.setText(plan.summary)
        lines = [*plan.lines]
        self.classes_chart.set_lines([ProgressLine(ln.programme_code, ln.actual.classes, ln.target.classes,
                                                   ln.sentence(plan.year)) for ln in lines])
        self.learners_chart.set_lines([ProgressLine(ln.programme_code, ln.actual.learners, ln.target.learners,
                                                    ln.sentence(plan.year)) for ln in lines])
        self.running_heading.setText(tr("dashboard_view", "Lớp đang học ({n})").format(n=len(board.running)))
        self.running_model.set_rows(board.running)
        self.running_table.resizeColumnsToContents()
        self._fill_warnings(board)
        self.loaded.emit()

    def _fill_warnings(self, board: Dashboard) -> None:
        self.warnings.clear()
        total = 0
        for kind in WARNING_KINDS:
            items = [w for w in board.warnings if w.kind == kind]
            if not items:
                continue
            total += len(items)
            count = board.count(kind)
            parent = QTreeWidgetItem([f"{warning_kind_label(kind)} ({count_text(count)})", ""])
            font = QFont(parent.font(0))
            font.setBold(True)
            parent.setFont(0, font)
            parent.setForeground(0, QBrush(QColor(KIND_COLOURS.get(kind, "#202020"))))
            parent.setData(0, CODE_ROLE, None)
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for w in items:
                child = QTreeWidgetItem([w.detail or w.message, w.class_code])
                child.setData(0, CODE_ROLE, w.class_code)
                child.setData(0, ROW_ROLE, w)
                child.setToolTip(0, w.message)
                child.setToolTip(1, w.message)
                parent.addChild(child)
            self.warnings.addTopLevelItem(parent)
            parent.setExpanded(len(items) <= EXPAND_UP_TO)
        if total == 0:
            self.warnings.addTopLevelItem(QTreeWidgetItem([tr("dashboard_view", "Không có việc cần xử lý."), ""]))
        self.warnings_heading.setText(tr("dashboard_view", "Việc cần xử lý ({n})").format(n=count_text(total)))

    # --- opening classes ------------------------------------------------------------------
    def warning_items(self, kind: str | None = None) -> list[QTreeWidgetItem]:
        out = []
        for parent in top_level_items(self.warnings):
            for child in child_items(parent):
                warning = child.data(0, ROW_ROLE)
                if warning is not None and (kind is None or warning.kind == kind):
                    out.append(child)
        return out

    def _warning_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        code = item.data(0, CODE_ROLE)
        warning = item.data(0, ROW_ROLE)
        if code:
            self.open_class_requested.emit(code, KIND_TABS.get(warning.kind, "") if warning is not None else "")
        elif item.childCount():
            item.setExpanded(not item.isExpanded())

