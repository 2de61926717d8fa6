#!/usr/bin/env bash
# Build the Linux one-folder bundle of DTBD Desktop and check it.
#
#     bash installer/build_linux.sh
#
# 1. uses .venv (creating it and installing the project when missing; PYTHON=... picks another
#    interpreter), and installs PyInstaller into it when missing;
# 2. compiles resources/translations/*.ts to .qm (pyside6-lrelease);
# 3. runs PyInstaller with installer/dtbd-desktop.spec: dist/dtbd-desktop/ holds
#    dtbd-desktop (the program), dtbd (the command line) and _internal/;
# 4. runs `dist/dtbd-desktop/dtbd-desktop --self-check` offscreen, on a temporary data folder;
# 5. packs dist/dtbd-desktop-<version>-linux-<arch>.tar.xz (DTBD_NO_ARCHIVE=1 skips it).
#
# DTBD_DIST and DTBD_BUILD choose the output and work folders (default dist/ and build/pyinstaller/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIST="${DTBD_DIST:-$ROOT/dist}"
WORK="${DTBD_BUILD:-$ROOT/build/pyinstaller}"
PYINSTALLER_SPEC="pyinstaller>=6.10,<7"

say() { printf '== %s\n' "$*"; }

if [ -n "${PYTHON:-}" ]; then
    PY="$PYTHON"
else
    PY="$ROOT/.venv/bin/python"
    if [ ! -x "$PY" ]; then
        say "creating .venv"
        python3 -m venv "$ROOT/.venv"
        "$PY" -m pip install --disable-pip-version-check --no-input -e "$ROOT"
    fi
fi
BIN="$(dirname "$PY")"

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
    say "installing PyInstaller"
    "$PY" -m pip install --disable-pip-version-check --no-input "$PYINSTALLER_SPEC"
fi
VERSION="$("$PY" -c 'import dtbd_desktop; print(dtbd_desktop.__version__)')"

say "compiling translations"
LRELEASE="$BIN/pyside6-lrelease"
for ts in resources/translations/*.ts; do
    "$LRELEASE" -silent "$ts" -qm "${ts%.ts}.qm"
done

say "PyInstaller (one folder) into $DIST"
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" installer/dtbd-desktop.spec
say "built in $(( $(date +%s) - start )) s: $(du -sh "$DIST/dtbd-desktop" | cut -f1)"

say "self-check of the bundle"
check_home="$(mktemp -d)"
trap 'rm -rf "$check_home"' EXIT
QT_QPA_PLATFORM=offscreen DTBD_DATA_DIR="$check_home/data" TMPDIR="$check_home" \
    "$DIST/dtbd-desktop/dtbd-desktop" --self-check
"$DIST/dtbd-desktop/dtbd" --version

if [ "${DTBD_NO_ARCHIVE:-0}" != "1" ]; then
    # xz (every core, level 6): a third smaller than gzip for about 25 s on two cores.
    archive="$DIST/dtbd-desktop-$VERSION-linux-$(uname -m).tar.xz"
    tar -C "$DIST" -cf - dtbd-desktop | xz -T0 -6 > "$archive"
    say "wrote $archive"
    say "sizes: unpacked $(du -sm "$DIST/dtbd-desktop" | cut -f1) MB, archive $(( $(stat -c %s "$archive") / 1048576 )) MB"
fi
say "done: $DIST/dtbd-desktop/dtbd-desktop"
