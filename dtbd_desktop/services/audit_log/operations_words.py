"""Sentences for the entries an operation records by itself, with its arguments (entity
"operation"): one for every operation of `trust.operations.REGISTRY`, with its kind of change.

A test enumerates the registry and fails when an operation has none here.
"""

from __future__ import annotations

from collections.abc import Callable

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.services.audit_log.facts import Facts, count_text, date_text, half_text, plain

Words = Callable[[Facts], str]


def _from_file(f: Facts, words: str) -> str:
    """`words` and, when the entry kept it, " từ tệp NAME"."""
    path = str(f.arg("path") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return words + (" " + tr("audit_words", "từ tệp {file}").format(file=path) if path else "")


def _class(f: Facts, name: str = "class_code") -> str:
    return f.in_class(f.arg(name))


def _saved(f: Facts, key: str, new: str, edit: str, name: str) -> str:
    return (edit if f.arg(key) else new).format(name=name)


def _lecturer_saved(f: Facts) -> str:
    return _saved(f, "lecturer_id", tr("audit_words", "Thêm giảng viên {name}"),
                  tr("audit_words", "Sửa thông tin giảng viên {name}"), str(f.arg("full_name") or ""))


def _organisation_saved(f: Facts) -> str:
    return _saved(f, "organisation_id", tr("audit_words", "Thêm đơn vị {name}"),
                  tr("audit_words", "Sửa thông tin đơn vị {name}"), str(f.arg("name") or ""))


def _class_created(f: Facts) -> str:
    return tr("audit_words", "Mở lớp {code} (chương trình {programme}, {start} – {end})").format(
        code=_class(f, "code"), programme=f.arg("programme"), start=plain(f.arg("start")), end=plain(f.arg("end")))


def _session_added(f: Facts) -> str:
    from dtbd_desktop.rules.timetable import session_kind_label

    return tr("audit_words", "Thêm {slot} ({kind}) vào thời khóa biểu").format(
        kind=session_kind_label(str(f.arg("kind") or "lesson")).lower(),
        slot=f.slot(f.arg("day"), f.arg("half"), f.arg("module_code"), f.arg("class_code")))


def _lecturer_assigned(f: Facts) -> str:
    what = f.class_session(f.arg("session_id"))
    if f.arg("whole_module"):
        what = tr("audit_words", "mọi buổi cùng học phần với {slot}").format(slot=what)
    return tr("audit_words", "Phân công giảng viên {lecturer} dạy {what}").format(
        lecturer=f.lecturer(f.arg("lecturer_id")), what=what)


def _generated(f: Facts) -> str:
    words = tr("audit_words", "Lập thời khóa biểu lớp {code}").format(code=_class(f))
    return words + (" " + tr("audit_words", "(thay thời khóa biểu cũ)") if f.arg("replace") else "")


def _need_saved(f: Facts) -> str:
    return tr("audit_words", "Ghi nhu cầu đào tạo năm {year} của {organisation}: {n} học viên chương trình "
                             "{programme}").format(year=f.arg("year"), organisation=f.organisation(f.arg("organisation_id")),
                                                   n=count_text(f.arg("learners")), programme=f.arg("programme_code"))


def _followup(f: Facts, deleted: bool) -> str:
    template = (tr("audit_words", "Xóa đánh giá sau đào tạo năm {year} của {who}") if deleted
                else tr("audit_words", "Ghi đánh giá sau đào tạo năm {year} của {who}"))
    return template.format(year=f.arg("year"), who=f.learner_in_class(f.arg("enrolment_id")))


def _conduct(f: Facts) -> str:
    return tr("audit_words", "Ghi nhận xét, kỷ luật của học viên có số định danh {id} lớp {code}").format(
        id=f.arg("national_id"), code=_class(f))


def _learner_created(f: Facts) -> str:
    fields = f.arg("fields")
    name = " ".join(str(fields.get(k) or "") for k in ("family_name", "middle_name", "given_name")).split() \
        if isinstance(fields, dict) else []
    return tr("audit_words", "Thêm học viên mới {name} (nhập bằng tay) vào lớp {code}").format(
        name=" ".join(name) or tr("audit_words", "một học viên"), code=_class(f))


def _register_closed(f: Facts) -> str:
    from dtbd_desktop.services.certificates.records import kind_label

    return tr("audit_words", "Khóa sổ gốc {kind} năm {year} ngày {date}").format(
        kind=kind_label(str(f.arg("kind"))).lower(), year=f.arg("year"), date=date_text(f.arg("on")))


def _outgoing(f: Facts, words: str) -> str:
    return words.format(kind=f.arg("kind"), date=date_text(f.arg("on")), subject=plain(f.arg("subject")))


def _moved(f: Facts) -> str:
    found = f.names.enrolment(f.arg("enrolment_id"))
    return tr("audit_words", "Chuyển {who} sang lớp {target}").format(
        who=found.learner if found else tr("audit_words", "một học viên"), target=f.in_class(f.arg("target_code")))


def _layout(f: Facts, template: str, key: str = "layout_id") -> str:
    from dtbd_desktop.services.audit_log.names import layout_name

    value = f.arg(key)
    name = layout_name(f.names.session, value) if value else None
    return template.format(layout=name or value, programme=f.arg("programme_code"))


def _patterns(f: Facts) -> str:
    from dtbd_desktop.services.certificates.records import kind_label

    def first(pattern: object) -> str:
        try:
            return str(pattern).format(n=1, year=f.arg("year"))
        except (IndexError, KeyError, ValueError):
            return str(pattern)

    return tr("audit_words", "Đặt cách đánh số {kind} năm {year} (số đầu tiên: số hiệu {serial}, số vào sổ "
                             "{register})").format(kind=kind_label(str(f.arg("kind"))).lower(), year=f.arg("year"),
                                                   serial=first(f.arg("serial_pattern")),
                                                   register=first(f.arg("register_pattern")))


def _role(f: Facts) -> str:
    from dtbd_desktop.trust.accounts import ROLE_LABELS

    if not f.arg("active") and f.arg("active") is not None:
        return tr("audit_words", "Ngừng tài khoản {user}").format(user=f.arg("username"))
    role = str(f.arg("role"))
    return tr("audit_words", "Đổi vai trò tài khoản {user} thành {role}").format(
        user=f.arg("username"), role=tr("accounts", ROLE_LABELS.get(role, role)))


KIND_OF_PREFIX = {
    "attendance": "attendance", "backup": "system", "certificates": "certificates", "classes": "classes",
    "feedback": "classes", "followup": "learners", "graduation": "graduation", "learners": "learners",
    "lecturers": "catalogue", "organisations": "catalogue", "outgoing": "documents", "plans": "catalogue",
    "programmes": "catalogue", "register": "certificates", "reports": "documents", "roster": "learners",
    "scores": "scores", "settings": "system", "timetable": "classes", "users": "accounts",
}

OPERATION_WORDS: dict[str, Words] = {
    "attendance.delete_makeup": lambda f: tr("audit_words", "Xóa một buổi học bù"),
    "attendance.import_workbook": lambda f: _from_file(f, tr("audit_words", "Nhập điểm danh lớp {code}").format(
        code=_class(f))),
    "attendance.record_makeup": lambda f: tr("audit_words", "Ghi học bù học phần {module} lớp {code}").format(
        module=f.arg("module_code"), code=_class(f)),
    "attendance.set_mark": lambda f: tr("audit_words", "Điểm danh học viên có số định danh {id}, {slot}").format(
        id=f.arg("national_id"), slot=f.slot(f.arg("date"), f.arg("half"), None, f.arg("class_code"))),
    "attendance.set_marks": lambda f: tr("audit_words", "Điểm danh lớp {code}").format(code=f.class_by_id(
        f.arg("class_id"))),
    "backup.restore": lambda f: tr("audit_words", "Phục hồi cơ sở dữ liệu từ bản sao lưu"),
    "certificates.enrol_key": lambda f: tr("audit_words", "Đăng ký khóa ký văn bằng {label}").format(
        label=plain(f.arg("label"))),
    "certificates.issue": lambda f: tr("audit_words", "Cấp văn bằng, chứng chỉ cho lớp {code}").format(code=_class(f)),
    "certificates.print": lambda f: tr("audit_words", "In văn bằng, chứng chỉ lớp {code}").format(code=_class(f)),
    "certificates.record_prints": lambda f: tr("audit_words", "Ghi nhận đã in {n} văn bằng, chứng chỉ").format(
        n=len(f.arg("certificate_ids") or [])),
    "certificates.reissue": lambda f: tr("audit_words", "Cấp lại văn bằng số hiệu {serial}").format(
        serial=f.arg("serial")),
    "certificates.reset_layout": lambda f: _layout(f, tr("audit_words", "Trả mẫu in {layout} về như ban đầu")),
    "certificates.retire_key": lambda f: tr("audit_words", "Thôi dùng khóa ký văn bằng {key}").format(
        key=f.arg("key_id")),
    "certificates.revoke": lambda f: tr("audit_words", "Thu hồi văn bằng số hiệu {serial}").format(serial=f.arg("serial")),
    "certificates.save_calibration": lambda f: tr("audit_words", "Căn chỉnh vị trí in cho máy in {printer}").format(
        printer=f.arg("printer") or tr("audit_words", "mặc định")),
    "certificates.save_layout": lambda f: tr("audit_words", "Lưu mẫu in văn bằng"),
    "certificates.set_patterns": _patterns,
    "certificates.set_programme_layout": lambda f: _layout(
        f, tr("audit_words", "Chọn mẫu in {layout} cho chương trình {programme}") if f.arg("layout_id") else
        tr("audit_words", "Cho chương trình {programme} dùng mẫu in mặc định")),
    "certificates.close_register": _register_closed,
    "certificates.confirm": lambda f: tr("audit_words", "In giấy xác nhận tốt nghiệp theo văn bằng số hiệu {serial}")
    .format(serial=f.arg("serial")),
    "certificates.copy": lambda f: tr("audit_words", "Cấp bản sao từ sổ gốc của văn bằng số hiệu {serial}").format(
        serial=f.arg("serial")),
    "classes.create": _class_created,
    "classes.delete": lambda f: tr("audit_words", "Xóa lớp {code}").format(code=_class(f, "code")),
    "classes.update": lambda f: tr("audit_words", "Sửa thông tin lớp {code}").format(code=_class(f, "code")),
    "feedback.add": lambda f: tr("audit_words", "Nhập phiếu phản hồi của học viên lớp {code}").format(code=_class(f)),
    "feedback.delete": lambda f: tr("audit_words", "Xóa phiếu phản hồi của lớp {code}").format(code=_class(f)),
    "feedback.import_workbook": lambda f: _from_file(f, tr("audit_words", "Nhập phiếu phản hồi lớp {code}").format(
        code=_class(f))),
    "followup.delete": lambda f: _followup(f, True),
    "followup.record": lambda f: _followup(f, False),
    "graduation.conduct": _conduct,
    "graduation.conducts": lambda f: tr("audit_words", "Ghi nhận xét của cơ quan cử đi học, kỷ luật, rèn luyện "
                                                       "của học viên lớp {code} (nhập theo bảng)").format(code=_class(f)),
    "graduation.decision": lambda f: tr("audit_words", "Ghi quyết định công nhận tốt nghiệp lớp {code}: số {number} "
                                                       "ngày {date}").format(code=_class(f), number=f.arg("number"),
                                                                             date=plain(f.arg("date"))),
    "graduation.review": lambda f: tr("audit_words", "Xét tốt nghiệp lớp {code}").format(code=_class(f)),
    "learners.confirm_merge": lambda f: tr("audit_words", "Xác nhận gộp hồ sơ học viên trùng (cặp số {pair})").format(
        pair=f.arg("pair_id")),
    "learners.create": _learner_created,
    "learners.dismiss_duplicate": lambda f: tr("audit_words", "Ghi nhận hai hồ sơ là hai người khác nhau (cặp số {pair})")
    .format(pair=f.arg("pair_id")),
    "learners.merge": lambda f: tr("audit_words", "Gộp hồ sơ học viên trùng (cặp số {pair})").format(
        pair=f.arg("pair_id")),
    "learners.unmerge": lambda f: tr("audit_words", "Tách lại hồ sơ học viên đã gộp (cặp số {pair})").format(
        pair=f.arg("pair_id")),
    "learners.update": lambda f: tr("audit_words", "Sửa hồ sơ học viên {name}").format(
        name=f.learner(f.arg("learner_id"))),
    "lecturers.save": _lecturer_saved,
    "organisations.delete": lambda f: tr("audit_words", "Xóa đơn vị {name}").format(
        name=f.organisation(f.arg("organisation_id"))),
    "organisations.save": _organisation_saved,
    "outgoing.number": lambda f: _outgoing(f, tr("audit_words", "Lấy số văn bản đi ({kind}) ngày {date}: {subject}")),
    "outgoing.register": lambda f: _outgoing(f, tr("audit_words", "Vào sổ văn bản đi ({kind}) ngày {date}: {subject}")),
    "outgoing.void": lambda f: tr("audit_words", "Hủy số {number} ({kind}) năm {year} trong sổ văn bản đi").format(
        number=f.arg("number"), kind=f.arg("kind"), year=f.arg("year")),
    "plans.apply_draft": lambda f: tr("audit_words", "Lập chỉ tiêu kế hoạch năm {year} từ nhu cầu đào tạo").format(
        year=f.arg("year")),
    "plans.clear_needs": lambda f: tr("audit_words", "Xóa nhu cầu đào tạo năm {year}").format(year=f.arg("year")),
    "plans.import_needs": lambda f: _from_file(f, tr("audit_words", "Nhập nhu cầu đào tạo")),
    "plans.save": lambda f: tr("audit_words", "Lưu kế hoạch đào tạo năm {year}").format(year=f.arg("year")),
    "plans.save_need": _need_saved,
    "plans.set_needs": lambda f: tr("audit_words", "Ghi nhu cầu đào tạo năm {year}").format(year=f.arg("year")),
    "programmes.save": lambda f: tr("audit_words", "Lưu chương trình {code}: {name}").format(
        code=f.arg("code"), name=plain(f.arg("name"))),
    "programmes.save_wording": lambda f: tr("audit_words", "Sửa lời văn in trên văn bằng, chứng chỉ của chương trình "
                                                           "{code}").format(code=f.arg("code")),
    "programmes.save_legal_basis": lambda f: tr("audit_words", "Sửa căn cứ (văn bản quy định) in trên giấy tờ của "
                                                               "chương trình {code}").format(code=f.arg("code")),
    "programmes.save_rules": lambda f: tr("audit_words", "Sửa quy định (điểm, xếp loại, vắng) của chương trình "
                                                         "{code}").format(code=f.arg("code")),
    "reports.annual_texts": lambda f: tr("audit_words", "Sửa phần đánh giá và phương hướng của báo cáo năm {year}")
    .format(year=f.arg("year")),
    "register.import": lambda f: _from_file(f, tr("audit_words", "Nhập sổ gốc cũ")),
    "register.import_results": lambda f: tr("audit_words", "Nhập bảng điểm cũ {file}").format(
        file=plain(f.arg("file_name")) if f.arg("file_name") else ""),
    "roster.add": lambda f: tr("audit_words", "Thêm học viên {name} vào lớp {code}").format(
        name=f.learner(f.arg("learner_id")), code=_class(f)),
    "roster.import": lambda f: tr("audit_words", "Nhập danh sách học viên vào lớp {code}").format(code=_class(f)),
    "roster.move": _moved,
    "roster.reinstate": lambda f: tr("audit_words", "Cho {who} học tiếp").format(
        who=f.learner_in_class(f.arg("enrolment_id"))),
    "roster.remove": lambda f: tr("audit_words", "Xóa {who} khỏi danh sách lớp").format(
        who=f.learner_in_class(f.arg("enrolment_id"))),
    "roster.withdraw": lambda f: tr("audit_words", "Cho {who} thôi học").format(
        who=f.learner_in_class(f.arg("enrolment_id"))),
    "scores.finalise": lambda f: tr("audit_words", "Chốt điểm học phần {module} lớp {code}").format(
        module=f.arg("module_code"), code=_class(f)),
    "scores.import_workbook": lambda f: _from_file(f, tr("audit_words", "Nhập điểm lớp {code}").format(
        code=_class(f))),
    "scores.set": lambda f: tr("audit_words", "Nhập điểm lớp {code}").format(code=_class(f)),
    "scores.unfinalise": lambda f: tr("audit_words", "Mở lại điểm đã chốt học phần {module} lớp {code}").format(
        module=f.arg("module_code"), code=_class(f)),
    "settings.save": lambda f: tr("audit_words", "Sửa cài đặt của chương trình"),
    "timetable.add_holiday": lambda f: tr("audit_words", "Thêm ngày nghỉ {date}: {name}").format(
        date=date_text(f.arg("day")), name=plain(f.arg("name"))),
    "timetable.add_session": _session_added,
    "timetable.assign_lecturer": _lecturer_assigned,
    "timetable.delete_session": lambda f: tr("audit_words", "Xóa một buổi học khỏi thời khóa biểu"),
    "timetable.generate": _generated,
    "timetable.move_session": lambda f: tr("audit_words", "Dời {slot} sang buổi {half} {date}").format(
        slot=f.class_session(f.arg("session_id")), half=half_text(f.arg("half")), date=date_text(f.arg("day"))),
    "timetable.remove_holiday": lambda f: tr("audit_words", "Bỏ ngày nghỉ {date}").format(date=date_text(f.arg("day"))),
    "timetable.seed_holidays": lambda f: tr("audit_words", "Thêm các ngày nghỉ lễ năm {year}").format(
        year=f.arg("year")),
    "users.change_password": lambda f: tr("audit_words", "Đổi mật khẩu của mình"),
    "users.create": lambda f: tr("audit_words", "Tạo tài khoản {user}").format(user=f.arg("username")),
    "users.reset_password": lambda f: tr("audit_words", "Đặt lại mật khẩu cho tài khoản {user}").format(
        user=f.arg("username")),
    "users.set_role": _role,
}


def operation_kind(name: str) -> str:
    """The kind of change an operation makes (a key of `audit_log.KINDS`)."""
    return KIND_OF_PREFIX.get(name.split(".", 1)[0], "other")
