#!/usr/bin/env python3
"""Render the program's icon from resources/icons/dtbd.svg with Qt: PNGs and a Windows .ico.

    .venv/bin/python installer/make_icons.py

writes resources/icons/dtbd-<size>.png (16 to 512 pixels) and resources/icons/dtbd.ico
(16, 20, 24, 32, 40, 48, 64 and 128 as 32-bit BMP images, 256 as PNG, which every Windows since
Vista reads). The generated files are committed, so a build needs no SVG renderer; run this
again after changing the SVG.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def bmp_entry(image: QImage) -> bytes:
    """A 32-bit DIB as an .ico stores it: header with double height, BGRA rows bottom-up, AND mask."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA in memory on little-endian
    width, height = image.width(), image.height()
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(height - 1, -1, -1):
        line = image.constScanLine(y)
        rows.append(bytes(line)[: width * 4])
    mask_row = b"\x00" * (((width + 31) // 32) * 4)  # transparency comes from the alpha channel
    return header + b"".join(rows) + mask_row * height


def ico_bytes(images: dict[int, QImage]) -> bytes:
    entries = []
    for size, image in sorted(images.items()):
        entries.append((size, png_bytes(image) if size >= 256 else bmp_entry(image)))
    offset = 6 + 16 * len(entries)
    directory, blobs = b"", b""
    for size, blob in entries:
        side = 0 if size >= 256 else size
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return struct.pack("<HHH", 0, 1, len(entries)) + directory + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "dtbd.svg"))
    if not renderer.isValid():
        print(f"cannot read {ICONS / 'dtbd.svg'}", file=sys.stderr)
        return 1
    for size in PNG_SIZES:
        path = ICONS / f"dtbd-{size}.png"
        if not render(renderer, size).save(str(path), "PNG"):
            print(f"cannot write {path}", file=sys.stderr)
            return 1
    (ICONS / "dtbd.ico").write_bytes(ico_bytes({size: render(renderer, size) for size in ICO_SIZES}))
    print(f"wrote {len(PNG_SIZES)} PNG files and dtbd.ico in {ICONS}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
