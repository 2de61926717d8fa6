"""Taking secrets and personal numbers out of text before a person or the log file sees it.

`scrub_secrets` is for messages shown to the person at the keyboard: passwords (`password=...`,
the password in a database URL), Argon2 hashes, PEM blocks (private keys) and the bound
parameters of a failed SQL statement go. `scrub_for_log` also hides 9–12 digit numbers
(national IDs, CCCD/CMND, phone numbers), for the log file that a technician may be sent.
"""

from __future__ import annotations

import re

HIDDEN = "***"

_PEM = re.compile(r"-----BEGIN [A-Z0-9 ]+-----.*?(?:-----END [A-Z0-9 ]+-----|\Z)", re.DOTALL)
_ARGON2 = re.compile(r"\$argon2(?:id|i|d)\$[\w+/=,$.\-]*")
# SQLAlchemy's "[parameters: (...)]" that follows "[SQL: ...]" in its messages: the values
# of the row (names, IDs, a new password's hash). It ends at the line's end.
_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
# scheme://user:password@host
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)([^\s/:@]*):([^\s/@]*)@")
# password=..., "password": "...", PGPASSWORD=..., pwd: ...
_PASSWORD = re.compile(
    r"(?i)((?:password|passwd|pwd|mật khẩu|mat_?khau)[\"']?\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&'\")\]}]+)")
_NATIONAL_ID = re.compile(r"(?<!\d)\d{9,12}(?!\d)")


def scrub_secrets(text: str) -> str:
    """`text` without passwords, Argon2 hashes, PEM blocks and SQL parameters."""
    text = _PEM.sub("[PEM " + HIDDEN + "]", text)
    text = _PARAMETERS.sub("[parameters: " + HIDDEN + "]", text)
    text = _ARGON2.sub("$argon2" + HIDDEN, text)
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group(1)}{m.group(2)}:{HIDDEN}@", text)
    return _PASSWORD.sub(lambda m: m.group(1) + HIDDEN, text)


def scrub_for_log(text: str) -> str:
    """`scrub_secrets`, and 9–12 digit numbers (national IDs) hidden too."""
    return _NATIONAL_ID.sub(HIDDEN, scrub_secrets(text))


def without_sql(text: str) -> str:
    """A database driver's message up to SQLAlchemy's "[SQL:" part and its background link."""
    for marker in ("[SQL:", "(Background on this error"):
        cut = text.find(marker)
        if cut >= 0:
            text = text[:cut]
    return text.strip()
