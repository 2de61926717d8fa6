"""The layers hold: import contracts, no Qt in the core, changes only through operations."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dtbd_desktop"


def test_the_import_contracts_hold() -> None:
    """The layering (pyproject.toml, [tool.importlinter]), checked by import-linter over every import
    statement, those inside functions included: each package imports only the layers below it, no
    package cycle, Qt only in the GUI, the rules pure."""
    result = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                             "sys.exit(lint_imports_command(['--no-cache']))"], cwd=PACKAGE.parent,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout and "KEPT" in result.stdout


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


#: Modules allowed past 600 lines, each with its reason in the README's design section.
LONG_MODULES = {"db/models.py", "base/text.py"}


def test_no_module_is_over_600_lines_unless_the_readme_says_why() -> None:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    sizes = {path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts}
    over = {name: lines for name, lines in sizes.items() if lines > 600 and name not in LONG_MODULES}
    assert not over, f"split these by responsibility, or say why in the README: {over}"
    assert all(f"`{name}`" in readme for name in LONG_MODULES)
