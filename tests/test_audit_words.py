"""The audit log in words: every operation and every detailed entry reads as a Vietnamese sentence.

The example of every operation (from `test_operations`) is run as the administrator on the demo
centre, and the entries it wrote are read back in words.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, Enrolment, Learner, Module, TrainingClass
from dtbd_desktop.services import audit_log, scores
from dtbd_desktop.services.audit_log.operations_words import OPERATION_WORDS
from dtbd_desktop.services.audit_log.records_words import RECORD_WORDS
from dtbd_desktop.trust import operations
from tests.test_operations import CLASS, EXAMPLES, People, World, people, world  # noqa: F401  (fixtures)

PACKAGE = Path(__file__).resolve().parent.parent / "dtbd_desktop"
ENGLISH = re.compile(r"\b(None|True|False|null|operation|score|class|entity|enrolment|graduation_result|"
                     r"certificate|user|issued|revoked|morning|afternoon|present|excused)\b")


def test_every_operation_of_the_registry_has_its_words() -> None:
    missing = sorted(set(operations.REGISTRY) - set(OPERATION_WORDS))
    assert not missing, f"operations without wording in services/audit_log/operations_words.py: {missing}"
    assert not sorted(set(OPERATION_WORDS) - set(operations.REGISTRY))


def _recorded_pairs() -> set[tuple[str, str]]:
    """(action, entity) of every audit.record / record_system call of the program with literal words."""
    found: set[tuple[str, str]] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("record", "record_system")):
                continue
            words = {k.arg: k.value for k in node.keywords}
            if "action" not in words or "entity" not in words or not isinstance(words["entity"], ast.Constant):
                continue
            action = words["action"]
            actions = [action] if isinstance(action, ast.Constant) else (
                [action.body, action.orelse] if isinstance(action, ast.IfExp) else [])
            while any(isinstance(x, ast.IfExp) for x in actions):
                actions = [y for x in actions for y in ([x.body, x.orelse] if isinstance(x, ast.IfExp) else [x])]
            for a in actions:
                if isinstance(a, ast.Constant):
                    found.add((str(a.value), str(words["entity"].value)))
    return found


def test_every_detailed_entry_the_program_records_has_its_words() -> None:
    pairs = _recorded_pairs()
    assert ("score.set", "score") in pairs and ("update", "attendance") in pairs  # the finder finds them
    missing = sorted(pairs - set(RECORD_WORDS))
    assert not missing, f"entries without wording in services/audit_log/records_words.py: {missing}"


def test_every_operation_example_reads_as_a_vietnamese_sentence(world: World, people: People,  # noqa: F811
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    lines: dict[str, list[audit_log.AuditLine]] = {}
    for name in sorted(operations.REGISTRY):
        if name == "users.change_password":
            continue
        op = operations.REGISTRY[name]
        args, kwargs = EXAMPLES[name](world)
        with monkeypatch.context() as patch, operations.reading(world.db, people.admin) as s:
            if name == "certificates.enrol_key":
                patch.setenv("DTBD_DATA_DIR", str(world.folder / "new-pc"))
            last = s.scalar(select(func.max(AuditEntry.id)))
            op(s, *args, **kwargs)
            s.flush()
            names = audit_log.Names(s)
            lines[name] = [audit_log.describe(names, e) for e in s.scalars(
                select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id))]
    for name, found in lines.items():
        for line in found:
            assert line.kind != "other", (name, line.text, line.raw)
            assert "Thay đổi khác" not in line.text and "{" not in line.text, (name, line.text)
            assert not ENGLISH.search(line.text), (name, line.text)
            assert line.who == "Nguyễn Văn Quản", (name, line.who)  # the account's full name
    written = [n for n, found in lines.items() if found]
    assert len(written) > 40  # most examples change something and say so
    # Some sentences in full.
    assert any("Mở lại điểm đã chốt học phần" in line.text and f"lớp {CLASS}" in line.text
               for line in lines["scores.unfinalise"])
    revoked = lines["certificates.revoke"][0]
    assert revoked.text.startswith(f"Thu hồi văn bằng số hiệu {world.serial} của ") and revoked.reason
    assert revoked.class_code == CLASS and revoked.kind_label == "Văn bằng, chứng chỉ"
    marks = lines["attendance.set_marks"]
    assert marks and "vắng có phép" in marks[0].text and f"lớp {CLASS}" in marks[0].text


def test_a_changed_score_reads_with_the_learner_the_class_and_both_values(world: World, people: People  # noqa: F811
                                                                          ) -> None:
    with world.db.read() as s:
        row = s.execute(select(Learner, TrainingClass.code, Enrolment.id).join(
            Enrolment, Enrolment.learner_id == Learner.id).join(TrainingClass, TrainingClass.id == Enrolment.class_id)
            .where(TrainingClass.code == "SC26.02")).first()
        assert row is not None
        learner, code, _eid = row
        national_id, full_name = learner.national_id, learner.full_name
        module = s.scalars(select(Module).join(TrainingClass, TrainingClass.programme_id == Module.programme_id)
                           .where(TrainingClass.code == code).order_by(Module.id)).first()
        assert module is not None
        module_code = module.code
    for value in ("7,4", "2,0"):
        with operations.writing(world.db, people.admin) as s:
            scores.set_score(s, code, national_id, module_code, value, reason="Chấm phúc khảo",
                             allow_locked=True)
    with world.db.read() as s:
        found = audit_log.search(s, class_code=code.lower(), kind="scores", limit=5)
    assert found[0].sentence == (f"Sửa điểm học phần {module_code} của {full_name} (lớp {code}): 7,4 → 2,0"
                                 " — lý do: Chấm phúc khảo")
    assert found[0].who == "Nguyễn Văn Quản"
    assert found[0].when == found[0].at.strftime("%d/%m/%Y %H:%M")
    assert f"điểm học phần {module_code} của {full_name} (lớp {code}): " in found[1].text
    assert found[1].text.endswith(" → 7,4")
    assert found[0].raw["action"] == "score.set" and found[0].raw["new_value"] == "2.0"


def test_the_local_administrator_and_the_filters(demo_db: Database) -> None:
    with demo_db.read() as s:
        every = audit_log.search(s, limit=5000)
        assert {line.who for line in every} == {"Quản trị (máy này)", "Chương trình (dữ liệu mẫu)"}
        assert all("root" not in line.who and "quantri" not in line.who for line in every)
        people = dict(audit_log.people(s))
        assert people["quantri"] == "Quản trị (máy này)"
        a48 = audit_log.search(s, class_code="a48", limit=5000)
        assert a48 and {line.class_code for line in a48} == {"A48"}
        catalogue = audit_log.search(s, kind="catalogue", limit=5000)
        assert catalogue and {line.kind for line in catalogue} == {"catalogue"}
        assert any(line.text.startswith("Thêm giảng viên ") for line in catalogue)
        by_name = audit_log.search(s, text="mo lop a48")  # no diacritics, any case
        assert [line.text.split(" (")[0] for line in by_name] == ["Mở lớp A48"]
        assert audit_log.search(s, since=dt.date.today() + dt.timedelta(days=1)) == []
        assert audit_log.search(s, username="nobody") == []


def test_an_unknown_entry_still_reads_in_vietnamese() -> None:
    from dtbd_desktop.services.audit_log.facts import Facts

    class NoNames:
        session = None

    facts = Facts("xyz.frobnicate", "widget", "7", None, None, None, None, NoNames())  # type: ignore[arg-type]
    kind, text = audit_log._words(facts)
    assert kind == "other" and text == "Thay đổi khác (mã việc xyz.frobnicate, đối tượng widget 7)"


def test_the_audit_check_speaks_vietnamese_and_english_only_when_asked(demo_db: Database) -> None:
    from sqlalchemy import update

    from dtbd_desktop.base.i18n import use_language
    from dtbd_desktop.db.models import Certificate, SigningKey
    from dtbd_desktop.trust import audit_check

    with demo_db.write(raw=True) as s:  # edited with sqlite3, outside the program
        serial = s.scalar(select(Certificate.serial).order_by(Certificate.id).limit(1))
        s.execute(update(Certificate).where(Certificate.serial == serial).values(status="revoked"))
        s.execute(update(SigningKey).values(active=False))
    with demo_db.read() as s:
        problems = [b.problem for b in audit_check.verify(s).breaks]
    assert f"Văn bằng {serial}: cơ sở dữ liệu ghi Đã thu hồi, lần thay đổi cuối trong nhật ký là Đã cấp: đã bị sửa " \
           "ngoài chương trình." in problems
    assert any(p.startswith("Khóa ký văn bằng ") and "thôi dùng" in p for p in problems)
    assert not any(ENGLISH.search(p) for p in problems), problems
    use_language("en")
    with demo_db.read() as s:
        english = [b.problem for b in audit_check.verify(s).breaks]
    assert f"Certificate {serial}: the database holds Revoked, the last change in the log is Issued: altered " \
           "outside the program." in english


def test_an_entry_of_the_first_build_names_the_local_administrator_not_the_computer_s_user(demo_db: Database) -> None:
    from sqlalchemy import update

    with demo_db.write(raw=True) as s:  # as the first build wrote them: the OS user, format 1
        first = s.scalar(select(func.min(AuditEntry.id)))
        s.execute(update(AuditEntry).where(AuditEntry.id == first).values(username="root", format=1))
    with demo_db.read() as s:
        line = audit_log.describe(audit_log.Names(s), s.get(AuditEntry, first))
    assert line.who == "Quản trị (máy này)" and "root" not in line.sentence
    assert line.raw["username"] == "root"  # kept for technical support


def test_the_command_line_offers_every_kind_of_change(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    from dtbd_desktop.cli.commands_admin import AUDIT_KINDS

    assert list(AUDIT_KINDS) == list(audit_log.KINDS)
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    run = subprocess.run([sys.executable, "-m", "dtbd_desktop.cli", "--db", db, "audit", "list", "--kind", "classes",
                          "--json"], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == []
