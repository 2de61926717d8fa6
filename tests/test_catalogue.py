"""The seeded catalogue and the centre's edits to programmes and rule sets."""

from __future__ import annotations

import datetime as dt

import pytest

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.services import catalogue
from dtbd_desktop.services.catalogue import ModuleEdit
from dtbd_desktop.services.classes import create_class


def test_the_seven_programmes_are_seeded_with_modules_and_default_rules(db: Database) -> None:
    with db.read() as s:
        programmes = {p.code: p for p in catalogue.list_programmes(s)}
    assert set(programmes) == {"SC", "TC", "CC", "DVM", "NTVD", "DT4", "NVCTD"}
    tc = programmes["TC"]
    assert tc.kind == "training" and tc.document_kind == "diploma"
    kinds = {m.kind for m in tc.modules}
    assert {"module", "graduation_exam", "thesis"} <= kinds
    assert tc.rules["pass_mark"] == 5.0
    assert tc.rules["absence_limit_share"] == 0.20
    assert [b["name"] for b in tc.rules["bands"]] == ["Xuất sắc", "Giỏi", "Khá", "Trung bình"]
    assert [b["min"] for b in tc.rules["bands"]] == [9.0, 8.0, 7.0, 5.0]
    assert programmes["NTVD"].kind == "fostering"
    assert programmes["NTVD"].rules["outcome"] == "pass_fail"
    assert programmes["NTVD"].total_periods == 50


def test_seeding_again_adds_nothing_and_keeps_edits(db: Database) -> None:
    with db.write(raw=True) as s:
        tc = catalogue.programme_info(s, "TC")
        catalogue.save_programme(s, "TC", name="Trung cấp LLCT - HC (sửa)", description=None, active=True,
                                 modules=[ModuleEdit(m.code, m.name, m.periods, m.kind, m.part, m.id)
                                          for m in tc.modules])
    with db.write(raw=True) as s:
        assert catalogue.seed_catalogue(s) == 0
        assert catalogue.programme_info(s, "TC").name == "Trung cấp LLCT - HC (sửa)"


def test_editing_module_periods(db: Database) -> None:
    with db.write(raw=True) as s:
        info = catalogue.programme_info(s, "DVM")
        edits = [ModuleEdit(m.code, m.name, m.periods, m.kind, m.part, m.id) for m in info.modules]
        edits[0].periods = 7
        catalogue.save_programme(s, "DVM", name=info.name, description=info.description, active=True, modules=edits)
    with db.read() as s:
        assert catalogue.programme_info(s, "DVM").modules[0].periods == 7


def test_bad_module_rows_are_refused_whole_with_row_numbers(db: Database) -> None:
    with db.read() as s:
        info = catalogue.programme_info(s, "DVM")
    edits = [ModuleEdit(m.code, m.name, m.periods, m.kind, m.part, m.id) for m in info.modules]
    edits[1].code = edits[0].code
    edits[2].periods = -3
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        catalogue.save_programme(s, "DVM", name=info.name, description=None, active=True, modules=edits)
    rows = sorted((p.row, p.column) for p in refused.value.problems)
    assert rows == [(2, "code"), (3, "periods")]
    with db.read() as s:
        assert [m.periods for m in catalogue.programme_info(s, "DVM").modules] == [m.periods for m in info.modules]


def test_rule_set_validation_names_the_field(db: Database) -> None:
    with db.read() as s:
        rules = dict(catalogue.programme_info(s, "TC").rules)
    rules["pass_mark"] = 11
    rules["bands"] = [{"name": "Giỏi", "min": 8.0}, {"name": "Xuất sắc", "min": 9.0}]
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        catalogue.save_rule_set(s, "TC", rules)
    assert {p.field for p in refused.value.problems} == {"pass_mark", "bands"}
    with db.read() as s:
        assert catalogue.programme_info(s, "TC").rules["pass_mark"] == 5.0


def test_rules_in_use_by_a_class_get_a_new_version(db: Database) -> None:
    with db.write(raw=True) as s:
        first = catalogue.programme_info(s, "SC").rule_set_id
        rules = dict(catalogue.programme_info(s, "SC").rules)
        catalogue.save_rule_set(s, "SC", {**rules, "pass_mark": 5.5})
        assert catalogue.programme_info(s, "SC").rule_set_id == first  # not used yet: edited in place
        cls = create_class(s, code="SC1", programme="SC", start=dt.date(2025, 4, 1), end=dt.date(2025, 5, 1))
        assert cls.rule_set_id == first
        catalogue.save_rule_set(s, "SC", {**rules, "pass_mark": 6.0}, name="Quy định 2026")
        newer = catalogue.programme_info(s, "SC")
        assert newer.rule_set_id != first
        assert newer.rules["pass_mark"] == 6.0
        assert cls.rule_set.params["pass_mark"] == 5.5  # the class keeps the rules it was opened with


def test_unknown_programme_lists_the_known_codes(db: Database) -> None:
    with pytest.raises(InputError, match="XYZ.*TC"), db.read() as s:
        catalogue.programme_info(s, "XYZ")


def test_assessment_plans_in_the_rule_set_are_checked(db: Database) -> None:
    with db.read() as s:
        rules = dict(catalogue.programme_info(s, "TC").rules)
    assert rules["thesis_replaces_exams"] is True and rules["final_share"] == 0.0
    bad = {**rules, "assessment": {"I.1": {"components": [{"code": "KT", "name": "Kiểm tra", "weight": -1}]}},
           "final_share": 2}
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        catalogue.save_rule_set(s, "TC", bad)
    assert sorted(p.field for p in refused.value.problems) == ["assessment", "final_share"]
    good = {**rules, "assessment": {"I.1": {"components": [
        {"code": "TX", "name": "Thường xuyên", "weight": 3}, {"code": "THI", "name": "Thi hết học phần", "weight": 7}]}}}
    with db.write(raw=True) as s:
        catalogue.save_rule_set(s, "TC", good)
    with db.read() as s:
        assert catalogue.programme_info(s, "TC").rules["assessment"]["I.1"]["components"][1]["weight"] == 7
