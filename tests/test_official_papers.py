"""The official papers of the demo centre, read back as a training officer reads them: the
number line from the book of outgoing documents, "Nơi nhận", the signer, the decision the
register links to, pages numbered per register, and no note to the programmer anywhere."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pytest

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.reports import attendance_reports, graduation_reports
from dtbd_desktop.reports.annual_report import load_annual_report, number_report, render_pdf
from dtbd_desktop.reports.annual_report_xlsx import render_xlsx
from dtbd_desktop.reports.outgoing_report import export_book
from dtbd_desktop.reports.register_report import export_register
from dtbd_desktop.services import catalogue, outgoing
from dtbd_desktop.services.settings import load_letterhead
from tests.conftest import DEMO_TODAY
from tests.pdf_tools import poppler

D = dt.date
NOTES = ("mặc định", "sửa theo", "todo", "fixme", "trường/trung tâm", "lorem")


def pdf_pages(path: Path) -> list[str]:
    out = subprocess.run([poppler("pdftotext"), "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def pdf_text(path: Path) -> str:
    return " ".join(pdf_pages(path))


def xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                    if c.value is not None)


# ---------------------------------------------------------------------------------- the book


def test_the_book_numbers_in_order_keeps_reprints_and_refuses_a_used_number(sqlite_db: Database) -> None:
    with sqlite_db.write(raw=True) as s:
        head = load_letterhead(s)
        first = outgoing.register_document(s, head, kind="KH", on=D(2027, 1, 5), subject="Kế hoạch năm 2027")
        second = outgoing.number_document(s, head, kind="KH", on=D(2027, 1, 6), subject="Kế hoạch mở lớp",
                                          source="test:1")
        again = outgoing.number_document(s, head, kind="KH", on=D(2027, 1, 6), subject="Kế hoạch mở lớp",
                                         source="test:1")
        typed = outgoing.register_document(s, head, kind="KH", on=D(2027, 1, 7), subject="Ký ngoài chương trình",
                                           number="9")
    assert (first.number, second.number, again.number, typed.number) == (1, 2, 2, 9)  # a reprint keeps its number
    assert first.symbol.startswith("01-KH/") and typed.typed
    with pytest.raises(InputError, match="đã có trong sổ"), sqlite_db.write(raw=True) as s:
        outgoing.register_document(s, load_letterhead(s), kind="KH", on=D(2027, 2, 1), subject="Trùng số",
                                   number="2")
    with pytest.raises(InputError, match="giữ số và ngày"), sqlite_db.write(raw=True) as s:
        outgoing.number_document(s, load_letterhead(s), kind="KH", on=D(2027, 3, 1), subject="Kế hoạch mở lớp",
                                 source="test:1")  # numbered on 06/01: another date is refused
    with sqlite_db.write(raw=True) as s:
        outgoing.void(s, 2027, "KH", 2, "Lấy nhầm số")
        renumbered = outgoing.number_document(s, load_letterhead(s), kind="KH", on=D(2027, 3, 1),
                                              subject="Kế hoạch mở lớp", source="test:1")
        book = outgoing.list_book(s, 2027, "KH")
    assert renumbered.number == 10  # the next after the typed 9; the voided 2 stays in the book
    assert [(e.number, e.status) for e in book] == [(1, "issued"), (2, "void"), (9, "issued"), (10, "issued")]
    assert outgoing.gaps(book) == {"KH": [3, 4, 5, 6, 7, 8]}


def test_the_book_prints_in_pdf_and_xlsx(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as s:
        entries = outgoing.list_book(s, 2026)
        assert export_book(s, 2026, tmp_path / "so.pdf", on=D(2026, 12, 31)) >= 1
        assert export_book(s, 2026, tmp_path / "so.xlsx") == len(entries)
    content = pdf_text(tmp_path / "so.pdf")
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in content.upper() and "ĐẢNG CỘNG SẢN VIỆT NAM" in content
    assert all(e.symbol in content for e in entries) and len(entries) >= 5
    cells = xlsx_text(tmp_path / "so.xlsx")
    assert all(e.symbol in cells for e in entries)


# ---------------------------------------------------------------------------------- the decision


def test_the_graduation_decision_and_its_list(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as s:
        entry = next(e for e in outgoing.list_book(s, 2026, "QĐ") if "SC26.02" in e.subject)
        pages = graduation_reports.export_decision(s, "SC26.02", tmp_path / "qd.pdf")
        graduation_reports.export_decision(s, "SC26.02", tmp_path / "qd.xlsx")
        with pytest.raises(InputError):  # a numbered decision keeps its date
            graduation_reports.export_decision(s, "SC26.02", tmp_path / "x.pdf", on=entry.issued_on + dt.timedelta(1))
    texts = pdf_pages(tmp_path / "qd.pdf")
    first, content = texts[0], " ".join(texts)
    assert pages == len(texts) >= 2
    for expected in ("TỈNH ỦY LONG AN", "TRƯỜNG CHÍNH TRỊ *", "ĐẢNG CỘNG SẢN VIỆT NAM", f"Số {entry.symbol}",
                     "QUYẾT ĐỊNH", "- Căn cứ", "Điều 1.", "Điều 2.", "Điều 3.", "Nơi nhận:", "- Lưu VP.",
                     "HIỆU TRƯỞNG", "Lê Văn Phước"):
        assert expected in first, expected
    assert f"ngày {entry.issued_on.day:02d} tháng {entry.issued_on.month} năm 2026" in first
    assert first.index("Nơi nhận:") > first.index("Điều 3.")
    assert f"(Kèm theo Quyết định số {entry.symbol}" in content
    assert "DANH SÁCH HỌC VIÊN ĐƯỢC CÔNG NHẬN TỐT NGHIỆP" in content
    assert "Quy định đã áp dụng" not in content  # the rules block belongs to the review list
    assert entry.symbol in xlsx_text(tmp_path / "qd.xlsx")


# ---------------------------------------------------------------------------------- the register


def test_the_registers_link_to_the_decisions_and_number_their_own_pages(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as s:
        decisions = {e.symbol: e.issued_on for e in outgoing.list_book(s, 2026, "QĐ")}
        export_register(s, 2026, tmp_path / "so.pdf", on=DEMO_TODAY)
        export_register(s, 2026, tmp_path / "so.xlsx", on=DEMO_TODAY)
    pages = pdf_pages(tmp_path / "so.pdf")
    starts = [i for i, page in enumerate(pages) if "Sổ gốc này gồm" in page]
    assert len(starts) >= 3  # Sơ cấp, Trung cấp diplomas and the certificates: one register each
    for start, end in zip(starts, [*starts[1:], len(pages)], strict=True):
        count = end - start
        assert f"Trang 1/{count}" in pages[start] and f"Trang {count}/{count}" in pages[end - 1]
        assert f"gồm {count} trang" in pages[start]
    content = " ".join(pages)
    assert "SỔ GỐC CẤP BẰNG TỐT NGHIỆP SƠ CẤP LÝ LUẬN CHÍNH TRỊ NĂM 2026" in content
    assert "SỔ GỐC CẤP BẰNG TỐT NGHIỆP TRUNG CẤP" in content
    assert any(symbol in content for symbol in decisions)
    book = openpyxl.load_workbook(tmp_path / "so.xlsx")
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "STT")
    lines = [r for r in rows if isinstance(r[0], int)]
    number, date = header.index("Số quyết định"), header.index("Ngày quyết định")
    assert lines and all(r[number] in decisions for r in lines)
    assert all(isinstance(r[date], dt.datetime) and r[date].date() == decisions[r[number]] for r in lines)
    births = [r[header.index("Ngày sinh")] for r in lines]
    assert all(isinstance(b, dt.datetime | int) for b in births)  # a date, or the year alone
    assert any("Long An, ngày" in str(v) for r in rows for v in r if v)  # the date line above the signer


# ---------------------------------------------------------------------------------- letters


def test_attendance_letters_are_numbered_dated_and_say_who_may_sit(demo_db: Database, tmp_path: Path) -> None:
    on = D(2026, 11, 24)
    with demo_db.write(raw=True) as s:
        result = attendance_reports.export_letters(s, "B22.KTT", tmp_path / "cv.pdf", on=on)
    with demo_db.write(raw=True) as s:
        again = attendance_reports.export_letters(s, "B22.KTT", tmp_path / "cv2.pdf", on=on)
    assert result.letters >= 1 and result.numbers and again.numbers == result.numbers  # a reprint keeps them
    content = pdf_text(tmp_path / "cv.pdf")
    for number in result.numbers:
        assert f"Số {number}" in content and "-CV/" in number
    for expected in ("Long An, ngày 24 tháng 11 năm 2026", "Nơi nhận:", "- Lưu VP.", "HIỆU TRƯỞNG"):
        assert expected in content, expected
    assert "(mặc định" not in content
    with demo_db.read() as s:
        book = outgoing.list_book(s, 2026, "CV")
    assert sorted(e.symbol for e in book) == sorted(result.numbers)
    with demo_db.read() as s:  # a draft takes no number
        draft = attendance_reports.export_letters(s, "B22.KTT", tmp_path / "nhap.pdf", on=on, draft=True)
    assert draft.numbers == []


# ---------------------------------------------------------------------------------- the annual report


def test_the_annual_report_is_numbered_and_signed_by_the_head(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.write(raw=True) as s:
        doc = number_report(s, load_annual_report(s, 2026, as_of=D(2026, 11, 23), on=D(2026, 12, 20)))
        render_pdf(doc, tmp_path / "bc.pdf")
    assert doc.entry is not None and "-BC/" in doc.entry.symbol
    content = pdf_text(tmp_path / "bc.pdf")
    for expected in (f"Số {doc.entry.symbol}", "Long An, ngày 20 tháng 12 năm 2026", "Nơi nhận:", "- Lưu VP.",
                     "HIỆU TRƯỞNG", "VIII. ĐÁNH GIÁ CHUNG", "IX. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027"):
        assert expected in content, expected
    assert "NGƯỜI LẬP BÁO CÁO" not in content


# ---------------------------------------------------------------------------------- the legal basis


def test_the_legal_basis_is_the_rule_sets_and_refuses_notes(demo_db: Database, tmp_path: Path) -> None:
    basis = "Quy chế đào tạo sơ cấp lý luận chính trị số 99-QĐ/TCT ngày 02/01/2026 của Trường Chính trị tỉnh"
    with demo_db.write(raw=True) as s:
        catalogue.save_legal_basis(s, "SC", basis)
    with pytest.raises(InputError), demo_db.write(raw=True) as s:
        catalogue.save_legal_basis(s, "SC", "Quy chế (mặc định; sửa theo quy định đang áp dụng)")
    with demo_db.read() as s:
        graduation_reports.export_review(s, "SC26.02", tmp_path / "xet.pdf", on=D(2026, 11, 6))
    assert basis in pdf_text(tmp_path / "xet.pdf")


def test_no_paper_of_the_demo_carries_a_note_to_the_programmer(demo_db: Database, tmp_path: Path) -> None:
    on = D(2026, 11, 24)
    files: list[Path] = []
    with demo_db.write(raw=True) as s:
        for suffix in (".pdf", ".xlsx"):
            for kind in ("review", "scores"):
                graduation_reports.export_document(s, "SC26.02", kind, tmp_path / f"{kind}{suffix}", on=on)
            graduation_reports.export_decision(s, "SC26.02", tmp_path / f"qd{suffix}")
            export_register(s, 2026, tmp_path / f"so{suffix}", on=on)
            attendance_reports.export_summary(s, "B22.KTT", tmp_path / f"cc{suffix}", on=on)
            export_book(s, 2026, tmp_path / f"vbdi{suffix}")
            files += [tmp_path / f"{n}{suffix}" for n in ("review", "scores", "qd", "so", "cc", "vbdi")]
        attendance_reports.export_letters(s, "B22.KTT", tmp_path / "cv.pdf", on=on)
        report = load_annual_report(s, 2026, as_of=D(2026, 11, 23), on=on)
        render_pdf(report, tmp_path / "bc.pdf")
        render_xlsx(report, tmp_path / "bc.xlsx")
        files += [tmp_path / "cv.pdf", tmp_path / "bc.pdf", tmp_path / "bc.xlsx"]
    for path in files:
        content = (pdf_text(path) if path.suffix == ".pdf" else xlsx_text(path)).casefold()
        assert len(content) > 200, path.name
        for note in NOTES:
            assert note not in content, (path.name, note)
