"""Packaging: the frozen Linux bundle builds and passes its self-check (slow); the Windows installer
script compiles with Inno Setup's own compiler under Wine, against that bundle staged with the
Windows names, and the installer it makes installs, upgrades and uninstalls (slow); the script,
the spec and the icons hold together (quick)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dtbd_desktop import __version__
from dtbd_desktop.base.paths import APP_AUTHOR, APP_NAME

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
BUILD_TIMEOUT_S = 1800


def _bundle_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def linux_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen Linux bundle, built once for the tests of this module."""
    if not sys.platform.startswith("linux"):
        pytest.skip("builds the Linux bundle")
    if importlib.util.find_spec("PyInstaller") is None:
        message = "PyInstaller is not installed (pip install pyinstaller; it belongs in the test extras)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("bundle")
    env = {**os.environ, "PYTHON": sys.executable, "DTBD_DIST": str(folder / "dist"),
           "DTBD_BUILD": str(folder / "build"), "DTBD_NO_ARCHIVE": "1"}
    built = subprocess.run(["bash", str(INSTALLER / "build_linux.sh")], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=BUILD_TIMEOUT_S)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    shutil.rmtree(folder / "build", ignore_errors=True)
    return folder / "dist" / "dtbd-desktop"


@pytest.mark.slow
def test_the_linux_bundle_builds_and_passes_its_self_check(linux_bundle: Path, tmp_path: Path) -> None:
    bundle = linux_bundle

    # The bundle carries every resource and migration of the source tree.
    inside = _bundle_files(bundle / "_internal")
    wanted = {"resources/" + p for p in _bundle_files(ROOT / "resources")
              if "__pycache__" not in p and not p.endswith(".pyc")}
    wanted |= {"dtbd_desktop/db/migrations/" + p for p in _bundle_files(ROOT / "dtbd_desktop" / "db" / "migrations")
               if "__pycache__" not in p and not p.endswith(".pyc")}
    assert wanted - inside == set()
    assert not any(name.startswith(("pytest", "_pytest/", "hypothesis/")) for name in inside)

    # The self-check, again, by itself: offscreen, on a new user's empty data folder.
    home = tmp_path / "home"
    home.mkdir()
    check_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DTBD_DATA_DIR": str(home / "data"),
                 "TMPDIR": str(home)}
    check_env.pop("DTBD_DATABASE_URL", None)
    checked = subprocess.run([str(bundle / "dtbd-desktop"), "--self-check"], env=check_env, capture_output=True,
                             text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for line in ("[OK] Tài nguyên", "[OK] Bản nâng cấp cơ sở dữ liệu", "[OK] Trình kết nối PostgreSQL",
                 "[OK] Cơ sở dữ liệu", "[OK] In giấy chứng nhận", "[OK] Giao diện", "Kết quả: đạt."):
        assert line in checked.stdout
    assert f"{bundle}/_internal/resources" in checked.stdout  # resources found inside the bundle
    assert not (home / "data" / "dtbd.sqlite3").exists()

    # The command line of the bundle works on a real database.
    db = f"sqlite:///{home / 'truong.sqlite3'}"
    cli_env = {**check_env, "DTBD_LANG": "vi"}
    assert subprocess.run([str(bundle / "dtbd"), "--db", db, "init"], env=cli_env, capture_output=True,
                          timeout=120).returncode == 0
    listed = subprocess.run([str(bundle / "dtbd"), "--db", db, "programmes", "list", "--json"], env=cli_env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "TC" in {p["code"] for p in json.loads(listed.stdout)}
    version = subprocess.run([str(bundle / "dtbd-desktop"), "--version"], capture_output=True, text=True,
                             timeout=60, env=check_env)
    assert version.stdout.strip() == f"dtbd-desktop {__version__}"


# ------------------------------------------------------------------- the installer, under Wine


def _inno_compiler() -> Path | None:
    """ISCC.exe: $DTBD_ISCC, or where scripts/dev.py unpacks the npm package."""
    if os.environ.get("DTBD_ISCC"):
        return Path(os.environ["DTBD_ISCC"])
    found = sorted((ROOT / ".venv" / "innosetup").glob("*/package/bin/ISCC.exe"))
    return found[-1] if found else None


def _windows_path(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")


class Wine:
    """Windows programs in a Wine prefix of their own, each on a virtual screen of its own (Inno
    Setup's wizard window exists even when silent), the prefix telling programs it is Windows 10."""

    def __init__(self, prefix: Path) -> None:
        self.env = {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all", "WINEDLLOVERRIDES": "mscoree,mshtml="}
        self.env.pop("DISPLAY", None)
        self.prefix = prefix

    def run(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["xvfb-run", "-a", "wine", *args], env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def drive_c(self, *parts: str) -> Path:
        return self.prefix.joinpath("drive_c", *parts)


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Wine:
    missing = [tool for tool in ("wine", "xvfb-run") if shutil.which(tool) is None]
    compiler = _inno_compiler()
    if missing or compiler is None or not compiler.exists():
        message = (f"needs {', '.join(missing) or 'Inno Setup'}: scripts/dev.py test installs Wine, xvfb and "
                   "Inno Setup's compiler on Debian/Ubuntu x86-64")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    machine = Wine(tmp_path_factory.mktemp("wine") / "prefix")
    made = machine.run("reg", "add", r"HKCU\Software\Wine", "/v", "Version", "/d", "win10", "/f", timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    return machine


def _stage_with_windows_names(bundle: Path, folder: Path) -> Path:
    """The Linux bundle laid out as the Windows one: the same folders, the programs named .exe."""
    staged = folder / "dtbd-desktop"
    shutil.copytree(bundle, staged, copy_function=os.link)
    for program in ("dtbd-desktop", "dtbd"):
        (staged / program).rename(staged / f"{program}.exe")
    return staged


@pytest.mark.slow
def test_the_windows_installer_compiles_installs_upgrades_and_uninstalls(
        linux_bundle: Path, wine: Wine, tmp_path: Path) -> None:
    staged = _stage_with_windows_names(linux_bundle, tmp_path / "stage")
    compiler = _inno_compiler()
    assert compiler is not None
    compiled = wine.run(str(compiler), f"/DAppVersion={__version__}", f"/DDistDir={_windows_path(staged)}",
                        f"/DOutputDir={_windows_path(tmp_path / 'out')}", "/DCompression=none",
                        _windows_path(INSTALLER / "dtbd-desktop.iss"))
    assert compiled.returncode == 0, compiled.stdout[-4000:] + compiled.stderr[-2000:]
    assert "Warning" not in compiled.stdout, compiled.stdout  # e.g. a message missing from Vietnamese.isl
    setup = tmp_path / "out" / f"DTBD-Desktop-{__version__}-Setup.exe"
    assert setup.read_bytes()[:2] == b"MZ"

    # Installed for all users (Wine cannot expand {userpf}, the per-user folder, so the per-user
    # install is not tried here): every file of the bundle, the Start-menu and desktop shortcuts.
    def install(log: str) -> None:
        done = wine.run(str(setup), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/ALLUSERS", "/LANG=vi",
                        f"/LOG={_windows_path(tmp_path / log)}")
        assert done.returncode == 0, (tmp_path / log).read_text(encoding="utf-8", errors="replace")[-3000:]

    install("install.log")
    app = wine.drive_c("Program Files", "DTBD Desktop")
    assert _bundle_files(staged) <= _bundle_files(app)
    assert (wine.drive_c("ProgramData", "Microsoft", "Windows", "Start Menu", "Programs", "DTBD Desktop.lnk")).exists()
    assert wine.drive_c("users", "Public", "Desktop", "DTBD Desktop.lnk").exists()

    # An upgrade replaces the whole bundle: a library the old version had does not linger.
    stale = app / "_internal" / "old-library.dll"
    stale.write_bytes(b"old")
    install("upgrade.log")
    assert not stale.exists()
    assert (app / "dtbd-desktop.exe").exists()

    # Uninstalling removes the program and keeps the data of the user who runs it.
    users = [p for p in wine.drive_c("users").iterdir() if p.name != "Public"]
    data = users[0] / "AppData" / "Local" / APP_AUTHOR / APP_NAME
    data.mkdir(parents=True)
    (data / "dtbd.sqlite3").write_bytes(b"the centre's records")
    removed = wine.run(str(app / "unins000.exe"), "/VERYSILENT", "/SUPPRESSMSGBOXES")
    assert removed.returncode == 0, removed.stderr[-2000:]
    for _ in range(60):  # the uninstaller finishes in a copy of itself
        if not (app / "dtbd-desktop.exe").exists():
            break
        time.sleep(1)
    assert not (app / "dtbd-desktop.exe").exists() and not (app / "_internal").exists()
    assert (data / "dtbd.sqlite3").read_bytes() == b"the centre's records"


# ---------------------------------------------------------------------------------- quick checks


def _iss() -> str:
    raw = (INSTALLER / "dtbd-desktop.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads UTF-8 only with a byte order mark"
    return raw.decode("utf-8-sig")


def _section(text: str, name: str) -> list[str]:
    match = re.search(rf"^\[{re.escape(name)}\]\r?\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert match, f"[{name}] missing"
    return [line.strip() for line in match.group(1).splitlines() if line.strip() and not line.startswith(";")]


def test_the_installer_keeps_one_identity_and_the_data_folder() -> None:
    text = _iss()
    setup = dict(line.split("=", 1) for line in _section(text, "Setup"))
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["PrivilegesRequired"] == "lowest"  # office PCs without an administrator
    assert setup["SetupIconFile"] == r"..\resources\icons\dtbd.ico"
    assert (INSTALLER / setup["SetupIconFile"].replace("\\", "/")).exists()
    # The data folder the uninstaller asks about is the program's: platformdirs' Windows layout.
    assert f'#define DataDir "{{localappdata}}\\{APP_AUTHOR}\\{APP_NAME}"' in text
    assert r'Type: filesandordirs; Name: "{app}\_internal"' in text  # upgrades leave no stale library
    assert "UninstallSilent()" in text and "MB_DEFBUTTON2" in text  # keeping the data is the default


def test_the_installer_speaks_vietnamese_and_english() -> None:
    text = _iss()
    languages = [line.split(";")[0] for line in _section(text, "Languages")]
    assert languages == ['Name: "vi"', 'Name: "en"']  # Vietnamese first: the default
    messages: dict[str, set[str]] = {"vi": set(), "en": set()}
    for line in _section(text, "CustomMessages"):
        language, rest = line.split(".", 1)
        messages[language].add(rest.split("=", 1)[0])
    assert messages["vi"] == messages["en"] and messages["vi"]
    used = set(re.findall(r"\{cm:(\w+)\}", text)) | set(re.findall(r"CustomMessage\('(\w+)'\)", text))
    inno_own = {"CreateDesktopIcon", "AdditionalIcons"}
    assert used - inno_own <= messages["vi"]


def test_the_installer_makes_the_shortcuts() -> None:
    icons = _section(_iss(), "Icons")
    assert any(line.startswith(r'Name: "{autoprograms}\{#AppName}"') for line in icons)
    assert any(line.startswith(r'Name: "{autodesktop}\{#AppName}"') and "Tasks: desktopicon" in line
               for line in icons)


def test_the_build_scripts_name_files_that_exist() -> None:
    ps1 = (INSTALLER / "build_windows.ps1").read_text(encoding="utf-8")
    for name in re.findall(r'"installer\\\\?([\w.-]+)"', ps1):
        assert (INSTALLER / name).exists(), name
    assert "--self-check" in ps1 and "ISCC" in ps1
    sh = (INSTALLER / "build_linux.sh").read_text(encoding="utf-8")
    assert "installer/dtbd-desktop.spec" in sh and "--self-check" in sh
    assert os.access(INSTALLER / "build_linux.sh", os.X_OK)
    spec = (INSTALLER / "dtbd-desktop.spec").read_text(encoding="utf-8")
    for entry in re.findall(r'"(entry_\w+\.py)"', spec):
        assert (INSTALLER / entry).exists()


def test_the_icon_has_every_windows_size() -> None:
    ico = (ROOT / "resources" / "icons" / "dtbd.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", ico, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 24, 32, 48, 256} <= sizes
    for size in (16, 32, 48, 256, 512):
        assert (ROOT / "resources" / "icons" / f"dtbd-{size}.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_linux_build_script_parses() -> None:
    assert subprocess.run(["bash", "-n", str(INSTALLER / "build_linux.sh")]).returncode == 0
