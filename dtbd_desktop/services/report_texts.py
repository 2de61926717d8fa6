"""What the training office writes into the year's report: its assessment of the year (đánh giá
chung) and the tasks for the next (phương hướng, nhiệm vụ). Stored per year; until the office
writes them, the report prints a default made from the year's figures, which the office edits
in *Báo cáo → Nhận định, phương hướng* or with `dtbd report annual-text`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import AnnualPlan, AnnualReportText
from dtbd_desktop.printing.letterhead import running_name
from dtbd_desktop.rules.statistics import count_text, percent_text
from dtbd_desktop.services import feedback, plans
from dtbd_desktop.services import statistics as stats_service
from dtbd_desktop.services.feedback import SatisfactionReport
from dtbd_desktop.services.plans import PlanReport
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.services.statistics import NOT_PASSED, YearStatistics
from dtbd_desktop.trust import audit
from dtbd_desktop.trust.operations import operation

TEXT_LIMIT = 20_000


@dataclass(frozen=True)
class AnnualTexts:
    year: int
    assessment: str
    next_year: str
    written: bool  # the office wrote them (else: the defaults made from the figures)
    updated_by: str | None = None

    def paragraphs(self, which: str) -> list[str]:
        value = self.assessment if which == "assessment" else self.next_year
        return [line.strip() for line in value.splitlines() if line.strip()]


def _centre(session: Session) -> str:
    return running_name(load_letterhead(session).centre_name)


def default_assessment(centre: str, plan: PlanReport, stats: YearStatistics, satisfaction: SatisfactionReport) -> str:
    """The assessment a report prints until the office writes its own: the year in figures."""
    lines = [tr("report_texts", "{summary} {centre} đã phối hợp chặt chẽ với các cơ quan, đơn vị cử cán bộ đi học "
                                "trong tổ chức lớp học, quản lý và đánh giá học viên.").format(
        summary=plan.summary, centre=centre)]
    total = stats.results_total
    if total.reviewed:
        passed = total.reviewed - total.count(NOT_PASSED)
        lines.append(tr("report_texts", "Các lớp kết thúc trong năm có {n} học viên được xét tốt nghiệp, hoàn thành khóa "
                                        "học; {ok} học viên đạt yêu cầu ({share}).").format(
            n=count_text(total.reviewed), ok=count_text(passed), share=percent_text(passed, total.reviewed)))
    share = satisfaction.total.share()
    if share is not None and satisfaction.total.forms:
        lines.append(tr("report_texts", "Qua {n} phiếu phản hồi, {share} học viên hài lòng hoặc rất hài lòng với nội "
                                        "dung, phương pháp giảng dạy và tác phong của giảng viên.").format(
            n=count_text(satisfaction.total.forms), share=text.format_percent(share, 1)))
    return "\n".join(lines)


def default_next_year(centre: str, year: int, target: tuple[int, int] | None) -> str:
    """The tasks a report prints until the office writes its own."""
    goal = ""
    if target is not None and (target[0] or target[1]):
        goal = tr("report_texts", " với chỉ tiêu {c} lớp, {n} học viên").format(
            c=count_text(target[0]), n=count_text(target[1]))
    return "\n".join([
        tr("report_texts", "Năm {year}, {centre} tiếp tục thực hiện kế hoạch đào tạo, bồi dưỡng được cấp ủy phê "
                           "duyệt{goal}.").format(year=year, centre=centre, goal=goal),
        tr("report_texts", "Phối hợp chặt chẽ với các cơ quan, đơn vị cử cán bộ đi học trong quản lý, đánh giá học "
                           "viên; nâng cao chất lượng đội ngũ giảng viên, đổi mới phương pháp giảng dạy; theo dõi, "
                           "đánh giá cán bộ sau đào tạo, bồi dưỡng."),
    ])


def _target(session: Session, year: int) -> tuple[int, int] | None:
    row = session.execute(select(func.sum(AnnualPlan.target_classes), func.sum(AnnualPlan.target_learners))
                          .where(AnnualPlan.year == year)).one()
    return (int(row[0] or 0), int(row[1] or 0)) if row[0] is not None else None


def annual_texts(session: Session, year: int, *, plan: PlanReport | None = None, stats: YearStatistics | None = None,
                 satisfaction: SatisfactionReport | None = None) -> AnnualTexts:
    """The year's texts: what the office wrote, else the defaults (the figures are read when not given)."""
    stored = session.get(AnnualReportText, year)
    centre = _centre(session)
    assessment = stored.assessment if stored is not None and stored.assessment else None
    next_year = stored.next_year if stored is not None and stored.next_year else None
    if assessment is None:
        plan = plan or plans.plan_vs_actual(session, year)
        stats = stats or stats_service.year_statistics(session, year, as_of=plans.default_as_of(year))
        satisfaction = satisfaction or feedback.satisfaction(session, year=year)
        assessment = default_assessment(centre, plan, stats, satisfaction)
    if next_year is None:
        next_year = default_next_year(centre, year + 1, _target(session, year + 1))
    return AnnualTexts(year, assessment, next_year, written=stored is not None,
                       updated_by=stored.updated_by if stored is not None else None)


def _clean(value: str, label: str, field: str) -> str | None:
    lines = [text.nfc(line) for line in (value or "").splitlines()]
    cleaned = "\n".join(line for line in lines if line)
    if len(cleaned) > TEXT_LIMIT:
        raise InputError(tr("report_texts", "{label} dài quá {n} ký tự.").format(label=label, n=TEXT_LIMIT),
                         [Problem(tr("report_texts", "Quá dài."), field=field)])
    return cleaned or None


@operation("reports.annual_texts", permission="number_documents")
def save_annual_texts(session: Session, year: int, *, assessment: str, next_year: str) -> AnnualTexts:
    """Store the office's assessment and tasks for the year's report (empty: back to the default)."""
    if not 2000 <= year <= 2100:
        raise InputError(tr("report_texts", "Năm {year} không hợp lệ.").format(year=year))
    new_assessment = _clean(assessment, tr("report_texts", "Đánh giá chung"), "assessment")
    new_next = _clean(next_year, tr("report_texts", "Phương hướng, nhiệm vụ"), "next_year")
    row = session.get(AnnualReportText, year)
    old = None if row is None else {"assessment": row.assessment, "next_year": row.next_year}
    actor = session.info.get(audit.ACTOR_KEY)
    if row is None:
        row = AnnualReportText(year=year)
        session.add(row)
    row.assessment, row.next_year = new_assessment, new_next
    row.updated_by = getattr(actor, "username", None)
    row.updated_at = dt.datetime.now().replace(microsecond=0)
    session.flush()
    audit.record(session, action="reports.annual_texts", entity="annual_report_text", entity_id=year, old=old,
                 new={"assessment": new_assessment, "next_year": new_next})
    return annual_texts(session, year)


__all__ = ["AnnualTexts", "annual_texts", "default_assessment", "default_next_year", "save_annual_texts"]
