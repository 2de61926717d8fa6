"""Rule sets: the centre's regulations as data, with the defaults of DOMAIN.md.

A rule set is a plain dict stored with its programme (table `rule_sets`). Nothing in the
code hard-codes a pass mark, a band or a limit: functions take the rule set as an argument.
This module holds the defaults and checks an edited rule set before it is saved.
"""

from __future__ import annotations

import copy
from typing import Any

from dtbd_desktop.base.errors import Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.rules.graduation import DISCIPLINE_ORDER
from dtbd_desktop.rules.scores import validate_plan

BANDS_DEFAULT: list[dict[str, Any]] = [
    {"name": "Xuất sắc", "min": 9.0},
    {"name": "Giỏi", "min": 8.0},
    {"name": "Khá", "min": 7.0},
    {"name": "Trung bình", "min": 5.0},
]

_COMMON: dict[str, Any] = {
    "score_min": 0.0,
    "score_max": 10.0,
    "score_decimals": 1,
    "pass_mark": 5.0,
    "ranking_decimals": 2,
    "display_decimals": 1,
    "average_weighting": "periods",  # "periods" or "equal"
    "absence_limit_share": 0.20,  # more than this share of periods absent: barred
    "absence_statuses": ["excused", "unexcused"],  # statuses that count as absent
    "makeup_restores_eligibility": True,
    "attempt_counted": "latest",  # "latest" or "best"
    "retake_only_if_failed": True,  # a retake is allowed only after a failed attempt
    "assessment": {},  # module code (or "*") -> {"components": [{"code", "name", "weight"}]}
}

DEFAULT_TRAINING_RULES: dict[str, Any] = {
    **_COMMON,
    "outcome": "classification",
    "absence_scope": "module",  # the absence limit applies to each module's periods
    "bands": BANDS_DEFAULT,
    "downgrade_on_retake": True,
    "downgrade_discipline_from": "reprimand",  # khiển trách or worse drops one band
    "bar_discipline_from": "expulsion",
    "requires_confirmation": True,
    "thesis_replaces_exams": True,  # a learner with a thesis is judged on it instead of the exams
    "final_share": 0.0,  # share of the graduation average given to the exams / thesis
}

DEFAULT_FOSTERING_RULES: dict[str, Any] = {
    **_COMMON,
    "outcome": "pass_fail",  # Đạt / Không đạt
    "absence_scope": "course",  # the absence limit applies to the whole course's periods
    "graded_essay": True,  # the bài thu hoạch is graded with the bands
    "bands": BANDS_DEFAULT,
    "downgrade_on_retake": False,
    "downgrade_discipline_from": None,
    "bar_discipline_from": "expulsion",
    "requires_confirmation": False,
    "essay_module": None,  # module holding the bài thu hoạch (default: the last one)
}

ATTEMPT_CHOICES = ("latest", "best")
OUTCOMES = ("classification", "pass_fail")
WEIGHTINGS = ("periods", "equal")


def default_rules(programme_kind: str) -> dict[str, Any]:
    base = DEFAULT_TRAINING_RULES if programme_kind == "training" else DEFAULT_FOSTERING_RULES
    return copy.deepcopy(base)


def with_defaults(params: dict[str, Any], programme_kind: str) -> dict[str, Any]:
    """An edited rule set completed with the defaults for keys it does not set."""
    merged = default_rules(programme_kind)
    merged.update(params)
    return merged


RULE_LABELS = {
    "pass_mark": tr_noop("rules", "Điểm đạt"),
    "absence_limit_share": tr_noop("rules", "Giới hạn vắng"),
    "ranking_decimals": tr_noop("rules", "Số chữ số thập phân khi xếp hạng"),
    "display_decimals": tr_noop("rules", "Số chữ số thập phân khi in"),
    "downgrade_discipline_from": tr_noop("rules", "Kỷ luật làm hạ một mức xếp loại"),
    "bar_discipline_from": tr_noop("rules", "Kỷ luật không được xét tốt nghiệp"),
    "final_share": tr_noop("rules", "Tỷ trọng điểm thi tốt nghiệp, khóa luận"),
    "assessment": tr_noop("rules", "Cách đánh giá học phần"),
}


def rule_label(key: str) -> str:
    return tr("rules", RULE_LABELS.get(key, key))


def _number(params: dict[str, Any], key: str, problems: list[Problem], low: float, high: float) -> None:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= float(value) <= high:
        problems.append(
            Problem(tr("rules", "{label} phải là số từ {low} đến {high}.").format(label=rule_label(key), low=low, high=high),
                    field=key)
        )


# ---------------------------------------------------------------------------------- the legal basis

#: Words that mark a note to whoever sets the program up, never the text of a regulation: a legal
#: basis holding one is refused, and no printed paper may carry one (tests search every document).
NOTE_MARKERS = ("mặc định", "sửa theo", "todo", "fixme", "xxx", "...", "…", "[", "]", "<", ">")
LEGAL_BASIS_LINE_LIMIT = 500
LEGAL_BASIS_LIMIT = 2000


def legal_basis_lines(value: str | None) -> list[str]:
    """The legal basis of a rule set (căn cứ: the regulations it applies, one per line) as its
    lines, each without a leading dash or "Căn cứ" and without its closing punctuation."""
    out = []
    for raw in (value or "").splitlines():
        line = " ".join(raw.split()).lstrip("-–•").strip()
        if line[:6].casefold() == "căn cứ":
            line = line[6:].lstrip(" :").strip()
        line = line.rstrip(";,.").strip()
        if line:
            out.append(line)
    return out


def legal_basis_sentence(value: str | None) -> str:
    """The legal basis in running text: its lines joined by "; "."""
    return "; ".join(legal_basis_lines(value))


def check_legal_basis(value: str | None) -> list[Problem]:
    """What is wrong with a legal basis typed in the rules editor or on the command line."""
    problems: list[Problem] = []
    lines = legal_basis_lines(value)
    if not lines:
        problems.append(Problem(tr("rules", "Chưa nhập căn cứ (văn bản quy định mà chương trình áp dụng)."),
                                field="legal_basis"))
    if len(value or "") > LEGAL_BASIS_LIMIT:
        problems.append(Problem(tr("rules", "Căn cứ dài quá {n} ký tự.").format(n=LEGAL_BASIS_LIMIT),
                                field="legal_basis"))
    for number, line in enumerate(lines, start=1):
        if len(line) > LEGAL_BASIS_LINE_LIMIT:
            problems.append(Problem(tr("rules", "Căn cứ dòng {n} dài quá {limit} ký tự.").format(
                n=number, limit=LEGAL_BASIS_LINE_LIMIT), field="legal_basis", row=number))
        folded = line.casefold()
        marker = next((m for m in NOTE_MARKERS if m in folded), None)
        if marker is not None:
            problems.append(Problem(tr("rules", "Căn cứ dòng {n} có \u201c{marker}\u201d: ghi đúng tên, số, ngày của văn "
                                               "bản, không để ghi chú hay chỗ trống (căn cứ được in trên văn bản).")
                                    .format(n=number, marker=marker), field="legal_basis", row=number))
    return problems


def validate_rules(params: dict[str, Any]) -> list[Problem]:
    """Every problem with an edited rule set, each naming its field; empty when it can be saved."""
    problems: list[Problem] = []
    _number(params, "pass_mark", problems, 0, 10)
    _number(params, "absence_limit_share", problems, 0, 1)
    for key, lowest, highest in (("ranking_decimals", 0, 3), ("display_decimals", 0, 2)):
        _number(params, key, problems, lowest, highest)
    if params.get("attempt_counted") not in ATTEMPT_CHOICES:
        problems.append(Problem(tr("rules", "Lần thi được tính phải là 'latest' (lần sau cùng) hoặc 'best' (lần cao nhất)."),
                                field="attempt_counted"))
    if params.get("outcome") not in OUTCOMES:
        problems.append(Problem(tr("rules", "Kết quả phải là 'classification' (xếp loại) hoặc 'pass_fail' (đạt/không đạt)."),
                                field="outcome"))
    if params.get("average_weighting") not in WEIGHTINGS:
        problems.append(Problem(tr("rules", "Cách tính trung bình phải là 'periods' (theo số tiết) hoặc 'equal'."),
                                field="average_weighting"))
    bands = params.get("bands")
    if not isinstance(bands, list) or not bands:
        problems.append(Problem(tr("rules", "Cần ít nhất một mức xếp loại."), field="bands"))
    else:
        previous: float | None = None
        for index, band in enumerate(bands, start=1):
            name: Any = band.get("name") if isinstance(band, dict) else None
            low: Any = band.get("min") if isinstance(band, dict) else None
            if not name or not isinstance(low, int | float) or isinstance(low, bool) or not 0 <= low <= 10:
                problems.append(Problem(tr("rules", "Mức xếp loại thứ {n} cần tên và điểm tối thiểu từ 0 đến 10.")
                                        .format(n=index), field="bands"))
                continue
            if previous is not None and low >= previous:
                problems.append(Problem(tr("rules", "Các mức xếp loại phải xếp từ cao xuống thấp (mức {n}).")
                                        .format(n=index), field="bands"))
            previous = float(low)
    for key in ("downgrade_discipline_from", "bar_discipline_from"):
        value = params.get(key)
        if value is not None and value not in DISCIPLINE_ORDER[1:]:
            problems.append(Problem(tr("rules", "{label}: chọn khiển trách, cảnh cáo, buộc thôi học hoặc để trống.")
                                    .format(label=rule_label(key)), field=key))
    if params.get("absence_scope", "module") not in ("module", "course"):
        problems.append(Problem(tr("rules", "Phạm vi tính vắng phải là 'module' (từng học phần) hoặc 'course' (cả khóa)."),
                                field="absence_scope"))
    if "final_share" in params:
        _number(params, "final_share", problems, 0, 1)
    assessment = params.get("assessment") or {}
    if not isinstance(assessment, dict):
        problems.append(Problem(tr("rules", "Cách đánh giá học phần phải là bảng theo mã học phần."), field="assessment"))
    else:
        for code, plan in assessment.items():
            for problem in validate_plan(plan):
                problems.append(Problem(tr("rules", "Học phần {code}: {message}").format(code=code,
                                                                                       message=problem.message),
                                        field="assessment"))
    statuses = params.get("absence_statuses")
    if not isinstance(statuses, list) or not set(statuses) <= {"excused", "unexcused", "late"}:
        problems.append(Problem(tr("rules", "Trạng thái tính là vắng chỉ gồm excused, unexcused, late."),
                                field="absence_statuses"))
    return problems
