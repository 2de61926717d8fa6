"""Printed documents: the class PDF of each kind, the diploma over the blank's scan, the register
and its appendix (PDF, XLSX), the calibration test page, the QR code, layouts and calibration."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
import segno

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.printing import certificate_pdf, layouts
from dtbd_desktop.printing import qr as qr_code
from dtbd_desktop.reports.register_report import export_register
from dtbd_desktop.services import certificates, settings
from tests.pdf_tools import needs
from tests.test_certificates import make_class, run_cli

D = dt.date
needs_poppler = needs("pdftotext", package="poppler-utils")


def _pdftotext(path: Path, *extra: str) -> str:
    return subprocess.run(["pdftotext", *extra, str(path), "-"], capture_output=True, text=True, check=True).stdout


def _fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def _issue(db: Database, code: str, programme: str, size: int, end: dt.date) -> list[certificates.CertificateRow]:
    make_class(db, code, programme=programme, size=size, start=end - dt.timedelta(days=30), end=end)
    with db.write(raw=True) as s:
        settings.set_settings(s, centre_name="TRƯỜNG CHÍNH TRỊ TỈNH LONG AN", superior_body="TỈNH ỦY LONG AN",
                              place_name="Long An", director_title="HIỆU TRƯỞNG", director_name="Lê Văn Phước")
        return certificates.issue_for_class(s, code, end + dt.timedelta(days=6))


@needs_poppler
def test_certificate_of_completion_pdf_fonts_text_and_qr(sqlite_db: Database, tmp_path: Path) -> None:
    rows = _issue(sqlite_db, "DVM1", "DVM", 4, D(2025, 3, 14))
    out = tmp_path / "gcn.pdf"
    code, doc, err = run_cli("--db", sqlite_db.url, "certificates", "print", "DVM1", "--out", str(out))
    assert code == 0, err
    assert doc == {"path": str(out), "pages": 4}
    fonts = _fonts(out)
    assert "LiberationSerif" in fonts and "Helvetica" not in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    page = _pdftotext(out, "-f", "1", "-l", "1")
    assert unicodedata.is_normalized("NFC", page)
    for expected in ("GIẤY CHỨNG NHẬN", "ĐẢNG CỘNG SẢN VIỆT NAM", "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN", rows[0].full_name,
                     rows[0].serial, rows[0].register_number, rows[0].verification_code,
                     "Long An, ngày 20 tháng 3 năm 2025", "Lê Văn Phước", "Đồng chí:",
                     "Đã hoàn thành chương trình bồi dưỡng lý luận chính trị dành cho đảng viên mới.",
                     "Học tập từ ngày 12/02/2025 đến ngày 14/03/2025 tại Hội trường A."):
        assert expected in page, expected
    assert "DVM1" not in page  # the class code is the office's, not the learner's
    if shutil.which("pdftoppm") and shutil.which("zbarimg"):
        subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(out), str(tmp_path / "p")], check=True)
        png = next(tmp_path.glob("p-*.png"))
        scanned = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout.strip()
        with sqlite_db.read() as s:
            assert certificates.verify(s, scanned).as_json()["valid"] is True


@needs_poppler
def test_national_heading_when_the_centre_is_not_a_party_body(sqlite_db: Database, tmp_path: Path) -> None:
    _issue(sqlite_db, "DVM1", "DVM", 1, D(2025, 3, 14))
    with sqlite_db.write(raw=True) as s:
        settings.set_settings(s, party_heading=False)
        result = certificates.print_class(s, "DVM1", tmp_path / "n.pdf")
    page = _pdftotext(result.path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "ĐẢNG CỘNG SẢN" not in page


@needs_poppler
def test_diploma_prints_only_the_fields_and_the_proof_shows_the_blank(sqlite_db: Database, tmp_path: Path) -> None:
    rows = _issue(sqlite_db, "TC48", "TC", 2, D(2025, 4, 20))
    with sqlite_db.write(raw=True) as s:
        plain = certificates.print_class(s, "TC48", tmp_path / "bang.pdf")
        proof = certificates.print_class(s, "TC48", tmp_path / "proof.pdf", with_blank=True)
    text = _pdftotext(plain.path, "-f", "1", "-l", "1")
    assert rows[0].full_name in text and rows[0].serial in text and "Khá" in text
    assert "BẰNG TỐT NGHIỆP" not in text and "Cấp cho" not in text  # pre-printed on the blank, not by us
    assert "SƠ CẤP" not in text and "TRUNG CẤP LÝ LUẬN CHÍNH TRỊ - HÀNH CHÍNH" in text  # the programme line
    assert "HIỆU TRƯỞNG TRƯỜNG CHÍNH TRỊ TỈNH LONG AN" in text  # the issuing school
    assert "Khóa 48 (2025)" in text and "TC48" not in text  # the course, not the class code
    assert proof.path.stat().st_size > plain.path.stat().st_size + 50_000  # the scan is in the proof only


def test_calibration_moves_every_field(sqlite_db: Database) -> None:
    _issue(sqlite_db, "SC1", "SC", 1, D(2025, 4, 20))
    with sqlite_db.write(raw=True) as s:
        job = certificates.print_job(s, "SC1")
        settings.set_settings(s, printer_calibration={"offset_x_mm": -1.5, "offset_y_mm": 2, "scale_x": 1.0,
                                                      "scale_y": 0.99},
                              printer_calibrations={"Canon LBP": {"offset_x_mm": 3}})
        cal = certificates.calibration(s)
        canon = certificates.calibration(s, "Canon LBP")
    plain = job.pages()[0]
    moved = job.pages(cal)[0]
    name_plain = next(op for op in plain.ops if isinstance(op, layouts.TextOp) and op.font == "bold" and op.size == 16)
    name_moved = next(op for op in moved.ops if isinstance(op, layouts.TextOp) and op.text == name_plain.text)
    assert name_moved.x == pytest.approx(name_plain.x - 1.5)
    assert name_moved.y == pytest.approx(2 + 0.99 * name_plain.y)
    assert canon == layouts.Calibration(offset_x_mm=3.0)


def test_calibration_from_measured_marks_round_trips() -> None:
    # A printer that shifts 2 mm right, 1 mm down and stretches 0.5%.
    def printed(x: float, y: float) -> tuple[float, float]:
        return 2 + 1.005 * x, 1 + 1.005 * y

    cal = layouts.from_measurements(printed(*layouts.MARK_A), printed(*layouts.MARK_B), printed(*layouts.MARK_C))
    for target in ((20.0, 20.0), (150.0, 100.0), (280.0, 200.0)):
        assert printed(*cal.apply(*target)) == pytest.approx(target, abs=0.01)
    with pytest.raises(InputError):
        layouts.calibration_from_setting({"offset_x_mm": 45})
    with pytest.raises(InputError):
        layouts.calibration_from_setting({"scale_x": "1,5"})
    assert layouts.calibration_from_setting({"scale_x": "0,998"}).scale_x == pytest.approx(0.998)


@needs_poppler
def test_test_page_has_the_grid_and_the_marks(tmp_path: Path) -> None:
    out = tmp_path / "test.pdf"
    assert certificate_pdf.write_test_page(out) == 1
    text = _pdftotext(out)
    assert "A (20; 20)" in text and "B (277; 20)" in text and "C (20; 190)" in text and "100%" in text
    page = layouts.test_page_ops()
    assert sum(1 for op in page.ops if isinstance(op, layouts.LineOp)) > 500  # every millimetre


@needs_poppler
def test_register_and_appendix_pdf_and_xlsx(sqlite_db: Database, tmp_path: Path) -> None:
    rows = _issue(sqlite_db, "DVM1", "DVM", 5, D(2025, 3, 14))
    diplomas = _issue(sqlite_db, "SC1", "SC", 2, D(2025, 4, 20))
    with sqlite_db.write(raw=True) as s:
        certificates.revoke(s, rows[1].serial, "Cấp nhầm")
        _old, new = certificates.reissue(s, rows[2].serial, "Bị mất do thiên tai", D(2025, 5, 5))
    code, doc, err = run_cli("--db", sqlite_db.url, "certificates", "register", "--year", "2025", "--out",
                             str(tmp_path / "so.pdf"))
    assert code == 0, err
    assert doc == {"path": str(tmp_path / "so.pdf"), "rows": 6 + 2}
    text = _pdftotext(tmp_path / "so.pdf", "-layout")
    flat = " ".join(text.split())
    for expected in ("SỔ GỐC CẤP GIẤY CHỨNG NHẬN HOÀN THÀNH KHÓA BỒI DƯỠNG NĂM 2025",
                     "SỔ GỐC CẤP BẰNG TỐT NGHIỆP SƠ CẤP LÝ LUẬN CHÍNH TRỊ NĂM 2025",
                     "PHỤ LỤC SỔ GỐC CẤP GIẤY CHỨNG NHẬN HOÀN THÀNH", "Chữ ký", "Số vào sổ", "Thu hồi", "Cấp lại",
                     "Bị mất do thiên tai", new.serial, diplomas[1].serial):
        assert expected in flat, expected
    assert "Helvetica" not in _fonts(tmp_path / "so.pdf")

    code, doc, err = run_cli("--db", sqlite_db.url, "certificates", "register", "--year", "2025", "--out",
                             str(tmp_path / "so.xlsx"))
    assert code == 0 and doc["rows"] == 8, err
    wb = openpyxl.load_workbook(tmp_path / "so.xlsx")
    assert wb.sheetnames == ["Sổ bằng SC 2025", "Phụ lục Sổ bằng SC 2025", "Sổ GCN 2025", "Phụ lục Sổ GCN 2025"]
    sheet = wb["Sổ GCN 2025"]
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in values if r[0] == "STT")
    assert list(header) == ["STT", "Họ và tên", "Ngày sinh", "Nơi sinh", "Giới tính", "Dân tộc", "Khóa học",
                            "Hình thức đào tạo", "Xếp loại", "Số hiệu", "Số vào sổ", "Ngày cấp", "Số quyết định",
                            "Ngày quyết định", "Chữ ký người nhận", "Ghi chú"]
    lines = [r for r in values if isinstance(r[0], int)]
    assert [r[9] for r in lines] == [r.serial for r in rows] + [new.serial]
    assert all(isinstance(r[11], dt.datetime) for r in lines)  # the issue date is a date in Excel
    appendix = [r for r in wb["Phụ lục Sổ GCN 2025"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [(r[2], r[3], r[5]) for r in appendix] == [("Cấp lại", rows[2].serial, new.serial),
                                                      ("Thu hồi", rows[1].serial, None)]

    code, doc, _err = run_cli("--db", sqlite_db.url, "certificates", "register", "--year", "2019", "--out",
                              str(tmp_path / "none.pdf"))
    assert code == 1 and "chưa có sổ gốc" in doc["error"] and not (tmp_path / "none.pdf").exists()


def test_register_kind_filter_and_bad_extension(sqlite_db: Database, tmp_path: Path) -> None:
    _issue(sqlite_db, "DVM1", "DVM", 2, D(2025, 3, 14))
    _issue(sqlite_db, "SC1", "SC", 3, D(2025, 4, 20))
    with sqlite_db.read() as s:
        assert export_register(s, 2025, tmp_path / "b.xlsx", kind="diploma")[1] == 3
        with pytest.raises(InputError, match=".pdf hoặc .xlsx"):
            export_register(s, 2025, tmp_path / "b.docx")


# ---------------------------------------------------------------------------------- QR code


def _segno_modules(text: str) -> bytes:
    q = segno.make(text, error="m", mode="alphanumeric", mask=qr_code.MASK, boost_error=False, micro=False)
    return bytes(v for row in q.matrix for v in row)


def test_qr_encoder_matches_segno_module_for_module() -> None:
    rng = random.Random(7)
    compared = 0
    for length in [*range(1, 60), *(rng.randint(60, 1800) for _ in range(60))]:
        text = "".join(rng.choice(qr_code.ALPHANUMERIC) for _ in range(length))
        version = qr_code.choose_version(text)
        bits = 4 + qr_code._count_bits(version) + 11 * (length // 2) + 6 * (length % 2)
        capacity = qr_code._symbol(version).data_codewords * 8
        if (bits + min(4, capacity - bits)) % 8 == 0 and bits + 4 < capacity:
            # segno writes a spare zero byte here (its padding step adds 8 zero bits when none
            # are needed); both symbols are valid, they just differ. Checked by decoding below.
            continue
        size, modules = qr_code.qr_matrix(text)
        assert modules == _segno_modules(text), length
        assert size == version * 4 + 17
        compared += 1
    assert compared > 80


@needs("zbarimg", package="zbar-tools")
def test_qr_codes_decode(tmp_path: Path) -> None:
    from PIL import Image

    for text in ("DTBD1:ABC", "DTBD1:" + "GEZDGNBVGY3TQOJQ" * 12 + ":88C7BD:" + "A" * 103, "12345678"):
        size, modules = qr_code.qr_matrix(text)
        scale, border = 6, 4
        image = Image.new("L", ((size + 2 * border) * scale,) * 2, 255)
        for i, dark in enumerate(modules):
            if dark:
                y, x = divmod(i, size)
                image.paste(0, ((x + border) * scale, (y + border) * scale,
                                (x + border + 1) * scale, (y + border + 1) * scale))
        image.save(tmp_path / "q.png")
        decoded = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "q.png")], capture_output=True,
                                 text=True).stdout.strip()
        assert decoded == text


def test_qr_refuses_what_it_cannot_hold() -> None:
    with pytest.raises(qr_code.QrError):
        qr_code.qr_matrix("lower case")
    with pytest.raises(qr_code.QrError):
        qr_code.qr_matrix("A" * 5000)


# ---------------------------------------------------------------------------------- layouts


def test_bundled_layouts_load_and_cover_both_kinds() -> None:
    bundled = layouts.bundled_layouts()
    assert {lay.document_kind for lay in bundled.values()} == {"diploma", "certificate"}
    blank = bundled["diploma-blank"]
    assert blank.mode == "blank" and blank.background_path() is not None and blank.background_path().exists()
    full = bundled["certificate-full"]
    assert any(f.type == "qr" for f in full.fields)
    again = layouts.layout_from_json(full.to_json())
    assert again.to_json() == full.to_json()


@pytest.mark.parametrize(("change", "message"), [
    ({"format": 2}, "định dạng"), ({"document_kind": "bằng"}, "document_kind"),
    ({"fields": [{"type": "text", "text": "{ho_ten}"}]}, "ho_ten"),
    ({"fields": [{"type": "text", "font": "comic"}]}, "phông"), ({"fields": [{"type": "star"}]}, "star"),
    ({"fields": [{"type": "text", "size": "lớn"}]}, "cần một số"),
    ({"page": {"width_mm": 2000, "height_mm": 210}}, "khổ giấy"),
])
def test_a_broken_layout_is_explained(change: dict[str, object], message: str) -> None:
    data = layouts.bundled_layouts()["certificate-full"].to_json()
    data.update(change)
    with pytest.raises(layouts.LayoutError, match=message):
        layouts.layout_from_json(data)


def test_saving_a_layout_makes_a_new_version_for_every_pc(sqlite_db: Database) -> None:
    with sqlite_db.write(raw=True) as s:
        layout = certificates.load_layouts(s)["diploma-blank"]
        layout.fields[1].x_mm += 2.5
        saved = certificates.save_layout(s, layout)
    assert saved.version == layout.version + 1
    with sqlite_db.read() as s:
        again = certificates.load_layouts(s)["diploma-blank"]
    assert again.fields[1].x_mm == saved.fields[1].x_mm and again.version == saved.version
    with sqlite_db.write(raw=True) as s:
        certificates.reset_layout(s, "diploma-blank")
    with sqlite_db.read() as s:
        assert certificates.load_layouts(s)["diploma-blank"].version == layout.version


def test_a_programme_can_use_another_layout(sqlite_db: Database) -> None:
    with sqlite_db.write(raw=True) as s:
        custom = certificates.load_layouts(s)["certificate-full"].copy()
        custom.id, custom.name, custom.default = "gcn-a5", "GCN A5", False
        certificates.save_layout(s, custom)
        certificates.set_programme_layout(s, "DVM", "gcn-a5")
        with pytest.raises(InputError):
            certificates.set_programme_layout(s, "DVM", "diploma-blank")  # a diploma layout for a certificate
    make_class(sqlite_db, "DVM1", size=1)
    with sqlite_db.read() as s:
        from dtbd_desktop.services.classes import get_class

        assert certificates.layout_for_class(s, get_class(s, "DVM1")).id == "gcn-a5"


def test_text_is_shrunk_to_fit_its_box_and_wrapped_when_asked() -> None:
    field = layouts.Field(text="{full_name}", x_mm=10, y_mm=20, width_mm=60, size=16, font="bold")
    layout = layouts.Layout(id="t", name="t", document_kind="certificate", fields=[field])
    (op,) = layouts.page_ops(layout, {"full_name": "Tôn Nữ Thị Phương Thảo Nguyên"}).ops
    assert isinstance(op, layouts.TextOp) and op.size < 16
    assert layouts.text_width_mm(op.text, "bold", op.size) <= 60
    wrapped = layouts.Field(text="{programme_name}", x_mm=10, y_mm=20, width_mm=40, wrap=True, max_lines=3)
    layout.fields = [wrapped]
    ops = layouts.page_ops(layout, {"programme_name": "Bồi dưỡng nghiệp vụ công tác Đảng cho cấp ủy viên cơ sở"}).ops
    assert len(ops) >= 2 and all(isinstance(o, layouts.TextOp) for o in ops)
    assert ops[1].y > ops[0].y  # type: ignore[union-attr]
