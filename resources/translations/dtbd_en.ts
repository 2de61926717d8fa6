<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="vi_VN">
  <context>
    <name>accounts</name>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Chỉ xem</source>
      <translation>View only</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Cần đăng nhập để làm việc này (dòng lệnh: --user TÊN, mật khẩu trong biến môi trường DTBD_PASSWORD).</source>
      <translation>You need to log in to do this (command line: --user NAME, password in the DTBD_PASSWORD environment variable).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Giảng viên</source>
      <translation>Lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Khóa của tài khoản {user} không khớp mật khẩu (dữ liệu tài khoản đã bị sửa ngoài chương trình); quản trị hãy đặt lại mật khẩu.</source>
      <translation>The key of account {user} does not match its password (the account data was changed outside the program); an administrator must reset the password.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Không có tài khoản '{name}'.</source>
      <translation>There is no account '{name}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Không xác nhận được người đang làm việc; hãy đăng nhập lại.</source>
      <translation>Could not confirm who is working; please log in again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Mật khẩu cần ít nhất {n} ký tự.</source>
      <translation>The password needs at least {n} characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Mật khẩu của tài khoản {user} đã thay đổi; hãy đăng nhập lại.</source>
      <translation>The password of account {user} has changed; please log in again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Mật khẩu hiện tại không đúng.</source>
      <translation>The current password is wrong.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Phòng đào tạo</source>
      <translation>Training office</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Phải còn ít nhất một tài khoản quản trị đang hoạt động.</source>
      <translation>At least one active administrator account must remain.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Quản trị</source>
      <translation>Administrator</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Quản trị (máy này)</source>
      <translation>Administrator (this PC)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Quản trị (máy này, người dùng {name})</source>
      <translation>Administrator (this PC, user {name})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Quản trị (máy đơn)</source>
      <translation>Administrator (single PC)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Quản trị máy đơn không có mật khẩu; hãy tạo tài khoản trước.</source>
      <translation>The single-PC administrator has no password; create an account first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Thông số khóa của tài khoản bị hỏng; quản trị hãy đặt lại mật khẩu.</source>
      <translation>The account's key parameters are damaged; an administrator must reset the password.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {time}.</source>
      <translation>The account is temporarily locked after too many wrong passwords; try again after {time}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Tài khoản {user} (giảng viên) chỉ được {what} ở lớp mình chủ nhiệm hoặc giảng dạy.</source>
      <translation>Account {user} (lecturer) may only {what} in classes they lead or teach.</translation>
    </message>
    <message>
      <source>Tài khoản {user} ({role}) không có quyền làm việc này.</source>
      <translation type="obsolete">Account {user} ({role}) is not allowed to do this.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Tài khoản {user} ({role}) không có quyền {what}.</source>
      <translation>Account {user} ({role}) is not allowed to {what}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Tài khoản {user} không còn hoạt động.</source>
      <translation>Account {user} is no longer active.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Tài khoản {user} đã bị sửa ngoài chương trình (vai trò hoặc khóa không khớp nhật ký thay đổi). Quản trị hãy chạy Kiểm tra nhật ký (dtbd audit verify) và đặt lại vai trò.</source>
      <translation>Account {user} was changed outside the program (its role or key does not match the audit log). An administrator must run the log check (dtbd audit verify) and set the role again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Tài khoản đầu tiên phải là tài khoản quản trị.</source>
      <translation>The first account must be an administrator account.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Tên đăng nhập chỉ gồm chữ, số, dấu chấm, gạch dưới.</source>
      <translation>A user name may contain only letters, digits, dots and underscores.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Tên đăng nhập hoặc mật khẩu không đúng.</source>
      <translation>Wrong user name or password.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Vai trò không hợp lệ.</source>
      <translation>Invalid role.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>chốt điểm</source>
      <translation>finalise scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>cấp văn bằng, chứng chỉ</source>
      <translation>issue diplomas and certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>ghi rèn luyện, nhận xét của cơ quan cử đi học</source>
      <translation>record conduct and the sending organisation's confirmation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>nhập điểm</source>
      <translation>enter scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>phục hồi cơ sở dữ liệu</source>
      <translation>restore the database</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>quản lý tài khoản</source>
      <translation>manage accounts</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>sao lưu</source>
      <translation>back up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>sửa cài đặt</source>
      <translation>change the settings</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>sửa danh mục</source>
      <translation>change the catalogue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>sửa danh sách học viên</source>
      <translation>change learner lists</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>sửa lớp học, thời khóa biểu</source>
      <translation>change classes and timetables</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>sửa điểm danh đã khóa</source>
      <translation>change locked attendance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>sửa điểm đã chốt</source>
      <translation>change finalised scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>thu hồi, cấp lại văn bằng</source>
      <translation>revoke and reissue documents</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>vào sổ văn bản đi (lấy số quyết định, công văn, báo cáo)</source>
      <translation>enter documents in the outgoing register (number decisions, letters, reports)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>xem dữ liệu</source>
      <translation>view data</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>xét tốt nghiệp</source>
      <translation>review graduation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>Đã có tài khoản '{name}'.</source>
      <translation>An account '{name}' already exists.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>điểm danh</source>
      <translation>take attendance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>đăng ký khóa ký văn bằng</source>
      <translation>enrol document signing keys</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/accounts.py" />
      <source>đổi mật khẩu của mình</source>
      <translation>change one's own password</translation>
    </message>
  </context>
  <context>
    <name>admin_keys</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source> (máy này)</source>
      <translation> (this PC)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Chỉ máy có khóa đã được quản trị đăng ký mới cấp được văn bằng, và chỉ chữ ký bằng các khóa này được coi là thật. Tệp khóa của máy này: {path}. Hãy chép tệp này vào USB cất trong tủ của phòng đào tạo; không gửi qua thư điện tử.</source>
      <translation>Only a PC whose key an administrator enrolled can issue documents, and only signatures by these keys count as genuine. This PC's key file: {path}. Copy it to a USB disk kept in the training office's cabinet; never send it by e-mail.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Chọn một khóa trong bảng.</source>
      <translation>Choose a key in the table.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Ghi chú về máy này (ví dụ: máy phòng đào tạo):</source>
      <translation>A note about this PC (for example: training office PC):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>KHÔNG TIN CẬY (không có trong nhật ký)</source>
      <translation>NOT TRUSTED (not in the audit log)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Lý do:</source>
      <translation>Reason:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Máy</source>
      <translation>PC</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Mã khóa</source>
      <translation>Key ID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Người đăng ký</source>
      <translation>Enrolled by</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Thôi dùng</source>
      <translation>Retired</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Thôi dùng khóa</source>
      <translation>Retire key</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Thôi dùng khóa đã chọn...</source>
      <translation>Retire the selected key...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Tình trạng</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Đang dùng</source>
      <translation>In use</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Đã thôi dùng khóa {id}.</source>
      <translation>Key {id} retired.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Đã đăng ký khóa {id}: máy này cấp được văn bằng.</source>
      <translation>Key {id} enrolled: this PC can issue documents.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Đăng ký khóa</source>
      <translation>Enrol key</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_keys.py" />
      <source>Đăng ký khóa của máy này...</source>
      <translation>Enrol this PC's key...</translation>
    </message>
  </context>
  <context>
    <name>admin_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>500 thay đổi mới nhất; thu hẹp điều kiện để xem thêm</source>
      <translation>The 500 newest changes; narrow the filters to see more</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Bản sao lưu</source>
      <translation>Backup</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Bản sao lưu không qua kiểm tra</source>
      <translation>The backup failed the check</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Bật đăng nhập</source>
      <translation>Turn logins on</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Chưa có tài khoản nào: ai mở chương trình cũng làm việc với quyền quản trị. Tạo tài khoản đầu tiên (quản trị) là BẬT ĐĂNG NHẬP: từ đó mọi người, cả dòng lệnh, phải đăng nhập bằng tài khoản và mật khẩu mới làm việc được.</source>
      <translation>There is no account yet: whoever opens the program works as an administrator. Creating the first account (an administrator) TURNS LOGINS ON: from then on everyone, the command line included, must log in with an account and password to work.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Chọn một bản sao lưu trong bảng.</source>
      <translation>Select a backup in the table.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Chọn một dòng để xem đầy đủ, kèm dữ liệu gốc cho hỗ trợ kỹ thuật.</source>
      <translation>Select a line to see it in full, with the raw entry for technical support.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Chọn một tài khoản trong bảng.</source>
      <translation>Select an account in the table.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Cơ sở dữ liệu SQLite (*.sqlite3)</source>
      <translation>SQLite database (*.sqlite3)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Dung lượng (KB)</source>
      <translation>Size (KB)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Dữ liệu gốc của mục nhật ký số {seq} (cho hỗ trợ kỹ thuật):</source>
      <translation>Raw data of audit entry {seq} (for technical support):</translation>
    </message>
    <message>
      <source>Giá trị cũ</source>
      <translation type="obsolete">Old value</translation>
    </message>
    <message>
      <source>Giá trị mới</source>
      <translation type="obsolete">New value</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Hoạt động</source>
      <translation>Active</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Họ và tên:</source>
      <translation>Full name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Khóa ký văn bằng</source>
      <translation>Document signing keys</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Kiểm tra nhật ký không bị sửa</source>
      <translation>Check the log has not been altered</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Loại thay đổi</source>
      <translation>Kind of change</translation>
    </message>
    <message>
      <source>Lý do</source>
      <translation type="obsolete">Reason</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Mật khẩu (ít nhất 8 ký tự):</source>
      <translation>Password (at least 8 characters):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Mọi loại thay đổi</source>
      <translation>All kinds of change</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Mọi lớp</source>
      <translation>All classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Mọi người</source>
      <translation>Everyone</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Người làm</source>
      <translation>By</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Ngừng</source>
      <translation>Disabled</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Ngừng tài khoản đã chọn</source>
      <translation>Deactivate the selected account</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Nhật ký hoặc dữ liệu được bảo vệ đã bị can thiệp ngoài chương trình ({n} chỗ):</source>
      <translation>The audit log or protected records were tampered with outside the program ({n} places):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Nhật ký nguyên vẹn ({n} mục); dữ liệu được bảo vệ khớp nhật ký.</source>
      <translation>The audit log is intact ({n} entries); the protected records match it.</translation>
    </message>
    <message>
      <source>Nhật ký nguyên vẹn.</source>
      <translation type="obsolete">The log is intact.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Nhật ký thay đổi</source>
      <translation>Change log</translation>
    </message>
    <message>
      <source>Nhật ký đã bị can thiệp ở {n} mục, mục đầu tiên: {id}.</source>
      <translation type="obsolete">The log has been tampered with in {n} entries, the first: {id}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Nếu vẫn phải phục hồi bản này, ghi lý do (được ghi vào nhật ký); bỏ trống để thôi:</source>
      <translation>If this copy must be restored anyway, give the reason (it is recorded in the audit log); leave empty to cancel:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Nội dung</source>
      <translation>What changed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Phục hồi</source>
      <translation>Restore</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Phục hồi cơ sở dữ liệu từ {name}? Cơ sở dữ liệu hiện tại được cất sang bên trước; sau khi phục hồi chương trình sẽ đóng để mở lại.</source>
      <translation>Restore the database from {name}? The current database is set aside first; after the restore the program will close so you can reopen it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Phục hồi từ bản đã chọn...</source>
      <translation>Restore from the selected backup...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Quản trị</source>
      <translation>Administration</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Sao lưu</source>
      <translation>Backup</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Sao lưu ngay</source>
      <translation>Back up now</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Sao lưu ra tệp</source>
      <translation>Back up to a file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Sao lưu ra tệp khác (USB)...</source>
      <translation>Back up to another file (USB)...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Thư mục sao lưu tự động (mỗi ngày và mỗi lần thoát chương trình):</source>
      <translation>Automatic backup folder (daily and every time the program exits):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Thời điểm</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>Trường</source>
      <translation type="obsolete">Field</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Tài khoản</source>
      <translation>Accounts</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Tài khoản {name} nay có vai trò {role}.</source>
      <translation>Account {name} now has the role {role}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Tên đăng nhập</source>
      <translation>User name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Tên đăng nhập:</source>
      <translation>User name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Tìm</source>
      <translation>Search</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Tìm (tên học viên, lớp, học phần, lý do...; không cần dấu)</source>
      <translation>Search (learner's name, class, module, reason...; diacritics optional)</translation>
    </message>
    <message>
      <source>Tìm trong nhật ký (việc, đối tượng, giá trị, lý do)...</source>
      <translation type="obsolete">Search the log (action, object, value, reason)...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Tình trạng</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Tạo tài khoản</source>
      <translation>Create account</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>Từ:</source>
      <translation>From:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Vai trò</source>
      <translation>Role</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Vai trò:</source>
      <translation>Role:</translation>
    </message>
    <message>
      <source>Việc</source>
      <translation type="obsolete">Action</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>{n} thay đổi</source>
      <translation>{n} changes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đang khóa</source>
      <translation>Locked</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đang kiểm tra và phục hồi {name}...</source>
      <translation>Checking and restoring {name}...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đây là tài khoản đầu tiên. Sau khi tạo, mọi người (cả dòng lệnh) phải đăng nhập mới làm việc được, và chương trình sẽ đăng nhập ngay bằng tài khoản này. Hãy ghi mật khẩu quản trị cất vào tủ của lãnh đạo: không có cách nào lấy lại. Tạo tài khoản?</source>
      <translation>This is the first account. Once it exists, everyone (the command line too) must log in to work, and the program logs in with this account at once. Write the administrator's password down and keep it in the director's cabinet: there is no way to recover it. Create the account?</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đã bật đăng nhập; đang làm việc với tài khoản {name}.</source>
      <translation>Logins are on; working as {name}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đã ngừng tài khoản {name}.</source>
      <translation>Account {name} deactivated.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đã phục hồi</source>
      <translation>Restored</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đã phục hồi từ {name}. Cơ sở dữ liệu trước đó được cất ở {previous}. Chương trình sẽ đóng; hãy mở lại.</source>
      <translation>Restored from {name}. The previous database was kept at {previous}. The program will now close; please reopen it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đã sao lưu vào {path}.</source>
      <translation>Backed up to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đã tạo tài khoản {name}.</source>
      <translation>Account {name} created.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đã đặt lại mật khẩu cho {name}.</source>
      <translation>Password reset for {name}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đặt lại mật khẩu cho tài khoản đã chọn</source>
      <translation>Reset the password of the selected account</translation>
    </message>
    <message>
      <source>Đối tượng</source>
      <translation type="obsolete">Object</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_view.py" />
      <source>Đổi vai trò tài khoản đã chọn</source>
      <translation>Change the selected account's role</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/admin_audit.py" />
      <source>đến:</source>
      <translation>to:</translation>
    </message>
  </context>
  <context>
    <name>annual_report</name>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>% HV</source>
      <translation>% learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>% lớp</source>
      <translation>% classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>(Số liệu tính đến ngày {date})</source>
      <translation>(Figures as of {date})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>, kể cả lớp chuyển tiếp</source>
      <translation>, including carried-over classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>1. Theo chương trình</source>
      <translation>1. By programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>2. Theo trình độ đào tạo</source>
      <translation>2. By training level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>3. Theo cấp của đơn vị cử đi học</source>
      <translation>3. By level of sending organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>4. Theo đơn vị cử đi học (số của xã tính vào huyện, của huyện tính vào tỉnh)</source>
      <translation>4. By sending organisation (commune figures counted in the district, district figures in the province)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>5. Theo hình thức học và địa điểm</source>
      <translation>5. By study mode and venue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>6. Cơ cấu học viên</source>
      <translation>6. Learner profile</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Biểu đồ 1. Lượt học viên theo chương trình, năm {prev} và năm {year}</source>
      <translation>Chart 1. Learner-times by programme, {prev} and {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Biểu đồ 2. Kết quả học tập theo xếp loại</source>
      <translation>Chart 2. Learning results by classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>BÁO CÁO</source>
      <translation>REPORT</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Báo cáo kết quả công tác đào tạo, bồi dưỡng năm {year}</source>
      <translation>Report on training and fostering results in {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Bổ nhiệm</source>
      <translation>Appointed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Chung</source>
      <translation>Overall</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Chuyển tiếp</source>
      <translation>Carried over</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Chưa có lớp nào kết thúc và xét kết quả trong năm.</source>
      <translation>No class has finished and had its results reviewed this year yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Chưa nhập phiếu phản hồi của học viên trong năm.</source>
      <translation>No learner feedback forms have been entered this year yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Chương trình – khóa tốt nghiệp</source>
      <translation>Programme – graduating cohort</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Chương trình, khóa tốt nghiệp</source>
      <translation>Programme, graduating cohort</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Các lớp kết thúc trong năm đã xét {n} học viên: {parts}.</source>
      <translation>Classes finishing this year reviewed {n} learners: {parts}.</translation>
    </message>
    <message>
      <source>Cán bộ trẻ (đến {n} tuổi)</source>
      <translation type="obsolete">Young cadres (up to {n} years old)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Cơ cấu học viên</source>
      <translation>Learner profile</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Cấp</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Cấp của đơn vị cử đi học</source>
      <translation>Level of sending organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Cộng</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>Dân tộc thiểu số</source>
      <translation type="obsolete">Ethnic minorities</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Giảng viên</source>
      <translation>Lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>HTXS, HTT NV</source>
      <translation>Excellent/good performance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>HV</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>HV KH</source>
      <translation>Planned learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>HV TH</source>
      <translation>Actual learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>HV chuyển tiếp</source>
      <translation>Carried-over learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>HV {y}</source>
      <translation>Learners {y}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Hình thức</source>
      <translation>Mode</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Học viên tốt nghiệp năm {a} và {b}: {g} người, đã có đánh giá năm {year}: {f} người; được quy hoạch {p}, luân chuyển {r}, bổ nhiệm, đề bạt {pr}, giao nhiệm vụ cao hơn {h}.</source>
      <translation>Learners graduating in {a} and {b}: {g}, with a {year} rating: {f}; planned for promotion {p}, rotated {r}, appointed or promoted {pr}, given higher duties {h}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH</source>
      <translation>I. PLAN IMPLEMENTATION RESULTS</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>II. THỐNG KÊ LỚP HỌC VÀ HỌC VIÊN</source>
      <translation>II. CLASS AND LEARNER STATISTICS</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>III. KẾT QUẢ HỌC TẬP</source>
      <translation>III. LEARNING RESULTS</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>IV. SO SÁNH VỚI NĂM {prev}</source>
      <translation>IV. COMPARISON WITH {prev}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>IX. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year}</source>
      <translation>IX. DIRECTIONS AND TASKS FOR {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>KH</source>
      <translation>Plan</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>KH: kế hoạch; TH: thực hiện (lớp đã khai giảng trong năm{carried}); chuyển tiếp: lớp khai giảng năm {prev} còn học trong năm {year}.</source>
      <translation>Plan: planned; Actual: carried out (classes opened in the year{carried}); carried over: classes opened in {prev} still running in {year}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>KH: kế hoạch; TH: thực hiện; HV: lượt học viên.</source>
      <translation>Plan: planned; Actual: carried out; Learners: learner-times.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Không có học viên tốt nghiệp năm {a}, {b} cần theo dõi.</source>
      <translation>No learners graduating in {a} or {b} to follow up.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>KẾT QUẢ HỌC TẬP CÁC LỚP KẾT THÚC NĂM {year}</source>
      <translation>LEARNING RESULTS OF CLASSES FINISHING IN {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Kế hoạch</source>
      <translation>Plan</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Kết quả</source>
      <translation>Results</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Kết quả công tác đào tạo, bồi dưỡng năm {year}</source>
      <translation>Training and fostering results in {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Kết quả học tập theo xếp loại</source>
      <translation>Learning results by classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Loại</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Loại giảng viên</source>
      <translation>Lecturer type</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Luân chuyển</source>
      <translation>Rotated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>LƯỢT HỌC VIÊN THEO ĐƠN VỊ CỬ ĐI HỌC NĂM {year}</source>
      <translation>LEARNER-TIMES BY SENDING ORGANISATION IN {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Lượt học viên</source>
      <translation>Learner-times</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Lượt học viên theo chương trình</source>
      <translation>Learner-times by programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Lớp</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Lớp KH</source>
      <translation>Planned classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Lớp TH</source>
      <translation>Actual classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Lớp chuyển tiếp</source>
      <translation>Carried-over classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Lớp {y}</source>
      <translation>Classes {y}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>NV cao hơn</source>
      <translation>Higher duties</translation>
    </message>
    <message>
      <source>Người lập báo cáo</source>
      <translation type="obsolete">Prepared by</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Năm {year} có {classes} lớp khai giảng với {learners} lượt học viên; năm {prev}: {pc} lớp, {pl} lượt học viên.</source>
      <translation>In {year}, {classes} classes opened with {learners} learner-times; in {prev}: {pc} classes, {pl} learner-times.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Năm {y}</source>
      <translation>Year {y}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Nội dung</source>
      <translation>Content</translation>
    </message>
    <message>
      <source>Nữ</source>
      <translation type="obsolete">Women</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Phản hồi</source>
      <translation>Feedback</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Quy hoạch</source>
      <translation>Succession planning</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>SO SÁNH NĂM {year} VỚI NĂM {prev}</source>
      <translation>COMPARISON OF {year} WITH {prev}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>STT</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Sau đào tạo</source>
      <translation>Follow-up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>So sánh</source>
      <translation>Comparison</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>SỐ TIẾT GIẢNG NĂM {year} THEO GIẢNG VIÊN</source>
      <translation>TEACHING PERIODS IN {year} BY LECTURER</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Số của đơn vị cấp dưới được cộng vào đơn vị cấp trên (xã → huyện → tỉnh).</source>
      <translation>Figures of lower-level organisations are added to their parent (commune → district → province).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Số học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Số lượng</source>
      <translation>Number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Số lớp</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Số phiếu</source>
      <translation>Forms</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Số tiết</source>
      <translation>Periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>TH</source>
      <translation>Actual</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>THỐNG KÊ LỚP HỌC VÀ HỌC VIÊN NĂM {year}</source>
      <translation>CLASS AND LEARNER STATISTICS IN {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Thống kê</source>
      <translation>Statistics</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Thời khóa biểu trong năm chưa ghi giảng viên.</source>
      <translation>The timetable for the year does not name any lecturers yet.</translation>
    </message>
    <message>
      <source>Thủ trưởng đơn vị</source>
      <translation type="obsolete">Head of organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Tiết giảng</source>
      <translation>Teaching periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Tiết thực tế</source>
      <translation>Field-trip periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Trình độ</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Tăng, giảm (học viên)</source>
      <translation>Change (learners)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Tăng, giảm HV</source>
      <translation>Change in learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Tốt nghiệp</source>
      <translation>Graduated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Tổng cộng</source>
      <translation>Grand total</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Tổng số lượt học viên</source>
      <translation>Total learner-times</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Tổng số tiết</source>
      <translation>Total periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>TỶ LỆ HỌC VIÊN HÀI LÒNG VÀ RẤT HÀI LÒNG NĂM {year}</source>
      <translation>SHARE OF LEARNERS SATISFIED AND VERY SATISFIED IN {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Tỷ lệ</source>
      <translation>Share</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>Tỷ lệ hài lòng theo giảng viên: xem bảng tính Excel của báo cáo.</source>
      <translation>Satisfaction by lecturer: see the report's Excel workbook.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Tỷ lệ đánh giá mức 4, 5 trên thang 1–5; cột cuối là điểm trung bình.</source>
      <translation>Share of ratings 4 and 5 on a 1–5 scale; the last column is the average score.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>V. GIẢNG DẠY</source>
      <translation>V. TEACHING</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>VI. Ý KIẾN PHẢN HỒI CỦA HỌC VIÊN</source>
      <translation>VI. LEARNER FEEDBACK</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>VII. ĐÁNH GIÁ HỌC VIÊN SAU ĐÀO TẠO</source>
      <translation>VII. POST-TRAINING EVALUATION OF LEARNERS</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>VIII. ĐÁNH GIÁ CHUNG</source>
      <translation>VIII. GENERAL ASSESSMENT</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>{kind}: {n} tiết</source>
      <translation>{kind}: {n} periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>{n} giảng viên đã giảng {p} tiết ({parts}).</source>
      <translation>{n} lecturers taught {p} periods ({parts}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <source>{n} phiếu phản hồi; tỷ lệ đánh giá hài lòng và rất hài lòng (mức 4, 5): {share}.</source>
      <translation>{n} feedback forms; share of satisfied and very satisfied ratings (levels 4, 5): {share}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Điểm TB</source>
      <translation>Average</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>ĐÁNH GIÁ HỌC VIÊN SAU ĐÀO TẠO NĂM {year}</source>
      <translation>POST-TRAINING EVALUATION OF LEARNERS IN {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Đánh giá, phương hướng</source>
      <translation>Assessment, directions</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Đã đánh giá</source>
      <translation>Evaluated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <source>Đảng viên</source>
      <translation type="obsolete">Party members</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/annual_report.py" />
      <location filename="../../dtbd_desktop/reports/annual_report_xlsx.py" />
      <source>Địa điểm</source>
      <translation>Venue</translation>
    </message>
    <message>
      <source>Độ tuổi {band}</source>
      <translation type="obsolete">Age {band}</translation>
    </message>
  </context>
  <context>
    <name>annual_texts</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/annual_texts_dialog.py" />
      <source>Chưa ghi: đây là nội dung gợi ý từ số liệu của năm, sửa rồi lưu.</source>
      <translation>Not written yet: this is a suggestion made from the year's figures; edit it and save.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/annual_texts_dialog.py" />
      <source>IX. Phương hướng, nhiệm vụ năm {year} (mỗi đoạn một dòng):</source>
      <translation>IX. Directions and tasks for {year} (one paragraph per line):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/annual_texts_dialog.py" />
      <source>Lưu</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/annual_texts_dialog.py" />
      <source>Nhận định, phương hướng của báo cáo năm {year}</source>
      <translation>Assessment and directions of the {year} annual report</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/annual_texts_dialog.py" />
      <source>VIII. Đánh giá chung (mỗi đoạn một dòng):</source>
      <translation>VIII. General assessment (one paragraph per line):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/annual_texts_dialog.py" />
      <source>Đã ghi bởi {who}.</source>
      <translation>Written by {who}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/annual_texts_dialog.py" />
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
  </context>
  <context>
    <name>app</name>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Chưa lưu được cấu hình</source>
      <translation>Could not save the configuration</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Chưa lưu được thông tin đơn vị</source>
      <translation>Could not save the centre's details</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Chưa sao lưu được</source>
      <translation>Could not back up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Cơ sở dữ liệu bị hỏng</source>
      <translation>The database is damaged</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Cơ sở dữ liệu trên ổ mạng</source>
      <translation>Database on a network drive</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Không mở được cơ sở dữ liệu</source>
      <translation>Could not open the database</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Tệp {path} bị hỏng ({problem}) và chưa có bản sao lưu tự động nào. Hãy liên hệ bộ phận kỹ thuật; đừng xóa tệp.</source>
      <translation>The file {path} is damaged ({problem}) and there is no automatic backup yet. Please contact technical support; do not delete the file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Tệp {path} bị hỏng ({problem}).

Phục hồi từ bản sao lưu gần nhất {backup}? Tệp hỏng sẽ được cất sang bên, không bị xóa.</source>
      <translation>The file {path} is damaged ({problem}).

Restore from the latest backup {backup}? The damaged file will be set aside, not deleted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Tệp {path} nằm trên ổ mạng dùng chung. SQLite không an toàn khi nhiều máy cùng ghi qua mạng: dữ liệu có thể hỏng. Khi nhiều máy cùng làm việc, hãy dùng máy chủ PostgreSQL (xem hướng dẫn trong README, mục 'Several PCs on one PostgreSQL server').</source>
      <translation>The file {path} is on a shared network drive. SQLite is not safe when several PCs write to it over the network: data may be damaged. When several PCs work together, use a PostgreSQL server (see the README, section 'Several PCs on one PostgreSQL server').</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>Đang mở cơ sở dữ liệu...</source>
      <translation>Opening the database...</translation>
    </message>
  </context>
  <context>
    <name>ask</name>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/ask.py" />
      <source>Quay lại</source>
      <translation>Go back</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/ask.py" />
      <source>{names} và {n} người khác</source>
      <translation>{names} and {n} others</translation>
    </message>
  </context>
  <context>
    <name>attendance</name>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source> Ngày này lớp học buổi: {halves}.</source>
      <translation> On this day the class has sessions: {halves}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source> Ngày này lớp không có buổi học nào; xem thời khóa biểu bằng lệnh: dtbd timetable list {code}</source>
      <translation> The class has no sessions on this day; see the timetable with: dtbd timetable list {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>: không được cấp giấy chứng nhận</source>
      <translation>: no certificate of completion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>: không được thi học phần này cho đến khi học bổ sung</source>
      <translation>: may not sit this module's exam until the lessons are made up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>; đã học bổ sung {made_up} tiết nhưng quy định không tính học bổ sung: không được cấp giấy chứng nhận</source>
      <translation>; made up {made_up} periods but the rules do not count make-up lessons: no certificate of completion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>; đã học bổ sung {made_up} tiết nhưng quy định không tính học bổ sung: không được thi học phần này</source>
      <translation>; made up {made_up} periods but the rules do not count make-up lessons: may not sit this module's exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>; đã học bổ sung {made_up} tiết nên được cấp giấy chứng nhận</source>
      <translation>; made up {made_up} periods, so the certificate of completion may be issued</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>; đã học bổ sung {made_up} tiết nên được thi</source>
      <translation>; made up {made_up} periods, so may sit the exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>; đã học bổ sung {made_up} tiết, còn vắng {counted} tiết, vẫn quá {limit}: không được cấp giấy chứng nhận</source>
      <translation>; made up {made_up} periods, still absent {counted} periods, still over {limit}: no certificate of completion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>; đã học bổ sung {made_up} tiết, còn vắng {counted} tiết, vẫn quá {limit}: không được thi học phần này</source>
      <translation>; made up {made_up} periods, still absent {counted} periods, still over {limit}: may not sit this module's exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Buổi học không có trong thời khóa biểu của lớp (có thể vừa bị xóa).</source>
      <translation>The session is not in the class timetable (it may have just been deleted).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Buổi {slot} chưa diễn ra: chỉ ghi trước được vắng có phép.</source>
      <translation>Session {slot} has not taken place yet: only excused absences can be recorded in advance.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>BẢNG ĐIỂM DANH LỚP {code}</source>
      <translation>ATTENDANCE SHEET OF CLASS {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Bảng điểm danh lớp {code}</source>
      <translation>Attendance sheet of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Bảng điểm danh lớp {code} do chương trình DTBD xuất ngày {date}.</source>
      <translation>Attendance sheet of class {code} exported by DTBD on {date}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/makeups.py" />
      <source>Chưa ghi được học bổ sung.</source>
      <translation>Could not record the make-up lessons.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Chưa lưu điểm danh: {n} thay đổi không hợp lệ, không có gì bị thay đổi.</source>
      <translation>Attendance not saved: {n} invalid changes, nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/makeups.py" />
      <source>Chương trình {programme} không có học phần '{module}' (có: {codes}).</source>
      <translation>Programme {programme} has no module '{module}' (it has: {codes}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>Có mặt</source>
      <translation>Present</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/makeups.py" />
      <source>Cần ghi lý do xóa học bổ sung.</source>
      <translation>Give a reason for deleting the make-up lessons.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Cột tô xám là buổi học đã khóa: sửa các buổi này cần người có quyền và ghi lý do khi nhập.</source>
      <translation>Grey columns are locked sessions: changing them needs a user with permission and a reason when importing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Cột {letter} ({heading}): buổi học này không còn trong thời khóa biểu của lớp; hãy xuất lại bảng điểm danh.</source>
      <translation>Column {letter} ({heading}): this session is no longer in the class timetable; export the attendance sheet again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Dòng {row}: học viên {name} không có trong lớp {code} (dòng thêm tay hoặc học viên đã chuyển lớp); hãy xóa dòng này hoặc xuất lại bảng.</source>
      <translation>Row {row}: learner {name} is not in class {code} (a row added by hand, or the learner moved to another class); delete this row or export the sheet again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Dòng {row}: học viên {name} đã có ở dòng {first}.</source>
      <translation>Row {row}: learner {name} already appears in row {first}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Dòng {row}: số CCCD {typed} không khớp với học viên {name} ({nid}) của dòng này.</source>
      <translation>Row {row}: national ID (CCCD) {typed} does not match learner {name} ({nid}) of this row.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Ghi vào mỗi ô (học viên × buổi học) một ký hiệu:</source>
      <translation>Put one symbol in each cell (learner × session):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Hướng dẫn</source>
      <translation>Instructions</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Học viên không có trong lớp này (có thể vừa được chuyển lớp hoặc xóa).</source>
      <translation>The learner is not in this class (they may have just been moved to another class or deleted).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/makeups.py" />
      <source>Học viên này không còn trong lớp {code}.</source>
      <translation>This learner is no longer in class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Không nhập được tệp {name}: {n} lỗi; không có gì bị thay đổi.</source>
      <translation>Could not import file {name}: {n} errors; nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Không thêm, xóa hay đổi chỗ các cột; có thể sắp xếp lại các dòng học viên.</source>
      <translation>Do not add, delete or move columns; learner rows may be re-sorted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/makeups.py" />
      <source>Không tìm thấy lần học bổ sung này.</source>
      <translation>This make-up record was not found.</translation>
    </message>
    <message>
      <source>Không tìm thấy tệp {path}.</source>
      <translation type="obsolete">File {path} not found.</translation>
    </message>
    <message>
      <source>Không đọc được tệp {path} như một bảng tính Excel (.xlsx): {error}.</source>
      <translation type="obsolete">Could not read file {path} as an Excel workbook (.xlsx): {error}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Ký hiệu không hợp lệ</source>
      <translation>Invalid symbol</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Ký hiệu: {codes}. Ô để trống: không thay đổi điểm danh đã có. Cột tô xám: buổi đã khóa (sửa cần người có quyền và lý do).</source>
      <translation>Symbols: {codes}. Empty cell: existing attendance unchanged. Grey columns: locked sessions (changes need permission and a reason).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Lớp {code} không có buổi học {slot}.</source>
      <translation>Class {code} has no session {slot}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Lớp {code} không có học viên số CCCD {nid}. Xem danh sách bằng lệnh: dtbd roster list {code}</source>
      <translation>Class {code} has no learner with national ID (CCCD) {nid}. See the list with: dtbd roster list {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Mã</source>
      <translation>ID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/makeups.py" />
      <source>Ngày học bổ sung {date} chưa tới.</source>
      <translation>The make-up date {date} has not come yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/makeups.py" />
      <source>Ngày học bổ sung {date} trước ngày khai giảng {start}.</source>
      <translation>The make-up date {date} is before the opening date {start}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Nhập lại vào chương trình: dtbd attendance import {code} TỆP.xlsx (thêm --dry-run để kiểm tra trước). Nếu có lỗi, không có gì bị thay đổi và chương trình chỉ ra từng ô lỗi.</source>
      <translation>Import back into the program: dtbd attendance import {code} FILE.xlsx (add --dry-run to check first). If there are errors, nothing is changed and the program points to each wrong cell.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Số CCCD</source>
      <translation>National ID (CCCD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Số CCCD '{value}' không hợp lệ: {error}.</source>
      <translation>National ID (CCCD) '{value}' is invalid: {error}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/makeups.py" />
      <source>Số tiết học bổ sung phải là số nguyên lớn hơn 0.</source>
      <translation>The number of make-up periods must be a whole number greater than 0.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Trạng thái '{status}' không hợp lệ; dùng: {allowed}.</source>
      <translation>Invalid status '{status}'; use: {allowed}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Tệp {name} không phải bảng điểm danh do chương trình xuất ra (thiếu trang '{meta}'). Hãy xuất bảng điểm danh bằng lệnh: dtbd attendance export {code} --out TỆP.xlsx</source>
      <translation>File {name} is not an attendance sheet exported by the program (sheet '{meta}' is missing). Export the attendance sheet with: dtbd attendance export {code} --out FILE.xlsx</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Tệp {name} là bảng điểm danh lớp {other}, không phải lớp {code}.</source>
      <translation>File {name} is the attendance sheet of class {other}, not class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>Vắng có phép</source>
      <translation>Excused absence</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>Vắng không phép</source>
      <translation>Unexcused absence</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>vắng {absent}/{periods} tiết của khóa học, quá {limit}</source>
      <translation>absent {absent}/{periods} periods of the course, over {limit}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>vắng {absent}/{periods} tiết học phần {module}, quá {limit}</source>
      <translation>absent {absent}/{periods} periods of module {module}, over {limit}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>{half} {date}</source>
      <translation>{date} ({half})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/makeups.py" />
      <source>{name} vắng {absent} tiết học phần {module}, đã học bổ sung {made_up} tiết; không ghi thêm được {periods} tiết (tối đa {open}).</source>
      <translation>{name} was absent {absent} periods of module {module} and has made up {made_up}; cannot record {periods} more periods (at most {open}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Ô {cell}: ký hiệu '{value}' không hợp lệ; dùng C, P, K, M hoặc để trống.</source>
      <translation>Cell {cell}: invalid symbol '{value}'; use C, P, K, M or leave it empty.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Ô {cell}: {message}</source>
      <translation>Cell {cell}: {message}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Ô để trống không thay đổi điểm danh đã có trong chương trình.</source>
      <translation>An empty cell leaves the attendance already in the program unchanged.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/attendance.py" />
      <source>Đi muộn</source>
      <translation>Late</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Điểm danh</source>
      <translation>Attendance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Điểm danh buổi {slot} đã khóa (quá {days} ngày): cần người có quyền sửa và ghi lý do.</source>
      <translation>Attendance for session {slot} is locked (over {days} days): changing it needs a user with permission and a reason.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Điểm danh buổi {slot} đã khóa và tài khoản {user} không có quyền sửa điểm danh đã khóa.</source>
      <translation>Attendance for session {slot} is locked and account {user} is not allowed to change locked attendance.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/attendance/marks.py" />
      <source>Điểm danh buổi {slot} đã khóa: cần ghi lý do sửa.</source>
      <translation>Attendance for session {slot} is locked: give a reason for the change.</translation>
    </message>
  </context>
  <context>
    <name>attendance_panel</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Buổi này: {status}</source>
      <translation>This session: {status}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Bù</source>
      <translation>Made up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Cả khóa: vắng {absent}/{total} tiết; giới hạn {limit}</source>
      <translation>Whole course: absent {absent}/{total} periods; limit {limit}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Ghi chú:</source>
      <translation>Note:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Ghi học bổ sung...</source>
      <translation>Record make-up lessons...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Ghi nhận</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Học bổ sung – {name}</source>
      <translation>Make-up lessons – {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Học cùng lớp nào, giảng viên nào...</source>
      <translation>With which class, which lecturer...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Học phần:</source>
      <translation>Module:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Không được thi</source>
      <translation>Barred from exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Kết luận</source>
      <translation>Verdict</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Ngày học bổ sung:</source>
      <translation>Make-up date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Quá giới hạn</source>
      <translation>Over the limit</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Số tiết:</source>
      <translation>Periods:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Tỷ lệ</source>
      <translation>Share</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Vắng</source>
      <translation>Absent</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>chưa {n}</source>
      <translation>{n} not taken</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>chưa điểm danh</source>
      <translation>attendance not taken</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>{code}: vắng {absent} tiết, còn {open} tiết chưa bù</source>
      <translation>{code}: absent {absent} periods, {open} periods not yet made up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>{periods} tiết · GV: {lecturer}</source>
      <translation>{periods} periods · Lecturer: {lecturer}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Đã bù</source>
      <translation>Made up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_panel.py" />
      <source>Đã khóa: sửa cần quyền và lý do.</source>
      <translation>Locked: changes need permission and a reason.</translation>
    </message>
  </context>
  <context>
    <name>attendance_tab</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>(kiểm tra)</source>
      <translation>(check)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>; đã học bổ sung {n} tiết</source>
      <translation>; made up {n} periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/attendance_model.py" />
      <source>Buổi {slot} chưa diễn ra: chỉ ghi trước được vắng có phép (P).</source>
      <translation>Session {slot} has not taken place yet: only excused absences (P) can be recorded in advance.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>C</source>
      <translation>A</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>Chưa diễn ra: chỉ ghi trước được vắng có phép.</source>
      <translation>Not yet taken place: only excused absences can be recorded in advance.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Chưa lưu được, đã trả lại như cũ: {error}</source>
      <translation>Could not save, the change was undone: {error}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Chưa nhập: sửa điểm danh đã khóa cần ghi lý do.</source>
      <translation>Not imported: changing locked attendance needs a reason.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Chưa sửa: sửa điểm danh đã khóa cần ghi lý do.</source>
      <translation>Not changed: changing locked attendance needs a reason.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Chỉ xem: tài khoản này không có quyền điểm danh lớp này.</source>
      <translation>View only: this account is not allowed to take attendance for this class.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Công văn gửi đơn vị cử đi học</source>
      <translation>Letters to the sending organisations</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Công văn gửi đơn vị cử đi học...</source>
      <translation>Letters to the sending organisations...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Cả buổi có mặt</source>
      <translation>Whole session present</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Danh sách ký tên buổi này...</source>
      <translation>Sign-in sheet for this session...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Dán từ Excel</source>
      <translation>Paste from Excel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Excel (*.xlsx)</source>
      <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>Giảng viên: {name}</source>
      <translation>Lecturer: {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Hoàn tác</source>
      <translation>Undo</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Hãy chọn một buổi học (một cột) trước.</source>
      <translation>Select a session (a column) first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Hôm nay</source>
      <translation>Today</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/attendance_model.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>Học phần {code}: vắng {absent}/{periods} tiết ({share}), giới hạn {limit}</source>
      <translation>Module {code}: absent {absent}/{periods} periods ({share}), limit {limit}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>In danh sách ký tên</source>
      <translation>Print sign-in sheet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>Không còn học lớp này.</source>
      <translation>No longer in this class.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Không còn thao tác nào để hoàn tác.</source>
      <translation>Nothing left to undo.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Không dán được: khối dán có {rows} dòng x {columns} cột, vượt quá bảng từ ô đang chọn.</source>
      <translation>Cannot paste: the pasted block has {rows} rows x {columns} columns, which goes beyond the table from the selected cell.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Không dán được: ô ở dòng {row}, cột {column} của khối dán là '{value}', không phải C, P, K, M hay ô trống.</source>
      <translation>Cannot paste: the cell at row {row}, column {column} of the pasted block is '{value}', not C, P, K, M or empty.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Mọi học viên đã được điểm danh trong buổi này.</source>
      <translation>Every learner has had attendance taken for this session.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Nhập bảng điểm danh</source>
      <translation>Import attendance sheet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Nhập bảng điểm danh...</source>
      <translation>Import attendance sheet...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>PDF (*.pdf)</source>
      <translation>PDF (*.pdf)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>PDF (*.pdf);;Excel (*.xlsx)</source>
      <translation>PDF (*.pdf);;Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Phím: C có mặt · P vắng có phép · K vắng không phép · M đi muộn · Delete xóa · Ctrl+Z hoàn tác</source>
      <translation>Keys: C present · P excused absence · K unexcused absence · M late · Delete clear · Ctrl+Z undo</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>S</source>
      <translation>M</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Số công văn: {numbers}.</source>
      <translation>Letter numbers: {numbers}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/attendance_model.py" />
      <source>Số tiết vắng trên cả khóa và tỷ lệ; giới hạn {limit} ({scope}).</source>
      <translation>Periods absent over the whole course and share; limit {limit} ({scope}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Sửa điểm danh đã khóa</source>
      <translation>Change locked attendance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>T</source>
      <translation>E</translation>
    </message>
    <message>
      <source>Thông báo gửi đơn vị cử đi học</source>
      <translation type="obsolete">Notice to sending organisations</translation>
    </message>
    <message>
      <source>Thông báo gửi đơn vị...</source>
      <translation type="obsolete">Notice to organisations...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/attendance_model.py" />
      <source>Tài khoản này không có quyền điểm danh lớp {code}.</source>
      <translation>This account is not allowed to take attendance for class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Tải lại</source>
      <translation>Reload</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Tệp không có thay đổi nào so với điểm danh đã lưu.</source>
      <translation>The file has no changes compared with the saved attendance.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Tổng hợp chuyên cần</source>
      <translation>Attendance summary</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Tổng hợp chuyên cần...</source>
      <translation>Attendance summary...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/attendance_model.py" />
      <source>Vắng
(tiết, %)</source>
      <translation>Absent
(periods, %)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>Vắng {absent}/{total} tiết cả khóa ({share}): có phép {excused}, không phép {unexcused}; đi muộn {late} buổi.</source>
      <translation>Absent {absent}/{total} periods of the course ({share}): excused {excused}, unexcused {unexcused}; late {late} sessions.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Xuất bảng điểm danh</source>
      <translation>Export attendance sheet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Xuất bảng điểm danh...</source>
      <translation>Export attendance sheet...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>chưa điểm danh</source>
      <translation>attendance not taken</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>tính theo từng học phần</source>
      <translation>counted per module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>tính trên cả khóa học</source>
      <translation>counted over the whole course</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>{half} {weekday} {date}</source>
      <translation>{weekday} {half}, {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>{kind}, {periods} tiết</source>
      <translation>{kind}, {periods} periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>{learners} học viên, {sessions} buổi. Vắng quá {limit} ({rules}): {n} học viên.</source>
      <translation>{learners} learners, {sessions} sessions. Absent over {limit} ({rules}): {n} learners.</translation>
    </message>
    <message>
      <source>{name} chưa có số CCCD trong hồ sơ: hãy bổ sung trước khi ghi học bổ sung.</source>
      <translation type="obsolete">{name} has no national ID (CCCD) on record: add it before recording make-up lessons.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>{name} không có tiết vắng nào cần học bổ sung.</source>
      <translation>{name} has no absent periods to make up.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/attendance_model.py" />
      <source>{periods} ({share})</source>
      <translation>{periods} ({share})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Đang lưu...</source>
      <translation>Saving...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Đang tải bảng điểm danh...</source>
      <translation>Loading the attendance sheet...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/attendance_model.py" />
      <source>Điểm danh buổi {slot} đã khóa; tài khoản này không có quyền sửa điểm danh đã khóa.</source>
      <translation>Attendance for session {slot} is locked; this account is not allowed to change locked attendance.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Điểm danh đã khóa (quá số ngày cho phép). Lý do sửa {n} ô:</source>
      <translation>Attendance is locked (past the allowed number of days). Reason for changing {n} cells:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Đã ghi {name} học bổ sung {periods} tiết học phần {module}.</source>
      <translation>Recorded {periods} make-up periods of module {module} for {name}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <location filename="../../dtbd_desktop/gui/widgets/attendance_style.py" />
      <source>Đã khóa: sửa cần quyền và lý do.</source>
      <translation>Locked: changes need permission and a reason.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Đã lưu {path}.</source>
      <translation>Saved {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_tab.py" />
      <source>Đã lưu.</source>
      <translation>Saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/attendance_actions.py" />
      <source>Đã nhập {n} thay đổi điểm danh.</source>
      <translation>Imported {n} attendance changes.</translation>
    </message>
  </context>
  <context>
    <name>audit</name>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>... và {n} bản ghi khác không khớp nhật ký.</source>
      <translation>... and {n} more records that do not match the log.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Bản ghi</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Chốt điểm</source>
      <translation>Finalised module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Chốt điểm học phần {module} lớp {code}</source>
      <translation>Finalised scores of module {module}, class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Chữ ký không đúng với khóa của tài khoản {user}: mục nhật ký bị giả hoặc bị sửa.</source>
      <translation>The signature does not match the key of account {user}: the entry is forged or altered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Dòng sổ gốc số hiệu {serial} ({name}) không khớp chữ ký bằng khóa đã đăng ký: đã bị sửa hoặc thêm ngoài chương trình.</source>
      <translation>Register line {serial} ({name}) does not match a signature by an enrolled key: it was altered or added outside the program.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Dòng sổ gốc số hiệu {serial} ({name}), nhập từ sổ gốc cũ, đã bị sửa ngoài chương trình.</source>
      <translation>Register line with serial number {serial} ({name}), imported from an old register, was altered outside the program.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Khóa ký văn bằng</source>
      <translation>Document signing key</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit.py" />
      <source>Không nối với mục trước: có mục nhật ký bị xóa hoặc chèn vào.</source>
      <translation>Not linked to the entry before: an entry was removed or inserted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Kết quả xét tốt nghiệp</source>
      <translation>Graduation result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Kết quả xét tốt nghiệp của {who}</source>
      <translation>Graduation result of {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Mục nhật ký không có chữ ký của tài khoản nào: bị thêm vào ngoài chương trình.</source>
      <translation>The entry is signed by no account: it was added outside the program.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Nhật ký không còn mục thứ {seq} mà máy này đã ghi hoặc kiểm tra lúc {when}: phần cuối nhật ký đã bị xóa hoặc bị thay.</source>
      <translation>The log no longer holds entry {seq}, which this PC wrote or checked at {when}: the end of the log was deleted or replaced.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit.py" />
      <source>Nội dung không khớp mã băm: mục nhật ký đã bị sửa.</source>
      <translation>The content does not match its hash: the entry was altered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Tài khoản</source>
      <translation>Account</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Tài khoản {user} không phải quản trị mà ghi thay đổi tài khoản hoặc khóa ký.</source>
      <translation>Account {user} is not an administrator but recorded a change of an account or a signing key.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Văn bằng</source>
      <translation>Certificate</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit.py" />
      <source>Vị trí {seq} thay vì {expected}: có mục nhật ký bị xóa hoặc chèn vào.</source>
      <translation>Position {seq} instead of {expected}: an entry was removed or inserted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>học viên (mã ghi danh {id})</source>
      <translation>learner (enrolment {id})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>không đủ điều kiện</source>
      <translation>not eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>ngừng</source>
      <translation>inactive</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>thôi dùng</source>
      <translation>retired</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>tình trạng "{status}"</source>
      <translation>status "{status}"</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>{name}, lớp {code}</source>
      <translation>{name}, class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>{role}, {active}, khóa {key}</source>
      <translation>{role}, {active}, key {key}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>{what}: có trong cơ sở dữ liệu ({now}) nhưng nhật ký không ghi lần thay đổi nào: đã bị thêm hoặc sửa ngoài chương trình.</source>
      <translation>{what}: in the database ({now}) but the log records no change of it: added or altered outside the program.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>{what}: cơ sở dữ liệu ghi {now}, lần thay đổi cuối trong nhật ký là {logged}: đã bị sửa ngoài chương trình.</source>
      <translation>{what}: the database holds {now}, the last change in the log is {logged}: altered outside the program.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>{what}: nhật ký ghi {logged} nhưng cơ sở dữ liệu không còn: đã bị xóa ngoài chương trình.</source>
      <translation>{what}: the log records {logged} but the database no longer has it: deleted outside the program.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Điểm</source>
      <translation>Score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Điểm học phần {module} lần {attempt} của {who}</source>
      <translation>Score of module {module}, attempt {attempt}, of {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Đã cấp</source>
      <translation>Issued</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Đã cấp lại</source>
      <translation>Reissued</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Đã thu hồi</source>
      <translation>Revoked</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>đang dùng</source>
      <translation>in use</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>đang hoạt động</source>
      <translation>active</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>đủ điều kiện</source>
      <translation>eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/trust/audit_check.py" />
      <source>Ảnh chụp dữ liệu không chữ ký sau khi đã có tài khoản: mục nhật ký bị giả.</source>
      <translation>An unsigned data snapshot after accounts existed: the entry is forged.</translation>
    </message>
  </context>
  <context>
    <name>audit_words</name>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>(chưa có giảng viên)</source>
      <translation>(no lecturer yet)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>(chưa điểm danh)</source>
      <translation>(not marked)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>(dù không qua kiểm tra nhật ký)</source>
      <translation>(although it failed the audit check)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>(học phần {module})</source>
      <translation>(module {module})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>(lớp không rõ)</source>
      <translation>(unknown class)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>(lớp đã xóa)</source>
      <translation>(deleted class)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>(ngừng)</source>
      <translation>(deactivated)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>(thay thời khóa biểu cũ)</source>
      <translation>(replacing the old timetable)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>(trống)</source>
      <translation>(empty)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Bỏ kết quả xét tốt nghiệp của {who} (không còn trong lớp): {old}</source>
      <translation>Removed the graduation result of {who} (no longer in the class): {old}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Bỏ ngày nghỉ {date}</source>
      <translation>Removed the holiday {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Cho chương trình {programme} dùng mẫu in mặc định</source>
      <translation>Programme {programme} uses the default print layout</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Cho {who} học tiếp</source>
      <translation>Reinstated {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Cho {who} thôi học</source>
      <translation>Withdrew {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Chuyển {who} sang lớp {target}</source>
      <translation>Moved {who} to class {target}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Chương trình (dữ liệu mẫu)</source>
      <translation>The program (demo data)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Chương trình (nâng cấp dữ liệu)</source>
      <translation>The program (database upgrade)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Chọn mẫu in {layout} cho chương trình {programme}</source>
      <translation>Chose the print layout {layout} for programme {programme}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Chốt điểm học phần {module} lớp {code}</source>
      <translation>Finalised the scores of module {module}, class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Cài đặt, sao lưu, hệ thống</source>
      <translation>Settings, backups, system</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Căn chỉnh vị trí in cho máy in {printer}</source>
      <translation>Calibrated printing positions for printer {printer}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Cấp bản sao số {number} từ sổ gốc của văn bằng số hiệu {serial}</source>
      <translation>Issued copy {number} from the register of document {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Cấp bản sao từ sổ gốc của văn bằng số hiệu {serial}</source>
      <translation>Issued a copy from the register of document {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Cấp lại văn bằng số hiệu {serial}</source>
      <translation>Reissued the document with serial {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Cấp lại văn bằng{who}: số hiệu mới {serial} (số vào sổ {register}) thay số hiệu {old}</source>
      <translation>Reissued the document{who}: new serial {serial} (register number {register}) replacing serial {old}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Cấp văn bằng số hiệu {serial} (số vào sổ {register}) cho {name} lớp {code}, ngày cấp {date}</source>
      <translation>Issued the document with serial {serial} (register number {register}) to {name}, class {code}, dated {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Cấp văn bằng, chứng chỉ cho lớp {code}</source>
      <translation>Issued the documents of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Danh mục, kế hoạch</source>
      <translation>Catalogue, plans</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Dời buổi học lớp {code} đã điểm danh: {change}</source>
      <translation>Moved a marked session of class {code}: {change}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Dời {slot} sang buổi {half} {date}</source>
      <translation>Moved {slot} to the {half} of {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Ghi học bù cho {who}: học phần {module}, {periods} tiết ngày {date}</source>
      <translation>Recorded a make-up lesson for {who}: module {module}, {periods} periods on {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Ghi học bù học phần {module} lớp {code}</source>
      <translation>Recorded a make-up lesson of module {module}, class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Ghi lại dữ liệu được bảo vệ của bộ dữ liệu mẫu</source>
      <translation>Recorded the protected records of the demo data</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Ghi lại dữ liệu được bảo vệ khi nâng cấp cơ sở dữ liệu</source>
      <translation>Recorded the protected records when the database was upgraded</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Ghi nhu cầu đào tạo năm {year}</source>
      <translation>Recorded the training needs of {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Ghi nhu cầu đào tạo năm {year} của {organisation}: {n} học viên chương trình {programme}</source>
      <translation>Recorded the training needs of {organisation} for {year}: {n} learners, programme {programme}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Ghi nhận hai hồ sơ là hai người khác nhau (cặp số {pair})</source>
      <translation>Recorded the two records as two different people (pair {pair})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Ghi nhận hồ sơ học viên {who} và hồ sơ kia là hai người khác nhau</source>
      <translation>Recorded that learner {who} and the other record are two different people</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Ghi nhận xét của cơ quan cử đi học, kỷ luật, rèn luyện của học viên lớp {code} (nhập theo bảng)</source>
      <translation>Recorded the sending organisations' confirmations, disciplines and conduct of class {code} (entered as a grid)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Ghi nhận xét, kỷ luật của học viên có số định danh {id} lớp {code}</source>
      <translation>Recorded the confirmation and discipline of the learner with ID {id}, class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Ghi nhận đã in {n} văn bằng, chứng chỉ</source>
      <translation>Recorded {n} documents as printed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Ghi quyết định công nhận tốt nghiệp lớp {code}: số {number} ngày {date}</source>
      <translation>Recorded the graduation decision of class {code}: no. {number} of {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Ghi {what} của {who}: {change}</source>
      <translation>Recorded the {what} of {who}: {change}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Ghi đánh giá sau đào tạo năm {year} của {who}</source>
      <translation>Recorded the {year} follow-up of {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Giữ dòng sổ gốc số hiệu {serial} của {name} khi phục hồi bản sao lưu</source>
      <translation>Kept the register line with serial {serial} of {name} when restoring a backup</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Giữ khóa ký văn bằng {key} khi phục hồi bản sao lưu</source>
      <translation>Kept the document signing key {key} when restoring a backup</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Giữ tình trạng "{status}" của văn bằng số hiệu {serial} khi phục hồi bản sao lưu</source>
      <translation>Kept the status "{status}" of the document with serial {serial} when restoring a backup</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Gộp hồ sơ học viên trùng (cặp số {pair})</source>
      <translation>Merged duplicate learner records (pair {pair})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Gộp hồ sơ {other} vào hồ sơ học viên {who}</source>
      <translation>Merged record {other} into the record of learner {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Học viên, danh sách lớp</source>
      <translation>Learners, class rosters</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Hủy số {number} ({kind}) năm {year} trong sổ văn bản đi</source>
      <translation>Voided number {number} ({kind}) of {year} in the book of outgoing documents</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Hủy số {symbol} trong sổ văn bản đi</source>
      <translation>Voided number {symbol} in the book of outgoing documents</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>In giấy xác nhận tốt nghiệp theo văn bằng số hiệu {serial}</source>
      <translation>Printed a confirmation of graduation for document {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>In lại văn bằng số hiệu {serial}{who} (lần in thứ {n})</source>
      <translation>Reprinted the document with serial {serial}{who} (print no. {n})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>In văn bằng số hiệu {serial}{who}</source>
      <translation>Printed the document with serial {serial}{who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>In văn bằng, chứng chỉ lớp {code}</source>
      <translation>Printed the documents of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Khóa sổ gốc ngày {date}</source>
      <translation>Closed the register on {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Khóa sổ gốc {kind} năm {year} ngày {date}</source>
      <translation>Closed the register of {kind} of {year} on {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Lưu chương trình {code}: {name}</source>
      <translation>Saved programme {code}: {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Lưu kế hoạch đào tạo năm {year}</source>
      <translation>Saved the training plan for {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Lưu mẫu in văn bằng</source>
      <translation>Saved a document print layout</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Lưu mẫu in {layout} (phiên bản {version})</source>
      <translation>Saved the print layout {layout} (version {version})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Lấy số văn bản đi ({kind}) ngày {date}: {subject}</source>
      <translation>Numbered an outgoing document ({kind}) on {date}: {subject}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Lập chỉ tiêu kế hoạch năm {year} từ nhu cầu đào tạo</source>
      <translation>Set the {year} plan targets from the training needs</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Lập thời khóa biểu lớp {code}</source>
      <translation>Generated the timetable of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Lập thời khóa biểu lớp {code} từ ngày {start}: thêm {added} buổi, bỏ {removed}, giữ {kept}</source>
      <translation>Generated the timetable of class {code} from {start}: {added} sessions added, {removed} removed, {kept} kept</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Lớp học, thời khóa biểu</source>
      <translation>Classes, timetables</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Mở lại điểm đã chốt học phần {module} lớp {code}</source>
      <translation>Reopened the finalised scores of module {module}, class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Mở lớp {code} (chương trình {programme}, {start} – {end})</source>
      <translation>Opened class {code} (programme {programme}, {start} – {end})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Ngừng tài khoản {user}</source>
      <translation>Deactivated the account {user}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Nhập bảng điểm cũ {file}</source>
      <translation>Imported past score sheet {file}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Nhập danh sách học viên vào lớp {code}</source>
      <translation>Imported a learner list into class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Nhập danh sách lớp {code} từ tệp {file}: {n} học viên ({new} người mới)</source>
      <translation>Imported the roster of class {code} from {file}: {n} learners ({new} new)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Nhập dòng sổ gốc cũ: văn bằng số hiệu {serial} của {name}, ngày cấp {date}</source>
      <translation>Imported a past register line: document {serial} of {name}, issued {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Nhập kết quả tốt nghiệp từ sổ gốc cũ của {who}: {result}</source>
      <translation>Imported the graduation result of {who} from a past register: {result}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Nhập nhu cầu đào tạo</source>
      <translation>Imported training needs</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Nhập phiếu phản hồi của học viên lớp {code}</source>
      <translation>Entered the learners' feedback forms of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Nhập phiếu phản hồi lớp {code}</source>
      <translation>Imported the feedback forms of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Nhập sổ gốc cũ</source>
      <translation>Imported a past register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Nhập sổ gốc cũ từ tệp {file}: {lines} dòng, {classes} lớp, {people} học viên mới</source>
      <translation>Imported a past register from file {file}: {lines} lines, {classes} classes, {people} new learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Nhập điểm</source>
      <translation>Entered the score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Nhập điểm danh lớp {code}</source>
      <translation>Imported the attendance of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Nhập điểm lớp {code}</source>
      <translation>Entered scores of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Nhập điểm trung bình từ bảng điểm cũ của {who}: {value}</source>
      <translation>Imported the average of {who} from a past score sheet: {value}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Phân công giảng viên {lecturer} dạy {what}</source>
      <translation>Assigned lecturer {lecturer} to {what}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Phục hồi cơ sở dữ liệu từ bản sao lưu</source>
      <translation>Restored the database from a backup</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Phục hồi cơ sở dữ liệu từ bản sao lưu {file}</source>
      <translation>Restored the database from the backup {file}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Quản trị (máy này)</source>
      <translation>Administrator (this PC)</translation>
    </message>
    <message>
      <source>Quản trị (máy này, người dùng {name})</source>
      <translation type="obsolete">Administrator (this PC, user {name})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Sửa cài đặt của chương trình</source>
      <translation>Changed the program's settings</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Sửa cài đặt {name}: {change}</source>
      <translation>Changed the setting {name}: {change}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Sửa cài đặt: {name}</source>
      <translation>Changed the setting: {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Sửa căn cứ (văn bản quy định) in trên giấy tờ của chương trình {code}</source>
      <translation>Changed the legal basis printed on the papers of programme {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Sửa hồ sơ học viên {name}</source>
      <translation>Edited the record of learner {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Sửa hồ sơ học viên {who}: {fields}</source>
      <translation>Edited the record of learner {who}: {fields}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Sửa lời văn in trên văn bằng, chứng chỉ của chương trình {code}</source>
      <translation>Changed the wording printed on the diplomas and certificates of programme {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Sửa phần đánh giá và phương hướng của báo cáo năm {year}</source>
      <translation>Changed the assessment and next year's tasks of the {year} report</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Sửa quy định (điểm, xếp loại, vắng) của chương trình {code}</source>
      <translation>Changed the rules (scores, classification, absences) of programme {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Sửa thông tin giảng viên {name}</source>
      <translation>Edited lecturer {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Sửa thông tin lớp {code}</source>
      <translation>Edited class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Sửa thông tin đơn vị {name}</source>
      <translation>Edited organisation {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Sửa {field} của học viên {who}: {change}</source>
      <translation>Changed the {field} of learner {who}: {change}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Sửa {field} in trên văn bằng, chứng chỉ của chương trình {code}: {change}</source>
      <translation>Changed the {field} printed on the diplomas and certificates of programme {code}: {change}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Sửa điểm</source>
      <translation>Changed the score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Thay đổi khác</source>
      <translation>Other changes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Thay đổi khác (mã việc {action}, đối tượng {entity} {id})</source>
      <translation>Other change (action {action}, object {entity} {id})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Thu hồi văn bằng số hiệu {serial}</source>
      <translation>Revoked the document with serial {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Thu hồi văn bằng số hiệu {serial}{who}</source>
      <translation>Revoked the document with serial {serial}{who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Thêm các ngày nghỉ lễ năm {year}</source>
      <translation>Added the public holidays of {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Thêm giảng viên {name}</source>
      <translation>Added lecturer {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Thêm học viên mới {name} (nhập bằng tay) vào lớp {code}</source>
      <translation>Added new learner {name} (typed in by hand) to class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Thêm học viên {name} vào lớp {code}</source>
      <translation>Added learner {name} to class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Thêm học viên {who} (nhập bằng tay) vào lớp {code}</source>
      <translation>Added learner {who} (typed in by hand) to class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Thêm ngày nghỉ {date}: {name}</source>
      <translation>Added the holiday {date}: {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Thêm {slot} ({kind}) vào thời khóa biểu</source>
      <translation>Added {slot} ({kind}) to the timetable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Thêm đơn vị {name}</source>
      <translation>Added organisation {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Thôi dùng khóa ký văn bằng {key}</source>
      <translation>Retired the document signing key {key}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Trả mẫu in {layout} về như ban đầu</source>
      <translation>Reset the print layout {layout} to its original</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Tài khoản người dùng</source>
      <translation>User accounts</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Tách lại hồ sơ học viên {who} đã gộp</source>
      <translation>Split the merged record of learner {who} again</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Tách lại hồ sơ học viên đã gộp (cặp số {pair})</source>
      <translation>Split merged learner records again (pair {pair})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Tạm khóa tài khoản {user} sau nhiều lần nhập sai mật khẩu</source>
      <translation>Locked the account {user} for a while after repeated wrong passwords</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Tạo khóa ký nhật ký cho tài khoản {user} (lần đăng nhập đầu)</source>
      <translation>Made the audit signing key of account {user} (first login)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Tạo lớp {code} từ sổ gốc cũ (trang '{sheet}')</source>
      <translation>Created class {code} from a past register (sheet '{sheet}')</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Tạo tài khoản {user}</source>
      <translation>Created the account {user}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Tạo tài khoản {user} ({name}), vai trò {role}</source>
      <translation>Created the account {user} ({name}), role {role}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Vào sổ văn bản đi ({kind}) ngày {date}: {subject}</source>
      <translation>Entered an outgoing document ({kind}) on {date}: {subject}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Vào sổ văn bản đi số {symbol} ngày {date}: {subject}</source>
      <translation>Entered outgoing document {symbol} of {date}: {subject}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Văn bản đi, báo cáo</source>
      <translation>Outgoing documents, reports</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Văn bằng số hiệu {serial}{who} được thay bằng bản cấp lại</source>
      <translation>The document with serial {serial}{who} was replaced by a reissue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Văn bằng, chứng chỉ</source>
      <translation>Diplomas, certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Xác nhận gộp hồ sơ học viên trùng (cặp số {pair})</source>
      <translation>Confirmed the merge of duplicate learner records (pair {pair})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Xác nhận đã gộp hồ sơ vào hồ sơ học viên {who}</source>
      <translation>Confirmed the merge into the record of learner {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Xét lại tốt nghiệp {who}: {change}</source>
      <translation>Graduation of {who} reviewed again: {change}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Xét tốt nghiệp lớp {code}</source>
      <translation>Reviewed the graduation of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Xét tốt nghiệp {who}: {new}</source>
      <translation>Graduation review of {who}: {new}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Xét tốt nghiệp, rèn luyện</source>
      <translation>Graduation, conduct</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Xóa buổi học bù của {who}: học phần {module}, {periods} tiết ngày {date}</source>
      <translation>Deleted a make-up lesson of {who}: module {module}, {periods} periods on {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Xóa lớp {code}</source>
      <translation>Deleted class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Xóa một buổi học bù</source>
      <translation>Deleted a make-up lesson</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Xóa một buổi học khỏi thời khóa biểu</source>
      <translation>Deleted a session from the timetable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Xóa nhu cầu đào tạo năm {year}</source>
      <translation>Cleared the training needs of {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Xóa phiếu phản hồi của lớp {code}</source>
      <translation>Deleted feedback forms of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Xóa {name} khỏi danh sách lớp {code}</source>
      <translation>Removed {name} from the roster of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Xóa {slot} khỏi thời khóa biểu ({n} lượt điểm danh bị xóa theo)</source>
      <translation>Deleted {slot} from the timetable ({n} attendance marks deleted with it)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Xóa {who} khỏi danh sách lớp</source>
      <translation>Removed {who} from the class roster</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Xóa điểm</source>
      <translation>Cleared the score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Xóa đánh giá sau đào tạo năm {year} của {who}</source>
      <translation>Deleted the {year} follow-up of {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Xóa đơn vị {name}</source>
      <translation>Deleted organisation {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>[các năm học]</source>
      <translation>[years]</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>[ngày khai giảng]</source>
      <translation>[start date]</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>[ngày kết thúc]</source>
      <translation>[end date]</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>[số khóa]</source>
      <translation>[course number]</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>biểu trưng</source>
      <translation>logo</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>buổi {half} {date}</source>
      <translation>the {half} session of {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>bỏ qua {n} dòng lỗi</source>
      <translation>{n} rows with errors skipped</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>chức danh người ký</source>
      <translation>signer's title</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>chức vụ</source>
      <translation>position</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>các mốc nhóm tuổi</source>
      <translation>age band limits</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>cách ghi khóa học</source>
      <translation>course pattern</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>có</source>
      <translation>yes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>căn chỉnh máy in</source>
      <translation>printer calibration</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>cơ quan chủ quản</source>
      <translation>superior body</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>của {name}</source>
      <translation>of {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>của {name} (lớp {code})</source>
      <translation>of {name} (class {code})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>dân tộc</source>
      <translation>ethnicity</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>dòng "ĐẢNG CỘNG SẢN VIỆT NAM" trên tiêu đề</source>
      <translation>the "ĐẢNG CỘNG SẢN VIỆT NAM" heading</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>giới tính</source>
      <translation>gender</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>họ</source>
      <translation>family name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>họ tên người ký</source>
      <translation>signer's name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>không</source>
      <translation>no</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>kỷ luật</source>
      <translation>discipline</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>lớp {code}</source>
      <translation>class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>lời xưng hô</source>
      <translation>salutation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>mẫu in theo chương trình</source>
      <translation>print layout per programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>mẫu in văn bằng</source>
      <translation>document print layouts</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>mặc định</source>
      <translation>default</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>mọi buổi cùng học phần với {slot}</source>
      <translation>every session of the same module as {slot}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>một buổi học đã xóa</source>
      <translation>a deleted session</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>một giảng viên đã xóa</source>
      <translation>a deleted lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>một học viên</source>
      <translation>a learner</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>một học viên đã xóa</source>
      <translation>a deleted learner</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>một học viên đã xóa khỏi lớp</source>
      <translation>a learner removed from the class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>một đơn vị đã xóa</source>
      <translation>a deleted organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>ngày sinh</source>
      <translation>date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>ngày vào Đảng</source>
      <translation>Party joining date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>nhận xét của cơ quan cử đi học</source>
      <translation>sending organisation's confirmation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>năm sinh</source>
      <translation>year of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>nơi sinh</source>
      <translation>place of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>quê quán</source>
      <translation>home town</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>số bản sao lưu giữ lại</source>
      <translation>number of backups kept</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>số ngày khóa điểm danh</source>
      <translation>days before attendance locks</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>số định danh (CCCD)</source>
      <translation>national ID number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>trình độ chuyên môn</source>
      <translation>professional level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>trình độ lý luận chính trị</source>
      <translation>political theory level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>tuổi tối đa của cán bộ trẻ</source>
      <translation>maximum age of a young cadre</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>tên</source>
      <translation>given name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>tên khóa học</source>
      <translation>course title</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>tên trường, trung tâm</source>
      <translation>name of the school or centre</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>tên đệm</source>
      <translation>middle name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>từ tệp {file}</source>
      <translation>from the file {file}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>xếp loại rèn luyện</source>
      <translation>conduct rating</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/facts.py" />
      <source>{name} (lớp {code})</source>
      <translation>{name} (class {code})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>{text} — lý do: {reason}</source>
      <translation>{text} — reason: {reason}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>{verb} học phần {module} của {who}</source>
      <translation>{verb} of module {module} of {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>{verb} học phần {module} lần {attempt} của {who}</source>
      <translation>{verb} of module {module}, attempt {attempt}, of {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Điểm danh học viên có số định danh {id}, {slot}</source>
      <translation>Marked the learner with ID {id}, {slot}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Điểm danh lớp {code}</source>
      <translation>Took attendance in class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Điểm danh {who}, {slot}: {change}</source>
      <translation>Attendance of {who}, {slot}: {change}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Điểm danh, học bù</source>
      <translation>Attendance, make-up lessons</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/__init__.py" />
      <source>Điểm học phần</source>
      <translation>Module scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Đăng ký khóa ký văn bằng {key} ({label})</source>
      <translation>Enrolled the document signing key {key} ({label})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Đăng ký khóa ký văn bằng {label}</source>
      <translation>Enrolled a document signing key {label}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Đặt cách đánh số {kind} năm {year} (số đầu tiên: số hiệu {serial}, số vào sổ {register})</source>
      <translation>Set the numbering of {kind} for {year} (first: serial {serial}, register number {register})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Đặt lại mật khẩu cho tài khoản {user}</source>
      <translation>Reset the password of account {user}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Đổi mật khẩu của mình</source>
      <translation>Changed their own password</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Đổi mật khẩu tài khoản {user}</source>
      <translation>Changed the password of account {user}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/operations_words.py" />
      <source>Đổi vai trò tài khoản {user} thành {role}</source>
      <translation>Changed the role of account {user} to {role}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>Đổi vai trò tài khoản {user}: {change}</source>
      <translation>Changed the role of account {user}: {change}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>điện thoại</source>
      <translation>phone</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>đơn vị</source>
      <translation>organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>đảng viên</source>
      <translation>Party member</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/audit_log/records_words.py" />
      <source>địa danh</source>
      <translation>place name</translation>
    </message>
  </context>
  <context>
    <name>backup</name>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Bản sao lưu {name} có tài khoản: hãy đăng nhập bằng tài khoản quản trị có trong bản sao lưu để phục hồi.</source>
      <translation>Backup {name} has accounts: log in with an administrator account that is in the backup to restore it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Chưa hỗ trợ phục hồi loại cơ sở dữ liệu này.</source>
      <translation>Restoring this type of database is not supported yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Chưa hỗ trợ sao lưu loại cơ sở dữ liệu này.</source>
      <translation>Backing up this type of database is not supported yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Không có tệp cơ sở dữ liệu {path}.</source>
      <translation>There is no database file {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Không có tệp {path}.</source>
      <translation>There is no file {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Không phục hồi từ {name}: bản sao lưu không qua được kiểm tra nhật ký và dữ liệu được bảo vệ ({n} chỗ), có thể đã bị sửa ngoài chương trình. Nếu vẫn phải dùng bản này, quản trị ghi lý do: dtbd restore TỆP --override "lý do" (lý do được ghi vào nhật ký).</source>
      <translation>Not restored from {name}: the backup fails the check of its audit log and protected records ({n} places); it may have been altered outside the program. If this copy must be used anyway, an administrator gives the reason: dtbd restore FILE --override "reason" (the reason is recorded in the audit log).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Không phục hồi từ {name}: trong bản sao lưu, {user} không phải tài khoản quản trị với mật khẩu hiện tại (bản sao lưu không có tài khoản này, có vai trò khác, hoặc mật khẩu đã đổi sau khi sao lưu). Phục hồi bản này sẽ đổi người được quyền quản trị, nên chương trình không làm. ({detail})</source>
      <translation>Not restored from {name}: in the backup, {user} is not an administrator with the current password (the backup lacks this account, gives it another role, or the password changed after the backup). Restoring it would change who administers the program, so it is refused. ({detail})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Không tìm thấy {tool} (công cụ của PostgreSQL). Hãy cài PostgreSQL client trên máy này, hoặc sao lưu trên máy chủ bằng pg_dump.</source>
      <translation>{tool} (a PostgreSQL tool) was not found. Install the PostgreSQL client on this PC, or back up on the server with pg_dump.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Tệp {path} bị hỏng (kiểm tra toàn vẹn: {result}); không phục hồi từ tệp này.</source>
      <translation>File {path} is damaged (integrity check: {result}); not restoring from this file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Tệp {path} không phải bản sao lưu của DTBD Desktop ({error}).</source>
      <translation>File {path} is not a DTBD Desktop backup ({error}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>Tệp {path} được tạo bởi phiên bản khác của chương trình; không phục hồi được.</source>
      <translation>File {path} was made by a different version of the program; it cannot be restored.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>pg_dump không sao lưu được: {error}</source>
      <translation>pg_dump could not back up: {error}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/backup.py" />
      <source>pg_restore không phục hồi được: {error}. Cơ sở dữ liệu cũ vẫn còn; bản sao trước khi phục hồi: {previous}</source>
      <translation>pg_restore could not restore: {error}. The old database is still there; copy made before the restore: {previous}</translation>
    </message>
  </context>
  <context>
    <name>catalogue</name>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Chưa lưu được chương trình {code}.</source>
      <translation>Could not save programme {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Chương trình {code} chưa có quy định để ghi căn cứ.</source>
      <translation>Programme {code} has no rule set to hold the legal basis.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Căn cứ chưa hợp lệ, chưa lưu.</source>
      <translation>The legal basis is not valid; nothing was saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Không có chương trình mã '{code}'. Các mã hiện có: {known}.</source>
      <translation>There is no programme with code '{code}'. Existing codes: {known}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Không xóa được học phần '{code}' vì chương trình đã có lớp học; hãy đổi tên thay vì xóa.</source>
      <translation>Cannot delete module '{code}' because the programme already has classes; rename it instead of deleting.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Loại học phần không hợp lệ.</source>
      <translation>Invalid module type.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Mã học phần '{code}' bị trùng.</source>
      <translation>Duplicate module code '{code}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Quy định chung của chương trình</source>
      <translation>The programme's general rules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Quy định chưa hợp lệ, chưa lưu.</source>
      <translation>The rules are not valid; not saved.</translation>
    </message>
    <message>
      <source>Quy định mặc định</source>
      <translation type="obsolete">Default rules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Quy định sửa đổi</source>
      <translation>Amended rules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Số tiết phải là số nguyên từ 0 đến 2000.</source>
      <translation>The number of periods must be a whole number from 0 to 2000.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Thiếu mã học phần.</source>
      <translation>Module code missing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Thiếu tên học phần.</source>
      <translation>Module name missing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" />
      <source>Tên chương trình không được để trống.</source>
      <translation>The programme name cannot be empty.</translation>
    </message>
  </context>
  <context>
    <name>certificate_actions</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Cấp lại</source>
      <translation>Reissue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Cấp lại văn bằng {serial}</source>
      <translation>Reissue diploma {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Lý do:</source>
      <translation>Reason:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Quay lại</source>
      <translation>Go back</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Thu hồi</source>
      <translation>Revoke</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Thu hồi văn bằng {serial}</source>
      <translation>Revoke diploma {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Văn bằng {serial} sẽ hết giá trị và được thay bằng văn bằng mới với số hiệu, số vào sổ mới (dòng phụ lục sổ gốc nối hai số). Việc cấp lại không hoàn tác được.

Lý do cấp lại (ghi vào sổ gốc và nhật ký):</source>
      <translation>Document {serial} will lose its validity and be replaced by a new document with a new serial and register number (an appendix line of the register links the two). A reissue cannot be undone.

Reason for the reissue (kept in the register and the audit log):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Văn bằng {serial} sẽ hết giá trị: tra cứu mã xác thực sẽ báo “đã thu hồi”; dòng sổ gốc vẫn giữ. Việc thu hồi không hoàn tác được.

Lý do thu hồi (ghi vào sổ gốc và nhật ký):</source>
      <translation>Document {serial} will lose its validity: checking its verification code will say “revoked”; its register line stays. A revocation cannot be undone.

Reason for the revocation (kept in the register and the audit log):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Văn bằng, chứng chỉ</source>
      <translation>Diplomas and certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Đã cấp lại: số hiệu mới {serial}, số vào sổ {number}.</source>
      <translation>Reissued: new serial number {serial}, register number {number}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificate_actions.py" />
      <source>Đã thu hồi văn bằng {serial}; dòng sổ gốc vẫn giữ.</source>
      <translation>Diploma {serial} revoked; its line in the certificate register is kept.</translation>
    </message>
  </context>
  <context>
    <name>certificate_pdf</name>
    <message>
      <location filename="../../dtbd_desktop/printing/certificate_pdf.py" />
      <source>Ảnh phôi {path} phải là ảnh JPEG (.jpg) để in kèm bản soát; chọn lại ảnh phôi trong trình sửa mẫu in.</source>
      <translation>The blank's scan {path} must be a JPEG image (.jpg) to be printed under the proof; choose the scan again in the layout editor.</translation>
    </message>
  </context>
  <context>
    <name>certificates</name>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Chưa nhập mã.</source>
      <translation>No code entered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>Chọn bậc của sổ bằng: {levels}.</source>
      <translation>Choose the diploma register's level: {levels}.</translation>
    </message>
    <message>
      <source>Chữ ký hợp lệ, nhưng sổ gốc trong cơ sở dữ liệu này không có số hiệu {serial}: không kiểm tra được văn bằng có bị thu hồi hay không.</source>
      <translation type="obsolete">The signature is valid, but the certificate register in this database has no serial number {serial}: cannot check whether the diploma has been revoked.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Có trong sổ gốc, cấp trước khi dùng chương trình, không có chữ ký số</source>
      <translation>In the register; issued before the program was in use; no digital signature</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/register.py" />
      <source>Cấp lại thay số hiệu {serial}</source>
      <translation>Re-issued in place of serial {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Cấp lại thay số hiệu {serial}: {reason}</source>
      <translation>Reissued in place of serial number {serial}: {reason}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Cần ghi lý do (ví dụ: bị mất, sai ngày sinh).</source>
      <translation>Give a reason (for example: lost, wrong date of birth).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/signing_keys.py" />
      <source>Cần ghi lý do thôi dùng khóa.</source>
      <translation>Give the reason for retiring the key.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Dòng sổ gốc của số hiệu {serial} (nhập từ sổ gốc cũ) đã bị sửa ngoài chương trình. Không xác nhận được.</source>
      <translation>The register line of serial number {serial} (imported from an old register) was altered outside the program. Cannot confirm.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Dòng sổ gốc của số hiệu {serial} không khớp chữ ký: dữ liệu đã bị sửa ngoài chương trình. Không xác nhận được.</source>
      <translation>The register line of serial number {serial} does not match the signature: the data was changed outside the program. Cannot confirm.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/print_jobs.py" />
      <source>Học tập {period}</source>
      <translation>Studied {period}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/signing_keys.py" />
      <source>Khóa của máy này ({id}) đã được đăng ký.</source>
      <translation>This PC's key ({id}) is already enrolled.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/signing_keys.py" />
      <source>Khóa ký trong tệp {path} (mã {id}) chưa được quản trị đăng ký hoặc đã thôi dùng: không ký văn bằng bằng khóa này. Nếu tệp khóa vừa bị thay, hãy chép lại tệp đúng; nếu đây là máy mới, quản trị hãy đăng ký khóa.</source>
      <translation>The signing key in {path} (ID {id}) is not enrolled by an administrator, or was retired: no document is signed with it. If the key file was just replaced, copy the right one back; if this is a new PC, an administrator must enrol its key.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/records.py" />
      <source>Không có</source>
      <translation>None</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/layout_settings.py" />
      <source>Không có chương trình '{code}'.</source>
      <translation>There is no programme '{code}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/signing_keys.py" />
      <source>Không có khóa {id}.</source>
      <translation>There is no key {id}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Không có văn bằng nào mang mã hoặc số hiệu '{code}' trong sổ gốc.</source>
      <translation>No diploma with code or serial number '{code}' in the certificate register.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/records.py" />
      <source>Không có văn bằng số hiệu '{serial}' trong sổ gốc.</source>
      <translation>No diploma with serial number '{serial}' in the certificate register.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificate_copies.py" />
      <location filename="../../dtbd_desktop/services/certificates/register.py" />
      <source>Không tập trung</source>
      <translation>Part-time</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificate_copies.py" />
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Không {doing}: văn bằng {serial} đã bị thu hồi ({reason}).</source>
      <translation>Cannot {doing}: diploma {serial} has been revoked ({reason}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Không {doing}: văn bằng {serial} đã được cấp lại bằng số hiệu {new}.</source>
      <translation>Cannot {doing}: diploma {serial} has been reissued as serial number {new}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificate_copies.py" />
      <source>Không {doing}: văn bằng {serial} đã được cấp lại bằng số hiệu {new}; cấp từ dòng sổ gốc của văn bằng mới.</source>
      <translation>Cannot {doing}: diploma {serial} has been reissued as serial number {new}; issue from the register line of the new diploma instead.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>Loại văn bằng '{kind}' không có (diploma hoặc certificate).</source>
      <translation>There is no document type '{kind}' (diploma or certificate).</translation>
    </message>
    <message>
      <source>Lớp {code}</source>
      <translation type="obsolete">Class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Lớp {code} chưa có học viên nào đủ điều kiện cấp {kind}: hãy xét tốt nghiệp / công nhận hoàn thành trước.</source>
      <translation>Class {code} has no learner eligible for a {kind} yet: review graduation / recognise completion first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/print_jobs.py" />
      <source>Lớp {code} chưa có văn bằng nào đang có hiệu lực để in: cấp văn bằng trước (dtbd certificates issue {code}).</source>
      <translation>Class {code} has no valid diploma to print yet: issue diplomas first (dtbd certificates issue {code}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/signing_keys.py" />
      <source>Máy này chưa có khóa ký văn bằng nên không cấp được. Quản trị hãy đăng ký khóa cho máy này: Quản trị → Khóa ký văn bằng → Đăng ký khóa của máy này (dòng lệnh: dtbd certificates enrol-key).</source>
      <translation>This PC has no document signing key, so it cannot issue. An administrator must enrol a key for this PC: Administration → Document signing keys → Enrol this PC's key (command line: dtbd certificates enrol-key).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Mã QR có chữ ký thật nhưng khác dòng sổ gốc số hiệu {serial}.</source>
      <translation>The QR code has a genuine signature but differs from the register line of serial number {serial}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Mã QR không có chữ ký hợp lệ của trung tâm: giả hoặc đã bị sửa.</source>
      <translation>The QR code does not carry a valid signature of the centre: forged or altered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Mã QR mang chữ ký hợp lệ nhưng số hiệu {serial} không có trong sổ gốc: không xác nhận văn bằng này là thật (văn bằng thật luôn có dòng trong sổ gốc).</source>
      <translation>The QR code carries a valid signature but serial {serial} is not in the register: this document is not confirmed as genuine (a genuine document always has its register line).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/layout_settings.py" />
      <source>Mẫu in '{id}' không dùng được cho chương trình {code}.</source>
      <translation>Print layout '{id}' cannot be used for programme {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>Mẫu {label} '{pattern}': {problem}.</source>
      <translation>{label} pattern '{pattern}': {problem}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificate_copies.py" />
      <source>Ngày cấp bản sao {date} trước ngày cấp văn bằng ({issued}).</source>
      <translation>The copy issue date {date} is before the diploma's issue date ({issued}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Ngày cấp lại {date} trước ngày cấp văn bằng cũ ({old}).</source>
      <translation>The reissue date {date} is before the issue date of the old diploma ({old}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Ngày cấp {date} trước ngày kết thúc lớp {code} ({end}).</source>
      <translation>The issue date {date} is before the end date of class {code} ({end}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>Ngày khóa sổ {date} trước ngày cấp văn bằng cuối cùng trong sổ ({last}).</source>
      <translation>The closing date {date} is before the last document issued in the register ({last}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>Ngày khóa sổ {date} trước năm của sổ ({year}).</source>
      <translation>The closing date {date} is before the register's year ({year}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>Số hiệu {serial} đã dùng trong sổ của năm khác. Thêm {{year}} vào mẫu số hiệu '{pattern}' của {name}.</source>
      <translation>Serial number {serial} is already used in another year's register. Add {{year}} to the serial number pattern '{pattern}' of {name}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Thu hồi ngày {date}: {reason}</source>
      <translation>Revoked on {date}: {reason}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificate_copies.py" />
      <source>Tên người yêu cầu dài quá 200 ký tự.</source>
      <translation>The requester's name is longer than 200 characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificate_copies.py" />
      <location filename="../../dtbd_desktop/services/certificates/register.py" />
      <source>Tập trung</source>
      <translation>Full-time</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/signing_keys.py" />
      <source>Tệp khóa ký của máy này ({path}) bị hỏng hoặc không phải khóa Ed25519: không ký văn bằng bằng tệp này. Hãy chép lại tệp khóa từ bản lưu trên USB, hoặc quản trị cất tệp hỏng sang chỗ khác rồi đăng ký khóa mới cho máy này.</source>
      <translation>This PC's signing key file ({path}) is damaged or not an Ed25519 key: no document is signed with it. Copy the key file back from its USB copy, or have an administrator move the damaged file away and enrol a new key for this PC.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Văn bằng thật nhưng ĐÃ BỊ THU HỒI: {reason}</source>
      <translation>Genuine diploma but REVOKED: {reason}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Văn bằng thật nhưng ĐÃ ĐƯỢC CẤP LẠI bằng số hiệu {serial}; bản này không còn hiệu lực.</source>
      <translation>Genuine diploma but REISSUED as serial number {serial}; this copy is no longer valid.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>Văn bằng thật, đang có hiệu lực.</source>
      <translation>Genuine diploma, currently valid.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Văn bằng {serial} vừa được người khác thay đổi ({status}); hãy tải lại rồi làm lại nếu vẫn cần.</source>
      <translation>Document {serial} was just changed by someone else ({status}); reload, then do it again if still needed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificate_copies.py" />
      <source>Xác nhận tốt nghiệp của {name} (số hiệu {serial})</source>
      <translation>Graduation confirmation for {name} (serial number {serial})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>chỉ dùng được {{n}} và {{year}} (không có '{field}')</source>
      <translation>only {{n}} and {{year}} can be used (not '{field}')</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificate_copies.py" />
      <source>cấp bản sao được</source>
      <translation>issue a copy</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>cấp lại được</source>
      <translation>reissue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>dài quá 50 ký tự</source>
      <translation>longer than 50 characters</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>dấu ngoặc { } không khớp</source>
      <translation>braces { } do not match</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/print_jobs.py" />
      <source>học {period}</source>
      <translation>studied {period}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>không dùng được, ví dụ đúng: {n:04d}/GCN-{year}</source>
      <translation>cannot be used; a correct example: {n:04d}/GCN-{year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>số hiệu</source>
      <translation>serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>số vào sổ</source>
      <translation>register number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>thiếu {n}, chỗ đặt số thứ tự, ví dụ {n:04d}</source>
      <translation>{n} is missing, the place for the sequence number, for example {n:04d}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>thu hồi được</source>
      <translation>revoke</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/print_jobs.py" />
      <source>tại {venue}</source>
      <translation>at {venue}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/print_jobs.py" />
      <source>từ ngày {start} đến ngày {end}</source>
      <translation>from {start} to {end}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificate_copies.py" />
      <source>xác nhận được</source>
      <translation>confirm graduation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>{base}: đang có hiệu lực.</source>
      <translation>{base}: currently valid.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>{base}; ĐÃ BỊ THU HỒI: {reason}</source>
      <translation>{base}; REVOKED: {reason}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/verification.py" />
      <source>{base}; ĐÃ ĐƯỢC CẤP LẠI bằng số hiệu {serial}, bản này không còn hiệu lực.</source>
      <translation>{base}; REISSUED as serial number {serial}; this diploma is no longer valid.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>{name} đã cấp {n} văn bằng: không đổi mẫu số giữa năm được.</source>
      <translation>{name} has already issued {n} diplomas: the numbering pattern cannot change in the middle of the year.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates_numbering.py" />
      <source>{name} đã khóa sổ ngày {date}: không vào sổ thêm được.</source>
      <translation>{name} was closed on {date}: nothing more can be entered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/records.py" />
      <source>Đã cấp</source>
      <translation>Issued</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/records.py" />
      <source>Đã cấp lại</source>
      <translation>Reissued</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/register.py" />
      <source>Đã cấp lại (phụ lục)</source>
      <translation>Re-issued (appendix)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/issuing.py" />
      <source>Đã cấp lại ngày {date}, số hiệu mới {serial}: {reason}</source>
      <translation>Reissued on {date}, new serial number {serial}: {reason}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/register.py" />
      <source>Đã cấp lại số hiệu mới {serial} (phụ lục)</source>
      <translation>Re-issued with the new serial {serial} (appendix)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/records.py" />
      <source>Đã thu hồi</source>
      <translation>Revoked</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/certificates/register.py" />
      <source>Đã thu hồi (phụ lục)</source>
      <translation>Revoked (appendix)</translation>
    </message>
  </context>
  <context>
    <name>certificates_calibration</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>(mặc định cho mọi máy in)</source>
      <translation>(default for every printer)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Căn chỉnh máy in</source>
      <translation>Printer calibration</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Dấu {label} (mẫu {x:g}; {y:g}):</source>
      <translation>Mark {label} (layout {x:g}; {y:g}):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Hiệu chỉnh (vị trí in = độ lệch + tỉ lệ × vị trí trên mẫu)</source>
      <translation>Correction (printed position = offset + scale × position on the layout)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>In trang thử đã căn chỉnh...</source>
      <translation>Print calibrated test page...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>In trang thử...</source>
      <translation>Print test page...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Lưu</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Lệch dọc (mm):</source>
      <translation>Vertical offset (mm):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Lệch ngang (mm):</source>
      <translation>Horizontal offset (mm):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Máy in:</source>
      <translation>Printer:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Tính hiệu chỉnh</source>
      <translation>Calculate correction</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Tính từ trang thử đã in (chưa căn chỉnh)</source>
      <translation>Calculate from the printed test page (not yet calibrated)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Tỉ lệ dọc:</source>
      <translation>Vertical scale:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Tỉ lệ ngang:</source>
      <translation>Horizontal scale:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>dọc</source>
      <translation>vertical</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>ngang</source>
      <translation>horizontal</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Đo tâm dấu, tính từ mép trái và mép trên tờ giấy (mm):</source>
      <translation>Measure the centre of each mark from the left and top edges of the sheet (mm):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_calibration.py" />
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
  </context>
  <context>
    <name>certificates_layout_editor</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Chèn giá trị...</source>
      <translation>Insert value...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Chữ in hoa</source>
      <translation>Capital letters</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Các trường:</source>
      <translation>Fields:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Cách mép trái (mm):</source>
      <translation>From left edge (mm):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Cách mép trên, tới chân chữ (mm):</source>
      <translation>From top edge to text baseline (mm):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Căn lề:</source>
      <translation>Alignment:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Cỡ chữ (pt):</source>
      <translation>Font size (pt):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Hiện ảnh phôi</source>
      <translation>Show blank image</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Không đọc được ảnh {path}.</source>
      <translation>Could not read the image {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Kéo ô xanh để dời trường; vị trí tính bằng mm từ mép giấy. Ảnh phôi chỉ để căn, không in ra.</source>
      <translation>Drag the blue boxes to move fields; positions are in mm from the paper edge. The blank image is only for alignment and is not printed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Lưu</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Mẫu in văn bằng, chứng chỉ</source>
      <translation>Print layouts for diplomas and certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Mẫu:</source>
      <translation>Layout:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Nhập mẫu in</source>
      <translation>Import print layout</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Nhập tệp...</source>
      <translation>Import file...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Nội dung:</source>
      <translation>Content:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Phông:</source>
      <translation>Font:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Rộng / cạnh (mm):</source>
      <translation>Width / side (mm):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Thu nhỏ cho vừa ô</source>
      <translation>Shrink to fit the box</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Thêm trường chữ</source>
      <translation>Add text field</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Trường mới</source>
      <translation>New field</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Về mẫu gốc</source>
      <translation>Restore original layout</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Xuất mẫu in</source>
      <translation>Export print layout</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Xuất tệp...</source>
      <translation>Export file...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Xuống dòng khi dài</source>
      <translation>Wrap long text</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Xóa trường</source>
      <translation>Delete field</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>phiên bản {n}</source>
      <translation>version {n}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Ảnh phôi...</source>
      <translation>Blank image...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_layout_editor.py" />
      <source>Ảnh quét phôi (đúng khổ giấy)</source>
      <translation>Scanned image of the pre-printed blank (exact paper size)</translation>
    </message>
  </context>
  <context>
    <name>certificates_preview</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>/ {n} trang</source>
      <translation>/ {n} pages</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>Hiện phôi</source>
      <translation>Show blank</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>In văn bằng</source>
      <translation>Print diplomas</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>In ở tỉ lệ 100% (kích thước thật); phôi chỉ hiện để soát, không in ra.</source>
      <translation>Print at 100% (actual size); the pre-printed blank is shown only for checking and is not printed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>In...</source>
      <translation>Print...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>Không có trang nào.</source>
      <translation>There are no pages.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>Không in được</source>
      <translation>Could not print</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>Không mở được máy in.</source>
      <translation>Could not open the printer.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>Thu phóng</source>
      <translation>Zoom</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>Trang</source>
      <translation>Page</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>Đang gửi trang in...</source>
      <translation>Sending pages to the printer...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/certificates_preview.py" />
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
  </context>
  <context>
    <name>certificates_tab</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Chưa xét</source>
      <translation>Not reviewed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Có</source>
      <translation>Yes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Cấp</source>
      <translation>Issue</translation>
    </message>
    <message>
      <source>Cấp lại văn bằng {serial}</source>
      <translation type="obsolete">Reissue diploma {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Cấp lại...</source>
      <translation>Reissue...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Cấp số hiệu, vào sổ gốc {kind} cho {n} học viên đủ điều kiện chưa có văn bằng của lớp. Số đã cấp không thu lại được: văn bằng sai sẽ được thu hồi hoặc cấp lại, dòng sổ vẫn giữ.</source>
      <translation>Assign serial numbers and enter {kind} in the certificate register for {n} eligible learners of the class who have no diploma yet. Numbers once issued cannot be taken back: a wrong diploma is revoked or reissued, and its register line is kept.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Cấp văn bằng cho lớp {code}</source>
      <translation>Issue diplomas for class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Cấp văn bằng...</source>
      <translation>Issue diplomas...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Không</source>
      <translation>No</translation>
    </message>
    <message>
      <source>Lý do:</source>
      <translation type="obsolete">Reason:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Lưu PDF...</source>
      <translation>Save PDF...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Lưu văn bằng ra PDF</source>
      <translation>Save diplomas as PDF</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Mã xác thực</source>
      <translation>Verification code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Ngày cấp</source>
      <translation>Issue date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Ngày cấp:</source>
      <translation>Issue date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Số hiệu</source>
      <translation>Serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Số lần in</source>
      <translation>Times printed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Số vào sổ</source>
      <translation>Register number</translation>
    </message>
    <message>
      <source>Thu hồi văn bằng {serial}</source>
      <translation type="obsolete">Revoke diploma {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Thu hồi...</source>
      <translation>Revoke...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Tình trạng</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Văn bằng lớp {code}</source>
      <translation>Diplomas of class {code}</translation>
    </message>
    <message>
      <source>Văn bằng, chứng chỉ</source>
      <translation type="obsolete">Diplomas and certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Xem trước và in...</source>
      <translation>Preview and print...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Xếp loại</source>
      <translation>Classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>{kind}: đã cấp {issued}, chờ cấp {waiting}.</source>
      <translation>{kind}: {issued} issued, {waiting} waiting.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Đang cấp số văn bằng...</source>
      <translation>Assigning diploma numbers...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Đang tạo tệp PDF...</source>
      <translation>Creating the PDF file...</translation>
    </message>
    <message>
      <source>Đã cấp lại: số hiệu mới {serial}, số vào sổ {number}.</source>
      <translation type="obsolete">Reissued: new serial number {serial}, register number {number}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Đã cấp và vào sổ {n} văn bằng.</source>
      <translation>Issued and registered {n} diplomas.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Đã lưu {n} trang vào {path}. Khi in, chọn tỉ lệ 100% (kích thước thật).</source>
      <translation>Saved {n} pages to {path}. When printing, choose 100% scale (actual size).</translation>
    </message>
    <message>
      <source>Đã thu hồi văn bằng {serial}; dòng sổ gốc vẫn giữ.</source>
      <translation type="obsolete">Diploma {serial} revoked; its line in the certificate register is kept.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_tab.py" />
      <source>Đủ điều kiện</source>
      <translation>Eligible</translation>
    </message>
  </context>
  <context>
    <name>certificates_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Chưa đặt địa chỉ trang xác thực nên mã QR trên văn bằng chưa dẫn tới trang này: đặt ở Tệp → Cài đặt... → In giấy tờ. Trang vẫn dùng được từ USB: mở tệp rồi dán nội dung mã QR.</source>
      <translation>No verification page address is set, so the QR codes on the documents do not link to this page yet: set it in File → Settings... → Printing. The page also works from a USB stick: open the file and paste the QR code's text.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Chọn thư mục ghi trang xác thực</source>
      <translation>Choose the folder for the verification page</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Các sổ gốc năm {year} đều đã khóa.</source>
      <translation>Every register of {year} is already closed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Căn chỉnh máy in...</source>
      <translation>Printer calibration...</translation>
    </message>
    <message>
      <source>Cấp lại</source>
      <translation type="obsolete">Reissue</translation>
    </message>
    <message>
      <source>Cấp lại văn bằng {serial}</source>
      <translation type="obsolete">Reissue diploma {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Cấp lại...</source>
      <translation>Reissue...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Ghi trang xác thực (một tệp HTML) với khóa và danh sách thu hồi hôm nay, để đưa lên trang web của đơn vị hoặc chép vào USB</source>
      <translation>Write the verification page (one HTML file) with today's keys and revocation list, to put on the centre's website or a USB stick</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>HỢP LỆ</source>
      <translation>VALID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>KHÔNG HỢP LỆ</source>
      <translation>NOT VALID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Khóa sổ</source>
      <translation>Close the register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Khóa sổ gốc</source>
      <translation>Close a register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Khóa sổ...</source>
      <translation>Close register...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Kiểm tra</source>
      <translation>Check</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Kiểm tra văn bằng (không cần mạng)</source>
      <translation>Verify a diploma (no network needed)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Loại:</source>
      <translation>Type:</translation>
    </message>
    <message>
      <source>Lý do:</source>
      <translation type="obsolete">Reason:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Mã xác thực</source>
      <translation>Verification code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Mẫu in...</source>
      <translation>Print layouts...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Mọi loại</source>
      <translation>All types</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Mọi năm</source>
      <translation>All years</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Ngày cấp</source>
      <translation>Issue date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Ngày khóa sổ:</source>
      <translation>Closing date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Nhập mã xác thực (ví dụ K7QX2-M2PA9), quét mã QR hoặc nhập số hiệu...</source>
      <translation>Enter the verification code (for example K7QX2-M2PA9), scan the QR code or enter the serial number...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Năm:</source>
      <translation>Year:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Số hiệu</source>
      <translation>Serial number</translation>
    </message>
    <message>
      <source>Số hiệu mới {serial}, số vào sổ {number}.</source>
      <translation type="obsolete">New serial number {serial}, register number {number}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Số lần in</source>
      <translation>Times printed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Số vào sổ</source>
      <translation>Register number</translation>
    </message>
    <message>
      <source>Sổ gốc</source>
      <translation type="obsolete">Certificate register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Sổ gốc:</source>
      <translation>Register:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Sổ đã khóa không vào sổ thêm văn bằng nào; dòng khóa sổ in ngày này.</source>
      <translation>A closed register takes no more documents; its closing line prints this date.</translation>
    </message>
    <message>
      <source>Thu hồi văn bằng {serial}</source>
      <translation type="obsolete">Revoke diploma {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Thu hồi...</source>
      <translation>Revoke...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Trang xác thực</source>
      <translation>Verification page</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Trang xác thực...</source>
      <translation>Verification page...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Tìm theo họ tên, số hiệu, số vào sổ...</source>
      <translation>Search by full name, serial number, register number...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Tình trạng</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Văn bằng, chứng chỉ</source>
      <translation>Diplomas and certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Xuất sổ gốc</source>
      <translation>Export certificate register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Xuất sổ gốc Excel...</source>
      <translation>Export certificate register to Excel...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Xuất sổ gốc PDF...</source>
      <translation>Export certificate register to PDF...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Xếp loại</source>
      <translation>Classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>cấp ngày {date}</source>
      <translation>issued on {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>sinh {date}</source>
      <translation>born {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>số hiệu {serial}</source>
      <translation>serial number {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>{n} dòng sổ gốc.</source>
      <translation>{n} register lines.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Đã ghi trang xác thực vào {path}.</source>
      <translation>The verification page was written to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Đã khóa {name} ngày {date}.</source>
      <translation>Closed {name} on {date}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Đã xuất {n} dòng sổ gốc vào {path}.</source>
      <translation>Exported {n} register lines to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/certificates_view.py" />
      <source>Đưa cả thư mục {folder} lên trang web của đơn vị sao cho trang mở được ở địa chỉ {link} (mã QR trên văn bằng dẫn tới đó). Ghi và đưa lại trang mỗi khi thu hồi hoặc cấp lại văn bằng.</source>
      <translation>Put the whole folder {folder} on the centre's website so that the page opens at {link} (where the QR codes on the documents lead). Write and upload the page again whenever a document is revoked or reissued.</translation>
    </message>
  </context>
  <context>
    <name>class_dialog</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>(chưa phân công)</source>
      <translation>(not assigned)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Bỏ các thay đổi chưa lưu</source>
      <translation>Discard the unsaved changes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Chương trình {code}: {periods} tiết; học {mode} từ ngày khai giảng thì sớm nhất kết thúc ngày {date}.</source>
      <translation>Programme {code}: {periods} periods; studying {mode} from the opening day, the earliest end is {date}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Chương trình:</source>
      <translation>Programme:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Chỉ xóa được lớp chưa có học viên và chưa cấp văn bằng, chứng chỉ. Việc xóa không hoàn tác được.</source>
      <translation>Only a class with no learners and no documents issued can be deleted. Deleting cannot be undone.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>GV chủ nhiệm:</source>
      <translation>Homeroom lecturer:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Ghi chú:</source>
      <translation>Notes:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Hoàn tác</source>
      <translation>Undo</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Hình thức:</source>
      <translation>Mode:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Học viên ({n})</source>
      <translation>Learners ({n})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Khai giảng:</source>
      <translation>Opening date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Không lưu</source>
      <translation>Don't save</translation>
    </message>
    <message>
      <source>Không lưu được</source>
      <translation type="obsolete">Could not save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Kiểm tra ngày kết thúc</source>
      <translation>Check the end date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Kết thúc:</source>
      <translation>End date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Lưu</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Lớp còn học viên nên không xóa được.</source>
      <translation>The class still has learners, so it cannot be deleted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Lớp {code}</source>
      <translation>Class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Lớp {code} – {name}</source>
      <translation>Class {code} – {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Lớp đã mở thì không đổi chương trình được.</source>
      <translation>An opened class cannot change its programme.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Mã lớp:</source>
      <translation>Class code:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Mở lớp mới</source>
      <translation>Open a new class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Quy định áp dụng:</source>
      <translation>Rules applied:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Sửa ngày</source>
      <translation>Correct the date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Thay đổi chưa lưu</source>
      <translation>Unsaved changes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Thông tin lớp</source>
      <translation>Class details</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Thông tin lớp {code} có thay đổi chưa lưu. Lưu trước khi rời trang?</source>
      <translation>The details of class {code} have unsaved changes. Save them before leaving the page?</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Thời khóa biểu</source>
      <translation>Timetable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Trạng thái:</source>
      <translation>Status:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Trở về danh sách lớp (Esc)</source>
      <translation>Back to the class list (Esc)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Tên lớp:</source>
      <translation>Class name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Văn bằng, chứng chỉ</source>
      <translation>Diplomas and certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Vẫn lưu</source>
      <translation>Save anyway</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Xét tốt nghiệp</source>
      <translation>Graduation review</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Xóa hẳn lớp {code} – {name}?

Chỉ xóa được lớp chưa có học viên và chưa cấp văn bằng, chứng chỉ. Việc xóa không hoàn tác được.</source>
      <translation>Delete class {code} – {name} for good?

Only a class with no learners and no documents issued can be deleted. Deleting cannot be undone.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Xóa lớp</source>
      <translation>Delete class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Xóa lớp {code}</source>
      <translation>Delete class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Xóa lớp {code}...</source>
      <translation>Delete class {code}...</translation>
    </message>
    <message>
      <source>Xóa lớp {code}? Chỉ xóa được lớp chưa có học viên.</source>
      <translation type="obsolete">Delete class {code}? Only a class with no learners can be deleted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Xóa lớp...</source>
      <translation>Delete class...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>quy định hiện hành của chương trình</source>
      <translation>the programme's current rules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Điểm</source>
      <translation>Scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Điểm danh</source>
      <translation>Attendance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Đã lưu thông tin lớp {code}.</source>
      <translation>Saved the details of class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Đã mở lớp {code}. Tiếp theo: nhập danh sách học viên.</source>
      <translation>Class {code} opened. Next: enter its learners.</translation>
    </message>
    <message>
      <source>Đóng</source>
      <translation type="obsolete">Close</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_info.py" />
      <source>Địa điểm:</source>
      <translation>Venue:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>Ở lại</source>
      <translation>Stay</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/class_dialog.py" />
      <source>◀ Danh sách lớp</source>
      <translation>◀ Class list</translation>
    </message>
  </context>
  <context>
    <name>classes</name>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Chưa lưu được lớp {code}.</source>
      <translation>Could not save class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Chưa mở được lớp.</source>
      <translation>Could not open the class.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Chương trình {code} chưa có quy định (bộ quy tắc).</source>
      <translation>Programme {code} has no rules (rule set) yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Dự kiến</source>
      <translation>Planned</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Hình thức '{mode}' không hợp lệ: dùng full-time (tập trung) hoặc part-time (không tập trung).</source>
      <translation>Invalid mode '{mode}': use full-time or part-time.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Không chuyển được lớp từ '{old}' sang '{new}'.</source>
      <translation>Could not move the class from '{old}' to '{new}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Không có giảng viên chủ nhiệm đã chọn.</source>
      <translation>The selected homeroom lecturer does not exist.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <location filename="../../dtbd_desktop/trust/operations.py" />
      <source>Không có lớp mã '{code}'. Xem danh sách lớp bằng lệnh: dtbd class list</source>
      <translation>There is no class with code '{code}'. See the list of classes with: dtbd class list</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Không tập trung</source>
      <translation>Part-time</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Lớp dài hơn 3 năm: kiểm tra lại ngày kết thúc.</source>
      <translation>The class is longer than 3 years: check the end date.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Lớp {code} còn {n} học viên; hãy chuyển hoặc xóa học viên trước.</source>
      <translation>Class {code} still has {n} learners; move or delete the learners first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Lớp {code} vừa được người khác sửa. Hãy mở lại để xem bản mới nhất.</source>
      <translation>Class {code} was just changed by someone else. Reopen it to see the latest version.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Lớp {code} đã cấp {n} văn bằng, chứng chỉ nên không xóa được.</source>
      <translation>Class {code} has issued {n} diplomas or certificates, so it cannot be deleted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Lớp {programme} {code}</source>
      <translation>{programme} class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Mã lớp dài quá 40 ký tự.</source>
      <translation>The class code is longer than 40 characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Mã lớp không được để trống (ví dụ: A48, K74B.21).</source>
      <translation>The class code cannot be empty (for example: A48, K74B.21).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Ngày kết thúc {end} trước ngày khai giảng {start}.</source>
      <translation>The end date {end} is before the opening date {start}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Thiếu ngày khai giảng.</source>
      <translation>Opening date missing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Thiếu ngày kết thúc.</source>
      <translation>End date missing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Trạng thái lớp không hợp lệ.</source>
      <translation>Invalid class status.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Tên lớp dài quá 300 ký tự.</source>
      <translation>The class name is longer than 300 characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Tập trung</source>
      <translation>Full-time</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Đang học</source>
      <translation>In progress</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Đã có lớp mã '{code}'. Chọn mã khác.</source>
      <translation>A class with code '{code}' already exists. Choose another code.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Đã kết thúc</source>
      <translation>Finished</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" />
      <source>Đã đóng hồ sơ</source>
      <translation>Records closed</translation>
    </message>
  </context>
  <context>
    <name>classes_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Chương trình:</source>
      <translation>Programme:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>GV chủ nhiệm</source>
      <translation>Homeroom lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Hình thức</source>
      <translation>Mode</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Khai giảng</source>
      <translation>Opening</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Kết thúc</source>
      <translation>End</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Lọc theo mã, tên lớp, địa điểm...</source>
      <translation>Filter by code, class name, venue...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Lớp còn học viên nên không xóa được.</source>
      <translation>The class still has learners, so it cannot be deleted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Lớp học</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Mã lớp</source>
      <translation>Class code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Mọi chương trình</source>
      <translation>All programmes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Mọi năm</source>
      <translation>All years</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Mọi trạng thái</source>
      <translation>All statuses</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Mở lớp</source>
      <translation>Open class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Mở lớp mới...</source>
      <translation>Open a new class...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Mở lớp {code}</source>
      <translation>Open class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Năm:</source>
      <translation>Year:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Trạng thái</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Trạng thái:</source>
      <translation>Status:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Tên lớp</source>
      <translation>Class name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Xóa lớp {code}...</source>
      <translation>Delete class {code}...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>{n} lớp, {m} học viên</source>
      <translation>{n} classes, {m} learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Đã xóa lớp {code}.</source>
      <translation>Deleted class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/classes_view.py" />
      <source>Địa điểm</source>
      <translation>Venue</translation>
    </message>
  </context>
  <context>
    <name>cli</name>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source> (chỉ kiểm tra)</source>
      <translation> (check only)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source> (trước là: {old})</source>
      <translation> (previously: {old})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source> (trước: {old})</source>
      <translation> (previously: {old})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source> (đã chốt)</source>
      <translation> (finalised)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source> hoặc </source>
      <translation> or </translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>'{value}' chỉ có năm; cần ngày đầy đủ dạng YYYY-MM-DD.</source>
      <translation>'{value}' has only a year; a full date is needed as YYYY-MM-DD.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>'{value}' phải là các ngày trong tuần từ 1 (Thứ Hai) đến 7 (Chủ nhật), cách nhau bởi dấu phẩy, ví dụ 6,7.</source>
      <translation>'{value}' must be days of the week from 1 (Monday) to 7 (Sunday), separated by commas, for example 6,7.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>'{value}' phải là số nguyên lớn hơn 0.</source>
      <translation>'{value}' must be a whole number greater than 0.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>(chỉ in thời gian học)</source>
      <translation>(the dates only)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>(không có)</source>
      <translation>(none)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>(ngừng)</source>
      <translation>(deactivated)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>(đang khóa)</source>
      <translation>(locked)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>, KHÔNG TIN CẬY</source>
      <translation>, NOT TRUSTED</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>--map {option}: '{letter}' không phải tên cột Excel (A, B, ..., Z, AA...).</source>
      <translation>--map {option}: '{letter}' is not an Excel column name (A, B, ..., Z, AA...).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>--map {option}: không có trường '{field}'; dùng một trong: {fields}.</source>
      <translation>--map {option}: there is no field '{field}'; use one of: {fields}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/context.py" />
      <source>--user cần mật khẩu: đặt biến môi trường DTBD_PASSWORD.</source>
      <translation>--user needs a password: set the DTBD_PASSWORD environment variable.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Buổi</source>
      <translation>Session</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Báo cáo số {number} ngày {date}.</source>
      <translation>Report number {number} of {date}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Bản sao lưu không qua kiểm tra nhật ký; đã phục hồi theo lý do được ghi vào nhật ký.</source>
      <translation>The backup failed the audit check; it was restored for the reason recorded in the audit log.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Bỏ qua {rows} dòng có lỗi (xem danh sách lỗi).</source>
      <translation>Skipping {rows} rows with errors (see the list of errors).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" />
      <source>Chi tiết đã ghi vào nhật ký {path}.</source>
      <translation>The details were written to the log {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Chi tiết:</source>
      <translation>Details:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Chưa có điểm: {names}.</source>
      <translation>No score yet: {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Chưa đặt địa chỉ trang xác thực: mã QR chỉ chứa nội dung đã ký.</source>
      <translation>No verification page address is set: the QR codes hold the signed text only.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>Chạy thử: sẽ nhập</source>
      <translation>Dry run: would import</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Chạy thử: sẽ nhập {n} học viên vào lớp {code} ({new} hồ sơ mới, {old} người đã có hồ sơ); chưa ghi gì.</source>
      <translation>Dry run: would import {n} learners into class {code} ({new} new records, {old} people already on record); nothing written yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Chỉ dùng một trong hai: URL hoặc --clear.</source>
      <translation>Use only one of the two: URL or --clear.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <source>Chỉ hiện {n} người đầu tiên; thêm --limit 0 để xem tất cả.</source>
      <translation>Showing only the first {n} people; add --limit 0 to see all.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Chức vụ</source>
      <translation>Position</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Các lần thi</source>
      <translation>Attempts</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>Cách gọi: {v}</source>
      <translation>Salutation: {v}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Có thể trùng người: dòng {row} giống hồ sơ đã có [{existing}]; {decision}.</source>
      <translation>Possible duplicate: row {row} resembles the existing record [{existing}]; {decision}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>Có thể trùng người: trang '{sheet}' dòng {row} giống [{existing}]; đã tạo hồ sơ riêng, xem lại ở mục Học viên trùng (dtbd learners duplicates).</source>
      <translation>Possibly the same person: sheet '{sheet}' row {row} looks like [{existing}]; a separate record was created, review it under Possible duplicates (dtbd learners duplicates).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Căn cứ:</source>
      <translation>Legal basis:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Cơ sở dữ liệu {url} đã ở phiên bản {rev}.</source>
      <translation>Database {url} is already at version {rev}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>Cặp</source>
      <translation>Pair</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>Cặp {id}: {status}.</source>
      <translation>Pair {id}: {status}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" />
      <source>DTBD Desktop: quản lý đào tạo, bồi dưỡng (dòng lệnh).</source>
      <translation>DTBD Desktop: training and fostering management (command line).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Dân tộc</source>
      <translation>Ethnicity</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Ghi chú</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Giảng viên</source>
      <translation>Lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Giới tính</source>
      <translation>Sex</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Giữ nguyên {n} buổi đã có (đã học, đã điểm danh hoặc thêm bằng tay).</source>
      <translation>Kept {n} existing sessions (already held, with attendance, or added by hand).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Hài lòng</source>
      <translation>Satisfied</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Hạng</source>
      <translation>Rank</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>Hồ sơ giữ</source>
      <translation>Record kept</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>Hồ sơ kia</source>
      <translation>Other record</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>HỢP LỆ</source>
      <translation>VALID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>KHÔNG HỢP LỆ</source>
      <translation>NOT VALID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>KHÔNG NHẬP tệp {file}: {n} lỗi.</source>
      <translation>File {file} NOT IMPORTED: {n} errors.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>KHÔNG NHẬP: {k} lỗi ở {rows} dòng; không có gì bị thay đổi. Sửa tệp theo danh sách lỗi rồi nhập lại, hoặc thêm --skip-invalid để chỉ nhập các dòng đúng.</source>
      <translation>NOT IMPORTED: {k} errors in {rows} rows; nothing was changed. Fix the file according to the list of errors and import again, or add --skip-invalid to import only the correct rows.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Khai giảng</source>
      <translation>Opening</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Khóa</source>
      <translation>Cohort</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>Khóa học: {v}</source>
      <translation>Course: {v}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Không có gì bị thay đổi.</source>
      <translation>Nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>Không có gì bị thay đổi: sửa tệp theo danh sách lỗi rồi nhập lại.</source>
      <translation>Nothing was changed: correct the file using the list of errors, then import it again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Không có gì thay đổi.</source>
      <translation>Nothing changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Không có thay đổi nào khớp điều kiện.</source>
      <translation>No change matches.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Không có trùng lịch.</source>
      <translation>No timetable clashes.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Không thay đổi: học viên {nid} đã được ghi {status} buổi {slot}.</source>
      <translation>No change: learner {nid} is already recorded as {status} for session {slot}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" />
      <source>Không thực hiện được: {error}. Không có gì bị thay đổi. Chạy lại với --debug để xem chi tiết.</source>
      <translation>Could not do it: {error}. Nothing was changed. Run again with --debug to see the details.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Không được thi</source>
      <translation>Barred from exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Không đọc được tệp căn cứ {path}: {error}. Lưu tệp dạng văn bản UTF-8.</source>
      <translation>Cannot read the legal basis file {path}: {error}. Save it as UTF-8 text.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Kiểm tra xong, không có lỗi: sẽ ghi {n} thay đổi ({same} ô không đổi). Chưa ghi gì.</source>
      <translation>Check finished, no errors: would write {n} changes ({same} cells unchanged). Nothing written yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Kiểm tra xong: {n} điểm sẽ được lưu, {m} không đổi (chưa lưu gì).</source>
      <translation>Check finished: {n} scores would be saved, {m} unchanged (nothing saved yet).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Kết quả</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Kết thúc</source>
      <translation>End</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Loại</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Lý do</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Lưu ý (không chặn việc nhập):</source>
      <translation>Notes (not blocking the import):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Lượt học viên</source>
      <translation>Learner-times</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Lần thi '{value}' phải là số nguyên từ 1 trở lên.</source>
      <translation>Attempt '{value}' must be a whole number from 1 up.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Lỗi (dòng, cột theo tệp Excel):</source>
      <translation>Errors (row, column as in the Excel file):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" />
      <source>Lỗi cơ sở dữ liệu: {error}. Không có gì bị thay đổi.</source>
      <translation>Database error: {error}. Nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" />
      <source>Lỗi không mong đợi ({kind}): {error}. Chạy lại với --debug và gửi kết quả cho bộ phận kỹ thuật.</source>
      <translation>Unexpected error ({kind}): {error}. Run again with --debug and send the output to technical support.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>Lỗi trong tệp {file} (trang, dòng, cột theo tệp Excel):</source>
      <translation>Errors in file {file} (sheet, row and column as in the Excel file):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <location filename="../../dtbd_desktop/cli/main.py" />
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Lỗi: {message}</source>
      <translation>Error: {message}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Lớp {code}: {n} phiếu phản hồi{dry}.</source>
      <translation>Class {code}: {n} feedback forms{dry}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Lớp đang học: {codes}</source>
      <translation>Classes in progress: {codes}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Mã</source>
      <translation>Code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Mã khóa</source>
      <translation>Key ID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Mã lớp</source>
      <translation>Class code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Mã xác thực</source>
      <translation>Verification code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/context.py" />
      <source>Mật khẩu của {user}: </source>
      <translation>Password for {user}: </translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Mọi học viên đủ điều kiện của lớp {code} đều đã có văn bằng; không cấp thêm.</source>
      <translation>Every eligible learner of class {code} already has a diploma; none issued.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Mục nhật ký {id}: </source>
      <translation>Audit entry {id}: </translation>
    </message>
    <message>
      <source>Mục nhật ký {id}: {problem}</source>
      <translation type="obsolete">Log entry {id}: {problem}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>Ngày</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Ngày nghỉ</source>
      <translation>Holiday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Người đăng ký</source>
      <translation>Enrolled by</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Nhu cầu</source>
      <translation>Need</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Nhật ký hoặc dữ liệu được bảo vệ đã bị can thiệp ngoài chương trình ({n} chỗ).</source>
      <translation>The audit log or protected records were tampered with outside the program ({n} places).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Nhật ký nguyên vẹn ({n} mục); dữ liệu được bảo vệ khớp nhật ký.</source>
      <translation>The audit log is intact ({n} entries); the protected records match it.</translation>
    </message>
    <message>
      <source>Nhật ký nguyên vẹn.</source>
      <translation type="obsolete">The log is intact.</translation>
    </message>
    <message>
      <source>Nhật ký đã bị can thiệp.</source>
      <translation type="obsolete">The log has been tampered with.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Năm '{value}' không hợp lệ (ví dụ: 2025).</source>
      <translation>Invalid year '{value}' (for example: 2025).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Năm thứ</source>
      <translation>Year no.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Năm {year}: {c} lớp, {l} lượt học viên.</source>
      <translation>Year {year}: {c} classes, {l} learner-times.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Phiếu đăng ký năm {year}: {n} ô có số, {c} dòng nhu cầu thay đổi{dry}.</source>
      <translation>Registration forms for {year}: {n} cells with numbers, {c} need lines changed{dry}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Phương hướng, nhiệm vụ năm {year}:</source>
      <translation>Directions and tasks for {year}:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>STT</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" />
      <source>Sai cú pháp lệnh. {detail}. Xem: dtbd --help</source>
      <translation>Wrong command syntax. {detail}. See: dtbd --help</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Sĩ số</source>
      <translation>Class size</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Sẽ thêm {n} đơn vị mới vào danh mục: {names}.</source>
      <translation>Will add {n} new organisations to the list: {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Số CCCD</source>
      <translation>National ID (CCCD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Số công văn: {numbers}.</source>
      <translation>Letter numbers: {numbers}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>Số cặp '{value}' không hợp lệ: ghi số trong cột 'Cặp' của dtbd learners duplicates.</source>
      <translation>Pair number '{value}' is not valid: give the number in the 'Cặp' column of dtbd learners duplicates.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Số hiệu</source>
      <translation>Serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Số lần in</source>
      <translation>Times printed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <source>Số người '{value}' không hợp lệ: ghi một số từ 0 trở lên (0 là không giới hạn)</source>
      <translation>Invalid number of people '{value}': give a number from 0 up (0 means no limit)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Số phiếu</source>
      <translation>Forms</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Số tiết</source>
      <translation>Periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Số vào sổ</source>
      <translation>Register number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>Số, ký hiệu</source>
      <translation>Number and symbol</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Thi lại lần</source>
      <translation>Retake no.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Thứ</source>
      <translation>Weekday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>Trích yếu</source>
      <translation>Summary</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Trạng thái</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>Tên khóa học: {v}</source>
      <translation>Course title: {v}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>Tìm thấy ở</source>
      <translation>Found in</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>Tình trạng</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Tệp '{path}' phải có đuôi .pdf hoặc .xlsx.</source>
      <translation>File '{path}' must end in .pdf or .xlsx.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Tệp '{path}' phải có đuôi {suffixes}.</source>
      <translation>File '{path}' must end in {suffixes}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Tệp in văn bằng phải là .pdf (đang là '{name}').</source>
      <translation>The diploma print file must be a .pdf (it is '{name}').</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Tệp kết quả phải có đuôi {allowed}.</source>
      <translation>The result file must end in {allowed}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>Tệp phải là .pdf (đang là '{name}').</source>
      <translation>The file must be a .pdf (it is '{name}').</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Tệp {file}, trang '{sheet}': {n} dòng học viên (dòng {first}–{last}).</source>
      <translation>File {file}, sheet '{sheet}': {n} learner rows (rows {first}–{last}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Tốt nghiệp</source>
      <translation>Graduated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Từ nay mã QR in trên văn bằng là đường dẫn tới {url}#…; hãy đưa trang xác thực lên đúng địa chỉ này (dtbd certificates verify-page).</source>
      <translation>From now on the QR codes printed on documents are links to {url}#…; put the verification page at exactly this address (dtbd certificates verify-page).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Tỷ lệ</source>
      <translation>Share</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Vắng (tiết)</source>
      <translation>Absent (periods)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Xếp loại</source>
      <translation>Classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>buổi</source>
      <translation>half-day</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>buổi: sáng, chiều hoặc tối</source>
      <translation>half-day: morning, afternoon or evening</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>báo cáo năm: kế hoạch và thực hiện, thống kê (PDF hoặc XLSX)</source>
      <translation>annual report: plan and results, statistics (PDF or XLSX)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>báo cáo: kế hoạch, thống kê, giảng viên, phản hồi</source>
      <translation>reports: plan, statistics, lecturers, feedback</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>bản nháp: chưa lấy số báo cáo trong sổ văn bản đi</source>
      <translation>draft: do not take a report number from the outgoing register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>bản nháp: chưa lấy số, không ghi vào sổ</source>
      <translation>draft: take no number, enter nothing in the register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>bảng điểm một học phần của lớp</source>
      <translation>score sheet of one module of the class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>bậc của sổ bằng (sổ giấy chứng nhận: fostering)</source>
      <translation>the diploma register's level (certificate register: fostering)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>bỏ một ngày nghỉ</source>
      <translation>remove a holiday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>bỏ địa chỉ: mã QR chỉ chứa nội dung đã ký</source>
      <translation>remove the address: the QR codes hold the signed text only</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>bồi dưỡng</source>
      <translation>fostering</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>cho sửa điểm danh đã khóa (cần --reason)</source>
      <translation>allow changing locked attendance (needs --reason)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>chỉ kiểm tra và cho biết sẽ nhập những gì; không ghi gì</source>
      <translation>only check and say what would be imported; write nothing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>chỉ kiểm tra, không ghi</source>
      <translation>check only, do not write</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>chỉ kiểm tra, không ghi gì</source>
      <translation>check only, write nothing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>chỉ kiểm tra, không lưu</source>
      <translation>check only, do not save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>chỉ một học viên (bảng điểm cá nhân)</source>
      <translation>only one learner (individual transcript)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>chỉ một loại: diploma (bằng tốt nghiệp) hoặc certificate (giấy chứng nhận)</source>
      <translation>only one type: diploma (graduation diploma) or certificate (certificate of completion)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>chỉ một lớp</source>
      <translation>only one class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>chỉ những thay đổi của lớp này</source>
      <translation>only the changes about this class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>chỉ những thay đổi của tài khoản này</source>
      <translation>only the changes made by this account</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>chỉ sổ của một bậc: so_cap, trung_cap, cao_cap, fostering (bồi dưỡng)</source>
      <translation>only the register of one level: so_cap, trung_cap, cao_cap, fostering</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>chỉ tiêu của năm và nhu cầu đã đăng ký</source>
      <translation>the year's targets and registered needs</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>chỉ xem, không lưu kết quả</source>
      <translation>view only, do not save the results</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>chốt điểm một học phần của lớp</source>
      <translation>finalise the scores of one module of the class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>coi người trùng họ tên và ngày sinh (không có CCCD để phân biệt) là người đã có hồ sơ; mặc định tạo hồ sơ mới và liệt kê để kiểm tra</source>
      <translation>treat people with the same full name and date of birth (no national ID to tell them apart) as already on record; by default new records are created and listed for checking</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>các buổi học của lớp theo thứ tự ngày</source>
      <translation>the class's sessions in date order</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>các cặp hồ sơ có thể là một người (do nhập sổ cũ, danh sách đề xuất)</source>
      <translation>pairs of records that may be the same person (from old register imports; a list of suggestions)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>các khóa ký văn bằng đã đăng ký</source>
      <translation>the enrolled document signing keys</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>các ngày học trong tuần, 1 (Thứ Hai) đến 7 (Chủ nhật), ví dụ 6,7; được lưu cho lớp</source>
      <translation>the days of the week the class meets, 1 (Monday) to 7 (Sunday), for example 6,7; kept for the class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>các ngày nghỉ</source>
      <translation>holidays</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>các văn bản đã vào sổ của một năm</source>
      <translation>the documents entered in the register in a year</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>cách ghi trên văn bằng, giấy chứng nhận của một chương trình</source>
      <translation>the wording of a programme's diplomas and certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>cách gọi người học: "Đồng chí" hoặc "Ông (Bà)"</source>
      <translation>how the learner is addressed: "Đồng chí" or "Ông (Bà)"</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>có</source>
      <translation>yes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>có mặt, vắng có phép, vắng không phép, đi muộn</source>
      <translation>present, excused absence, unexcused absence, late</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>căn cứ mới: tên, số, ngày của văn bản; nhiều văn bản cách nhau bằng dòng mới</source>
      <translation>the new legal basis: name, number and date of each regulation; several separated by new lines</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" />
      <source>cơ sở dữ liệu (URL SQLAlchemy); mặc định: DTBD_DATABASE_URL hoặc tệp SQLite của người dùng</source>
      <translation>database (SQLAlchemy URL); default: DTBD_DATABASE_URL or the user's SQLite file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>cả các cặp đã xử lý</source>
      <translation>include pairs already dealt with</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>cấp bản sao văn bằng từ sổ gốc (PDF), vào sổ cấp bản sao</source>
      <translation>issue a copy of a diploma from the register (PDF) and enter it in the register of copies</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>cấp lại văn bằng bị mất hoặc sai, số mới liên kết số cũ</source>
      <translation>reissue a lost or wrong diploma, the new number linked to the old one</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>cấp ngày {date}</source>
      <translation>issued on {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>cấp phó ký thay (K/T), theo cài đặt</source>
      <translation>the deputy signs on behalf (K/T), as set in the settings</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>cấp số và vào sổ văn bằng cho mọi học viên đủ điều kiện</source>
      <translation>assign numbers and register diplomas for every eligible learner</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <location filename="../../dtbd_desktop/cli/main.py" />
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>cột {column}</source>
      <translation>column {column}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>danh mục chương trình</source>
      <translation>programme catalogue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_roster.py" />
      <source>danh sách học viên của lớp</source>
      <translation>the class's list of learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>danh sách lớp</source>
      <translation>list of classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>danh sách thi lại</source>
      <translation>retake list</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>danh sách tài khoản</source>
      <translation>list of accounts</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>dtbd conduct set: cần ít nhất một trong --confirmation, --discipline, --conduct</source>
      <translation>dtbd conduct set: needs at least one of --confirmation, --discipline, --conduct</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>dtbd graduation documents: --decision-number chỉ dùng với --kind decision</source>
      <translation>dtbd graduation documents: --decision-number is only used with --kind decision</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>dtbd graduation documents: --decision-number và --decision-date đi cùng nhau</source>
      <translation>dtbd graduation documents: --decision-number and --decision-date go together</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>dtbd graduation documents: --learner chỉ dùng với --kind transcript</source>
      <translation>dtbd graduation documents: --learner is only used with --kind transcript</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>dòng</source>
      <translation>rows</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <location filename="../../dtbd_desktop/cli/main.py" />
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>dòng {row}</source>
      <translation>row {row}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>dùng hồ sơ đã có</source>
      <translation>using the existing record</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>dự thảo kế hoạch từ nhu cầu đã đăng ký</source>
      <translation>draft plan from registered needs</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>ghi chú</source>
      <translation>notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>ghi chú, căn cứ (văn bản của cơ quan cử đi học...)</source>
      <translation>notes, basis (document from the sending organisation...)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>ghi chú: máy nào, phòng nào</source>
      <translation>a note: which PC, which office</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>ghi kết quả đánh giá một năm của một học viên tốt nghiệp</source>
      <translation>record one year's rating of a graduate</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>ghi nhận học bổ sung một học phần</source>
      <translation>record make-up lessons for a module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>ghi nhận xét, kỷ luật của một học viên</source>
      <translation>record comments and discipline for a learner</translation>
    </message>
    <message>
      <source>ghi số và ngày quyết định công nhận tốt nghiệp</source>
      <translation type="obsolete">record the number and date of the graduation decision</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>ghi trang xác thực tĩnh (một tệp HTML) với khóa và danh sách thu hồi hôm nay, để đưa lên trang web hoặc USB</source>
      <translation>write the static verification page (one HTML file) with today's keys and revocation list, for a website or a USB stick</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>giấy xác nhận tốt nghiệp từ sổ gốc (PDF), lấy số trong sổ văn bản đi</source>
      <translation>graduation confirmation from the register (PDF), numbered from the outgoing documents book</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>gộp hai hồ sơ của một cặp thành một người (hoàn tác được đến khi xác nhận)</source>
      <translation>merge the two records of a pair into one person (can be undone until confirmed)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>hai hồ sơ là hai người khác nhau</source>
      <translation>the two records are two different people</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <source>hiện nhiều nhất N người (mặc định {n}; 0 là tất cả)</source>
      <translation>show at most N people (default {n}; 0 means all)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>hoàn tác việc gộp chưa xác nhận</source>
      <translation>undo a merge that has not been confirmed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>hình thức: full-time (tập trung) hoặc part-time (không tập trung)</source>
      <translation>mode: full-time or part-time</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>họ và tên</source>
      <translation>full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>học viên của lớp, theo thứ tự tên, đệm, họ</source>
      <translation>learners of the class, ordered by given name, middle name, surname</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <source>học viên của mọi lớp</source>
      <translation>learners of all classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>học viên tốt nghiệp cần đánh giá trong năm</source>
      <translation>graduates due for evaluation in the year</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>hủy một số (dòng vẫn giữ trong sổ, ghi lý do)</source>
      <translation>void a number (the line stays in the register with the reason)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>in bảng tổng hợp chuyên cần của lớp (PDF hoặc XLSX)</source>
      <translation>print the class attendance summary (PDF or XLSX)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>in công văn thông báo chuyên cần gửi từng đơn vị cử học viên (PDF), mỗi công văn lấy số trong sổ văn bản đi</source>
      <translation>print the attendance letters to each sending organisation (PDF); each letter takes a number from the outgoing register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>in danh sách học viên ra tệp PDF hoặc Excel (.xlsx)</source>
      <translation>print the list of learners to a PDF or Excel (.xlsx) file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>in danh sách ký tên của một buổi học (PDF)</source>
      <translation>print the sign-in sheet of one session (PDF)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>in danh sách xét, danh sách công nhận, bảng điểm</source>
      <translation>print the review list, the recognition list, transcripts</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>in kèm ảnh phôi phía sau để soát (bản soát, không tính là một lần in)</source>
      <translation>print with the pre-printed blank image behind for checking (a proof copy, not counted as a print)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>in quyết định kèm danh sách ra tệp này</source>
      <translation>print the decision with its list to this file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>in sổ văn bản đi của một năm (PDF hoặc XLSX)</source>
      <translation>print the outgoing register of a year (PDF or XLSX)</translation>
    </message>
    <message>
      <source>in thông báo chuyên cần gửi từng đơn vị cử học viên (PDF)</source>
      <translation type="obsolete">print attendance notices to each sending organisation (PDF)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>in văn bằng của lớp ra một tệp PDF, mỗi văn bằng một trang</source>
      <translation>print the class's diplomas to one PDF file, one diploma per page</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>khóa học, ví dụ "Khóa {number} ({years})": {number} số trong mã lớp, {years} các năm học, {start} {end} ngày học; "" chỉ in thời gian học</source>
      <translation>the course, e.g. "Khóa {number} ({years})": {number} the number in the class code, {years} the years, {start} {end} the dates; "" prints the dates only</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>khóa sổ gốc của một năm (không vào sổ thêm được)</source>
      <translation>close a year's register (nothing more can be entered)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>không</source>
      <translation>no</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>không tự thêm đơn vị chưa có trong danh mục (chỉ liệt kê)</source>
      <translation>do not add organisations missing from the list automatically (only list them)</translation>
    </message>
    <message>
      <source>kiểm tra bản sao lưu, cất cơ sở dữ liệu hiện tại sang bên, phục hồi</source>
      <translation type="obsolete">check the backup, set the current database aside, restore</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>kiểm tra bản sao lưu, cất cơ sở dữ liệu hiện tại sang bên, phục hồi (cần tài khoản quản trị)</source>
      <translation>check the backup, keep the current database aside, restore (needs an administrator)</translation>
    </message>
    <message>
      <source>kiểm tra chuỗi nhật ký không bị sửa, xóa</source>
      <translation type="obsolete">check the log chain has not been altered or deleted</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>kiểm tra mã xác thực, nội dung mã QR hoặc số hiệu (không cần mạng)</source>
      <translation>check a verification code, QR code content or serial number (no network needed)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>kiểm tra nhật ký và dữ liệu được bảo vệ không bị sửa, xóa ngoài chương trình</source>
      <translation>check that the audit log and the protected records were not altered or deleted outside the program</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>kế hoạch và thực hiện theo chương trình</source>
      <translation>plan and results by programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>kế hoạch đào tạo, bồi dưỡng hằng năm</source>
      <translation>annual training and fostering plan</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>kết quả theo dõi sau đào tạo theo chương trình và khóa</source>
      <translation>post-training follow-up results by programme and cohort</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>kỷ luật: none, reprimand (khiển trách), warning (cảnh cáo), expulsion</source>
      <translation>discipline: none, reprimand, warning, expulsion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>liệt kê chương trình và học phần</source>
      <translation>list programmes and modules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>loại thay đổi</source>
      <translation>kind of change</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>loại văn bản: {kinds}</source>
      <translation>document kind: {kinds}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>loại văn bằng: diploma (bằng tốt nghiệp) hoặc certificate (giấy chứng nhận); mặc định theo dòng tiêu đề của sổ</source>
      <translation>document type: diploma (bằng tốt nghiệp) or certificate (giấy chứng nhận); default: from the register's heading row</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" />
      <source>làm việc với tài khoản này (mật khẩu trong biến DTBD_PASSWORD); khi chưa có tài khoản nào: quản trị máy đơn</source>
      <translation>work as this account (password in the DTBD_PASSWORD variable); when there are no accounts yet: single-PC administrator</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>lý do</source>
      <translation>reason</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>lý do (bắt buộc khi sửa điểm danh đã khóa)</source>
      <translation>reason (required when changing locked attendance)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>lý do cấp lại</source>
      <translation>reason for the reissue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>lý do sửa (bắt buộc khi sửa điểm đã chốt)</source>
      <translation>reason for the change (required when changing finalised scores)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>lý do thu hồi</source>
      <translation>reason for the revocation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>lưu bản sao tệp có tô màu và ghi chú các ô lỗi, để gửi lại đơn vị</source>
      <translation>save a copy of the file with the wrong cells coloured and annotated, to send back to the organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>lấy dự thảo làm kế hoạch</source>
      <translation>adopt the draft as the plan</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>lần thi (mặc định 1)</source>
      <translation>attempt (default 1)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>lập lại thời khóa biểu đã có (giữ các buổi đã học, đã điểm danh, đi thực tế)</source>
      <translation>regenerate the existing timetable (keeping sessions already held, with attendance, field trips)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>lập thời khóa biểu: xếp các học phần vào các buổi học</source>
      <translation>build the timetable: put the modules into sessions</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>lịch ngày nghỉ của trường/trung tâm</source>
      <translation>holiday calendar of the school/centre</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>lớp học</source>
      <translation>classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>mã chương trình</source>
      <translation>programme code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>mã chương trình (SC, TC, DVM...); mặc định theo dòng tiêu đề của sổ</source>
      <translation>programme code (SC, TC, DVM...); default: from the register's heading row</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>mã chương trình, ví dụ DVM</source>
      <translation>programme code, e.g. DVM</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>mã chương trình, ví dụ TC</source>
      <translation>programme code, for example TC</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>mã học phần</source>
      <translation>module code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>mã học phần, môn thi, khóa luận</source>
      <translation>code of the module, exam subject or thesis</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>mã khóa (6 ký tự)</source>
      <translation>key ID (6 characters)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>mã lớp</source>
      <translation>class code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>mã lớp (bỏ trống: mọi lớp)</source>
      <translation>class code (empty: all classes)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>mã lớp, ví dụ A48</source>
      <translation>class code, for example A48</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>mã lớp, ví dụ SC26.01</source>
      <translation>class code, for example SC26.01</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>mã xác thực in trên văn bằng, nội dung mã QR, hoặc số hiệu</source>
      <translation>verification code printed on the diploma, QR code content, or serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>mã điểm thành phần (bỏ trống: điểm học phần)</source>
      <translation>component score code (empty: module score)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>một học phần (mặc định: tất cả)</source>
      <translation>one module (default: all)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>một loại: {kinds}</source>
      <translation>one kind: {kinds}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>mở lại điểm đã chốt (cần lý do)</source>
      <translation>reopen finalised scores (needs a reason)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>mở lớp</source>
      <translation>open a class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>ngày YYYY-MM-DD</source>
      <translation>date YYYY-MM-DD</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>ngày cấp YYYY-MM-DD (mặc định: hôm nay)</source>
      <translation>issue date YYYY-MM-DD (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>ngày cấp bản sao (mặc định: hôm nay)</source>
      <translation>copy issue date (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>ngày cấp lại YYYY-MM-DD (mặc định: hôm nay)</source>
      <translation>reissue date YYYY-MM-DD (default: today)</translation>
    </message>
    <message>
      <source>ngày ghi trên báo cáo (mặc định: hôm nay)</source>
      <translation type="obsolete">date written on the report (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>ngày ghi trên danh sách, YYYY-MM-DD (mặc định: hôm nay)</source>
      <translation>date written on the list, YYYY-MM-DD (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>ngày ghi trên sổ in ra (mặc định: hôm nay)</source>
      <translation>the date printed on the register (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>ngày học bổ sung YYYY-MM-DD</source>
      <translation>make-up date YYYY-MM-DD</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>ngày khai giảng YYYY-MM-DD</source>
      <translation>opening date YYYY-MM-DD</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>ngày khóa sổ (mặc định: hôm nay)</source>
      <translation>the closing date (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>ngày ký (mặc định: hôm nay)</source>
      <translation>the signing date (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>ngày ký ghi trên báo cáo (mặc định: ngày đã vào sổ, hoặc hôm nay)</source>
      <translation>the signing date printed on the report (default: the date it was numbered, or today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>ngày ký in trên sổ (mặc định: hôm nay)</source>
      <translation>the signing date printed on the register (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>ngày ký in trên tài liệu (mặc định hôm nay)</source>
      <translation>signing date printed on the documents (default today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>ngày ký quyết định (mặc định: ngày đã ghi, hoặc hôm nay)</source>
      <translation>the signing date of the decision (default: the recorded date, or today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>ngày ký, số liệu tính đến ngày này (mặc định: hôm nay)</source>
      <translation>the signing date; figures as of that day (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>ngày kết thúc YYYY-MM-DD</source>
      <translation>end date YYYY-MM-DD</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>ngày quyết định YYYY-MM-DD</source>
      <translation>decision date YYYY-MM-DD</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>người hoặc cơ quan đề nghị xác nhận</source>
      <translation>person or body requesting the confirmation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>người ký</source>
      <translation>signer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>người yêu cầu cấp bản sao</source>
      <translation>person requesting the copy</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>ngừng tài khoản</source>
      <translation>deactivate the account</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>nhiều nhất bấy nhiêu dòng (mặc định 100)</source>
      <translation>at most this many lines (default 100)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>nhu cầu đào tạo, bồi dưỡng các đơn vị đăng ký</source>
      <translation>training and fostering needs registered by organisations</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>nhu cầu đã đăng ký</source>
      <translation>registered needs</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>nhận xét của cơ quan cử đi học, kỷ luật, rèn luyện</source>
      <translation>sending organisation's confirmation, discipline, conduct</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>nhận xét của cơ quan cử đi học: received (đạt), unfavourable (không đạt), missing</source>
      <translation>sending organisation's confirmation: received (favourable), unfavourable, missing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>nhận định và phương hướng in trong báo cáo năm: xem, sửa</source>
      <translation>the assessment and directions printed in the annual report: show, edit</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>nhập bảng điểm tổng hợp của các lớp đã học (mỗi học viên một dòng, mỗi học phần một cột)</source>
      <translation>import the summary score sheets of past classes (one learner per row, one module per column)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>nhập các dòng đúng, bỏ qua (và liệt kê) các dòng có lỗi</source>
      <translation>import the correct rows, skip (and list) rows with errors</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>nhập các phiếu phản hồi đã gõ vào bảng</source>
      <translation>import feedback forms typed into the sheet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>nhập danh sách học viên do đơn vị gửi (tệp Excel .xlsx) vào lớp</source>
      <translation>import a list of learners sent by an organisation (Excel .xlsx file) into a class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>nhập lại bảng điểm Excel đã điền (tất cả hoặc không gì cả)</source>
      <translation>import a filled-in Excel score sheet (all or nothing)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>nhập lại bảng điểm danh đã điền (XLSX)</source>
      <translation>import a filled-in attendance sheet (XLSX)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>nhập một điểm (8.5 hoặc 8,5)</source>
      <translation>enter one score (8.5 or 8,5)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>nhập phiếu đăng ký nhu cầu đã điền</source>
      <translation>import filled-in needs registration forms</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>nhập sổ gốc cũ (.xlsx hoặc .xls): mỗi trang một lớp, mỗi dòng một văn bằng đã cấp</source>
      <translation>import an old register (.xlsx or .xls): one class per sheet, one issued diploma per row</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>nhật ký thay đổi</source>
      <translation>change log</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>năm</source>
      <translation>year</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>năm (mặc định: năm nay)</source>
      <translation>year (default: this year)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>năm mở lớp</source>
      <translation>year the class opened</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>năm tốt nghiệp (có thể lặp lại)</source>
      <translation>graduation year (may be repeated)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>năm, ví dụ 2026</source>
      <translation>year, for example 2026</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>nơi nhận</source>
      <translation>recipients</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>phiếu phản hồi của học viên</source>
      <translation>learner feedback forms</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>phương hướng, nhiệm vụ năm sau (mỗi đoạn một dòng; "" trở về mặc định)</source>
      <translation>directions and tasks for next year (one paragraph per line; "" goes back to the default)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>quy định đang áp dụng của một chương trình và căn cứ (văn bản quy định in trên tài liệu); sửa căn cứ</source>
      <translation>a programme's current rules and legal basis (the regulations printed on papers); edit the legal basis</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>quản trị đăng ký khóa ký văn bằng của máy này (tạo khóa nếu máy chưa có)</source>
      <translation>an administrator enrols this PC's document signing key (made if the PC has none)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>review (xét tốt nghiệp), decision (kèm quyết định), scores (bảng điểm tổng hợp), transcript (bảng điểm từng học viên)</source>
      <translation>review (graduation review), decision (with the decision), scores (summary score sheet), transcript (each learner's transcript)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>sao lưu cơ sở dữ liệu (kể cả khi chương trình đang mở)</source>
      <translation>back up the database (even while the program is open)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>sinh {date}</source>
      <translation>born {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>số CCCD</source>
      <translation>national ID (CCCD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>số CCCD của học viên</source>
      <translation>learner's national ID (CCCD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>số của cặp (cột 'Cặp')</source>
      <translation>the pair's number (column 'Cặp')</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>số hiệu văn bằng</source>
      <translation>diploma serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>số hiệu văn bằng cũ</source>
      <translation>old diploma serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>số hiệu {serial}</source>
      <translation>serial number {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>số học viên</source>
      <translation>number of learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>số liệu tính đến ngày này</source>
      <translation>figures as of this date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>số liệu tính đến ngày này (mặc định: cuối năm, hoặc hôm nay nếu năm chưa hết)</source>
      <translation>figures as of this date (default: end of the year, or today if the year is not over)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>số lớp</source>
      <translation>number of classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>số quyết định (được lưu lại)</source>
      <translation>decision number (saved)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>số tiết giảng theo giảng viên (tùy chọn: bảng XLSX để thanh toán)</source>
      <translation>teaching periods by lecturer (option: XLSX sheet for payment)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>số tiết vắng, tỷ lệ, học phần không được thi, điều kiện cấp chứng nhận</source>
      <translation>periods absent, share, modules barred from exam, certificate eligibility</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>số tiết đã học bổ sung</source>
      <translation>number of periods made up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>số đã cấp ngoài chương trình (ví dụ 45 hoặc 45-QĐ/TCT); mặc định: lấy số tiếp theo trong sổ văn bản đi</source>
      <translation>a number given outside the program (e.g. 45 or 45-QĐ/TCT); default: the next number of the outgoing register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>số đã cấp ngoài chương trình, ví dụ 45 hoặc 45-CV/TCT</source>
      <translation>a number given outside the program, e.g. 45 or 45-CV/TCT</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>sổ cấp bản sao của một năm (PDF hoặc XLSX)</source>
      <translation>the register of copies for one year (PDF or XLSX)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>sổ gốc cấp văn bằng, chứng chỉ của một năm</source>
      <translation>certificate register for diplomas and certificates of one year</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>sổ văn bản đi: số quyết định, công văn, báo cáo</source>
      <translation>the outgoing register: numbers of decisions, letters, reports</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>sửa cách nhận cột, ví dụ --map organisation=J (FIELD= để không nhập trường đó); FIELD là một trong: {fields}</source>
      <translation>change how columns are recognised, for example --map organisation=J (FIELD= to skip that field); FIELD is one of: {fields}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>sửa cả điểm đã chốt (người chạy lệnh chịu trách nhiệm về quyền sửa)</source>
      <translation>also change finalised scores (the person running the command is responsible for the permission)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>sửa điểm danh đã khóa (người chạy lệnh chịu trách nhiệm; cần --reason)</source>
      <translation>change locked attendance (the person running the command is responsible; needs --reason)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>thay cả chỉ tiêu đã có</source>
      <translation>replace existing targets too</translation>
    </message>
    <message>
      <source>thay thời khóa biểu đã có (chỉ khi chưa điểm danh buổi nào)</source>
      <translation type="obsolete">replace the existing timetable (only when no attendance has been taken yet)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>theo dõi, đánh giá học viên sau đào tạo</source>
      <translation>follow up and evaluate learners after training</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>thu hồi một văn bằng (dòng sổ gốc vẫn giữ)</source>
      <translation>revoke a diploma (its register line is kept)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>thêm (hoặc đổi tên) một ngày nghỉ</source>
      <translation>add (or rename) a holiday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>thêm các ngày lễ cố định của một năm (1/1, 30/4, 1/5, 2/9...)</source>
      <translation>add the fixed public holidays of a year (1/1, 30/4, 1/5, 2/9...)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>thêm dữ liệu mẫu của một trường chính trị tỉnh</source>
      <translation>add sample data of a provincial political school</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>thôi dùng</source>
      <translation>retired</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>thôi dùng một khóa ký (văn bằng đã ký vẫn kiểm tra được)</source>
      <translation>retire a signing key (documents it signed still verify)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>thư mục; trang được ghi vào FOLDER/xac-thuc/index.html</source>
      <translation>folder; the page is written to FOLDER/xac-thuc/index.html</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>thống kê lớp và lượt học viên của năm</source>
      <translation>class and learner-time statistics for the year</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>thời khóa biểu của lớp</source>
      <translation>the class timetable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>tiết</source>
      <translation>periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>trang</source>
      <translation>pages</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>trang '{sheet}'</source>
      <translation>sheet '{sheet}'</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>trang thử lưới milimét để căn chỉnh máy in</source>
      <translation>millimetre grid test page for calibrating the printer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>trích yếu (về việc gì)</source>
      <translation>summary (what it is about)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>trùng lịch: giảng viên dạy hai lớp cùng buổi, học vào ngày nghỉ</source>
      <translation>clashes: a lecturer teaching two classes in the same session, lessons on holidays</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>trạng thái</source>
      <translation>status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>tài khoản người dùng</source>
      <translation>user accounts</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <source>tên hay một phần tên, ví dụ: nguyen van an; hoặc các chữ số CCCD</source>
      <translation>name or part of a name, for example: nguyen van an; or the digits of a national ID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>tên khóa học in trên văn bằng, ví dụ: bồi dưỡng lý luận chính trị dành cho đảng viên mới</source>
      <translation>the course title printed on the document, e.g. bồi dưỡng lý luận chính trị dành cho đảng viên mới</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>tên lớp</source>
      <translation>class name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>tên máy in</source>
      <translation>printer name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>tên máy in để lấy căn chỉnh riêng của máy đó</source>
      <translation>printer name, to use that printer's own calibration</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>tên ngày nghỉ</source>
      <translation>holiday name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>tìm chữ này (không cần dấu)</source>
      <translation>look for this text (diacritics optional)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <source>tìm học viên theo tên (không phân biệt dấu, hoa thường) hoặc số CCCD</source>
      <translation>find learners by name (ignoring diacritics and case) or national ID (CCCD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>tính cả lớp chuyển tiếp từ năm trước vào số thực hiện so với kế hoạch</source>
      <translation>count classes carried over from the previous year in the actual figures against the plan</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>tính cả lớp chuyển tiếp vào số thực hiện</source>
      <translation>count carried-over classes in the actual figures</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>tạo hoặc nâng cấp cơ sở dữ liệu, nạp danh mục chương trình</source>
      <translation>create or upgrade the database, load the programme catalogue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>tạo hồ sơ mới, hãy kiểm tra lại</source>
      <translation>creating a new record, please check</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>tạo tài khoản (mật khẩu trong biến DTBD_NEW_PASSWORD)</source>
      <translation>create an account (password in the DTBD_NEW_PASSWORD variable)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>tệp PDF</source>
      <translation>PDF file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>tệp PDF hoặc XLSX</source>
      <translation>PDF or XLSX file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>tệp XLSX</source>
      <translation>XLSX file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>tệp XLSX do chương trình xuất ra</source>
      <translation>XLSX file exported by the program</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>tệp bảng điểm (.xlsx hoặc .xls)</source>
      <translation>score sheet file (.xlsx or .xls)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>tệp danh sách (.xlsx)</source>
      <translation>list file (.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>tệp kết quả</source>
      <translation>output file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>tệp kết quả: .pdf hoặc .xlsx</source>
      <translation>output file: .pdf or .xlsx</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>tệp kết quả: .pdf hoặc .xlsx (ghi đè nếu đã có)</source>
      <translation>output file: .pdf or .xlsx (overwritten if it exists)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>tệp sao lưu</source>
      <translation>backup file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>tệp sao lưu; mặc định: thư mục backups của người dùng</source>
      <translation>backup file; default: the user's backups folder</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>tệp sổ gốc (.xlsx hoặc .xls)</source>
      <translation>register file (.xlsx or .xls)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>tổng quan: tiến độ kế hoạch, lớp đang học, cảnh báo</source>
      <translation>overview: plan progress, classes in progress, warnings</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>từ ngày YYYY-MM-DD</source>
      <translation>from date YYYY-MM-DD</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>tỷ lệ học viên hài lòng theo giảng viên và chương trình</source>
      <translation>share of satisfied learners by lecturer and programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>vào sổ (lấy số) quyết định công nhận tốt nghiệp, ghi cho học viên và in quyết định kèm danh sách</source>
      <translation>number the graduation decision, record it for the learners and print it with its list</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>vào sổ một văn bản (lấy số tiếp theo, hoặc số đã cấp ngoài chương trình)</source>
      <translation>enter a document in the register (the next number, or a number given outside the program)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>ví dụ https://truongchinhtri.longan.gov.vn/xac-thuc (bỏ trống: xem địa chỉ đang đặt)</source>
      <translation>e.g. https://truongchinhtri.longan.gov.vn/xac-thuc (left out: show the address set now)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>văn bằng của một lớp và tình trạng</source>
      <translation>the diplomas of a class and their status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>văn bằng, chứng chỉ và sổ gốc</source>
      <translation>diplomas, certificates and the certificate register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>vẫn phục hồi bản sao lưu không qua kiểm tra nhật ký; lý do được ghi vào nhật ký</source>
      <translation>restore a backup that fails the audit check anyway; the reason is recorded in the audit log</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>xem như ngày này (mặc định: hôm nay)</source>
      <translation>as on this date (default: today)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>xem nhật ký thay đổi bằng lời, mới nhất trước</source>
      <translation>the audit log in words, newest first</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>xuất bảng nhập phiếu phản hồi của lớp (XLSX)</source>
      <translation>export the class's feedback entry sheet (XLSX)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>xuất bảng tổng hợp ra tệp .xlsx</source>
      <translation>export the summary to an .xlsx file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>xuất bảng điểm danh để nhập tay từ sổ ký tên (XLSX)</source>
      <translation>export the attendance sheet for entering by hand from the sign-in book (XLSX)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>xuất bảng điểm học phần ra Excel để nhập điểm</source>
      <translation>export a module's score sheet to Excel for entering scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>xuất phiếu đăng ký nhu cầu (XLSX) để các đơn vị điền</source>
      <translation>export the needs registration form (XLSX) for organisations to fill in</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_duplicates.py" />
      <source>xác nhận việc gộp (không hoàn tác được nữa)</source>
      <translation>confirm a merge (it can no longer be undone)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>xét tốt nghiệp (hoàn thành khóa học) theo quy định của lớp</source>
      <translation>graduation review (course completion) under the class's rules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>xét tốt nghiệp, quyết định, danh sách và bảng điểm in</source>
      <translation>graduation review, decision, printed lists and transcripts</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>xóa các phiếu đã nhập trước của lớp</source>
      <translation>delete the class's previously imported forms</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>xếp loại rèn luyện, ví dụ: Tốt</source>
      <translation>conduct rating, for example: Good</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>xếp loại: HTXSNV, HTTNV, HTNV, KHTNV</source>
      <translation>rating: HTXSNV, HTTNV, HTNV, KHTNV (duties completed excellently, well, completed, not completed)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>xếp lịch từ ngày YYYY-MM-DD (mặc định: ngày khai giảng, hoặc sau buổi điểm danh cuối)</source>
      <translation>lay out sessions from day YYYY-MM-DD (default: the class's start, or after the last session with attendance)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>{n} buổi, {p} tiết.</source>
      <translation>{n} sessions, {p} periods.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>{n} học viên có vắng nhưng chưa có đơn vị cử đi học: không có thông báo.</source>
      <translation>{n} learners have absences but no sending organisation: no notice.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>{n} học viên.</source>
      <translation>{n} learners.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>{n} lượt thi lại.</source>
      <translation>{n} retakes.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>{n} lớp.</source>
      <translation>{n} classes.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <source>{n} người.</source>
      <translation>{n} people.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>{n} văn bản trong sổ năm {year}.</source>
      <translation>{n} documents in the {year} register.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>{ok}/{n} học viên đủ điều kiện.</source>
      <translation>{ok}/{n} learners eligible.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>{verb} {n} dòng sổ gốc, {k} lớp ({classes}); {new} hồ sơ học viên mới, {old} dòng của người đã có hồ sơ.</source>
      <translation>{verb} {n} register lines, {k} classes ({classes}); {new} new learner records, {old} lines for people already on record.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>{verb} điểm của {n} học viên, {k} lớp ({classes}).</source>
      <translation>{verb} scores of {n} learners, {k} classes ({classes}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>áp dụng căn chỉnh đã lưu (để kiểm tra lại)</source>
      <translation>apply the saved calibration (to check it again)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Điểm TB</source>
      <translation>Average</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Điểm tính</source>
      <translation>Score used</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Điểm {where} lần {n} của {name} đã là {score}; không có gì thay đổi.</source>
      <translation>{name}'s {where} score, attempt {n}, is already {score}; nothing changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đánh giá chung:</source>
      <translation>General assessment:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã bỏ ngày nghỉ {date}.</source>
      <translation>Holiday {date} removed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã bỏ qua các ngày nghỉ: {days}.</source>
      <translation>Skipped the holidays: {days}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã bỏ địa chỉ trang xác thực: mã QR chỉ chứa nội dung đã ký.</source>
      <translation>The verification page address was removed: the QR codes hold the signed text only.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Đã chuyển sang {n} dòng sổ gốc và {m} lần thu hồi, cấp lại có sau ngày sao lưu.</source>
      <translation>Carried over {n} register lines and {m} revocations and reissues made after the backup.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Đã chuyển {n} dòng gõ bằng bảng mã cũ (TCVN3/VNI) sang Unicode.</source>
      <translation>Converted {n} rows typed in a legacy encoding (TCVN3/VNI) to Unicode.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã chốt điểm học phần {module} lớp {code}.</source>
      <translation>Scores for module {module} of class {code} finalised.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>Đã cấp bản sao số {number} của văn bằng {serial} ({name}) vào {path}.</source>
      <translation>Issued copy no. {number} of diploma {serial} ({name}), saved to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã cấp lại cho {name}: số hiệu mới {serial}, số vào sổ {number}, mã xác thực {code} (thay số hiệu {old}).</source>
      <translation>Reissued for {name}: new serial number {serial}, register number {number}, verification code {code} (replacing serial number {old}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã cấp và vào sổ {n} văn bằng cho lớp {code}.</source>
      <translation>Issued and registered {n} diplomas for class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" />
      <source>Đã dừng theo yêu cầu; không có gì bị thay đổi.</source>
      <translation>Stopped as requested; nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đã ghi báo cáo năm {year} ra tệp {path}.</source>
      <translation>Wrote the {year} annual report to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đã ghi bảng tổng hợp số tiết ra tệp {path}.</source>
      <translation>Wrote the teaching periods summary to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đã ghi kết quả năm {year} của học viên {nid}.</source>
      <translation>Recorded the {year} result of learner {nid}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã ghi quyết định {number} ngày {date} cho {n} học viên.</source>
      <translation>Recorded decision {number} of {date} for {n} learners.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã ghi trang xác thực vào {path}. Đưa cả thư mục {folder} lên trang web của đơn vị (hoặc chép vào USB); ghi lại trang mỗi khi thu hồi hoặc cấp lại văn bằng.</source>
      <translation>The verification page was written to {path}. Put the whole folder {folder} on the centre's website (or copy it to a USB stick); write the page again whenever a document is revoked or reissued.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã ghi {name} học bổ sung {periods} tiết học phần {module} ngày {date}.</source>
      <translation>Recorded {periods} make-up periods of module {module} on {date} for {name}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã ghi {path} ({n} {unit}).</source>
      <translation>Wrote {path} ({n} {unit}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã ghi {status} cho học viên {nid}, buổi {slot}{was}.</source>
      <translation>Recorded {status} for learner {nid}, session {slot}{was}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã ghi: {changes}.</source>
      <translation>Recorded: {changes}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>Đã hủy số {symbol}; dòng vẫn giữ trong sổ.</source>
      <translation>Voided number {symbol}; the line stays in the register.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã in bảng tổng hợp chuyên cần ra {path}.</source>
      <translation>Printed the attendance summary to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Đã in danh sách học viên lớp {code} ({pages} trang) ra tệp {path}.</source>
      <translation>Printed the list of learners of class {code} ({pages} pages) to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã in danh sách ký tên ra {path} ({n} trang).</source>
      <translation>Printed the sign-in sheet to {path} ({n} pages).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>Đã in giấy xác nhận số {symbol} ngày {date} cho {name} vào {path}.</source>
      <translation>Printed confirmation no. {symbol} dated {date} for {name}, saved to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã in quyết định ra {path}.</source>
      <translation>Printed the decision to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>Đã in sổ văn bản đi năm {year} ra {path}.</source>
      <translation>Printed the {year} outgoing register to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã in {n} thông báo gửi đơn vị ra {path} ({pages} trang).</source>
      <translation>Printed {n} notices to organisations to {path} ({pages} pages).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã in {n} văn bằng của lớp {code} vào {path}. In ở tỉ lệ 100% (kích thước thật).</source>
      <translation>Printed {n} diplomas of class {code} to {path}. Print at 100% scale (actual size).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã khóa {name} ngày {date}.</source>
      <translation>Closed {name} on {date}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Đã lưu bản đánh dấu {n} ô lỗi: {path}</source>
      <translation>Saved a copy marking {n} wrong cells: {path}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đã lưu chỉ tiêu năm {year} của chương trình {code}: {c} lớp, {l} học viên.</source>
      <translation>Saved the {year} targets of programme {code}: {c} classes, {l} learners.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/wording_cmd.py" />
      <source>Đã lưu cách ghi văn bằng của chương trình {code}.</source>
      <translation>Saved the document wording of programme {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Đã lưu căn cứ của chương trình {code}.</source>
      <translation>Saved the legal basis of programme {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã lưu kết quả xét.</source>
      <translation>Review results saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đã lưu nhận định, phương hướng của báo cáo năm {year}.</source>
      <translation>Saved the assessment and directions of the {year} annual report.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã lưu điểm {score} {where} lần {n} cho {name}{old}.</source>
      <translation>Saved score {score} {where}, attempt {n}, for {name}{old}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã lập thời khóa biểu lớp {code}: {n} buổi, từ {first} đến {last}.</source>
      <translation>Built the timetable of class {code}: {n} sessions, from {first} to {last}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã mở lại điểm học phần {module} lớp {code}.</source>
      <translation>Scores for module {module} of class {code} reopened.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Đã mở lớp {code} ({name}), {start} – {end}.</source>
      <translation>Opened class {code} ({name}), {start} – {end}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>Đã nhập</source>
      <translation>Imported</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Đã nhập {n} học viên vào lớp {code} ({new} hồ sơ mới, {old} người đã có hồ sơ).</source>
      <translation>Imported {n} learners into class {code} ({new} new records, {old} people already on record).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã nhập {n} thay đổi điểm danh ({same} ô không đổi).</source>
      <translation>Imported {n} attendance changes ({same} cells unchanged).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã nhập {n} điểm học phần {module}; {m} điểm không đổi.</source>
      <translation>Imported {n} scores of module {module}; {m} scores unchanged.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Đã phục hồi từ {file}. Cơ sở dữ liệu trước đó được cất ở {previous}.</source>
      <translation>Restored from {file}. The previous database was kept at {previous}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Đã sao lưu vào {path} ({size} byte).</source>
      <translation>Backed up to {path} ({size} bytes).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã thu hồi văn bằng số hiệu {serial} ({name}); dòng sổ gốc vẫn giữ.</source>
      <translation>Diploma with serial number {serial} ({name}) revoked; its register line is kept.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã thêm ngày nghỉ {date}: {name}.</source>
      <translation>Holiday {date} added: {name}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Đã thêm {n} chương trình vào danh mục.</source>
      <translation>Added {n} programmes to the catalogue.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã thêm {n} ngày lễ của năm {year}.</source>
      <translation>Added {n} public holidays of {year}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Đã thêm {n} đơn vị mới vào danh mục (xếp lại ở mục Đơn vị nếu cần): {names}.</source>
      <translation>Added {n} new organisations to the list (rearrange them under Organisations if needed): {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã thôi dùng khóa {id}.</source>
      <translation>Key {id} retired.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>Đã tạo cơ sở dữ liệu {url}.</source>
      <translation>Created database {url}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã tạo trang thử {path}: in ở tỉ lệ 100%, đo các dấu A, B, C.</source>
      <translation>Created test page {path}: print at 100% scale, measure marks A, B, C.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Đã tạo tài khoản {user}.</source>
      <translation>Account {user} created.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_outgoing.py" />
      <source>Đã vào sổ: số {symbol} ngày {date}.</source>
      <translation>Entered: number {symbol} of {date}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đã xuất bảng nhập phiếu phản hồi lớp {code} ({n} mục) ra tệp {path}.</source>
      <translation>Exported the feedback entry sheet of class {code} ({n} items) to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đã xuất bảng điểm danh ra {path}: {rows} học viên × {sessions} buổi.</source>
      <translation>Exported the attendance sheet to {path}: {rows} learners × {sessions} sessions.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>Đã xuất bảng điểm {module} ({n} học viên) ra {path}.</source>
      <translation>Exported the score sheet of {module} ({n} learners) to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Đã xuất danh sách học viên lớp {code} ({rows} học viên) ra tệp {path}.</source>
      <translation>Exported the list of learners of class {code} ({rows} learners) to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đã xuất phiếu đăng ký nhu cầu năm {year} ({n} đơn vị) ra tệp {path}.</source>
      <translation>Exported the {year} needs registration form ({n} organisations) to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_copies.py" />
      <source>Đã xuất sổ cấp bản sao năm {year} ({n} dòng) vào {path}.</source>
      <translation>Exported the {year} register of copies ({n} lines) to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã xuất sổ gốc năm {year} ({n} dòng) vào {path}.</source>
      <translation>Exported the {year} certificate register ({n} lines) to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đã đánh giá</source>
      <translation>Evaluated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đã đăng ký khóa {id} của máy này; máy này cấp được văn bằng. Hãy chép tệp khóa {path} vào USB cất trong tủ của phòng đào tạo.</source>
      <translation>Enrolled this PC's key {id}; this PC can issue documents. Copy the key file {path} to a USB disk kept in the training office's cabinet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Đã đặt lại mật khẩu cho {user}.</source>
      <translation>Password reset for {user}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Đã đổi mật khẩu của {user}.</source>
      <translation>Changed the password of {user}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Đã đổi vai trò của {user}.</source>
      <translation>Changed the role of {user}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/learners_cmd.py" />
      <location filename="../../dtbd_desktop/cli/roster_export_cmd.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/roster_import_cmd.py" />
      <source>Đơn vị chưa có trong danh mục, chưa gán cho học viên ({n}): {names}.</source>
      <translation>Organisations not in the list, not assigned to learners ({n}): {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Đặt mật khẩu mới trong biến môi trường DTBD_NEW_PASSWORD.</source>
      <translation>Put the new password in the DTBD_NEW_PASSWORD environment variable.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>Đề xuất lớp</source>
      <translation>Proposed classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>Đổi mật khẩu: dtbd --user TÊN users password, mật khẩu hiện tại trong DTBD_PASSWORD, mật khẩu mới trong DTBD_NEW_PASSWORD.</source>
      <translation>To change a password: dtbd --user NAME users password, the current password in DTBD_PASSWORD, the new one in DTBD_NEW_PASSWORD.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>Đủ ĐK</source>
      <translation>Eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>Đủ điều kiện</source>
      <translation>Eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>đang dùng</source>
      <translation>in use</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>điểm danh một học viên trong một buổi</source>
      <translation>record attendance of one learner in one session</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>điểm danh, chuyên cần</source>
      <translation>attendance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>điểm học phần, thi lại, chốt điểm</source>
      <translation>module scores, retakes, finalising scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>điểm thi lại (lần thi tiếp theo)</source>
      <translation>retake score (the next attempt)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_grades.py" />
      <source>điểm từ 0 đến 10, một chữ số thập phân</source>
      <translation>score from 0 to 10, one decimal place</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>đào tạo</source>
      <translation>training</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>đánh giá chung (mỗi đoạn một dòng; "" trở về mặc định)</source>
      <translation>general assessment (one paragraph per line; "" goes back to the default)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_past.py" />
      <source>đưa sổ gốc và kết quả học tập của các năm trước (Excel) vào chương trình</source>
      <translation>bring the registers and learning results of past years (Excel) into the program</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_reports.py" />
      <source>đặt chỉ tiêu của một chương trình</source>
      <translation>set the targets of a programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>đặt lại mật khẩu (DTBD_NEW_PASSWORD)</source>
      <translation>reset a password (DTBD_NEW_PASSWORD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <location filename="../../dtbd_desktop/cli/commands_attendance.py" />
      <source>đến ngày YYYY-MM-DD</source>
      <translation>to date YYYY-MM-DD</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_certificates.py" />
      <source>địa chỉ web của trang xác thực: mã QR in trên văn bằng thành đường dẫn tới trang đó</source>
      <translation>the web address of the verification page: the QR codes printed on documents become links to it</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>địa điểm học</source>
      <translation>venue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" />
      <source>đọc căn cứ mới từ tệp văn bản UTF-8, mỗi văn bản một dòng</source>
      <translation>read the new legal basis from a UTF-8 text file, one regulation per line</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>đổi mật khẩu của mình (mới trong DTBD_NEW_PASSWORD)</source>
      <translation>change your own password (the new one in DTBD_NEW_PASSWORD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_admin.py" />
      <source>đổi vai trò hoặc ngừng một tài khoản</source>
      <translation>change an account's role or deactivate it</translation>
    </message>
  </context>
  <context>
    <name>common</name>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/common.py" />
      <source>Mở thư mục</source>
      <translation>Open folder</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/common.py" />
      <source>Mở tệp</source>
      <translation>Open file</translation>
    </message>
  </context>
  <context>
    <name>conduct</name>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>'{typed}' không phải mức kỷ luật: gõ khiển trách, cảnh cáo, buộc thôi học hoặc để trống (không).</source>
      <translation>'{typed}' is not a discipline: type reprimand (khiển trách), warning (cảnh cáo), expulsion (buộc thôi học) or leave it empty (none).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>'{typed}' không phải nhận xét của cơ quan cử đi học: gõ “đạt” (đã có, đạt yêu cầu), “không đạt” hoặc để trống (chưa có).</source>
      <translation>'{typed}' is not a sending organisation's confirmation: type “đạt” (received, favourable), “không đạt” (unfavourable) or leave it empty (missing).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>Chưa lưu: {n} ô có lỗi, không ô nào được lưu.</source>
      <translation>Not saved: {n} cells have errors, no cell was saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>Học viên này không có trong lớp {code}.</source>
      <translation>This learner is not in class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>Không có học viên số CCCD {nid} trong lớp {code}.</source>
      <translation>No learner with national ID {nid} in class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>Không có mục '{field}' (chỉ có nhận xét, kỷ luật, rèn luyện).</source>
      <translation>There is no field '{field}' (only confirmation, discipline, conduct).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>Kỷ luật</source>
      <translation>Discipline</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>Nhận xét của cơ quan cử đi học</source>
      <translation>Sending organisation's confirmation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>Rèn luyện</source>
      <translation>Conduct</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>Xếp loại rèn luyện dài quá {n} ký tự.</source>
      <translation>The conduct rating is longer than {n} characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/conduct.py" />
      <source>{name}: ô này vừa được người khác sửa (đang là “{value}”); hãy tải lại bảng.</source>
      <translation>{name}: someone else has just changed this cell (it is now “{value}”); reload the table.</translation>
    </message>
  </context>
  <context>
    <name>conduct_model</name>
    <message>
      <location filename="../../dtbd_desktop/gui/models/conduct_model.py" />
      <source>Bạn chỉ được xem bảng này, không sửa được.</source>
      <translation>You may only view this table, not change it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/conduct_model.py" />
      <source>Dòng {row}, cột {column}: </source>
      <translation>Row {row}, column {column}: </translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/conduct_model.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/conduct_model.py" />
      <source>Khối dán vượt ra ngoài bảng ('{text}').</source>
      <translation>The pasted block goes beyond the table ('{text}').</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/conduct_model.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/conduct_model.py" />
      <source>cột này không nhập được.</source>
      <translation>this column takes no entry.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/conduct_model.py" />
      <source>học viên đã thôi học hoặc chuyển lớp.</source>
      <translation>the learner has withdrawn or moved to another class.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/conduct_model.py" />
      <source>Ô này không nhập được.</source>
      <translation>This cell takes no entry.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/conduct_model.py" />
      <source>Đơn vị cử đi học</source>
      <translation>Sending organisation</translation>
    </message>
  </context>
  <context>
    <name>conduct_panel</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>(trống)</source>
      <translation>(empty)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Bạn chỉ được xem.</source>
      <translation>You may only view it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Chọn các ô cần điền trước (bấm tên cột để chọn cả cột).</source>
      <translation>Select the cells to fill first (click a column's title to select the whole column).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Chọn các ô của một cột nhận xét, kỷ luật hoặc rèn luyện trước</source>
      <translation>Select cells of a confirmation, discipline or conduct column first</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Còn {n} học viên chưa có nhận xét của cơ quan cử đi học (điều kiện xét tốt nghiệp).</source>
      <translation>{n} learners still have no confirmation from their sending organisation (a condition of the graduation review).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Căn cứ:</source>
      <translation>Basis:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Không có gì thay đổi.</source>
      <translation>Nothing changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Không lưu: {n} ô có lỗi, không ô nào được lưu.</source>
      <translation>Not saved: {n} cells have errors, no cell was saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Nhận xét: gõ “đạt”, “không đạt” hoặc để trống (chưa có) · kỷ luật: khiển trách, cảnh cáo, buộc thôi học · rèn luyện: Tốt, Khá... · Enter xuống dòng · Delete xóa · Ctrl+V dán từ Excel (cả khối lưu hoặc không lưu ô nào) · bấm tên cột để chọn cả cột rồi “Điền các ô đang chọn”</source>
      <translation>Confirmation: type “đạt”, “không đạt” or leave empty (missing) · discipline: khiển trách, cảnh cáo, buộc thôi học · conduct: Tốt, Khá... · Enter moves down · Delete clears · Ctrl+V pastes from Excel (the whole block is saved or no cell) · click a column's title to select it, then “Fill the selected cells”</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Quy định của lớp không đòi nhận xét của cơ quan cử đi học.</source>
      <translation>The class's rules do not require the sending organisation's confirmation.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Xóa</source>
      <translation>Clear</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Xóa {n} ô</source>
      <translation>Clear {n} cells</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Xóa {n} ô đang có nội dung (nhận xét về “chưa có”, kỷ luật về “không”)? Mỗi thay đổi được ghi vào nhật ký.</source>
      <translation>Clear {n} filled cells (confirmations back to “missing”, disciplines to “none”)? Each change is recorded in the audit log.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>văn bản, căn cứ (ví dụ: Công văn số 45 của Huyện ủy ...); ghi vào nhật ký cùng mỗi thay đổi</source>
      <translation>document, basis (for example: Official letter no. 45 of the district Party committee ...); recorded in the audit log with each change</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>{n} học viên đang học.</source>
      <translation>{n} learners enrolled.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Điền các ô đang chọn</source>
      <translation>Fill the selected cells</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Đã có nhận xét của cơ quan cử đi học cho mọi học viên.</source>
      <translation>Every learner has the sending organisation's confirmation.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Đã lưu {n} ô.</source>
      <translation>Saved {n} cells.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>Đã lưu: {name}, {what}: {old} → {new}</source>
      <translation>Saved: {name}, {what}: {old} → {new}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/conduct_panel.py" />
      <source>“{value}” cho {n} ô đang chọn</source>
      <translation>“{value}” into the {n} selected cells</translation>
    </message>
  </context>
  <context>
    <name>copies</name>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>BẢN SAO</source>
      <translation>COPY</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Bản sao {serial}</source>
      <translation>Copy {serial}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Dân tộc</source>
      <translation>Ethnicity</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>GIẤY XÁC NHẬN</source>
      <translation>CONFIRMATION</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Giấy xác nhận này có giá trị thay cho văn bằng trong thời gian chờ cấp bản sao hoặc cấp lại.</source>
      <translation>This confirmation stands in place of the diploma while a copy or a reissue is awaited.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Giấy xác nhận tốt nghiệp {name}</source>
      <translation>Graduation confirmation for {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Giới tính</source>
      <translation>Sex</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Hình thức đào tạo</source>
      <translation>Study mode</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Họ và tên người được cấp văn bằng</source>
      <translation>Full name of the diploma holder</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Khóa học</source>
      <translation>Course</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Ký nhận</source>
      <translation>Signature</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Kết quả</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Ngày cấp</source>
      <translation>Issue date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Ngày cấp bản sao</source>
      <translation>Copy issue date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Người yêu cầu</source>
      <translation>Requester</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Người được xác nhận</source>
      <translation>Person confirmed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Năm {year}</source>
      <translation>Year {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Năm {year} chưa cấp bản sao nào.</source>
      <translation>No copies were issued in {year}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Nơi sinh</source>
      <translation>Place of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Quyết định công nhận</source>
      <translation>Graduation decision</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>STT</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Sao từ sổ gốc cấp văn bằng, chứng chỉ của {centre}.</source>
      <translation>Copied from the register of diplomas and certificates of {centre}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Số hiệu</source>
      <translation>Serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Số hiệu văn bằng</source>
      <translation>Diploma serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Số vào sổ cấp bản sao</source>
      <translation>Register of copies number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Số vào sổ cấp bản sao: {number}</source>
      <translation>Register of copies number: {number}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Số vào sổ gốc</source>
      <translation>Register number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Số vào sổ gốc cấp văn bằng</source>
      <translation>Diploma register number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>SỔ CẤP BẢN SAO VĂN BẰNG, CHỨNG CHỈ TỪ SỔ GỐC</source>
      <translation>REGISTER OF COPIES OF DIPLOMAS AND CERTIFICATES ISSUED FROM THE REGISTER</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Sổ cấp bản sao</source>
      <translation>Register of copies</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Sổ cấp bản sao năm {year}</source>
      <translation>Register of copies, {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Sổ ghi {n} bản sao.</source>
      <translation>The register lists {n} copies.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Tệp phải là .pdf (đang là '{name}').</source>
      <translation>The file must be a .pdf (it is '{name}').</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Văn bằng cấp trước khi dùng chương trình, vào sổ gốc giấy; dòng sổ gốc đã được nhập lại, bản sao này không mang mã xác thực.</source>
      <translation>Diploma issued before the program was in use and entered in the paper register; its register line has been re-entered, so this copy carries no verification code.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Về việc tốt nghiệp</source>
      <translation>Re: graduation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>Xếp loại tốt nghiệp</source>
      <translation>Graduation classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>cấp cho</source>
      <translation>issued to</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>số {number} ngày {date}</source>
      <translation>no. {number} dated {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>{centre} xác nhận:</source>
      <translation>{centre} confirms that:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/copy_report.py" />
      <source>đã được {centre} cấp {document}, số hiệu {serial}, số vào sổ gốc {number}, ngày cấp {date}; sổ gốc cấp văn bằng hiện lưu tại {centre}.</source>
      <translation>was awarded {document} by {centre}, serial number {serial}, register number {number}, issued on {date}; the register of diplomas is kept at {centre}.</translation>
    </message>
  </context>
  <context>
    <name>course_dates</name>
    <message>
      <location filename="../../dtbd_desktop/rules/course_dates.py" />
      <source> Học đủ chương trình thì sớm nhất kết thúc ngày {date}.</source>
      <translation> Taught in full, the programme ends on {date} at the earliest.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/course_dates.py" />
      <source>Ngày kết thúc: lớp bồi dưỡng {programme} cần {needed} buổi học nhưng kéo dài từ {start} đến {end} ({span}). Kiểm tra lại ngày kết thúc.</source>
      <translation>End date: the {programme} fostering class needs {needed} sessions but runs from {start} to {end} ({span}). Check the end date.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/course_dates.py" />
      <source>Ngày kết thúc: từ {start} đến {end} lớp chỉ có {available} buổi học, chương trình {programme} ({periods} tiết) cần ít nhất {needed} buổi.{hint} Kiểm tra lại ngày kết thúc.</source>
      <translation>End date: from {start} to {end} the class has only {available} sessions; programme {programme} ({periods} periods) needs at least {needed}.{hint} Check the end date.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/course_dates.py" />
      <source>khoảng {n} tháng</source>
      <translation>about {n} months</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/course_dates.py" />
      <source>{n} ngày</source>
      <translation>{n} days</translation>
    </message>
  </context>
  <context>
    <name>credentials</name>
    <message>
      <location filename="../../dtbd_desktop/base/credentials.py" />
      <source>Kho mật khẩu của hệ điều hành không nhận mật khẩu ({error}).</source>
      <translation>The operating system's password store did not accept the password ({error}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/base/credentials.py" />
      <source>Máy này không có kho mật khẩu của hệ điều hành (Windows Credential Manager; trên Linux: Secret Service hoặc KWallet), nên chương trình không lưu được mật khẩu máy chủ cơ sở dữ liệu, và không bao giờ ghi mật khẩu vào tệp cấu hình. Hãy đặt biến môi trường DTBD_DATABASE_URL của người dùng thành postgresql+psycopg://NGUOI_DUNG:MAT_KHAU@MAY_CHU/TEN_CSDL, hoặc để trống mật khẩu nếu máy chủ không hỏi mật khẩu.</source>
      <translation>This PC has no password store of the operating system (Windows Credential Manager; on Linux: Secret Service or KWallet), so the program cannot keep the database server's password, and it never writes the password into the configuration file. Set the user environment variable DTBD_DATABASE_URL to postgresql+psycopg://USER:PASSWORD@SERVER/DATABASE, or leave the password empty if the server does not ask for one.</translation>
    </message>
  </context>
  <context>
    <name>dashboard</name>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>Chiều</source>
      <translation>Afternoon</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>Học phần chưa có điểm</source>
      <translation>Modules without scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>Lớp {code} – {name}: {detail}</source>
      <translation>Class {code} – {name}: {detail}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>Lớp {code}: {detail}</source>
      <translation>Class {code}: {detail}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>Sáng</source>
      <translation>Morning</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>Thiếu nhận xét của cơ quan cử đi học</source>
      <translation>Sending organisation's confirmation missing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>Tối</source>
      <translation>Evening</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>Văn bằng, chứng chỉ chờ in</source>
      <translation>Diplomas and certificates waiting to be printed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>Vắng quá quy định</source>
      <translation>Absences over the limit</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>bằng tốt nghiệp</source>
      <translation>graduation diplomas</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>giấy chứng nhận</source>
      <translation>certificates of completion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>học phần {code} ({name}) học xong ngày {date} nhưng chưa có điểm</source>
      <translation>module {code} ({name}) finished on {date} but has no scores yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>vắng quá quy định</source>
      <translation>absences over the limit</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>{n} học viên chưa có nhận xét, xác nhận của cơ quan cử đi học</source>
      <translation>{n} learners without the sending organisation's confirmation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/dashboard.py" />
      <source>{n} {what} đã cấp, chưa in</source>
      <translation>{n} {what} issued, not printed</translation>
    </message>
  </context>
  <context>
    <name>dashboard_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>&lt;b&gt;Số học viên&lt;/b&gt;</source>
      <translation>&lt;b&gt;Learners&lt;/b&gt;</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>&lt;b&gt;Số lớp&lt;/b&gt; (vạch đỏ: kế hoạch)</source>
      <translation>&lt;b&gt;Classes&lt;/b&gt; (red line: plan)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Bấm vào một cảnh báo để mở lớp ở đúng phần cần xử lý.</source>
      <translation>Click a warning to open its class where it needs attention.</translation>
    </message>
    <message>
      <source>Bấm vào một cảnh báo để mở lớp.</source>
      <translation type="obsolete">Click a warning to open the class.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>CT</source>
      <translation>Prog.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Cảnh báo</source>
      <translation>Warnings</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Hôm nay</source>
      <translation>Today</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Hôm nay: {date}</source>
      <translation>Today: {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Không có việc cần xử lý.</source>
      <translation>Nothing to deal with.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Làm mới</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Lớp đang học</source>
      <translation>Classes in progress</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Lớp đang học ({n})</source>
      <translation>Classes in progress ({n})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Thời gian</source>
      <translation>Dates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Thực hiện kế hoạch</source>
      <translation>Plan progress</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Thực hiện kế hoạch năm {year}</source>
      <translation>Plan progress for {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Tổng quan</source>
      <translation>Overview</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Việc cần xử lý</source>
      <translation>To do</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>Việc cần xử lý ({n})</source>
      <translation>To do ({n})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>buổi tới: {date}</source>
      <translation>next session: {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/dashboard_view.py" />
      <source>hết buổi học</source>
      <translation>no more sessions</translation>
    </message>
  </context>
  <context>
    <name>date_field</name>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/date_field.py" />
      <source>Chưa nhập ngày: gõ ngày/tháng/năm, ví dụ 05/01/2027.</source>
      <translation>No date entered: type day/month/year, for example 05/01/2027.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/date_field.py" />
      <source>Chọn ngày trên lịch (Alt+↓)</source>
      <translation>Pick the day on a calendar (Alt+↓)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/date_field.py" />
      <source>Ngày phải từ {low} đến {high}.</source>
      <translation>The date must be from {low} to {high}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/date_field.py" />
      <source>ngày/tháng/năm</source>
      <translation>day/month/year</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/date_field.py" />
      <source>“{text}” không phải là ngày: gõ ngày/tháng/năm, ví dụ 05/01/2027.</source>
      <translation>“{text}” is not a date: type day/month/year, for example 05/01/2027.</translation>
    </message>
  </context>
  <context>
    <name>db</name>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" />
      <source>Bản ghi này vừa được người khác sửa trong lúc bạn làm việc, nên thay đổi của bạn chưa được lưu. Hãy mở lại để xem bản mới nhất rồi sửa lại.</source>
      <translation>This record was changed by someone else while you were working, so your changes were not saved. Reopen it to see the latest version and make your changes again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" />
      <source>Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình (lược đồ {rev}). Hãy cài phiên bản mới nhất của DTBD Desktop.</source>
      <translation>The database was created by a newer version of the program (schema {rev}). Please install the latest version of DTBD Desktop.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" />
      <source>Không hỗ trợ loại cơ sở dữ liệu '{name}'. Dùng sqlite hoặc postgresql+psycopg.</source>
      <translation>Database type '{name}' is not supported. Use sqlite or postgresql+psycopg.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" />
      <location filename="../../dtbd_desktop/db/engine.py" />
      <source>Không mở được cơ sở dữ liệu {url}: {error}</source>
      <translation>Could not open database {url}: {error}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" />
      <source>Nâng cấp cơ sở dữ liệu làm hỏng liên kết giữa các bảng; đã hoàn tác, dữ liệu giữ nguyên.</source>
      <translation>The database upgrade broke links between tables; it was rolled back and the data is unchanged.</translation>
    </message>
    <message>
      <source>Nâng cấp cơ sở dữ liệu làm hỏng liên kết giữa các bảng; đã hủy, cơ sở dữ liệu giữ nguyên như trước.</source>
      <translation type="obsolete">Upgrading the database would break the links between its tables; cancelled, the database is as it was.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" />
      <source>Địa chỉ cơ sở dữ liệu không hợp lệ: {url}. Ví dụ: sqlite:///C:/dtbd/dtbd.sqlite3 hoặc postgresql+psycopg://user:matkhau@may-chu/dtbd</source>
      <translation>Invalid database address: {url}. For example: sqlite:///C:/dtbd/dtbd.sqlite3 or postgresql+psycopg://user:password@server/dtbd</translation>
    </message>
  </context>
  <context>
    <name>decision</name>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source> của {who} {centre}</source>
      <translation> of the {who} of {centre}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>(Kèm theo Quyết định số {number} {date}{of})</source>
      <translation>(Attached to Decision No. {number} {date}{of})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Các bộ phận có liên quan và các học viên có tên tại Điều 1</source>
      <translation>The departments concerned and the learners named in Article 1</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Công nhận tốt nghiệp cho {n} học viên {klass}, hệ {mode}, khóa học {years} ({period}), có tên trong danh sách kèm theo.</source>
      <translation>Recognise the graduation of {n} learners of {klass}, {mode}, course {years} ({period}), named in the attached list.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Công nhận {n} học viên {klass} ({period}) hoàn thành chương trình bồi dưỡng, có tên trong danh sách kèm theo.</source>
      <translation>Recognise that {n} learners of {klass} ({period}), named in the attached list, completed the course.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Danh sách</source>
      <translation>List</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Danh sách có {n} học viên.</source>
      <translation>The list has {n} learners.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Học viên có tên tại Điều 1 được cấp bằng tốt nghiệp {programme} theo quy định.</source>
      <translation>The learners named in Article 1 receive the {programme} diploma as the rules provide.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Học viên có tên tại Điều 1 được cấp giấy chứng nhận hoàn thành khóa bồi dưỡng.</source>
      <translation>The learners named in Article 1 receive the certificate of completion.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Như Điều 3</source>
      <translation>As in Article 3</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>QUYẾT ĐỊNH</source>
      <translation>DECISION</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Quyết định</source>
      <translation>Decision</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Quyết định số {number} của lớp {code} ký ngày {date}: in lại giữ ngày đó (bỏ ngày ký, hoặc chọn đúng ngày {date}).</source>
      <translation>Decision {number} of class {code} was signed on {date}: a reprint keeps that date (leave the date out, or choose {date}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Quyết định {subject}</source>
      <translation>Decision: {subject}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Xếp loại tốt nghiệp: {counts}.</source>
      <translation>Graduation grades: {counts}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>học từ ngày {start} đến ngày {end}</source>
      <translation>studying from {start} to {end}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>ngày {blank} tháng {blank} năm {year}</source>
      <translation>day {blank} month {blank} year {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>{executors} và các học viên có tên tại Điều 1</source>
      <translation>{executors} and the learners named in Article 1</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>{who} chịu trách nhiệm thi hành Quyết định này. Quyết định có hiệu lực kể từ ngày ký.</source>
      <translation>{who} are responsible for carrying out this Decision. The Decision takes effect on the day it is signed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Điều 1.</source>
      <translation>Article 1.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Điều 2.</source>
      <translation>Article 2.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Điều 3.</source>
      <translation>Article 3.</translation>
    </message>
  </context>
  <context>
    <name>demo</name>
    <message>
      <location filename="../../dtbd_desktop/services/demo.py" />
      <source>Cơ sở dữ liệu này đã có dữ liệu thật; dữ liệu mẫu chỉ thêm vào cơ sở dữ liệu trống. Dùng --db để chỉ một tệp khác.</source>
      <translation>This database already holds real data; sample data is only added to an empty database. Use --db to point to another file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/demo.py" />
      <source>Cơ sở dữ liệu đã có dữ liệu mẫu.</source>
      <translation>The database already has the sample data.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/demo.py" />
      <source>Học bổ sung theo lịch của Trung tâm</source>
      <translation>Make-up lessons on the Centre's schedule</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/demo.py" />
      <source>Máy của phòng đào tạo (dữ liệu mẫu)</source>
      <translation>Training office PC (demo data)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/demo.py" />
      <source>Đang tạo lớp {code}...</source>
      <translation>Creating class {code}...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/demo.py" />
      <source>Đang tạo đơn vị, giảng viên...</source>
      <translation>Creating organisations, lecturers...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/demo.py" />
      <source>Đã tạo dữ liệu mẫu: {c} lớp, {l} học viên, {g} giảng viên.</source>
      <translation>Sample data created: {c} classes, {l} learners, {g} lecturers.</translation>
    </message>
  </context>
  <context>
    <name>document_fields</name>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/document_fields.py" />
      <source>Mỗi văn bản căn cứ, mỗi nơi nhận một dòng. Căn cứ của từng chương trình (quy chế, hướng dẫn) ghi trong quy định của chương trình: Chương trình → Quy định.</source>
      <translation>One regulation or recipient per line. Each programme's own legal basis (regulations, guidance) is in the programme's rules: Programmes → Rules.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/document_fields.py" />
      <source>Nội dung quyết định, công văn, báo cáo</source>
      <translation>Wording of decisions, letters, reports</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/document_fields.py" />
      <source>Tên, ký hiệu và người ký</source>
      <translation>Name, symbol and signer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/document_fields.py" />
      <source>ví dụ BAN GIÁM HIỆU; để trống: thủ trưởng ký</source>
      <translation>e.g. BAN GIÁM HIỆU; empty: the head signs</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/document_fields.py" />
      <source>ví dụ PHÓ HIỆU TRƯỞNG</source>
      <translation>e.g. PHÓ HIỆU TRƯỞNG</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/document_fields.py" />
      <source>ví dụ TCT; để trống: chữ cái đầu</source>
      <translation>e.g. TCT; empty: the initials</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/document_fields.py" />
      <source>ví dụ Trưởng phòng Quản lý đào tạo</source>
      <translation>e.g. Trưởng phòng Quản lý đào tạo</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/document_fields.py" />
      <source>để trống: Lưu VP. (Đảng), Lưu: VT. (Nhà nước)</source>
      <translation>empty: Lưu VP. (Party), Lưu: VT. (State)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/document_fields.py" />
      <source>để trống: tên đơn vị bỏ phần địa danh đã có ở cơ quan chủ quản</source>
      <translation>empty: the centre's name without the place already in the superior body</translation>
    </message>
  </context>
  <context>
    <name>documents</name>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>, đã hủy</source>
      <translation>, voided</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Biên bản</source>
      <translation>Minutes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Báo cáo</source>
      <translation>Report</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Chưa nhập trích yếu (văn bản về việc gì).</source>
      <translation>No summary given (what the document is about).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Chưa nhập trích yếu.</source>
      <translation>No summary given.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Công văn</source>
      <translation>Letter</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Cần ghi lý do hủy số (ví dụ: lấy nhầm số, in lại ngày khác).</source>
      <translation>Give the reason for voiding the number (e.g. taken by mistake, reprinted on another date).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Giấy giới thiệu</source>
      <translation>Letter of introduction</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Giấy mời</source>
      <translation>Invitation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Giấy xác nhận</source>
      <translation>Confirmation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Hướng dẫn</source>
      <translation>Guidance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Kế hoạch</source>
      <translation>Plan</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Loại văn bản '{kind}' không có; chọn: {kinds}.</source>
      <translation>There is no document kind '{kind}'; choose: {kinds}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Quyết định</source>
      <translation>Decision</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Số và ký hiệu dài quá 60 ký tự.</source>
      <translation>The number and symbol are longer than 60 characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Số văn bản '{value}' không đúng dạng: viết số thứ tự rồi ký hiệu, ví dụ 45-QĐ/TCT.</source>
      <translation>Document number '{value}' is not in the right form: the number, then the symbol, e.g. 45-QĐ/TCT.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Số văn bản '{value}' phải bắt đầu bằng số thứ tự, ví dụ 45 hoặc 45-QĐ/TCT.</source>
      <translation>Document number '{value}' must start with its number, e.g. 45 or 45-QĐ/TCT.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Số văn bản phải từ 1 đến {max} (đang là {value}).</source>
      <translation>The document number must be from 1 to {max} (it is {value}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Số {symbol} năm {year} đã có trong sổ văn bản đi ({subject}, ngày {date}{void}). Chọn số khác.</source>
      <translation>Number {symbol} of {year} is already in the outgoing register ({subject}, {date}{void}). Choose another number.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Số {symbol} vừa được người khác thay đổi; hãy tải lại.</source>
      <translation>Number {symbol} was just changed by someone else; reload.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Số {symbol} đã hủy trước đó ({reason}).</source>
      <translation>Number {symbol} was already voided ({reason}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Số đã dùng.</source>
      <translation>Number already used.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Sổ văn bản đi năm {year} không có số {number} loại {kind}.</source>
      <translation>The {year} outgoing register has no number {number} of kind {kind}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Thay bằng số {symbol}</source>
      <translation>Replaced by number {symbol}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Thông báo</source>
      <translation>Notice</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Trích yếu dài quá {n} ký tự.</source>
      <translation>The summary is longer than {n} characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>Trích yếu quá dài.</source>
      <translation>Summary too long.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/documents.py" />
      <source>Tờ trình</source>
      <translation>Submission</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/outgoing.py" />
      <source>{subject} đã vào sổ số {symbol} ngày {date}: in lại giữ số và ngày đó (chọn ngày {date}), hoặc hủy số {symbol} trong sổ văn bản đi rồi in lại.</source>
      <translation>{subject} was numbered {symbol} on {date}: a reprint keeps that number and date (choose {date}), or void number {symbol} in the outgoing register and print again.</translation>
    </message>
  </context>
  <context>
    <name>duplicates</name>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Chờ xem xét</source>
      <translation>Awaiting review</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Cặp hồ sơ số {id} vừa được người khác xử lý; hãy tải lại.</source>
      <translation>Record pair no. {id} has just been dealt with by someone else; please reload.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Cặp hồ sơ số {id} đang ở trạng thái '{status}': không làm việc này được.</source>
      <translation>Pair of records {id} is '{status}': this cannot be done.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Hai hồ sơ có số CCCD khác nhau ({a}, {b}): là hai người, không gộp được.</source>
      <translation>The two records have different national ID numbers ({a}, {b}): they are two people and cannot be merged.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Hai hồ sơ cùng học lớp {code}: là hai người, không gộp được.</source>
      <translation>Both records attended class {code}: they are two people and cannot be merged.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Hai người khác nhau</source>
      <translation>Different people</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Không có cặp hồ sơ số {id}.</source>
      <translation>There is no record pair no. {id}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Một trong hai hồ sơ của cặp số {id} không còn: bỏ qua cặp này.</source>
      <translation>One of the two records in pair no. {id} no longer exists: this pair is skipped.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Đã gộp (hoàn tác được)</source>
      <translation>Merged (can be undone)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/duplicates.py" />
      <source>Đã gộp, đã xác nhận</source>
      <translation>Merged and confirmed</translation>
    </message>
  </context>
  <context>
    <name>enrolments</name>
    <message>
      <location filename="../../dtbd_desktop/services/enrolments.py" />
      <source>Chuyển sang lớp {code}</source>
      <translation>Moved to class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/enrolments.py" />
      <source>Chỉ chuyển được sang lớp cùng chương trình ({programme}).</source>
      <translation>A learner can only move to a class of the same programme ({programme}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/enrolments.py" />
      <source>Cần ghi lý do thôi học.</source>
      <translation>Give a reason for leaving the course.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/enrolments.py" />
      <source>Không tìm thấy học viên này trong lớp (có thể vừa bị người khác xóa).</source>
      <translation>This learner was not found in the class (someone else may have just deleted them).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/enrolments.py" />
      <source>Không tìm thấy học viên.</source>
      <translation>Learner not found.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/enrolments.py" />
      <source>Lớp chuyển đến trùng với lớp hiện tại.</source>
      <translation>The target class is the same as the current class.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/enrolments.py" />
      <location filename="../../dtbd_desktop/services/enrolments.py" />
      <source>{name} đã có trong lớp {code}.</source>
      <translation>{name} is already in class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/enrolments.py" />
      <source>{name} đã có điểm danh, điểm hoặc văn bằng trong lớp nên không xóa được; hãy đánh dấu thôi học hoặc chuyển lớp.</source>
      <translation>{name} already has attendance, scores or a diploma in this class, so cannot be deleted; mark them as withdrawn or move them to another class.</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <location filename="../../dtbd_desktop/base/errors.py" />
      <source>Có giá trị nằm ngoài phạm vi cho phép</source>
      <translation>A value is outside the allowed range</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/base/errors.py" />
      <source>Dữ liệu bị trùng hoặc không hợp lệ.</source>
      <translation>The data duplicate an existing record or are not valid.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/base/errors.py" />
      <source>Dữ liệu bị trùng với một bản ghi đã có</source>
      <translation>The data duplicate an existing record</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/base/errors.py" />
      <source>Dữ liệu liên kết tới một bản ghi không có, hoặc bản ghi còn đang được dùng ở nơi khác</source>
      <translation>The data refer to a record that does not exist, or the record is still used elsewhere</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/base/errors.py" />
      <source>Thiếu một giá trị bắt buộc</source>
      <translation>A required value is missing</translation>
    </message>
  </context>
  <context>
    <name>feedback</name>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>Chung cho cả lớp</source>
      <translation>Whole class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>Chưa lưu phiếu phản hồi của lớp {code}: có {n} lỗi.</source>
      <translation>Feedback forms of class {code} not saved: {n} errors.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Chưa nhập phiếu phản hồi {name}: có {n} lỗi, không có gì bị thay đổi.</source>
      <translation>Feedback file {name} not imported: {n} errors, nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Dòng {row}: Mục '{value}' không có trong trang '{items}'.</source>
      <translation>Row {row}: Item '{value}' is not on the '{items}' sheet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Ghi số Mục có trong trang '{items}'.</source>
      <translation>Enter an Item number from the '{items}' sheet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Giảng viên</source>
      <translation>Lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Hãy xuất phiếu phản hồi của lớp bằng chương trình rồi nhập lại.</source>
      <translation>Export the class's feedback form from the program and import it again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>Học phần '{code}' không thuộc chương trình của lớp {cls}.</source>
      <translation>Module '{code}' is not part of the programme of class {cls}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>Không có giảng viên đã chọn.</source>
      <translation>The selected lecturer does not exist.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Mã học phần</source>
      <translation>Module code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Mục</source>
      <translation>Item</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Mức đánh giá</source>
      <translation>Rating</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Nhập số từ 1 đến 5.</source>
      <translation>Enter a number from 1 to 5.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>Nội dung</source>
      <translation>Content</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>PHIẾU PHẢN HỒI CỦA HỌC VIÊN – LỚP {code}</source>
      <translation>LEARNER FEEDBACK FORM – CLASS {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Phiếu phản hồi</source>
      <translation>Feedback form</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Phiếu phản hồi lớp {code}</source>
      <translation>Feedback forms of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>Phương pháp</source>
      <translation>Method</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>STT</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>Tác phong</source>
      <translation>Teaching manner</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>Tính thiết thực</source>
      <translation>Usefulness</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Tệp {name} chưa có phiếu nào (dòng có số Mục và mức đánh giá).</source>
      <translation>File {name} has no forms yet (rows with an Item number and a rating).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Tệp {name} là phiếu phản hồi lớp {other}, không phải lớp {code}.</source>
      <translation>File {name} is the feedback form of class {other}, not class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Tệp {name} thiếu trang '{items}'. {hint}</source>
      <translation>File {name} is missing the '{items}' sheet. {hint}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>Tổng cộng</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>{centre}. Mỗi dòng là một phiếu: ghi số Mục (trang '{items}') và mức đánh giá từ 1 (rất không hài lòng) đến 5 (rất hài lòng). Không sửa dòng tiêu đề.</source>
      <translation>{centre}. Each row is one form: enter the Item number (sheet '{items}') and a rating from 1 (very dissatisfied) to 5 (very satisfied). Do not change the heading row.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/feedback.py" />
      <source>{criterion}: '{value}' không phải mức đánh giá từ 1 đến 5.</source>
      <translation>{criterion}: '{value}' is not a rating from 1 to 5.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/feedback.py" />
      <source>Ý kiến khác</source>
      <translation>Other comments</translation>
    </message>
  </context>
  <context>
    <name>feedback_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Chép từ Excel các dòng phiếu của dòng đang chọn: mỗi dòng một phiếu, bốn cột điểm 1–5 (nội dung, phương pháp, tác phong, tính thiết thực), cột thứ năm ý kiến nếu có; cả khối lưu hoặc không lưu phiếu nào</source>
      <translation>Copy from Excel the forms of the selected line: one form a row, four rating columns 1–5 (content, method, manner, usefulness), a fifth column for the comment if any; the whole block is saved or no form</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Chưa có gì để dán: chép các dòng phiếu trong Excel trước (mỗi dòng bốn điểm 1–5, rồi ý kiến nếu có).</source>
      <translation>Nothing to paste: copy the forms' rows in Excel first (each row four ratings 1–5, then the comment if any).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Chọn học phần và giảng viên trong bảng trước.</source>
      <translation>Select a module and lecturer in the table first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Dán nhiều phiếu</source>
      <translation>Paste many forms</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Excel (*.xlsx)</source>
      <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Giảng viên</source>
      <translation>Lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Hài lòng chung</source>
      <translation>Overall satisfaction</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Lớp {code}: đã nhập {n} phiếu.</source>
      <translation>Class {code}: {n} forms imported.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Lớp:</source>
      <translation>Class:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Nhập một phiếu cho dòng đang chọn (1: rất không hài lòng … 5: rất hài lòng)</source>
      <translation>Enter one form for the selected row (1: very dissatisfied … 5: very satisfied)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Nhập phiếu phản hồi</source>
      <translation>Import feedback forms</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Nhập từ bảng tính...</source>
      <translation>Import from a spreadsheet...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Năm {year} chưa có phiếu phản hồi.</source>
      <translation>No feedback forms for {year} yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Năm {year}: {n} phiếu; hài lòng và rất hài lòng (mức 4, 5): {share}; điểm trung bình {avg}.</source>
      <translation>{year}: {n} forms; satisfied and very satisfied (levels 4, 5): {share}; average score {avg}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Phieu phan hoi {code}.xlsx</source>
      <translation>Feedback {code}.xlsx</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Phiếu</source>
      <translation>Forms</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Phiếu đã nhập</source>
      <translation>Forms entered</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Theo chương trình</source>
      <translation>By programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Theo giảng viên</source>
      <translation>By lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Thêm phiếu</source>
      <translation>Add form</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Tiết</source>
      <translation>Periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Xuất bảng nhập phiếu phản hồi</source>
      <translation>Export feedback entry sheet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Xuất bảng nhập phiếu...</source>
      <translation>Export entry sheet...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>thay các phiếu đã nhập của lớp</source>
      <translation>replace the class's forms already entered</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Ý kiến khác (nếu có)</source>
      <translation>Other comments (if any)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Điểm TB</source>
      <translation>Average</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Đã lưu {path} ({n} mục).</source>
      <translation>Saved {path} ({n} items).</translation>
    </message>
    <message>
      <source>Đã nhập phiếu phản hồi</source>
      <translation type="obsolete">Feedback forms imported</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Đã thêm một phiếu cho {label}.</source>
      <translation>Added one form for {label}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/feedback_view.py" />
      <source>Đã thêm {n} phiếu cho {label}.</source>
      <translation>Added {n} forms for {label}.</translation>
    </message>
    <message>
      <source>Đã xuất bảng nhập phiếu</source>
      <translation type="obsolete">Entry sheet exported</translation>
    </message>
  </context>
  <context>
    <name>first_run</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>&lt; Quay lại</source>
      <translation>&lt; Back</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Biểu trưng</source>
      <translation>Logo</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Bấm Hoàn tất để lưu và mở chương trình.</source>
      <translation>Click Finish to save and open the program.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Chào mừng đến với DTBD Desktop</source>
      <translation>Welcome to DTBD Desktop</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Chưa hợp lệ</source>
      <translation>Not valid yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Chức danh và họ tên in dưới chữ ký trên giấy chứng nhận, quyết định, danh sách. Biểu trưng không bắt buộc.</source>
      <translation>Title and full name printed under the signature on certificates, decisions and lists. The logo is optional.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Cơ quan chủ quản</source>
      <translation>Superior body</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>DTBD Desktop quản lý lớp học, học viên, điểm danh, điểm và giấy chứng nhận của trường, trung tâm chính trị. Chương trình làm việc không cần Internet.

Trình thiết lập sẽ hỏi nơi lưu dữ liệu, tên đơn vị để in tiêu đề văn bản, và người ký.</source>
      <translation>DTBD Desktop manages the classes, learners, attendance, scores and certificates of a political school or centre. The program works without the Internet.

The setup will ask where to keep the data, the centre's name for document headings, and the signatory.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Dữ liệu</source>
      <translation>Data</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Hoàn tất</source>
      <translation>Finish</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Không ghi được vào thư mục {folder}: {reason}. Hãy chọn thư mục khác.</source>
      <translation>Cannot write to the folder {folder}: {reason}. Please choose another folder.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Một máy: lưu trên máy này. Nhiều máy cùng làm việc: dùng chung một máy chủ PostgreSQL (bấm Kiểm tra kết nối trước khi sang bước sau).</source>
      <translation>One PC: keep the data on this PC. Several PCs working together: share one PostgreSQL server (click Test connection before going to the next step).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Ngôn ngữ</source>
      <translation>Language</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Ngôn ngữ / Language:</source>
      <translation>Language / Ngôn ngữ:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Người ký</source>
      <translation>Signatory</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Người ký và biểu trưng</source>
      <translation>Signatory and logo</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Nơi lưu dữ liệu</source>
      <translation>Where to keep the data</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Sẵn sàng</source>
      <translation>Ready</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Thiết lập DTBD Desktop</source>
      <translation>DTBD Desktop setup</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Thông tin dưới đây lấy từ dữ liệu đã có; sửa nếu cần.</source>
      <translation>The details below come from the existing data; change them if needed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Tiếp &gt;</source>
      <translation>Next &gt;</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Tên đơn vị in ở góc trái tiêu đề mọi văn bản; địa danh dùng khi ghi ngày tháng.</source>
      <translation>The centre's name is printed at the top left of every document; the place name is used when writing dates.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Tệp {path} không mở được: {error}</source>
      <translation>Cannot open file {path}: {error}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Vài bước thiết lập cho máy này; mọi mục đều sửa lại được trong Cài đặt.</source>
      <translation>A few setup steps for this PC; everything can be changed later in Settings.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>có</source>
      <translation>yes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>không</source>
      <translation>no</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>máy chủ PostgreSQL {host}, cơ sở dữ liệu {name}</source>
      <translation>PostgreSQL server {host}, database {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>tệp {path} trên máy này</source>
      <translation>file {path} on this PC</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Đơn vị</source>
      <translation>Centre</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/first_run.py" />
      <source>Địa danh</source>
      <translation>Place name</translation>
    </message>
  </context>
  <context>
    <name>followup</name>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Bổ nhiệm</source>
      <translation>Appointed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Chưa lưu kết quả theo dõi sau đào tạo.</source>
      <translation>Post-training follow-up result not saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Giao nhiệm vụ cao hơn</source>
      <translation>Given higher duties</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Hoàn thành nhiệm vụ</source>
      <translation>Duties completed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Hoàn thành tốt nhiệm vụ</source>
      <translation>Duties completed well</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Hoàn thành xuất sắc nhiệm vụ</source>
      <translation>Duties completed excellently</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Học viên này chưa tốt nghiệp lớp học nên chưa theo dõi sau đào tạo.</source>
      <translation>This learner has not graduated from the class yet, so there is no post-training follow-up.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Không hoàn thành nhiệm vụ</source>
      <translation>Duties not completed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Luân chuyển</source>
      <translation>Rotated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Lớp {code} không có học viên số CCCD {nid}.</source>
      <translation>Class {code} has no learner with national ID (CCCD) {nid}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>NV cao hơn</source>
      <translation>Higher duties</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Năm '{year}' không hợp lệ.</source>
      <translation>Invalid year '{year}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Năm đánh giá phải sau năm tốt nghiệp ({year}).</source>
      <translation>The rating year must be after the graduation year ({year}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Quy hoạch</source>
      <translation>Succession planning</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Tổng cộng</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Xếp loại '{value}' không hợp lệ; dùng: {choices}.</source>
      <translation>Invalid classification '{value}'; use: {choices}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Được bổ nhiệm, đề bạt</source>
      <translation>Appointed or promoted</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Được luân chuyển</source>
      <translation>Rotated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/followup.py" />
      <source>Được quy hoạch</source>
      <translation>Included in succession planning</translation>
    </message>
  </context>
  <context>
    <name>followup_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>(chưa xếp loại)</source>
      <translation>(not rated)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Chương trình – khóa</source>
      <translation>Programme – cohort</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Chỉ người chưa đánh giá</source>
      <translation>Only those not yet evaluated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Chọn một học viên trong bảng trước.</source>
      <translation>Select a learner in the table first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Ghi chú: chức vụ mới, nơi công tác...</source>
      <translation>Notes: new position, workplace...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Kết quả theo chương trình và khóa tốt nghiệp (mọi năm)</source>
      <translation>Results by programme and graduating cohort (all years)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Lưu đánh giá</source>
      <translation>Save evaluation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Năm thứ</source>
      <translation>Year no.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Năm {year}: {n} học viên tốt nghiệp năm {a}, {b} cần đánh giá; đã đánh giá {d}.</source>
      <translation>{year}: {n} learners graduating in {a}, {b} to evaluate; {d} evaluated.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Tốt nghiệp</source>
      <translation>Graduated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Xếp loại năm</source>
      <translation>Annual rating</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Xếp loại:</source>
      <translation>Rating:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>{name}, lớp {code}: đánh giá năm {year}.</source>
      <translation>{name}, class {code}: {year} evaluation.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Đánh giá năm của học viên đang chọn</source>
      <translation>Annual evaluation of the selected learner</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Đã đánh giá</source>
      <translation>Evaluated</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/followup_view.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
  </context>
  <context>
    <name>grading</name>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source> hoặc </source>
      <translation> or </translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Bài thu hoạch</source>
      <translation>Written reflection</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Bài thu hoạch {score}</source>
      <translation>Written reflection {score}</translation>
    </message>
    <message>
      <source>Bài thu hoạch đạt từ {mark}, xếp loại: {bands}.</source>
      <translation type="obsolete">Written reflection passed from {mark}, classification: {bands}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Bài thu hoạch đạt từ {mark}; xếp loại theo điểm bài thu hoạch (không theo điểm trung bình): {bands}.</source>
      <translation>Written reflection passed from {mark}; classified by the written reflection's score (not by the average): {bands}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Bị kỷ luật {level}: {what}</source>
      <translation>Discipline ({level}): {what}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Chưa có nhận xét của cơ quan cử đi học</source>
      <translation>No confirmation from the sending organisation yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Chưa có điểm</source>
      <translation>No score yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Chưa có điểm học phần nào</source>
      <translation>No module scores yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Chưa có điểm học phần: {codes}</source>
      <translation>No module scores yet: {codes}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Chưa có điểm {what}: {codes}</source>
      <translation>No {what} score yet: {codes}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Chưa đạt</source>
      <translation>Not passed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Chưa đủ điểm thành phần</source>
      <translation>Component scores incomplete</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Cách đánh giá phải là danh sách điểm thành phần có mã, tên và trọng số.</source>
      <translation>The assessment must be a list of component scores with a code, name and weight.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Căn cứ: {regulation}.</source>
      <translation>Basis: {regulation}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Cơ quan cử đi học nhận xét không đạt yêu cầu</source>
      <translation>The sending organisation's confirmation is unfavourable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Hạ một mức vì bị kỷ luật {level} trong khóa học</source>
      <translation>Lowered one band because of discipline ({level}) during the course</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Hạ một mức vì có học phần phải thi lại ({codes})</source>
      <translation>Lowered one band because of retaken modules ({codes})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Hạ một mức xếp loại nếu {what}.</source>
      <translation>The classification is lowered one band if {what}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Học phần thi lại: tính điểm {counted}.</source>
      <translation>Retaken modules: the {counted} score counts.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Học phần {code}: nghỉ quá {limit} số tiết, chưa học bù đủ nên chưa được dự thi</source>
      <translation>Module {code}: absent more than {limit} of the periods and not enough lessons made up, so may not sit the exam yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Khóa luận</source>
      <translation>Thesis</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Không đạt</source>
      <translation>Fail</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Kết quả: Đạt hoặc Không đạt.</source>
      <translation>Result: Pass or Fail.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Mã điểm thành phần '{code}' bị trùng.</source>
      <translation>Duplicate component score code '{code}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Môn thi tốt nghiệp</source>
      <translation>Graduation exam subject</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Nghỉ học (có phép hoặc không phép) quá {limit} số tiết của học phần: không được dự thi học phần đó cho đến khi học bù.</source>
      <translation>Absent (excused or not) for more than {limit} of a module's periods: may not sit that module's exam until the lessons are made up.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Nghỉ học (có phép hoặc không phép) quá {limit} thời gian khóa học: không được cấp giấy chứng nhận.</source>
      <translation>Absent (excused or not) for more than {limit} of the course: no certificate of completion.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Nghỉ quá {limit} thời gian khóa học: không được cấp giấy chứng nhận</source>
      <translation>Absent for more than {limit} of the course: no certificate of completion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>TB {score}</source>
      <translation>Avg {score}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Trọng số của điểm thành phần thứ {n} phải là số dương.</source>
      <translation>The weight of component score no. {n} must be a positive number.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Xếp loại theo điểm trung bình các học phần (điểm thi tốt nghiệp, khóa luận chỉ cần đạt): {bands}.</source>
      <translation>Classified by the average of the modules (graduation exams and thesis need only be passed): {bands}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Xếp loại theo điểm xét tốt nghiệp (điểm trung bình các học phần cùng điểm thi tốt nghiệp hoặc khóa luận): {bands}.</source>
      <translation>Classified by the graduation score (the modules' average with the graduation exams or thesis): {bands}.</translation>
    </message>
    <message>
      <source>Xếp loại: {bands}.</source>
      <translation type="obsolete">Classification: {bands}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>buộc thôi học</source>
      <translation>expulsion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>bình quân các học phần</source>
      <translation>mean of the modules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>bình quân theo số tiết của học phần</source>
      <translation>mean weighted by module periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>bị kỷ luật từ mức {level} trở lên</source>
      <translation>the learner was disciplined at {level} level or above</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>chưa có</source>
      <translation>missing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>chưa có điểm lần thi thứ nhất</source>
      <translation>no score for the first attempt yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>có học phần phải thi lại</source>
      <translation>any module had to be retaken</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>có nhận xét đạt yêu cầu của cơ quan cử đi học</source>
      <translation>the sending organisation's confirmation is favourable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>cảnh cáo</source>
      <translation>warning</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>hạ một mức → {band}</source>
      <translation>one band lower → {band}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>khiển trách</source>
      <translation>reprimand</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>không</source>
      <translation>none</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>không bị kỷ luật từ mức {level} trở lên</source>
      <translation>no discipline at {level} level or above</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>không được công nhận hoàn thành khóa học</source>
      <translation>completion of the course not recognised</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>không được xét tốt nghiệp</source>
      <translation>not eligible for graduation review</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>không đạt yêu cầu</source>
      <translation>unfavourable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>lần thi cao nhất</source>
      <translation>best attempt</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>lần thi sau cùng</source>
      <translation>latest attempt</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>lần thi {n} chưa đủ điểm thành phần</source>
      <translation>attempt {n} has incomplete component scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>lần thi {n} đã đạt ({score} điểm), không phải thi lại</source>
      <translation>attempt {n} already passed ({score} points), no retake needed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>thi tốt nghiệp</source>
      <translation>graduation exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>{label}: chưa có điểm</source>
      <translation>{label}: no score yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>{label}: chưa đạt ({score} điểm, cần từ {mark}), chưa thi lại</source>
      <translation>{label}: not passed ({score} points, {mark} needed), not retaken yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>{label}: chưa đạt sau {n} lần thi ({score} điểm, cần từ {mark})</source>
      <translation>{label}: not passed after {n} attempts ({score} points, {mark} needed)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>{label}: chưa đủ điểm thành phần (thiếu {missing})</source>
      <translation>{label}: component scores incomplete (missing {missing})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>{name} từ {min}</source>
      <translation>{name} from {min}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>{what} → {band} (từ {min})</source>
      <translation>{what} → {band} (from {min})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Điều kiện tốt nghiệp: {conditions}.</source>
      <translation>Graduation requirements: {conditions}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Điểm thi tốt nghiệp (hoặc khóa luận) chiếm {share} điểm trung bình.</source>
      <translation>The graduation exam (or thesis) score makes up {share} of the average.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Điểm thành phần thứ {n} chưa có mã.</source>
      <translation>Component score no. {n} has no code.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Điểm trung bình {average} chưa đạt mức xếp loại thấp nhất ({lowest})</source>
      <translation>The average {average} is below the lowest classification band ({lowest})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Điểm trung bình: {weighting}, làm tròn đến {r} chữ số thập phân để xếp loại và xếp hạng, in {d} chữ số thập phân.</source>
      <translation>Average: {weighting}, rounded to {r} decimal place(s) for classification and ranking, printed with {d} decimal place(s).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Điểm từ 0 đến 10, lấy một chữ số thập phân; điểm đạt từ {mark}.</source>
      <translation>Scores from 0 to 10, to one decimal place; pass mark {mark}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Điểm xét tốt nghiệp {score}</source>
      <translation>Graduation score {score}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Đã chuyển lớp</source>
      <translation>Moved to another class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>Đã thôi học</source>
      <translation>Withdrawn</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <location filename="../../dtbd_desktop/rules/scores.py" />
      <source>Đạt</source>
      <translation>Pass</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>đã có, đạt yêu cầu</source>
      <translation>received, favourable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>đạt các môn thi tốt nghiệp hoặc khóa luận</source>
      <translation>pass the graduation exams or thesis</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/graduation.py" />
      <source>đạt tất cả học phần</source>
      <translation>pass all modules</translation>
    </message>
  </context>
  <context>
    <name>graduation</name>
    <message>
      <location filename="../../dtbd_desktop/services/graduation.py" />
      <source>Chưa ghi được nhận xét, kỷ luật.</source>
      <translation>Could not record the confirmation and discipline.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Chưa ghi được quyết định.</source>
      <translation>Could not record the decision.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Công nhận hoàn thành khóa bồi dưỡng và cấp giấy chứng nhận cho học viên {klass}</source>
      <translation>Recognising course completion and issuing certificates to the learners of {klass}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Công nhận tốt nghiệp {klass}, hệ {mode}, khóa học {years}</source>
      <translation>Recognising the graduation of {klass}, {mode}, course {years}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Căn cứ kết quả học tập và kết quả xét hoàn thành khóa bồi dưỡng của học viên lớp {code}</source>
      <translation>Based on the study results and the completion review of the learners of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Căn cứ kết quả học tập, rèn luyện và kết quả xét tốt nghiệp của học viên lớp {code}</source>
      <translation>Based on the study and conduct results and the graduation review of the learners of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Căn cứ {text}</source>
      <translation>Based on {text}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation.py" />
      <source>Học viên này không có trong lớp {code}.</source>
      <translation>This learner is not in class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation.py" />
      <source>Không đủ điều kiện</source>
      <translation>Not eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation.py" />
      <source>Kỷ luật phải là none, reprimand (khiển trách), warning (cảnh cáo) hoặc expulsion (buộc thôi học).</source>
      <translation>Discipline must be none, reprimand, warning or expulsion.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Lớp {code} chưa có học viên đủ điều kiện đã xét; hãy xét tốt nghiệp trước (dtbd graduation review {code}).</source>
      <translation>Class {code} has no reviewed eligible learners yet; review graduation first (dtbd graduation review {code}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Lớp {code} chưa có kết quả xét tốt nghiệp đã lưu (hoặc không có học viên đủ điều kiện): xét tốt nghiệp trước (dtbd graduation review {code}).</source>
      <translation>Class {code} has no saved graduation review (or no eligible learner): review it first (dtbd graduation review {code}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Lớp {code} đã có Quyết định số {number} ngày {date}. Muốn ghi quyết định khác: nhập số của quyết định mới, hoặc hủy số {number} trong sổ văn bản đi rồi ghi lại.</source>
      <translation>Class {code} already has Decision {number} of {date}. To record another: type the new decision's number, or void number {number} in the outgoing register and record again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation.py" />
      <source>Nhận xét của cơ quan cử đi học phải là received (đã có, đạt), unfavourable (không đạt) hoặc missing (chưa có).</source>
      <translation>The sending organisation's confirmation must be received (favourable), unfavourable or missing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Số quyết định dài quá 60 ký tự.</source>
      <translation>The decision number is longer than 60 characters.</translation>
    </message>
    <message>
      <source>Thiếu ngày quyết định.</source>
      <translation type="obsolete">Decision date missing.</translation>
    </message>
    <message>
      <source>Thiếu số quyết định.</source>
      <translation type="obsolete">Decision number missing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>Xét đề nghị của {who}</source>
      <translation>On the proposal of {who}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation.py" />
      <source>Xếp loại rèn luyện dài quá 40 ký tự.</source>
      <translation>The conduct rating is longer than 40 characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/graduation_decision.py" />
      <source>lớp {name}</source>
      <translation>class {name}</translation>
    </message>
  </context>
  <context>
    <name>graduation_tab</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source> (không tính: học viên được xét theo {codes})</source>
      <translation> (not counted: the learner is judged on {codes})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source> ngày {date}</source>
      <translation> of {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>(không còn xét ở lớp này)</source>
      <translation>(no longer reviewed in this class)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Bang diem ca nhan {code}</source>
      <translation>Transcript {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Bang diem tong hop {code}</source>
      <translation>Score summary {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Bài thu hoạch</source>
      <translation>Written reflection</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Bảng điểm cá nhân</source>
      <translation>Individual transcript</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Bảng điểm tổng hợp...</source>
      <translation>Score summary...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Chưa ghi quyết định: bấm “Ghi quyết định” để lấy số; in bây giờ là bản nháp (số và ngày để trống nếu không chọn ngày).</source>
      <translation>No decision recorded: press “Record decision” to take a number; printing now gives a draft (number and date blank unless a date is chosen).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Chưa lưu kết quả xét: bấm “Xét tốt nghiệp”.</source>
      <translation>Review results not saved: click “Graduation review”.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Chọn học viên</source>
      <translation>Select learner</translation>
    </message>
    <message>
      <source>Cong nhan tot nghiep {code}</source>
      <translation type="obsolete">Graduation recognition {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Căn cứ xếp loại</source>
      <translation>Classification basis</translation>
    </message>
    <message>
      <source>Căn cứ, ghi chú:</source>
      <translation type="obsolete">Basis, notes:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Cả lớp...</source>
      <translation>Whole class...</translation>
    </message>
    <message>
      <source>Danh sách công nhận tốt nghiệp...</source>
      <translation type="obsolete">List of graduates recognised...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Danh sách công nhận và văn bằng in từ nay mang số mới; văn bằng đã in vẫn ghi số cũ. Số cũ được ghi vào nhật ký.</source>
      <translation>Decision lists and documents printed from now on carry the new number; documents already printed keep the old one. The old number is kept in the audit log.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Danh sách xét tốt nghiệp...</source>
      <translation>Graduation review list...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Ghi quyết định</source>
      <translation>Record decision</translation>
    </message>
    <message>
      <source>Hãy chọn một học viên (có số CCCD) trong danh sách.</source>
      <translation type="obsolete">Select a learner (with a national ID) in the list.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Hãy chọn một học viên trong danh sách.</source>
      <translation>Select a learner in the list.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Hạng</source>
      <translation>Rank</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <source>Học phần bị cấm thi</source>
      <translation type="obsolete">Modules barred from exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Học viên vẫn đủ điều kiện giữ số quyết định. Mỗi thay đổi được ghi vào nhật ký.</source>
      <translation>Learners who remain eligible keep the decision number. Each change is recorded in the audit log.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Học viên đang chọn...</source>
      <translation>Selected learner...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>In:</source>
      <translation>Print:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Không học viên nào đổi kết quả: chỉ ghi lại ngày xét.</source>
      <translation>No learner's result changes: only the review date is recorded again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Không đạt</source>
      <translation>Fail</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Không đủ điều kiện</source>
      <translation>Not eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Kết quả</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Kết quả xét tốt nghiệp</source>
      <translation>Graduation review</translation>
    </message>
    <message>
      <source>Kỷ luật trong khóa học:</source>
      <translation type="obsolete">Discipline during the course:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Lý do, ghi chú</source>
      <translation>Reasons, notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Lưu kết quả xét theo điểm hiện tại</source>
      <translation>Save review results based on the current scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Lớp {code} đã có quyết định công nhận tốt nghiệp số {number}{date}. Xét lại sẽ thay kết quả đã lưu bằng kết quả theo điểm, nhận xét và kỷ luật hiện nay.</source>
      <translation>Class {code} already has its graduation decision no. {number}{date}. Reviewing again replaces the stored results with those of the current scores, confirmations and disciplines.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Lớp {code} đã ghi quyết định số {old} ngày {old_date}. Thay bằng số {number} ngày {date} cho mọi học viên đủ điều kiện?</source>
      <translation>Class {code} has decision no. {old} of {old_date} recorded. Replace it with no. {number} of {date} for every eligible learner?</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Ngày ký:</source>
      <translation>Signing date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Nhận xét của cơ quan cử đi học, kỷ luật, rèn luyện của cả lớp (con trỏ ở học viên đang chọn)</source>
      <translation>Sending organisations' confirmations, disciplines and conduct of the whole class (the cursor on the selected learner)</translation>
    </message>
    <message>
      <source>Nhận xét của cơ quan cử đi học, kỷ luật, rèn luyện của học viên đang chọn</source>
      <translation type="obsolete">Sending organisation's confirmation, discipline and conduct of the selected learner</translation>
    </message>
    <message>
      <source>Nhận xét của cơ quan cử đi học:</source>
      <translation type="obsolete">Sending organisation's confirmation:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Nhận xét, kỷ luật...</source>
      <translation>Confirmation, discipline...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>PDF (*.pdf);;Excel (*.xlsx)</source>
      <translation>PDF (*.pdf);;Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Quy định đã áp dụng ({name}):</source>
      <translation>Rules applied ({name}):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Quyet dinh cong nhan tot nghiep {code}</source>
      <translation>Graduation decision {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Quyết định công nhận số:</source>
      <translation>Graduation decision no.:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Quyết định công nhận tốt nghiệp...</source>
      <translation>Graduation decision...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Rèn luyện, nhận xét của cơ quan cử đi học (cả lớp)</source>
      <translation>Conduct and sending organisations' confirmations (whole class)</translation>
    </message>
    <message>
      <source>Rèn luyện:</source>
      <translation type="obsolete">Conduct:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Số QĐ</source>
      <translation>Decision no.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>TB học phần</source>
      <translation>Module average</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Thay quyết định</source>
      <translation>Replace the decision</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Thay quyết định đã ghi</source>
      <translation>Replace the recorded decision</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Xet tot nghiep {code}</source>
      <translation>Graduation review {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Xét lại lớp đã có quyết định</source>
      <translation>Review a class that has its decision</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Xét lại và lưu</source>
      <translation>Review again and save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Xét tốt nghiệp</source>
      <translation>Graduation review</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Xếp loại</source>
      <translation>Classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Xếp loại: {counts}.</source>
      <translation>Classification: {counts}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>ngày</source>
      <translation>dated</translation>
    </message>
    <message>
      <source>ví dụ 12/QĐ-TCT</source>
      <translation type="obsolete">for example 12/QĐ-TCT</translation>
    </message>
    <message>
      <source>văn bản, căn cứ (ví dụ: Công văn số 45 của ...)</source>
      <translation type="obsolete">document, basis (for example: Official letter no. 45 of ...)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>{n} học viên không còn đủ điều kiện sẽ bị bỏ khỏi quyết định số {number}: {names}.</source>
      <translation>{n} learners no longer eligible will be taken off decision no. {number}: {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>{n} học viên mới đủ điều kiện chưa có số quyết định: {names}; ghi lại quyết định cho họ nếu họ thuộc quyết định này.</source>
      <translation>{n} newly eligible learners have no decision number: {names}; record the decision again if they belong to it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>{n} học viên đổi kết quả đã được cấp văn bằng ({serials}): văn bằng và sổ gốc vẫn giữ nội dung cũ; nếu cần, thu hồi hoặc cấp lại ở thẻ “Văn bằng, chứng chỉ”.</source>
      <translation>{n} learners whose result changes already hold a document ({serials}): the documents and the register keep their old content; if needed, revoke or reissue them in the “Diplomas, certificates” tab.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>{n} học viên đổi kết quả:</source>
      <translation>{n} learners' results change:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>{n} học viên; {what}: {ok}; không: {ko}.</source>
      <translation>{n} learners; {what}: {ok}; not: {ko}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Đang in...</source>
      <translation>Printing...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Điểm TB</source>
      <translation>Average</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Điểm xét TN</source>
      <translation>Graduation score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Điểm đã thay đổi sau lần xét ngày {date} ({n} học viên khác kết quả đã lưu): bấm “Xét tốt nghiệp” để lưu lại.</source>
      <translation>Scores have changed since the review on {date} ({n} learners differ from the saved results): click “Graduation review” to save again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Đã ghi quyết định số {number} ngày {date} cho {n} học viên.</source>
      <translation>Recorded decision no. {number} of {date} for {n} learners.</translation>
    </message>
    <message>
      <source>Đã ghi {n} thay đổi cho {name}.</source>
      <translation type="obsolete">Recorded {n} changes for {name}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Đã lưu {path}.</source>
      <translation>Saved {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Đã xét và lưu kết quả: {n} học viên đủ điều kiện.</source>
      <translation>Reviewed and saved the results: {n} learners eligible.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Đã xét và lưu ngày {date}.</source>
      <translation>Reviewed and saved on {date}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Đạt</source>
      <translation>Pass</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Để trống: quyết định lấy số tiếp theo trong sổ văn bản đi. Nhập số (ví dụ 45 hoặc 45-QĐ/TCT) khi quyết định đã được cấp số ngoài chương trình.</source>
      <translation>Empty: the decision takes the next number of the outgoing register. Type a number (e.g. 45 or 45-QĐ/TCT) when it was numbered outside the program.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>Đủ điều kiện</source>
      <translation>Eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>đạt</source>
      <translation>passed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>để trống: lấy số trong sổ</source>
      <translation>empty: the number from the register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>đủ điều kiện tốt nghiệp</source>
      <translation>eligible to graduate</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/graduation_tab.py" />
      <source>• và {n} học viên khác.</source>
      <translation>• and {n} other learners.</translation>
    </message>
  </context>
  <context>
    <name>help</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Cơ sở dữ liệu: {url}</source>
      <translation>Database: {url}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Giấy phép: GNU GPL phiên bản 3 trở lên. Phông chữ Liberation Serif: SIL Open Font License.</source>
      <translation>Licence: GNU GPL version 3 or later. Liberation Serif font: SIL Open Font License.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Giới thiệu DTBD Desktop</source>
      <translation>About DTBD Desktop</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Hướng dẫn sử dụng DTBD Desktop</source>
      <translation>DTBD Desktop user guide</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Không tìm thấy tệp hướng dẫn {path}.</source>
      <translation>User guide file {path} not found.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Mở thư mục nhật ký</source>
      <translation>Open the log folder</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Nhật ký lỗi (gửi cho bộ phận kỹ thuật khi cần; không chứa mật khẩu, số định danh): {path}</source>
      <translation>Error log (send it to technical support when asked; it holds no passwords or ID numbers): {path}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Phiên bản: {version}</source>
      <translation>Version: {version}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Quản lý đào tạo, bồi dưỡng cho Trường Chính trị tỉnh và Trung tâm Chính trị cấp huyện. Hoạt động hoàn toàn không cần Internet.</source>
      <translation>Training and fostering management for provincial political schools and district political centres. Works entirely without the Internet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Thư mục dữ liệu: {path}</source>
      <translation>Data folder: {path}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>bản đóng gói</source>
      <translation>packaged build</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/help_dialog.py" />
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
  </context>
  <context>
    <name>import_wizard</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>(không nhập)</source>
      <translation>(do not import)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>&lt; Quay lại</source>
      <translation>&lt; Back</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Bỏ qua các dòng có lỗi, chỉ nhập các dòng đúng</source>
      <translation>Skip rows with errors, import only the correct rows</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Bỏ qua {bad} dòng có lỗi.</source>
      <translation>Skip {bad} rows with errors.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Chưa có gì được ghi. Bấm vào một lỗi để xem ô đó; có thể lưu bản đánh dấu lỗi để gửi lại đơn vị.</source>
      <translation>Nothing has been written yet. Click an error to see its cell; you can save a copy marking the errors to send back to the organisation.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Chọn tệp danh sách</source>
      <translation>Choose the list file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Chọn tệp danh sách học viên</source>
      <translation>Choose the learner list file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Chọn tệp...</source>
      <translation>Choose file...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Có thể trùng người đã có (đánh dấu nếu cùng một người)</source>
      <translation>Possible duplicates of existing people (tick if it is the same person)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Cột</source>
      <translation>Column</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Danh sách được ghi một lần cho cả tệp: nếu có lỗi giữa chừng thì không có gì bị thay đổi.</source>
      <translation>The list is written in one go for the whole file: if an error occurs midway, nothing is changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Dòng {row}</source>
      <translation>Row {row}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Dòng {row} giống hồ sơ: {existing}</source>
      <translation>Row {row} resembles the record: {existing}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Không nhập được; không có gì bị thay đổi.</source>
      <translation>Could not import; nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Không nhập: dữ liệu đã thay đổi từ lúc kiểm tra ({n} lỗi). Không có gì bị thay đổi; hãy nhập lại.</source>
      <translation>Not imported: the data changed since the check ({n} errors). Nothing was changed; please import again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Kiểm tra mỗi cột của tệp được nhập vào đúng mục; chọn lại ở cột 'Nhập vào' nếu chương trình nhận sai.</source>
      <translation>Check that each column of the file goes into the right field; choose again in the 'Import into' column if the program got it wrong.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Kiểm tra trước khi nhập</source>
      <translation>Check before importing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Kết quả</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Lưu bản đánh dấu lỗi</source>
      <translation>Save copy marking errors</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Lưu bản đánh dấu lỗi...</source>
      <translation>Save copy marking errors...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Lỗi và lưu ý</source>
      <translation>Errors and notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Nhập danh sách</source>
      <translation>Import list</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Nhập danh sách học viên vào lớp {code}</source>
      <translation>Import a list of learners into class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Nhập vào</source>
      <translation>Import into</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Tiêu đề trong tệp</source>
      <translation>Heading in the file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Tiếp &gt;</source>
      <translation>Next &gt;</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Tệp Excel (*.xlsx *.xlsm)</source>
      <translation>Excel files (*.xlsx *.xlsm)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Tệp Excel (*.xlsx)</source>
      <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Tệp Excel (.xlsx) do đơn vị gửi, theo mẫu nào cũng được: chương trình tự tìm bảng danh sách và nhận ra các cột.</source>
      <translation>An Excel file (.xlsx) sent by the organisation, in any layout: the program finds the list table and recognises the columns itself.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Tệp {file}, trang '{sheet}': {n} dòng học viên.</source>
      <translation>File {file}, sheet '{sheet}': {n} learner rows.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Xem trước và chọn cột</source>
      <translation>Preview and choose columns</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Xong</source>
      <translation>Done</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>cột {column}</source>
      <translation>column {column}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>{n} dòng gõ bằng bảng mã cũ (TCVN3/VNI) sẽ được chuyển sang Unicode.</source>
      <translation>{n} rows typed in a legacy encoding (TCVN3/VNI) will be converted to Unicode.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>{n} dòng học viên: {good} dòng nhập được, {bad} dòng có lỗi.</source>
      <translation>{n} learner rows: {good} rows can be imported, {bad} rows have errors.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>{n} người trùng họ tên và ngày sinh với hồ sơ đã có được tạo hồ sơ mới; kiểm tra lại ở mục Học viên.</source>
      <translation>{n} people with the same full name and date of birth as an existing record got new records; check them under Learners.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đang kiểm tra...</source>
      <translation>Checking...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đang nhập danh sách học viên...</source>
      <translation>Importing the list of learners...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đang nhập danh sách...</source>
      <translation>Importing the list...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đang đọc {file}...</source>
      <translation>Reading {file}...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đánh dấu nếu là cùng một người: dùng hồ sơ đã có thay vì tạo hồ sơ mới.</source>
      <translation>Tick if it is the same person: use the existing record instead of creating a new one.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đã chuyển {n} dòng từ bảng mã cũ (TCVN3/VNI) sang Unicode.</source>
      <translation>Converted {n} rows from a legacy encoding (TCVN3/VNI) to Unicode.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đã nhập {n} học viên vào lớp {code}: {new} hồ sơ mới, {old} người đã có hồ sơ.</source>
      <translation>Imported {n} learners into class {code}: {new} new records, {old} people already on record.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đã thêm vào danh mục đơn vị: {names}.</source>
      <translation>Added to the list of organisations: {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đã tìm thấy bảng ở trang '{sheet}', tiêu đề ở dòng {header}, {n} dòng học viên (dòng {first}–{last}).</source>
      <translation>Found the table on sheet '{sheet}', headings in row {header}, {n} learner rows (rows {first}–{last}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đã đánh dấu {n} ô trong {path}.</source>
      <translation>Marked {n} cells in {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đơn vị mới sẽ được thêm vào danh mục: {names}.</source>
      <translation>New organisations will be added to the list: {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/import_wizard.py" />
      <source>Đường dẫn tệp .xlsx</source>
      <translation>Path of the .xlsx file</translation>
    </message>
  </context>
  <context>
    <name>layouts</name>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>(trống)</source>
      <translation>(empty)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Chức danh người ký</source>
      <translation>Signatory's title</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Chức vụ</source>
      <translation>Position</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Chức vụ, đơn vị</source>
      <translation>Position, organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Cách gọi: Đồng chí / Ông (Bà)</source>
      <translation>Salutation: Đồng chí / Ông (Bà)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Có khi dùng Quốc hiệu</source>
      <translation>Present when the national heading is used</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Có khi dùng tiêu đề Đảng</source>
      <translation>Present when the Party heading is used</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/calibration.py" />
      <source>Căn chỉnh máy in không hợp lệ.</source>
      <translation>Invalid printer calibration.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/calibration.py" />
      <source>Căn chỉnh máy in: '{key}' không phải số.</source>
      <translation>Printer calibration: '{key}' is not a number.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/calibration.py" />
      <source>Căn chỉnh máy in: tỉ lệ {value} phải từ 0,9 đến 1,1.</source>
      <translation>Printer calibration: scale {value} must be from 0.9 to 1.1.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/calibration.py" />
      <source>Căn chỉnh máy in: độ lệch {value} mm quá lớn (tối đa {max} mm).</source>
      <translation>Printer calibration: offset {value} mm is too large (at most {max} mm).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Cơ quan chủ quản</source>
      <translation>Superior body</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Dân tộc</source>
      <translation>Ethnicity</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Giới tính</source>
      <translation>Sex</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Hai mẫu in cùng mã '{id}'.</source>
      <translation>Two print layouts have the same id '{id}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Hình thức học</source>
      <translation>Study mode</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Họ tên người ký</source>
      <translation>Signatory's full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/pages.py" />
      <source>In ở tỉ lệ 100% (kích thước thật, không co giãn theo trang), khổ A4 ngang.</source>
      <translation>Print at 100% scale (actual size, not fitted to the page), A4 landscape.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Khung viền</source>
      <translation>Border frame</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Khóa học (ví dụ: Khóa 48 (2025))</source>
      <translation>Course (e.g. Khóa 48 (2025))</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Khóa học, thời gian và nơi học, thành câu</source>
      <translation>Course, dates and venue, as a sentence</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Không có mẫu in nào cho loại văn bằng '{kind}'.</source>
      <translation>There is no print layout for document type '{kind}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Không đọc được mẫu in {path}: {error}</source>
      <translation>Could not read print layout {path}: {error}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Mã QR</source>
      <translation>QR code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Mã lớp</source>
      <translation>Class code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Mã xác thực</source>
      <translation>Verification code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Mẫu chữ '{text}': dấu ngoặc {{ }} không khớp.</source>
      <translation>Text template '{text}': braces {{ }} do not match.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Ngày cấp dd/mm/yyyy</source>
      <translation>Issue date dd/mm/yyyy</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Ngày cấp: ngày</source>
      <translation>Issue date: day</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Ngày cấp: năm</source>
      <translation>Issue date: year</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Ngày cấp: tháng</source>
      <translation>Issue date: month</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Ngày khai giảng</source>
      <translation>Opening date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Ngày kết thúc</source>
      <translation>End date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Người cấp: chức danh và tên trường (HIỆU TRƯỞNG TRƯỜNG ...)</source>
      <translation>Issuer: the signer's title and the school (HIỆU TRƯỞNG TRƯỜNG ...)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Nơi sinh</source>
      <translation>Place of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Nội dung mã QR</source>
      <translation>QR code content</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Quốc hiệu hoặc ĐẢNG CỘNG SẢN VIỆT NAM</source>
      <translation>National heading or ĐẢNG CỘNG SẢN VIỆT NAM</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Số hiệu</source>
      <translation>Serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Số quyết định công nhận</source>
      <translation>Graduation decision number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Số vào sổ</source>
      <translation>Register number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/calibration.py" />
      <source>Số đo không hợp lệ: dấu B phải ở bên phải dấu A, dấu C ở dưới dấu A.</source>
      <translation>Invalid measurements: mark B must be to the right of mark A, and mark C below mark A.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/pages.py" />
      <source>TRANG THỬ CĂN CHỈNH MÁY IN</source>
      <translation>PRINTER CALIBRATION TEST PAGE</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Tiêu ngữ (trống khi dùng tiêu đề Đảng)</source>
      <translation>Motto (empty when the Party heading is used)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Tên chương trình</source>
      <translation>Programme name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Tên khóa học in trên văn bằng (theo chương trình)</source>
      <translation>Course title printed on the document (from the programme)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Tên lớp</source>
      <translation>Class name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Tên trường / trung tâm</source>
      <translation>School / centre name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Tên trường / trung tâm viết thường (Trường Chính trị tỉnh ...)</source>
      <translation>School / centre name in sentence case (Trường Chính trị tỉnh ...)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Tên văn bằng</source>
      <translation>Document title</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Xếp loại / kết quả</source>
      <translation>Classification / result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: '{name}' là chữ.</source>
      <translation>{where}: '{name}' is text.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: '{name}' là true hoặc false.</source>
      <translation>{where}: '{name}' is true or false.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: căn lề '{align}' không có (left, center, right).</source>
      <translation>{where}: there is no alignment '{align}' (left, center, right).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: cần một số (đang là {value!r}).</source>
      <translation>{where}: a number is needed (it is {value!r}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: cỡ chữ phải từ 4 đến 72.</source>
      <translation>{where}: the font size must be from 4 to 72.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: document_kind là diploma hoặc certificate.</source>
      <translation>{where}: document_kind is diploma or certificate.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: không có giá trị '{key}'.</source>
      <translation>{where}: there is no value '{key}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: không phải mẫu in định dạng {format}.</source>
      <translation>{where}: not a print layout of format {format}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: không phải một trường.</source>
      <translation>{where}: not a field.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: khổ giấy phải từ 50 đến 500 mm.</source>
      <translation>{where}: the paper size must be from 50 to 500 mm.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: loại '{kind}' không có.</source>
      <translation>{where}: there is no type '{kind}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: mode là full hoặc blank.</source>
      <translation>{where}: mode is full or blank.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: phông '{font}' không có (regular, bold, italic, bold_italic).</source>
      <translation>{where}: there is no font '{font}' (regular, bold, italic, bold_italic).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: thiếu '{key}'.</source>
      <translation>{where}: '{key}' is missing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>{where}: thuộc tính '{name}' không có.</source>
      <translation>{where}: there is no attribute '{name}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Điểm trung bình</source>
      <translation>Average score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/pages.py" />
      <source>Đo tâm các dấu A, B, C tính từ mép trái và mép trên tờ giấy (mm), rồi nhập vào Văn bằng, chứng chỉ → Căn chỉnh máy in.</source>
      <translation>Measure the centres of marks A, B, C from the left and top edges of the sheet (mm), then enter them in Diplomas and certificates → Printer calibration.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/pages.py" />
      <source>Đã áp dụng căn chỉnh: lệch ngang {ox} mm, lệch dọc {oy} mm, tỉ lệ {sx} × {sy}: mỗi dấu phải nằm đúng số đo ghi bên cạnh.</source>
      <translation>Calibration applied: horizontal offset {ox} mm, vertical offset {oy} mm, scale {sx} × {sy}: each mark should sit exactly at the measurement written next to it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Đơn vị công tác</source>
      <translation>Workplace</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Đường kẻ</source>
      <translation>Line</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Địa danh</source>
      <translation>Place name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Địa danh, ngày ... tháng ... năm ...</source>
      <translation>Place name, date ... month ... year ...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>Địa điểm học</source>
      <translation>Venue</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>“, tại &lt;địa điểm&gt;” (trống khi lớp không ghi địa điểm)</source>
      <translation>“, at &lt;venue&gt;” (empty when the class has no venue)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/layouts/model.py" />
      <source>“Xếp loại” hoặc “Kết quả”, theo kết quả in</source>
      <translation>“Xếp loại” or “Kết quả”, by the result printed</translation>
    </message>
  </context>
  <context>
    <name>learner_dialog</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Cho người chưa có hồ sơ (ví dụ dòng bị từ chối khi nhập danh sách). Các ô được kiểm tra như khi nhập từ Excel. Người đã học ở Trung tâm thì tìm và chọn ở "Thêm học viên...".</source>
      <translation>For someone without a record (a row refused when a list was imported, for example). The fields are checked as an Excel import checks them. Someone who has studied at the centre before: search and choose them in "Add learner...".</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Chưa lưu: sửa họ tên, ngày sinh, giới tính, dân tộc, số CCCD hay nơi sinh cần ghi lý do.</source>
      <translation>Not saved: changing the name, date of birth, sex, ethnicity, national ID or place of birth needs a reason.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Chọn một dòng có văn bằng, chứng chỉ còn hiệu lực.</source>
      <translation>Choose a line with a diploma or certificate still in force.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Có thể trùng người</source>
      <translation>Possibly the same person</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Hồ sơ học viên {name}</source>
      <translation>Learner record: {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>In bản sao văn bằng...</source>
      <translation>Print a copy of the diploma...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>In giấy xác nhận tốt nghiệp...</source>
      <translation>Print a confirmation of graduation...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Không có gì thay đổi.</source>
      <translation>Nothing has changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Kiểm tra lại hồ sơ</source>
      <translation>Check the record</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Lý do sửa hồ sơ</source>
      <translation>Reason for the change</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Lưu</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Những gì bạn vừa sửa chưa được lưu; đóng hồ sơ, mở lại rồi sửa lại.</source>
      <translation>Your changes were not saved; close the record, open it again and make them again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Sửa {fields} của {name}: lý do (ghi vào nhật ký, ví dụ "theo CCCD bản gốc"):</source>
      <translation>Changing the {fields} of {name}: reason (kept in the audit log, for example "as on the original ID card"):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Thêm học viên mới vào lớp {code}</source>
      <translation>Add a new learner to class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Thêm vào lớp</source>
      <translation>Add to class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Tài khoản của bạn chỉ được xem hồ sơ.</source>
      <translation>Your account may only view records.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>{warnings}

Vẫn lưu hồ sơ?</source>
      <translation>{warnings}

Save the record anyway?</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>{warnings}

Vẫn thêm học viên?</source>
      <translation>{warnings}

Add the learner anyway?</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Đã có hồ sơ cùng họ tên và ngày sinh:
{people}

Đây là một người khác: tạo hồ sơ mới? (Nếu là cùng một người thì không tạo, mà tìm và chọn họ ở "Thêm học viên...".)</source>
      <translation>There is already a record with the same name and date of birth:
{people}

Is this a different person: create a new record? (If it is the same person, do not create one: search and choose them in "Add learner...".)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Đã lưu hồ sơ của {name}.</source>
      <translation>Saved the record of {name}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
  </context>
  <context>
    <name>learner_fields</name>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Chọn giới tính Nam hoặc Nữ.</source>
      <translation>Choose the sex: Male or Female.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Chức vụ</source>
      <translation>Position</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Có ngày vào Đảng thì chọn 'Có' ở mục Đảng viên (hoặc xóa ngày vào Đảng).</source>
      <translation>With a Party join date, choose 'Yes' for Party member (or clear the join date).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Dân tộc</source>
      <translation>Ethnicity</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Họ</source>
      <translation>Family name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Ngày sinh {date}: học viên {age} tuổi khi khai giảng lớp ({start}), không hợp lý; kiểm tra lại năm sinh.</source>
      <translation>Date of birth {date}: the learner would be {age} when the class starts ({start}), which is not plausible; check the year of birth.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Nơi sinh</source>
      <translation>Place of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Quê quán</source>
      <translation>Home town</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Số điện thoại '{phone}' không đúng dạng (10 chữ số, bắt đầu bằng 0).</source>
      <translation>Phone number '{phone}' is not valid (10 digits, starting with 0).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Thiếu dân tộc (ví dụ: Kinh).</source>
      <translation>Ethnicity is missing (for example: Kinh).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Thiếu ngày sinh: ghi ngày sinh dạng dd/mm/yyyy (hoặc năm sinh).</source>
      <translation>Date of birth is missing: enter it as dd/mm/yyyy (or the year of birth).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Thiếu tên: ghi đủ họ, đệm và tên, ví dụ 'Nguyễn Văn An'.</source>
      <translation>The given name is missing: enter the family, middle and given names, for example 'Nguyễn Văn An'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Trình độ LLCT</source>
      <translation>Political theory level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Trình độ chuyên môn</source>
      <translation>Professional qualification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Tên</source>
      <translation>Given name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Tên đệm</source>
      <translation>Middle name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>{label} dài quá {limit} ký tự.</source>
      <translation>{label} is longer than {limit} characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>{label} dài {n} ký tự, quá {limit} ký tự cho phép: rút gọn lại.</source>
      <translation>{label} is {n} characters long, more than the {limit} allowed: shorten it.</translation>
    </message>
  </context>
  <context>
    <name>learner_form</name>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>(chưa có)</source>
      <translation>(none)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>12 chữ số</source>
      <translation>12 digits</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Chưa rõ</source>
      <translation>Not known</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Chức vụ:</source>
      <translation>Position:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Có</source>
      <translation>Yes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Dân tộc:</source>
      <translation>Ethnicity:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Giới tính:</source>
      <translation>Sex:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Họ</source>
      <translation>Family name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Họ / đệm / tên:</source>
      <translation>Family / middle / given:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Họ và tên, ví dụ: Nguyễn Văn An</source>
      <translation>Full name, for example: Nguyễn Văn An</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Họ và tên:</source>
      <translation>Full name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Không</source>
      <translation>No</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Ngày sinh:</source>
      <translation>Date of birth:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Ngày sinh: {error}.</source>
      <translation>Date of birth: {error}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Ngày vào Đảng: {error}.</source>
      <translation>Party join date: {error}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Nơi sinh:</source>
      <translation>Place of birth:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Quê quán:</source>
      <translation>Home town:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Số CCCD:</source>
      <translation>National ID (CCCD):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Trình độ LLCT:</source>
      <translation>Political theory level:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Trình độ chuyên môn:</source>
      <translation>Professional qualification:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Tên</source>
      <translation>Given name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>dd/mm/yyyy, hoặc năm sinh</source>
      <translation>dd/mm/yyyy, or the year of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>ngày vào Đảng, dd/mm/yyyy</source>
      <translation>Party join date, dd/mm/yyyy</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Điện thoại:</source>
      <translation>Phone:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Đơn vị '{name}' chưa có trong danh mục đơn vị: chọn một đơn vị trong danh sách, hoặc thêm đơn vị ở mục Đơn vị cử đi học trước.</source>
      <translation>Organisation '{name}' is not in the list of organisations: choose one from the list, or add it under Sending organisations first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Đơn vị:</source>
      <translation>Organisation:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Đảng viên:</source>
      <translation>Party member:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <source>Đệm</source>
      <translation>Middle name</translation>
    </message>
  </context>
  <context>
    <name>learners</name>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>CCCD {id}</source>
      <translation>ID {id}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Chưa lưu được hồ sơ của {name}.</source>
      <translation>The record of {name} was not saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Chưa thêm được học viên {name}.</source>
      <translation>Learner {name} was not added.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Hồ sơ của {name} vừa được người khác sửa. Hãy mở lại để xem bản mới nhất.</source>
      <translation>{name}'s record was just changed by someone else. Reopen it to see the latest version.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Không sửa được các trường: {fields}.</source>
      <translation>These fields cannot be changed: {fields}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <location filename="../../dtbd_desktop/services/learners.py" />
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Không tìm thấy học viên.</source>
      <translation>Learner not found.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Không tìm thấy đơn vị đã chọn (có thể vừa bị xóa).</source>
      <translation>The chosen organisation was not found (it may have just been deleted).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Số CCCD {id} đã có trong hồ sơ của {person}: kiểm tra lại số CCCD (mỗi số CCCD chỉ thuộc một người).</source>
      <translation>National ID {id} is already in the record of {person}: check the national ID (each national ID belongs to one person).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Số CCCD {id} đã có trong hồ sơ của {person}: kiểm tra lại số CCCD; nếu đúng là người này thì tìm và chọn họ ở "Thêm học viên..." thay vì tạo hồ sơ mới.</source>
      <translation>National ID {id} is already in the record of {person}: check the national ID; if it is this person, search and choose them in "Add learner..." instead of creating a new record.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Sửa {fields} của {name} cần ghi lý do (được ghi vào nhật ký).</source>
      <translation>Changing the {fields} of {name} needs a reason (kept in the audit log).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Thêm bằng tay vào lớp {code}</source>
      <translation>Added by hand to class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>chưa có CCCD</source>
      <translation>no national ID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>chưa học lớp nào</source>
      <translation>no class yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>các lớp: {classes}</source>
      <translation>classes: {classes}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>dân tộc</source>
      <translation>ethnicity</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>giới tính</source>
      <translation>sex</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>họ</source>
      <translation>family name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>ngày sinh</source>
      <translation>date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>năm sinh</source>
      <translation>year of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>nơi sinh</source>
      <translation>place of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>số CCCD</source>
      <translation>national ID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>tên</source>
      <translation>given name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>tên đệm</source>
      <translation>middle name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>{name}, sinh {birth}, {id}, {classes}</source>
      <translation>{name}, born {birth}, {id}, {classes}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" />
      <source>Đã có người cùng họ tên và ngày sinh: {people}. Nếu là cùng một người, tìm và chọn họ ở "Thêm học viên..."; nếu là người khác, xác nhận để tạo hồ sơ mới.</source>
      <translation>There is already someone with the same name and date of birth: {people}. If it is the same person, search and choose them in "Add learner..."; if it is someone else, confirm to create a new record.</translation>
    </message>
  </context>
  <context>
    <name>learners_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <source>Chức vụ:</source>
      <translation type="obsolete">Position:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Các lớp</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Dân tộc</source>
      <translation>Ethnicity</translation>
    </message>
    <message>
      <source>Dân tộc:</source>
      <translation type="obsolete">Ethnicity:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Giới tính</source>
      <translation>Sex</translation>
    </message>
    <message>
      <source>Giới tính:</source>
      <translation type="obsolete">Sex:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <source>Họ và tên:</source>
      <translation type="obsolete">Full name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <source>Không</source>
      <translation type="obsolete">No</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Kết quả</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <source>Ngày sinh:</source>
      <translation type="obsolete">Date of birth:</translation>
    </message>
    <message>
      <source>Nơi sinh:</source>
      <translation type="obsolete">Place of birth:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Quá trình học tập tại Trung tâm:</source>
      <translation>Study history at the Centre:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Số CCCD</source>
      <translation>National ID (CCCD)</translation>
    </message>
    <message>
      <source>Số CCCD:</source>
      <translation type="obsolete">National ID (CCCD):</translation>
    </message>
    <message>
      <source>Trình độ LLCT:</source>
      <translation type="obsolete">Political theory level:</translation>
    </message>
    <message>
      <source>Trình độ chuyên môn:</source>
      <translation type="obsolete">Professional qualification:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Tìm theo họ tên (gõ có dấu hoặc không dấu) hoặc số CCCD...</source>
      <translation>Search by full name (with or without diacritics) or national ID (CCCD)...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Từ ngày</source>
      <translation>From</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Văn bằng, chứng chỉ</source>
      <translation>Diplomas and certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Xem thêm</source>
      <translation>Show more</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>{n}{more} học viên</source>
      <translation>{n}{more} learners</translation>
    </message>
    <message>
      <source>Điện thoại:</source>
      <translation type="obsolete">Phone:</translation>
    </message>
    <message>
      <source>Đóng</source>
      <translation type="obsolete">Close</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/learners_view.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <source>Đơn vị:</source>
      <translation type="obsolete">Organisation:</translation>
    </message>
    <message>
      <source>Đảng viên, vào Đảng {date}</source>
      <translation type="obsolete">Party member, joined the Party on {date}</translation>
    </message>
    <message>
      <source>Đảng viên:</source>
      <translation type="obsolete">Party member:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/learner_dialog.py" />
      <source>Đến ngày</source>
      <translation>To</translation>
    </message>
  </context>
  <context>
    <name>lecturer_periods</name>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>(Từ ngày 01/01/{year} đến ngày {end}, theo thời khóa biểu các lớp)</source>
      <translation>(From 01/01/{year} to {end}, according to the class timetables)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>BẢNG TỔNG HỢP SỐ TIẾT GIẢNG NĂM {year}</source>
      <translation>SUMMARY OF TEACHING PERIODS IN {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>CHI TIẾT SỐ TIẾT GIẢNG NĂM {year} THEO LỚP</source>
      <translation>TEACHING PERIODS IN {year} BY CLASS</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Chi tiết</source>
      <translation>Details</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Cộng</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Giảng viên</source>
      <translation>Lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Giảng viên {kind}</source>
      <translation>{kind} lecturers</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Học hàm, học vị</source>
      <translation>Academic title, degree</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Ký nhận</source>
      <translation>Signature</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>KẾ TOÁN</source>
      <translation>ACCOUNTANT</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Loại</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>NGƯỜI LẬP BIỂU</source>
      <translation>PREPARED BY</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>STT</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Số buổi</source>
      <translation>Sessions</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Số tiết giảng năm {year}</source>
      <translation>Teaching periods in {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Tiết giảng</source>
      <translation>Teaching periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Tiết thi</source>
      <translation>Exam periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Tiết thực tế</source>
      <translation>Field-trip periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>TỔNG CỘNG</source>
      <translation>GRAND TOTAL</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Tổng hợp</source>
      <translation>Summary</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Tổng số tiết</source>
      <translation>Total periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/lecturer_periods_report.py" />
      <source>Đơn vị công tác</source>
      <translation>Workplace</translation>
    </message>
  </context>
  <context>
    <name>lecturer_periods_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Chọn một giảng viên để xem số tiết theo lớp.</source>
      <translation>Select a lecturer to see the periods by class.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Excel (*.xlsx)</source>
      <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Giảng viên</source>
      <translation>Lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Loại</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Mọi loại giảng viên</source>
      <translation>All lecturer types</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Năm {year} (đến {date}): {n} giảng viên, {p} tiết ({parts}).</source>
      <translation>{year} (to {date}): {n} lecturers, {p} periods ({parts}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>So tiet giang {year}.xlsx</source>
      <translation>Teaching periods {year}.xlsx</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Số buổi</source>
      <translation>Sessions</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Số lớp</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Tiết giảng</source>
      <translation>Teaching periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Tiết thi</source>
      <translation>Exam periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Tiết thực tế</source>
      <translation>Field-trip periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Tổng</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Tổng số tiết</source>
      <translation>Total periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Xuất bảng thanh toán (Excel)...</source>
      <translation>Export payment sheet (Excel)...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Xuất bảng thanh toán giờ giảng</source>
      <translation>Export teaching-hours payment sheet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>{name}: {n} lớp, {p} tiết.</source>
      <translation>{name}: {n} classes, {p} periods.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Đã lưu {path} ({n} giảng viên).</source>
      <translation>Saved {path} ({n} lecturers).</translation>
    </message>
    <message>
      <source>Đã xuất bảng thanh toán</source>
      <translation type="obsolete">Payment sheet exported</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturer_periods_view.py" />
      <source>Đơn vị, khoa</source>
      <translation>Organisation, faculty</translation>
    </message>
  </context>
  <context>
    <name>lecturers</name>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" />
      <source>Chuyên trách</source>
      <translation>Full-time</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" />
      <source>Chưa lưu được giảng viên.</source>
      <translation>Could not save the lecturer.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" />
      <source>Họ và tên giảng viên không được để trống.</source>
      <translation>The lecturer's full name cannot be empty.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" />
      <source>Không tìm thấy giảng viên cần sửa.</source>
      <translation>The lecturer to be changed was not found.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" />
      <source>Kiêm chức</source>
      <translation>Part-time</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" />
      <source>Loại giảng viên không hợp lệ.</source>
      <translation>Invalid lecturer type.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" />
      <source>Thỉnh giảng</source>
      <translation>Guest</translation>
    </message>
  </context>
  <context>
    <name>lecturers_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Có</source>
      <translation>Yes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Giảng viên</source>
      <translation>Lecturers</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Họ và tên:</source>
      <translation>Full name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Học hàm, học vị</source>
      <translation>Academic title, degree</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Học hàm, học vị:</source>
      <translation>Academic title, degree:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Khoa, phòng</source>
      <translation>Faculty, office</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Khoa, phòng:</source>
      <translation>Faculty, office:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Không</source>
      <translation>No</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Loại giảng viên</source>
      <translation>Lecturer type</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Loại giảng viên:</source>
      <translation>Lecturer type:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Loại:</source>
      <translation>Type:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Lưu</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Mọi loại giảng viên</source>
      <translation>All lecturer types</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Nơi công tác</source>
      <translation>Workplace</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Nơi công tác:</source>
      <translation>Workplace:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Sửa thông tin giảng viên</source>
      <translation>Edit lecturer details</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Thêm giảng viên</source>
      <translation>Add lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Thêm giảng viên mới</source>
      <translation>Add a new lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Tìm theo tên, nơi công tác, điện thoại...</source>
      <translation>Search by name, workplace, phone...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>ví dụ: ThS., TS., PGS.TS.</source>
      <translation>for example: ThS., TS., PGS.TS. (MA, PhD, Assoc. Prof. PhD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>{n} giảng viên</source>
      <translation>{n} lecturers</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>{shown}/{n} giảng viên</source>
      <translation>{shown}/{n} lecturers</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Đang giảng dạy</source>
      <translation>Currently teaching</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Điện thoại</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Điện thoại:</source>
      <translation>Phone:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/lecturers_view.py" />
      <source>Đã lưu giảng viên {name}.</source>
      <translation>Lecturer {name} saved.</translation>
    </message>
  </context>
  <context>
    <name>login</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/login_dialog.py" />
      <source>Mật khẩu:</source>
      <translation>Password:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/login_dialog.py" />
      <source>Thoát</source>
      <translation>Exit</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/login_dialog.py" />
      <source>Tên đăng nhập:</source>
      <translation>User name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/login_dialog.py" />
      <source>Đang kiểm tra mật khẩu...</source>
      <translation>Checking the password...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/login_dialog.py" />
      <source>Đăng nhập</source>
      <translation>Log in</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/login_dialog.py" />
      <source>Đăng nhập DTBD Desktop</source>
      <translation>Log in to DTBD Desktop</translation>
    </message>
  </context>
  <context>
    <name>main</name>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>&amp;Tệp</source>
      <translation>&amp;File</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>&amp;Đi tới</source>
      <translation>&amp;Go</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Báo cáo</source>
      <translation>Reports</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Chương trình</source>
      <translation>Programmes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Cài đặt...</source>
      <translation>Settings...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Các năm trước</source>
      <translation>Past years</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Cơ sở dữ liệu: {url}</source>
      <translation>Database: {url}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>DTBD Desktop – Quản lý đào tạo, bồi dưỡng</source>
      <translation>DTBD Desktop – Training and fostering management</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Giảng viên</source>
      <translation>Lecturers</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Giới thiệu</source>
      <translation>About</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Hướng dẫn sử dụng</source>
      <translation>User guide</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Lớp học</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Quản trị</source>
      <translation>Administration</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Thoát</source>
      <translation>Exit</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Trợ &amp;giúp</source>
      <translation>&amp;Help</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Tổng quan</source>
      <translation>Overview</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Văn bằng, chứng chỉ</source>
      <translation>Diplomas, certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Đang mở cơ sở dữ liệu...</source>
      <translation>Opening the database...</translation>
    </message>
    <message>
      <source>Đơn vị cử học</source>
      <translation type="obsolete">Sending organisations</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" />
      <source>Đơn vị cử đi học</source>
      <translation>Sending organisations</translation>
    </message>
  </context>
  <context>
    <name>organisations</name>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Chưa lưu được đơn vị.</source>
      <translation>Could not save the organisation.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Cơ quan, đơn vị</source>
      <translation>Agencies and organisations</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Cấp huyện</source>
      <translation>District level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Cấp tỉnh</source>
      <translation>Provincial level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Cấp xã</source>
      <translation>Commune level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Cấp đơn vị không hợp lệ.</source>
      <translation>Invalid organisation level.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Khác</source>
      <translation>Other</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Không có đơn vị cấp trên đã chọn.</source>
      <translation>The selected parent organisation does not exist.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Không thể đặt một đơn vị làm cấp dưới của chính nó.</source>
      <translation>An organisation cannot be placed under itself.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Không tìm thấy đơn vị cần sửa.</source>
      <translation>The organisation to be changed was not found.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Không tìm thấy đơn vị cần xóa.</source>
      <translation>The organisation to be deleted was not found.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Khối chính quyền</source>
      <translation>Government bloc</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Khối không hợp lệ.</source>
      <translation>Invalid bloc.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Khối Đảng</source>
      <translation>Party bloc</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Mặt trận Tổ quốc</source>
      <translation>Fatherland Front</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Tên đơn vị không được để trống.</source>
      <translation>The organisation name cannot be empty.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Đoàn thể</source>
      <translation>Mass organisations</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Đã có đơn vị '{name}' ở cùng cấp trên.</source>
      <translation>There is already an organisation '{name}' under the same parent.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Đơn vị '{name}' còn đơn vị cấp dưới; hãy xóa hoặc chuyển chúng trước.</source>
      <translation>Organisation '{name}' still has subordinate organisations; delete or move them first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" />
      <source>Đơn vị '{name}' đã có học viên nên không xóa được.</source>
      <translation>Organisation '{name}' already has learners, so it cannot be deleted.</translation>
    </message>
  </context>
  <context>
    <name>organisations_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>(Không – đơn vị cấp cao nhất)</source>
      <translation>(None – top-level organisation)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Cấp</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Cấp:</source>
      <translation>Level:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Khối</source>
      <translation>Bloc</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Khối:</source>
      <translation>Bloc:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Lưu</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Sửa đơn vị: {name}</source>
      <translation>Edit organisation: {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Thêm đơn vị cấp cao nhất</source>
      <translation>Add top-level organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Thêm đơn vị trực thuộc</source>
      <translation>Add subordinate organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Thêm đơn vị trực thuộc {name}</source>
      <translation>Add an organisation under {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Trực thuộc:</source>
      <translation>Under:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Tên viết tắt:</source>
      <translation>Abbreviation:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Tên đơn vị</source>
      <translation>Organisation name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Tên đơn vị:</source>
      <translation>Organisation name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Tìm đơn vị (gõ có dấu hoặc không dấu)...</source>
      <translation>Find an organisation (with or without diacritics)...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Xóa đơn vị</source>
      <translation>Delete organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Xóa đơn vị "{name}"?</source>
      <translation>Delete organisation "{name}"?</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>{n} đơn vị</source>
      <translation>{n} organisations</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>{n} đơn vị khớp với tìm kiếm</source>
      <translation>{n} organisations match the search</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Đã lưu đơn vị "{name}".</source>
      <translation>Organisation "{name}" saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Đã xóa đơn vị "{name}".</source>
      <translation>Organisation "{name}" deleted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/organisations_view.py" />
      <source>Đơn vị cử đi học</source>
      <translation>Sending organisations</translation>
    </message>
  </context>
  <context>
    <name>outgoing</name>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source> loại {kind}</source>
      <translation> of kind {kind}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Ghi chú</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Ngày tháng</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Người ký</source>
      <translation>Signer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Nơi nhận</source>
      <translation>Recipients</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Số cấp ngoài chương trình</source>
      <translation>Numbered outside the program</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Số {kind} chưa có trong sổ: {numbers}. Vào sổ các văn bản đã cấp số ngoài chương trình để sổ đủ số.</source>
      <translation>{kind} numbers missing from the register: {numbers}. Enter the documents numbered outside the program so that no number is missing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Số, ký hiệu</source>
      <translation>Number and symbol</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year}</source>
      <translation>REGISTER OF OUTGOING DOCUMENTS {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Sổ văn bản đi năm {year} chưa có văn bản nào{kind}.</source>
      <translation>The {year} outgoing register has no documents{kind} yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Sổ văn bản đi {year}</source>
      <translation>Outgoing register {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Sổ đăng ký văn bản đi năm {year}</source>
      <translation>Register of outgoing documents {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Tên loại và trích yếu nội dung</source>
      <translation>Kind and summary</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>{kind} ({abbr}): {n} văn bản</source>
      <translation>{kind} ({abbr}): {n} documents</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/outgoing_report.py" />
      <source>Đã hủy: {reason}</source>
      <translation>Voided: {reason}</translation>
    </message>
  </context>
  <context>
    <name>outgoing_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Ghi chú</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Hủy số</source>
      <translation>Void number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Hủy số...</source>
      <translation>Void number...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>In sổ (Excel)...</source>
      <translation>Print the register (Excel)...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>In sổ (PDF)...</source>
      <translation>Print the register (PDF)...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>In sổ văn bản đi năm {year}</source>
      <translation>Print the {year} outgoing register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Loại</source>
      <translation>Kind</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Loại văn bản:</source>
      <translation>Document kind:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Loại:</source>
      <translation>Kind:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Lý do hủy số {symbol} (dòng vẫn giữ trong sổ):</source>
      <translation>Why number {symbol} is voided (the line stays in the register):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Mọi loại</source>
      <translation>All kinds</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Ngày</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Ngày ký:</source>
      <translation>Signing date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Người ký</source>
      <translation>Signer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Người ký:</source>
      <translation>Signer:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Nơi nhận</source>
      <translation>Recipients</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Nơi nhận (mỗi nơi một dòng):</source>
      <translation>Recipients (one per line):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Số (nếu đã cấp ngoài chương trình):</source>
      <translation>Number (if given outside the program):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Số chưa có trong sổ (đã cấp ngoài chương trình?): {gaps}</source>
      <translation>Numbers missing from the register (given outside the program?): {gaps}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Số, ký hiệu</source>
      <translation>Number and symbol</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Trích yếu</source>
      <translation>Summary</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Trích yếu:</source>
      <translation>Summary:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Vào sổ văn bản đi</source>
      <translation>Enter an outgoing document</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Vào sổ văn bản...</source>
      <translation>Enter a document...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>số cấp ngoài chương trình</source>
      <translation>numbered outside the program</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>{kind}: {numbers}</source>
      <translation>{kind}: {numbers}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Đang in sổ...</source>
      <translation>Printing the register...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Đã hủy số {symbol}.</source>
      <translation>Voided number {symbol}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Đã lưu {path}.</source>
      <translation>Saved {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>Đã vào sổ số {symbol} ngày {date}.</source>
      <translation>Entered number {symbol} of {date}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>đã hủy: {reason}</source>
      <translation>voided: {reason}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/outgoing_view.py" />
      <source>để trống: lấy số tiếp theo</source>
      <translation>empty: the next number</translation>
    </message>
  </context>
  <context>
    <name>past</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Bản sao văn bằng từ sổ gốc, giấy xác nhận tốt nghiệp</source>
      <translation>Copies of diplomas from the register, graduation confirmations</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Bảng tính Excel (*.xlsx *.xls)</source>
      <translation>Excel workbooks (*.xlsx *.xls)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Bằng tốt nghiệp</source>
      <translation>Graduation diploma</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Chưa nhập được: {n} lỗi (trang, dòng, cột ở bảng dưới). Sửa tệp rồi kiểm tra lại.</source>
      <translation>Not imported yet: {n} errors (sheet, row and column in the table below). Correct the file, then check again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Chương trình:</source>
      <translation>Programme:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Chọn một cặp hồ sơ trong bảng.</source>
      <translation>Select a pair of records in the table.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Chọn tệp bảng điểm trước.</source>
      <translation>Choose the score sheet file first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Chọn tệp sổ gốc</source>
      <translation>Choose the register file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Chọn tệp sổ gốc trước.</source>
      <translation>Choose the register file first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Chọn tệp sổ gốc...</source>
      <translation>Choose register file...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Chọn tệp...</source>
      <translation>Choose file...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Cấp bản sao...</source>
      <translation>Issue copy...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Cần sửa</source>
      <translation>Needs correcting</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Cột</source>
      <translation>Column</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Dòng</source>
      <translation>Row</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Dữ liệu các năm trước</source>
      <translation>Past years' data</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Giấy chứng nhận</source>
      <translation>Certificate</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Giấy xác nhận...</source>
      <translation>Confirmation...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Gộp thành một người</source>
      <translation>Merge into one person</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Hai người khác nhau</source>
      <translation>Different people</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Hoàn tác gộp</source>
      <translation>Undo merge</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Học viên có thể trùng (cùng họ tên, ngày sinh; không có CCCD để phân biệt)</source>
      <translation>Possible duplicate learners (same full name and date of birth; no national ID to tell them apart)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Hồ sơ giữ</source>
      <translation>Record kept</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Hồ sơ kia</source>
      <translation>Other record</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Không nhập bảng điểm: {n} lỗi; không có gì bị thay đổi.</source>
      <translation>Score sheet not imported: {n} errors; nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Không nhập: {n} lỗi; không có gì bị thay đổi.</source>
      <translation>Not imported: {n} errors; nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Kiểm tra</source>
      <translation>Check</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Loại văn bằng:</source>
      <translation>Document type:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/copy_papers.py" />
      <source>Lưu tệp PDF</source>
      <translation>Save PDF file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Lớp </source>
      <translation>Class </translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Ngày cấp:</source>
      <translation>Issue date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Người yêu cầu:</source>
      <translation>Requester:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Nhập</source>
      <translation>Import</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Nhập bảng điểm cũ</source>
      <translation>Import old score sheets</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Nhập số hiệu văn bằng.</source>
      <translation>Enter the diploma serial number.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Nhập sổ gốc cũ (Excel .xlsx hoặc .xls: mỗi trang một lớp)</source>
      <translation>Import an old register (Excel .xlsx or .xls: one class per sheet)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Sẽ nhập {n} dòng sổ gốc, {k} lớp ({classes}); {new} hồ sơ mới, {dup} người có thể trùng. Bấm Nhập để ghi.</source>
      <translation>Will import {n} register lines, {k} classes ({classes}); {new} new records, {dup} possible duplicates. Click Import to save.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Số hiệu văn bằng, ví dụ 0012/TC-2016</source>
      <translation>Diploma serial number, e.g. 0012/TC-2016</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Số hiệu:</source>
      <translation>Serial number:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Theo dòng tiêu đề của sổ</source>
      <translation>From the register's heading row</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Trang</source>
      <translation>Sheet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Tìm thấy ở</source>
      <translation>Found in</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Tình trạng</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Tệp:</source>
      <translation>File:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Xác nhận gộp</source>
      <translation>Confirm merge</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>{kept} – {other}: {status}.</source>
      <translation>{kept} – {other}: {status}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Đang nhập bảng điểm</source>
      <translation>Importing score sheets</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Đang nhập sổ gốc</source>
      <translation>Importing the register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Đang đọc tệp {file}</source>
      <translation>Reading file {file}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/copy_papers.py" />
      <source>Đã cấp bản sao số {number} ({name}) vào {path}.</source>
      <translation>Issued copy no. {number} ({name}), saved to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/copy_papers.py" />
      <source>Đã in giấy xác nhận số {number} ({name}) vào {path}.</source>
      <translation>Printed confirmation no. {number} ({name}), saved to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Đã nhập {n} dòng sổ gốc vào {k} lớp ({classes}).</source>
      <translation>Imported {n} register lines into {k} classes ({classes}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/past_view.py" />
      <source>Đã nhập {n} điểm của {k} lớp.</source>
      <translation>Imported {n} scores for {k} classes.</translation>
    </message>
  </context>
  <context>
    <name>past_import</name>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/reading.py" />
      <source>'{value}' dài quá {n} ký tự: kiểm tra lại ô này.</source>
      <translation>'{value}' is longer than {n} characters: check this cell.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/reading.py" />
      <source>Dòng {row} có vẻ là một học viên nhưng nằm ngoài bảng (bảng kết thúc ở dòng {end}): xóa dòng trống hoặc dòng ghi chú xen giữa, rồi nhập lại.</source>
      <translation>Row {row} looks like a learner but lies outside the table (the table ends at row {end}): delete the blank or note rows in between, then import again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Hình thức đào tạo</source>
      <translation>Study mode</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Khóa học</source>
      <translation>Course</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Không biết trang '{sheet}' là sổ của chương trình nào: dòng tiêu đề cần ghi bậc (sơ cấp, trung cấp, cao cấp) hoặc tên chương trình; hoặc chọn chương trình khi nhập (--programme).</source>
      <translation>Cannot tell which programme the register on sheet '{sheet}' belongs to: the title rows should name the level (sơ cấp, trung cấp, cao cấp) or the programme; or choose the programme when importing (--programme).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Không có chương trình mã '{code}': xem danh sách bằng dtbd programmes list.</source>
      <translation>There is no programme with code '{code}': see the list with dtbd programmes list.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/importing.py" />
      <source>Không tìm thấy bảng sổ gốc trong tệp {file}: bảng cần một dòng tiêu đề có cột 'Họ và tên', 'Ngày sinh' và 'Số hiệu'.</source>
      <translation>No register table found in file {file}: the table needs a header row with the columns 'Họ và tên', 'Ngày sinh' and 'Số hiệu'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/results.py" />
      <source>Không tìm thấy bảng điểm trong tệp {file}.</source>
      <translation>No score table found in file {file}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/results.py" />
      <source>Không tìm thấy {name} (sinh {birth}) trong lớp {code}: kiểm tra họ tên, ngày sinh.</source>
      <translation>{name} (born {birth}) not found in class {code}: check the full name and date of birth.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Loại văn bằng '{kind}' không có: chọn diploma (bằng tốt nghiệp) hoặc certificate (giấy chứng nhận).</source>
      <translation>There is no document kind '{kind}': choose diploma or certificate.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/results.py" />
      <source>Lớp {code} chưa có trong chương trình: nhập sổ gốc của lớp trước (dtbd register import), rồi nhập bảng điểm.</source>
      <translation>Class {code} is not in the program yet: import the class's register first (dtbd register import), then import the scores.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Ngày cấp</source>
      <translation>Issue date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Ngày quyết định</source>
      <translation>Decision date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/reading.py" />
      <source>Ngày {date} ở tương lai: kiểm tra lại.</source>
      <translation>The date {date} is in the future: please check it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/results.py" />
      <source>Nhập bảng điểm cũ {file}</source>
      <translation>Import old score sheet {file}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/writing.py" />
      <source>Nhập từ sổ gốc cũ (tệp {file}, trang '{sheet}', dòng {row}); cấp trước khi dùng chương trình, không có chữ ký số.</source>
      <translation>Imported from a past register (file {file}, sheet '{sheet}', row {row}); issued before the program, not digitally signed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/writing.py" />
      <source>Nhập từ sổ gốc cũ: tệp {file}, trang '{sheet}'.</source>
      <translation>Imported from a past register: file {file}, sheet '{sheet}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Số CCCD {id} đã có ở một dòng khác của trang này: một người chỉ ghi một lần trong một lớp.</source>
      <translation>National ID {id} is already on another row of this sheet: each person is listed only once in a class.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Số CCCD {id} đã thuộc {name} (sinh {birth}), khác với dòng này: kiểm tra lại số CCCD, họ tên và ngày sinh.</source>
      <translation>National ID {id} already belongs to {name} (born {birth}), who differs from this row: check the national ID, full name and date of birth.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Số hiệu</source>
      <translation>Serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Số hiệu {serial} trùng với trang '{sheet}' dòng {row}: mỗi văn bằng một số hiệu; kiểm tra lại.</source>
      <translation>Serial number {serial} repeats sheet '{sheet}' row {row}: each document has its own serial number; check again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Số hiệu {serial} đã có trong sổ gốc ({name}, năm {year}): trang này có thể đã được nhập; xóa dòng này hoặc kiểm tra lại số hiệu.</source>
      <translation>Serial number {serial} is already in the register ({name}, {year}): this sheet may already have been imported; delete this row or check the serial number.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Số quyết định</source>
      <translation>Decision number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Số vào sổ</source>
      <translation>Register number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Số vào sổ {number} trùng với trang '{sheet}' dòng {row}: kiểm tra lại.</source>
      <translation>Register number {number} repeats sheet '{sheet}' row {row}: check again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Số, ngày quyết định</source>
      <translation>Decision number and date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Thiếu ngày cấp: ghi ngày cấp dạng dd/mm/yyyy.</source>
      <translation>Issue date missing: enter the issue date as dd/mm/yyyy.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Thiếu số hiệu văn bằng: ghi số hiệu như trên sổ gốc giấy.</source>
      <translation>Diploma serial number missing: enter the serial number as it appears in the paper register.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/writing.py" />
      <source>Trang '{sheet}' dòng {row}</source>
      <translation>Sheet '{sheet}' row {row}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Trang '{sheet}' không có cột 'Số hiệu' (số hiệu văn bằng): sổ gốc cần cột này; sửa tiêu đề cột rồi nhập lại.</source>
      <translation>Sheet '{sheet}' has no 'Số hiệu' column (serial number): a register needs it; fix the column heading and import again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/results.py" />
      <source>Trang '{sheet}' không có cột nào mang tên học phần của chương trình lớp {code}: ghi tên học phần ở dòng tiêu đề.</source>
      <translation>Sheet '{sheet}' has no column named after a module of class {code}'s programme: write the module names in the header row.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Trang '{sheet}' không có dòng học viên nào dưới dòng tiêu đề.</source>
      <translation>Sheet '{sheet}' has no learner rows under its header row.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>Trang '{sheet}' không ghi ngày cấp, ngày quyết định hay thời gian học: thêm cột 'Ngày cấp' hoặc ghi quyết định (số, ngày) ở dòng tiêu đề.</source>
      <translation>Sheet '{sheet}' gives no issue date, decision date or course dates: add a 'Ngày cấp' column or write the decision (number, date) in the title rows.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/writing.py" />
      <source>Tệp {file}, trang '{sheet}', dòng {row}</source>
      <translation>File {file}, sheet '{sheet}', row {row}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Xếp loại</source>
      <translation>Classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>chưa học lớp nào</source>
      <translation>has not attended any class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/reading.py" />
      <source>ghi ngày dạng dd/mm/yyyy</source>
      <translation>enter dates as dd/mm/yyyy</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/reading.py" />
      <source>ghi điểm từ 0 đến 10</source>
      <translation>enter scores from 0 to 10</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>{name}, sinh {birth}, lớp: {classes}</source>
      <translation>{name}, born {birth}, classes: {classes}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/plan.py" />
      <source>{name}, sinh {birth}, trang '{sheet}' dòng {row} của tệp này</source>
      <translation>{name}, born {birth}, sheet '{sheet}' row {row} of this file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/writing.py" />
      <source>{programme} - {code}</source>
      <translation>{programme} - {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/reading.py" />
      <source>Ô này chỉ ghi năm: ghi đủ ngày dạng dd/mm/yyyy.</source>
      <translation>This cell has only the year: enter the full date as dd/mm/yyyy.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/past/columns.py" />
      <source>Điểm trung bình</source>
      <translation>Average score</translation>
    </message>
  </context>
  <context>
    <name>plan_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Chỉ tiêu HV</source>
      <translation>Learner target</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Chỉ tiêu kế hoạch</source>
      <translation>Plan targets</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Chỉ tiêu lớp</source>
      <translation>Class target</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Dang ky nhu cau {year}.xlsx</source>
      <translation>Needs registration {year}.xlsx</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Excel (*.xlsx)</source>
      <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Ghi</source>
      <translation>Record</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Ghi chú</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Ghi số học viên đơn vị đăng ký (0: bỏ đăng ký).</source>
      <translation>Record the number of learners the organisation registers (0: cancel the registration).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Lưu kế hoạch</source>
      <translation>Save plan</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Lấy đề xuất từ nhu cầu</source>
      <translation>Take proposals from needs</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Nhu cầu các đơn vị đăng ký</source>
      <translation>Needs registered by organisations</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Nhu cầu ĐK</source>
      <translation>Registered need</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Nhập phiếu đăng ký nhu cầu</source>
      <translation>Import needs registration forms</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Nhập phiếu đăng ký...</source>
      <translation>Import registration forms...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Năm {year}: {n} ô có số, {c} dòng nhu cầu thay đổi.</source>
      <translation>{year}: {n} cells with numbers, {c} need lines changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Sĩ số TB</source>
      <translation>Avg. class size</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Số học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Sửa trực tiếp các cột Chỉ tiêu lớp, Chỉ tiêu HV và Ghi chú, rồi bấm Lưu kế hoạch.</source>
      <translation>Edit the Class target, Learner target and Notes columns directly, then click Save plan.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Sửa trực tiếp ô này rồi bấm Lưu kế hoạch.</source>
      <translation>Edit this cell directly, then click Save plan.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>TH học viên</source>
      <translation>Actual learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>TH lớp</source>
      <translation>Actual classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Xuất phiếu đăng ký nhu cầu</source>
      <translation>Export needs registration form</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Xuất phiếu đăng ký...</source>
      <translation>Export registration form...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>ĐK: đăng ký; TH: thực hiện; HV: học viên.</source>
      <translation>Registered need: learners registered by organisations; Actual: classes opened and learners enrolled so far.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Đã lưu {path} ({n} đơn vị).</source>
      <translation>Saved {path} ({n} organisations).</translation>
    </message>
    <message>
      <source>Đã nhập phiếu đăng ký</source>
      <translation type="obsolete">Registration forms imported</translation>
    </message>
    <message>
      <source>Đã xuất phiếu đăng ký</source>
      <translation type="obsolete">Registration form exported</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Đơn vị:</source>
      <translation>Organisation:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Đạt (lớp / HV)</source>
      <translation>Achieved (classes / learners)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Đặt chỉ tiêu năm {year} theo nhu cầu đã đăng ký cho các chương trình chưa có chỉ tiêu?</source>
      <translation>Set the {year} targets from the registered needs for the programmes that have no targets yet?</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/plan_view.py" />
      <source>Đề xuất lớp</source>
      <translation>Proposed classes</translation>
    </message>
  </context>
  <context>
    <name>plans</name>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Chưa lưu kế hoạch năm {year}.</source>
      <translation>The {year} plan was not saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Chưa lưu nhu cầu đào tạo năm {year}.</source>
      <translation>The {year} training needs were not saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Chưa nhập phiếu đăng ký {name}: có {n} lỗi, không có gì bị thay đổi.</source>
      <translation>Registration form {name} not imported: {n} errors, nothing was changed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Chỉ tiêu số học viên</source>
      <translation>Learner target</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Chỉ tiêu số lớp</source>
      <translation>Class target</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Cấp</source>
      <translation>Level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Cột {letter}: không có chương trình mã '{code}'.</source>
      <translation>Column {letter}: there is no programme with code '{code}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Dòng {row}: không tìm thấy đơn vị '{name}' trong danh mục đơn vị; hãy thêm đơn vị trước hoặc ghi đúng tên.</source>
      <translation>Row {row}: organisation '{name}' was not found in the list of organisations; add the organisation first or write its name correctly.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Dòng {row}: đơn vị '{name}' đã có ở dòng {first}.</source>
      <translation>Row {row}: organisation '{name}' already appears in row {first}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Ghi chú</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Hãy xuất phiếu đăng ký nhu cầu bằng chương trình (Báo cáo → Kế hoạch) rồi nhập lại.</source>
      <translation>Export the needs registration form from the program (Reports → Plan) and import it again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <location filename="../../dtbd_desktop/services/plans.py" />
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Không có chương trình mã '{code}'.</source>
      <translation>There is no programme with code '{code}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Không có đơn vị đã chọn.</source>
      <translation>The selected organisation does not exist.</translation>
    </message>
    <message>
      <source>Không tìm thấy tệp {path}.</source>
      <translation type="obsolete">File {path} not found.</translation>
    </message>
    <message>
      <source>Không đọc được tệp {path} như một bảng tính Excel (.xlsx): {error}.</source>
      <translation type="obsolete">Could not read file {path} as an Excel workbook (.xlsx): {error}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Nhu cầu {year}</source>
      <translation>Needs {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Nhập số nguyên từ 0 trở lên, hoặc để trống.</source>
      <translation>Enter a whole number from 0 up, or leave it empty.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Năm '{year}' không hợp lệ (ví dụ: 2026).</source>
      <translation>Invalid year '{year}' (for example: 2026).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Năm {year}, thực hiện {phrase} so với kế hoạch</source>
      <translation>In {year}, actual against plan: {phrase}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>STT</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Số học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Số học viên đăng ký</source>
      <translation>Learners registered</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Tệp {name} không ghi năm của phiếu đăng ký.</source>
      <translation>File {name} does not state the year of the registration form.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Tệp {name} không phải bảng tính do chương trình xuất ra (thiếu trang '{meta}'). {hint}</source>
      <translation>File {name} is not a workbook exported by the program (sheet '{meta}' is missing). {hint}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Tệp {name} là một bảng tính khác của chương trình, không phải loại này. {hint}</source>
      <translation>File {name} is a different kind of workbook from the program, not this one. {hint}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Tệp {name} là phiếu đăng ký năm {other}, không phải năm {year}.</source>
      <translation>File {name} is the registration form for {other}, not {year}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>Tổng cộng</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>ngoài ra {c} lớp chuyển tiếp từ năm {y} ({l} học viên)</source>
      <translation>in addition, {c} classes carried over from {y} ({l} learners)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>trong đó {c} lớp chuyển tiếp từ năm {y} ({l} học viên)</source>
      <translation>including {c} classes carried over from {y} ({l} learners)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>{centre}. Ghi số học viên dự kiến cử đi học vào cột của chương trình; để trống nếu không có nhu cầu, ghi 0 để bỏ số đã đăng ký. Không sửa dòng tiêu đề.</source>
      <translation>{centre}. Enter the expected number of learners to send in the programme's column; leave it empty if there is no need, enter 0 to remove a number already registered. Do not change the heading row.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>{c} lớp sắp khai giảng ({l} học viên)</source>
      <translation>{c} classes about to open ({l} learners)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/plans.py" />
      <source>{label} phải là số nguyên từ 0 đến {max}.</source>
      <translation>{label} must be a whole number from 0 to {max}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Ô {cell}: '{value}' không phải số học viên (số nguyên từ 0).</source>
      <translation>Cell {cell}: '{value}' is not a number of learners (a whole number from 0).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>ĐĂNG KÝ NHU CẦU ĐÀO TẠO, BỒI DƯỠNG NĂM {year}</source>
      <translation>REGISTRATION OF TRAINING AND FOSTERING NEEDS FOR {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Đăng ký nhu cầu đào tạo, bồi dưỡng năm {year}</source>
      <translation>Registration of training and fostering needs for {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/needs.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
  </context>
  <context>
    <name>print_dialog</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Bản nháp: để trống số, không ghi vào sổ</source>
      <translation>Draft: number left blank, nothing entered in the register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Chọn...</source>
      <translation>Choose...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>In</source>
      <translation>Print</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Khi in, văn bản lấy số tiếp theo trong sổ văn bản đi của năm ký; in lại giữ số đó.</source>
      <translation>When printed, the document takes the next number of the outgoing register of its signing year; a reprint keeps it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Lưu vào tệp:</source>
      <translation>Save to file:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Lấy số tiếp theo trong sổ văn bản đi</source>
      <translation>Take the next number of the outgoing register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Ngày ký:</source>
      <translation>Signing date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Người ký:</source>
      <translation>Signer:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Số văn bản:</source>
      <translation>Document number:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Thủ trưởng</source>
      <translation>The head</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Tài khoản này không được lấy số văn bản: chỉ in bản nháp.</source>
      <translation>This account may not number documents: drafts only.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>{deputy} (ký thay)</source>
      <translation>{deputy} (on behalf)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/print_dialog.py" />
      <source>Đã vào sổ: số {number} ngày {date}. In lại giữ số và ngày này.</source>
      <translation>Numbered: {number} of {date}. A reprint keeps this number and date.</translation>
    </message>
  </context>
  <context>
    <name>programmes_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Buộc thôi học</source>
      <translation>Expulsion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Bồi dưỡng</source>
      <translation>Fostering</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Chương trình</source>
      <translation>Programmes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Chương trình đào tạo, bồi dưỡng</source>
      <translation>Training and fostering programmes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Các học phần như nhau</source>
      <translation>All modules equal</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Cách tính điểm trung bình</source>
      <translation>How the average is calculated</translation>
    </message>
    <message>
      <source>Căn cứ (in trên báo cáo áp dụng quy định):</source>
      <translation type="obsolete">Basis (printed on reports applying the rules):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Căn cứ pháp lý (in trên quyết định, danh sách, công văn):</source>
      <translation>Legal basis (printed on decisions, lists, letters):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Dòng {row}</source>
      <translation>Row {row}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Giới hạn vắng</source>
      <translation>Absence limit</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Học bổ sung:</source>
      <translation>Make-up lessons:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Học phần, chuyên đề (nhấn đúp vào ô để sửa):</source>
      <translation>Modules and topics (double-click a cell to edit):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>In sau chữ “Căn cứ” trên quyết định, danh sách, bảng điểm, công văn. Không để ghi chú hay chỗ trống: văn bản có ghi chú sẽ không lưu được.</source>
      <translation>Printed after “Căn cứ” on decisions, lists, score sheets and letters. No notes or blanks: a text with a note is not saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Khóa bồi dưỡng:</source>
      <translation>Fostering course:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Khóa luận</source>
      <translation>Thesis</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Không áp dụng</source>
      <translation>Not applicable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Kết quả khóa học</source>
      <translation>Course result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Kết quả khóa học:</source>
      <translation>Course result:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Kỷ luật hạ một mức</source>
      <translation>Discipline lowering one band</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Kỷ luật hạ một mức:</source>
      <translation>Discipline lowering one band:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Kỷ luật không công nhận</source>
      <translation>Discipline barring recognition</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Kỷ luật không công nhận:</source>
      <translation>Discipline barring recognition:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/modules_model.py" />
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Loại</source>
      <translation>Type</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Lên</source>
      <translation>Up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Lưu chương trình</source>
      <translation>Save programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Lưu quy định</source>
      <translation>Save rules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Lưu ý: nếu đã có lớp áp dụng quy định hiện hành, khi lưu sẽ tạo một phiên bản quy định mới cho các lớp mở sau; các lớp đã mở giữ nguyên quy định cũ.</source>
      <translation>Note: if classes already apply the current rules, saving creates a new version of the rules for classes opened later; classes already open keep the old rules.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Lần thi cao nhất</source>
      <translation>Best attempt</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Lần thi sau cùng</source>
      <translation>Latest attempt</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Lần thi được tính</source>
      <translation>Attempt counted</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Lần thi được tính:</source>
      <translation>Attempt counted:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/modules_model.py" />
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Mã</source>
      <translation>Code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Mô tả</source>
      <translation>Description</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Mô tả:</source>
      <translation>Description:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Mỗi văn bản một dòng: loại, số, ngày, cơ quan ban hành và tên văn bản</source>
      <translation>One regulation per line: kind, number, date, issuing body and title</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Mức xếp loại</source>
      <translation>Classification bands</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/modules_model.py" />
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Phần</source>
      <translation>Part</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Quy định hiện hành: &lt;b&gt;{name}&lt;/b&gt; (mã số {id}).</source>
      <translation>Current rules: &lt;b&gt;{name}&lt;/b&gt; (ID {id}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Quy định đánh giá, xếp loại</source>
      <translation>Assessment and classification rules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Số chữ số lẻ khi in</source>
      <translation>Decimal places when printing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Số chữ số lẻ khi xếp loại</source>
      <translation>Decimal places for classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Số chữ số lẻ:</source>
      <translation>Decimal places:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Số lớp</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/modules_model.py" />
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Số tiết</source>
      <translation>Periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Theo số tiết của học phần</source>
      <translation>By module periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Thi lại:</source>
      <translation>Retakes:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Thi tốt nghiệp</source>
      <translation>Graduation exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Thêm học phần</source>
      <translation>Add module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Thêm mức</source>
      <translation>Add band</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Thông tin và học phần</source>
      <translation>Details and modules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Tên bộ quy định:</source>
      <translation>Name of the rule set:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Tên chương trình</source>
      <translation>Programme name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Tên chương trình:</source>
      <translation>Programme name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/modules_model.py" />
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Tên học phần</source>
      <translation>Module name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Tính là vắng</source>
      <translation>Counted as absent</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Tính là vắng:</source>
      <translation>Counted as absent:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Tổng: {n} học phần, {p} tiết</source>
      <translation>Total: {n} modules, {p} periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Từ cảnh cáo trở lên</source>
      <translation>Warning or worse</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Từ khiển trách trở lên</source>
      <translation>Reprimand or worse</translation>
    </message>
    <message>
      <source>Ví dụ: Quy định số .../QĐ-TCT ngày ...</source>
      <translation type="obsolete">For example: Regulation no. .../QĐ-TCT dated ...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Vắng quá (% số tiết):</source>
      <translation>Absent for more than (% of periods):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Xuống</source>
      <translation>Down</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Xác nhận của đơn vị:</source>
      <translation>Organisation's confirmation:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Xóa dòng</source>
      <translation>Delete row</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Xóa mức</source>
      <translation>Delete band</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Xếp loại (Xuất sắc, Giỏi...)</source>
      <translation>Classification (Excellent, Very good...)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>bài thu hoạch xếp theo các mức</source>
      <translation>written reflection graded in bands</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>bắt buộc trước khi xét tốt nghiệp</source>
      <translation>required before the graduation review</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>chưa có</source>
      <translation>none</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>có học phần thi lại thì hạ một mức</source>
      <translation>lower one band if any module was retaken</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>học đủ số tiết thì được dự thi</source>
      <translation>may sit the exam once enough periods are made up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>khi in</source>
      <translation>for printing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>khi xếp loại,</source>
      <translation>for classification,</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>vắng có phép</source>
      <translation>excused absence</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>vắng không phép</source>
      <translation>unexcused absence</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>{code} – {name} ({kind}, {n} lớp)</source>
      <translation>{code} – {name} ({kind}, {n} classes)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>{name} (ngừng sử dụng)</source>
      <translation>{name} (no longer used)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Đang sử dụng (được mở lớp mới)</source>
      <translation>In use (new classes may be opened)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Điểm trung bình:</source>
      <translation>Average:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Điểm tối thiểu</source>
      <translation>Minimum score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Điểm đạt</source>
      <translation>Pass mark</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/rules_editor.py" />
      <source>Điểm đạt (thang 10):</source>
      <translation>Pass mark (10-point scale):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Đào tạo</source>
      <translation>Training</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Đã lưu chương trình {code}.</source>
      <translation>Programme {code} saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Đã lưu quy định "{name}".</source>
      <translation>Rules "{name}" saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/programmes_view.py" />
      <source>Đã tạo phiên bản quy định mới "{name}"; các lớp đã mở giữ quy định cũ.</source>
      <translation>Created a new version of the rules "{name}"; classes already open keep the old rules.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>Đạt / Không đạt</source>
      <translation>Pass / Fail</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/programme_parts.py" />
      <source>đi muộn</source>
      <translation>late</translation>
    </message>
  </context>
  <context>
    <name>report_texts</name>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source> với chỉ tiêu {c} lớp, {n} học viên</source>
      <translation> with a target of {c} classes, {n} learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>Các lớp kết thúc trong năm có {n} học viên được xét tốt nghiệp, hoàn thành khóa học; {ok} học viên đạt yêu cầu ({share}).</source>
      <translation>The classes that ended this year had {n} learners reviewed for graduation or completion; {ok} passed ({share}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>Năm {year} không hợp lệ.</source>
      <translation>Year {year} is not valid.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>Năm {year}, {centre} tiếp tục thực hiện kế hoạch đào tạo, bồi dưỡng được cấp ủy phê duyệt{goal}.</source>
      <translation>In {year}, {centre} continues the training plan approved by the Party committee{goal}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>Phương hướng, nhiệm vụ</source>
      <translation>Directions and tasks</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>Phối hợp chặt chẽ với các cơ quan, đơn vị cử cán bộ đi học trong quản lý, đánh giá học viên; nâng cao chất lượng đội ngũ giảng viên, đổi mới phương pháp giảng dạy; theo dõi, đánh giá cán bộ sau đào tạo, bồi dưỡng.</source>
      <translation>Work closely with the sending organisations in managing and assessing learners; raise the quality of the lecturers and renew teaching methods; follow up and assess cadres after training.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>Qua {n} phiếu phản hồi, {share} học viên hài lòng hoặc rất hài lòng với nội dung, phương pháp giảng dạy và tác phong của giảng viên.</source>
      <translation>From {n} feedback forms, {share} of learners were satisfied or very satisfied with the lecturers' content, methods and manner.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>Quá dài.</source>
      <translation>Too long.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>{label} dài quá {n} ký tự.</source>
      <translation>{label} is longer than {n} characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>{summary} {centre} đã phối hợp chặt chẽ với các cơ quan, đơn vị cử cán bộ đi học trong tổ chức lớp học, quản lý và đánh giá học viên.</source>
      <translation>{summary} {centre} worked closely with the sending organisations in running the classes and managing and assessing learners.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/report_texts.py" />
      <source>Đánh giá chung</source>
      <translation>General assessment</translation>
    </message>
  </context>
  <context>
    <name>reports</name>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source> (thi, kiểm tra)</source>
      <translation> (exam, test)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source> (đi thực tế{topic})</source>
      <translation> (field trip{topic})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <source> cho đến khi học bổ sung đủ số tiết còn thiếu</source>
      <translation> until the missing periods are made up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source> khi tách sổ theo từng loại văn bằng</source>
      <translation> when the registers were split by kind of document</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <source> và </source>
      <translation> and </translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>(*) điểm sau thi lại, tính {counted}; (…) chưa đủ điểm thành phần; ô trống: chưa có điểm.</source>
      <translation>(*) score after retake, counting the {counted}; (…) component scores incomplete; empty cell: no score yet.</translation>
    </message>
    <message>
      <source>(Chưa có văn bằng nào.)</source>
      <translation type="obsolete">(No diplomas yet.)</translation>
    </message>
    <message>
      <source>(Không có việc cấp lại hoặc thu hồi nào.)</source>
      <translation type="obsolete">(No reissues or revocations.)</translation>
    </message>
    <message>
      <source>(Kèm theo Quyết định số {number} {date})</source>
      <translation type="obsolete">(Attached to Decision no. {number} {date})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>(Ký, ghi rõ họ tên)</source>
      <translation>(Signature and full name)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>(SỔ CHUNG CÁC BẬC, TRƯỚC KHI TÁCH SỔ)</source>
      <translation>(COMMON REGISTER OF ALL LEVELS, BEFORE THE SPLIT)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>, học từ ngày {start} đến ngày {end}</source>
      <translation>, studying from {start} to {end}</translation>
    </message>
    <message>
      <source>- Giảng viên chủ nhiệm lớp;</source>
      <translation type="obsolete">- The class's homeroom lecturer;</translation>
    </message>
    <message>
      <source>- Lưu: VT, phòng Đào tạo.</source>
      <translation type="obsolete">- Filed: Records, Training office.</translation>
    </message>
    <message>
      <source>- Như trên;</source>
      <translation type="obsolete">- As above;</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>0 văn bằng</source>
      <translation>0 documents</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>; giảng viên: {name}</source>
      <translation>; lecturer: {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>; mở sổ ngày {date}</source>
      <translation>; opened on {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>; thôi học hoặc chuyển lớp: {n}</source>
      <translation>; withdrawn or moved to another class: {n}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>; trong đó {what} (xem phụ lục)</source>
      <translation>; of which {what} (see the appendix)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>; địa điểm: {venue}</source>
      <translation>; venue: {venue}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>Buổi {half} {weekday}, ngày {date}</source>
      <translation>Session: {weekday} {half}, {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>BẢNG ĐIỂM HỌC TẬP</source>
      <translation>ACADEMIC TRANSCRIPT</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>BẢNG ĐIỂM TỔNG HỢP</source>
      <translation>SCORE SUMMARY</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Bảng điểm học tập của {name}</source>
      <translation>Transcript of {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Bảng điểm học tập của {name}, sinh {birth} (tiếp theo)</source>
      <translation>Transcript of {name}, born {birth} (continued)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Bảng điểm học tập lớp {code}</source>
      <translation>Academic transcripts of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Bảng điểm tổng hợp</source>
      <translation>Score summary</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Bảng điểm tổng hợp lớp {code}</source>
      <translation>Score summary of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <source>Bồi dưỡng</source>
      <translation>Fostering</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <source>Cao cấp lý luận chính trị</source>
      <translation>Advanced political theory</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Chi tiết:</source>
      <translation>Details:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Chuyên cần {code}</source>
      <translation>Attendance {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/verify_page.py" />
      <source>Chưa có khóa ký văn bằng nào được đăng ký nên trang xác thực không kiểm tra được văn bằng nào: quản trị hãy đăng ký khóa trước (Quản trị → Khóa ký văn bằng).</source>
      <translation>No document signing key is enrolled, so a verification page could check no document: an administrator must enrol a key first (Administration → Document signing keys).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Chưa có văn bằng nào được vào sổ.</source>
      <translation>No document has been entered yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <source>Chưa ghi địa điểm</source>
      <translation>No venue recorded</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <source>Chưa rõ đơn vị</source>
      <translation>Unknown organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Chưa được dự thi</source>
      <translation>Not yet allowed to sit the exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Chưa đủ điều kiện tốt nghiệp: {reasons}.</source>
      <translation>Not yet eligible to graduate: {reasons}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Chương trình</source>
      <translation>Programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Chương trình: {programme}</source>
      <translation>Programme: {programme}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Chức vụ và đơn vị</source>
      <translation>Position and organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Chức vụ, đơn vị</source>
      <translation>Position, organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Chữ ký người nhận</source>
      <translation>Recipient's signature</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Các lần sửa điểm, nhận xét đã ghi nhận:</source>
      <translation>Recorded changes of scores and confirmations:</translation>
    </message>
    <message>
      <source>Cán bộ trẻ (đến {n} tuổi)</source>
      <translation type="obsolete">Young cadres (up to {n} years old)</translation>
    </message>
    <message>
      <source>Công nhận tốt nghiệp</source>
      <translation type="obsolete">Graduation recognised</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <source>Căn cứ {source}, {body}.</source>
      <translation>Under {source}, {body}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Cũ → mới</source>
      <translation>Old → new</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <source>Cơ quan, đơn vị khác</source>
      <translation>Other agencies and organisations</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Cấp lại</source>
      <translation>Reissued</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Cấp lại, thu hồi văn bằng đã vào sổ (đối chiếu số cũ và số mới)</source>
      <translation>Reissues and revocations of registered diplomas (old and new numbers side by side)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>DANH SÁCH HỌC VIÊN</source>
      <translation>LIST OF LEARNERS</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>DANH SÁCH HỌC VIÊN ĐƯỢC CÔNG NHẬN HOÀN THÀNH KHÓA BỒI DƯỠNG</source>
      <translation>LIST OF LEARNERS RECOGNISED AS HAVING COMPLETED THE FOSTERING COURSE</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>DANH SÁCH HỌC VIÊN ĐƯỢC CÔNG NHẬN TỐT NGHIỆP</source>
      <translation>LIST OF LEARNERS RECOGNISED AS GRADUATES</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>DANH SÁCH KÝ TÊN HỌC VIÊN</source>
      <translation>LEARNER SIGN-IN SHEET</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>DANH SÁCH XÉT CÔNG NHẬN HOÀN THÀNH KHÓA BỒI DƯỠNG</source>
      <translation>REVIEW LIST FOR RECOGNITION OF FOSTERING COURSE COMPLETION</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>DANH SÁCH XÉT TỐT NGHIỆP</source>
      <translation>GRADUATION REVIEW LIST</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Danh sách có {n} học viên (nữ: {women}; dân tộc thiểu số: {minorities}</source>
      <translation>The list has {n} learners (women: {women}; ethnic minorities: {minorities}</translation>
    </message>
    <message>
      <source>Danh sách có {n} học viên.</source>
      <translation type="obsolete">The list has {n} learners.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <source>Danh sách công nhận tốt nghiệp lớp {code}</source>
      <translation>List of graduates recognised, class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Danh sách học viên lớp {code}</source>
      <translation>List of learners of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>Danh sách ký tên lớp {code}</source>
      <translation>Sign-in sheet of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Danh sách xét tốt nghiệp lớp {code}</source>
      <translation>Graduation review list of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Danh sách {code}</source>
      <translation>List {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Dân tộc</source>
      <translation>Ethnicity</translation>
    </message>
    <message>
      <source>Dân tộc thiểu số</source>
      <translation type="obsolete">Ethnic minorities</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Ghi chú</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>Giảng viên</source>
      <translation>Lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>Giảng viên chủ nhiệm</source>
      <translation>Homeroom lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Giới tính</source>
      <translation>Sex</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Hình thức đào tạo</source>
      <translation>Mode of study</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <location filename="../../dtbd_desktop/reports/tables.py" />
      <location filename="../../dtbd_desktop/reports/tables.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Họ và đệm</source>
      <translation>Surname and middle name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Học bổ sung (tiết)</source>
      <translation>Make-up lessons (periods)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Học phần, môn thi</source>
      <translation>Modules, exam subjects</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>Học phần: {code} – {name}</source>
      <translation>Module: {code} – {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Học phần: {modules}.</source>
      <translation>Modules: {modules}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Học viên chưa được cấp giấy chứng nhận vì nghỉ học quá quy định:</source>
      <translation>Learners not yet given a certificate because they missed more than allowed:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Học viên chưa đủ điều kiện dự thi vì nghỉ học quá quy định (cần học bổ sung):</source>
      <translation>Learners not yet allowed to sit the exam because they missed more than allowed (make-up lessons needed):</translation>
    </message>
    <message>
      <source>Học viên chưa đủ điều kiện về chuyên cần:</source>
      <translation type="obsolete">Learners not meeting the attendance requirement:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Học viên đã nghỉ quá quy định nhưng đã học bổ sung đủ, được cấp giấy chứng nhận:</source>
      <translation>Learners who missed more than allowed but made up their lessons and receive the certificate:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Học viên đã nghỉ quá quy định nhưng đã học bổ sung đủ, được dự thi:</source>
      <translation>Learners who missed more than allowed but made up their lessons and may sit the exam:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Khóa học</source>
      <translation>Course</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Khóa sổ ngày {date}{why}: sổ ghi {span}{detail}.</source>
      <translation>Closed on {date}{why}: the register holds {span}{detail}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Không có việc cấp lại hoặc thu hồi văn bằng nào.</source>
      <translation>No document was re-issued or revoked.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/base/files.py" />
      <source>Không ghi được tệp {path}: {reason}.</source>
      <translation>Could not write file {path}: {reason}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/base/files.py" />
      <source>Không ghi được tệp {path}: đây là một thư mục.</source>
      <translation>Could not write file {path}: it is a folder.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/verify_page.py" />
      <source>Không tạo được thư mục {path}: {reason}.</source>
      <translation>Could not create the folder {path}: {reason}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <source>Không được cấp GCN</source>
      <translation>No certificate of completion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <source>Không được thi: {modules}</source>
      <translation>Barred from exam: {modules}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Không đạt</source>
      <translation>Fail</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Không đủ ĐK</source>
      <translation>Not eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Không đủ điều kiện</source>
      <translation>Not eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Kính gửi: {organisation}</source>
      <translation>To: {organisation}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>Ký tên</source>
      <translation>Signature</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Kết luận</source>
      <translation>Verdict</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Kết quả</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Kết quả: {result}</source>
      <translation>Result: {result}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Kỷ luật: {d}.</source>
      <translation>Discipline: {d}.</translation>
    </message>
    <message>
      <source>Kỷ luật: {d}. Rèn luyện: {r}.</source>
      <translation type="obsolete">Discipline: {d}. Conduct: {r}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Loại tài liệu '{kind}' không có; chọn: {kinds}.</source>
      <translation>There is no document type '{kind}'; choose: {kinds}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Lý do</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Lý do, ghi chú</source>
      <translation>Reasons, notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Lần 1</source>
      <translation>Attempt 1</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Lớp</source>
      <translation>Class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Lớp có {n} học viên; {barred} học viên chưa đủ điều kiện về chuyên cần.</source>
      <translation>The class has {n} learners; {barred} learners do not meet the attendance requirement.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Lớp {code} chưa có học viên nào vắng hoặc đi muộn: không có thông báo nào để in.</source>
      <translation>Class {code} has no learners absent or late yet: there are no notices to print.</translation>
    </message>
    <message>
      <source>Lớp {code} chưa có kết quả xét tốt nghiệp đã lưu (hoặc không có học viên đủ điều kiện): chạy dtbd graduation review {code} trước.</source>
      <translation type="obsolete">Class {code} has no saved graduation review results (or no eligible learners): run dtbd graduation review {code} first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>NGƯỜI LẬP SỔ</source>
      <translation>KEPT BY</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Nam</source>
      <translation>Male</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Ngày</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Ngày cấp</source>
      <translation>Issue date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Ngày quyết định</source>
      <translation>Decision date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Người lập biểu</source>
      <translation>Prepared by</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Người lập sổ</source>
      <translation>Register keeper</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Người sửa</source>
      <translation>Changed by</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Như trên</source>
      <translation>As above</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Nhận xét của cơ quan cử đi học: {c}.</source>
      <translation>Sending organisation's confirmation: {c}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Năm {year} chưa có sổ gốc nào: chưa cấp văn bằng, chứng chỉ nào.</source>
      <translation>There is no certificate register for {year}: no diplomas or certificates issued yet.</translation>
    </message>
    <message>
      <source>Nơi nhận:</source>
      <translation type="obsolete">Recipients:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Nơi sinh</source>
      <translation>Place of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Nội dung</source>
      <translation>Content</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Nữ</source>
      <translation>Female</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>PHỤ LỤC {name}</source>
      <translation>APPENDIX TO {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Phụ lục {short}</source>
      <translation>Appendix {short}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Quy định đã áp dụng ({name}):</source>
      <translation>Rules applied ({name}):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Rèn luyện: {r}.</source>
      <translation>Conduct: {r}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>STT</source>
      <translation>No.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <source>Sơ cấp lý luận chính trị</source>
      <translation>Elementary political theory</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Số CCCD</source>
      <translation>National ID (CCCD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Số hiệu</source>
      <translation>Serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Số hiệu cũ</source>
      <translation>Old serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Số hiệu mới</source>
      <translation>New serial number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Số liệu điểm danh tính đến ngày {date}</source>
      <translation>Attendance figures as of {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Số quyết định</source>
      <translation>Decision number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Số tiết</source>
      <translation>Periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Số vào sổ</source>
      <translation>Register number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Số vào sổ cũ</source>
      <translation>Old register number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Số vào sổ mới</source>
      <translation>New register number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Số, ngày quyết định</source>
      <translation>Decision number and date</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Sổ gốc cấp văn bằng, chứng chỉ</source>
      <translation>Certificate register of diplomas and certificates</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Sổ gốc cấp văn bằng, chứng chỉ năm {year}</source>
      <translation>Certificate register of diplomas and certificates, {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Sổ gốc này gồm {n} trang, đánh số từ trang 01 đến trang {last:02d}{when}.</source>
      <translation>This register has {n} pages, numbered 01 to {last:02d}{when}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Sổ gốc này được đánh số trang liên tục{when}.</source>
      <translation>This register is paged continuously{when}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Sổ {kind} {year}</source>
      <translation>Register {kind} {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Sửa {what} lúc {at} ({who}): {old} → {new}; lý do: {reason}</source>
      <translation>Changed {what} at {at} ({who}): {old} → {new}; reason: {reason}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Theo học phần</source>
      <translation>By module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Thi lại {n}</source>
      <translation>Retake {n}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Thu hồi</source>
      <translation>Revoked</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Thông báo chuyên cần lớp {code}</source>
      <translation>Attendance notice, class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Thời gian học: từ ngày {start} đến ngày {end}</source>
      <translation>Study period: from {start} to {end}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>Thời gian học: từ ngày {start} đến ngày {end}; hình thức: {mode}</source>
      <translation>Study period: from {start} to {end}; mode: {mode}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Thời điểm</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/printing/pdf.py" />
      <location filename="../../dtbd_desktop/workbooks/xlsx.py" />
      <source>Trang {page}/{pages}</source>
      <translation>Page {page}/{pages}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <source>Trung cấp lý luận chính trị</source>
      <translation>Intermediate political theory</translation>
    </message>
    <message>
      <source>Trân trọng thông báo./.</source>
      <translation type="obsolete">Yours faithfully./.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Trân trọng./.</source>
      <translation>Respectfully./.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Tên</source>
      <translation>Given name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/tables.py" />
      <source>Tệp kết quả phải có đuôi .pdf hoặc .xlsx (đang là '{suffix}').</source>
      <translation>The output file must end in .pdf or .xlsx (it is '{suffix}').</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Tệp kết quả phải có đuôi .pdf hoặc .xlsx.</source>
      <translation>The output file must end in .pdf or .xlsx.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Tệp sổ gốc phải là .pdf hoặc .xlsx (đang là '{name}').</source>
      <translation>The certificate register file must be .pdf or .xlsx (it is '{name}').</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/verify_page.py" />
      <source>Tệp thư viện {name} của trang xác thực đã bị thay đổi: hãy cài lại chương trình.</source>
      <translation>The verification page's library file {name} has been changed: reinstall the program.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>TỔNG HỢP CHUYÊN CẦN CỦA HỌC VIÊN</source>
      <translation>LEARNER ATTENDANCE SUMMARY</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <source>Tổng cộng</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Tổng hợp chuyên cần lớp {code}</source>
      <translation>Attendance summary of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Tổng số {n} học viên; đạt: {ok}; không đạt: {ko}.</source>
      <translation>Total {n} learners; passed: {ok}; failed: {ko}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Tổng số {n} học viên; đủ điều kiện tốt nghiệp: {ok}; không đủ điều kiện: {ko}.</source>
      <translation>Total {n} learners; eligible to graduate: {ok}; not eligible: {ko}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <source>Tổng số: {n} học viên; có mặt: ........; vắng có phép: ........; vắng không phép: ........; đi muộn: ........</source>
      <translation>Total: {n} learners; present: ........; excused absence: ........; unexcused absence: ........; late: ........</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Tổng vắng (tiết)</source>
      <translation>Total absent (periods)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Tỷ lệ vắng</source>
      <translation>Absence rate</translation>
    </message>
    <message>
      <source>V/v tình hình chuyên cần của học viên</source>
      <translation type="obsolete">Re: learners' attendance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>V/v tình hình chuyên cần của học viên lớp {code}</source>
      <translation>Re: the attendance of the learners of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Vắng có phép (tiết)</source>
      <translation>Excused absence (periods)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Vắng không phép (tiết)</source>
      <translation>Unexcused absence (periods)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Xét tốt nghiệp</source>
      <translation>Graduation review</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Xếp loại</source>
      <translation>Classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Xếp loại bài thu hoạch</source>
      <translation>Written reflection classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Xếp loại bài thu hoạch: {counts}.</source>
      <translation>Written reflection classification: {counts}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Xếp loại: {counts}.</source>
      <translation>Classification: {counts}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>chung</source>
      <translation>common</translation>
    </message>
    <message>
      <source>chưa xếp loại</source>
      <translation type="obsolete">not classified</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <source>học viên vắng mặt (tính cả {what}) quá {limit} số tiết của khóa học không được cấp giấy chứng nhận</source>
      <translation>learners absent (counting {what}) for more than {limit} of the course periods are not granted a certificate of completion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <source>học viên vắng mặt (tính cả {what}) quá {limit} số tiết của một học phần không được dự thi học phần đó</source>
      <translation>learners absent (counting {what}) for more than {limit} of a module's periods may not sit that module's exam</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/base/files.py" />
      <source>không có quyền ghi, hoặc tệp đang mở trong chương trình khác (Excel, trình đọc PDF); hãy đóng tệp hoặc chọn thư mục khác rồi làm lại</source>
      <translation>no permission to write, or the file is open in another program (Excel, a PDF reader); close the file or choose another folder and try again</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>lần cao nhất</source>
      <translation>best attempt</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>lần sau cùng</source>
      <translation>latest attempt</translation>
    </message>
    <message>
      <source>ngày ..... tháng ..... năm ........</source>
      <translation type="obsolete">day ..... month ..... year ........</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/base/files.py" />
      <source>thư mục {folder} không tồn tại</source>
      <translation>folder {folder} does not exist</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>xếp loại: {band}</source>
      <translation>classification: {band}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>{centre} thông báo tình hình chuyên cần của học viên do quý cơ quan cử tham gia {klass}{period}, tính đến ngày {date}, như sau:</source>
      <translation>{centre} reports the attendance of the learners your organisation sent to {klass}{period}, as of {date}, as follows:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>{finals}. Học viên làm khóa luận được xét theo điểm khóa luận thay các môn thi tốt nghiệp; (*) điểm sau thi lại.</source>
      <translation>{finals}. A learner who wrote a thesis is judged on it instead of the graduation exams; (*) score after a retake.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/roster_report.py" />
      <source>{name} (mã lớp {code})</source>
      <translation>{name} (class code {code})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>{name}, học từ {start} đến {end}</source>
      <translation>{name}, studying from {start} to {end}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>{n} tiết</source>
      <translation>{n} periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>{n} văn bằng đã cấp lại</source>
      <translation>{n} documents re-issued</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>{n} văn bằng đã thu hồi</source>
      <translation>{n} documents revoked</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>{n} văn bằng được vào sổ</source>
      <translation>{n} diplomas registered</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>{n} văn bằng, từ số vào sổ {first} đến số vào sổ {last}</source>
      <translation>{n} documents, register numbers {first} to {last}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/verify_page.py" />
      <source>{path} là một tệp, không phải thư mục: hãy chọn một thư mục để ghi trang xác thực.</source>
      <translation>{path} is a file, not a folder: choose a folder to write the verification page into.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <source>Đi muộn (buổi)</source>
      <translation>Late (sessions)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Điểm TB</source>
      <translation>Average</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Điểm TB học phần</source>
      <translation>Module average</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Điểm bài thu hoạch</source>
      <translation>Essay score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Điểm các học phần, môn thi</source>
      <translation>Scores of modules and exam subjects</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Điểm thi tốt nghiệp, khóa luận</source>
      <translation>Graduation exams, thesis</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Điểm trung bình chung: {average}.</source>
      <translation>Overall average: {average}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Điểm trung bình chung: {average}; xếp loại tốt nghiệp: {classification}.</source>
      <translation>Overall average: {average}; graduation classification: {classification}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>Điểm tính</source>
      <translation>Score used</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/sign_in.py" />
      <location filename="../../dtbd_desktop/reports/attendance_reports/summary.py" />
      <location filename="../../dtbd_desktop/workbooks/attendance.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/decision_report.py" />
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Đơn vị công tác</source>
      <translation>Workplace</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <location filename="../../dtbd_desktop/services/statistics.py" />
      <source>Đạt</source>
      <translation>Pass</translation>
    </message>
    <message>
      <source>Đảng viên</source>
      <translation type="obsolete">Party members</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/register_report.py" />
      <source>Đến ngày {date}, sổ ghi {span}{detail}. Sổ chưa khóa.</source>
      <translation>As of {date}, the register holds {span}{detail}. It is not closed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/letters.py" />
      <source>Đề nghị quý cơ quan quan tâm, nhắc nhở học viên thực hiện nghiêm nội quy lớp học và tạo điều kiện để học viên học bổ sung các nội dung còn thiếu.</source>
      <translation>We ask your organisation to pay attention to and remind the learners to strictly follow the class rules, and to enable them to make up the missing content.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/graduation_reports.py" />
      <source>Đủ điều kiện</source>
      <translation>Eligible</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <source>Đủ điều kiện cấp GCN</source>
      <translation>Eligible for the certificate of completion</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/attendance_reports/common.py" />
      <source>Đủ điều kiện dự thi</source>
      <translation>Eligible to sit exams</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/reports/transcripts.py" />
      <source>điểm bài thu hoạch: {score}</source>
      <translation>written reflection score: {score}</translation>
    </message>
  </context>
  <context>
    <name>reports_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Bao cao nam {year}{suffix}</source>
      <translation>Annual report {year}{suffix}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Báo cáo</source>
      <translation>Reports</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Báo cáo năm (Excel)...</source>
      <translation>Annual report (Excel)...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Báo cáo năm (PDF)...</source>
      <translation>Annual report (PDF)...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Báo cáo năm {year}</source>
      <translation>Annual report {year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Bản nháp, chưa lấy số.</source>
      <translation>Draft, not numbered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Excel (*.xlsx)</source>
      <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Giờ giảng</source>
      <translation>Teaching hours</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Kế hoạch</source>
      <translation>Plan</translation>
    </message>
    <message>
      <source>Lưu báo cáo năm {year}</source>
      <translation type="obsolete">Save the {year} annual report</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Lớp khai giảng năm trước còn học trong năm: mặc định ghi riêng, không tính vào số thực hiện so với kế hoạch.</source>
      <translation>Classes opened the previous year and still running this year: by default listed separately, not counted in the actual figures against the plan.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Nhận định, phương hướng...</source>
      <translation>Assessment, directions...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Năm:</source>
      <translation>Year:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>PDF (*.pdf)</source>
      <translation>PDF (*.pdf)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Phản hồi của học viên</source>
      <translation>Learner feedback</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Phần đánh giá chung và phương hướng năm sau của báo cáo năm</source>
      <translation>The annual report's general assessment and next year's directions</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Sau đào tạo</source>
      <translation>Follow-up</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Số {number} ngày {date}.</source>
      <translation>Number {number} of {date}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Sổ văn bản đi</source>
      <translation>Outgoing register</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Thống kê</source>
      <translation>Statistics</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Tính lớp chuyển tiếp vào số thực hiện</source>
      <translation>Count carried-over classes in the actual figures</translation>
    </message>
    <message>
      <source>Đã lưu báo cáo năm</source>
      <translation type="obsolete">Annual report saved</translation>
    </message>
    <message>
      <source>Đã lưu {path}.

{summary}</source>
      <translation type="obsolete">Saved {path}.

{summary}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/reports_view.py" />
      <source>Đã lưu {path}. {summary}</source>
      <translation>Saved {path}. {summary}</translation>
    </message>
  </context>
  <context>
    <name>restore</name>
    <message>
      <location filename="../../dtbd_desktop/services/restore.py" />
      <source>Không phục hồi: bản sao lưu thiếu {n} văn bằng đã cấp sau khi sao lưu mà không chuyển sang được (học viên hoặc lớp của chúng không có trong bản sao lưu). Hãy dùng bản sao lưu mới hơn.</source>
      <translation>Not restored: the backup lacks {n} documents issued after it that cannot be carried over (their learners or classes are not in the backup). Use a newer backup.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/restore.py" />
      <source>Số hiệu {serial} ({name}, sổ {kind} năm {year})</source>
      <translation>Serial {serial} ({name}, {kind} register of {year})</translation>
    </message>
  </context>
  <context>
    <name>roster</name>
    <message>
      <location filename="../../dtbd_desktop/services/roster.py" />
      <source>Chuyển lớp</source>
      <translation>Moved to another class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/roster.py" />
      <source>Hoàn thành</source>
      <translation>Completed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/roster.py" />
      <source>Thôi học</source>
      <translation>Withdrawn</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/roster.py" />
      <source>Đang học</source>
      <translation>Studying</translation>
    </message>
  </context>
  <context>
    <name>roster_import</name>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/table.py" />
      <source>(bảng đã đọc)</source>
      <translation>(table read)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>CCCD {id}</source>
      <translation>National ID {id}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Chức vụ</source>
      <translation>Position</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Chức vụ dài {n} ký tự, quá 200 ký tự cho phép: rút gọn lại.</source>
      <translation>The position is {n} characters long, more than the 200 allowed: shorten it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Chức vụ, đơn vị công tác</source>
      <translation>Position, workplace</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Cùng họ tên và ngày sinh với dòng {first}: kiểm tra xem có ghi một người hai lần không.</source>
      <translation>Same full name and date of birth as row {first}: check whether one person was entered twice.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/table.py" />
      <source>Cột {column} nằm ngoài bảng danh sách: chọn một cột của bảng.</source>
      <translation>Column {column} is outside the list table: choose a column of the table.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/table.py" />
      <source>Cột {column} đang được gán cho cả '{a}' và '{b}': mỗi cột chỉ gán cho một trường.</source>
      <translation>Column {column} is assigned to both '{a}' and '{b}': each column can be assigned to only one field.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Dân tộc</source>
      <translation>Ethnicity</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Dòng {row} có vẻ là một học viên nhưng nằm ngoài bảng (bảng kết thúc ở dòng {end}): xóa dòng trống hoặc dòng ghi chú xen giữa danh sách, rồi nhập lại.</source>
      <translation>Row {row} looks like a learner but is outside the table (the table ends at row {end}): delete the empty or note rows in the middle of the list, then import again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Giới tính</source>
      <translation>Sex</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Giới tính ở các cột không khớp nhau (Nam và Nữ): sửa cho đúng.</source>
      <translation>The sex in the columns does not agree (Nam and Nữ): correct it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Họ</source>
      <translation>Surname</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Họ tên '{name}' chỉ có một chữ: kiểm tra xem đã ghi đủ họ, đệm và tên chưa.</source>
      <translation>Full name '{name}' has only one word: check that the surname, middle name and given name are all there.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Họ tên '{name}' có ký tự không phải chữ ({chars}): sửa lại họ tên.</source>
      <translation>Full name '{name}' has characters that are not letters ({chars}): correct the name.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Họ tên '{name}' quá dài: kiểm tra lại, có thể đã ghi lẫn nội dung của cột khác.</source>
      <translation>Full name '{name}' is too long: check it, it may include content from another column.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Họ và đệm</source>
      <translation>Surname and middle name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Học viên này đã có trong lớp {code} ({existing}): xóa dòng này khỏi tệp.</source>
      <translation>This learner is already in class {code} ({existing}): delete this row from the file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Học viên {name} (CCCD {id}) đã có trong lớp {code}: xóa dòng này khỏi tệp.</source>
      <translation>Learner {name} (national ID {id}) is already in class {code}: delete this row from the file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Hồ sơ đã lưu của {person} ghi {label} '{old}', tệp ghi '{new}': giữ giá trị đã lưu; nếu cần, sửa ở mục Học viên.</source>
      <translation>The saved record of {person} has {label} '{old}', the file has '{new}': keeping the saved value; if needed, correct it under Learners.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/table.py" />
      <source>Không có trường '{field}' để gán cột.</source>
      <translation>There is no field '{field}' to assign a column to.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/annotate.py" />
      <source>Không lưu được tệp {file}: {error}. Đóng tệp nếu đang mở trong Excel rồi thử lại.</source>
      <translation>Could not save file {file}: {error}. Close the file if it is open in Excel and try again.</translation>
    </message>
    <message>
      <source>Không mở được tệp {file} để đánh dấu lỗi: {error}.</source>
      <translation type="obsolete">Could not open file {file} to mark the errors: {error}.</translation>
    </message>
    <message>
      <source>Không mở được tệp {file}: {error}. Đóng tệp nếu đang mở trong chương trình khác rồi thử lại.</source>
      <translation type="obsolete">Could not open file {file}: {error}. Close the file if it is open in another program and try again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/sheet.py" />
      <source>Không tìm thấy bảng danh sách học viên trong tệp {file} (đã xem các trang: {sheets}). Bảng cần một dòng tiêu đề có cột 'Họ và tên' (hoặc hai cột 'Họ đệm' và 'Tên') và ít nhất một cột khác như 'Ngày sinh' hoặc 'Số CCCD': sửa tiêu đề cột trong tệp rồi nhập lại.</source>
      <translation>No learner list table found in file {file} (sheets checked: {sheets}). The table needs a heading row with a 'Họ và tên' (full name) column (or two columns 'Họ đệm' and 'Tên') and at least one other column such as 'Ngày sinh' (date of birth) or 'Số CCCD' (national ID): fix the column headings in the file and import again.</translation>
    </message>
    <message>
      <source>Không tìm thấy tệp {file}: kiểm tra lại đường dẫn và tên tệp.</source>
      <translation type="obsolete">File {file} not found: check the path and file name.</translation>
    </message>
    <message>
      <source>Không đọc được tệp {file}: đây không phải tệp Excel .xlsx hợp lệ ({error}). Mở tệp bằng Excel và lưu lại dạng .xlsx.</source>
      <translation type="obsolete">Could not read file {file}: it is not a valid Excel .xlsx file ({error}). Open the file in Excel and save it again as .xlsx.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Ngày sinh của nam (cột Nam)</source>
      <translation>Date of birth of men (Nam column)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Ngày sinh của nữ (cột Nữ)</source>
      <translation>Date of birth of women (Nữ column)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Ngày sinh ghi ở cả cột Nam và cột Nữ: chỉ giữ ở cột đúng giới tính.</source>
      <translation>The date of birth is in both the Nam and Nữ columns: keep it only in the column of the right sex.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Ngày sinh {date} ở tương lai: kiểm tra lại ngày sinh.</source>
      <translation>The date of birth {date} is in the future: check the date of birth.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Ngày sinh {date}: học viên {age} tuổi khi khai giảng lớp, không hợp lý; kiểm tra lại năm sinh.</source>
      <translation>Date of birth {date}: the learner would be {age} years old when the class opens, which is not plausible; check the year of birth.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Ngày vào Đảng</source>
      <translation>Date of joining the Party</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/learner_form.py" />
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Ngày vào Đảng chỉ có năm {year}: ghi đủ ngày dạng dd/mm/yyyy, hoặc để trống.</source>
      <translation>The date of joining the Party has only the year {year}: write the full date as dd/mm/yyyy, or leave it empty.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Ngày vào Đảng {date} khi chưa đủ 18 tuổi (sinh {birth}): kiểm tra lại ngày vào Đảng và ngày sinh.</source>
      <translation>Date of joining the Party {date} is before the age of 18 (born {birth}): check the Party joining date and the date of birth.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Ngày vào Đảng {date} ở tương lai: kiểm tra lại.</source>
      <translation>Date of joining the Party {date} is in the future: check it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/writing.py" />
      <source>Nhập danh sách {file} vào lớp {code}</source>
      <translation>Import list {file} into class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Nơi sinh</source>
      <translation>Place of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Nội dung dài {n} ký tự, quá {limit} ký tự cho phép: rút gọn lại.</source>
      <translation>The content is {n} characters long, more than the {limit} allowed: shorten it.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Quê quán</source>
      <translation>Home town</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Số CCCD</source>
      <translation>National ID (CCCD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Số CCCD {id} có mã tỉnh {code} không tồn tại (001–096): kiểm tra lại số CCCD.</source>
      <translation>National ID {id} has a province code {code} that does not exist (001–096): check the national ID.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Số CCCD {id} trùng với dòng {first}: một người chỉ ghi một lần; kiểm tra lại số CCCD của hai dòng.</source>
      <translation>National ID {id} is the same as in row {first}: each person is entered only once; check the national IDs of both rows.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Số CCCD {id} đã thuộc hồ sơ học viên có {stored}, khác với dòng này: kiểm tra lại số CCCD; nếu hồ sơ đã lưu bị sai, sửa hồ sơ đó ở mục Học viên (tìm số CCCD, mở hồ sơ, sửa rồi bấm Lưu) rồi nhập lại.</source>
      <translation>National ID {id} already belongs to a learner record with {stored}, different from this row: check the national ID; if the saved record is wrong, correct it under Learners (search the national ID, open the record, correct it and press Save) and import again.</translation>
    </message>
    <message>
      <source>Số CCCD {id} đã thuộc hồ sơ học viên có {stored}, khác với dòng này: kiểm tra lại số CCCD; nếu hồ sơ đã lưu bị sai, sửa hồ sơ ở mục Học viên rồi nhập lại.</source>
      <translation type="obsolete">National ID {id} already belongs to a learner record with {stored}, different from this row: check the national ID; if the saved record is wrong, correct it under Learners and import again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/learner_fields.py" />
      <source>Số CCCD {id} ứng với {gender} sinh năm {year}, nhưng dòng này ghi {row_gender} sinh năm {row_year}: kiểm tra lại số CCCD, giới tính và năm sinh.</source>
      <translation>National ID {id} corresponds to a {gender} born in {year}, but this row says {row_gender} born in {row_year}: check the national ID, sex and year of birth.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Số điện thoại '{phone}' không đúng dạng (10 chữ số, bắt đầu bằng 0): chưa lưu số này.</source>
      <translation>Phone number '{phone}' is not in the right form (10 digits, starting with 0): this number was not saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Thiếu giới tính: ghi 'Nam' hoặc 'Nữ' (thêm cột 'Giới tính' nếu tệp chưa có).</source>
      <translation>Sex missing: write 'Nam' (male) or 'Nữ' (female) (add a 'Giới tính' column if the file has none).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Thiếu họ của '{given}': ghi họ (và tên đệm) vào cột này.</source>
      <translation>Surname of '{given}' missing: write the surname (and middle name) in this column.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Thiếu họ và tên: ghi đủ họ tên của học viên, hoặc xóa dòng này nếu không phải học viên.</source>
      <translation>Full name missing: write the learner's full name, or delete this row if it is not a learner.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Thiếu ngày sinh: ghi ngày sinh dạng dd/mm/yyyy (hoặc năm sinh).</source>
      <translation>Date of birth missing: write the date of birth as dd/mm/yyyy (or the year of birth).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Thiếu ngày sinh: ghi ngày sinh vào cột Nam (nếu là nam) hoặc cột Nữ (nếu là nữ), dạng dd/mm/yyyy.</source>
      <translation>Date of birth missing: write the date of birth in the Nam column (for a man) or the Nữ column (for a woman), as dd/mm/yyyy.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Thiếu tên của '{name}': ghi tên vào cột này.</source>
      <translation>Given name of '{name}' missing: write the given name in this column.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/sheet.py" />
      <source>Trang tính '{sheet}' của tệp {file} có hơn {n} dòng; danh sách học viên không thể lớn như vậy. Chép riêng danh sách học viên sang một tệp mới rồi nhập tệp đó.</source>
      <translation>Sheet '{sheet}' of {file} has more than {n} rows; no learner list is that long. Copy the learner list alone into a new file and import that file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Trình độ LLCT</source>
      <translation>Political theory level</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Trình độ chuyên môn</source>
      <translation>Professional qualification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Tên</source>
      <translation>Given name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Tên đệm</source>
      <translation>Middle name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Tệp không có cột ngày sinh: thêm cột 'Ngày sinh' (hoặc chọn cột ngày sinh khi nhập).</source>
      <translation>The file has no date-of-birth column: add a 'Ngày sinh' column (or choose the date-of-birth column when importing).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/sheet.py" />
      <source>Tệp {file} có {n} ô công thức chưa được tính giá trị (tệp do một chương trình khác tạo, chưa lưu bằng Excel): mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi nhập lại.</source>
      <translation>{file} has {n} formula cells whose value was never computed (the file was made by another program and never saved by Excel): open it in Excel or LibreOffice, save it and import it again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Tệp {file} không có dòng học viên nào dưới dòng tiêu đề (dòng {header}) của trang '{sheet}': kiểm tra lại tệp.</source>
      <translation>File {file} has no learner rows under the heading row (row {header}) of sheet '{sheet}': check the file.</translation>
    </message>
    <message>
      <source>Tệp {file} là tệp Excel 97-2003 (.xls) hoặc tệp có đặt mật khẩu: mở tệp bằng Excel, bỏ mật khẩu nếu có, chọn Lưu thành (Save As) kiểu .xlsx rồi nhập tệp mới.</source>
      <translation type="obsolete">File {file} is an Excel 97-2003 file (.xls) or a password-protected file: open it in Excel, remove the password if any, choose Save As with type .xlsx, then import the new file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>chưa có CCCD</source>
      <translation>no national ID</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>chưa học lớp nào</source>
      <translation>no classes yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>các lớp: {classes}</source>
      <translation>classes: {classes}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/sheet.py" />
      <source>các vùng gộp ô chồng lên nhau ở trang '{sheet}'</source>
      <translation>overlapping merged ranges on sheet '{sheet}'</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>ghi 'Nam' hoặc 'Nữ'</source>
      <translation>write 'Nam' (male) or 'Nữ' (female)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>giới tính {gender}</source>
      <translation>sex {gender}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>họ tên '{name}'</source>
      <translation>full name '{name}'</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>ngày sinh {birth}</source>
      <translation>date of birth {birth}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>sửa lại ngày sinh</source>
      <translation>correct the date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>sửa lại ngày vào Đảng</source>
      <translation>correct the date of joining the Party</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>sửa lại số CCCD (12 chữ số, ghi dạng văn bản)</source>
      <translation>correct the national ID (12 digits, written as text)</translation>
    </message>
    <message>
      <source>{file} là một thư mục, không phải tệp Excel: chọn tệp .xlsx.</source>
      <translation type="obsolete">{file} is a folder, not an Excel file: choose an .xlsx file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>{name}, sinh {birth}, {id}, {classes}</source>
      <translation>{name}, born {birth}, {id}, {classes}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/sheet.py" />
      <source>Ô {cell} là công thức chưa được tính (tệp không lưu giá trị của nó).</source>
      <translation>Cell {cell} is a formula that was never computed (the file holds no value for it).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/roster_import.py" />
      <source>Đang kiểm tra {n} dòng</source>
      <translation>Checking {n} rows</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Điện thoại</source>
      <translation>Phone</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/cleaning.py" />
      <source>Đánh dấu cả Nam và Nữ: chỉ đánh dấu một cột giới tính.</source>
      <translation>Both Nam and Nữ are marked: mark only one sex column.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Đánh dấu giới tính Nam</source>
      <translation>Mark for male (Nam)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Đánh dấu giới tính Nữ</source>
      <translation>Mark for female (Nữ)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/writing.py" />
      <source>Đã ghi {n}/{total} học viên</source>
      <translation>Written {n}/{total} learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Đơn vị '{name}' chưa có trong danh mục đơn vị: chưa gán đơn vị cho học viên này; thêm đơn vị ở mục Đơn vị rồi gán sau.</source>
      <translation>Organisation '{name}' is not in the list of organisations: no organisation assigned to this learner; add the organisation under Organisations and assign it later.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/plan.py" />
      <source>Đơn vị '{name}' có thể là một trong: {names}; chưa gán đơn vị: ghi rõ tên đầy đủ (kèm huyện, tỉnh), hoặc gán sau ở mục Học viên.</source>
      <translation>Organisation '{name}' could be one of: {names}; no organisation assigned: write the full name (with district, province), or assign it later under Learners.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/roster/synonyms.py" />
      <source>Đơn vị công tác</source>
      <translation>Workplace</translation>
    </message>
  </context>
  <context>
    <name>roster_tab</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Chuyển lớp</source>
      <translation>Move to another class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Chuyển lớp...</source>
      <translation>Move to another class...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Chuyển {name} sang lớp:</source>
      <translation>Move {name} to class:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Chưa có lớp nào khác cùng chương trình.</source>
      <translation>There is no other class of the same programme yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Chọn học viên</source>
      <translation>Select learner</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Chức vụ</source>
      <translation>Position</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Dân tộc</source>
      <translation>Ethnicity</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Giới tính</source>
      <translation>Sex</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Hãy chọn một học viên trong danh sách trước.</source>
      <translation>Select a learner in the list first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Họ tên hoặc số CCCD...</source>
      <translation>Full name or national ID...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>In danh sách học viên</source>
      <translation>Print the list of learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>In danh sách...</source>
      <translation>Print list...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Lý do {name} thôi học:</source>
      <translation>Reason {name} is withdrawing:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Người mới, chưa có hồ sơ...</source>
      <translation>New person, no record yet...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Nhập hồ sơ bằng tay cho người chưa học ở Trung tâm (ví dụ dòng bị từ chối khi nhập danh sách) và thêm vào lớp</source>
      <translation>Type in the record of someone who has not studied at the centre (a row refused when a list was imported, for example) and add them to the class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Nhập từ Excel...</source>
      <translation>Import from Excel...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>PDF (*.pdf);;Excel (*.xlsx)</source>
      <translation>PDF (*.pdf);;Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Số CCCD</source>
      <translation>National ID (CCCD)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Thêm học viên đã có vào lớp</source>
      <translation>Add an existing learner to the class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Thêm học viên...</source>
      <translation>Add learner...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Thêm vào lớp</source>
      <translation>Add to class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Thôi học</source>
      <translation>Withdraw</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Thôi học...</source>
      <translation>Withdraw...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Tình trạng</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Xem hồ sơ</source>
      <translation>View record</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Xóa khỏi lớp</source>
      <translation>Remove from class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Xóa {name} khỏi danh sách lớp?</source>
      <translation>Remove {name} from the class list?</translation>
    </message>
    <message>
      <source>Đã in danh sách</source>
      <translation type="obsolete">List printed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Đã lưu {path}.</source>
      <translation>Saved {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/roster_tab.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
  </context>
  <context>
    <name>rules</name>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Chưa nhập căn cứ (văn bản quy định mà chương trình áp dụng).</source>
      <translation>No legal basis given (the regulations the programme applies).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Các mức xếp loại phải xếp từ cao xuống thấp (mức {n}).</source>
      <translation>Classification bands must be ordered from highest to lowest (band {n}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Cách tính trung bình phải là 'periods' (theo số tiết) hoặc 'equal'.</source>
      <translation>The averaging method must be 'periods' (by periods) or 'equal'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Cách đánh giá học phần</source>
      <translation>Module assessment</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Cách đánh giá học phần phải là bảng theo mã học phần.</source>
      <translation>The module assessment must be a table by module code.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Căn cứ dài quá {n} ký tự.</source>
      <translation>The legal basis is longer than {n} characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Căn cứ dòng {n} có “{marker}”: ghi đúng tên, số, ngày của văn bản, không để ghi chú hay chỗ trống (căn cứ được in trên văn bản).</source>
      <translation>Legal basis line {n} holds “{marker}”: write the regulation's name, number and date, with no notes or blanks (it is printed on papers).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Căn cứ dòng {n} dài quá {limit} ký tự.</source>
      <translation>Legal basis line {n} is longer than {limit} characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Cần ít nhất một mức xếp loại.</source>
      <translation>At least one classification band is needed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Giới hạn vắng</source>
      <translation>Absence limit</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Học phần {code}: {message}</source>
      <translation>Module {code}: {message}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Kết quả phải là 'classification' (xếp loại) hoặc 'pass_fail' (đạt/không đạt).</source>
      <translation>The result must be 'classification' or 'pass_fail' (pass/fail).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Kỷ luật không được xét tốt nghiệp</source>
      <translation>Discipline barring graduation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Kỷ luật làm hạ một mức xếp loại</source>
      <translation>Discipline lowering the classification one band</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Lần thi được tính phải là 'latest' (lần sau cùng) hoặc 'best' (lần cao nhất).</source>
      <translation>The attempt counted must be 'latest' (latest attempt) or 'best' (best attempt).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Mức xếp loại thứ {n} cần tên và điểm tối thiểu từ 0 đến 10.</source>
      <translation>Classification band {n} needs a name and a minimum score from 0 to 10.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Phạm vi tính vắng phải là 'module' (từng học phần) hoặc 'course' (cả khóa).</source>
      <translation>The absence scope must be 'module' (per module) or 'course' (whole course).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Số chữ số thập phân khi in</source>
      <translation>Decimal places when printing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Số chữ số thập phân khi xếp hạng</source>
      <translation>Decimal places for ranking</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Trạng thái tính là vắng chỉ gồm excused, unexcused, late.</source>
      <translation>The statuses counted as absent may only be excused, unexcused, late.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Tỷ trọng điểm thi tốt nghiệp, khóa luận</source>
      <translation>Weight of the graduation exam and thesis scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>{label} phải là số từ {low} đến {high}.</source>
      <translation>{label} must be a number from {low} to {high}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>{label}: chọn khiển trách, cảnh cáo, buộc thôi học hoặc để trống.</source>
      <translation>{label}: choose reprimand, warning, expulsion or leave it empty.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/rule_sets.py" />
      <source>Điểm đạt</source>
      <translation>Pass mark</translation>
    </message>
  </context>
  <context>
    <name>score_model</name>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Dòng {row}, cột {column}: </source>
      <translation>Row {row}, column {column}: </translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Học phần có điểm thành phần: nhập ở chế độ theo học phần.</source>
      <translation>The module has component scores: enter them in module mode.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Khối dán vượt ra ngoài các cột điểm của bảng ('{text}').</source>
      <translation>The pasted block goes beyond the score columns of the table ('{text}').</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Kết quả</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Mã</source>
      <translation>Code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Số tiết</source>
      <translation>Periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Ô này không nhập điểm.</source>
      <translation>Scores are not entered in this cell.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>ô này không nhập điểm.</source>
      <translation>scores are not entered in this cell.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Điểm</source>
      <translation>Score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Điểm học phần</source>
      <translation>Module score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Điểm đã chốt: muốn sửa cần người có quyền và ghi lý do.</source>
      <translation>Scores finalised: changing them needs a user with permission and a reason.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/score_model.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
  </context>
  <context>
    <name>scores</name>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>BẢNG ĐIỂM HỌC PHẦN</source>
      <translation>MODULE SCORE SHEET</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Bảng điểm học phần {module} lớp {code}</source>
      <translation>Score sheet of module {module}, class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Bảng điểm này của lớp {other}, không phải lớp {code}.</source>
      <translation>This score sheet belongs to class {other}, not class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Bảng điểm đã bị sửa cấu trúc; không có điểm nào được nhập.</source>
      <translation>The structure of the score sheet has been changed; no scores were imported.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Chưa có điểm lần 1 nên chưa nhập được lần {m}.</source>
      <translation>There is no attempt 1 score yet, so attempt {m} cannot be entered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Chưa có điểm lần 1 nên chưa nhập được điểm thi lại.</source>
      <translation>There is no attempt 1 score yet, so the retake score cannot be entered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Chưa có điểm lần {n} nên chưa nhập được lần {m}.</source>
      <translation>There is no attempt {n} score yet, so attempt {m} cannot be entered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Chưa lưu điểm: {n} ô có lỗi, không ô nào được lưu.</source>
      <translation>Scores not saved: {n} cells have errors, no cell was saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Chưa nhập được điểm lần {n}: {why}.</source>
      <translation>Cannot enter the attempt {n} score: {why}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Chưa nhập được điểm thi lại: {why}.</source>
      <translation>Cannot enter the retake score: {why}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/class_scores.py" />
      <source>Chương trình {programme} không có học phần mã '{code}'. Các mã: {known}.</source>
      <translation>Programme {programme} has no module with code '{code}'. Codes: {known}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/class_scores.py" />
      <source>Cách đánh giá học phần {code} chưa hợp lệ: {error}</source>
      <translation>The assessment of module {code} is not valid: {error}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Còn điểm lần thi sau; hãy xóa điểm lần {n} trước.</source>
      <translation>There are scores for a later attempt; delete the attempt {n} score first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Ghi chú</source>
      <translation>Notes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Học phần {module} chỉ có một điểm chung, không có điểm thành phần '{component}'.</source>
      <translation>Module {module} has only one overall score, no component score '{component}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Học phần {module} không có điểm thành phần '{component}' (có: {known}).</source>
      <translation>Module {module} has no component score '{component}' (it has: {known}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <location filename="../../dtbd_desktop/services/scores/transcripts.py" />
      <source>Học viên này không có trong lớp {code}.</source>
      <translation>This learner is not in class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/class_scores.py" />
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Không có học viên số CCCD {nid} trong lớp {code}.</source>
      <translation>There is no learner with national ID (CCCD) {nid} in class {code}.</translation>
    </message>
    <message>
      <source>Không có tệp {path}.</source>
      <translation type="obsolete">There is no file {path}.</translation>
    </message>
    <message>
      <source>Không đọc được tệp {path} ({error}): cần tệp .xlsx xuất từ chương trình.</source>
      <translation type="obsolete">Could not read file {path} ({error}): an .xlsx file exported from the program is needed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/sheets.py" />
      <source>Lần 1</source>
      <translation>Attempt 1</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Lần thi phải là số nguyên từ 1 trở lên.</source>
      <translation>The attempt must be a whole number from 1 up.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Lớp {name}</source>
      <translation>Class {name}</translation>
    </message>
    <message>
      <source>Lớp {name} (mã lớp {code}) — học phần {module}: {title} ({periods} tiết)</source>
      <translation type="obsolete">Class {name} (class code {code}) — module {module}: {title} ({periods} periods)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Mã</source>
      <translation>Code</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Mở lại điểm đã chốt phải ghi lý do.</source>
      <translation>Reopening finalised scores needs a reason.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Nhập điểm từ 0 đến 10, một chữ số thập phân (ví dụ 8,5). Ô để trống thì điểm giữ nguyên. Không sửa cột Số CCCD, cột Mã và dòng tiêu đề.</source>
      <translation>Enter scores from 0 to 10, to one decimal place (for example 8,5). An empty cell keeps the score unchanged. Do not change the National ID column, the Code column or the heading row.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Sửa điểm đã chốt phải ghi lý do.</source>
      <translation>Changing finalised scores needs a reason.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/sheets.py" />
      <source>Thi lại lần {n}</source>
      <translation>Retake {n}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Thiếu số CCCD của học viên.</source>
      <translation>The learner's national ID (CCCD) is missing.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Tiêu đề cột đã bị sửa (cần '{label}'); hãy dùng bảng điểm mới xuất.</source>
      <translation>A column heading has been changed ('{label}' is needed); use a newly exported score sheet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Tệp {path} không phải bảng điểm xuất từ chương trình (thiếu trang thông tin ẩn). Hãy xuất bảng điểm bằng lệnh: dtbd grades sheet</source>
      <translation>File {path} is not a score sheet exported from the program (the hidden information sheet is missing). Export the score sheet with: dtbd grades sheet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>trống</source>
      <translation>empty</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/transcripts.py" />
      <source>{module} lần {n}</source>
      <translation>{module} attempt {n}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>{name} (mã lớp {code})</source>
      <translation>{name} (class code {code})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>{name} đã thôi học hoặc chuyển lớp: không nhập điểm.</source>
      <translation>{name} has withdrawn or moved to another class: scores not entered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>{name} — học phần {module}: {title} ({periods} tiết)</source>
      <translation>{name} — module {module}: {title} ({periods} periods)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Ô này vừa được người khác sửa (đang là {value}); hãy tải lại bảng điểm.</source>
      <translation>This cell was just changed by someone else (it is now {value}); reload the score sheet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/sheets.py" />
      <source>Điểm</source>
      <translation>Score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Điểm học phần {module} của lớp {code} chưa được chốt.</source>
      <translation>The scores of module {module} of class {code} are not finalised.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Điểm học phần {module} của lớp {code} đã được chốt ngày {date}; muốn sửa cần người có quyền và ghi lý do.</source>
      <translation>The scores of module {module} of class {code} were finalised on {date}; changing them needs a user with permission and a reason.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/scores/entry.py" />
      <source>Điểm học phần {module} của lớp {code} đã được chốt từ trước.</source>
      <translation>The scores of module {module} of class {code} were already finalised.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Điểm không hợp lệ</source>
      <translation>Invalid score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Điểm từ 0 đến 10, một chữ số thập phân.</source>
      <translation>Scores from 0 to 10, to one decimal place.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Điểm {module}</source>
      <translation>{module} score</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/scores.py" />
      <source>Đã thôi học hoặc chuyển lớp</source>
      <translation>Withdrawn or moved to another class</translation>
    </message>
  </context>
  <context>
    <name>scores_tab</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source> (đã chốt)</source>
      <translation> (finalised)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>(trống)</source>
      <translation>(empty)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Chưa chốt điểm học phần {module}.</source>
      <translation>Module {module} is not finalised.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Chưa có điểm: {names}.</source>
      <translation>No score yet: {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Chưa ghi lý do sửa điểm đã chốt: điểm chưa được lưu.</source>
      <translation>No reason given for changing finalised scores: the scores were not saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Chốt điểm</source>
      <translation>Finalise scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Chốt điểm học phần {module}? Sau khi chốt, sửa điểm cần người có quyền và ghi lý do.</source>
      <translation>Finalise the scores of module {module}? After that, changing scores needs a user with permission and a reason.</translation>
    </message>
    <message>
      <source>Còn {n} học viên chưa có điểm: {names}.</source>
      <translation type="obsolete">{n} learners have no score yet: {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Cũ</source>
      <translation>Old</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Cả lớp, theo học phần</source>
      <translation>Whole class, by module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Danh sách thi lại lớp {code}</source>
      <translation>Retake list of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Danh sách thi lại...</source>
      <translation>Retake list...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Excel (*.xlsx)</source>
      <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Gõ điểm (8,5 hoặc 8.5) rồi Enter · mũi tên để di chuyển · Delete để xóa · Ctrl+V dán từ Excel (cả khối lưu hoặc không lưu ô nào) · Ctrl+C chép</source>
      <translation>Type a score (8,5 or 8.5) then Enter · arrows to move · Delete to clear · Ctrl+V to paste from Excel (the whole block is saved or none) · Ctrl+C to copy</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Họ và tên</source>
      <translation>Full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Học phần {module}: còn {n}/{total} học viên chưa có điểm. Sau khi chốt, nhập điểm cho họ cần người có quyền và ghi lý do (thi sau, thi lại).</source>
      <translation>Module {module}: {n}/{total} learners have no score yet. Once finalised, entering their scores needs a user with permission and a reason (a later sitting, a retake).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Không dán: {n} ô có lỗi, không ô nào được lưu.</source>
      <translation>Not pasted: {n} cells have errors, no cell was saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Lúc</source>
      <translation>At</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Lý do</source>
      <translation>Reason</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Mọi học phần</source>
      <translation>All modules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Một học viên, mọi học phần</source>
      <translation>One learner, all modules</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Mới</source>
      <translation>New</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Mở lại để sửa...</source>
      <translation>Reopen to change...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Mục</source>
      <translation>Item</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Ngày sinh</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Người sửa</source>
      <translation>Changed by</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Nhập bảng điểm</source>
      <translation>Import score sheet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Nhập bảng điểm...</source>
      <translation>Import score sheet...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Sửa điểm đã chốt</source>
      <translation>Change finalised scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Thi lại</source>
      <translation>Retake</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Vẫn chốt điểm</source>
      <translation>Finalise anyway</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Xuất bảng điểm để nhập</source>
      <translation>Export score sheet for entry</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Xuất bảng điểm để nhập...</source>
      <translation>Export score sheet for entry...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Xóa {n} điểm</source>
      <translation>Clear {n} scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Xóa {n} điểm đã nhập trong các ô đang chọn? Mỗi điểm xóa được ghi vào nhật ký.</source>
      <translation>Clear the {n} scores entered in the selected cells? Each cleared score is recorded in the audit log.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Xóa điểm</source>
      <translation>Clear scores</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>chưa chốt</source>
      <translation>not finalised</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>{n} lượt học viên phải thi lại.</source>
      <translation>{n} learner retakes needed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>{n} tiết</source>
      <translation>{n} periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Điểm các lần</source>
      <translation>Scores by attempt</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Điểm học phần {module} đã chốt. Lý do sửa (ghi vào nhật ký):</source>
      <translation>The scores of module {module} are finalised. Reason for the change (written to the log):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Điểm tính</source>
      <translation>Score used</translation>
    </message>
    <message>
      <source>ĐÃ CHỐT ngày {date} ({who}): sửa cần người có quyền và ghi lý do</source>
      <translation type="obsolete">FINALISED on {date} ({who}): changes need a user with permission and a reason</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>ĐÃ CHỐT ngày {date}, người chốt: {who}; sửa cần người có quyền và ghi lý do</source>
      <translation>FINALISED on {date} by {who}; changes need a user with permission and a reason</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Đã chốt điểm học phần {module}.</source>
      <translation>Scores of module {module} finalised.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Đã chốt điểm học phần {module}; {n} học viên chưa có điểm (nhập sau cần ghi lý do): {names}.</source>
      <translation>Module {module} finalised; {n} learners have no score (entering it later needs a reason): {names}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Đã lưu bảng điểm {n} học viên vào {path}.</source>
      <translation>Saved the score sheet of {n} learners to {path}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Đã lưu {n} ô.</source>
      <translation>Saved {n} cells.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Đã lưu: {name}, {module} {label}: {old} → {new}</source>
      <translation>Saved: {name}, {module} {label}: {old} → {new}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Đã mở lại điểm học phần {module} để sửa.</source>
      <translation>Scores of module {module} reopened for changes.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Đã nhập bảng điểm học phần {module}: {changed} điểm thay đổi, {same} giữ nguyên.</source>
      <translation>Imported the score sheet of module {module}: {changed} scores changed, {same} unchanged.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>Đơn vị</source>
      <translation>Organisation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>điểm thành phần: {parts}</source>
      <translation>component scores: {parts}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/scores_tab.py" />
      <source>điểm đạt từ {mark}</source>
      <translation>pass mark {mark}</translation>
    </message>
  </context>
  <context>
    <name>selfcheck</name>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>(Báo cáo đã ghi vào {path})</source>
      <translation>(Report written to {path})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Bản nâng cấp cơ sở dữ liệu</source>
      <translation>Database upgrade</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Cơ sở dữ liệu</source>
      <translation>Database</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Giao diện</source>
      <translation>User interface</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>In giấy chứng nhận</source>
      <translation>Certificate printing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Không hỗ trợ loại cơ sở dữ liệu '{name}'.</source>
      <translation>Database type '{name}' is not supported.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Không kết nối được: {reason}</source>
      <translation>Could not connect: {reason}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Kết quả: CÓ LỖI.</source>
      <translation>Result: ERRORS FOUND.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Kết quả: đạt.</source>
      <translation>Result: passed.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>LỖI</source>
      <translation>ERROR</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>PDF {kb} KB, phông chữ đã nhúng</source>
      <translation>PDF {kb} KB, fonts embedded</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Trình kết nối PostgreSQL</source>
      <translation>PostgreSQL driver</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Tài nguyên</source>
      <translation>Resources</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>bản sao của {path} mở được và nâng cấp được tới lược đồ {rev}</source>
      <translation>a copy of {path} opens and upgrades to schema {rev}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>chưa có bảng</source>
      <translation>no tables yet</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>chưa có tệp {path}; tạo thử một cơ sở dữ liệu mới được (lược đồ {rev})</source>
      <translation>no file {path} yet; a new test database can be created (schema {rev})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>cửa sổ chính mở được (nền {platform})</source>
      <translation>the main window opens (platform {platform})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>không nạp được bản dịch tiếng Anh</source>
      <translation>could not load the English translation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>không đọc được {path}: {error}</source>
      <translation>could not read {path}: {error}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>lược đồ mới nhất {rev}</source>
      <translation>latest schema {rev}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>lược đồ {rev} thay vì {head}</source>
      <translation>schema {rev} instead of {head}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>phông chữ không được nhúng vào PDF</source>
      <translation>fonts are not embedded in the PDF</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" />
      <source>thiếu biểu tượng chương trình</source>
      <translation>the program icon is missing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>thiếu {files} (trong {root})</source>
      <translation>missing {files} (in {root})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>tệp PDF không đúng ({n} byte)</source>
      <translation>the PDF file is wrong ({n} bytes)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>tự kiểm tra</source>
      <translation>self-check</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>{url} kết nối được (lược đồ {server}); bản nâng cấp chạy được trên một cơ sở dữ liệu tạm (lược đồ {rev})</source>
      <translation>{url} connects (schema {server}); the upgrade runs on a temporary database (schema {rev})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>Địa chỉ cơ sở dữ liệu không hợp lệ.</source>
      <translation>Invalid database address.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/selfcheck.py" />
      <source>đủ {n} tệp trong {root}</source>
      <translation>all {n} files in {root}</translation>
    </message>
  </context>
  <context>
    <name>settings</name>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <location filename="../../dtbd_desktop/services/settings.py" />
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Biểu trưng phải là ảnh PNG.</source>
      <translation>The logo must be a PNG image.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Chưa lưu cài đặt: có {n} mục chưa hợp lệ.</source>
      <translation>Settings not saved: {n} items are not valid.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Chưa nhập tên trường / trung tâm.</source>
      <translation>The school / centre name has not been entered.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Chưa nhập địa danh ghi ngày tháng (ví dụ: Long An).</source>
      <translation>The place name for dates has not been entered (for example: Long An).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Chức danh cấp phó ký thay</source>
      <translation>Title of the deputy signing on behalf</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Chức danh người ký</source>
      <translation>Signatory's title</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Căn chỉnh máy in phải có đủ độ lệch ngang, dọc (mm) và tỉ lệ ngang, dọc.</source>
      <translation>The printer calibration needs the horizontal and vertical offsets (mm) and the horizontal and vertical scales.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Căn cứ chức năng, nhiệm vụ của cơ quan</source>
      <translation>The centre's own legal basis (functions and duties)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Cơ quan chủ quản</source>
      <translation>Superior body</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Dòng lưu văn bản</source>
      <translation>Archive line</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Họ tên cấp phó ký thay</source>
      <translation>Name of the deputy signing on behalf</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Họ tên người ký</source>
      <translation>Signatory's full name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Không có mục cài đặt: {keys}.</source>
      <translation>No such settings: {keys}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Ký hiệu cơ quan chỉ gồm chữ và số, ví dụ TCT.</source>
      <translation>The centre's symbol is letters and digits only, e.g. TCT.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Ký hiệu cơ quan trong số văn bản</source>
      <translation>The centre's symbol in document numbers</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Ký thay mặt (T/M) tập thể</source>
      <translation>Collective the head signs for (T/M)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Nhóm tuổi: nhập từ 1 đến 10 mốc tuổi tăng dần, mỗi mốc từ 15 đến 90, ví dụ 30, 40, 50.</source>
      <translation>Age groups: enter 1 to 10 increasing age limits, each from 15 to 90, for example 30, 40, 50.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Nơi nhận báo cáo</source>
      <translation>Recipients of reports</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Nơi nhận công văn</source>
      <translation>Recipients of letters</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Nơi nhận quyết định</source>
      <translation>Recipients of decisions</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Số bản sao lưu giữ lại</source>
      <translation>Number of backups kept</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Số ngày khóa điểm danh</source>
      <translation>Days before attendance is locked</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Tiêu đề Đảng phải là có hoặc không.</source>
      <translation>The Party heading must be yes or no.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Tuổi tối đa của cán bộ trẻ</source>
      <translation>Maximum age of young cadres</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Tên cơ quan trên tiêu đề văn bản</source>
      <translation>The centre's name in the letterhead</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Tên cơ sở cấp văn bằng (viết thường)</source>
      <translation>Issuing school's name (sentence case)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Tên trường / trung tâm</source>
      <translation>School / centre name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>dưới {n}</source>
      <translation>under {n}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>từ {n}</source>
      <translation>{n} and over</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>{label} dài quá {n} ký tự.</source>
      <translation>{label} is longer than {n} characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>{label} phải là chữ.</source>
      <translation>{label} must be text.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>{label} phải là số nguyên từ {low} đến {high}.</source>
      <translation>{label} must be a whole number from {low} to {high}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Đơn vị đề nghị (xét đề nghị của)</source>
      <translation>Proposing unit (on the proposal of)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Đơn vị, cá nhân thi hành quyết định</source>
      <translation>Units and persons carrying out decisions</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Địa chỉ trang xác thực phải là địa chỉ web đầy đủ, bắt đầu bằng https:// (ví dụ {example}), viết không dấu, không có khoảng trắng và không có dấu #.</source>
      <translation>The verification page address must be a full web address starting with https:// (for example {example}), without diacritics, spaces or #.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Địa danh</source>
      <translation>Place name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/settings.py" />
      <source>Ảnh biểu trưng quá lớn ({kb} KB); tối đa {max} KB.</source>
      <translation>The logo image is too large ({kb} KB); at most {max} KB.</translation>
    </message>
  </context>
  <context>
    <name>settings_dialog</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source> bản</source>
      <translation> copies</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source> ngày</source>
      <translation> days</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source> tuổi</source>
      <translation> years old</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>(chưa hợp lệ)</source>
      <translation>(not valid)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Cài đặt</source>
      <translation>Settings</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Các mốc tuổi tăng dần, cách nhau bởi dấu phẩy; dùng trong báo cáo thống kê. Ví dụ 30, 40, 50 cho bốn nhóm: dưới 30, 30–39, 40–49, từ 50.</source>
      <translation>Increasing age limits, separated by commas; used in statistics reports. For example 30, 40, 50 for four groups: under 30, 30–39, 40–49, 50 and over.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Các nhóm tuổi:</source>
      <translation>Age groups:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Cán bộ trẻ: đến</source>
      <translation>Young cadres: up to</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Căn chỉnh máy in cho giấy chứng nhận và phôi bằng in sẵn. In một bản thử, đo bằng thước: nếu chữ in lệch sang phải 2 mm so với chỗ cần in thì nhập độ lệch ngang -2; lệch xuống dưới 1,5 mm thì nhập độ lệch dọc -1,5. Tỉ lệ dùng khi máy in thu nhỏ hoặc phóng to bản in (100% là đúng kích thước).</source>
      <translation>Printer calibration for certificates and pre-printed diploma blanks. Print a test copy and measure it with a ruler: if the text is printed 2 mm to the right of where it should be, enter a horizontal offset of -2; 1.5 mm too low, enter a vertical offset of -1.5. The scale is for printers that shrink or enlarge the print (100% is actual size).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Giữ lại:</source>
      <translation>Keep:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Hãy bấm “Kiểm tra kết nối” tới máy chủ mới và kết nối được trước khi lưu.</source>
      <translation>Click “Test connection” to the new server and connect successfully before saving.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>In giấy tờ</source>
      <translation>Printing documents</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Khóa điểm danh sau:</source>
      <translation>Lock attendance after:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Lưu</source>
      <translation>Save</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Máy này</source>
      <translation>This PC</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Mã QR trên văn bằng</source>
      <translation>QR code on documents</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Mốc nhóm tuổi:</source>
      <translation>Age group limits:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Ngôn ngữ / Language:</source>
      <translation>Language / Ngôn ngữ:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Ngôn ngữ và nơi lưu dữ liệu chỉ áp dụng cho máy này, từ lần mở chương trình sau.</source>
      <translation>The language and the data location apply only to this PC, from the next time the program is opened.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Người ký</source>
      <translation>Signatory</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Nơi lưu dữ liệu</source>
      <translation>Data location</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Nơi lưu dữ liệu chưa nhập đủ.</source>
      <translation>The data location is incomplete.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Nơi đơn vị đăng trang xác thực (Văn bằng, chứng chỉ → Trang xác thực...). Khi có địa chỉ, mã QR in trên văn bằng là đường dẫn tới trang này: ai cũng kiểm tra được bằng camera điện thoại. Để trống: mã QR chỉ chứa nội dung đã ký, như trước.</source>
      <translation>Where the centre publishes its verification page (Certificates → Verification page...). With an address, the QR code printed on documents is a link to that page: anyone can check a document with a phone's camera. Empty: the QR code holds the signed text only, as before.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Quy định, thống kê</source>
      <translation>Rules, statistics</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Sao lưu ngay, sao lưu ra USB và phục hồi: mục Quản trị.</source>
      <translation>Back up now, back up to USB and restore: see Administration.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Sao lưu tự động (mỗi ngày và mỗi lần đóng chương trình)</source>
      <translation>Automatic backup (daily and every time the program closes)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Thư mục:</source>
      <translation>Folder:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Tiêu đề văn bản</source>
      <translation>Document heading</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Tên trường / trung tâm viết như trong câu, in trên giấy chứng nhận (“tại Trường Chính trị tỉnh Long An”). Để trống: lấy từ tên đơn vị.</source>
      <translation>The school / centre name as written in a sentence, printed on certificates (“tại Trường Chính trị tỉnh Long An”). Empty: made from the unit's name.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Tên trường trên văn bằng:</source>
      <translation>School name on documents:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Tỉ lệ dọc:</source>
      <translation>Vertical scale:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Tỉ lệ ngang:</source>
      <translation>Horizontal scale:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Văn bản</source>
      <translation>Documents</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>tệp {path}</source>
      <translation>file {path}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Đang dùng: {where}</source>
      <translation>In use: {where}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Điểm danh cũ hơn số ngày này bị khóa; muốn sửa phải có quyền và ghi lý do. 0: khóa ngay sau ngày học.</source>
      <translation>Attendance older than this number of days is locked; changing it needs permission and a reason. 0: locked right after the day of the lesson.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Đây là căn chỉnh chung cho mọi máy in. Để đo chính xác từ trang thử có lưới milimét, hoặc căn chỉnh riêng từng máy in: Văn bằng, chứng chỉ → Căn chỉnh máy in...</source>
      <translation>This is the common calibration for every printer. To measure precisely from a test page with a millimetre grid, or to calibrate each printer separately: Diplomas and certificates → Printer calibration...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Đã lưu. Ngôn ngữ hoặc nơi lưu dữ liệu mới có hiệu lực từ lần mở chương trình sau.</source>
      <translation>Saved. A new language or data location takes effect the next time the program is opened.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Đơn vị</source>
      <translation>Centre</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Địa chỉ trang xác thực:</source>
      <translation>Verification page address:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Độ lệch dọc (+ xuống dưới):</source>
      <translation>Vertical offset (+ down):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/settings_dialog.py" />
      <source>Độ lệch ngang (+ sang phải):</source>
      <translation>Horizontal offset (+ right):</translation>
    </message>
  </context>
  <context>
    <name>setup</name>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>(chưa có)</source>
      <translation>(none)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Biểu trưng (logo):</source>
      <translation>Logo:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Bỏ biểu trưng</source>
      <translation>Remove logo</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Chọn ảnh biểu trưng</source>
      <translation>Choose a logo image</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Chọn ảnh...</source>
      <translation>Choose image...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Chọn...</source>
      <translation>Choose...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Chức danh người ký:</source>
      <translation>Signatory's title:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Cơ quan chủ quản:</source>
      <translation>Superior body:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Cổng:</source>
      <translation>Port:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Hãy nhập máy chủ, tên cơ sở dữ liệu và người dùng.</source>
      <translation>Please enter the server, database name and user.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Họ tên người ký:</source>
      <translation>Signatory's full name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Không đọc được ảnh {name}.</source>
      <translation>Could not read image {name}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Kiểm tra kết nối</source>
      <translation>Test connection</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Kết nối được. Cơ sở dữ liệu còn trống: chương trình sẽ tạo các bảng khi mở lần đầu.</source>
      <translation>Connected. The database is still empty: the program will create the tables when it first opens.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Kết nối được. Máy chủ đã có dữ liệu của DTBD Desktop{centre}.</source>
      <translation>Connected. The server already holds DTBD Desktop data{centre}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Máy chủ:</source>
      <translation>Server:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Máy này không có kho mật khẩu của hệ điều hành nên không lưu được mật khẩu: để trống mật khẩu nếu máy chủ không hỏi, hoặc đặt biến môi trường DTBD_DATABASE_URL (xem hướng dẫn cài đặt).</source>
      <translation>This PC has no password store of the operating system, so the password cannot be kept: leave it empty if the server does not ask for one, or set the environment variable DTBD_DATABASE_URL (see the installation guide).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Mật khẩu được giữ trong kho mật khẩu của hệ điều hành (Windows Credential Manager), không ghi vào tệp cấu hình {path}.</source>
      <translation>The password is kept in the operating system's password store (Windows Credential Manager), not in the configuration file {path}.</translation>
    </message>
    <message>
      <source>Mật khẩu được lưu trong tệp cấu hình của máy này ({path}).</source>
      <translation type="obsolete">The password is stored in this PC's configuration file ({path}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Mật khẩu:</source>
      <translation>Password:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Người dùng:</source>
      <translation>User:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Nơi lưu tệp dữ liệu</source>
      <translation>Where to keep the data file</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Tiêu đề bên phải là “ĐẢNG CỘNG SẢN VIỆT NAM” (đơn vị của Đảng)</source>
      <translation>The heading on the right is “ĐẢNG CỘNG SẢN VIỆT NAM” (Party bodies)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Tiêu đề văn bản sẽ in như sau:</source>
      <translation>The document heading will be printed like this:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Trên máy chủ PostgreSQL (nhiều máy trong cơ quan dùng chung)</source>
      <translation>On a PostgreSQL server (shared by several PCs in the office)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Trên máy này (một tệp dữ liệu; dùng khi chỉ một máy làm việc)</source>
      <translation>On this PC (one data file; when only one PC is used)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Tên cơ sở dữ liệu:</source>
      <translation>Database name:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Tên trường / trung tâm (*):</source>
      <translation>School / centre name (*):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Tệp dữ liệu DTBD (*.sqlite3)</source>
      <translation>DTBD data files (*.sqlite3)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Tệp dữ liệu:</source>
      <translation>Data file:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Tệp này nằm trên ổ mạng dùng chung: dữ liệu có thể hỏng khi nhiều máy cùng ghi. Khi nhiều máy cùng làm việc, hãy dùng máy chủ PostgreSQL.</source>
      <translation>This file is on a shared network drive: the data may be damaged when several PCs write to it. When several PCs work together, use a PostgreSQL server.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Tệp này đã có: chương trình sẽ mở và dùng tiếp dữ liệu trong đó.</source>
      <translation>This file already exists: the program will open it and keep using its data.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Tệp sẽ được tạo khi mở chương trình lần đầu. Chương trình tự sao lưu dữ liệu mỗi ngày và mỗi lần đóng.</source>
      <translation>The file will be created when the program is first opened. The program backs up the data automatically every day and every time it closes.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>ví dụ: 192.168.1.10 hoặc may-chu</source>
      <translation>for example: 192.168.1.10 or server-name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>ví dụ: Long An</source>
      <translation>for example: Long An</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>ví dụ: Nguyễn Văn Bình</source>
      <translation>for example: Nguyễn Văn Bình</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>ví dụ: Trường Chính trị tỉnh Long An</source>
      <translation>for example: Trường Chính trị tỉnh Long An</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>ví dụ: Tỉnh ủy Long An</source>
      <translation>for example: Tỉnh ủy Long An</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>{error}

Hãy kiểm tra địa chỉ máy chủ, cổng, tên cơ sở dữ liệu, người dùng và mật khẩu; máy chủ phải cho phép máy này kết nối (pg_hba.conf, tường lửa).</source>
      <translation>{error}

Check the server address, port, database name, user and password; the server must allow this PC to connect (pg_hba.conf, firewall).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Đang kết nối...</source>
      <translation>Connecting...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Địa danh ghi ngày tháng (*):</source>
      <translation>Place name for dates (*):</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/setup_widgets.py" />
      <source>Ảnh (*.png *.jpg *.jpeg *.bmp *.gif)</source>
      <translation>Images (*.png *.jpg *.jpeg *.bmp *.gif)</translation>
    </message>
  </context>
  <context>
    <name>startup</name>
    <message>
      <location filename="../../dtbd_desktop/services/startup.py" />
      <source>Tệp cơ sở dữ liệu {path} bị hỏng ({problem}); chưa sao lưu để giữ nguyên các bản sao lưu tốt. Hãy đóng chương trình và phục hồi bản sao lưu gần nhất (Quản trị → Sao lưu, hoặc dtbd restore).</source>
      <translation>Database file {path} is damaged ({problem}); no backup was made, to keep the good backups intact. Close the program and restore the latest backup (Administration → Backup, or dtbd restore).</translation>
    </message>
  </context>
  <context>
    <name>statistics</name>
    <message>
      <location filename="../../dtbd_desktop/rules/statistics.py" />
      <source>Cán bộ trẻ (đến {n} tuổi)</source>
      <translation>Young cadres (up to {n} years old)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/statistics.py" />
      <source>Dân tộc thiểu số</source>
      <translation>Ethnic minorities</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/statistics.py" />
      <source>Nữ</source>
      <translation>Women</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/statistics.py" />
      <source>{c} lớp, {l} học viên (ngoài kế hoạch)</source>
      <translation>{c} classes, {l} learners (outside the plan)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/statistics.py" />
      <source>{c} lớp, {l} học viên, đạt {pc} / {pl}</source>
      <translation>{c} classes, {l} learners, achieving {pc} / {pl}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/statistics.py" />
      <source>Đảng viên</source>
      <translation>Party members</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/statistics.py" />
      <source>Độ tuổi {band}</source>
      <translation>Age {band}</translation>
    </message>
  </context>
  <context>
    <name>stats_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source> (đến {date})</source>
      <translation> (to {date})</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>&lt;b&gt;Năm {year}&lt;/b&gt;{partial}: {classes} lớp, {learners} lượt học viên (năm {prev}: {pc} lớp, {pl} lượt). Nữ {women} · dân tộc thiểu số {minorities} · cán bộ trẻ (đến {age} tuổi) {young} · đảng viên {party}.</source>
      <translation>&lt;b&gt;Year {year}&lt;/b&gt;{partial}: {classes} classes, {learners} learner-times ({prev}: {pc} classes, {pl} learner-times). Women {women} · ethnic minorities {minorities} · young cadres (up to {age}) {young} · Party members {party}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Bảng:</source>
      <translation>Table:</translation>
    </message>
    <message>
      <source>Cán bộ trẻ (đến {n} tuổi)</source>
      <translation type="obsolete">Young cadres (up to {n} years old)</translation>
    </message>
    <message>
      <source>Dân tộc thiểu số</source>
      <translation type="obsolete">Ethnic minorities</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Kết quả học tập theo xếp loại (lớp kết thúc trong năm)</source>
      <translation>Learning results by classification (classes finishing in the year)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Lượt học viên</source>
      <translation>Learner-times</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Lượt học viên theo chương trình</source>
      <translation>Learner-times by programme</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Năm {y} (lớp / HV)</source>
      <translation>{y} (classes / learners)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Nội dung</source>
      <translation>Content</translation>
    </message>
    <message>
      <source>Nữ</source>
      <translation type="obsolete">Women</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Số học viên</source>
      <translation>Learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Số học viên đã xét</source>
      <translation>Learners reviewed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Số lượng</source>
      <translation>Number</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Số lớp</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Tăng, giảm HV</source>
      <translation>Change in learners</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Tổng cộng</source>
      <translation>Total</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Tổng số lượt học viên</source>
      <translation>Total learner-times</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <location filename="../../dtbd_desktop/gui/screens/stats_view.py" />
      <source>Tỷ lệ</source>
      <translation>Share</translation>
    </message>
    <message>
      <source>Đảng viên</source>
      <translation type="obsolete">Party members</translation>
    </message>
    <message>
      <source>Độ tuổi {band}</source>
      <translation type="obsolete">Age {band}</translation>
    </message>
  </context>
  <context>
    <name>tasks</name>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" />
      <source>... và {n} lỗi khác.</source>
      <translation>... and {n} more errors.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" />
      <source>Không thực hiện được</source>
      <translation>Could not complete</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" />
      <source>Lỗi cơ sở dữ liệu: {error}</source>
      <translation>Database error: {error}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" />
      <source>Lỗi không mong đợi: {error}</source>
      <translation>Unexpected error: {error}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" />
      <source>cột {column}</source>
      <translation>column {column}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" />
      <source>dòng {row}</source>
      <translation>row {row}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" />
      <source>Đang xử lý</source>
      <translation>Working</translation>
    </message>
  </context>
  <context>
    <name>timetable</name>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Buổi '{half}' không hợp lệ: dùng morning (sáng), afternoon (chiều) hoặc evening (tối).</source>
      <translation>Invalid half-day '{half}': use morning, afternoon or evening.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <source>Buổi học phải là sáng, chiều hoặc tối.</source>
      <translation>A session must be in the morning, afternoon or evening.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Buổi học {slot} nằm ngoài thời gian học của lớp {code}.</source>
      <translation>Session {slot} is outside the study period of class {code}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Buổi học {slot} đã điểm danh {n} lượt nên không xóa được. Hãy dời buổi, hoặc xóa kèm lý do (điểm danh của buổi sẽ mất).</source>
      <translation>Session {slot} already has {n} attendance records, so it cannot be deleted. Move the session, or delete it with a reason (its attendance will be lost).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Buổi lên lớp cần chọn học phần.</source>
      <translation>A lesson session needs a module.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <source>Buổi {slot} ({what}) đã điểm danh {n} lượt: giữ nguyên buổi này.</source>
      <translation>The session of {slot} ({what}) has {n} attendance marks: it is kept as it is.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Chiều</source>
      <translation>Afternoon</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Chưa thêm được buổi học.</source>
      <translation>Could not add the session.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <source>Chương trình {code} chưa có học phần nào.</source>
      <translation>Programme {code} has no modules yet.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Chương trình {programme} không có học phần '{module}'.</source>
      <translation>Programme {programme} has no module '{module}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Chủ nhật</source>
      <translation>Sunday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Cần ghi lý do xóa buổi học đã điểm danh.</source>
      <translation>Give a reason for deleting a session with attendance.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Cần ghi tên ngày nghỉ (ví dụ: Tết Nguyên đán).</source>
      <translation>Give the holiday's name (for example: Lunar New Year).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Dời buổi học đã điểm danh ({n} lượt)</source>
      <translation>Moved a session with attendance ({n} records)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Giảng viên {name} dạy hai lớp {a} và {b} cùng buổi {slot}.</source>
      <translation>Lecturer {name} teaches two classes, {a} and {b}, in the same session {slot}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <source>Hãy chọn ít nhất một ngày học trong tuần.</source>
      <translation>Choose at least one day of the week.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Không dời được buổi học {slot}.</source>
      <translation>Could not move session {slot}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Không tìm thấy buổi học (có thể vừa bị người khác xóa).</source>
      <translation>Session not found (someone else may have just deleted it).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Không tìm thấy giảng viên đã chọn.</source>
      <translation>The selected lecturer was not found.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Loại buổi '{kind}' không hợp lệ: lesson (lên lớp), field_trip (đi thực tế) hoặc exam (thi).</source>
      <translation>Invalid session type '{kind}': lesson, field_trip or exam.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Lên lớp</source>
      <translation>Lesson</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Lớp {code} có buổi học {slot}, ngày nghỉ {holiday}.</source>
      <translation>Class {code} has session {slot} on a holiday, {holiday}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Lớp {code} đã có buổi học {slot} ({what}).</source>
      <translation>Class {code} already has session {slot} ({what}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <source>Lớp {code} đã có thời khóa biểu ({n} buổi). Muốn lập lại từ đầu thì chọn thay thế (dòng lệnh: --replace).</source>
      <translation>Class {code} already has a timetable ({n} sessions). To rebuild it from scratch, choose replace (command line: --replace).</translation>
    </message>
    <message>
      <source>Lớp {code} đã điểm danh {n} lượt trên thời khóa biểu hiện có, nên không lập lại thời khóa biểu được (điểm danh sẽ mất). Hãy dời, thêm hoặc xóa từng buổi.</source>
      <translation type="obsolete">Class {code} already has {n} attendance records on the current timetable, so the timetable cannot be rebuilt (the attendance would be lost). Move, add or delete sessions one by one.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <source>Mỗi buổi có từ 1 đến {n} tiết.</source>
      <translation>Each session has from 1 to {n} periods.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <source>Ngày bắt đầu xếp lịch {date} nằm ngoài thời gian học của lớp {code} ({start} – {end}).</source>
      <translation>The start day {date} is outside the dates of class {code} ({start} – {end}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Ngày {date} không có trong lịch nghỉ.</source>
      <translation>{date} is not in the holiday calendar.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Ngày {date} nằm ngoài thời gian học của lớp {code} ({start} – {end}); nếu lớp kéo dài thì sửa ngày của lớp trước.</source>
      <translation>{date} is outside the study period of class {code} ({start} – {end}); if the class runs longer, change the class dates first.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Sáng</source>
      <translation>Morning</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Số tiết của một buổi từ 0 đến {n}.</source>
      <translation>A session has from 0 to {n} periods.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Thi, kiểm tra</source>
      <translation>Exam, test</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <source>Thời khóa biểu lớp {code} vừa được người khác thay đổi: hãy xem trước lại rồi lưu.</source>
      <translation>The timetable of class {code} has just been changed by someone else: look at the preview again, then save.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Thứ Ba</source>
      <translation>Tuesday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Thứ Bảy</source>
      <translation>Saturday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Thứ Hai</source>
      <translation>Monday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Thứ Năm</source>
      <translation>Thursday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Thứ Sáu</source>
      <translation>Friday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Thứ Tư</source>
      <translation>Wednesday</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>Tên ngày nghỉ dài quá 200 ký tự.</source>
      <translation>The holiday name is longer than 200 characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Tối</source>
      <translation>Evening</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/generation.py" />
      <source>Từ {start} đến {end} lớp {code} chỉ có {available} buổi học ({days}, trừ ngày nghỉ), chương trình cần {needed} buổi. Hãy lùi ngày kết thúc hoặc chọn thêm ngày học trong tuần.</source>
      <translation>From {start} to {end}, class {code} has only {available} sessions ({days}, excluding holidays), but the programme needs {needed} sessions. Move the end date later or choose more study days in the week.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/timetable/sessions.py" />
      <source>{half} {weekday} {date}</source>
      <translation>{weekday} {half}, {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules/timetable.py" />
      <source>Đi thực tế</source>
      <translation>Field trip</translation>
    </message>
  </context>
  <context>
    <name>timetable_dialogs</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>(chưa phân công)</source>
      <translation>(not assigned)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>(không thuộc học phần nào)</source>
      <translation>(not part of any module)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Buổi:</source>
      <translation>Half-day:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Cho mọi buổi của học phần này trong lớp</source>
      <translation>For every session of this module in the class</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Dời buổi học {what}</source>
      <translation>Move session {what}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Giảng viên:</source>
      <translation>Lecturer:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Học phần:</source>
      <translation>Module:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Loại:</source>
      <translation>Type:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Ngày:</source>
      <translation>Date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Nơi đi thực tế, tên bài thi...</source>
      <translation>Field-trip destination, exam title...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Nội dung, địa điểm:</source>
      <translation>Content, place:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Phân công giảng viên – {what}</source>
      <translation>Assign lecturer – {what}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Sang ngày:</source>
      <translation>To date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Số tiết:</source>
      <translation>Periods:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Thêm buổi học</source>
      <translation>Add session</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_dialogs.py" />
      <source>Đồng ý</source>
      <translation>OK</translation>
    </message>
  </context>
  <context>
    <name>timetable_generate</name>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Buổi mới</source>
      <translation>New sessions</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Các buổi trong ngày:</source>
      <translation>Half-days:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Cần xem lại:</source>
      <translation>To look at:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Giảng viên</source>
      <translation>Lecturer</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Giữ nguyên các buổi trước ngày bắt đầu, các buổi đã điểm danh và các buổi đi thực tế hoặc thêm bằng tay; các học phần chỉ xếp phần tiết còn lại.</source>
      <translation>Sessions before the start day, sessions with attendance and field trips or sessions added by hand are kept; modules get only their remaining periods.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Giữ nguyên {n} buổi đã có.</source>
      <translation>Kept {n} existing sessions.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Giữ nguyên {n} buổi: {parts}.</source>
      <translation>Keep {n} sessions: {parts}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Học phần</source>
      <translation>Module</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Không có gì cần xem lại.</source>
      <translation>Nothing to look at.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Không cần thêm buổi nào.</source>
      <translation>No session needs to be added.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Không xếp buổi học vào ngày nghỉ: {days}.</source>
      <translation>No sessions on the holidays: {days}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Lưu thời khóa biểu</source>
      <translation>Save the timetable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Lập lại thời khóa biểu</source>
      <translation>Regenerate the timetable</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Lập lại thời khóa biểu lớp {code}</source>
      <translation>Regenerate the timetable of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Lập lại thời khóa biểu lớp {code}?</source>
      <translation>Regenerate the timetable of class {code}?</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Ngày học trong tuần:</source>
      <translation>Days of the week:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Ngày nghỉ:</source>
      <translation>Holidays:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Số tiết</source>
      <translation>Periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Số tiết của các buổi được giữ nguyên</source>
      <translation>Periods of the sessions that are kept</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Số tiết mỗi buổi:</source>
      <translation>Periods per session:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Thêm {n} buổi học, từ {first} đến {last}.</source>
      <translation>Add {n} sessions, from {first} to {last}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Tên học phần</source>
      <translation>Module name</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Tạo thời khóa biểu lớp {code}</source>
      <translation>Generate the timetable of class {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Từ ngày</source>
      <translation>From</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Xóa {n} buổi chưa điểm danh của thời khóa biểu hiện có.</source>
      <translation>Delete {n} sessions of the current timetable that have no attendance.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Xếp lịch từ ngày:</source>
      <translation>Lay out from:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>theo lịch ngày nghỉ của Trung tâm (ngày lễ, Tết); không xếp buổi học vào các ngày này.</source>
      <translation>from the centre's holiday calendar (public holidays, Tết); no sessions on these days.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>{n} buổi trước ngày {start}</source>
      <translation>{n} before {start}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>{n} buổi đi thực tế hoặc thêm bằng tay</source>
      <translation>{n} field trips or sessions added by hand</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>{n} buổi đã điểm danh từ ngày đó</source>
      <translation>{n} with attendance from that day on</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Đã có</source>
      <translation>Already</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Đã lập thời khóa biểu: {n} buổi mới, từ {first} đến {last}.</source>
      <translation>Timetable generated: {n} new sessions, from {first} to {last}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/dialogs/timetable_generate.py" />
      <source>Đến ngày</source>
      <translation>To</translation>
    </message>
  </context>
  <context>
    <name>timetable_tab</name>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>(chưa phân công GV)</source>
      <translation>(no lecturer assigned)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Buổi {what} đã điểm danh {n} lượt; xóa buổi sẽ xóa cả điểm danh. Lý do:</source>
      <translation>Session {what} has {n} attendance records; deleting the session also deletes the attendance. Reason:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Dời buổi...</source>
      <translation>Move session...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Hãy chọn một buổi học trong tuần trước (ở chế độ tháng: nhấn đúp vào ngày).</source>
      <translation>Select a session in the week first (in month view: double-click a day).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Hôm nay</source>
      <translation>Today</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Lớp chưa có thời khóa biểu ({start} – {end}): bấm "Tạo thời khóa biểu..." để xếp các học phần vào các buổi học.</source>
      <translation>The class has no timetable yet ({start} – {end}): press "Generate timetable..." to lay its modules out in sessions.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>Ngoài thời gian học của lớp.</source>
      <translation>Outside the study period of the class.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>Ngày nghỉ: {name}</source>
      <translation>Holiday: {name}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Phân công giảng viên...</source>
      <translation>Assign lecturer...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Tháng</source>
      <translation>Month</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>Tháng {month}/{year}</source>
      <translation>{month}/{year}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Thêm buổi học...</source>
      <translation>Add session...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Thêm buổi thi...</source>
      <translation>Add exam session...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Thêm buổi đi thực tế...</source>
      <translation>Add field-trip session...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Tuần</source>
      <translation>Week</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>Tuần {start} – {end}</source>
      <translation>Week {start} – {end}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Tạo thời khóa biểu...</source>
      <translation>Generate timetable...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Xóa buổi</source>
      <translation>Delete session</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Xóa buổi học</source>
      <translation>Delete session</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Xóa buổi {what}?</source>
      <translation>Delete session {what}?</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Xóa buổi đã điểm danh</source>
      <translation>Delete a session with attendance</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>chưa phân công</source>
      <translation>not assigned</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>{n} buổi học từ {start} đến {end}; {conflicts} trùng lịch.</source>
      <translation>{n} sessions from {start} to {end}; {conflicts} clashes.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>{periods} tiết · giảng viên: {lecturer}</source>
      <translation>{periods} periods · lecturer: {lecturer}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>{title} · {periods} tiết</source>
      <translation>{title} · {periods} periods</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>{what}, {half} {weekday} {date}</source>
      <translation>{what}, {weekday} {half}, {date}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Đã dời buổi học sang {half} {date}.</source>
      <translation>Moved the session to {date} ({half}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Đã phân công giảng viên.</source>
      <translation>Lecturer assigned.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Đã thêm buổi {kind} {half} {date}.</source>
      <translation>Added a {kind} session on {date} ({half}).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/screens/timetable_tab.py" />
      <source>Đã xóa buổi {what}.</source>
      <translation>Session {what} deleted.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>Đã điểm danh {n} lượt.</source>
      <translation>Attendance taken: {n} records.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/models/timetable_model.py" />
      <source>⚠ TRÙNG LỊCH</source>
      <translation>⚠ CLASH</translation>
    </message>
  </context>
  <context>
    <name>transcript_print</name>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>Bang diem {name} {code}</source>
      <translation>Transcript {name} {code}</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>Học viên:</source>
      <translation>Learner:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>Hủy</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>In bảng điểm học tập</source>
      <translation>Print the transcript</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>In bảng điểm học tập của {name}...</source>
      <translation>Print the transcript of {name}...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>In...</source>
      <translation>Print...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>Lưu bảng điểm học tập</source>
      <translation>Save the transcript</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>Ngày ký ghi ở cuối tài liệu</source>
      <translation>The signing date printed at the foot of the document</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>Ngày ký:</source>
      <translation>Signing date:</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>PDF (*.pdf);;Excel (*.xlsx)</source>
      <translation>PDF (*.pdf);;Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>Đang in...</source>
      <translation>Printing...</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/widgets/transcript_print.py" />
      <source>Đã lưu bảng điểm học tập của {name} vào {path}.</source>
      <translation>Saved the transcript of {name} to {path}.</translation>
    </message>
  </context>
  <context>
    <name>wording</name>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>Chưa lưu cách ghi văn bằng của chương trình {code}.</source>
      <translation>The document wording of programme {code} was not saved.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>Cách gọi người học</source>
      <translation>Salutation</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>Khóa học</source>
      <translation>Course</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>Khóa học: không có ô '{{{name}}}'; dùng {known}.</source>
      <translation>Course: there is no '{{{name}}}'; use {known}.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>Không có mục '{key}'.</source>
      <translation>There is no item '{key}'.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>Kết quả</source>
      <translation>Result</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>Tên khóa học in trên văn bằng</source>
      <translation>Course title on the document</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>Xếp loại</source>
      <translation>Classification</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>{label} dài quá {n} ký tự.</source>
      <translation>{label} is longer than {n} characters.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>{label} không được để trống.</source>
      <translation>{label} must not be empty.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/document_wording.py" />
      <source>{label} phải là chữ.</source>
      <translation>{label} must be text.</translation>
    </message>
  </context>
  <context>
    <name>workbooks</name>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>Không có tệp {file}: kiểm tra lại đường dẫn và tên tệp.</source>
      <translation>There is no file {file}: check the path and the file name.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <location filename="../../dtbd_desktop/workbooks/xls.py" />
      <source>Không mở được tệp {file}: {error}. Đóng tệp nếu đang mở trong chương trình khác rồi thử lại.</source>
      <translation>Cannot open {file}: {error}. Close the file if another program has it open, then try again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/xls.py" />
      <source>Không đọc được tệp {file}: tệp Excel 97-2003 (.xls) bị hỏng hoặc có đặt mật khẩu. Mở tệp bằng Excel (Excel sẽ đề nghị sửa tệp), bỏ mật khẩu nếu có, chọn Lưu thành (Save As) kiểu .xlsx rồi dùng tệp mới.</source>
      <translation>Cannot read file {file}: the Excel 97-2003 file (.xls) is damaged or password-protected. Open it in Excel (Excel will offer to repair it), remove the password if there is one, choose Save As with type .xlsx, then use the new file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/file_limits.py" />
      <source>Không đọc được tệp {file}: tệp bị hỏng ({reason}). Mở tệp bằng Excel (Excel sẽ đề nghị sửa tệp), chọn Lưu thành (Save As) kiểu Excel (.xlsx) rồi dùng tệp mới.</source>
      <translation>Cannot read {file}: the file is damaged ({reason}). Open it in Excel (Excel will offer to repair it), choose Save As, type Excel (.xlsx), and use the new file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>Không đọc được tệp {file}: đây không phải tệp Excel .xlsx hợp lệ (có thể là tệp CSV, HTML, Word hoặc tệp khác đổi tên). Mở tệp bằng Excel và lưu lại dạng .xlsx.</source>
      <translation>Cannot read {file}: this is not a valid Excel .xlsx file (it may be a CSV, HTML or Word file, or another file renamed). Open it in Excel and save it as .xlsx.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <location filename="../../dtbd_desktop/workbooks/xls.py" />
      <source>Trang tính '{sheet}' của tệp {file} có hơn {n} vùng gộp ô: tệp bị hỏng hoặc không phải bảng tính cần nhập. Bỏ gộp ô (Unmerge) ở các vùng thừa rồi lưu lại.</source>
      <translation>Sheet '{sheet}' of {file} has more than {n} merged ranges: the file is damaged or not the workbook to import. Unmerge the needless ranges and save it again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <location filename="../../dtbd_desktop/workbooks/xls.py" />
      <source>Trang tính '{sheet}' của tệp {file} có hơn {rows} dòng hoặc {cols} cột có dữ liệu: quá lớn cho bảng tính này. Xóa các dòng, cột thừa (kể cả ô lẻ ở xa cuối trang) rồi lưu lại.</source>
      <translation>Sheet '{sheet}' of {file} has data in more than {rows} rows or {cols} columns: too large for this workbook. Delete the needless rows and columns (a stray cell far down or right included) and save it again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>Tệp {file} có vùng gộp ô {ref} quá lớn (gộp cả trang tính): tệp bị hỏng hoặc không phải bảng tính cần nhập. Bỏ gộp ô (Unmerge) ở vùng đó rồi lưu lại.</source>
      <translation>{file} has a merged range {ref} that is too large (the whole sheet merged): the file is damaged or not the workbook to import. Unmerge that range and save it again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <location filename="../../dtbd_desktop/workbooks/xls.py" />
      <source>Tệp {file} có {n} trang tính, quá nhiều cho một bảng tính cần nhập: tệp bị hỏng hoặc không phải tệp cần nhập. Chép riêng bảng cần nhập sang một tệp Excel mới rồi dùng tệp đó.</source>
      <translation>{file} has {n} sheets, too many for a workbook to import: the file is damaged or not the file to import. Copy the table to import into a new Excel file and use that file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/xls.py" />
      <source>Tệp {file} có đặt mật khẩu: mở tệp bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc), lưu lại rồi dùng tệp đó.</source>
      <translation>File {file} is password-protected: open it in Excel, remove the password (File → Info → Protect Workbook), save it, then use that file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/xls.py" />
      <source>Tệp {file} không phải bảng tính Excel (có thể là tệp Word hoặc tệp khác của Office đổi tên): chọn đúng tệp Excel.</source>
      <translation>File {file} is not an Excel workbook (it may be a Word document or another Office file that has been renamed): choose the right Excel file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>Tệp {file} là bảng tính Excel dạng nhị phân (.xlsb): mở bằng Excel, chọn Lưu thành (Save As) kiểu .xlsx rồi dùng tệp mới.</source>
      <translation>{file} is an Excel binary workbook (.xlsb): open it in Excel, choose Save As, type .xlsx, and use the new file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>Tệp {file} là tệp Excel 97-2003 (.xls) hoặc tệp có đặt mật khẩu: mở tệp bằng Excel, bỏ mật khẩu nếu có, chọn Lưu thành (Save As) kiểu .xlsx rồi dùng tệp mới.</source>
      <translation>{file} is an Excel 97-2003 file (.xls) or a password-protected file: open it in Excel, remove the password if any, choose Save As, type .xlsx, and use the new file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>Tệp {file} là tệp LibreOffice (.ods); mở bằng LibreOffice và lưu thành Excel (.xlsx): Tệp → Lưu thành, chọn kiểu Excel 2007-365 (.xlsx).</source>
      <translation>{file} is a LibreOffice file (.ods); open it in LibreOffice and save it as Excel (.xlsx): File → Save As, type Excel 2007-365 (.xlsx).</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>Tệp {file} quá lớn để là bảng tính cần nhập (một phần của tệp giải nén ra hơn {mb} MB): tệp bị hỏng hoặc không phải tệp cần nhập. Chép riêng bảng cần nhập sang một tệp Excel mới rồi dùng tệp đó.</source>
      <translation>{file} is too large to be a workbook to import (a part of it unpacks to more than {mb} MB): the file is damaged or not the file to import. Copy the table to import into a new Excel file and use that file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/xls.py" />
      <source>Tệp {file} quá lớn để là bảng tính cần nhập: chép riêng bảng cần nhập sang một tệp Excel mới rồi dùng tệp đó.</source>
      <translation>File {file} is too large to be a workbook for importing: copy just the table you need into a new Excel file, then use that file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>có khai báo thực thể XML (DTD, ENTITY) không được phép</source>
      <translation>it declares XML entities (DTD, ENTITY), which are not allowed</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>nội dung XML hỏng</source>
      <translation>broken XML</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>thiếu một phần của bảng tính</source>
      <translation>a part of the workbook is missing</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>tệp nén bị cắt cụt hoặc hỏng</source>
      <translation>the zip file is cut short or damaged</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>vùng gộp ô '{ref}' sai</source>
      <translation>merged range '{ref}' is wrong</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>{file} là một thư mục, không phải tệp Excel: chọn tệp .xlsx.</source>
      <translation>{file} is a folder, not an Excel file: choose an .xlsx file.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <location filename="../../dtbd_desktop/workbooks/xls.py" />
      <source>{n} kiểu định dạng ô, nhiều hơn Excel cho phép</source>
      <translation>{n} cell formats, more than Excel allows</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/file_limits.py" />
      <source>Ô {cell} (trang '{sheet}') của tệp {file} chứa {n} ký tự, quá {limit} ký tự mà một ô của bảng có thể có: tệp bị hỏng hoặc ô ghi nhầm nội dung. Xóa hoặc rút gọn nội dung ô đó rồi nhập lại.</source>
      <translation>Cell {cell} (sheet '{sheet}') of {file} holds {n} characters, more than the {limit} a cell of the table can hold: the file is damaged or the cell holds something else. Delete or shorten it and import again.</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>ô tham chiếu tới nội dung không có trong tệp</source>
      <translation>a cell refers to content the file does not have</translation>
    </message>
    <message>
      <location filename="../../dtbd_desktop/workbooks/files.py" />
      <source>địa chỉ ô sai</source>
      <translation>a wrong cell reference</translation>
    </message>
  </context>
</TS>