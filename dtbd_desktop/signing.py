"""The centre's signing key: every issued document carries a code signed with it (Ed25519).

The private key is a PEM file in the user's data folder (`keys/centre-signing-key.pem`),
created on first use; its public key is recorded in the database (setting
`signing_public_keys`), so any PC with the database can verify codes offline, while only
PCs holding the key file can issue documents.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dtbd_desktop.paths import user_data_dir

KEY_FILE = "centre-signing-key.pem"


def key_path() -> Path:
    return user_data_dir() / "keys" / KEY_FILE


def load_or_create_key(path: Path | None = None) -> Ed25519PrivateKey:
    path = path or key_path()
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pem)
    tmp.chmod(0o600)
    tmp.replace(path)
    return key


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b32encode(raw).decode().rstrip("=")


def key_id(public_text: str) -> str:
    return hashlib.sha256(public_text.encode()).hexdigest()[:6].upper()


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def sign(key: Ed25519PrivateKey, payload: str) -> str:
    """`KEYID.SIGNATURE` (base32) over the UTF-8 payload."""
    return f"{key_id(public_key_text(key))}.{_b32(key.sign(payload.encode('utf-8')))}"


def verify(public_text: str, payload: str, code: str) -> bool:
    try:
        kid, signature = code.split(".", 1)
        if kid != key_id(public_text):
            return False
        public = Ed25519PublicKey.from_public_bytes(_unb32(public_text))
        public.verify(_unb32(signature), payload.encode("utf-8"))
    except (ValueError, InvalidSignature):
        return False
    return True
