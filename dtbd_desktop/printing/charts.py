"""Charts for the printed reports, drawn with reportlab.graphics in the document font.

Every string a chart draws (axis labels, bar values, legend, pie labels) is set to Liberation
Serif explicitly: reportlab's charts default to Helvetica, a font the PDFs must not reference.
Numbers on the charts follow the printed documents: "." between thousands, decimal comma.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from dtbd_desktop.base import text
from dtbd_desktop.printing.pdf import FONT, FONT_BOLD, register_fonts
from dtbd_desktop.rules.statistics import percent

#: Series colours: calm, distinct when printed in grey.
PALETTE = [colors.HexColor(c) for c in ("#1f4e79", "#9dc3e6", "#c55a11", "#548235", "#7f6000", "#7030a0",
                                        "#bf9000", "#2e75b6", "#a5a5a5")]
LABEL_SIZE = 9.0


def _count(value: float) -> str:
    return text.format_decimal(value, 0)


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose initial font is the document's (else the renderer starts in Helvetica)."""
    return Drawing(width, height, initialFontName=FONT, initialFontSize=LABEL_SIZE)


def bar_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, width: float,
              height: float = 190.0, title: str | None = None) -> Drawing:
    """Vertical bars per category, one bar per series (e.g. the previous year and this one), with
    the values over the bars and a legend under the chart."""
    register_fonts()
    drawing = _drawing(width, height)
    top = height - (18 if title else 6)
    if title:
        drawing.add(String(width / 2, height - 12, text.nfc(title), fontName=FONT_BOLD, fontSize=10,
                           textAnchor="middle"))
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 42
    chart.width, chart.height = width - 52, top - 42 - 14  # type: ignore[assignment]  # any number; the stub says int
    chart.data = [list(values) for _name, values in series] or [[0] * len(categories)]
    chart.categoryAxis.categoryNames = [text.nfc(c) for c in categories]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.dy = -2
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.labelTextFormat = _count
    chart.valueAxis.valueMin = 0
    peak = max((v for _n, values in series for v in values), default=0)
    chart.valueAxis.valueMax = max(10, int(peak * 1.15) + 1)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#d9d9d9")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.barLabelFormat = _count
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.nudge = 6
    chart.barSpacing = 1
    chart.groupSpacing = 8
    for index in range(len(chart.data)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.fontName = FONT
        legend.fontSize = LABEL_SIZE
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.dx = legend.dy = 8
        legend.deltax = 90
        legend.x, legend.y = 44, 12
        legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], text.nfc(name)) for i, (name, _v) in enumerate(series)]
        drawing.add(legend)
    return drawing


def pie_chart(items: Sequence[tuple[str, int]], *, width: float, height: float = 170.0,
              title: str | None = None) -> Drawing:
    """A pie of shares with a legend "Khá: 132 (30,1%)" beside it; empty items are left out."""
    register_fonts()
    drawing = _drawing(width, height)
    shown = [(label, n) for label, n in items if n > 0]
    if title:
        drawing.add(String(width / 2, height - 12, text.nfc(title), fontName=FONT_BOLD, fontSize=10,
                           textAnchor="middle"))
    if not shown:
        return drawing
    total = sum(n for _l, n in shown)
    size = min(height - 30, width * 0.4)
    pie = Pie()
    pie.x, pie.y = 20, (height - 16 - size) / 2  # type: ignore[assignment]  # any number; the stub says int
    pie.width = pie.height = size  # type: ignore[assignment]  # any number; the stub says int
    pie.data = [n for _l, n in shown]
    pie.labels = None
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.strokeColor = colors.white
    pie.strokeWidth = 0.8  # type: ignore[assignment]  # any number; the stub says int
    for index in range(len(shown)):
        pie.slices[index].fillColor = PALETTE[index % len(PALETTE)]
        pie.slices[index].fontName = FONT
        pie.slices[index].strokeColor = colors.white
    drawing.add(pie)
    legend = Legend()
    legend.fontName = FONT
    legend.fontSize = 10
    legend.alignment = "right"
    legend.x, legend.y = pie.x + size + 30, pie.y + size - 6  # type: ignore[assignment]  # any number; the stub says int
    legend.dx = legend.dy = 9
    legend.deltay = 16
    legend.columnMaximum = 10
    legend.colorNamePairs = [
        (PALETTE[i % len(PALETTE)], f"{text.nfc(label)}: {_count(n)} ({text.format_percent(share(n, total), 1)})")
        for i, (label, n) in enumerate(shown)]
    drawing.add(legend)
    return drawing


def share(part: int, whole: int) -> Any:
    return percent(part, whole)
