"""The wheel is complete: installed the ordinary Python way, away from the source tree, it starts.

The wheel is built (`pip wheel`), installed with `pip install --no-deps` into a fresh virtual
environment whose dependencies come from this test environment's site-packages (a `.pth` file:
its own `.pth` files, such as the editable install of the source tree, are not read), and run
from an empty folder: `dtbd init --demo`, `dtbd programmes list` and `dtbd-desktop --self-check`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_built_wheel_installs_and_runs_without_the_source_tree(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = wheels.glob("dtbd_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "resources").rglob("*")
               if p.is_file() and p.suffix not in (".qm", ".pyc") and "__pycache__" not in p.parts}
    assert {"dtbd_desktop/" + name for name in shipped} <= names  # every resource, inside the package
    assert "dtbd_desktop/db/migrations/versions/0001_initial_schema.py" in names

    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                                str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DTBD_DATABASE_URL")}
    env.update(DTBD_DATA_DIR=str(work / "data"), QT_QPA_PLATFORM="offscreen", TMPDIR=str(work))
    where = subprocess.run([str(python), "-c", "import dtbd_desktop; print(dtbd_desktop.__file__)"], cwd=work,
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert str(site) in where and str(ROOT) not in where  # the installed copy, not the source tree
    bin_dir = python.parent
    url = f"sqlite:///{work / 'centre.sqlite3'}"
    init = subprocess.run([str(bin_dir / "dtbd"), "--db", url, "init", "--demo", "--json"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)
    assert init.returncode == 0, init.stdout[-3000:] + init.stderr[-3000:]
    assert json.loads(init.stdout)["programmes"] == 7
    listed = subprocess.run([str(bin_dir / "dtbd"), "--db", url, "programmes", "list", "--json"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=120)
    assert [p["code"] for p in json.loads(listed.stdout)][:3] == ["SC", "TC", "CC"]
    checked = subprocess.run([str(bin_dir / "dtbd-desktop"), "--self-check"], cwd=work, env=env,
                             capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    assert "[OK] Tài nguyên" in checked.stdout
