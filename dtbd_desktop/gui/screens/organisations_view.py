"""Sending organisations (đơn vị cử đi học): a tree searched without diacritics, a form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.common import ERROR_STYLE, OK_STYLE, child_items, top_level_items
from dtbd_desktop.gui.widgets.list_screen import ListScreen, search_box
from dtbd_desktop.services import organisations
from dtbd_desktop.services.organisations import BLOCK_LABELS, LEVEL_LABELS, OrganisationNode

ID_ROLE = Qt.ItemDataRole.UserRole
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
CHILD_LEVEL = {"province": "district", "district": "commune", "commune": "agency", "agency": "agency"}


def level_label(level: str) -> str:
    return tr("organisations", LEVEL_LABELS.get(level, level))


def block_label(block: str) -> str:
    return tr("organisations", BLOCK_LABELS.get(block, block))


class OrganisationsView(ListScreen):
    """The organisations as a tree (a district's communes under it), with the form beside it."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, tr("organisations_view", "Đơn vị cử đi học"))
        self.nodes: dict[int, OrganisationNode] = {}
        self.items: dict[int, QTreeWidgetItem] = {}
        self.editing_id: int | None = None  # None: the form adds a new organisation

        self.search = search_box("organisation_search", tr("organisations_view", "Tìm đơn vị (gõ có dấu hoặc không dấu)..."))
        self.tree = QTreeWidget()
        self.tree.setObjectName("organisation_tree")
        self.tree.setHeaderLabels([
            tr("organisations_view", "Tên đơn vị"), tr("organisations_view", "Cấp"),
            tr("organisations_view", "Khối"), tr("organisations_view", "Học viên")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.count_label)

        self.form_box = QGroupBox()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("organisation_name")
        self.short_name = QLineEdit()
        self.short_name.setObjectName("organisation_short_name")
        self.level = QComboBox()
        self.level.setObjectName("organisation_level")
        for key in LEVEL_LABELS:
            self.level.addItem(level_label(key), key)
        self.block = QComboBox()
        self.block.setObjectName("organisation_block")
        for key in BLOCK_LABELS:
            self.block.addItem(block_label(key), key)
        self.parent_combo = QComboBox()
        self.parent_combo.setObjectName("organisation_parent")
        self.parent_combo.setMaxVisibleItems(25)
        form = QFormLayout(self.form_box)
        form.addRow(tr("organisations_view", "Tên đơn vị:"), self.name_edit)
        form.addRow(tr("organisations_view", "Tên viết tắt:"), self.short_name)
        form.addRow(tr("organisations_view", "Cấp:"), self.level)
        form.addRow(tr("organisations_view", "Khối:"), self.block)
        form.addRow(tr("organisations_view", "Trực thuộc:"), self.parent_combo)

        self.add_child_button = QPushButton(tr("organisations_view", "Thêm đơn vị trực thuộc"))
        self.add_child_button.setObjectName("add_child")
        self.add_top_button = QPushButton(tr("organisations_view", "Thêm đơn vị cấp cao nhất"))
        self.add_top_button.setObjectName("add_top")
        self.save_button = QPushButton(tr("organisations_view", "Lưu"))
        self.save_button.setObjectName("save_organisation")
        self.save_button.setDefault(True)
        self.delete_button = QPushButton(tr("organisations_view", "Xóa đơn vị"))
        self.delete_button.setObjectName("delete_organisation")
        self.errors = QLabel()
        self.errors.setObjectName("organisation_errors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(ERROR_STYLE)
        self.status = QLabel()
        self.status.setObjectName("organisation_status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(OK_STYLE)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_child_button)
        add_row.addWidget(self.add_top_button)
        save_row = QHBoxLayout()
        save_row.addWidget(self.delete_button)
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(add_row)
        right_layout.addWidget(self.form_box)
        right_layout.addLayout(save_row)
        right_layout.addWidget(self.errors)
        right_layout.addWidget(self.status)
        right_layout.addStretch(1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 460])
        self.main_layout.addWidget(splitter, 1)

        self.search.searched.connect(self.apply_filter)
        self.tree.currentItemChanged.connect(lambda item, _prev: self.edit_item(item))
        self.add_child_button.clicked.connect(self.add_child)
        self.add_top_button.clicked.connect(self.add_top_level)
        self.save_button.clicked.connect(self.save)
        self.name_edit.returnPressed.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.add_top_level()

    # --- loading ------------------------------------------------------------------------
    def reload(self, select: int | None = None, message: str = "") -> None:
        self.ctx.read(organisations.organisation_tree,
                      lambda roots: self._show_tree(roots, select, message), self)

    def _show_tree(self, roots: list[OrganisationNode], select: int | None, message: str) -> None:
        keep = select if select is not None else self.editing_id
        self.tree.blockSignals(True)
        self.tree.clear()
        self.nodes.clear()
        self.items.clear()

        def add(node: OrganisationNode, parent: QTreeWidget | QTreeWidgetItem) -> None:
            item = QTreeWidgetItem(parent, [node.name, level_label(node.level), block_label(node.block),
                                            text.format_decimal(node.learners, 0)])
            item.setData(0, ID_ROLE, node.id)
            item.setData(0, KEY_ROLE, text.fold(" ".join(filter(None, [node.name, node.short_name]))))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if node.short_name:
                item.setToolTip(0, node.short_name)
            self.nodes[node.id] = node
            self.items[node.id] = item
            for child in node.children:
                add(child, item)

        for root in roots:
            add(root, self.tree)
            self.items[root.id].setExpanded(True)
        self.tree.blockSignals(False)
        self._fill_parents()
        self.apply_filter(self.search.text())
        if keep is not None and keep in self.items:
            self.tree.setCurrentItem(self.items[keep])
            self.tree.scrollToItem(self.items[keep])
            self.edit_item(self.items[keep])
        elif self.editing_id is not None:
            self.add_top_level()
        if message:
            self.status.setText(message)

    def _fill_parents(self) -> None:
        """The parent chooser: every organisation, indented by depth."""
        current = self.parent_combo.currentData()
        self.parent_combo.clear()
        self.parent_combo.addItem(tr("organisations_view", "(Không – đơn vị cấp cao nhất)"), None)

        def add(node_id: int, depth: int) -> None:
            self.parent_combo.addItem("    " * depth + self.nodes[node_id].name, node_id)
            for child in self.nodes[node_id].children:
                add(child.id, depth + 1)

        for item in top_level_items(self.tree):
            add(item.data(0, ID_ROLE), 0)
        self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(current)))

    def apply_filter(self, query: str) -> None:
        """Show matches, their ancestors (expanded) and their descendants, ignoring diacritics and case."""
        key = text.fold(query.strip()) if query.strip() else ""
        found = 0

        def visit(item: QTreeWidgetItem, ancestor_matches: bool) -> bool:
            nonlocal found
            matches = not key or key in (item.data(0, KEY_ROLE) or "")
            below = False
            for child in child_items(item):
                below = visit(child, ancestor_matches or matches) or below
            visible = matches or below or ancestor_matches
            item.setHidden(not visible)
            if key and below:
                item.setExpanded(True)
            found += matches
            return matches or below

        for item in top_level_items(self.tree):
            visit(item, False)
        label = (tr("organisations_view", "{n} đơn vị") if not key
                 else tr("organisations_view", "{n} đơn vị khớp với tìm kiếm"))
        self.count_label.setText(label.format(n=found))

    def visible_names(self) -> list[str]:
        names = []
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if not item.isHidden():
                names.append(item.text(0))
            iterator += 1
        return names

    # --- the form -----------------------------------------------------------------------
    def _descendants(self, node_id: int) -> set[int]:
        found = {node_id}
        for child in self.nodes[node_id].children:
            found |= self._descendants(child.id)
        return found

    def _set_parent_choices(self, parent_id: int | None, exclude: set[int]) -> None:
        model = self.parent_combo.model()
        assert isinstance(model, QStandardItemModel)  # a combo box's own model
        for index in range(self.parent_combo.count()):
            item = model.item(index)
            item.setEnabled(self.parent_combo.itemData(index) not in exclude)
        self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(parent_id)))

    def _set_form(self, heading: str, name: str, short: str, level: str, block: str, parent_id: int | None,
                  exclude: set[int]) -> None:
        self.form_box.setTitle(heading)
        self.name_edit.setText(name)
        self.short_name.setText(short)
        self.level.setCurrentIndex(max(0, self.level.findData(level)))
        self.block.setCurrentIndex(max(0, self.block.findData(block)))
        self._set_parent_choices(parent_id, exclude)
        self.errors.clear()
        self.name_edit.setStyleSheet("")
        self.parent_combo.setStyleSheet("")

    def edit_item(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        node = self.nodes[item.data(0, ID_ROLE)]
        self.editing_id = node.id
        self.delete_button.setEnabled(True)
        self.add_child_button.setEnabled(True)
        heading = tr("organisations_view", "Sửa đơn vị: {name}").format(name=node.name)
        self._set_form(heading, node.name, node.short_name or "",
                       node.level, node.block, node.parent_id, self._descendants(node.id))

    def selected_node(self) -> OrganisationNode | None:
        item = self.tree.currentItem()
        return self.nodes.get(item.data(0, ID_ROLE)) if item is not None else None

    def add_child(self) -> None:
        parent = self.selected_node()
        if parent is None:
            self.add_top_level()
            return
        self.editing_id = None
        self.delete_button.setEnabled(False)
        heading = tr("organisations_view", "Thêm đơn vị trực thuộc {name}").format(name=parent.name)
        self._set_form(heading, "", "",
                       CHILD_LEVEL[parent.level], parent.block, parent.id, set())
        self.name_edit.setFocus()

    def add_top_level(self) -> None:
        self.editing_id = None
        self.delete_button.setEnabled(False)
        self.add_child_button.setEnabled(self.tree.currentItem() is not None)
        heading = tr("organisations_view", "Thêm đơn vị cấp cao nhất")
        self._set_form(heading, "", "", "province", "government", None, set())
        self.name_edit.setFocus()

    def save(self) -> None:
        values = {"name": self.name_edit.text(), "short_name": self.short_name.text(),
                  "level": self.level.currentData(), "block": self.block.currentData(),
                  "parent_id": self.parent_combo.currentData(), "organisation_id": self.editing_id}
        self.status.clear()

        def write(session: Session) -> tuple[int, str]:
            org = organisations.save_organisation(session, **values)
            return org.id, org.name

        def done(result: tuple[int, str]) -> None:
            self.errors.clear()
            self.reload(result[0], tr("organisations_view", "Đã lưu đơn vị \"{name}\".").format(
                name=result[1]))

        self.ctx.write(write, done, self, on_failed=self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.status.clear()
        self.errors.setText(error_text(exc))
        fields = {p.field for p in getattr(exc, "problems", [])}
        for key, widget in (("name", self.name_edit), ("parent", self.parent_combo)):
            widget.setStyleSheet("border: 1px solid #b71c1c;" if key in fields else "")

    def confirm(self, title: str, question: str) -> bool:
        """Ask before deleting (tests replace this to answer without a modal loop)."""
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def delete(self) -> None:
        node = self.nodes.get(self.editing_id) if self.editing_id is not None else None
        if node is None:
            return
        question = tr("organisations_view", "Xóa đơn vị \"{name}\"?").format(name=node.name)
        if not self.confirm(tr("organisations_view", "Xóa đơn vị"), question):
            return
        node_id, name, parent_id = node.id, node.name, node.parent_id

        def done(_result: object) -> None:
            self.errors.clear()
            self.editing_id = None
            self.reload(parent_id, tr("organisations_view", "Đã xóa đơn vị \"{name}\".").format(
                name=name))

        self.status.clear()
        self.ctx.write(lambda s: organisations.delete_organisation(s, node_id), done, self,
                       on_failed=self._refused)
