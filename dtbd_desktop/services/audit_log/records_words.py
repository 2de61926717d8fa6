"""Sentences for the detailed entries operations record about what they changed (a score, a
mark, a certificate, an account...), keyed by (action, entity) as `audit.record` writes them.

A test finds every `audit.record(action=..., entity=...)` of the program and fails when a pair has
no sentence here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.services.audit_log.facts import Facts, change, count_text, date_text, plain, score_text

Words = Callable[[Facts], str]

LEARNER_FIELDS = {
    "family_name": tr_noop("audit_words", "họ"), "middle_name": tr_noop("audit_words", "tên đệm"),
    "given_name": tr_noop("audit_words", "tên"), "birth_date": tr_noop("audit_words", "ngày sinh"),
    "birth_year": tr_noop("audit_words", "năm sinh"), "gender": tr_noop("audit_words", "giới tính"),
    "ethnicity": tr_noop("audit_words", "dân tộc"), "national_id": tr_noop("audit_words", "số định danh (CCCD)"),
    "place_of_birth": tr_noop("audit_words", "nơi sinh"),
}
OTHER_FIELDS = {
    "hometown": tr_noop("audit_words", "quê quán"), "position": tr_noop("audit_words", "chức vụ"),
    "organisation_id": tr_noop("audit_words", "đơn vị"), "party_member": tr_noop("audit_words", "đảng viên"),
    "party_join_date": tr_noop("audit_words", "ngày vào Đảng"), "phone": tr_noop("audit_words", "điện thoại"),
    "education_level": tr_noop("audit_words", "trình độ chuyên môn"),
    "theory_level": tr_noop("audit_words", "trình độ lý luận chính trị"),
}
WORDING_FIELDS = {
    "salutation": tr_noop("audit_words", "lời xưng hô"), "course_title": tr_noop("audit_words", "tên khóa học"),
    "course_label": tr_noop("audit_words", "cách ghi khóa học"),
}
SETTING_NAMES = {
    "centre_name": tr_noop("audit_words", "tên trường, trung tâm"),
    "superior_body": tr_noop("audit_words", "cơ quan chủ quản"),
    "place_name": tr_noop("audit_words", "địa danh"),
    "director_title": tr_noop("audit_words", "chức danh người ký"),
    "director_name": tr_noop("audit_words", "họ tên người ký"),
    "party_heading": tr_noop("audit_words", "dòng \"ĐẢNG CỘNG SẢN VIỆT NAM\" trên tiêu đề"),
    "logo_png": tr_noop("audit_words", "biểu trưng"),
    "attendance_lock_days": tr_noop("audit_words", "số ngày khóa điểm danh"),
    "backup_keep": tr_noop("audit_words", "số bản sao lưu giữ lại"),
    "young_cadre_max_age": tr_noop("audit_words", "tuổi tối đa của cán bộ trẻ"),
    "age_band_limits": tr_noop("audit_words", "các mốc nhóm tuổi"),
    "printer_calibration": tr_noop("audit_words", "căn chỉnh máy in"),
    "certificate_layouts": tr_noop("audit_words", "mẫu in văn bằng"),
    "certificate_layout_by_programme": tr_noop("audit_words", "mẫu in theo chương trình"),
}
CONDUCT_FIELDS = {
    "confirmation": tr_noop("audit_words", "nhận xét của cơ quan cử đi học"),
    "discipline": tr_noop("audit_words", "kỷ luật"),
    "conduct": tr_noop("audit_words", "xếp loại rèn luyện"),
}


def _score(f: Facts) -> str:
    parts = (f.entity_id or "").split("/")
    attempt = parts[2] if len(parts) > 2 else "1"
    module = f.field or (f.module(parts[1]) if len(parts) > 1 else "?")
    who = f.learner_in_class(parts[0] if parts else None)
    if f.action == "score.clear":
        verb = tr("audit_words", "Xóa điểm")
    elif f.old is None:
        verb = tr("audit_words", "Nhập điểm")
    else:
        verb = tr("audit_words", "Sửa điểm")
    what = tr("audit_words", "{verb} học phần {module} của {who}").format(verb=verb, module=module, who=who)
    if attempt not in ("1", ""):
        what = tr("audit_words", "{verb} học phần {module} lần {attempt} của {who}").format(
            verb=verb, module=module, attempt=attempt, who=who)
    return f"{what}: {change(score_text(f.old), score_text(f.new))}"


def _lock(f: Facts, opened: bool) -> str:
    class_id = (f.entity_id or "").split("/", 1)[0]
    template = (tr("audit_words", "Mở lại điểm đã chốt học phần {module} lớp {code}") if opened
                else tr("audit_words", "Chốt điểm học phần {module} lớp {code}"))
    return template.format(module=f.field, code=f.class_by_id(class_id))


def _result(f: Facts) -> str:
    who = f.learner_in_class(f.entity_id)
    if f.new is None:
        return tr("audit_words", "Bỏ kết quả xét tốt nghiệp của {who} (không còn trong lớp): {old}").format(
            who=who, old=plain(f.old))
    if f.old is None:
        return tr("audit_words", "Xét tốt nghiệp {who}: {new}").format(who=who, new=plain(f.new))
    return tr("audit_words", "Xét lại tốt nghiệp {who}: {change}").format(who=who, change=change(plain(f.old),
                                                                                               plain(f.new)))


def _decision(f: Facts) -> str:
    number, _, day = str(f.new or "").rpartition(" ")
    return tr("audit_words", "Ghi quyết định công nhận tốt nghiệp lớp {code}: số {number} ngày {date}").format(
        code=f.class_by_id(f.entity_id), number=number or plain(f.new), date=day)


def _conduct(f: Facts) -> str:
    from dtbd_desktop.rules.graduation import confirmation_label, discipline_label

    def show(value: Any) -> str:
        if value is None:
            return tr("audit_words", "(trống)")
        if f.field == "confirmation":
            return confirmation_label(str(value))
        if f.field == "discipline":
            return discipline_label(str(value))
        return str(value)

    name = tr("audit_words", CONDUCT_FIELDS.get(f.field or "", f.field or ""))
    return tr("audit_words", "Ghi {what} của {who}: {change}").format(
        what=name, who=f.learner_in_class(f.entity_id), change=change(show(f.old), show(f.new)))


def _attendance(f: Facts) -> str:
    from dtbd_desktop.rules.attendance import status_label

    enrolment_id, _, session_id = (f.entity_id or "").partition(":")

    def show(value: Any) -> str:
        return status_label(str(value)).lower() if value else tr("audit_words", "(chưa điểm danh)")

    return tr("audit_words", "Điểm danh {who}, {slot}: {change}").format(
        who=f.learner_of(enrolment_id), slot=f.class_session(session_id), change=change(show(f.old),
                                                                                               show(f.new)))


def _makeup(f: Facts) -> str:
    data = f.new if isinstance(f.new, dict) else f.old if isinstance(f.old, dict) else {}
    module = data.get("module") or (f.module(data.get("module_id")) if data.get("module_id") else "?")
    template = (tr("audit_words", "Ghi học bù cho {who}: học phần {module}, {periods} tiết ngày {date}")
                if f.action == "create" else
                tr("audit_words", "Xóa buổi học bù của {who}: học phần {module}, {periods} tiết ngày {date}"))
    return template.format(who=f.learner_in_class(data.get("enrolment")), module=module,
                           periods=count_text(data.get("periods")), date=date_text(data.get("date")))


def _session_moved(f: Facts) -> str:
    old = f.old if isinstance(f.old, dict) else {}
    new = f.new if isinstance(f.new, dict) else {}
    found = f.names.class_session(f.entity_id)
    code = found.class_code if found else None
    return tr("audit_words", "Dời buổi học lớp {code} đã điểm danh: {change}").format(
        code=f.in_class(code), change=change(f.slot(old.get("date"), old.get("half")),
                                             f.slot(new.get("date"), new.get("half"))))


def _session_deleted(f: Facts) -> str:
    old = f.old if isinstance(f.old, dict) else {}
    marks = old.get("marks")
    return tr("audit_words", "Xóa {slot} khỏi thời khóa biểu ({n} lượt điểm danh bị xóa theo)").format(
        slot=f.slot(old.get("date"), old.get("half"), old.get("module"), old.get("class")),
        n=len(marks) if isinstance(marks, dict) else 0)


def _certificate_who(f: Facts) -> str:
    found = f.names.certificate(f.entity_id)
    if found is None:
        return ""
    if found.class_code:
        return " " + tr("audit_words", "của {name} (lớp {code})").format(name=found.full_name,
                                                                         code=f.in_class(found.class_code))
    return " " + tr("audit_words", "của {name}").format(name=found.full_name)


def _issued(f: Facts) -> str:
    new = f.new if isinstance(f.new, dict) else {}
    if new.get("class"):
        f.in_class(new.get("class"))
    return tr("audit_words", "Cấp văn bằng số hiệu {serial} (số vào sổ {register}) cho {name} lớp {code}, ngày cấp "
                             "{date}").format(serial=f.entity_id, register=new.get("register_number"),
                                              name=new.get("full_name"), code=new.get("class"),
                                              date=date_text(new.get("issue_date")))


def _reissued(f: Facts) -> str:
    new = f.new if isinstance(f.new, dict) else {}
    return tr("audit_words", "Cấp lại văn bằng{who}: số hiệu mới {serial} (số vào sổ {register}) thay số hiệu "
                             "{old}").format(who=_certificate_who(f), serial=f.entity_id,
                                             register=new.get("register_number"), old=plain(f.old))


def _printed(f: Facts) -> str:
    template = (tr("audit_words", "In văn bằng số hiệu {serial}{who}") if f.action == "certificate.print"
                else tr("audit_words", "In lại văn bằng số hiệu {serial}{who} (lần in thứ {n})"))
    return template.format(serial=f.entity_id, who=_certificate_who(f), n=f.new)


def _carried(f: Facts) -> str:
    if isinstance(f.new, dict):
        return tr("audit_words", "Giữ dòng sổ gốc số hiệu {serial} của {name} khi phục hồi bản sao lưu").format(
            serial=f.entity_id, name=f.new.get("full_name"))
    from dtbd_desktop.services.certificates.records import status_label

    return tr("audit_words", "Giữ tình trạng \"{status}\" của văn bằng số hiệu {serial} khi phục hồi bản sao "
                             "lưu").format(status=status_label(str(f.new)), serial=f.entity_id)


def _identity(f: Facts) -> str:
    name = tr("audit_words", LEARNER_FIELDS.get(f.field or "", f.field or ""))
    return tr("audit_words", "Sửa {field} của học viên {who}: {change}").format(
        field=name, who=f.learner(f.entity_id), change=change(plain(f.old), plain(f.new)))


def _learner_record(f: Facts, created: bool) -> str:
    new = f.new if isinstance(f.new, dict) else {}
    if created:
        return tr("audit_words", "Thêm học viên {who} (nhập bằng tay) vào lớp {code}").format(
            who=f.learner(f.entity_id), code=f.in_class(new.get("class")))
    fields = {**LEARNER_FIELDS, **OTHER_FIELDS}
    names = [tr("audit_words", fields.get(str(k), str(k))) for k in new]
    return tr("audit_words", "Sửa hồ sơ học viên {who}: {fields}").format(who=f.learner(f.entity_id),
                                                                         fields=", ".join(names))


def _timetable_generated(f: Facts) -> str:
    new = f.new if isinstance(f.new, dict) else {}
    return tr("audit_words", "Lập thời khóa biểu lớp {code} từ ngày {start}: thêm {added} buổi, bỏ {removed}, giữ "
                             "{kept}").format(code=f.in_class(new.get("class")), start=date_text(new.get("from")),
                                              added=count_text(new.get("added")), removed=count_text(new.get("removed")),
                                              kept=count_text(new.get("kept")))


PATTERN_WORDS = {"{number}": tr_noop("audit_words", "[số khóa]"), "{years}": tr_noop("audit_words", "[các năm học]"),
                 "{start}": tr_noop("audit_words", "[ngày khai giảng]"),
                 "{end}": tr_noop("audit_words", "[ngày kết thúc]")}


def _pattern(value: Any) -> Any:
    """A course pattern as a person reads it: "Khóa [số khóa] ([các năm học])"."""
    if not isinstance(value, str):
        return value
    for key, words in PATTERN_WORDS.items():
        value = value.replace(key, tr("audit_words", words))
    return value


def _wording(f: Facts) -> str:
    name = tr("audit_words", WORDING_FIELDS.get(f.field or "", f.field or ""))
    return tr("audit_words", "Sửa {field} in trên văn bằng, chứng chỉ của chương trình {code}: {change}").format(
        field=name, code=f.entity_id, change=change(plain(_pattern(f.old)), plain(_pattern(f.new))))


def _numbered(f: Facts) -> str:
    new = f.new if isinstance(f.new, dict) else {}
    return tr("audit_words", "Vào sổ văn bản đi số {symbol} ngày {date}: {subject}").format(
        symbol=new.get("symbol") or f.entity_id, date=date_text(new.get("date")), subject=plain(new.get("subject")))


def _new(f: Facts) -> dict[str, Any]:
    return f.new if isinstance(f.new, dict) else {}


def _past_register(f: Facts) -> str:
    new = _new(f)
    classes = new.get("classes")
    return tr("audit_words", "Nhập sổ gốc cũ từ tệp {file}: {lines} dòng, {classes} lớp, {people} học viên mới").format(
        file=f.entity_id, lines=count_text(new.get("lines")),
        classes=count_text(len(classes) if isinstance(classes, (list, tuple)) else classes),
        people=count_text(new.get("learners_new")))


def _merge(f: Facts, words: str) -> str:
    new, old = _new(f), f.old if isinstance(f.old, dict) else {}
    other = old.get("name") or new.get("other") or new.get("kept")
    return words.format(who=f.learner(f.entity_id), other=plain(other))


def _setting(f: Facts) -> str:
    name = tr("audit_words", SETTING_NAMES.get(f.entity_id or "", f.entity_id or ""))
    if f.entity_id in ("printer_calibration", "certificate_layouts", "certificate_layout_by_programme"):
        return tr("audit_words", "Sửa cài đặt: {name}").format(name=name)
    return tr("audit_words", "Sửa cài đặt {name}: {change}").format(name=name, change=change(plain(f.old),
                                                                                          plain(f.new)))


def _role(f: Facts) -> str:
    from dtbd_desktop.trust.accounts import ROLE_LABELS

    def show(value: Any) -> str:
        if value is None:
            return tr("audit_words", "(ngừng)")
        return tr("accounts", ROLE_LABELS.get(str(value), str(value)))

    if f.new is None:
        return tr("audit_words", "Ngừng tài khoản {user}").format(user=f.entity_id)
    return tr("audit_words", "Đổi vai trò tài khoản {user}: {change}").format(
        user=f.entity_id, change=change(show(f.old), show(f.new)))


def _user_created(f: Facts) -> str:
    from dtbd_desktop.trust.accounts import ROLE_LABELS

    new = f.new if isinstance(f.new, dict) else {}
    role = str(new.get("role"))
    return tr("audit_words", "Tạo tài khoản {user} ({name}), vai trò {role}").format(
        user=f.entity_id, name=new.get("full_name"), role=tr("accounts", ROLE_LABELS.get(role, role)))


def _roster_import(f: Facts) -> str:
    new = f.new if isinstance(f.new, dict) else {}
    words = tr("audit_words", "Nhập danh sách lớp {code} từ tệp {file}: {n} học viên ({new} người mới)").format(
        code=f.class_by_id(f.entity_id), file=new.get("file"), n=count_text(new.get("imported")),
        new=count_text(new.get("new_learners")))
    rejected = new.get("rejected_rows") or []
    if rejected:
        words += "; " + tr("audit_words", "bỏ qua {n} dòng lỗi").format(n=len(rejected))
    return words


def _restored(f: Facts) -> str:
    new = f.new if isinstance(f.new, dict) else {}
    words = tr("audit_words", "Phục hồi cơ sở dữ liệu từ bản sao lưu {file}").format(file=new.get("file"))
    if new.get("problems"):
        words += " " + tr("audit_words", "(dù không qua kiểm tra nhật ký)")
    return words


def _baseline(f: Facts) -> str:
    if f.new == "demo":
        return tr("audit_words", "Ghi lại dữ liệu được bảo vệ của bộ dữ liệu mẫu")
    return tr("audit_words", "Ghi lại dữ liệu được bảo vệ khi nâng cấp cơ sở dữ liệu")


def _layout_saved(f: Facts, reset: bool) -> str:
    from dtbd_desktop.services.audit_log.names import layout_name

    name = layout_name(f.names.session, f.entity_id) or str(f.entity_id)
    if reset:
        return tr("audit_words", "Trả mẫu in {layout} về như ban đầu").format(layout=name)
    return tr("audit_words", "Lưu mẫu in {layout} (phiên bản {version})").format(layout=name, version=f.new)


RECORD_WORDS: dict[tuple[str, str], tuple[str, Words]] = {
    ("score.set", "score"): ("scores", _score),
    ("score.clear", "score"): ("scores", _score),
    ("score.finalise", "score_lock"): ("scores", lambda f: _lock(f, False)),
    ("score.unfinalise", "score_lock"): ("scores", lambda f: _lock(f, True)),
    ("graduation.review", "graduation_result"): ("graduation", _result),
    ("graduation.decision", "class"): ("graduation", _decision),
    ("enrolment.conduct", "enrolment"): ("graduation", _conduct),
    ("create", "attendance"): ("attendance", _attendance),
    ("update", "attendance"): ("attendance", _attendance),
    ("delete", "attendance"): ("attendance", _attendance),
    ("create", "makeup"): ("attendance", _makeup),
    ("delete", "makeup"): ("attendance", _makeup),
    ("move", "session"): ("classes", _session_moved),
    ("delete", "session"): ("classes", _session_deleted),
    ("certificate.issue", "certificate"): ("certificates", _issued),
    ("certificate.revoke", "certificate"): ("certificates", lambda f: tr(
        "audit_words", "Thu hồi văn bằng số hiệu {serial}{who}").format(serial=f.entity_id, who=_certificate_who(f))),
    ("certificate.replaced", "certificate"): ("certificates", lambda f: tr(
        "audit_words", "Văn bằng số hiệu {serial}{who} được thay bằng bản cấp lại").format(
        serial=f.entity_id, who=_certificate_who(f))),
    ("certificate.reissue", "certificate"): ("certificates", _reissued),
    ("certificate.print", "certificate"): ("certificates", _printed),
    ("certificate.reprint", "certificate"): ("certificates", _printed),
    ("certificate.carried", "certificate"): ("system", _carried),
    ("signing_key.enrol", "signing_key"): ("certificates", lambda f: tr(
        "audit_words", "Đăng ký khóa ký văn bằng {key} ({label})").format(
        key=f.entity_id, label=(f.new or {}).get("label") if isinstance(f.new, dict) else "")),
    ("signing_key.retire", "signing_key"): ("certificates", lambda f: tr(
        "audit_words", "Thôi dùng khóa ký văn bằng {key}").format(key=f.entity_id)),
    ("signing_key.carried", "signing_key"): ("system", lambda f: tr(
        "audit_words", "Giữ khóa ký văn bằng {key} khi phục hồi bản sao lưu").format(key=f.entity_id)),
    ("layout.save", "layout"): ("certificates", lambda f: _layout_saved(f, False)),
    ("layout.reset", "layout"): ("certificates", lambda f: _layout_saved(f, True)),
    ("printer.calibrate", "printer"): ("certificates", lambda f: tr(
        "audit_words", "Căn chỉnh vị trí in cho máy in {printer}").format(
        printer=tr("audit_words", "mặc định") if f.entity_id in (None, "*") else f.entity_id)),
    ("learner.identity", "learner"): ("learners", _identity),
    ("learner.create", "learner"): ("learners", lambda f: _learner_record(f, True)),
    ("learner.update", "learner"): ("learners", lambda f: _learner_record(f, False)),
    ("programmes.wording", "programme"): ("catalogue", _wording),
    ("timetable.generate", "class"): ("classes", _timetable_generated),
    ("roster.remove", "roster"): ("learners", lambda f: tr(
        "audit_words", "Xóa {name} khỏi danh sách lớp {code}").format(
        name=(f.old or {}).get("learner") if isinstance(f.old, dict) else "?",
        code=f.in_class((f.old or {}).get("class") if isinstance(f.old, dict) else None))),
    ("organisations.delete", "organisation"): ("catalogue", lambda f: tr(
        "audit_words", "Xóa đơn vị {name}").format(name=plain(f.old))),
    ("roster.import", "class"): ("learners", _roster_import),
    ("settings.change", "settings"): ("system", _setting),
    ("register.import", "file"): ("certificates", _past_register),
    ("register.import_class", "class"): ("classes", lambda f: tr(
        "audit_words", "Tạo lớp {code} từ sổ gốc cũ (trang '{sheet}')").format(
        code=f.in_class(f.entity_id), sheet=_new(f).get("sheet"))),
    ("certificate.import", "certificate"): ("certificates", lambda f: tr(
        "audit_words", "Nhập dòng sổ gốc cũ: văn bằng số hiệu {serial} của {name}, ngày cấp {date}").format(
        serial=f.entity_id, name=_new(f).get("full_name"), date=date_text(_new(f).get("issue_date")))),
    ("graduation.import", "graduation_result"): ("graduation", lambda f: tr(
        "audit_words", "Nhập kết quả tốt nghiệp từ sổ gốc cũ của {who}: {result}").format(
        who=f.learner_in_class(f.entity_id), result=plain(_new(f).get("classification")))),
    ("graduation.import_average", "graduation_result"): ("graduation", lambda f: tr(
        "audit_words", "Nhập điểm trung bình từ bảng điểm cũ của {who}: {value}").format(
        who=f.learner_in_class(f.entity_id), value=score_text(f.new))),
    ("score.import", "score"): ("scores", _score),
    ("certificate.copy", "certificate_copy"): ("certificates", lambda f: tr(
        "audit_words", "Cấp bản sao số {number} từ sổ gốc của văn bằng số hiệu {serial}").format(
        number=f.entity_id, serial=_new(f).get("serial"))),
    ("learners.merge", "learner"): ("learners", lambda f: _merge(f, tr(
        "audit_words", "Gộp hồ sơ {other} vào hồ sơ học viên {who}"))),
    ("learners.unmerge", "learner"): ("learners", lambda f: _merge(f, tr(
        "audit_words", "Tách lại hồ sơ học viên {who} đã gộp"))),
    ("learners.confirm_merge", "learner"): ("learners", lambda f: _merge(f, tr(
        "audit_words", "Xác nhận đã gộp hồ sơ vào hồ sơ học viên {who}"))),
    ("learners.dismiss_duplicate", "learner"): ("learners", lambda f: _merge(f, tr(
        "audit_words", "Ghi nhận hồ sơ học viên {who} và hồ sơ kia là hai người khác nhau"))),
    ("certificates.close_register", "register"): ("certificates", lambda f: tr(
        "audit_words", "Khóa sổ gốc ngày {date}").format(date=date_text(f.new))),
    ("outgoing.number", "outgoing_document"): ("documents", _numbered),
    ("outgoing.void", "outgoing_document"): ("documents", lambda f: tr(
        "audit_words", "Hủy số {symbol} trong sổ văn bản đi").format(
        symbol=str(f.entity_id or "").split("/", 1)[-1])),
    ("reports.annual_texts", "annual_report_text"): ("documents", lambda f: tr(
        "audit_words", "Sửa phần đánh giá và phương hướng của báo cáo năm {year}").format(year=f.entity_id)),
    ("backup.restore", "database"): ("system", _restored),
    ("audit.baseline", "database"): ("system", _baseline),
    ("user.create", "user"): ("accounts", _user_created),
    ("user.password", "user"): ("accounts", lambda f: tr("audit_words", "Đổi mật khẩu tài khoản {user}").format(
        user=f.entity_id)),
    ("user.reset_password", "user"): ("accounts", lambda f: tr(
        "audit_words", "Đặt lại mật khẩu cho tài khoản {user}").format(user=f.entity_id)),
    ("user.role", "user"): ("accounts", _role),
    ("user.key", "user"): ("accounts", lambda f: tr(
        "audit_words", "Tạo khóa ký nhật ký cho tài khoản {user} (lần đăng nhập đầu)").format(user=f.entity_id)),
    ("user.locked", "user"): ("accounts", lambda f: tr(
        "audit_words", "Tạm khóa tài khoản {user} sau nhiều lần nhập sai mật khẩu").format(user=f.entity_id)),
}
