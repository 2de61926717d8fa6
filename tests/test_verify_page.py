"""The static verification page and the QR code as a link to it (issue 19), without a browser:
the page's file, its data and its Content-Security-Policy, the link in the QR code, the program
still verifying both forms, the setting, and the command line. `test_verify_page_browser.py`
opens the page in Chromium; both use `publish`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import segno
from segno import consts as segno_consts
from sqlalchemy import select, update

from dtbd_desktop.base.paths import resource_path
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Certificate
from dtbd_desktop.printing import qr as qr_code
from dtbd_desktop.reports import verify_page
from dtbd_desktop.services import certificates, settings, signing_keys
from dtbd_desktop.trust import operations, signing
from tests.logins import PASSWORD, admin_login, create_account
from tests.pdf_tools import needs
from tests.test_certificates import make_class, run_cli

D = dt.date
ADDRESS = "https://truongchinhtri.longan.gov.vn/xac-thuc"
CENTRE = "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN"


@dataclass(frozen=True)
class Published:
    """A class whose documents were issued, one revoked, one reissued, one of the old kind (signed
    before courses were), and the page written; the QR texts of each case."""

    page: Path
    names: dict[str, str]  # case -> the learner's full name
    serials: dict[str, str]
    course: str
    qr: dict[str, str]  # case -> what the QR code holds (or a made-up one)


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def publish(db: Database, folder: Path) -> Published:
    make_class(db, "DVM1", size=4)
    with operations.writing(db, None) as s:
        settings.save_settings(s, centre_name=CENTRE, superior_body="TỈNH ỦY LONG AN", verify_page_url=ADDRESS)
        rows = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
        certificates.revoke(s, rows[1].serial, "Cấp nhầm người")
        _old, new = certificates.reissue(s, rows[2].serial, "Sai ngày sinh", D(2025, 4, 2))
    with db.write(raw=True) as s:
        # A document signed before documents named their course: five fields, its QR code plain text.
        old = s.scalars(select(Certificate).where(Certificate.serial == rows[3].serial)).one()
        key = signing_keys.issuing_key(s)
        code = signing.sign(key, signing.signed_payload(old.serial, old.full_name, old.birth_date_text,
                                                        old.issue_date, old.classification))
        s.execute(update(Certificate).where(Certificate.id == old.id).values(course=None, verification_code=code))
    with db.read() as s:
        job = certificates.print_job(s, "DVM1")
        printed = {cid: values["qr"] for cid, values in job.documents}
        by_serial = {c.serial: c for c in s.scalars(select(Certificate))}
        link = settings.verify_page_link(s)
        genuine = by_serial[rows[0].serial]
        qr = {
            "genuine": printed[genuine.id],
            "revoked": signing.qr_text(signing.certificate_payload(by_serial[rows[1].serial]),
                                       by_serial[rows[1].serial].verification_code, link),
            "replaced": signing.qr_text(signing.certificate_payload(by_serial[rows[2].serial]),
                                        by_serial[rows[2].serial].verification_code, link),
            "reissued": printed[by_serial[new.serial].id],
            "old": signing.qr_text(signing.certificate_payload(by_serial[rows[3].serial]),
                                   by_serial[rows[3].serial].verification_code),
        }
        course = genuine.course or ""
        page = verify_page.write_verify_page(s, folder)
    prefix, payload, kid, signature = qr["genuine"].split("#")[1].split(":")
    text = base64.b32decode(payload + "=" * (-len(payload) % 8)).decode()
    stranger = signing.Ed25519PrivateKey.generate()
    stranger_code = signing.parse_stored(signing.sign(stranger, text))
    assert stranger_code is not None
    qr["forged_key"] = signing.qr_text(text, signing.sign(stranger, text), ADDRESS)
    qr["forged_signature"] = f"{ADDRESS}#{prefix}:{payload}:{kid}:{_b32(stranger_code.signature)}"
    altered = _b32(text.replace(rows[0].full_name, "Nguyễn Văn Giả").encode())
    qr["forged_data"] = f"{ADDRESS}#{prefix}:{altered}:{kid}:{signature}"
    qr["truncated"] = qr["genuine"][:-30]
    qr["garbled"] = qr["genuine"][:-60] + "0" * 10 + qr["genuine"][-50:]
    names = {"genuine": rows[0].full_name, "revoked": rows[1].full_name, "replaced": rows[2].full_name,
             "old": rows[3].full_name}
    serials = {"genuine": rows[0].serial, "revoked": rows[1].serial, "replaced": rows[2].serial,
               "reissued": new.serial, "old": rows[3].serial}
    return Published(page, names, serials, course, qr)


def _page(published: Published) -> str:
    return published.page.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------- the QR code


def test_the_printed_qr_code_links_to_the_page_and_the_program_reads_every_form(db: Database, tmp_path: Path) -> None:
    published = publish(db, tmp_path / "site")
    qr = published.qr
    assert qr["genuine"].startswith(ADDRESS + "#DTBD1:")
    assert qr["old"].startswith("DTBD1:")  # a QR code printed before the link: plain text
    with db.read() as s:
        cases = {"genuine": "issued", "old": "issued", "revoked": "revoked", "replaced": "replaced",
                 "reissued": "issued"}
        for case, status in cases.items():
            result = certificates.verify(s, qr[case])
            assert result.as_json()["status"] == status, case
            assert result.serial == published.serials[case]
        # What a phone's address bar or a scanner app may hand over: percent-escapes, spaces.
        escaped = qr["genuine"].replace(":", "%3A")
        assert certificates.verify(s, "  " + escaped + " ").valid
        for case in ("forged_key", "forged_signature", "forged_data", "truncated", "garbled"):
            assert certificates.verify(s, qr[case]).as_json() == {
                "valid": False, "status": "unknown", "full_name": None, "serial": None}, case
    code, doc, _err = run_cli("--db", db.url, "certificates", "verify", qr["genuine"])
    assert code == 0 and doc == {"valid": True, "status": "issued", "full_name": published.names["genuine"],
                                 "serial": published.serials["genuine"]}


def test_a_new_document_signs_its_course_and_an_old_one_still_verifies(db: Database, tmp_path: Path) -> None:
    published = publish(db, tmp_path / "site")
    fields = signing.parse_qr(published.qr["genuine"])
    old = signing.parse_qr(published.qr["old"])
    assert fields is not None and old is not None
    assert fields.payload.split("|")[5] == published.course
    assert published.course.startswith("Lớp ") and published.course.endswith("DVM1")
    assert len(old.payload.split("|")) == 5
    # The course is signed: changing it breaks the signature as changing the name does.
    with db.read() as s:
        keys = signing_keys.trusted_keys(s)
    renamed = signing.QrContent(fields.payload.replace(published.course, "Lớp Cao cấp lý luận chính trị"),
                                fields.key_id, fields.signature)
    assert signing.verify_qr(keys, fields) and not signing.verify_qr(keys, renamed)


def test_without_an_address_the_qr_code_stays_plain(db: Database) -> None:
    make_class(db, "DVM1", size=2)
    with operations.writing(db, None) as s:
        certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    with db.read() as s:
        job = certificates.print_job(s, "DVM1")
        assert settings.verify_page_link(s) is None
    assert all(v["qr"].startswith("DTBD1:") and v["qr"] == v["qr"].upper() for _i, v in job.documents)
    with operations.writing(db, None) as s:
        settings.save_settings(s, verify_page_url=ADDRESS)
    with db.read() as s:
        job = certificates.print_job(s, "DVM1")
    assert all(v["qr"].startswith(ADDRESS + "#DTBD1:") for _i, v in job.documents)


def _link_segments(text: str) -> bytes:
    head, tail = text.rsplit("#", 1)
    q = segno.make([(head + "#", segno_consts.MODE_BYTE), (tail, segno_consts.MODE_ALPHANUMERIC)], error="m",
                   mask=qr_code.MASK, boost_error=False, micro=False)
    return bytes(v for row in q.matrix for v in row)


def test_a_link_is_encoded_as_segno_encodes_its_two_segments() -> None:
    rng = random.Random(19)
    compared = 0
    for _ in range(120):
        head = "https://" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789.-/") for _ in range(
            rng.randint(3, 90))) + "#"
        tail = "DTBD1:" + "".join(rng.choice(qr_code.ALPHANUMERIC) for _ in range(rng.randint(0, 700)))
        version = qr_code.choose_version(head + tail)
        bits = qr_code._segment_length(len(tail), version, len(head))
        capacity = qr_code._symbol(version).data_codewords * 8
        if (bits + min(4, capacity - bits)) % 8 == 0 and bits + 4 < capacity:
            continue  # segno's spare zero byte (see test_certificates_reports); decoded below instead
        size, modules = qr_code.qr_matrix(head + tail)
        assert modules == _link_segments(head + tail), (len(head), len(tail))
        assert size == version * 4 + 17
        compared += 1
    assert compared > 80
    plain = "DTBD1:" + "A" * 200
    assert qr_code.choose_version(ADDRESS + "#" + plain) > qr_code.choose_version(plain)


@needs("zbarimg", package="zbar-tools")
def test_a_printed_link_decodes_to_the_exact_link(db: Database, tmp_path: Path) -> None:
    from PIL import Image

    published = publish(db, tmp_path / "site")
    for text in (published.qr["genuine"], published.qr["old"], "http://a.vn/#DTBD1:X"):
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
                                 text=True, check=True).stdout.strip()
        assert decoded == text


@needs("zbarimg", package="zbar-tools")
@needs("pdftoppm", package="poppler-utils")
def test_the_printed_certificate_carries_the_link(db: Database, tmp_path: Path) -> None:
    published = publish(db, tmp_path / "site")
    with operations.writing(db, None) as s:
        certificates.print_class(s, "DVM1", tmp_path / "in.pdf", count=False)
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(tmp_path / "in.pdf"),
                    str(tmp_path / "page")], check=True)
    (image,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert decoded == published.qr["genuine"]  # the register's first live document, printed first


@pytest.mark.parametrize("text", ["lower case", "https://trường.vn/xac-thuc#DTBD1:A", "https://a.vn#dtbd1:a",
                                  "https://a b.vn/#DTBD1:A"])
def test_the_qr_encoder_refuses_what_is_neither_a_code_nor_a_link(text: str) -> None:
    with pytest.raises(qr_code.QrError):
        qr_code.qr_matrix(text)


# ---------------------------------------------------------------------------------- the setting


@pytest.mark.parametrize("value", [ADDRESS, "http://tct.longan.gov.vn/van-bang/xac-thuc.html", "https://10.0.0.5:8443/x",
                                   "", None])
def test_a_web_address_is_accepted(value: str | None) -> None:
    assert settings.check_settings({"verify_page_url": value}) == []


@pytest.mark.parametrize("value", ["truongchinhtri.longan.gov.vn/xac-thuc", "ftp://tct.vn/x", "https://",
                                   "https://tct.vn/xac thuc", "https://tct.vn/xac-thuc#DTBD1", "https://trườngchínhtrị.vn",
                                   "https://tct.vn/" + "a" * 200, 42])
def test_a_bad_address_is_refused_saying_what_to_type(value: object) -> None:
    (problem,) = settings.check_settings({"verify_page_url": value})
    assert problem.field == "verify_page_url"
    assert "https://" in problem.message and "không dấu" in problem.message


# ---------------------------------------------------------------------------------- the page


def test_the_page_is_one_self_contained_file_with_todays_keys_and_revocations(db: Database, tmp_path: Path) -> None:
    published = publish(db, tmp_path / "site")
    assert published.page == tmp_path / "site" / "xac-thuc" / "index.html"
    page = _page(published)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert '<html lang="vi">' in page and 'name="viewport"' in page
    # Nothing outside the file: no src, href or url() anywhere (fonts are the system's).
    assert not re.search(r"\b(src|href)\s*=", page) and "url(" not in page and "@import" not in page
    data = json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', page, re.S)[1])
    with db.read() as s:
        keys = signing_keys.trusted_keys(s)
    assert data["centre"] == CENTRE and data["made_on"] == dt.date.today().isoformat()
    assert data["keys"] == [{"id": signing.key_id(k), "key": k} for k in keys]
    assert data["revoked"] == [
        {"serial": published.serials["revoked"], "issued": "2025-03-20", "status": "revoked", "by": None,
         "by_issued": None},
        {"serial": published.serials["replaced"], "issued": "2025-03-20", "status": "replaced",
         "by": published.serials["reissued"], "by_issued": "2025-04-02"},
    ]
    # What a stranger may see: serials and dates, never a learner's name or a reason.
    for name in published.names.values():
        assert name not in page
    assert "Cấp nhầm người" not in page and "Sai ngày sinh" not in page
    today = dt.date.today().strftime("%d/%m/%Y")
    assert f"Danh sách thu hồi lập ngày {today}" in page
    assert "<summary>Xem danh sách (2 văn bằng)</summary>" in page
    assert f"<td>{published.serials['replaced']}</td><td>20/03/2025</td><td>Đã cấp lại: số hiệu " \
           f"<span class=\"serial\">{published.serials['reissued']}</span>, ngày 02/04/2025</td>" in page
    assert f"<td>{published.serials['revoked']}</td><td>20/03/2025</td><td>Đã thu hồi</td>" in page


def test_the_page_allows_only_its_own_script_and_style_and_no_connection(db: Database, tmp_path: Path) -> None:
    page = _page(publish(db, tmp_path / "site"))
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)[1].replace("&#x27;", "'")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert directives["form-action"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe" not in csp

    def digest(source: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"

    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    assert directives["script-src"].split() == [digest(s) for s in scripts]
    (style,) = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert directives["style-src"] == digest(style)


def test_the_page_script_is_es5_for_old_phones() -> None:
    script = resource_path("verify_page", "page.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*|\"(?:[^\"\\]|\\.)*\"", "", script, flags=re.S)  # no comments, strings
    for es6 in (r"=>", r"\blet\s", r"\bconst\s", "`", r"\bclass\s", r"\basync\b", r"\bawait\b", r"\.\.\."):
        assert not re.search(es6, code), es6


def test_the_vendored_library_is_the_pinned_one_with_its_licence() -> None:
    folder = resource_path("verify_page", *verify_page.VENDOR)
    meta = json.loads((folder / "VENDOR.json").read_text())
    assert (meta["package"], meta["version"]) == ("tweetnacl", "1.0.3")
    assert folder.name == f"{meta['package']}-{meta['version']}"
    assert hashlib.sha256((folder / meta["file"]).read_bytes()).hexdigest() == meta["file_sha256"]
    assert meta["integrity"].startswith("sha512-") and len(base64.b64decode(meta["integrity"][7:])) == 64
    assert "public domain" in (folder / "LICENSE").read_text()
    assert verify_page.vendored_library() == (folder / meta["file"]).read_text()


def test_a_changed_library_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "resources"
    shutil.copytree(resource_path("verify_page"), copy / "verify_page")
    library = copy / "verify_page" / Path(*verify_page.VENDOR) / "nacl-fast.min.js"
    library.write_text(library.read_text().replace("verify", "verifz", 1))
    monkeypatch.setattr(verify_page, "resource_path", lambda *parts: copy.joinpath(*parts))
    with pytest.raises(verify_page.InputError, match="nacl-fast.min.js.*cài lại"):
        verify_page.vendored_library()


def test_a_centre_without_an_enrolled_key_gets_no_page(db: Database, tmp_path: Path) -> None:
    with db.read() as s, pytest.raises(verify_page.InputError, match="Chưa có khóa ký"):
        verify_page.write_verify_page(s, tmp_path)
    assert not (tmp_path / "xac-thuc").exists()


# ---------------------------------------------------------------------------------- command line


def test_the_command_line_writes_the_page_for_anyone_logged_in(db: Database, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    published = publish(db, tmp_path / "first")
    code, doc, err = run_cli("--db", db.url, "certificates", "verify-page", "--out", str(tmp_path / "usb"))
    assert code == 0 and doc == {"path": str(tmp_path / "usb" / "xac-thuc" / "index.html")}
    assert "xac-thuc" in err
    assert Path(doc["path"]).read_text(encoding="utf-8").count(published.serials["revoked"]) == 2  # data, table
    admin = admin_login(db)
    create_account(db, "xem", "viewer", by=admin)
    # Accounts exist: reading the register needs a login, any role.
    code, doc, _err = run_cli("--db", db.url, "certificates", "verify-page", "--out", str(tmp_path / "anon"))
    assert code == 1 and "đăng nhập" in doc["error"] and not (tmp_path / "anon").exists()
    monkeypatch.setenv("DTBD_PASSWORD", PASSWORD)
    code, doc, _err = run_cli("--db", db.url, "--user", "xem", "certificates", "verify-page",
                              "--out", str(tmp_path / "viewer"))
    assert code == 0 and Path(doc["path"]).is_file()
    # Setting the address is a setting: an administrator's.
    code, doc, _err = run_cli("--db", db.url, "--user", "xem", "certificates", "verify-address", "https://x.vn/y")
    assert code == 1
    code, doc, _err = run_cli("--db", db.url, "--user", "quantri", "certificates", "verify-address",
                              "https://tinh.gov.vn/xac-thuc")
    assert code == 0 and doc == {"verify_page_url": "https://tinh.gov.vn/xac-thuc"}
    code, doc, _err = run_cli("--db", db.url, "certificates", "verify-address")
    assert code == 0 and doc == {"verify_page_url": "https://tinh.gov.vn/xac-thuc"}
    code, doc, _err = run_cli("--db", db.url, "--user", "quantri", "certificates", "verify-address", "--clear")
    assert code == 0 and doc == {"verify_page_url": None}


def test_the_command_line_refuses_bad_input_with_its_exit_codes(db: Database, tmp_path: Path) -> None:
    make_class(db, "DVM1", size=1)
    code, _doc, _err = run_cli("--db", db.url, "certificates", "verify-page")
    assert code == 2
    (tmp_path / "a-file").write_text("x")
    code, doc, _err = run_cli("--db", db.url, "certificates", "verify-page", "--out", str(tmp_path / "a-file"))
    assert code == 1 and "không phải thư mục" in doc["error"]
    code, doc, _err = run_cli("--db", db.url, "certificates", "verify-address", "tct.vn/xac-thuc")
    assert code == 1 and doc["rejected"][0]["message"].startswith("Địa chỉ trang xác thực")
    code, _doc, _err = run_cli("--db", db.url, "certificates", "verify-address", ADDRESS, "--clear")
    assert code == 2
    with db.read() as s:
        assert settings.verify_page_link(s) is None
