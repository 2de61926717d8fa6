"""Collect every visible string of the program into the Qt Linguist files.

Visible strings are the literal arguments of `tr("context", "text")` and
`tr_noop("context", "text")` calls anywhere in `dtbd_desktop/`. Source strings are
Vietnamese; `resources/translations/dtbd_en.ts` holds the English. New strings are added
as unfinished, strings no longer in the code are marked obsolete, existing translations
are kept. `--check` changes nothing and exits 1 when the file is out of date or any
string lacks a translation (the test suite runs the same check).

`resources/translations/qtbase_vi.ts` is of another kind: Vietnamese for Qt's own strings (standard
buttons, file and print dialogs, context menus, wizards), whose English sources are Qt's, written
by hand; `--check` also checks that each of its messages has a translation that keeps the
source's placeholders (%1, %2...) and at most one accelerator (&).

    python scripts/update_translations.py          # update the .ts files
    python scripts/update_translations.py --check  # verify only
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dtbd_desktop"
TS_FILES = {"en": ROOT / "resources" / "translations" / "dtbd_en.ts"}
QT_TS_FILES = {"vi": ROOT / "resources" / "translations" / "qtbase_vi.ts"}
MARKERS = {"tr", "tr_noop"}


def collect(package: Path = PACKAGE) -> dict[tuple[str, str], list[str]]:
    """{(context, source): [locations]} for every literal tr()/tr_noop() call."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in MARKERS:
                continue
            ctx, src = node.args[0], node.args[1]
            if isinstance(ctx, ast.Constant) and isinstance(src, ast.Constant) and isinstance(src.value, str):
                where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
                found.setdefault((str(ctx.value), src.value), []).append(where)
    return found


def read_ts(path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """{(context, source): (translation, type)}."""
    table: dict[tuple[str, str], tuple[str, str | None]] = {}
    if not path.exists():
        return table
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for message in ctx.iter("message"):
            node = message.find("translation")
            table[(name, message.findtext("source") or "")] = (
                (node.text or "") if node is not None else "", node.get("type") if node is not None else "unfinished")
    return table


def write_ts(path: Path, language: str, strings: dict[tuple[str, str], list[str]],
             old: dict[tuple[str, str], tuple[str, str | None]]) -> None:
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="vi_VN")
    contexts: dict[str, ET.Element] = {}
    keys = sorted(set(strings) | set(old))
    for context, source in keys:
        if context not in contexts:
            c = ET.SubElement(root, "context")
            ET.SubElement(c, "name").text = context
            contexts[context] = c
        message = ET.SubElement(contexts[context], "message")
        for where in strings.get((context, source), []):
            filename = where.rsplit(":", 1)[0]
            ET.SubElement(message, "location", filename=f"../../{filename}")
        ET.SubElement(message, "source").text = source
        translation, kind = old.get((context, source), ("", "unfinished"))
        node = ET.SubElement(message, "translation")
        node.text = translation
        if (context, source) not in strings:
            node.set("type", "obsolete")
        elif not translation:
            node.set("type", "unfinished")
        elif kind not in (None, "obsolete", "unfinished"):
            node.set("type", kind)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def problems(language: str = "en") -> list[str]:
    """What is wrong with a language's .ts file: strings missing, untranslated or obsolete."""
    strings = collect()
    table = read_ts(TS_FILES[language])
    out = []
    for key in sorted(strings):
        if key not in table:
            out.append(f"missing: [{key[0]}] {key[1]!r} ({strings[key][0]})")
        elif not table[key][0] or table[key][1] == "unfinished":
            out.append(f"untranslated: [{key[0]}] {key[1]!r} ({strings[key][0]})")
    for key in sorted(set(table) - set(strings)):
        if table[key][1] != "obsolete":
            out.append(f"obsolete: [{key[0]}] {key[1]!r}")
    return out


def qt_problems(path: Path) -> list[str]:
    """What is wrong with a translation of Qt's own strings."""
    import re

    out = []
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for message in ctx.iter("message"):
            source = message.findtext("source") or ""
            node = message.find("translation")
            text = (node.text or "") if node is not None else ""
            if not text or (node is not None and node.get("type") == "unfinished"):
                out.append(f"untranslated: [{name}] {source!r} ({path.name})")
            elif sorted(re.findall(r"%\d", source)) != sorted(re.findall(r"%\d", text)):
                out.append(f"placeholders differ: [{name}] {source!r} -> {text!r} ({path.name})")
            elif text.replace("&&", "").count("&") > 1:
                out.append(f"more than one accelerator: [{name}] {text!r} ({path.name})")
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = [p for lang in TS_FILES for p in problems(lang)]
        found += [p for path in QT_TS_FILES.values() for p in qt_problems(path)]
        print("\n".join(found) or "translations complete")
        return 1 if found else 0
    strings = collect()
    for language, path in TS_FILES.items():
        old = {k: v for k, v in read_ts(path).items() if k in strings or v[0]}
        write_ts(path, language, strings, old)
        print(f"{path.relative_to(ROOT)}: {len(strings)} strings")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
