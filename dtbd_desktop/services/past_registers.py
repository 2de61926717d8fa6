"""Past register lines in the program's registers, and numbering that continues after them.

A past line keeps its serial and register number exactly as printed. Its register is the
program's register of its kind of document and year (opened when missing). The number series a
serial belongs to is read from the serial itself: the run of digits that is not the year is the
number, the rest the pattern ("0123/TC-2016" is n = 123 in "{n:04d}/TC-{year}", "A 004512" is
n = 4512 in "A {n:06d}"). A register opened for past lines takes the pattern most of its serials
follow; each line's place in the register (`sequence`) is its number when its serial follows
that pattern, else the next free one. So the next document the program numbers continues after
the highest imported serial of each series: in that register, and in every later register whose
pattern has no year (numbering that runs on across years).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.models import Certificate, Register
from dtbd_desktop.services import certificates_numbering as numbering

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Series:
    pattern: str  # a numbering pattern: "{n:04d}/TC-{year}"
    n: int


def infer_series(serial: str, year: int) -> Series | None:
    """The pattern and number of a serial (see the module's docstring), or None without digits."""
    runs = list(_DIGITS.finditer(serial))
    numbers = [m for m in runs if m.group() != str(year)]
    if not numbers:
        return None
    chosen = max(numbers, key=lambda m: (len(m.group()), m.start()))
    digits = chosen.group()
    field = f"{{n:0{len(digits)}d}}" if digits.startswith("0") and len(digits) > 1 else "{n}"
    pieces = []
    last = 0
    for m in runs:
        pieces.append(serial[last:m.start()].replace("{", "{{").replace("}", "}}"))
        if m is chosen:
            pieces.append(field)
        elif m.group() == str(year):
            pieces.append("{year}")
        else:
            pieces.append(m.group())
        last = m.end()
    pieces.append(serial[last:].replace("{", "{{").replace("}", "}}"))
    return Series("".join(pieces), int(digits))


def _follows(pattern: str, serial: str, n: int, year: int) -> bool:
    try:
        return numbering.format_number(pattern, n, year) == serial
    except (ValueError, KeyError, IndexError):
        return False


def _dominant(values: Sequence[str], year: int) -> str | None:
    patterns = Counter(s.pattern for v in values if (s := infer_series(v, year)) is not None)
    if not patterns:
        return None
    pattern = patterns.most_common(1)[0][0]
    try:
        return numbering.check_pattern(pattern, "")
    except InputError:
        return None


def place_lines(session: Session, kind: str, level: str, year: int, lines: Sequence[tuple[str, str]],
                opened_on: dt.date) -> tuple[Register, list[int]]:
    """The register of past lines (serial, register number) of one kind of document and year,
    opened when missing with the patterns the serials follow, and each line's sequence in it.
    The register's counter is moved past them."""
    register = numbering.get_register(session, kind, year, level, opened_on=opened_on)
    used = set(session.scalars(select(Certificate.sequence).where(Certificate.register_id == register.id)))
    if not used:
        serial = _dominant([s for s, _r in lines], year)
        number = _dominant([r for _s, r in lines], year)
        if serial is not None:
            register.serial_pattern = serial
            register.register_pattern = number or serial
        register.opened_on = min(register.opened_on or opened_on, opened_on)
    sequences: list[int | None] = []
    for serial_text, _number in lines:
        series = infer_series(serial_text, year)
        n = series.n if series is not None and _follows(register.serial_pattern, serial_text, series.n, year) else None
        if n is not None and n not in used and n > 0:
            used.add(n)
            sequences.append(n)
        else:
            sequences.append(None)
    free = max(used | {register.last_number}) + 1
    placed: list[int] = []
    for n in sequences:
        if n is None:
            n = free
            used.add(n)
            free += 1
        placed.append(n)
    register.last_number = max(used | {register.last_number})
    session.flush()
    return register, placed


def continue_after(session: Session, register: Register) -> None:
    """Numbering that runs on across years (a serial pattern without {year}): every later
    register of the same kind and pattern numbers after this one's highest."""
    if numbering.has_year(register.serial_pattern):
        return
    for later in session.scalars(select(Register).where(
            Register.kind == register.kind, Register.level == register.level, Register.year > register.year,
            Register.serial_pattern == register.serial_pattern)):
        later.last_number = max(later.last_number, register.last_number)
    session.flush()


def close_past(session: Session, register: Register, today: dt.date) -> None:
    """A register of a year gone by is closed (khóa sổ) on its last issue date."""
    if register.year >= today.year:
        return
    last = session.scalar(select(func.max(Certificate.issue_date)).where(Certificate.register_id == register.id))
    if last is not None:
        register.closed_on = max(register.closed_on or last, last)
        session.flush()


__all__ = ["Series", "close_past", "continue_after", "infer_series", "place_lines"]
