"""Every window of the program fits a 1366×768 laptop (with a 40-pixel taskbar) and a 1920×1080 monitor.

`window_sizes.py` opens the main window with each of its screens and tabs, the class window with
its tabs, and every dialog, on the demo centre, under Qt's offscreen platform given a screen of
that size; each window's frame must lie inside the screen's area less a taskbar. Screenshots go
to a temporary folder (DTBD_SHOTS=FOLDER keeps them, to look at).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TASKBAR = 40


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_every_window_fits_the_screen(width: int, height: int, tmp_path: Path) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    shots = Path(os.environ["DTBD_SHOTS"]) / f"{width}x{height}" if os.environ.get("DTBD_SHOTS") else tmp_path
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", DTBD_DATA_DIR=str(tmp_path / "data"))
    subprocess.run([sys.executable, "-m", "tests.gui.window_sizes", str(shots)], cwd=ROOT, env=env, check=True,
                   timeout=600, capture_output=True)
    sizes = json.loads((shots / "sizes.json").read_text(encoding="utf-8"))
    assert sizes["available"] == [0, 0, width, height]
    windows = sizes["windows"]
    assert {"main_dashboard", "main_admin_tab1", "class_window", "class_window_tab1", "certificate_preview",
            "layout_editor", "import_wizard", "first_run", "settings"} <= set(windows)
    usable = (width, height - TASKBAR)
    too_big = {name: frame for name, frame in windows.items()
               if frame[0] < 0 or frame[1] < 0 or frame[0] + frame[2] > usable[0] or frame[1] + frame[3] > usable[1]}
    assert not too_big, f"windows outside {usable[0]}×{usable[1]}: {too_big}"
    assert all((shots / f"{name}.png").stat().st_size > 1000 for name in windows)
