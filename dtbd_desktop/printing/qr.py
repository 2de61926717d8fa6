"""A fast QR code encoder for the verification codes printed on certificates.

segno (a well-kept pure-Python QR library) is the reference: it takes about 12 ms per code
(3 ms with a fixed mask), which makes a class of 1,000 certificates spend seconds on QR codes
alone. The codes printed here are always of one kind, alphanumeric text ("DTBD1:..." in
upper-case base32), so this module encodes only that mode, at error correction level M, with
a fixed mask, and precomputes per version everything that does not depend on the text: the
function patterns, the format and version information, the order in which data bits are
placed and the mask. Encoding is then Reed–Solomon over a few hundred bytes and flipping the
modules of the set bits: about 0.2 ms.

A link to the centre's verification page (`https://.../xac-thuc#DTBD1:...`) is encoded as two
segments: the address up to and including "#" in byte mode (it has lower-case letters), the
signed text after it in alphanumeric mode, so a link costs only its address more than the bare
text.

The output is tested module for module against `segno.make(..., mode="alphanumeric",
error="m", mask=MASK, boost_error=False)` (tests/test_certificates_qr.py), and with the same two
segments for a link. The error correction block table is segno's (`segno.consts.ECC`).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from segno import consts as segno_consts

_ECC: Any = segno_consts.ECC  # {version: {error level: (EC(num_blocks, num_total, num_data), ...)}}

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM_VALUE = {ch: i for i, ch in enumerate(ALPHANUMERIC)}
_ALNUM_SET = frozenset(ALPHANUMERIC)
MASK = 0  # checkerboard: never yields the long runs and blocks the penalty rules guard against here
ERROR_LEVEL = "M"  # recovers 15% damage: a stamp or a fold across the code
_FORMAT_EC_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}
_SEGNO_LEVEL = {"L": segno_consts.ERROR_LEVEL_L, "M": segno_consts.ERROR_LEVEL_M,
                "Q": segno_consts.ERROR_LEVEL_Q, "H": segno_consts.ERROR_LEVEL_H}
MAX_VERSION = 40


class QrError(ValueError):
    """The text cannot be encoded (a character outside the alphanumeric set, or too long)."""


# ---------------------------------------------------------------------------------- GF(256)

_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _gf_mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


@lru_cache(maxsize=64)
def _rs_table(degree: int) -> tuple[int, ...]:
    """For each factor f, the generator polynomial times f as one big-endian integer, so that a
    Reed–Solomon step is one shift and one XOR of Python integers."""
    divisor = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for j in range(degree):
            divisor[j] = _gf_mul(divisor[j], root)
            if j + 1 < degree:
                divisor[j] ^= divisor[j + 1]
        root = _gf_mul(root, 2)
    return tuple(int.from_bytes(bytes(_gf_mul(c, f) for c in divisor), "big") for f in range(256))


def _rs_remainder(data: bytes, degree: int) -> bytes:
    table = _rs_table(degree)
    shift = 8 * (degree - 1)
    full = (1 << (8 * degree)) - 1
    register = 0
    for byte in data:
        factor = byte ^ (register >> shift)
        register = ((register << 8) & full) ^ table[factor]
    return register.to_bytes(degree, "big")


# ---------------------------------------------------------------------------------- symbol


def _alignment_positions(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    size = version * 4 + 17
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    return [6] + sorted(size - 7 - i * step for i in range(count - 1))


def _format_bits(level: str, mask: int) -> int:
    data = _FORMAT_EC_BITS[level] << 3 | mask
    rem = data
    for _ in range(10):
        rem = (rem << 1) ^ ((rem >> 9) * 0x537)
    return (data << 10 | rem) ^ 0x5412


def _version_bits(version: int) -> int:
    rem = version
    for _ in range(12):
        rem = (rem << 1) ^ ((rem >> 11) * 0x1F25)
    return version << 12 | rem


def _mask_bit(mask: int, x: int, y: int) -> bool:
    return [
        (x + y) % 2 == 0,
        y % 2 == 0,
        x % 3 == 0,
        (x + y) % 3 == 0,
        (x // 3 + y // 2) % 2 == 0,
        x * y % 2 + x * y % 3 == 0,
        (x * y % 2 + x * y % 3) % 2 == 0,
        ((x + y) % 2 + x * y % 3) % 2 == 0,
    ][mask]


@dataclass(frozen=True)
class _Symbol:
    """What does not depend on the text, for one version, error level and mask."""

    version: int
    size: int
    base: bytes  # row-major modules (1 dark): function patterns, with the mask over all-zero data
    positions: tuple[int, ...]  # module index of data bit i, in placement order
    gather: Callable[[bytes], Any]  # bits in placement order -> the bit of each module (0 where none)
    blocks: tuple[tuple[int, int], ...]  # (data codewords, ec codewords) per block
    data_codewords: int


@lru_cache(maxsize=48)
def _symbol(version: int, level: str = ERROR_LEVEL, mask: int = MASK) -> _Symbol:
    size = version * 4 + 17
    dark = bytearray(size * size)
    function = bytearray(size * size)

    def put(x: int, y: int, on: bool) -> None:
        dark[y * size + x] = 1 if on else 0
        function[y * size + x] = 1

    for i in range(size):
        put(6, i, i % 2 == 0)
        put(i, 6, i % 2 == 0)
    for cx, cy in ((3, 3), (size - 4, 3), (3, size - 4)):
        for dy in range(-4, 5):
            for dx in range(-4, 5):
                x, y = cx + dx, cy + dy
                if 0 <= x < size and 0 <= y < size:
                    put(x, y, max(abs(dx), abs(dy)) not in (2, 4))
    centres = _alignment_positions(version)
    last = len(centres) - 1
    for i, ay in enumerate(centres):
        for j, ax in enumerate(centres):
            if (i, j) in ((0, 0), (0, last), (last, 0)):
                continue
            for dy in range(-2, 3):
                for dx in range(-2, 3):
                    put(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1)
    bits = _format_bits(level, mask)
    for i in range(6):
        put(8, i, bool(bits >> i & 1))
    put(8, 7, bool(bits >> 6 & 1))
    put(8, 8, bool(bits >> 7 & 1))
    put(7, 8, bool(bits >> 8 & 1))
    for i in range(9, 15):
        put(14 - i, 8, bool(bits >> i & 1))
    for i in range(8):
        put(size - 1 - i, 8, bool(bits >> i & 1))
    for i in range(8, 15):
        put(8, size - 15 + i, bool(bits >> i & 1))
    put(8, size - 8, True)
    if version >= 7:
        vbits = _version_bits(version)
        for i in range(18):
            on = bool(vbits >> i & 1)
            a, b = size - 11 + i % 3, i // 3
            put(a, b, on)
            put(b, a, on)

    order: list[int] = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        for vert in range(size):
            for j in range(2):
                x = right - j
                upward = ((right + 1) & 2) == 0
                y = size - 1 - vert if upward else vert
                index = y * size + x
                if not function[index]:
                    order.append(index)
        right -= 2
    for index in order:  # mask over all-zero data (remainder bits included)
        y, x = divmod(index, size)
        if _mask_bit(mask, x, y):
            dark[index] = 1

    blocks: list[tuple[int, int]] = []
    for group in _ECC[version][_SEGNO_LEVEL[level]]:
        blocks.extend([(group.num_data, group.num_total - group.num_data)] * group.num_blocks)
    data_codewords = sum(d for d, _e in blocks)
    total_codewords = sum(d + e for d, e in blocks)
    positions = tuple(order[: total_codewords * 8])
    gather = [len(positions)] * (size * size)
    for bit, index in enumerate(positions):
        gather[index] = bit
    return _Symbol(version, size, bytes(dark), positions, operator.itemgetter(*gather), tuple(blocks),
                   data_codewords)


def _count_bits(version: int) -> int:
    return 9 if version <= 9 else 11 if version <= 26 else 13


def _byte_count_bits(version: int) -> int:
    return 8 if version <= 9 else 16


def split_link(text: str) -> tuple[bytes, str]:
    """(the byte-mode head, the alphanumeric tail) of a text: all of it alphanumeric, or a link
    whose address (printable ASCII, no space) ends at its last "#" with an alphanumeric fragment."""
    if _ALNUM_SET.issuperset(text):
        return b"", text
    head, hash_sign, tail = text.rpartition("#")
    link = bool(hash_sign) and head.isascii() and head.isprintable() and " " not in head
    if link and _ALNUM_SET.issuperset(tail):
        return (head + hash_sign).encode("ascii"), tail
    bad = next(ch for ch in (tail if link else text) if ch not in _ALNUM_SET)
    raise QrError(f"QR: character {bad!r} is neither alphanumeric nor part of a link")


_PAIR_BITS = {a + b: format(_ALNUM_VALUE[a] * 45 + _ALNUM_VALUE[b], "011b")
              for a in ALPHANUMERIC for b in ALPHANUMERIC}
_PAIRS = re.compile(r"..", re.DOTALL)


def _data_bits(text: str, version: int, head: bytes = b"") -> str:
    """The segments (mode, count, data) as a string of '0' and '1': a byte segment for `head` when
    there is one, then the alphanumeric segment of `text`."""
    parts = []
    if head:
        parts += ["0100", format(len(head), f"0{_byte_count_bits(version)}b"),
                  format(int.from_bytes(head, "big"), f"0{8 * len(head)}b")]
    parts += ["0010", format(len(text), f"0{_count_bits(version)}b"), *map(_PAIR_BITS.__getitem__, _PAIRS.findall(text))]
    if len(text) % 2:
        parts.append(format(_ALNUM_VALUE[text[-1]], "06b"))
    return "".join(parts)


def _segment_length(chars: int, version: int, head_bytes: int = 0) -> int:
    head = 4 + _byte_count_bits(version) + 8 * head_bytes if head_bytes else 0
    return head + 4 + _count_bits(version) + 11 * (chars // 2) + 6 * (chars % 2)


def choose_version(text: str, level: str = ERROR_LEVEL) -> int:
    head, tail = split_link(text)
    for version in range(1, MAX_VERSION + 1):
        if _segment_length(len(tail), version, len(head)) <= _symbol_capacity_bits(version, level):
            return version
    raise QrError(f"QR: text of {len(text)} characters is too long")


@lru_cache(maxsize=128)
def _symbol_capacity_bits(version: int, level: str) -> int:
    return int(sum(g.num_data * g.num_blocks for g in _ECC[version][_SEGNO_LEVEL[level]])) * 8


def qr_matrix(text: str, *, version: int | None = None) -> tuple[int, bytes]:
    """Encode `text` (alphanumeric characters only, or a link whose fragment is: `split_link`);
    returns (size, modules) where `modules` holds size×size bytes row by row, 1 for a dark module.
    No quiet zone is included."""
    head, alphanumeric = split_link(text)
    version = version or choose_version(text)
    symbol = _symbol(version)
    bits = _data_bits(alphanumeric, version, head)
    capacity = symbol.data_codewords * 8
    if len(bits) > capacity:
        raise QrError(f"QR: text does not fit version {version}")
    bits += "0" * min(4, capacity - len(bits))  # terminator
    bits += "0" * (-len(bits) % 8)
    data = int(bits, 2).to_bytes(len(bits) // 8, "big")
    padding = bytes((0xEC, 0x11)) * symbol.data_codewords
    data += padding[: symbol.data_codewords - len(data)]

    data_blocks: list[bytes] = []
    ec_blocks: list[bytes] = []
    offset = 0
    for n_data, n_ec in symbol.blocks:
        block = data[offset:offset + n_data]
        offset += n_data
        data_blocks.append(block)
        ec_blocks.append(_rs_remainder(block, n_ec))
    count = len(data_blocks)
    short = min(len(b) for b in data_blocks)
    stream = bytearray(len(data) + sum(len(e) for e in ec_blocks))
    for j, block in enumerate(data_blocks):  # interleave: first bytes of every block, then the next...
        stream[j:count * short:count] = block[:short]
    tail = count * short
    for block in data_blocks:
        if len(block) > short:
            stream[tail] = block[short]
            tail += 1
    ec_len = len(ec_blocks[0])
    for j, block in enumerate(ec_blocks):
        stream[tail + j:tail + count * ec_len:count] = block

    nbits = len(stream) * 8
    placed = format(int.from_bytes(stream, "big"), f"0{nbits}b").encode().translate(_ASCII_TO_BIT) + b"\x00"
    layer = bytes(symbol.gather(placed))
    n = symbol.size * symbol.size
    modules = (int.from_bytes(symbol.base, "big") ^ int.from_bytes(layer, "big")).to_bytes(n, "big")
    return symbol.size, modules


_ASCII_TO_BIT = bytes.maketrans(b"01", b"\x00\x01")


__all__ = ["ALPHANUMERIC", "ERROR_LEVEL", "MASK", "QrError", "choose_version", "qr_matrix", "split_link"]
