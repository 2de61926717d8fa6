"""The centre's signing key and the codes that make a document verifiable offline (Ed25519).

Each issued document is signed with Ed25519 (the `cryptography` library) over its payload:
the serial, the learner's name and date of birth, the issue date and the classification, as
the register holds them (`signing.signed_payload`). One signature, three forms:

* **stored** in the register line (`Certificate.verification_code`): `SHORT.KEYID.SIGNATURE`,
  the signature in base64url;
* **printed** as a short verification code, `SHORT`, ten characters in two groups
  ("K7QX2-M2PA9"; Crockford's base32, so O/0 and I/L/1 typed either way are the same): the
  first 50 bits of a SHA-256 of the signature. It is a key into the register: the line it
  names is found and its signature checked against the line's own data, so a made-up or
  altered code finds nothing (a guess hits one of N documents with chance N / 2^50);
* **in the QR code**, `DTBD1:PAYLOAD:KEYID:SIGNATURE`, all in upper-case base32 so that the
  QR code uses its compact alphanumeric mode and a USB scanner typing into a text box cannot
  mangle it: this form carries the signed data itself and checks with the public key alone.
  When the centre has published its verification page (`reports.verify_page`), the QR code is a
  link to it with that text as the fragment, `https://.../xac-thuc#DTBD1:...` (`qr_text` with a
  base address): a phone opens the page, which checks the signature in the browser, and the
  fragment never leaves the phone. `parse_qr` reads both forms.

The payload of a document issued since the verification page also names its course (the class's
name, frozen in the register line as `Certificate.course`), so the page can show it under the
signature; a document issued before has five fields and no course (`signed_payload`).

The private key is a PEM file in the user's data folder (`keys/centre-signing-key.pem`),
made on the first issue on that PC. Public keys are recorded in the database (setting
`signing_public_keys`, a list: each PC that ever issued adds its own), so every PC with the
database verifies every code, and only PCs holding a key file can issue.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dtbd_desktop.base.paths import private_dir, private_file, user_data_dir
from dtbd_desktop.base.text import nfc

if TYPE_CHECKING:
    from dtbd_desktop.db.models import Certificate

KEY_FILE = "centre-signing-key.pem"
QR_PREFIX = "DTBD1"
SHORT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
SHORT_LENGTH = 10
_SHORT_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHORT_SEPARATORS = re.compile(r"[\s\-._]")


def key_path() -> Path:
    return user_data_dir() / "keys" / KEY_FILE


def load_key(path: Path | None = None) -> Ed25519PrivateKey | None:
    """This PC's private key, or None when it has none (it can verify, not issue)."""
    path = path or key_path()
    if not path.exists():
        return None
    private_file(path)  # a key file copied in from a USB disk keeps the disk's loose mode
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 key")
    return key


def load_or_create_key(path: Path | None = None) -> Ed25519PrivateKey:
    """This PC's private key, made (file readable by the owner only) on first use."""
    path = path or key_path()
    key = load_key(path)
    if key is not None:
        return key
    key = Ed25519PrivateKey.generate()
    private_dir(path.parent)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    tmp = path.with_suffix(".tmp")
    tmp.touch()
    private_file(tmp)  # before the key is in it
    tmp.write_bytes(pem)
    tmp.replace(path)
    return key


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as base32 text (52 characters), as recorded in the database."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b32(raw)


def load_public(public_text: str | None, cache: dict[str, Ed25519PublicKey | None] | None = None
                ) -> Ed25519PublicKey | None:
    """A public key from its base32 text; None when it is not one (a damaged record)."""
    if not public_text:
        return None
    if cache is not None and public_text in cache:
        return cache[public_text]
    try:
        key: Ed25519PublicKey | None = Ed25519PublicKey.from_public_bytes(_unb32(public_text))
    except (ValueError, binascii.Error):
        key = None
    if cache is not None:
        cache[public_text] = key
    return key


def signed_by(public_text: str | None, signature: bytes, message: bytes,
              cache: dict[str, Ed25519PublicKey | None] | None = None) -> bool:
    """Whether `signature` is this public key's signature of `message`."""
    key = load_public(public_text, cache)
    if key is None:
        return False
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def key_id(public_text: str) -> str:
    """Six hex digits naming a public key in codes."""
    return hashlib.sha256(public_text.encode()).hexdigest()[:6].upper()


# ---------------------------------------------------------------------------------- encodings


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def _unb32(value: str) -> bytes:
    return base64.b32decode(value + "=" * (-len(value) % 8))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def short_code(signature: bytes) -> str:
    """The printed code of a signature: "K7QX2-M2PA9"."""
    number = int.from_bytes(hashlib.sha256(b"dtbd-short-code:" + signature).digest()[:8], "big")
    number >>= 64 - 5 * SHORT_LENGTH
    chars = [SHORT_ALPHABET[(number >> (5 * (SHORT_LENGTH - 1 - i))) & 31] for i in range(SHORT_LENGTH)]
    half = SHORT_LENGTH // 2
    return "".join(chars[:half]) + "-" + "".join(chars[half:])


def normalise_short_code(value: str) -> str | None:
    """A typed short code in its printed form ("k7qx2 m2pa9" -> "K7QX2-M2PA9"), or None when it
    cannot be one (wrong length or a character outside the alphabet)."""
    compact = _SHORT_SEPARATORS.sub("", value.strip().upper()).translate(_SHORT_TYPOS)
    if len(compact) != SHORT_LENGTH or any(ch not in SHORT_ALPHABET for ch in compact):
        return None
    half = SHORT_LENGTH // 2
    return compact[:half] + "-" + compact[half:]


# ---------------------------------------------------------------------------------- signing


PAYLOAD_SEPARATOR = "|"


def course_text(value: str) -> str:
    """A course name as it is frozen and signed: NFC, spaces tidied, no field separator in it."""
    return " ".join(nfc(value).replace(PAYLOAD_SEPARATOR, "/").split())


def signed_payload(serial: str, full_name: str, birth: str, issue_date: dt.date, classification: str | None,
                   course: str | None = None) -> str:
    """The text a document's signature covers, from its register line: serial, full name, birth
    date, issue date, classification and, for documents issued since the verification page, the
    course (`course_text`). A line without a course (issued before) has the first five fields."""
    fields = [nfc(serial), nfc(full_name), birth, issue_date.isoformat(), classification or ""]
    if course is not None:
        fields.append(course_text(course))
    return PAYLOAD_SEPARATOR.join(fields)


def certificate_payload(cert: Certificate) -> str:
    return signed_payload(cert.serial, cert.full_name, cert.birth_date_text, cert.issue_date, cert.classification,
                          cert.course)


#: The code of a register line brought in from a past register (issued before the program): no
#: signature, only the digest of what the line says, so that the audit log's state of the line
#: (`protected.certificate_state`) changes if the line is edited outside the program.
PAST_PREFIX = "past:"


def past_code(payload: str) -> str:
    return PAST_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]


def is_past(code: str) -> bool:
    return code.startswith(PAST_PREFIX)


def past_matches(cert: Certificate) -> bool:
    """Whether a past line still says what it said when it was imported."""
    return cert.verification_code == past_code(certificate_payload(cert))


@dataclass(frozen=True)
class StoredCode:
    """The parts of a stored verification code."""

    short: str
    key_id: str
    signature: bytes

    def text(self) -> str:
        return f"{self.short}.{self.key_id}.{_b64(self.signature)}"


def sign(key: Ed25519PrivateKey, payload: str) -> str:
    """The stored code `SHORT.KEYID.SIGNATURE` for the UTF-8 payload."""
    signature = key.sign(payload.encode("utf-8"))
    return StoredCode(short_code(signature), key_id(public_key_text(key)), signature).text()


def parse_stored(code: str) -> StoredCode | None:
    parts = code.split(".")
    if len(parts) != 3:
        return None
    try:
        signature = _unb64(parts[2])
    except (binascii.Error, ValueError):
        return None
    if len(signature) != 64:
        return None
    return StoredCode(parts[0], parts[1], signature)


def _check(public_text: str, payload: str, kid: str, signature: bytes) -> bool:
    if kid != key_id(public_text):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(_unb32(public_text)).verify(signature, payload.encode("utf-8"))
    except (ValueError, binascii.Error, InvalidSignature):
        return False
    return True


def verify(public_text: str, payload: str, code: str) -> bool:
    """Whether a stored code is a genuine signature of `payload` by this public key, and its
    short code belongs to that signature."""
    stored = parse_stored(code)
    if stored is None or stored.short != short_code(stored.signature):
        return False
    return _check(public_text, payload, stored.key_id, stored.signature)


def verify_any(public_texts: Iterable[str], payload: str, code: str) -> bool:
    """`verify` against every known public key (each PC that issued has its own)."""
    return any(verify(public, payload, code) for public in public_texts)


# ---------------------------------------------------------------------------------- QR code


def qr_text(payload: str, code: str, link: str | None = None) -> str:
    """What the QR code holds: `DTBD1:PAYLOAD:KEYID:SIGNATURE`, upper-case base32 throughout; with
    `link` (the address of the centre's verification page), that text as the link's fragment:
    `https://.../xac-thuc#DTBD1:...`."""
    stored = parse_stored(code)
    if stored is None:
        raise ValueError("not a stored verification code")
    signed = ":".join((QR_PREFIX, _b32(payload.encode("utf-8")), stored.key_id, _b32(stored.signature)))
    return f"{link}#{signed}" if link else signed


@dataclass(frozen=True)
class QrContent:
    payload: str
    key_id: str
    signature: bytes

    @property
    def short(self) -> str:
        return short_code(self.signature)


def signed_part(value: str) -> str:
    """The `DTBD1:...` text of a scanned QR code: itself, or the fragment of a link to the
    verification page (`https://.../xac-thuc#DTBD1:...`, percent-escapes undone)."""
    value = value.strip()
    if "#" in value:
        value = urllib.parse.unquote(value.rsplit("#", 1)[1]).strip()
    return value


def parse_qr(value: str) -> QrContent | None:
    """The content of a scanned QR code (the plain text or a link to the verification page), or
    None when the text is not one of ours."""
    parts = signed_part(value).upper().split(":")
    if len(parts) != 4 or parts[0] != QR_PREFIX:
        return None
    try:
        payload = _unb32(parts[1]).decode("utf-8")
        signature = _unb32(parts[3])
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    # Only the canonical spelling: base32's unused trailing bits must not give a second form.
    if len(signature) != 64 or _b32(signature) != parts[3] or _b32(payload.encode("utf-8")) != parts[1]:
        return None
    return QrContent(payload, parts[2], signature)


def verify_qr(public_texts: Iterable[str], content: QrContent) -> bool:
    """Whether the QR code's signature over its own payload is genuine."""
    return any(_check(public, content.payload, content.key_id, content.signature) for public in public_texts)
