"""Module results → eligibility, average, classification and rank, as pure functions.

Everything here works on plain values and a rule set (a dict, see `rule_sets.py`); nothing reads
the database. The module results come from `scores.py` (`module_result`).

`review_learner` applies the graduation (or completion) rules to every module result and to
the learner's confirmation, discipline and attendance, and returns the outcome: eligible or
not with the reasons in plain Vietnamese, the average, the classification with its
downgrades. `rank` orders the eligible learners. `rules_summary` says the rules applied in
words, as printed at the foot of the result documents.

Rule-set keys read here beyond the defaults of `rule_sets.py` (all optional):
`final_share` (share of the overall average given to the graduation exams or thesis; default
0: the average is over the modules), `thesis_replaces_exams` (default True), `essay_module`
(code of the module holding a short course's bài thu hoạch; default: the programme's final
exam module if any, else its last module).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.base.text import fold, format_decimal, round_half_up
from dtbd_desktop.rules.scores import (
    ORDINARY,
    ZERO,
    ModuleResult,
    kind_label,
    pass_mark,
    score_text,
    weighted_average,
    weighted_mean,
)

FINAL_KINDS = ("graduation_exam", "thesis")

# ----------------------------------------------------------------------------- labels

DISCIPLINE_LABELS = {
    "none": tr_noop("grading", "không"),
    "reprimand": tr_noop("grading", "khiển trách"),
    "warning": tr_noop("grading", "cảnh cáo"),
    "expulsion": tr_noop("grading", "buộc thôi học"),
}
CONFIRMATION_LABELS = {
    "missing": tr_noop("grading", "chưa có"),
    "received": tr_noop("grading", "đã có, đạt yêu cầu"),
    "unfavourable": tr_noop("grading", "không đạt yêu cầu"),
}
PASSED_LABEL = tr_noop("grading", "Đạt")
FAILED_LABEL = tr_noop("grading", "Không đạt")

#: Disciplines from the mildest; a downgrade applies from a threshold up.
DISCIPLINE_ORDER = ["none", "reprimand", "warning", "expulsion"]


def discipline_label(discipline: str) -> str:
    return tr("grading", DISCIPLINE_LABELS.get(discipline, discipline))


def confirmation_label(confirmation: str) -> str:
    return tr("grading", CONFIRMATION_LABELS.get(confirmation, confirmation))


#: What a person types (or pastes from Excel) for a confirmation or a discipline, folded (no
#: diacritics, lower case), beside the keys and the labels themselves.
_CONFIRMATION_WORDS = {
    "received": ("da co", "co", "dat", "dat yeu cau", "x", "1", "received", "da co dat", "da co, dat"),
    "unfavourable": ("khong dat", "khong dat yeu cau", "kd", "unfavourable", "0"),
    "missing": ("", "chua co", "chua", "missing", "-"),
}
_DISCIPLINE_WORDS = {
    "none": ("", "khong", "none", "-", "0"),
    "reprimand": ("khien trach", "kt", "reprimand"),
    "warning": ("canh cao", "cc", "warning"),
    "expulsion": ("buoc thoi hoc", "expulsion"),
}


def _parse(typed: object, words: Mapping[str, tuple[str, ...]], labels: Mapping[str, str]) -> str | None:
    folded = fold(str(typed or "")).strip(" .")
    for key, known in words.items():
        if folded in known or folded == fold(labels[key]) or folded == fold(tr("grading", labels[key])):
            return key
    return None


def parse_confirmation(typed: object) -> str | None:
    """The confirmation key (received | unfavourable | missing) for what a person typed: the key,
    the label ("đã có, đạt yêu cầu"), or a short form ("đạt", "có", "x"; "không đạt"; empty:
    missing), with or without diacritics; None when it is none of them."""
    return _parse(typed, _CONFIRMATION_WORDS, CONFIRMATION_LABELS)


def parse_discipline(typed: object) -> str | None:
    """The discipline key (none | reprimand | warning | expulsion) for what a person typed: the
    key or the label ("khiển trách"), with or without diacritics; empty is none; else None."""
    return _parse(typed, _DISCIPLINE_WORDS, DISCIPLINE_LABELS)


# ----------------------------------------------------------------------------- classification


def band_of(score: Decimal, rules: Mapping[str, Any]) -> int | None:
    """Index of the band the score reaches (0 = highest), or None below the lowest band."""
    for index, band in enumerate(rules["bands"]):
        if score >= Decimal(str(band["min"])):
            return index
    return None


def classify(average: Decimal | None, rules: Mapping[str, Any], *, downgrade: bool = False) -> str | None:
    """The band name for an average, one band lower when `downgrade`; None when not passed.

    The average is compared as given (to the ranking decimals): 8.95 is not 9.0.
    """
    if average is None:
        return None
    index = band_of(average, rules)
    if index is None:
        return None
    if downgrade:
        index = min(index + 1, len(rules["bands"]) - 1)
    name: str = rules["bands"][index]["name"]
    return name


def discipline_at_least(discipline: str, threshold: str | None) -> bool:
    """True when `discipline` is `threshold` or worse (khiển trách < cảnh cáo < buộc thôi học)."""
    if not threshold or threshold not in DISCIPLINE_ORDER or discipline not in DISCIPLINE_ORDER:
        return False
    return DISCIPLINE_ORDER.index(discipline) >= DISCIPLINE_ORDER.index(threshold) > 0


# ----------------------------------------------------------------------------- the review


@dataclass(frozen=True)
class LearnerFacts:
    """What the review needs about one learner: module results in programme order, and the rest."""

    modules: tuple[ModuleResult, ...]
    enrolment_status: str = "enrolled"
    status_reason: str | None = None
    confirmation: str = "missing"
    discipline: str = "none"
    barred_modules: tuple[str, ...] = ()
    certificate_eligible: bool | None = None  # None: attendance not known
    attendance_explanations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The review's answer for one learner."""

    eligible: bool
    average: Decimal | None  # to the ranking decimals
    classification: str | None  # printed result: the band after downgrades, or Đạt / Không đạt
    band: str | None = None  # the band the average reaches before downgrades
    downgrades: tuple[str, ...] = ()  # why a band was lost
    reasons: tuple[str, ...] = ()  # why not eligible (empty when eligible)
    final_modules: tuple[str, ...] = ()  # the graduation exams or thesis that counted
    essay_module: str | None = None
    essay_score: Decimal | None = None
    essay_band: str | None = None  # short courses with a graded bài thu hoạch
    module_average: Decimal | None = None  # the ordinary modules' average (ranking decimals)


def _codes(results: Iterable[ModuleResult]) -> str:
    return ", ".join(r.code for r in results)


def required_finals(modules: Sequence[ModuleResult], rules: Mapping[str, Any]) -> list[ModuleResult]:
    """The graduation exams, or the thesis instead of them for a learner who has a thesis score
    (when the rule set says a thesis replaces the exams, the default)."""
    exams = [m for m in modules if m.kind == "graduation_exam"]
    theses = [m for m in modules if m.kind == "thesis"]
    if theses and rules.get("thesis_replaces_exams", True):
        if any(t.scored for t in theses) or not exams:
            return theses
        return exams
    return exams + theses


def essay_module_code(modules: Sequence[ModuleResult], rules: Mapping[str, Any]) -> str | None:
    """The module holding a short course's bài thu hoạch: `rules["essay_module"]`, else the
    first graduation exam or thesis module, else the last module of the programme."""
    wanted = rules.get("essay_module")
    if wanted:
        return str(wanted) if any(m.code == wanted for m in modules) else None
    finals = [m for m in modules if m.kind in FINAL_KINDS]
    if finals:
        return finals[0].code
    return modules[-1].code if modules else None


def _module_problem(result: ModuleResult, rules: Mapping[str, Any], *, essay: bool = False) -> str | None:
    """Why a module stops eligibility, or None when it is passed."""
    label = tr("grading", "Bài thu hoạch") if essay else f"{kind_label(result.kind)} {result.code}"
    if result.status == "passed":
        return None
    if result.status == "missing":
        return tr("grading", "{label}: chưa có điểm").format(label=label)
    if result.status == "incomplete":
        return tr("grading", "{label}: chưa đủ điểm thành phần (thiếu {missing})").format(
            label=label, missing=", ".join(result.missing_components))
    score = score_text(result.counted)
    mark = score_text(pass_mark(rules))
    if result.retaken:
        return tr("grading", "{label}: chưa đạt sau {n} lần thi ({score} điểm, cần từ {mark})").format(
            label=label, n=result.latest_attempt, score=score, mark=mark)
    return tr("grading", "{label}: chưa đạt ({score} điểm, cần từ {mark}), chưa thi lại").format(
        label=label, score=score, mark=mark)


def _status_reasons(facts: LearnerFacts, rules: Mapping[str, Any], pass_fail: bool) -> list[str]:
    reasons = []
    if facts.enrolment_status == "withdrawn":
        reasons.append(tr("grading", "Đã thôi học") + (f": {facts.status_reason}" if facts.status_reason else ""))
    elif facts.enrolment_status == "transferred":
        reasons.append(tr("grading", "Đã chuyển lớp") + (f": {facts.status_reason}" if facts.status_reason else ""))
    if discipline_at_least(facts.discipline, rules.get("bar_discipline_from")):
        what = tr("grading", "không được công nhận hoàn thành khóa học") if pass_fail else \
            tr("grading", "không được xét tốt nghiệp")
        reasons.append(tr("grading", "Bị kỷ luật {level}: {what}").format(
            level=discipline_label(facts.discipline), what=what))
    if rules.get("requires_confirmation"):
        if facts.confirmation == "unfavourable":
            reasons.append(tr("grading", "Cơ quan cử đi học nhận xét không đạt yêu cầu"))
        elif facts.confirmation != "received":
            reasons.append(tr("grading", "Chưa có nhận xét của cơ quan cử đi học"))
    return reasons


def _left_the_class(facts: LearnerFacts, rules: Mapping[str, Any]) -> list[str]:
    """For a learner who withdrew or moved, that alone (their missing scores are no news)."""
    if facts.enrolment_status in ("withdrawn", "transferred"):
        return _status_reasons(facts, {**rules, "requires_confirmation": False, "bar_discipline_from": None}, False)
    return []


def _attendance_reasons(facts: LearnerFacts, rules: Mapping[str, Any], pass_fail: bool) -> list[str]:
    limit = format_decimal(Decimal(str(rules.get("absence_limit_share", 0.2))) * 100, 0) + "%"
    if pass_fail:
        if facts.certificate_eligible is False:
            if facts.attendance_explanations:
                return [_capitalised(e) for e in facts.attendance_explanations]
            return [tr("grading", "Nghỉ quá {limit} thời gian khóa học: không được cấp giấy chứng nhận").format(
                limit=limit)]
        return []
    return [tr("grading", "Học phần {code}: nghỉ quá {limit} số tiết, chưa học bù đủ nên chưa được dự thi").format(
        code=code, limit=limit) for code in facts.barred_modules]


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _downgrades(facts: LearnerFacts, considered: Sequence[ModuleResult], rules: Mapping[str, Any]) -> list[str]:
    out = []
    retaken = [m for m in considered if m.retaken]
    if rules.get("downgrade_on_retake") and retaken:
        out.append(tr("grading", "Hạ một mức vì có học phần phải thi lại ({codes})").format(codes=_codes(retaken)))
    if discipline_at_least(facts.discipline, rules.get("downgrade_discipline_from")):
        out.append(tr("grading", "Hạ một mức vì bị kỷ luật {level} trong khóa học").format(
            level=discipline_label(facts.discipline)))
    return out


def _classification_average(ordinary: Sequence[ModuleResult], finals: Sequence[ModuleResult],
                            rules: Mapping[str, Any]) -> Decimal | None:
    """The weighted module average, combined with the finals when `final_share` > 0; None while a
    required score is missing."""
    if any(m.counted is None for m in ordinary):
        return None
    module_mean = weighted_mean([(m.counted, m.periods) for m in ordinary if m.counted is not None], rules)
    share = Decimal(str(rules.get("final_share", 0) or 0))
    final_scores = [m.counted for m in finals if m.counted is not None]
    if share > 0 and finals:
        if len(final_scores) < len(finals):
            return None
        final_mean = sum(final_scores, ZERO) / len(final_scores)
        mean = final_mean if module_mean is None else module_mean * (1 - share) + final_mean * share
    elif module_mean is None:
        if not final_scores or len(final_scores) < len(finals):
            return None
        mean = sum(final_scores, ZERO) / len(final_scores)
    else:
        mean = module_mean
    return round_half_up(mean, int(rules.get("ranking_decimals", 2)))


def review_learner(facts: LearnerFacts, rules: Mapping[str, Any]) -> Outcome:
    """Apply the rule set to one learner: eligibility with reasons, average, classification.

    Long training (`outcome` "classification"): every ordinary module and the graduation exams
    (or the thesis) passed, no module barred by absences, the sending organisation's
    confirmation received and favourable when the rule set requires it, no disciplinary bar.
    The average is weighted by periods; the class drops one band for a retake or a discipline
    as the rule set says. Short courses (`outcome` "pass_fail"): Đạt when attendance allows the
    certificate, no disciplinary bar, every scored module passed and, when the bài thu hoạch is
    graded, its score passed; its band is given as `essay_band`.
    """
    pass_fail = rules.get("outcome") == "pass_fail"
    reasons = _status_reasons(facts, rules, pass_fail)
    reasons += _attendance_reasons(facts, rules, pass_fail)
    ordinary = [m for m in facts.modules if m.kind == ORDINARY]
    if pass_fail:
        return _review_short_course(facts, rules, reasons)

    finals = required_finals(facts.modules, rules)
    considered = ordinary + finals
    if considered and not any(m.scored for m in considered):
        reasons.append(tr("grading", "Chưa có điểm học phần nào"))
    else:
        missing = [m for m in ordinary if m.status == "missing"]
        if missing:
            reasons.append(tr("grading", "Chưa có điểm học phần: {codes}").format(codes=_codes(missing)))
        missing_finals = [m for m in finals if m.status == "missing"]
        if missing_finals:
            what = kind_label(missing_finals[0].kind).lower() if len({m.kind for m in missing_finals}) == 1 else ""
            reasons.append(tr("grading", "Chưa có điểm {what}: {codes}").format(
                what=what or tr("grading", "thi tốt nghiệp"), codes=_codes(missing_finals)))
        for m in considered:
            if m.status in ("incomplete", "failed"):
                problem = _module_problem(m, rules)
                if problem:
                    reasons.append(problem)
    average = _classification_average(ordinary, finals, rules)
    module_average = _classification_average(ordinary, [], rules) if ordinary else None
    band = classify(average, rules)
    if average is not None and band is None:
        reasons.append(tr("grading", "Điểm trung bình {average} chưa đạt mức xếp loại thấp nhất ({lowest})").format(
            average=format_decimal(average, int(rules.get("ranking_decimals", 2))),
            lowest=score_text(Decimal(str(rules["bands"][-1]["min"])))))
    downgrades = _downgrades(facts, considered, rules)
    reasons = _left_the_class(facts, rules) or reasons
    eligible = not reasons
    classification = classify(average, rules, downgrade=bool(downgrades)) if eligible else None
    return Outcome(eligible=eligible, average=average, classification=classification, band=band,
                   downgrades=tuple(downgrades) if eligible else (), reasons=tuple(reasons),
                   final_modules=tuple(m.code for m in finals), module_average=module_average)


def _review_short_course(facts: LearnerFacts, rules: Mapping[str, Any], reasons: list[str]) -> Outcome:
    essay_code = essay_module_code(facts.modules, rules) if rules.get("graded_essay") else None
    essay = next((m for m in facts.modules if m.code == essay_code), None)
    for m in facts.modules:
        if m is essay or m.status == "missing":
            continue  # short courses have no exam per module: only scored modules count
        problem = _module_problem(m, rules)
        if problem:
            reasons.append(problem)
    essay_band: str | None = None
    downgrades: list[str] = []
    if essay is not None:
        problem = _module_problem(essay, rules, essay=True)
        if problem:
            reasons.append(problem)
        elif essay.counted is not None:
            downgrades = _downgrades(facts, [essay], rules)
            essay_band = classify(essay.counted, rules, downgrade=bool(downgrades))
    scored = [(m.counted, m.periods) for m in facts.modules if m.counted is not None]
    average = weighted_average(scored, rules)
    reasons = _left_the_class(facts, rules) or reasons
    eligible = not reasons
    return Outcome(
        eligible=eligible, average=average,
        classification=tr("grading", PASSED_LABEL) if eligible else tr("grading", FAILED_LABEL),
        band=classify(essay.counted, rules) if essay is not None else None,
        downgrades=tuple(downgrades) if eligible else (), reasons=tuple(reasons),
        essay_module=essay.code if essay else essay_code, essay_score=essay.counted if essay else None,
        essay_band=essay_band if eligible else None,
    )


def classification_basis(outcome: Outcome, rules: Mapping[str, Any]) -> str:
    """Which score decided the classification and by which band, in words, for a review row to
    explain itself: "TB 8,42 → Giỏi (từ 8,0)", "Bài thu hoạch 9,5 → Xuất sắc (từ 9,0)",
    "... , hạ một mức → Giỏi". Empty when nothing was classified (not eligible, no graded essay)."""
    if not outcome.eligible:
        return ""
    if rules.get("outcome") == "pass_fail":
        if outcome.essay_score is None or outcome.band is None:
            return ""
        what = tr("grading", "Bài thu hoạch {score}").format(score=score_text(outcome.essay_score))
        final = outcome.essay_band
    else:
        if outcome.average is None or outcome.band is None:
            return ""
        share = Decimal(str(rules.get("final_share", 0) or 0))
        label = tr("grading", "Điểm xét tốt nghiệp {score}") if share > 0 and outcome.final_modules else \
            tr("grading", "TB {score}")
        what = label.format(score=score_text(outcome.average, int(rules.get("ranking_decimals", 2))))
        final = outcome.classification
    index = next((i for i, b in enumerate(rules["bands"]) if b["name"] == outcome.band), None)
    low = score_text(Decimal(str(rules["bands"][index]["min"]))) if index is not None else ""
    line = tr("grading", "{what} → {band} (từ {min})").format(what=what, band=outcome.band, min=low)
    if outcome.downgrades and final and final != outcome.band:
        line += ", " + tr("grading", "hạ một mức → {band}").format(band=final)
    return line


def rank(averages: Sequence[Decimal | None]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4) of the averages, highest first; None stays unranked."""
    ordered = sorted((a for a in averages if a is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [None if a is None else first[a] for a in averages]


# ----------------------------------------------------------------------------- the rules, in words


def _percent(share: Any) -> str:
    return format_decimal(Decimal(str(share)) * 100, 0) + "%"


def rules_summary(rules: Mapping[str, Any], regulation: str | None = None) -> list[str]:
    """The rules applied, one sentence each, as printed at the foot of every result document."""
    pass_fail = rules.get("outcome") == "pass_fail"
    bands = "; ".join(tr("grading", "{name} từ {min}").format(name=b["name"], min=score_text(Decimal(str(b["min"]))))
                      for b in rules.get("bands", []))
    lines = [tr("grading", "Điểm từ 0 đến 10, lấy một chữ số thập phân; điểm đạt từ {mark}.").format(
        mark=score_text(pass_mark(rules)))]
    counted = tr("grading", "lần thi cao nhất") if rules.get("attempt_counted") == "best" else \
        tr("grading", "lần thi sau cùng")
    lines.append(tr("grading", "Học phần thi lại: tính điểm {counted}.").format(counted=counted))
    weighting = tr("grading", "bình quân các học phần") if rules.get("average_weighting") == "equal" else \
        tr("grading", "bình quân theo số tiết của học phần")
    average_line = tr("grading", "Điểm trung bình: {weighting}, làm tròn đến {r} chữ số thập phân để xếp loại và "
                                 "xếp hạng, in {d} chữ số thập phân.").format(
        weighting=weighting, r=rules.get("ranking_decimals", 2), d=rules.get("display_decimals", 1))
    share = Decimal(str(rules.get("final_share", 0) or 0))
    if share > 0 and not pass_fail:
        average_line += " " + tr("grading", "Điểm thi tốt nghiệp (hoặc khóa luận) chiếm {share} điểm trung bình.").format(
            share=_percent(share))
    lines.append(average_line)
    if pass_fail:
        line = tr("grading", "Kết quả: Đạt hoặc Không đạt.")
        if rules.get("graded_essay"):
            line += " " + tr("grading", "Bài thu hoạch đạt từ {mark}; xếp loại theo điểm bài thu hoạch (không theo "
                                        "điểm trung bình): {bands}.").format(mark=score_text(pass_mark(rules)), bands=bands)
        lines.append(line)
    elif share > 0:
        lines.append(tr("grading", "Xếp loại theo điểm xét tốt nghiệp (điểm trung bình các học phần cùng điểm thi tốt "
                                   "nghiệp hoặc khóa luận): {bands}.").format(bands=bands))
    else:
        lines.append(tr("grading", "Xếp loại theo điểm trung bình các học phần (điểm thi tốt nghiệp, khóa luận chỉ "
                                   "cần đạt): {bands}.").format(bands=bands))
    drops = []
    if rules.get("downgrade_on_retake"):
        drops.append(tr("grading", "có học phần phải thi lại"))
    if rules.get("downgrade_discipline_from"):
        drops.append(tr("grading", "bị kỷ luật từ mức {level} trở lên").format(
            level=discipline_label(str(rules["downgrade_discipline_from"]))))
    if drops:
        lines.append(tr("grading", "Hạ một mức xếp loại nếu {what}.").format(what=tr("grading", " hoặc ").join(drops)))
    limit = _percent(rules.get("absence_limit_share", 0.2))
    if pass_fail:
        lines.append(tr("grading", "Nghỉ học (có phép hoặc không phép) quá {limit} thời gian khóa học: không được cấp "
                                   "giấy chứng nhận.").format(limit=limit))
    else:
        lines.append(tr("grading", "Nghỉ học (có phép hoặc không phép) quá {limit} số tiết của học phần: không được dự "
                                   "thi học phần đó cho đến khi học bù.").format(limit=limit))
        conditions = [tr("grading", "đạt tất cả học phần"), tr("grading", "đạt các môn thi tốt nghiệp hoặc khóa luận")]
        if rules.get("requires_confirmation"):
            conditions.append(tr("grading", "có nhận xét đạt yêu cầu của cơ quan cử đi học"))
        if rules.get("bar_discipline_from"):
            conditions.append(tr("grading", "không bị kỷ luật từ mức {level} trở lên").format(
                level=discipline_label(str(rules["bar_discipline_from"]))))
        lines.append(tr("grading", "Điều kiện tốt nghiệp: {conditions}.").format(conditions="; ".join(conditions)))
    basis = "; ".join(line for line in (" ".join(raw.split()).lstrip("-").strip().rstrip(";,.")
                                         for raw in (regulation or "").splitlines()) if line)
    if basis:
        lines.append(tr("grading", "Căn cứ: {regulation}.").format(regulation=basis))
    return lines


__all__ = [
    "CONFIRMATION_LABELS", "DISCIPLINE_LABELS", "DISCIPLINE_ORDER", "LearnerFacts", "Outcome", "band_of",
    "classification_basis", "classify", "confirmation_label", "discipline_at_least", "discipline_label",
    "essay_module_code", "parse_confirmation", "parse_discipline", "rank", "required_finals", "review_learner",
    "rules_summary",
]
