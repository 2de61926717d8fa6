"""Hostile and damaged workbooks, made by rewriting the parts of a real one.

`tests.test_hostile_files` reads them; each is small on disk (a few KB, the merge bomb about
6 KB) and what it does to a reader that trusts it is written beside it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
WHOLE_SHEET = "A1:XFD1048576"


def rewrite(source: Path, target: Path, changes: dict[str, Callable[[bytes], bytes]],
            extra: dict[str, bytes] | None = None) -> Path:
    """A copy of `source` with parts rewritten by `changes` (part -> function of its bytes) and
    `extra` parts added; [Content_Types].xml names sharedStrings when one is added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        names = old.namelist()
        for name in names:
            data = old.read(name)
            if name in changes:
                data = changes[name](data)
            if name == "[Content_Types].xml" and extra and STRINGS in extra and b"sharedStrings" not in data:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                                  b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                                                  b"</Types>")
            if name == "xl/_rels/workbook.xml.rels" and extra and STRINGS in extra and b"sharedStrings" not in data:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.'
                                                          b'org/officeDocument/2006/relationships/sharedStrings" '
                                                          b'Target="sharedStrings.xml"/></Relationships>')
            new.writestr(name, data)
        for name, data in (extra or {}).items():
            if name not in names:
                new.writestr(name, data)
    return target


def set_dimension(xml: bytes, dimension: str) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="%s"/>' % dimension.encode(), xml)


def set_merges(refs: list[str]) -> Callable[[bytes], bytes]:
    """Replace the sheet's merged ranges with `refs`; the sheet's dimension takes the whole sheet."""
    def change(xml: bytes) -> bytes:
        xml = set_dimension(xml, WHOLE_SHEET)
        xml = re.sub(rb"<mergeCells\b.*?</mergeCells>", b"", xml, flags=re.S)
        cells = b"".join(b'<mergeCell ref="%s"/>' % ref.encode() for ref in refs)
        return xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="%d">%s</mergeCells>' % (len(refs), cells))
    return change


def add_rows(rows: bytes, *, dimension: str | None = None) -> Callable[[bytes], bytes]:
    """Append raw `<row>` elements at the end of the sheet's data."""
    def change(xml: bytes) -> bytes:
        if dimension:
            xml = set_dimension(xml, dimension)
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")
    return change


def replace_cell(ref: str, cell: bytes) -> Callable[[bytes], bytes]:
    """Replace cell `ref` (which must exist) with the raw `<c>` element `cell`."""
    def change(xml: bytes) -> bytes:
        pattern = rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % ref.encode()
        new, count = re.subn(pattern, cell, xml, count=1, flags=re.S)
        assert count == 1, ref
        return new
    return change


def inline(ref: str, value: str) -> bytes:
    return b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref.encode(), value.encode())


def merge_bomb(source: Path, target: Path, count: int = 1) -> Path:
    """`count` merged ranges over the whole sheet (A1:XFD1048576, then A2:..., overlapping)."""
    refs = [WHOLE_SHEET] + [f"A{k + 1}:XFD1048576" for k in range(1, count)]
    return rewrite(source, target, {SHEET: set_merges(refs)})


def far_cell(source: Path, target: Path) -> Path:
    """One more cell, typed at XFD1048576; the sheet's dimension says so."""
    return rewrite(source, target, {SHEET: add_rows(b'<row r="1048576">' + inline("XFD1048576", "x") + b"</row>",
                                                   dimension="A1:XFD1048576")})


def many_rows(source: Path, target: Path, first: int, count: int, cell: Callable[[int], bytes]) -> Path:
    """`count` rows from row `first`, each made by `cell(row)`; the dimension says so."""
    rows = b"".join(b'<row r="%d">%s</row>' % (r, cell(r)) for r in range(first, first + count))
    return rewrite(source, target, {SHEET: add_rows(rows, dimension=f"A1:I{first + count - 1}")})


def long_string(source: Path, target: Path, ref: str, length: int) -> Path:
    """Cell `ref` points to a shared string of `length` characters."""
    strings = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/' \
              b'2006/main" count="1" uniqueCount="1"><si><t>' + b"x" * length + b"</t></si></sst>"
    return rewrite(source, target, {SHEET: replace_cell(ref, b'<c r="%s" t="s"><v>0</v></c>' % ref.encode())},
                   {STRINGS: strings})


def styles_bomb(source: Path, target: Path, formats: int = 500_000) -> Path:
    """Half a million cell formats in styles.xml (openpyxl makes an object of each)."""
    xfs = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * formats
    return rewrite(source, target, {"xl/styles.xml": lambda xml: re.sub(
        rb'<cellXfs count="\d+">', b'<cellXfs count="%d">' % formats + xfs, xml)})


def many_sheets(source: Path, target: Path, count: int) -> Path:
    """`count` more sheet parts in the package (never named by the workbook)."""
    with zipfile.ZipFile(source) as old:
        sheet = old.read(SHEET)
    return rewrite(source, target, {}, {f"xl/worksheets/extra{k}.xml": sheet for k in range(count)})


def bad_xml(source: Path, target: Path) -> Path:
    """The sheet's XML cut off in the middle of a tag."""
    return rewrite(source, target, {SHEET: lambda xml: xml[: len(xml) // 2] + b"<row r="})


XXE_DOCTYPE = b'<!DOCTYPE worksheet [<!ENTITY leak SYSTEM "file:///etc/passwd">]>'
LAUGHS = (b'<!DOCTYPE sst [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
          b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
          b'<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">'
          b'<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>')


def _after_declaration(xml: bytes, insert: bytes) -> bytes:
    end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    return xml[:end] + insert + xml[end:]


def external_entity(source: Path, target: Path, ref: str) -> Path:
    """An external entity naming a file of the PC, used as the text of cell `ref`."""
    return rewrite(source, target, {SHEET: lambda xml: replace_cell(ref, b'<c r="%s" t="inlineStr"><is><t>&leak;</t>'
                                                                         b"</is></c>" % ref.encode())(
        _after_declaration(xml, XXE_DOCTYPE))})


def billion_laughs(source: Path, target: Path, ref: str) -> Path:
    """Shared strings whose one string expands to a billion "lol"s, used by cell `ref`."""
    strings = _after_declaration(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                                 b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&i;</t></si></sst>', LAUGHS)
    return rewrite(source, target, {SHEET: replace_cell(ref, b'<c r="%s" t="s"><v>0</v></c>' % ref.encode())},
                   {STRINGS: strings})


def bad_reference(source: Path, target: Path, ref: str) -> Path:
    """Cell `ref` renamed to a reference that is no cell."""
    return rewrite(source, target, {SHEET: replace_cell(ref, inline("1A", "x").replace(b'r="1A"', b'r="A0B"'))})


def string_out_of_range(source: Path, target: Path, ref: str) -> Path:
    """Cell `ref` points to shared string 999, which does not exist."""
    strings = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/' \
              b'2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>'
    return rewrite(source, target, {SHEET: replace_cell(ref, b'<c r="%s" t="s"><v>999</v></c>' % ref.encode())},
                   {STRINGS: strings})


def not_a_workbook(target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as z:
        z.writestr("ghi-chu.txt", "Danh sách gửi sau")
    return target


def truncated(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) * 2 // 3])
    return target


def ods(target: Path) -> Path:
    """A LibreOffice Calc document, as LibreOffice writes its first parts."""
    with zipfile.ZipFile(target, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office='
                                  '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                                            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return target
