"""The verification page in a real browser: headless Chromium opens the written page with a
document's QR text after "#", as a phone opening the QR code's link does, and the test reads what
the page shows (its verdict on #result's data-verdict, and the Vietnamese text).

Chromium comes from the Debian package `chromium` (scripts/dev.py test installs it). Without it,
or when it cannot start, these tests skip with the reason on a developer's machine and fail
under CI=true.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dtbd_desktop.services.startup import open_centre
from tests.test_verify_page import CENTRE, Published, publish

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    _skip_or_fail("Chromium is not installed (Debian: apt-get install chromium; scripts/dev.py test installs it)")
    raise AssertionError("unreachable")


class _Elements(HTMLParser):
    """Each element with an id: its attributes and its text (nested text included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, tuple[dict[str, str], list[str]]] = {}
        self.open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        element_id = values.get("id")
        if element_id:
            self.found[element_id] = (values, [])
        if tag not in VOID:
            self.open.append(element_id)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for element_id in self.open:
            if element_id:
                self.found[element_id][1].append(data)


class Shown:
    """What the page shows after its check."""

    def __init__(self, dom: str) -> None:
        parser = _Elements()
        parser.feed(dom)
        self.elements = parser.found

    def text(self, element_id: str) -> str:
        return " ".join("".join(self.elements[element_id][1]).split())

    def attr(self, element_id: str, name: str) -> str | None:
        return self.elements[element_id][0].get(name)

    @property
    def verdict(self) -> str | None:
        return self.attr("result", "data-verdict")

    def hidden(self, element_id: str) -> bool:
        return "hidden" in self.elements[element_id][0]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """One centre for the module: documents issued, revoked, reissued; the page written."""
    folder = tmp_path_factory.mktemp("verify-page")
    previous = os.environ.get("DTBD_DATA_DIR")
    os.environ["DTBD_DATA_DIR"] = str(folder / "userdata")
    try:
        db = open_centre(f"sqlite:///{folder / 'centre.sqlite3'}")
        try:
            yield publish(db, folder / "site")
        finally:
            db.dispose()
    finally:
        if previous is None:
            os.environ.pop("DTBD_DATA_DIR", None)
        else:
            os.environ["DTBD_DATA_DIR"] = previous


def open_page(published: Published, tmp_path: Path, scanned: str | None, *, engine: str | None = None) -> Shown:
    """The page as Chromium shows it when opened with this QR text (the fragment of a link, or the
    plain text of an old QR code), after its asynchronous check."""
    browser = _chromium()
    fragment = "" if scanned is None else "#" + scanned.rsplit("#", 1)[-1]
    url = published.page.as_uri() + (f"?engine={engine}" if engine else "") + fragment
    try:
        run = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
             "--dump-dom", url],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _skip_or_fail(f"Chromium could not run: {exc}")
        raise
    if run.returncode != 0 or "<html" not in run.stdout:
        _skip_or_fail(f"Chromium could not run (exit {run.returncode}): {run.stderr.strip()[-500:]}")
    shown = Shown(run.stdout)
    assert shown.verdict not in (None, "pending"), "the page's script did not finish its check"
    return shown


def _details(shown: Shown) -> dict[str, str]:
    return {key: shown.text(f"d-{key}") for key in ("name", "birth", "course", "result", "serial", "issued", "centre")}


@pytest.mark.parametrize("engine", [None, "tweetnacl"])
def test_a_genuine_document_shows_what_it_says(published: Published, tmp_path: Path, engine: str | None) -> None:
    shown = open_page(published, tmp_path, published.qr["genuine"], engine=engine)
    assert shown.verdict == "genuine"
    assert shown.attr("result", "data-engine") in ((engine,) if engine else ("webcrypto", "tweetnacl"))
    assert shown.text("verdict-title") == "HỢP LỆ: văn bằng do đơn vị cấp"
    today = dt.date.today().strftime("%d/%m/%Y")
    assert shown.text("verdict-text") == (f"Chữ ký số đúng: nội dung dưới đây do {CENTRE} cấp và chưa bị sửa. Văn bằng "
                                          f"không có trong danh sách thu hồi lập ngày {today}.")
    details = _details(shown)
    assert details["name"] == published.names["genuine"]
    assert details["course"] == published.course
    assert details["result"] == "Đạt" and details["serial"] == published.serials["genuine"]
    assert details["issued"] == "20/03/2025" and details["centre"] == CENTRE
    assert details["birth"].count("/") == 2
    assert shown.text("list-date") == f"Danh sách thu hồi lập ngày {today} (hôm nay)."
    assert not shown.hidden("details")


@pytest.mark.parametrize(("case", "verdict", "title", "says"), [
    ("forged_key", "forged", "KHÔNG HỢP LỆ: chữ ký số không đúng", "Mã không được ký bằng khóa nào của đơn vị"),
    ("forged_signature", "forged", "KHÔNG HỢP LỆ: chữ ký số không đúng", "Nội dung mã đã bị sửa sau khi ký"),
    ("forged_data", "forged", "KHÔNG HỢP LỆ: chữ ký số không đúng", "Không công nhận văn bằng này"),
    ("revoked", "revoked", "ĐÃ BỊ THU HỒI: không còn giá trị", f"{CENTRE} đã thu hồi văn bằng này"),
    ("replaced", "replaced", "ĐÃ ĐƯỢC CẤP LẠI: bản này không còn giá trị", "đã được thay bằng văn bằng số hiệu"),
    ("reissued", "genuine", "HỢP LỆ: văn bằng do đơn vị cấp", "Chữ ký số đúng"),
    ("old", "genuine", "HỢP LỆ: văn bằng do đơn vị cấp", "Chữ ký số đúng"),
    ("truncated", "damaged", "Mã QR bị hỏng, không đọc được", "có ký tự sai hoặc bị cắt cụt"),
    ("garbled", "damaged", "Mã QR bị hỏng, không đọc được", "có ký tự sai hoặc bị cắt cụt"),
])
def test_each_verdict_is_marked_and_said_in_vietnamese(published: Published, tmp_path: Path, case: str,
                                                       verdict: str, title: str, says: str) -> None:
    shown = open_page(published, tmp_path, published.qr[case])
    assert shown.verdict == verdict
    assert shown.text("verdict-title") == title
    assert says in shown.text("verdict-text")
    if verdict == "damaged":
        assert shown.hidden("details")
    elif verdict == "forged":
        # What the code claims is shown, marked as not confirmed, without the centre's name.
        assert shown.text("details-caption") == "Nội dung ghi trong mã – KHÔNG được xác nhận:"
        assert shown.text("d-centre") == "(không xác nhận được)"
    else:
        assert shown.text("details-caption") == "Nội dung văn bằng (đã xác nhận đúng chữ ký):"
        assert shown.text("d-serial") == published.serials[case]


def test_replaced_names_the_new_document_and_an_old_code_has_no_course(published: Published, tmp_path: Path) -> None:
    shown = open_page(published, tmp_path, published.qr["replaced"])
    assert f"số hiệu {published.serials['reissued']} cấp ngày 02/04/2025" in shown.text("verdict-text")
    assert shown.text("d-name") == published.names["replaced"]
    old = open_page(published, tmp_path, published.qr["old"])
    assert old.text("d-name") == published.names["old"]
    assert old.text("d-course") == "(mã QR của văn bằng cấp trước khi có trang xác thực không ghi khóa học)"


@pytest.mark.parametrize("case", ["forged_data", "revoked", "truncated"])
def test_tweetnacl_gives_the_same_verdicts(published: Published, tmp_path: Path, case: str) -> None:
    shown = open_page(published, tmp_path, published.qr[case], engine="tweetnacl")
    assert shown.verdict == {"forged_data": "forged", "revoked": "revoked", "truncated": "damaged"}[case]
    if case != "truncated":
        assert shown.attr("result", "data-engine") == "tweetnacl"


def test_without_a_code_the_page_says_how_to_check(published: Published, tmp_path: Path) -> None:
    shown = open_page(published, tmp_path, None)
    assert shown.verdict == "empty"
    assert shown.text("verdict-title") == "Chưa có mã để kiểm tra"
    assert "Quét mã QR trên văn bằng bằng camera điện thoại" in shown.text("verdict-text")
    shown = open_page(published, tmp_path, "K7QX2-M2PA9")  # a short code typed after "#"
    assert shown.verdict == "damaged" and "mã xác thực ngắn" in shown.text("verdict-text")
