"""The shipped reference data: the programme catalogue and the demo centre's reference lists.

These files are data, edited by hand; the checks here catch what would otherwise surface only
when a centre seeds its database or builds the demo (bad kinds, duplicate codes, NFD text...).
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dtbd_desktop.base.paths import resource_path
from dtbd_desktop.db.models import (
    DOCUMENT_KINDS,
    LECTURER_KINDS,
    MODULE_KINDS,
    ORGANISATION_BLOCKS,
    ORGANISATION_LEVELS,
    PROGRAMME_KINDS,
    PROGRAMME_LEVELS,
)

CATALOGUE = resource_path("catalogue", "programmes.json")
DEMO = resource_path("demo", "demo_reference.json")
SEEDED_CODES = {"SC", "TC", "CC", "DVM", "NTVD", "DT4", "NVCTD"}
EXAM_KINDS = {"graduation_exam", "thesis"}


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Any]:
    data: dict[str, Any] = _load(CATALOGUE)
    return data


@pytest.fixture(scope="module")
def programmes(catalogue: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["code"]: p for p in catalogue["programmes"]}


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    data: dict[str, Any] = _load(DEMO)
    return data


def _strings(value: Any, where: str = "$") -> Iterator[tuple[str, str]]:
    """Every string in a JSON document (keys too), with a path to say where it is."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{where}.<key>", key
            yield from _strings(item, f"{where}.{key}")


def _walk(nodes: list[dict[str, Any]], depth: int = 0) -> Iterator[tuple[dict[str, Any], int]]:
    for node in nodes:
        yield node, depth
        yield from _walk(node.get("children", []), depth + 1)


# --- both files ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CATALOGUE, DEMO], ids=["catalogue", "demo"])
def test_file_is_utf8_json_with_nfc_clean_text(path: Path) -> None:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    data = json.loads(raw.decode("utf-8"))
    bad = [w for w, s in _strings(data) if not unicodedata.is_normalized("NFC", s)]
    assert not bad, f"not NFC: {bad[:5]}"
    untidy = [w for w, s in _strings(data) if s != s.strip() or "  " in s or not s]
    assert not untidy, f"empty, padded or double-spaced text: {untidy[:5]}"


# --- the programme catalogue ------------------------------------------------------------------


def test_catalogue_has_exactly_the_seeded_programmes(catalogue: dict[str, Any]) -> None:
    assert catalogue["version"] == 1
    codes = [p["code"] for p in catalogue["programmes"]]
    assert len(codes) == len(set(codes))
    assert set(codes) == SEEDED_CODES


def test_programme_kinds_levels_and_documents_are_valid(programmes: dict[str, dict[str, Any]]) -> None:
    for code, p in programmes.items():
        assert p["kind"] in PROGRAMME_KINDS, code
        assert p["level"] in PROGRAMME_LEVELS, code
        assert p["document_kind"] in DOCUMENT_KINDS, code
        assert p["name"] and p["description"] and p["regulation"], code
        if p["kind"] == "training":
            assert p["document_kind"] == "diploma", code
            assert p["level"] != "fostering", code
        else:
            assert p["document_kind"] == "certificate", code
            assert p["level"] == "fostering", code
    assert {c for c, p in programmes.items() if p["kind"] == "training"} == {"SC", "TC", "CC"}
    assert (programmes["SC"]["level"], programmes["TC"]["level"], programmes["CC"]["level"]) == (
        "so_cap",
        "trung_cap",
        "cao_cap",
    )


def test_module_codes_are_unique_short_ascii(programmes: dict[str, dict[str, Any]]) -> None:
    for code, p in programmes.items():
        codes = [m["code"] for m in p["modules"]]
        dupes = [c for c, n in Counter(codes).items() if n > 1]
        assert not dupes, f"{code}: duplicate module codes {dupes}"
        for c in codes:
            assert c.isascii() and 0 < len(c) <= 20 and " " not in c, f"{code}: bad module code {c!r}"


def test_module_kinds_and_periods_are_valid(programmes: dict[str, dict[str, Any]]) -> None:
    for code, p in programmes.items():
        assert p["modules"], code
        for m in p["modules"]:
            where = f"{code}/{m['code']}"
            assert m["kind"] in MODULE_KINDS, where
            assert m["name"], where
            periods = m["periods"]
            assert isinstance(periods, int) and not isinstance(periods, bool), where
            assert periods >= 0, where
            if periods == 0:
                assert m["kind"] in EXAM_KINDS, f"{where}: only exams and theses may have no periods"
            else:
                # Laid out in half-day sessions of 4-5 periods: some number of sessions fits exactly.
                sessions = -(-periods // 5)
                assert 4 * sessions <= periods, (
                    f"{where}: {periods} periods do not split into 4-5 period sessions"
                )
            part = m.get("part")
            assert part is None or (isinstance(part, str) and part), where
        # Ordinary modules exist and come before the exams and the thesis.
        kinds = [m["kind"] for m in p["modules"]]
        assert "module" in kinds, code
        first_exam = next((i for i, k in enumerate(kinds) if k in EXAM_KINDS), len(kinds))
        assert all(k in EXAM_KINDS for k in kinds[first_exam:]), f"{code}: exams must close the programme"


def test_training_programmes_end_in_exams(programmes: dict[str, dict[str, Any]]) -> None:
    for code in ("TC", "CC"):
        kinds = Counter(m["kind"] for m in programmes[code]["modules"])
        assert kinds["graduation_exam"] >= 1 and kinds["thesis"] >= 1, code
    assert any(m["kind"] == "graduation_exam" for m in programmes["SC"]["modules"])
    for code in ("DVM", "NTVD", "DT4", "NVCTD"):
        assert all(m["kind"] == "module" for m in programmes[code]["modules"]), code


def test_programme_lengths_are_realistic(programmes: dict[str, dict[str, Any]]) -> None:
    def total(code: str) -> int:
        return sum(m["periods"] for m in programmes[code]["modules"])

    ntvd = programmes["NTVD"]["modules"]
    assert len(ntvd) == 5 and total("NTVD") == 50, "nhận thức về Đảng: 5 bài, 50 tiết"
    assert len(programmes["DVM"]["modules"]) == 10, "đảng viên mới: 10 bài"
    assert 100 <= total("SC") <= 130
    assert 700 <= total("TC") <= 900
    assert total("CC") > total("TC")
    for code in ("DT4", "NVCTD"):
        assert 20 <= total(code) <= 80, code
    for code in ("SC", "TC", "CC"):
        assert any("thực tế" in m["name"].lower() for m in programmes[code]["modules"]), f"{code}: field trip"


def test_catalogue_loads_through_the_program(programmes: dict[str, dict[str, Any]]) -> None:
    from dtbd_desktop.services.catalogue import load_catalogue_file

    loaded = {p["code"]: p for p in load_catalogue_file()["programmes"]}
    assert loaded == programmes


# --- the demo reference data ------------------------------------------------------------------


def test_centre(demo: dict[str, Any]) -> None:
    centre = demo["centre"]
    assert centre["name"] == "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN"
    assert centre["superior"] == "TỈNH ỦY LONG AN"
    assert centre["place"] == "Long An"
    assert centre["director_title"] == "HIỆU TRƯỞNG"
    assert len(centre["director_name"].split()) >= 3
    assert centre["address"]


def test_organisation_tree_is_valid(demo: dict[str, Any]) -> None:
    roots = demo["organisations"]
    assert [r["level"] for r in roots] == ["province"]
    for node, depth in _walk(roots):
        name = node["name"]
        assert node["level"] in ORGANISATION_LEVELS, name
        assert node["block"] in ORGANISATION_BLOCKS, name
        assert node.get("short_name") is None or node["short_name"], name
        children = node.get("children", [])
        names = [c["name"] for c in children]
        dupes = [n for n, k in Counter(names).items() if k > 1]
        assert not dupes, f"{name}: duplicate children {dupes}"
        if node["level"] == "province":
            assert depth == 0
            assert {c["level"] for c in children} <= {"agency", "district"}
        if node["level"] == "district":
            assert depth == 1, name
            assert {c["level"] for c in children} <= {"agency", "commune"}, name
        if node["level"] == "commune":
            assert depth == 2 and not children, name
    roots_names = [r["name"] for r in roots]
    assert len(roots_names) == len(set(roots_names))


def test_fifteen_districts_each_with_agencies_and_communes(demo: dict[str, Any]) -> None:
    province = demo["organisations"][0]
    districts = [c for c in province["children"] if c["level"] == "district"]
    agencies = [c for c in province["children"] if c["level"] == "agency"]
    assert len(districts) == 15
    assert 10 <= len(agencies) <= 25
    assert {a["block"] for a in agencies} == {"party", "government", "front", "mass"}
    for d in districts:
        kids = d["children"]
        assert 3 <= sum(k["level"] == "agency" for k in kids) <= 5, d["name"]
        assert 4 <= sum(k["level"] == "commune" for k in kids) <= 6, d["name"]
    # demo.py's class plans name the district of a district-centre class by its index in this list.
    assert [d["short_name"] for d in districts[:5]] == [
        "Bến Lức",
        "Cần Giuộc",
        "Cần Đước",
        "Đức Hòa",
        "Thủ Thừa",
    ]


def _weighted(pairs: list[Any]) -> list[str]:
    for pair in pairs:
        assert isinstance(pair, list) and len(pair) == 2, pair
        assert isinstance(pair[0], str) and pair[0], pair
        assert isinstance(pair[1], int | float) and not isinstance(pair[1], bool) and pair[1] > 0, pair
    names = [p[0] for p in pairs]
    assert len(names) == len(set(names)), names
    return names


def test_name_lists(demo: dict[str, Any]) -> None:
    families = _weighted(demo["family_names"])
    assert len(families) >= 20 and families[0] == "Nguyễn"
    for key, least in (
        ("middle_names_male", 20),
        ("middle_names_female", 20),
        ("given_names_male", 70),
        ("given_names_female", 70),
    ):
        values = demo[key]
        assert len(values) >= least, key
        assert len(values) == len(set(values)), key
        assert all(isinstance(v, str) and v for v in values), key
    assert "Văn" in demo["middle_names_male"] and "Thị" in demo["middle_names_female"]
    # Given names exercise the letters and tones that sorting and searching must handle.
    given = "".join(demo["given_names_male"] + demo["given_names_female"]).lower()
    letters = set(unicodedata.normalize("NFD", given))
    for ch in "ăâđêôơư":
        assert ch in given or unicodedata.normalize("NFD", ch)[-1] in letters, ch
    for mark in ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323"):  # huyền, hỏi, ngã, sắc, nặng
        assert mark in letters, repr(mark)


def test_weighted_and_plain_lists(demo: dict[str, Any]) -> None:
    ethnicities = _weighted(demo["ethnicities"])
    assert ethnicities[0] == "Kinh"
    assert max(demo["ethnicities"], key=lambda p: p[1])[0] == "Kinh"
    _weighted(demo["education_levels"])
    assert demo["theory_levels"] and all(isinstance(t, str) and t for t in demo["theory_levels"])
    positions = demo["positions"]
    assert {"commune", "district", "agency"} <= set(positions)
    for level, values in positions.items():
        assert values and len(values) == len(set(values)), level
    assert demo["field_trip_sites"] and len(set(demo["field_trip_sites"])) == len(demo["field_trip_sites"])


def test_lecturers(demo: dict[str, Any]) -> None:
    lecturers = demo["lecturers"]
    assert len(lecturers) == 24
    kinds = [lec["kind"] for lec in lecturers]
    assert all(k in LECTURER_KINDS for k in kinds)
    assert Counter(kinds) == {"full_time": 14, "part_time": 6, "guest": 4}
    # demo.py picks homeroom lecturers among the first 14: they must be the full-time ones.
    assert kinds[:14] == ["full_time"] * 14
    departments = {"Khoa Lý luận cơ sở", "Khoa Xây dựng Đảng", "Khoa Nhà nước và pháp luật", "Khoa Dân vận"}
    full_names = set()
    for lec in lecturers:
        assert lec["family_name"] and lec["given_name"], lec
        assert lec.get("title") in {"ThS.", "TS.", "CN.", None}, lec
        if lec["kind"] == "full_time":
            assert lec["department"] in departments, lec
        else:
            assert lec["department"] is None and lec["workplace"], lec
        full_names.add((lec["family_name"], lec.get("middle_name"), lec["given_name"]))
    assert len(full_names) == 24
