#!/usr/bin/env python3
"""Set up DTBD Desktop and start it, or run its whole test suite: one command each.

    python3 scripts/dev.py run [--demo ...]     set up, then start the program
    python3 scripts/dev.py test [pytest args]   set up, then ruff + the whole test suite

Standard library only; runs with the system Python 3.11+ on Linux and Windows
(on Windows: ``py scripts\\dev.py run``). From any folder, as often as you like:

* ``.venv`` in the project root is created if missing (or broken), and the project is
  installed into it with ``pip install -e ".[test]"``; that step is skipped while
  ``pyproject.toml`` is unchanged (a hash of it is kept in ``.venv/.dtbd-setup-stamp``).
* ``resources/translations/*.ts`` are compiled to ``.qm`` next to them.
* On Debian/Ubuntu, as root or with passwordless sudo, the system libraries Qt needs
  (and for ``test``: the PostgreSQL server, poppler-utils, zbar-tools and Chromium) are installed with apt-get
  when missing. ``DTBD_SKIP_APT=1`` skips that step.
* ``test`` also provides what the slow installer test needs on Linux x86-64: Wine (``wine``,
  ``wine64`` and ``wine32:i386``, after ``dpkg --add-architecture i386``) and Inno Setup's
  compiler from the npm package ``innosetup`` (its tarball fetched from the npm registry, checked
  against its published SHA-512, unpacked in ``.venv/innosetup``; ``DTBD_ISCC`` points at it).
  ``DTBD_SKIP_WINE=1`` skips that step (the test then skips, or fails under ``CI=true``).
* ``test`` provides PostgreSQL: ``DTBD_TEST_PG_URL`` if set, else a throwaway server on a
  free loopback port in a temporary folder, removed again after the run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".dtbd-setup-stamp"
SETUP_VERSION = "1"  # bump to force a reinstall everywhere
IS_WINDOWS = os.name == "nt"
MIN_PYTHON = (3, 11)

# What Qt 6 (PySide6 wheels) needs from the system to open a window (xcb, wayland) or to run
# offscreen. Each entry lists alternative package names: the first one installed satisfies
# it; otherwise the first one apt can install is taken (Ubuntu 24.04 / Debian 13 renamed
# some libraries with a "t64" suffix).
QT_PACKAGES: list[tuple[str, ...]] = [
    ("libegl1",), ("libgl1",), ("libopengl0",),
    ("libxkbcommon0",), ("libxkbcommon-x11-0",),
    ("libfontconfig1",), ("libfreetype6",), ("fonts-dejavu-core",),
    ("libdbus-1-3",), ("libglib2.0-0", "libglib2.0-0t64"),
    ("libx11-6",), ("libx11-xcb1",), ("libxext6",), ("libxrender1",), ("libxi6",),
    ("libxcb1",), ("libxcb-cursor0",), ("libxcb-glx0",), ("libxcb-icccm4",), ("libxcb-image0",),
    ("libxcb-keysyms1",), ("libxcb-randr0",), ("libxcb-render0",), ("libxcb-render-util0",),
    ("libxcb-shape0",), ("libxcb-shm0",), ("libxcb-sync1",), ("libxcb-util1",),
    ("libxcb-xfixes0",), ("libxcb-xkb1",),
    ("libwayland-client0",), ("libwayland-cursor0",), ("libwayland-egl1",),
]
# PDF text and fonts; QR decoding; a screen for Wine; a browser for the verification page's tests
TEST_PACKAGES: list[tuple[str, ...]] = [("poppler-utils",), ("zbar-tools",), ("xvfb",), ("xauth",),
                                        ("chromium", "chromium-browser")]
PG_PACKAGE = "postgresql"  # Debian/Ubuntu metapackage: the distribution's current server
# Inno Setup's compiler (Windows programs, run under Wine) from the npm package "innosetup".
ISCC_PACKAGE = ("innosetup", "6.4.1", "https://registry.npmjs.org/innosetup/-/innosetup-6.4.1.tgz",
                "Bh/dNlyyFsFKBGoTf19n1msPnm4Njfb0CWVirw2CV1MSJXYy0ajRI+xjo/Yr9DtZFLLafhnwm1ZsxTu309F8lQ==")


class SetupError(Exception):
    """A step failed; the message says which and what to do."""


# ---------------------------------------------------------------------------------- output


def say(message: str) -> None:
    print(f"== {message}", flush=True)


def warn(message: str) -> None:
    print(f"== warning: {message}", file=sys.stderr, flush=True)


def run(cmd: Sequence[str], what: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command; raise SetupError naming `what` if it fails."""
    try:
        result = subprocess.run(list(cmd), text=True, **kwargs)
    except OSError as exc:
        raise SetupError(f"{what} failed: cannot run {cmd[0]}: {exc}") from exc
    if result.returncode != 0:
        details = ""
        if isinstance(result.stdout, str) and result.stdout.strip():
            details += "\n" + result.stdout.strip()[-4000:]
        if isinstance(result.stderr, str) and result.stderr.strip():
            details += "\n" + result.stderr.strip()[-4000:]
        raise SetupError(f"{what} failed (exit {result.returncode}): {shlex.join(cmd)}{details}")
    return result


def run_foreground(cmd: Sequence[str], **kwargs: Any) -> int:
    """Run a long command (pytest, the program) and return its exit code.

    Ctrl-C reaches the child too; wait for it to finish its own clean-up rather than
    killing it, so pytest still prints its summary.
    """
    proc = subprocess.Popen(list(cmd), **kwargs)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            return proc.wait(timeout=30)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            proc.kill()
            proc.wait()
            raise KeyboardInterrupt from None
    except BaseException:  # SIGTERM/SIGHUP (SystemExit): take the child down too
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise


# ------------------------------------------------------------------------- Python version


def ensure_python_version(argv: Sequence[str]) -> None:
    """Re-run this script with a newer Python if the one running it is too old."""
    if sys.version_info >= MIN_PYTHON:
        return
    have = ".".join(map(str, sys.version_info[:3]))
    if not IS_WINDOWS and os.environ.get("DTBD_DEV_REEXEC") != "1":
        candidates = ["python3.13", "python3.12", "python3.11"]
        found = next((shutil.which(c) for c in candidates if shutil.which(c)), None)
        if found is None and apt_available() and sudo_prefix() is not None:
            say(f"Python {have} is too old: installing python3.11 with apt-get")
            try:
                apt_install(["python3.11", "python3.11-venv"])
            except SetupError as exc:
                warn(str(exc))
            found = shutil.which("python3.11")
        if found:
            say(f"Python {have} is too old: re-running with {found}")
            os.environ["DTBD_DEV_REEXEC"] = "1"
            os.execv(found, [found, str(Path(__file__).resolve()), *argv])
    raise SetupError(
        f"DTBD Desktop needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; this is Python {have}. "
        "Install a newer Python (Windows: python.org; Debian/Ubuntu: apt-get install python3.11 "
        "python3.11-venv) and run this script with it."
    )


# ------------------------------------------------------------------------ system packages


def apt_available() -> bool:
    return sys.platform.startswith("linux") and bool(shutil.which("apt-get")) and bool(
        shutil.which("dpkg-query"))


_SUDO: list[str] | None | bool = False  # False = not checked yet


def sudo_prefix() -> list[str] | None:
    """[] when root, ["sudo", "-n"] with passwordless sudo, None when neither."""
    global _SUDO
    if _SUDO is False:
        if IS_WINDOWS:
            _SUDO = None
        elif os.geteuid() == 0:
            _SUDO = []
        elif shutil.which("sudo") and subprocess.run(
                ["sudo", "-n", "true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode == 0:
            _SUDO = ["sudo", "-n"]
        else:
            _SUDO = None
    return _SUDO  # type: ignore[return-value]


def installed_packages(names: Sequence[str]) -> set[str]:
    """Those of `names` that dpkg has fully installed (any architecture)."""
    if not names:
        return set()
    result = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\n", *names],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    done = set()
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] == "installed":
            done.add(parts[0])
    return done


def has_candidate(name: str) -> bool:
    result = subprocess.run(["apt-cache", "policy", name], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    match = re.search(r"Candidate:\s*(\S+)", result.stdout)
    return match is not None and match.group(1) != "(none)"


_APT_UPDATED = False


def _apt(*args: str) -> list[str]:
    prefix = sudo_prefix()
    assert prefix is not None
    return [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-y", "-q",
            "-o", "DPkg::Lock::Timeout=300", *args]


def apt_update() -> None:
    """apt-get update, once per run, and only when something is to be installed."""
    global _APT_UPDATED
    if not _APT_UPDATED:
        say("apt-get update")
        run(_apt("update"), "apt-get update", stdin=subprocess.DEVNULL)
        _APT_UPDATED = True


def apt_install(names: Sequence[str]) -> None:
    apt_update()
    say(f"installing system packages: {' '.join(names)}")
    run(_apt("install", "--no-install-recommends", *names), "apt-get install",
        stdin=subprocess.DEVNULL)


def ensure_system_packages(groups: Sequence[tuple[str, ...]], extra: Sequence[str] = ()) -> None:
    """Install what is missing on Debian/Ubuntu (root or passwordless sudo); else only say so."""
    if not apt_available() or os.environ.get("DTBD_SKIP_APT") == "1":
        return
    every = [name for group in groups for name in group]
    have = installed_packages(every)
    missing_groups = [group for group in groups if not have.intersection(group)]
    if not missing_groups and not extra:
        return
    if sudo_prefix() is None:
        wanted = [group[0] for group in missing_groups] + list(extra)
        warn("these system packages seem to be missing and this user cannot install them: "
             f"{' '.join(wanted)}\n   install them with: sudo apt-get install {' '.join(wanted)}")
        return
    apt_update()  # look names up in a fresh package list, so renamed packages are found
    chosen: list[str] = []
    for group in missing_groups:
        name = next((n for n in group if has_candidate(n)), None)
        if name is None:
            warn(f"no installable package among: {' '.join(group)} (skipped)")
        else:
            chosen.append(name)
    chosen += [name for name in extra if name not in chosen]
    if chosen:
        apt_install(chosen)


def ensure_wine() -> bool:
    """Wine with its 32-bit half (Inno Setup's compiler is a 32-bit program): Linux x86-64 only."""
    if IS_WINDOWS or not sys.platform.startswith("linux") or os.uname().machine != "x86_64":
        return False
    if shutil.which("wine") and installed_packages(["wine32"]):
        return True
    if not apt_available() or os.environ.get("DTBD_SKIP_APT") == "1" or sudo_prefix() is None:
        warn("Wine is missing: the installer test will skip (sudo apt-get install wine wine64 wine32:i386)")
        return False
    prefix = sudo_prefix()
    assert prefix is not None
    foreign = subprocess.run(["dpkg", "--print-foreign-architectures"], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, text=True).stdout.split()
    global _APT_UPDATED
    if "i386" not in foreign:
        say("dpkg --add-architecture i386 (for Wine's 32-bit half)")
        run([*prefix, "dpkg", "--add-architecture", "i386"], "dpkg --add-architecture", stdin=subprocess.DEVNULL)
        _APT_UPDATED = False  # the i386 package lists are new
    apt_install(["wine", "wine64", "wine32:i386"])
    return shutil.which("wine") is not None


def ensure_inno_compiler() -> Path | None:
    """ISCC.exe from the npm package, checked against the registry's SHA-512, in .venv/innosetup."""
    import base64
    import tarfile
    import urllib.request

    name, version, url, integrity = ISCC_PACKAGE
    folder = VENV / "innosetup" / version
    compiler = folder / "package" / "bin" / "ISCC.exe"
    if compiler.exists():
        return compiler
    say(f"fetching Inno Setup's compiler (npm {name} {version})")
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
    except OSError as exc:
        warn(f"could not fetch {url}: {exc}; the installer test will skip")
        return None
    if base64.b64encode(hashlib.sha512(data).digest()).decode() != integrity:
        warn(f"{url} does not match its published SHA-512; not used")
        return None
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "package.tgz"
    archive.write_bytes(data)
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(folder, filter="data")
        else:  # Python before 3.11.4: refuse links and paths that leave the folder by hand
            members = [m for m in tar.getmembers() if (m.isfile() or m.isdir()) and not m.name.startswith("/")
                       and ".." not in Path(m.name).parts]
            tar.extractall(folder, members=members)
    archive.unlink()
    return compiler if compiler.exists() else None


# ------------------------------------------------------------------------------ the venv


def venv_bin(name: str) -> Path:
    if IS_WINDOWS:
        return VENV / "Scripts" / (name if name.endswith(".exe") else f"{name}.exe")
    return VENV / "bin" / name


def venv_python() -> Path:
    return venv_bin("python")


def venv_works() -> bool:
    python = venv_python()
    if not python.exists():
        return False
    probe = subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if probe.returncode != 0:
        return False
    try:
        major, minor = (int(x) for x in probe.stdout.strip().split("."))
    except ValueError:
        return False
    return (major, minor) >= MIN_PYTHON


def ensure_venv_module() -> None:
    """Debian's Python has no ensurepip (so no venv) without the python3-venv package."""
    check = subprocess.run([sys.executable, "-c", "import ensurepip, venv"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    if check.returncode == 0:
        return
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if apt_available() and sudo_prefix() is not None and os.environ.get("DTBD_SKIP_APT") != "1":
        names = [f"python{version}-venv"]
        if sys.executable.startswith("/usr/bin/") and has_candidate("python3-venv"):
            names.append("python3-venv")
        apt_install(names)
        return
    raise SetupError(f"Python's venv module is not usable here; on Debian/Ubuntu install it with: "
                     f"sudo apt-get install python{version}-venv")


def setup_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{SETUP_VERSION} {digest}\n"


def ensure_venv() -> Path:
    """Create .venv if needed and install the project into it if pyproject.toml changed."""
    if not (ROOT / "pyproject.toml").is_file():
        raise SetupError(f"no pyproject.toml in {ROOT}")
    if not venv_works():
        if VENV.exists():
            say(f"{VENV} is unusable: recreating it")
            shutil.rmtree(VENV)
        ensure_venv_module()
        say(f"creating {VENV} with Python {sys.version.split()[0]}")
        run([sys.executable, "-m", "venv", str(VENV)], "creating the virtualenv")
        if not venv_works():
            raise SetupError(f"the new virtualenv {VENV} does not start")
    stamp = setup_stamp()
    if STAMP.is_file() and STAMP.read_text(encoding="utf-8") == stamp:
        say(".venv is up to date")
        return venv_python()
    with contextlib.suppress(FileNotFoundError):
        STAMP.unlink()
    say('installing the project into .venv: pip install -e ".[test]"')
    code = run_foreground(
        [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
         "-e", ".[test]"], cwd=ROOT, stdin=subprocess.DEVNULL)
    if code != 0:
        raise SetupError(f"pip install failed (exit {code}); see its output above")
    STAMP.write_text(stamp, encoding="utf-8")
    return venv_python()


def compile_translations() -> None:
    sources = sorted((ROOT / "resources" / "translations").glob("*.ts"))
    if not sources:
        return
    lrelease = venv_bin("pyside6-lrelease")
    if not lrelease.exists():
        raise SetupError(f"{lrelease} is missing: is PySide6 installed in .venv?")
    stale = [ts for ts in sources
             if not ts.with_suffix(".qm").exists()
             or ts.with_suffix(".qm").stat().st_mtime < ts.stat().st_mtime]
    if not stale:
        return
    say(f"compiling {len(stale)} translation(s)")
    for ts in stale:
        run([str(lrelease), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
            f"compiling {ts.name}", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)


# -------------------------------------------------------------------------- PostgreSQL


def find_pg_bindir() -> Path | None:
    """The newest PostgreSQL server binaries: DTBD_PG_BIN, Debian's layout, then PATH."""
    wanted = ("initdb", "pg_ctl", "postgres")
    explicit = os.environ.get("DTBD_PG_BIN")
    if explicit:
        return Path(explicit)
    found: list[tuple[int, Path]] = []
    base = Path("/usr/lib/postgresql")
    if base.is_dir():
        for child in base.iterdir():
            if child.name.isdigit() and all((child / "bin" / w).exists() for w in wanted):
                found.append((int(child.name), child / "bin"))
    if found:
        return max(found)[1]
    on_path = [shutil.which(w) for w in wanted]
    if all(on_path):
        return Path(on_path[0]).resolve().parent  # type: ignore[arg-type]
    return None


def free_port() -> int:
    ports = list(range(54000, 55000))
    random.shuffle(ports)
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_user() -> tuple[str, int, int] | None:
    """When root: the system user to run PostgreSQL as (initdb refuses root)."""
    if IS_WINDOWS or os.geteuid() != 0:
        return None
    import pwd

    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return name, entry.pw_uid, entry.pw_gid
    raise SetupError("running as root, but there is no 'postgres' user to run PostgreSQL as")


def _as_user(cmd: list[str], user: str | None) -> list[str]:
    if user is None:
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *cmd]
    return ["su", user, "-s", "/bin/sh", "-c", shlex.join(cmd)]


@contextlib.contextmanager
def throwaway_postgres(bindir: Path) -> Iterator[str]:
    """Start a private PostgreSQL cluster on loopback; yield its superuser URL; remove it."""
    server_user = _server_user()
    user = server_user[0] if server_user else None
    base = "/tmp" if server_user and Path("/tmp").is_dir() else None  # reachable by that user
    workdir = Path(tempfile.mkdtemp(prefix="dtbd-pg-", dir=base))
    data = workdir / "data"
    log = workdir / "server.log"
    started = False
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    try:
        if server_user:
            os.chown(workdir, server_user[1], server_user[2])
        run(_as_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--locale=C", "-N"], user),
            "initdb", cwd=workdir, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                "\n# dtbd test server\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{workdir}'\n"
                "max_connections = 200\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        (data / "pg_hba.conf").write_text(
            "# dtbd test server: trust on loopback only\n"
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n", encoding="utf-8")
        version = "PostgreSQL"
        probe = subprocess.run([str(bindir / "postgres"), "-V"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env=env)
        match = re.search(r"\(PostgreSQL\)\s+(\d+)", probe.stdout)
        if match:
            version = f"PostgreSQL {match.group(1)}"
        port = 0
        for attempt in range(3):
            port = free_port()
            result = subprocess.run(
                _as_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                          "-o", f"-p {port}", "start"], user),
                cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True)
            if result.returncode == 0:
                started = True
                break
            if attempt == 2:
                tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
                raise SetupError(f"PostgreSQL did not start:\n{result.stdout}{tail}")
        say(f"{version} on 127.0.0.1:{port} (throwaway, in {workdir})")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            say("stopping PostgreSQL")
            stop = [str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "30", "stop"]
            for mode in ("fast", "immediate"):
                done = subprocess.run(_as_user([*stop[:-1], "-m", mode, "stop"], user), cwd=workdir,
                                      env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
                if done.returncode == 0:
                    break
            pidfile = data / "postmaster.pid"
            if pidfile.exists():  # still up: kill it for good
                with contextlib.suppress(OSError, ValueError, IndexError):
                    os.kill(int(pidfile.read_text().split()[0]), signal.SIGKILL)
                    time.sleep(0.5)
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def database_server_for_tests() -> Iterator[str | None]:
    url = os.environ.get("DTBD_TEST_PG_URL")
    if url:
        say("PostgreSQL from DTBD_TEST_PG_URL")
        yield url
        return
    if IS_WINDOWS:
        say("no PostgreSQL started on Windows: set DTBD_TEST_PG_URL to test it "
            "(PostgreSQL tests are skipped)")
        yield None
        return
    bindir = find_pg_bindir()
    if bindir is None:
        warn("no PostgreSQL server binaries found (Debian: apt-get install postgresql): "
             "PostgreSQL tests are skipped (and fail in CI)")
        yield None
        return
    with throwaway_postgres(bindir) as started_url:
        yield started_url


# ------------------------------------------------------------------------------ commands


def cmd_run(args: Sequence[str]) -> int:
    ensure_system_packages(QT_PACKAGES)
    ensure_venv()
    compile_translations()
    program = venv_bin("dtbd-desktop")
    if not program.exists():
        raise SetupError(f"{program} is missing: did the install of the project succeed?")
    if (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("QT_QPA_PLATFORM")):
        warn("no DISPLAY or WAYLAND_DISPLAY: the window may not open "
             "(QT_QPA_PLATFORM=offscreen runs it without a screen)")
    say(f"starting dtbd-desktop {' '.join(args)}".rstrip())
    if IS_WINDOWS:
        return run_foreground([str(program), *args], cwd=ROOT)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(str(program), [str(program), *args])
    return 0  # not reached


def cmd_test(args: Sequence[str]) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    extra: list[str] = []
    if (not IS_WINDOWS and not os.environ.get("DTBD_TEST_PG_URL") and find_pg_bindir() is None):
        extra.append(PG_PACKAGE)
    ensure_system_packages([*QT_PACKAGES, *TEST_PACKAGES], extra)
    python = ensure_venv()
    compile_translations()
    if os.environ.get("DTBD_SKIP_WINE") != "1" and ensure_wine():
        compiler = ensure_inno_compiler()
        if compiler is not None:
            os.environ["DTBD_ISCC"] = str(compiler)

    lint_paths = [p for p in ("dtbd_desktop", "tests", "benchmarks") if (ROOT / p).exists()]
    ruff_code = 0
    if lint_paths:
        say(f"ruff check {' '.join(lint_paths)}")
        ruff_code = run_foreground([str(python), "-m", "ruff", "check", *lint_paths], cwd=ROOT,
                                   stdin=subprocess.DEVNULL)
        if ruff_code != 0:
            warn(f"ruff check failed (exit {ruff_code}); running the tests anyway")
    say("mypy (strict, on the whole package, the GUI included)")
    mypy_code = run_foreground([str(python), "-m", "mypy"], cwd=ROOT, stdin=subprocess.DEVNULL)
    if mypy_code != 0:
        warn(f"mypy failed (exit {mypy_code}); running the tests anyway")
        ruff_code = ruff_code or mypy_code

    with database_server_for_tests() as pg_url:
        env = dict(os.environ)
        if pg_url:
            env["DTBD_TEST_PG_URL"] = pg_url
        say(f"python -m pytest {' '.join(args)}".rstrip())
        code = run_foreground([str(python), "-m", "pytest", *args], cwd=ROOT, env=env,
                              stdin=subprocess.DEVNULL)
    if code == 0 and ruff_code != 0:
        say(f"tests passed, but ruff or mypy failed (exit {ruff_code})")
        return 1
    return code


USAGE = """usage: python3 scripts/dev.py run [program args, e.g. --demo]
       python3 scripts/dev.py test [pytest args]"""


def _terminate(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(USAGE, file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    try:
        ensure_python_version(argv)
        if argv[0] == "run":
            return cmd_run(argv[1:])
        return cmd_test(argv[1:])
    except SetupError as exc:
        print(f"\n== dev.py {argv[0]}: ERROR: {exc}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("\n== interrupted", file=sys.stderr, flush=True)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
