"""Writing a checked plan of past registers, inside the caller's operation (all or nothing):
closed classes, learners, enrolments with their results, register lines kept as printed, the
registers' counters moved past them, and the possible duplicates for a person to decide.

Every graduation result and register line is a protected record: each gets its audit entry with
its state, as issuing does, so that `audit verify` holds them like the program's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import (
    Certificate,
    Enrolment,
    GraduationResult,
    Learner,
    PossibleDuplicate,
    Programme,
    Register,
    TrainingClass,
)
from dtbd_desktop.services import past_registers
from dtbd_desktop.services.catalogue import current_rule_set
from dtbd_desktop.trust import audit, protected, signing
from dtbd_desktop.workbooks.past.plan import PastPlan, PlannedClass, PlannedLine

Progress = Callable[[int, int, str], None]


@dataclass
class Written:
    classes: int = 0
    lines: int = 0
    learners_new: int = 0
    learners_matched: int = 0
    duplicates: int = 0


def _learner(line: PlannedLine) -> Learner:
    p = line.line.person
    assert p.birth_year is not None and p.gender is not None
    return Learner(family_name=p.family, middle_name=p.middle, given_name=p.given, birth_date=p.birth_date,
                   birth_year=p.birth_year, gender=p.gender, ethnicity=p.ethnicity, national_id=p.national_id,
                   place_of_birth=p.place_of_birth, hometown=p.hometown, party_member=p.party_join_date is not None,
                   party_join_date=p.party_join_date, position=p.position, education_level=p.education_level,
                   theory_level=p.theory_level, phone=p.phone, sort_key=p.sort_key, search_key=p.search_key)


def _class(session: Session, planned: PlannedClass, file_name: str) -> TrainingClass:
    programme = session.get(Programme, planned.programme_id)
    assert programme is not None
    rule_set = current_rule_set(programme)
    assert rule_set is not None
    name = tr("past_import", "{programme} - {code}").format(programme=programme.name, code=planned.code)
    cls = TrainingClass(code=planned.code, name=name[:300], programme=programme, rule_set=rule_set, mode=planned.mode,
                        start_date=planned.start, end_date=planned.end, year=planned.start.year, status="closed",
                        note=tr("past_import", "Nhập từ sổ gốc cũ: tệp {file}, trang '{sheet}'.").format(
                            file=file_name, sheet=planned.sheet.name))
    session.add(cls)
    session.flush()
    audit.record(session, action="register.import_class", entity="class", entity_id=cls.code,
                 new={"programme": programme.code, "start": planned.start.isoformat(), "end": planned.end.isoformat(),
                      "file": file_name, "sheet": planned.sheet.name})
    return cls


def write_plan(session: Session, plan: PastPlan, *, today: dt.date, progress: Progress | None = None) -> Written:
    """Write every class and line of `plan` (which must have no problem) in the caller's transaction."""
    file_name = plan.workbook.file_name
    written = Written()
    people: dict[int, Learner] = {}  # id(PlannedLine) of a new person -> record
    enrolments: list[tuple[PlannedClass, PlannedLine, Enrolment]] = []
    total = len(plan.lines)
    done = 0
    for planned in plan.classes:
        if not planned.lines:
            continue
        cls = _class(session, planned, file_name)
        written.classes += 1
        for line in planned.lines:
            if line.learner_id is not None:
                learner = session.get(Learner, line.learner_id)
                assert learner is not None
                written.learners_matched += 1
            elif line.same_as is not None:
                learner = people[id(line.same_as)]
                written.learners_matched += 1
            else:
                learner = _learner(line)
                session.add(learner)
                written.learners_new += 1
            people[id(line)] = learner
            enrolment = Enrolment(training_class=cls, learner=learner, status="completed", confirmation="received",
                                  note=tr("past_import", "Trang '{sheet}' dòng {row}").format(
                                      sheet=line.line.sheet, row=line.line.row))
            session.add(enrolment)
            enrolments.append((planned, line, enrolment))
            done += 1
            if progress is not None and done % 50 == 0:
                progress(done, total, "")
        session.flush()
    _results(session, enrolments)
    registers = _lines(session, enrolments, file_name)
    written.lines = len(enrolments)
    for register in registers:
        past_registers.continue_after(session, register)
        past_registers.close_past(session, register, today)
    written.duplicates = _duplicates(session, plan, people, file_name)
    audit.record(session, action="register.import", entity="file", entity_id=file_name,
                 new={"classes": written.classes, "lines": written.lines, "learners_new": written.learners_new,
                      "learners_matched": written.learners_matched, "possible_duplicates": written.duplicates})
    return written


def _results(session: Session, enrolments: list[tuple[PlannedClass, PlannedLine, Enrolment]]) -> None:
    for planned, line, enrolment in enrolments:
        past = line.line
        result = GraduationResult(enrolment_id=enrolment.id, average=past.average, classification=past.classification,
                                  eligible=True, reasons=[], decision_number=past.decision_number or
                                  planned.decision_number, decision_date=past.decision_date or planned.decision_date)
        session.add(result)
        audit.record(session, action="graduation.import", entity="graduation_result", entity_id=enrolment.id,
                     new={"classification": past.classification, "decision": result.decision_number},
                     state=protected.result_state(True, past.classification, past.average))
    session.flush()


def _lines(session: Session, enrolments: list[tuple[PlannedClass, PlannedLine, Enrolment]],
           file_name: str) -> list[Register]:
    groups: dict[tuple[str, str, int], list[tuple[PlannedLine, Enrolment]]] = {}
    for planned, line, enrolment in enrolments:
        day = line.line.issue_date or line.line.decision_date or planned.end
        groups.setdefault((planned.kind, planned.level, day.year), []).append((line, enrolment))
    registers = []
    for (kind, level, year), items in sorted(groups.items(), key=lambda g: g[0][2]):
        pairs = [(i.line.serial or "", i.line.register_number or i.line.serial or "") for i, _e in items]
        opened = min((i.line.issue_date or i.line.decision_date or dt.date(year, 1, 1)) for i, _e in items)
        register, sequences = past_registers.place_lines(session, kind, level, year, pairs, opened)
        registers.append(register)
        for (item, enrolment), sequence, (serial, number) in zip(items, sequences, pairs, strict=True):
            past = item.line
            issue = past.issue_date or past.decision_date or opened
            full_name = text.nfc(past.person.full_name)
            cert = Certificate(register=register, enrolment=enrolment, sequence=sequence, serial=serial,
                               register_number=number, issue_date=issue, full_name=full_name,
                               birth_date_text=past.birth_printed, place_of_birth=past.person.place_of_birth,
                               gender=past.person.gender or "M", ethnicity=past.person.ethnicity,
                               classification=past.classification, verification_code="",
                               note=tr("past_import", "Nhập từ sổ gốc cũ (tệp {file}, trang '{sheet}', dòng {row}); cấp "
                                                      "trước khi dùng chương trình, không có chữ ký số.").format(
                                   file=file_name, sheet=past.sheet, row=past.row))
            cert.verification_code = signing.past_code(signing.certificate_payload(cert))
            session.add(cert)
            session.flush()
            audit.record(session, action="certificate.import", entity="certificate", entity_id=cert.serial,
                         new={"register_number": cert.register_number, "full_name": cert.full_name,
                              "issue_date": issue.isoformat()}, state=protected.certificate_state(cert))
    return registers


def _duplicates(session: Session, plan: PastPlan, people: dict[int, Learner], file_name: str) -> int:
    count = 0
    for planned in plan.classes:
        for line in planned.lines:
            for stored_id, other_line, _text in line.duplicate_of:
                mine = people[id(line)]
                other_id = stored_id if stored_id is not None else people[id(other_line)].id if other_line else None
                if other_id is None or other_id == mine.id:
                    continue
                kept, other = min(other_id, mine.id), max(other_id, mine.id)
                if session.scalar(select(PossibleDuplicate.id).where(PossibleDuplicate.learner_id == kept,
                                                                     PossibleDuplicate.other_id == other)):
                    continue
                session.add(PossibleDuplicate(learner_id=kept, other_id=other, status="open", source=tr(
                    "past_import", "Tệp {file}, trang '{sheet}', dòng {row}").format(
                        file=file_name, sheet=line.line.sheet, row=line.line.row)[:300]))
                session.flush()
                count += 1
    return count


__all__ = ["Written", "write_plan"]
