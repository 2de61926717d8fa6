"""Rosters as the training office prints and lists them, and finding learners.

`dtbd roster list` and `roster export` (PDF, XLSX), `dtbd learners find`: Vietnamese order, the
keys of CLI.md, the header repeated on every printed page, fonts embedded, files that appear
whole or not at all. PDFs are read back with poppler's `pdftotext` / `pdffonts`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import time
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.cli.main import main
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Enrolment, Learner, Organisation
from dtbd_desktop.printing import pdf as pdf_common
from dtbd_desktop.reports.roster_report import (
    export_roster_pdf,
    export_roster_xlsx,
    load_roster_document,
)
from dtbd_desktop.services import classes, settings
from dtbd_desktop.services.learners import person_keys
from dtbd_desktop.services.roster import class_roster
from tests.pdf_tools import poppler

D = dt.date
HEADINGS = ["STT", "Họ và tên", "Ngày sinh", "Nam", "Nữ", "Dân tộc", "Chức vụ và đơn vị", "Ghi chú"]


# ------------------------------------------------------------------------------------ helpers




def page_text(pdf: Path, page: int, *, layout: bool = True) -> str:
    """The text of one page: as pdftotext lays it out (one table row per line), or in drawing
    order (`layout=False`: the lines of a wrapped cell follow one another)."""
    mode = "-layout" if layout else "-raw"
    result = subprocess.run([poppler("pdftotext"), mode, "-enc", "UTF-8", "-f", str(page), "-l", str(page),
                             str(pdf), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def flat(value: str) -> str:
    """Runs of spaces (table columns) as one space."""
    return " ".join(value.split())


def pdf_pages(pdf: Path) -> int:
    result = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, check=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", result.stdout, re.M).group(1))  # type: ignore[union-attr]


def row_pattern(number: int, full_name: str) -> re.Pattern[str]:
    """A roster line in flattened page text: "12 Nguyễn Xuân Đông ...", nothing glued on either side."""
    return re.compile(rf"(?<![\w/]){number} {re.escape(full_name)}(?!\w)")


Person = tuple[str, str, str, str]  # family, middle, given, gender


def add_class(db: Database, code: str, people: Sequence[Person], *, organisation: str = "Sở Tư pháp tỉnh Long An",
              position: str = "Chuyên viên", withdrawn: dict[str, str] | None = None,
              first_id: int = 1) -> list[str]:
    """A class of the TC programme with these learners (in the order given); returns their IDs.

    `withdrawn` maps a full name to the reason the learner left the class."""
    withdrawn = withdrawn or {}
    ids = []
    with db.write(raw=True) as s:
        cls = classes.create_class(s, code=code, programme="TC", start=D(2025, 3, 2), end=D(2025, 6, 26))
        org = Organisation(name=organisation, search_key=text.fold(organisation))
        s.add(org)
        s.flush()
        for i, (family, middle, given, gender) in enumerate(people):
            sort_key, search_key = person_keys(family, middle, given)
            national_id = f"0792{first_id + i:08d}"
            ids.append(national_id)
            birth = D(1980, 1, 1) + dt.timedelta(days=(97 * i) % 9000)
            person = Learner(family_name=family, middle_name=middle, given_name=given, birth_date=birth,
                             birth_year=birth.year, gender=gender, ethnicity="Kinh", national_id=national_id,
                             position=position, organisation_id=org.id, sort_key=sort_key, search_key=search_key)
            full = text.join_name(family, middle, given)
            s.add(Enrolment(training_class=cls, learner=person, organisation_id=org.id,
                            status="withdrawn" if full in withdrawn else "enrolled",
                            status_reason=withdrawn.get(full)))
    return ids


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code, out, err = run(capsys, *args, "--json")
    return code, json.loads(out), err


# A class whose order was worked out by hand (tên, then đệm, then họ; letters before tones;
# a < ă < â, d < đ, o < ô < ơ, u < ư; tones: none, huyền, hỏi, ngã, sắc, nặng).
VIETNAMESE_ORDER = [
    "Nguyễn Văn An",  # "an" is a prefix of "anh"
    "Lê Thị Ánh",  # "anh" = "anh": the middle names decide first (thi < van), tone only after
    "Trần Văn Anh",
    "Phạm Thị Ân",  # â after a: after every "anh"
    "Phan Văn Dũng",  # dung < duy (n < y), whatever the tilde
    "Trần Văn Duy",
    "Lê Văn Đông",  # đ after d
    "Lê Thị Ha",  # same letters everywhere: the tone decides, none < huyền < hỏi < ngã < sắc < nặng
    "Lê Thị Hà",
    "Lê Thị Hả",
    "Lê Thị Hã",
    "Lê Thị Há",
    "Lê Thị Hạ",
    "Bùi Thị Hòa",  # hoa < hoan: letters before tones
    "Lê Văn Hoan",
    "Bùi Văn Tú",  # same tên and đệm: the họ decides (b < l)
    "Lê Văn Tú",
    "Ninh Văn Tuấn",  # tu < tuan < tư
    "Lý Văn Từ",
]


def _person(full: str) -> Person:
    family, middle, given = text.split_full_name(full)
    return family, middle, given, "F" if middle == "Thị" else "M"


def _shuffled(names: list[str]) -> list[str]:
    return names[1::2][::-1] + names[0::2]  # deterministic, far from sorted


@pytest.fixture
def hand_class(db: Database) -> Database:
    add_class(db, "VN1", [_person(n) for n in _shuffled(VIETNAMESE_ORDER)],
              organisation="Công ty A & B <Long An>", withdrawn={"Lê Thị Hã": "chuyển công tác"})
    return db


# ------------------------------------------------------------------------------------ roster list


def test_the_hand_built_order_is_not_pythons() -> None:
    # The expected order is worth testing: plain string order gets it wrong.
    assert sorted(VIETNAMESE_ORDER, key=lambda n: text.split_full_name(n)[::-1]) != VIETNAMESE_ORDER


def test_roster_is_in_vietnamese_order(hand_class: Database) -> None:
    with hand_class.read() as s:
        assert [r.full_name for r in class_roster(s, "VN1")] == VIETNAMESE_ORDER
        doc = load_roster_document(s, "VN1")
    printed = [text.join_name(line.family_middle, "", line.given) for line in doc.lines]
    assert printed == VIETNAMESE_ORDER
    assert [line.number for line in doc.lines] == list(range(1, len(VIETNAMESE_ORDER) + 1))
    assert doc.lines[1].family_middle == "Lê Thị" and doc.lines[1].given == "Ánh"


def test_roster_list_json_has_exactly_the_keys_of_the_contract(
        capsys: pytest.CaptureFixture[str], hand_class: Database, db_url: str) -> None:
    code, doc, _err = run_json(capsys, "--db", db_url, "roster", "list", "VN1")
    assert code == 0
    assert [r["full_name"] for r in doc] == VIETNAMESE_ORDER
    assert all(set(r) == {"full_name", "birth_date", "gender", "ethnicity", "national_id", "organisation",
                          "position"} for r in doc)
    first = doc[0]
    assert first == {"full_name": "Nguyễn Văn An", "birth_date": first["birth_date"], "gender": "Nam",
                     "ethnicity": "Kinh", "national_id": first["national_id"],
                     "organisation": "Công ty A & B <Long An>", "position": "Chuyên viên"}
    assert dt.date.fromisoformat(first["birth_date"])
    assert re.fullmatch(r"\d{12}", first["national_id"])
    assert {r["gender"] for r in doc} == {"Nam", "Nữ"}
    assert all(unicodedata.is_normalized("NFC", r["full_name"]) for r in doc)


def test_roster_list_for_people_is_a_table(capsys: pytest.CaptureFixture[str], hand_class: Database,
                                           db_url: str) -> None:
    code, out, _err = run(capsys, "--db", db_url, "roster", "list", "VN1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["STT", "Họ", "và", "tên"]
    assert lines[2].split()[:4] == ["1", "Nguyễn", "Văn", "An"]
    assert "Thôi học" in next(line for line in lines if "Lê Thị Hã" in line)
    assert lines[-1] == f"{len(VIETNAMESE_ORDER)} học viên."


# ------------------------------------------------------------------------------------ PDF


def test_demo_roster_pdf_repeats_the_header_and_keeps_the_order(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "A48.pdf"
    with demo_db.read() as s:
        rows = class_roster(s, "A48")
        pages = export_roster_pdf(s, "A48", out, on=D(2026, 11, 23))
    assert len(rows) == 62
    assert pages == pdf_pages(out) >= 2
    texts = [page_text(out, n) for n in range(1, pages + 1)]
    for n, page in enumerate(texts, start=1):
        assert unicodedata.is_normalized("NFC", page)
        assert f"Trang {n}/{pages}" in page
    # Every learner on exactly one page, in roster order, with the right number.
    found = []
    for number, row in enumerate(rows, start=1):
        on_pages = [n for n, page in enumerate(texts, start=1) if row_pattern(number, row.full_name).search(flat(page))]
        assert len(on_pages) == 1, (number, row.full_name, on_pages)
        found.append(on_pages[0])
    assert found == sorted(found)
    assert 2 in found
    for n in set(found):  # every page with learners on it has the column headings
        assert all(heading in texts[n - 1] for heading in HEADINGS), n
    # Page 2 continues where page 1 stopped.
    first_on_2 = found.index(2)
    assert found[first_on_2 - 1] == 1
    page2 = flat(texts[1])
    assert row_pattern(first_on_2 + 1, rows[first_on_2].full_name).search(page2)
    assert page2.index("STT") < page2.index(rows[first_on_2].full_name)
    # Letterhead on page 1 only; the signatures after the last learner.
    first, last = flat(texts[0]), flat(texts[-1])
    assert "TỈNH ỦY LONG AN" in first and "TRƯỜNG CHÍNH TRỊ *" in first and "ĐẢNG CỘNG SẢN VIỆT NAM" in first
    assert "DANH SÁCH HỌC VIÊN" in first and "A48" in first
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in page2
    assert "Long An, ngày 23 tháng 11 năm 2026" in last
    assert "NGƯỜI LẬP BIỂU" in last and "HIỆU TRƯỞNG" in last and "Lê Văn Phước" in last
    assert "Danh sách có 62 học viên" in last


def test_pdf_fonts_are_embedded_liberation_serif(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "A48.pdf"
    with demo_db.read() as s:
        export_roster_pdf(s, "A48", out)
    listing = subprocess.run([poppler("pdffonts"), str(out)], capture_output=True, check=True,
                             text=True).stdout.splitlines()[2:]
    assert listing, "no fonts listed"
    names = [line.split()[0] for line in listing]
    assert all("LiberationSerif" in name for name in names), names  # nothing else, not even Helvetica
    assert any(name.endswith("+LiberationSerif-Bold") for name in names)
    for line in listing:
        emb, _sub, uni = line.split()[-5:-2]
        assert (emb, uni) == ("yes", "yes"), line


def test_pdf_of_a_hand_built_class(hand_class: Database, tmp_path: Path) -> None:
    out = tmp_path / "vn1.pdf"
    with hand_class.write(raw=True) as s:
        settings.set_settings(s, centre_name="Trung tâm Chính trị huyện Bến Lức", superior_body="Huyện ủy Bến Lức",
                              place_name="Bến Lức", party_heading=False, director_title="Giám đốc",
                              director_name="Nguyễn Thị Đào")
    with hand_class.read() as s:
        pages = export_roster_pdf(s, "VN1", out, on=D(2025, 3, 5))
    page = " ".join(flat(page_text(out, n)) for n in range(1, pages + 1))
    assert "HUYỆN ỦY BẾN LỨC" in page and "TRUNG TÂM CHÍNH TRỊ" in page  # the place is the superior's
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in page
    assert "Bến Lức, ngày 05 tháng 3 năm 2025" in page
    assert "GIÁM ĐỐC" in page and "Nguyễn Thị Đào" in page
    assert "Chương trình: Trung cấp lý luận chính trị - hành chính" not in page  # already in the class name
    assert "Thôi học: chuyển công tác" in " ".join(flat(page_text(out, n, layout=False)) for n in range(1, pages + 1))
    assert "Công ty A & B <Long An>" in page  # text, not markup
    positions = [row_pattern(n, name).search(page) for n, name in enumerate(VIETNAMESE_ORDER, start=1)]
    assert all(positions), [n for n, p in zip(VIETNAMESE_ORDER, positions, strict=True) if not p]
    assert [p.start() for p in positions if p] == sorted(p.start() for p in positions if p)
    assert f"Trang {pages}/{pages}" in page


def test_text_in_paragraphs_is_not_markup() -> None:
    assert pdf_common.markup("A & B <Long An>") == "A &amp; B &lt;Long An&gt;"
    assert pdf_common.markup(unicodedata.normalize("NFD", "Hòa")) == "Hòa"


def test_an_empty_class_prints_its_header(db: Database, tmp_path: Path) -> None:
    add_class(db, "EMPTY", [])
    with db.read() as s:
        assert export_roster_pdf(s, "EMPTY", tmp_path / "e.pdf") == 1
        assert export_roster_xlsx(s, "EMPTY", tmp_path / "e.xlsx") == 0
    page = page_text(tmp_path / "e.pdf", 1)
    assert all(heading in page for heading in HEADINGS)
    assert "Danh sách có 0 học viên" in flat(page)


# ------------------------------------------------------------------------------------ XLSX


def _header_row(ws: Any) -> int:
    return next(r for r in range(1, 30) if ws.cell(row=r, column=1).value == "STT")


def test_xlsx_is_ready_to_print(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "A48.xlsx"
    with demo_db.read() as s:
        rows = class_roster(s, "A48")
        assert export_roster_xlsx(s, "A48", out, on=D(2026, 11, 23)) == 62
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    top = _header_row(ws)
    assert [ws.cell(row=top, column=c).value for c in range(1, 9)] == [
        "STT", "Họ và tên", None, "Ngày sinh", None, "Dân tộc", "Chức vụ và đơn vị", "Ghi chú"]
    assert ws.cell(row=top + 1, column=4).value == "Nam" and ws.cell(row=top + 1, column=5).value == "Nữ"
    assert ws.print_title_rows.replace("$", "") == f"{top}:{top + 1}"
    assert ws.freeze_panes == f"A{top + 2}"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert "Trang &P/&N" in ws.oddFooter.center.text
    assert all(ws.column_dimensions[col].width for col in "ABCDEFGH")
    assert ws["A1"].value == "TỈNH ỦY LONG AN" and ws["A2"].value == "TRƯỜNG CHÍNH TRỊ" and ws["A3"].value == "*"
    assert ws["A2"].font.bold and ws["A2"].font.name == "Times New Roman"
    data = list(ws.iter_rows(min_row=top + 2, max_row=top + 1 + len(rows), max_col=8, values_only=True))
    for number, (values, row) in enumerate(zip(data, rows, strict=True), start=1):
        stt, family_middle, given, male, female, ethnicity, position_org, _note = values
        assert stt == number
        assert f"{family_middle} {given}" == row.full_name
        birth = male if row.gender == "M" else female
        assert (female if row.gender == "M" else male) is None
        if row.birth_date:
            assert isinstance(birth, dt.datetime) and birth.date() == row.birth_date
        else:
            assert birth == row.birth_year
        assert ethnicity == row.ethnicity
        assert position_org == f"{row.position}, {row.organisation}"
    date_cell = ws.cell(row=top + 2, column=4 if rows[0].gender == "M" else 5)
    assert date_cell.number_format == "dd/mm/yyyy"
    assert ws.cell(row=top + 2, column=2).border.right.style is None  # họ đệm | tên read as one name
    cells = [c.value for row in ws.iter_rows(min_row=top + 2 + len(rows)) for c in row if c.value]
    assert "Danh sách có 62 học viên (nữ: 28; dân tộc thiểu số: 4)." in cells
    assert "Long An, ngày 23 tháng 11 năm 2026" in cells and "HIỆU TRƯỞNG" in cells


def test_xlsx_of_a_hand_built_class(hand_class: Database, tmp_path: Path) -> None:
    out = tmp_path / "vn1.xlsx"
    with hand_class.read() as s:
        assert export_roster_xlsx(s, "VN1", out) == len(VIETNAMESE_ORDER)
    ws = openpyxl.load_workbook(out).active
    top = _header_row(ws)
    names = [f"{ws.cell(row=r, column=2).value} {ws.cell(row=r, column=3).value}"
             for r in range(top + 2, top + 2 + len(VIETNAMESE_ORDER))]
    assert names == VIETNAMESE_ORDER
    notes = {ws.cell(row=r, column=3).value: ws.cell(row=r, column=8).value
             for r in range(top + 2, top + 2 + len(VIETNAMESE_ORDER))}
    assert notes["Hã"] == "Thôi học: chuyển công tác"
    assert notes["Hà"] is None


# ------------------------------------------------------------------------------------ CLI export


def test_cli_export_pdf_and_xlsx(capsys: pytest.CaptureFixture[str], hand_class: Database, db_url: str,
                                 tmp_path: Path) -> None:
    pdf, xlsx = tmp_path / "ds.pdf", tmp_path / "DS.XLSX"
    code, doc, err = run_json(capsys, "--db", db_url, "roster", "export", "VN1", "--out", str(pdf))
    assert (code, doc) == (0, {"path": str(pdf), "pages": pdf_pages(pdf)})
    assert str(pdf) in err
    code, doc, _err = run_json(capsys, "--db", db_url, "roster", "export", "VN1", "--out", str(xlsx),
                               "--date", "2025-03-05")
    assert (code, doc) == (0, {"path": str(xlsx), "rows": len(VIETNAMESE_ORDER)})
    assert pdf.read_bytes().startswith(b"%PDF") and openpyxl.load_workbook(xlsx).active is not None
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix.lower() in (".pdf", ".xlsx", ".tmp")) == [
        "DS.XLSX", "ds.pdf"]


@pytest.mark.parametrize(
    ("args", "expected_code", "words"),
    [
        (["roster", "export", "VN1", "--out", "{tmp}/ds.docx"], 2, ".pdf hoặc .xlsx"),
        (["roster", "export", "VN1", "--out", "{tmp}/ds"], 2, ".pdf hoặc .xlsx"),
        (["roster", "export", "VN1"], 2, "--out"),
        (["roster", "export", "VN1", "--out", "{tmp}/ds.pdf", "--date", "2025-02-30"], 2, "30/02/2025"),
        (["roster", "export", "ZZ9", "--out", "{tmp}/ds.pdf"], 1, "ZZ9"),
        (["roster", "export", "VN1", "--out", "{tmp}/no/such/folder/ds.xlsx"], 1, "{tmp}/no/such/folder/ds.xlsx"),
        (["roster", "export", "VN1", "--out", "{tmp}/folder.pdf"], 1, "{tmp}/folder.pdf"),
        (["roster", "list", "ZZ9"], 1, "ZZ9"),
        (["roster", "list"], 2, "C"),
        (["learners", "find"], 2, "TEXT"),
        (["learners", "find", "an", "--limit", "nhiều"], 2, "nhiều"),
    ],
)
def test_cli_bad_input_gets_its_exit_code_and_a_message(
        capsys: pytest.CaptureFixture[str], hand_class: Database, db_url: str, tmp_path: Path,
        args: list[str], expected_code: int, words: str) -> None:
    (tmp_path / "folder.pdf").mkdir()
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = run(capsys, "--db", db_url, *args, "--json")
    assert code == expected_code
    assert "Traceback" not in out + err
    assert words.replace("{tmp}", str(tmp_path)) in json.loads(out)["error"]
    assert err.startswith("Lỗi:")
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".pdf", ".xlsx", ".tmp", ".docx") and p.is_file()]


@pytest.mark.parametrize("where", ["folder", "target"])
def test_no_permission_is_refused_naming_the_file(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], hand_class: Database, db_url: str,
        tmp_path: Path, where: str) -> None:
    """A folder the user may not write to, or (on Windows) the old file still open in Excel."""
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("dtbd_desktop.base.files.tempfile.mkstemp" if where == "folder"
                        else "dtbd_desktop.base.files.os.replace", refuse)
    target = tmp_path / "out" / "ds.xlsx"
    target.parent.mkdir()
    code, out, err = run(capsys, "--db", db_url, "roster", "export", "VN1", "--out", str(target))
    assert code == 1 and "Traceback" not in out + err
    assert f"Không ghi được tệp {target}: không có quyền ghi, hoặc tệp đang mở" in err
    assert list(target.parent.iterdir()) == []


# ------------------------------------------------------------------------------------ atomic write


class Boom(RuntimeError):
    pass


@pytest.fixture
def previous_files(tmp_path: Path) -> Iterator[dict[str, Path]]:
    files = {"pdf": tmp_path / "out" / "ds.pdf", "xlsx": tmp_path / "out" / "ds.xlsx"}
    files["pdf"].parent.mkdir()
    yield files


def _half_written(path: Any) -> None:
    Path(path).write_bytes(b"PK\x03\x04 half a file")
    raise Boom("disk full, say")


def test_a_failed_pdf_export_leaves_no_file(monkeypatch: pytest.MonkeyPatch, hand_class: Database,
                                            previous_files: dict[str, Path]) -> None:
    target = previous_files["pdf"]

    def save(self: Any) -> None:
        _half_written(self._filename)

    monkeypatch.setattr(pdf_common.NumberedCanvas, "save", save)
    with hand_class.read() as s, pytest.raises(Boom):
        export_roster_pdf(s, "VN1", target)
    assert list(target.parent.iterdir()) == []
    # An older roster at the target survives a failed export untouched.
    target.write_bytes(b"%PDF-old")
    with hand_class.read() as s, pytest.raises(Boom):
        export_roster_pdf(s, "VN1", target)
    assert [p.name for p in target.parent.iterdir()] == ["ds.pdf"]
    assert target.read_bytes() == b"%PDF-old"


def test_a_failed_xlsx_export_leaves_no_file(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                             hand_class: Database, db_url: str,
                                             previous_files: dict[str, Path]) -> None:
    target = previous_files["xlsx"]
    monkeypatch.setattr(openpyxl.Workbook, "save", lambda self, path: _half_written(path))
    with hand_class.read() as s, pytest.raises(Boom):
        export_roster_xlsx(s, "VN1", target)
    assert list(target.parent.iterdir()) == []
    code, out, err = run(capsys, "--db", db_url, "roster", "export", "VN1", "--out", str(target))
    assert code == 1 and "Traceback" not in out + err
    assert list(target.parent.iterdir()) == []


def test_atomic_output_turns_os_errors_into_messages(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="không tồn tại"), atomic_output(tmp_path / "nope" / "x.pdf"):
        pass
    with pytest.raises(InputError, match="đây là một thư mục"), atomic_output(tmp_path):
        pass
    with atomic_output(tmp_path / "ok.txt") as temp:
        temp.write_text("xong", encoding="utf-8")
        assert not (tmp_path / "ok.txt").exists()
    assert (tmp_path / "ok.txt").read_text(encoding="utf-8") == "xong"
    assert [p.name for p in tmp_path.iterdir()] == ["ok.txt"]


def test_an_unknown_class_is_refused_before_any_file(db: Database, tmp_path: Path) -> None:
    with db.read() as s, pytest.raises(NotFoundError, match="Z1"):
        export_roster_pdf(s, "Z1", tmp_path / "z.pdf")
    assert not [p for p in tmp_path.iterdir() if p.is_file()]


# ------------------------------------------------------------------------------------ learners find


def test_learners_find_ignores_diacritics_and_case(capsys: pytest.CaptureFixture[str], db: Database,
                                                   db_url: str) -> None:
    ids = add_class(db, "F1", [("Nguyễn", "Văn", "An", "M"), ("Nguyễn", "Văn", "Anh", "M"),
                               ("Đặng", "Thị", "Đào", "F"), ("Lê", "Văn", "Bình", "M")])
    add_class(db, "F2", [("Trần", "Thị", "Hòa", "F")], first_id=100)
    with db.write(raw=True) as s:  # Nguyễn Văn An comes back for a second class
        f2 = classes.get_class(s, "F2")
        person = s.query(Learner).filter_by(national_id=ids[0]).one()
        s.add(Enrolment(training_class=f2, learner=person))

    code, doc, _err = run_json(capsys, "--db", db_url, "learners", "find", "nguyen van an")
    assert code == 0
    assert [r["full_name"] for r in doc] == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert all(set(r) == {"full_name", "birth_date", "national_id", "classes"} for r in doc)
    assert doc[0] == {"full_name": "Nguyễn Văn An", "birth_date": "1980-01-01", "national_id": ids[0],
                      "classes": ["F1", "F2"]}
    # Words as separate arguments, capitals, NFD input, đ typed as d.
    assert [r["full_name"] for r in run_json(capsys, "--db", db_url, "learners", "find", "NGUYEN", "VAN", "ANH")[1]] \
        == ["Nguyễn Văn Anh"]
    nfd = unicodedata.normalize("NFD", "đặng thị đào")
    assert [r["full_name"] for r in run_json(capsys, "--db", db_url, "learners", "find", nfd)[1]] == ["Đặng Thị Đào"]
    assert [r["full_name"] for r in run_json(capsys, "--db", db_url, "learners", "find", "dao")[1]] == ["Đặng Thị Đào"]
    assert [r["full_name"] for r in run_json(capsys, "--db", db_url, "learners", "find", "hoa")[1]] == ["Trần Thị Hòa"]
    # By ID digits.
    assert [r["national_id"] for r in run_json(capsys, "--db", db_url, "learners", "find", ids[3][-6:])[1]] == [ids[3]]
    # Limits.
    code, doc, err = run_json(capsys, "--db", db_url, "learners", "find", "van", "--limit", "1")
    assert code == 0 and len(doc) == 1 and "--limit 0" in err
    assert len(run_json(capsys, "--db", db_url, "learners", "find", "a", "--limit", "0")[1]) == 5
    assert run_json(capsys, "--db", db_url, "learners", "find", "khong co ai")[1] == []


def test_learners_find_for_people_is_a_table(capsys: pytest.CaptureFixture[str], db: Database,
                                             db_url: str) -> None:
    add_class(db, "F1", [("Nguyễn", "Văn", "An", "M")])
    code, out, _err = run(capsys, "--db", db_url, "learners", "find", "an")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Họ", "và", "tên"]
    assert lines[2].split() == ["Nguyễn", "Văn", "An", "01/01/1980", "079200000001", "Sở", "Tư", "pháp", "tỉnh",
                                "Long", "An", "F1"]
    assert lines[-1] == "1 người."


# ------------------------------------------------------------------------------------ size


def test_a_thousand_learners_export_quickly(sqlite_db: Database, tmp_path: Path) -> None:
    given = ["An", "Ánh", "Bình", "Đạt", "Hà", "Hạ", "Hoa", "Hòa", "Tú", "Tuấn", "Yến"]
    people = [("Nguyễn" if i % 3 else "Trần", "Thị Thanh" if i % 2 else "Văn", given[i % len(given)],
               "F" if i % 2 else "M") for i in range(1000)]
    add_class(sqlite_db, "BIG", people, organisation="Sở Nông nghiệp và Phát triển nông thôn tỉnh Long An",
              position="Phó Giám đốc Trung tâm")
    with sqlite_db.read() as s:
        export_roster_pdf(s, "BIG", tmp_path / "warm-up.pdf")  # fonts loaded once per process
        started = time.perf_counter()
        pages = export_roster_pdf(s, "BIG", tmp_path / "big.pdf")
        pdf_seconds = time.perf_counter() - started
        started = time.perf_counter()
        rows = export_roster_xlsx(s, "BIG", tmp_path / "big.xlsx")
        xlsx_seconds = time.perf_counter() - started
    assert rows == 1000
    assert pages == pdf_pages(tmp_path / "big.pdf") > 30
    # About a second each on an office PC; the bound only catches a quadratic slide.
    assert pdf_seconds < 8 and xlsx_seconds < 8, (pdf_seconds, xlsx_seconds)
    last = page_text(tmp_path / "big.pdf", pages - 1)
    assert all(heading in last for heading in HEADINGS)
    assert f"Trang {pages - 1}/{pages}" in last
