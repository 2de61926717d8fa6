"""Charts drawn with QPainter (the program ships PySide6 Essentials, without QtCharts).

* `ProgressChart`: one horizontal bar per line against its target ("538/550 · 97,8%"), the
  target as a tick; used for the plan's progress.
* `BarChart`: vertical bars per category, one bar per series (this year against the last).
* `PieChart`: shares of a whole with a legend (results by classification).

Each takes plain numbers through a `set_...` method and repaints; numbers are printed the
Vietnamese way ("5.476", "97,8%"). They size themselves from the font, so they stay legible
at 1366×768.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from dtbd_desktop.rules.statistics import count_text, percent_text

PALETTE = [QColor(c) for c in ("#1f4e79", "#9dc3e6", "#c55a11", "#548235", "#7f6000", "#7030a0", "#bf9000",
                               "#2e75b6", "#a5a5a5")]
TEXT = QColor("#202020")
GRID = QColor("#d9d9d9")
TARGET = QColor("#b71c1c")
TRACK = QColor("#eef3f8")


@dataclass(frozen=True)
class ProgressLine:
    label: str
    value: int
    target: int
    tooltip: str = ""


class ProgressChart(QWidget):
    """Horizontal bars of actual against target, one per line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[ProgressLine] = []
        self.unit = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)

    def set_lines(self, lines: Sequence[ProgressLine], unit: str = "") -> None:
        self.lines = list(lines)
        self.unit = unit
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + 10

    def sizeHint(self) -> QSize:
        return QSize(420, max(40, self._row_height() * len(self.lines) + 8))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def _label_width(self, metrics: QFontMetrics) -> int:
        widest = max((metrics.horizontalAdvance(line.label) for line in self.lines), default=0)
        return min(widest + 10, int(self.width() * 0.45))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.lines:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        row = self._row_height()
        label_w = self._label_width(metrics)
        figures_w = max(metrics.horizontalAdvance(self._figures(line)) for line in self.lines) + 12
        bar_x = label_w
        bar_w = max(40, self.width() - label_w - figures_w)
        scale = max([max(line.value, line.target) for line in self.lines] + [1])
        for index, line in enumerate(self.lines):
            top = 4 + index * row
            text_rect = QRectF(0, top, label_w - 8, row)
            painter.setPen(TEXT)
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             metrics.elidedText(line.label, Qt.TextElideMode.ElideRight, label_w - 8))
            track = QRectF(bar_x, top + 4, bar_w, row - 8)
            painter.fillRect(track, TRACK)
            done = line.target > 0 and line.value >= line.target
            colour = PALETTE[3] if done else PALETTE[0]
            painter.fillRect(QRectF(bar_x, top + 4, bar_w * line.value / scale, row - 8), colour)
            if line.target > 0:
                x = bar_x + bar_w * line.target / scale
                painter.setPen(QPen(TARGET, 2))
                painter.drawLine(QPointF(x, top + 1), QPointF(x, top + row - 1))
            painter.setPen(TEXT)
            painter.drawText(QRectF(bar_x + bar_w + 6, top, figures_w, row),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self._figures(line))
        painter.end()

    @staticmethod
    def _figures(line: ProgressLine) -> str:
        if line.target <= 0:
            return count_text(line.value)
        return f"{count_text(line.value)}/{count_text(line.target)} · {percent_text(line.value, line.target)}"

    def event(self, event: QEvent) -> bool:  # tooltips per line
        from PySide6.QtGui import QHelpEvent
        from PySide6.QtWidgets import QToolTip

        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            index = int((event.pos().y() - 4) // self._row_height())
            if 0 <= index < len(self.lines) and self.lines[index].tooltip:
                QToolTip.showText(event.globalPos(), self.lines[index].tooltip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


def nice_scale(peak: int, steps: int = 4) -> tuple[int, int]:
    """(top, step) of an axis from 0 that holds `peak` in about `steps` round steps (1, 2, 5 × 10^k)."""
    raw = max(1.0, peak / steps)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    top = -(-max(peak, 1) // step) * step
    return int(top), int(step)


class BarChart(QWidget):
    """Vertical bars per category, one per series, the values over the bars, a legend below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.categories: list[str] = []
        self.series: list[tuple[str, list[int]]] = []
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> None:
        self.categories = list(categories)
        self.series = [(name, list(values)) for name, values in series]
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.categories or not self.series:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        line_h = metrics.height()
        peak, step = nice_scale(max([v for _n, values in self.series for v in values] + [1]))
        left, right, top = metrics.horizontalAdvance(count_text(peak)) + 10, 8, line_h + 4
        bottom = line_h * 2 + 14
        plot = QRectF(left, top, max(10, self.width() - left - right), max(10, self.height() - top - bottom))
        painter.setPen(QPen(GRID, 1))
        for tick in range(0, peak + 1, step):
            y = plot.bottom() - plot.height() * tick / peak
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(TEXT)
            painter.drawText(QRectF(0, y - line_h / 2, left - 4, line_h),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), count_text(tick))
            painter.setPen(QPen(GRID, 1))
        group_w = plot.width() / len(self.categories)
        bar_w = max(3.0, (group_w * 0.8) / len(self.series))
        for c, category in enumerate(self.categories):
            x0 = plot.left() + c * group_w + group_w * 0.1
            for s, (_name, values) in enumerate(self.series):
                value = values[c] if c < len(values) else 0
                h = plot.height() * value / peak
                rect = QRectF(x0 + s * bar_w, plot.bottom() - h, bar_w - 2, h)
                painter.fillRect(rect, PALETTE[s % len(PALETTE)])
                if value and bar_w >= metrics.horizontalAdvance(count_text(value)) * 0.6:
                    painter.setPen(TEXT)
                    painter.drawText(QRectF(rect.left() - 10, rect.top() - line_h, rect.width() + 20, line_h),
                                     int(Qt.AlignmentFlag.AlignCenter), count_text(value))
            painter.setPen(TEXT)
            painter.drawText(QRectF(plot.left() + c * group_w, plot.bottom() + 2, group_w, line_h),
                             int(Qt.AlignmentFlag.AlignCenter),
                             metrics.elidedText(category, Qt.TextElideMode.ElideRight, int(group_w)))
        x = plot.left()
        y = plot.bottom() + line_h + 8
        for s, (name, _values) in enumerate(self.series):
            painter.fillRect(QRectF(x, y + 2, line_h - 4, line_h - 4), PALETTE[s % len(PALETTE)])
            painter.drawText(QPointF(x + line_h, y + metrics.ascent()), name)
            x += line_h + metrics.horizontalAdvance(name) + 18
        painter.end()


class PieChart(QWidget):
    """A pie of shares with a legend "Khá: 132 (30,1%)"; empty items are left out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[tuple[str, int]] = []
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_items(self, items: Sequence[tuple[str, int]]) -> None:
        self.items = [(label, n) for label, n in items if n > 0]
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(380, 200)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.items:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        total = sum(n for _l, n in self.items)
        size = max(40, min(self.height() - 8, int(self.width() * 0.45)))
        pie = QRectF(4, (self.height() - size) / 2, size, size)
        angle = 90 * 16
        painter.setPen(QPen(QColor("white"), 1))
        for index, (_label, n) in enumerate(self.items):
            span = -round(360 * 16 * n / total)
            painter.setBrush(PALETTE[index % len(PALETTE)])
            painter.drawPie(pie, angle, span)
            angle += span
        x = pie.right() + 14
        line_h = metrics.height() + 4
        y = max(4.0, (self.height() - line_h * len(self.items)) / 2)
        for index, (label, n) in enumerate(self.items):
            painter.fillRect(QRectF(x, y + 3, line_h - 8, line_h - 8), PALETTE[index % len(PALETTE)])
            painter.setPen(TEXT)
            painter.drawText(QPointF(x + line_h, y + metrics.ascent() + 1),
                             f"{label}: {count_text(n)} ({percent_text(n, total)})")
            y += line_h
        painter.end()
