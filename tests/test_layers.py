"""The core has no Qt in it: only dtbd_desktop/gui imports PySide6."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dtbd_desktop"


def _qt_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if any(n == "PySide6" or n.startswith("PySide6.") for n in names):
            lines.append(node.lineno)
    return lines


def test_only_the_gui_package_imports_pyside6() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if "gui" not in path.relative_to(PACKAGE).parts and (lines := _qt_imports(path))
    }
    assert offenders == {}


def test_the_gui_package_does_import_pyside6() -> None:
    # The scan above would pass vacuously if it could not see imports at all.
    assert _qt_imports(PACKAGE / "gui" / "app.py")


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = sorted(
        ".".join(("dtbd_desktop", *path.relative_to(PACKAGE).with_suffix("").parts))
        for path in PACKAGE.rglob("*.py")
        if "gui" not in path.relative_to(PACKAGE).parts
        and "migrations" not in path.parts
        and path.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(modules) > 10
    assert result.stdout.strip() == "[]"


def _calls(path: Path, attribute: str) -> list[tuple[int, str]]:
    """Lines calling `<something>.<attribute>(...)`, with the keywords used."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == attribute:
            found.append((node.lineno, ",".join(k.arg or "**" for k in node.keywords)))
    return found


def test_screens_and_commands_change_records_only_through_operations() -> None:
    """No screen or command opens a unit of work of its own (`Database.write`, other than the raw one
    of `dtbd init`, checked below) or checks a permission itself (`accounts.require`/`allowed`):
    they call operations, which do both."""
    offenders = []
    for folder in ("gui", "cli"):
        for path in (PACKAGE / folder).rglob("*.py"):
            lines = path.read_text(encoding="utf-8").splitlines()
            for line, keywords in _calls(path, "write"):
                if "raw" not in keywords.split(",") and ("db.write(" in lines[line - 1]
                                                         or "database.write(" in lines[line - 1]):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{line}")
            for line, _kw in _calls(path, "require") + _calls(path, "allowed"):
                if "accounts." in lines[line - 1]:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{line}")
    assert offenders == []


def test_raw_units_of_work_are_only_where_the_program_writes_its_own_data() -> None:
    """`write(raw=True)` skips the check that every change is an operation: only seeding the
    catalogue, building the demo, counting a refused login and `dtbd init` may use it."""
    allowed = {"db/engine.py", "services/demo.py", "trust/accounts.py", "cli/commands_base.py"}
    users = {str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
             if any("raw" in kw.split(",") for _line, kw in _calls(path, "write"))}
    assert users <= allowed and users, users
