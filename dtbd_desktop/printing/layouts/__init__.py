"""Layouts of printed documents (diplomas on pre-printed blanks, full-print certificates) as data,
and the pages drawn from them.

* `model`: a layout as data: its fields, its JSON file (format 1, in `resources/layouts/` and
  in the setting `certificate_layouts`), the bundled layouts, the one chosen for a programme;
* `calibration`: the correction a printer needs, `printed at = offset + scale × position`, and
  how to work it out from the marks of the test page;
* `pages`: a layout and a document's values become a page of drawing operations in
  millimetres, calibration applied, which the PDF writer and the GUI's preview and printing
  draw alike (what is previewed is what is printed); the calibration test page.
"""

from dtbd_desktop.printing.layouts.calibration import (
    MARK_A,
    MARK_B,
    MARK_C,
    MAX_OFFSET_MM,
    SCALE_RANGE,
    Calibration,
    calibration_for,
    calibration_from_setting,
    from_measurements,
)
from dtbd_desktop.printing.layouts.model import (
    ALIGNS,
    FIELD_KEYS,
    FIELD_TYPES,
    FONTS,
    FORMAT,
    MODES,
    Field,
    Layout,
    LayoutError,
    bundled_layouts,
    choose_layout,
    ensure_unique_ids,
    field_from_json,
    field_label,
    key_description,
    layout_from_json,
    merge_layouts,
    read_layout_file,
    sample_values,
    template_keys,
    write_layout_file,
)
from dtbd_desktop.printing.layouts.pages import (
    PT_PER_MM,
    LineOp,
    Op,
    OpsCache,
    Page,
    QrOp,
    RectOp,
    TextOp,
    fill,
    font_name,
    page_ops,
    test_page_ops,
    text_width_mm,
)

__all__ = [
    "ALIGNS", "FIELD_KEYS", "FIELD_TYPES", "FONTS", "FORMAT", "MARK_A", "MARK_B", "MARK_C", "MAX_OFFSET_MM", "MODES",
    "PT_PER_MM", "SCALE_RANGE", "Calibration", "Field", "Layout", "LayoutError", "LineOp", "Op", "OpsCache", "Page",
    "QrOp", "RectOp", "TextOp", "bundled_layouts", "calibration_for", "calibration_from_setting", "choose_layout",
    "ensure_unique_ids", "field_from_json", "field_label", "fill", "font_name", "from_measurements",
    "key_description", "layout_from_json", "merge_layouts", "page_ops", "read_layout_file", "sample_values",
    "template_keys", "test_page_ops", "text_width_mm", "write_layout_file",
]
