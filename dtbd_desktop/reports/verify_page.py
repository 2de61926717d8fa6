"""The static verification page: one HTML file that anyone can open on a phone to check a
document's QR code, with no server, no database and no network.

The page (`resources/verify_page/`: `page.html`, `page.css`, `page.js`) carries, inline, the
centre's trusted public keys and its revocation list as of the day it is written
(`services.certificates.verify_page`), TweetNaCl (`vendor/`, pinned, with its integrity hash and
licence) for browsers whose WebCrypto has no Ed25519, and a Content-Security-Policy that allows
only its own inline script and style (by hash) and no connection, form target, frame or outside
resource. A QR code linking to the page carries its signed text after "#", which the browser
never sends to any server.

The page is Vietnamese whatever the program's language: it is a public document of the centre,
like the certificates themselves.

Writing it changes no record; reading the register needs a login once the database has accounts
(`operations.reading`, as the register's export does).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

from sqlalchemy.orm import Session

from dtbd_desktop import __version__
from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.paths import resource_path
from dtbd_desktop.services.certificates.verify_page import VerifyPageData, verify_page_data

PAGE_FOLDER = "xac-thuc"  # the page is PAGE_FOLDER/index.html: https://.../xac-thuc opens it
PAGE_FILE = "index.html"
VENDOR = ("vendor", "tweetnacl-1.0.3")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def _resource(*parts: str) -> str:
    return resource_path("verify_page", *parts).read_text(encoding="utf-8")


def vendored_library() -> str:
    """TweetNaCl's browser file, refused if it is not the file recorded in VENDOR.json."""
    meta = json.loads(_resource(*VENDOR, "VENDOR.json"))
    code = resource_path("verify_page", *VENDOR, meta["file"]).read_bytes()
    if hashlib.sha256(code).hexdigest() != meta["file_sha256"]:
        raise InputError(tr("reports", "Tệp thư viện {name} của trang xác thực đã bị thay đổi: hãy cài lại chương "
                                       "trình.").format(name=meta["file"]))
    return code.decode("utf-8")


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(scripts: list[str], style: str) -> str:
    """Only these inline scripts and this style (by hash), images as data: URLs, and nothing
    else: no connection (fetch, XHR, WebSocket, beacons), form target, frame or base URL.
    (frame-ancestors is left out: browsers ignore it in a <meta> policy.)"""
    return "; ".join([
        "default-src 'none'", "script-src " + " ".join(_csp_hash(s) for s in scripts), f"style-src {_csp_hash(style)}",
        "img-src data:", "connect-src 'none'", "form-action 'none'", "base-uri 'none'",
    ])


def _json_for_html(value: object) -> str:
    """JSON safe inside a <script> element (no "</script>", no "<!--")."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")


def _revocation_list(data: VerifyPageData) -> str:
    if not data.revocations:
        return "<p id=\"revoked-none\">Không có văn bằng nào bị thu hồi hoặc cấp lại.</p>"
    rows = []
    for r in data.revocations:
        if r.status == "replaced":
            what = "Đã cấp lại: số hiệu <span class=\"serial\">" + html.escape(r.replaced_by or "?") + "</span>"
            if r.replaced_on:
                what += ", ngày " + text.format_date(r.replaced_on)
        else:
            what = "Đã thu hồi"
        rows.append(f"<tr><td>{html.escape(r.serial)}</td><td>{text.format_date(r.issue_date)}</td><td>{what}</td></tr>")
    return ("<details id=\"revoked-list\"><summary>" + f"Xem danh sách ({len(data.revocations)} văn bằng)"
            + "</summary><table><thead><tr><th>Số hiệu</th><th>Ngày cấp</th><th>Tình trạng</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></details>")


def render_page(data: VerifyPageData) -> str:
    """The page's HTML for this data."""
    style = _resource("page.css")
    script = _resource("page.js")
    library = vendored_library()
    centre = data.centre_name or "Trung tâm"
    values = {
        "csp": html.escape(content_security_policy([library, script], style)),
        "version": html.escape(__version__),
        "style": style, "nacl": library, "script": script,
        "centre_name": html.escape(centre),
        "superior_body": html.escape(data.superior_body),
        "made_on": text.format_date(data.made_on), "made_on_iso": data.made_on.isoformat(),
        "revocation_list": _revocation_list(data),
        "key_list": ", ".join(f"<code>{html.escape(k.key_id)}</code>" for k in data.keys) or "(chưa có)",
        "data": _json_for_html(data.as_json()),
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _resource("page.html"))


def write_verify_page(session: Session, folder: str | Path) -> Path:
    """Write the page with today's keys and revocation list to FOLDER/xac-thuc/index.html (the
    folder is made when missing; a page already there is replaced whole). Returns the file."""
    data = verify_page_data(session)
    if not data.keys:
        raise InputError(tr("reports", "Chưa có khóa ký văn bằng nào được đăng ký nên trang xác thực không kiểm tra "
                                       "được văn bằng nào: quản trị hãy đăng ký khóa trước (Quản trị → Khóa ký văn "
                                       "bằng)."))
    base = Path(folder).expanduser()
    if base.exists() and not base.is_dir():
        raise InputError(tr("reports", "{path} là một tệp, không phải thư mục: hãy chọn một thư mục để ghi trang xác "
                                       "thực.").format(path=base))
    target = base / PAGE_FOLDER / PAGE_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(tr("reports", "Không tạo được thư mục {path}: {reason}.").format(
            path=target.parent, reason=exc.strerror or exc)) from exc
    page = render_page(data)
    with atomic_output(target) as temp:
        temp.write_text(page, encoding="utf-8", newline="\n")
    return target
