<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi_VN">
  <context>
    <name>app</name>
    <message>
      <location filename="../../dtbd_desktop/gui/app.py" line="84" />
      <source>Không mở được cơ sở dữ liệu</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>catalogue</name>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="213" />
      <source>Chưa lưu được chương trình {code}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="200" />
      <source>Dòng {row}: loại học phần không hợp lệ.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="191" />
      <source>Dòng {row}: mã học phần '{code}' bị trùng.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="197" />
      <source>Dòng {row}: số tiết phải là số nguyên từ 0 đến 2000.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="189" />
      <source>Dòng {row}: thiếu mã học phần.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="195" />
      <source>Dòng {row}: thiếu tên học phần.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="149" />
      <source>Không có chương trình mã '{code}'. Các mã hiện có: {known}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="210" />
      <source>Không xóa được học phần '{code}' vì chương trình đã có lớp học; hãy đổi tên thay vì xóa.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="242" />
      <source>Quy định chưa hợp lệ, chưa lưu.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="101" />
      <source>Quy định mặc định</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="250" />
      <source>Quy định sửa đổi</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/catalogue.py" line="184" />
      <source>Tên chương trình không được để trống.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>class_dialog</name>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="185" />
      <source>(chưa phân công)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="115" />
      <source>Chương trình:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="62" />
      <source>Chức vụ</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="60" />
      <source>Dân tộc</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="120" />
      <source>GV chủ nhiệm:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="122" />
      <source>Ghi chú:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="59" />
      <source>Giới tính</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="116" />
      <source>Hình thức:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="56" />
      <source>Họ và tên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="142" />
      <source>Học viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="208" />
      <source>Học viên ({n})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="118" />
      <source>Khai giảng:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="252" />
      <source>Không lưu được</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="119" />
      <source>Kết thúc:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="145" />
      <source>Lưu</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="79" />
      <source>Lớp {code}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="113" />
      <source>Mã lớp:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="78" />
      <source>Mở lớp mới</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="57" />
      <source>Ngày sinh</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="123" />
      <source>Quy định áp dụng:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="61" />
      <source>Số CCCD</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="131" />
      <source>Thông tin lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="121" />
      <source>Trạng thái:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="114" />
      <source>Tên lớp:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="64" />
      <source>Tình trạng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="147" />
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="259" />
      <source>Xóa lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="260" />
      <source>Xóa lớp {code}? Chỉ xóa được lớp chưa có học viên.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="213" />
      <source>quy định hiện hành của chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="146" />
      <source>Đóng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="63" />
      <source>Đơn vị</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/class_dialog.py" line="117" />
      <source>Địa điểm:</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>classes</name>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="191" />
      <source>Chưa lưu được lớp {code}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="143" />
      <source>Chưa mở được lớp.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="140" />
      <source>Chương trình {code} chưa có quy định (bộ quy tắc).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="104" />
      <source>Hình thức '{mode}' không hợp lệ: dùng full-time (tập trung) hoặc part-time (không tập trung).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="188" />
      <source>Không chuyển được lớp từ '{old}' sang '{new}'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="135" />
      <source>Không có giảng viên chủ nhiệm đã chọn.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="77" />
      <source>Không có lớp mã '{code}'. Xem danh sách lớp bằng lệnh: dtbd class list</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="101" />
      <source>Lớp dài hơn 3 năm: kiểm tra lại ngày kết thúc.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="216" />
      <source>Lớp {code} còn {n} học viên; hãy chuyển hoặc xóa học viên trước.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="176" />
      <source>Lớp {code} vừa được người khác sửa. Hãy mở lại để xem bản mới nhất.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="212" />
      <source>Lớp {code} đã cấp {n} văn bằng, chứng chỉ nên không xóa được.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="110" />
      <source>Lớp {programme} {code}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="89" />
      <source>Mã lớp dài quá 40 ký tự.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="87" />
      <source>Mã lớp không được để trống (ví dụ: A48, K74B.21).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="98" />
      <source>Ngày kết thúc {end} trước ngày khai giảng {start}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="93" />
      <source>Thiếu ngày khai giảng.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="95" />
      <source>Thiếu ngày kết thúc.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="137" />
      <source>Trạng thái lớp không hợp lệ.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="91" />
      <source>Tên lớp dài quá 300 ký tự.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/classes.py" line="133" />
      <location filename="../../dtbd_desktop/services/classes.py" line="185" />
      <source>Đã có lớp mã '{code}'. Chọn mã khác.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>classes_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="37" />
      <source>Chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="76" />
      <source>Chương trình:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="45" />
      <source>GV chủ nhiệm</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="38" />
      <source>Hình thức</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="43" />
      <source>Học viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="40" />
      <source>Khai giảng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="42" />
      <source>Kết thúc</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="68" />
      <source>Lọc theo mã, tên lớp, địa điểm...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="54" />
      <source>Lớp học</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="35" />
      <source>Mã lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="137" />
      <source>Mọi chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="134" />
      <source>Mọi năm</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="63" />
      <source>Mọi trạng thái</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="71" />
      <source>Mở lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="70" />
      <source>Mở lớp mới...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="75" />
      <source>Năm:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="44" />
      <source>Trạng thái</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="77" />
      <source>Trạng thái:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="36" />
      <source>Tên lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="164" />
      <source>{n} lớp, {m} học viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/classes_view.py" line="39" />
      <source>Địa điểm</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>cli</name>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="24" />
      <source>'{value}' chỉ có năm; cần ngày đầy đủ dạng YYYY-MM-DD.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="121" />
      <source>Chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="77" />
      <source>Cơ sở dữ liệu {url} đã ở phiên bản {rev}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="74" />
      <source>DTBD Desktop: quản lý đào tạo, bồi dưỡng (dòng lệnh).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="94" />
      <source>Học phần</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="122" />
      <source>Học viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="121" />
      <source>Khai giảng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="164" />
      <source>Không thực hiện được: {error}. Không có gì bị thay đổi. Chạy lại với --debug để xem chi tiết.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="121" />
      <source>Kết thúc</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="94" />
      <source>Loại</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="159" />
      <source>Lỗi cơ sở dữ liệu: {error}. Không có gì bị thay đổi.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="173" />
      <source>Lỗi không mong đợi ({kind}): {error}. Chạy lại với --debug và gửi kết quả cho bộ phận kỹ thuật.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="116" />
      <source>Lỗi: {message}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="94" />
      <source>Mã</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="121" />
      <source>Mã lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="30" />
      <source>Năm '{value}' không hợp lệ (ví dụ: 2025).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="136" />
      <source>Sai cú pháp lệnh. {detail}. Xem: dtbd --help</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="94" />
      <source>Số tiết</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="122" />
      <source>Trạng thái</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="91" />
      <source>bồi dưỡng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="76" />
      <source>cơ sở dữ liệu (URL SQLAlchemy); mặc định: DTBD_DATABASE_URL hoặc tệp SQLite của người dùng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="122" />
      <source>cột {column}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="39" />
      <source>danh mục chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="57" />
      <source>danh sách lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="120" />
      <source>dòng {row}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="53" />
      <source>hình thức: full-time (tập trung) hoặc part-time (không tập trung)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="41" />
      <source>liệt kê chương trình và học phần</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="44" />
      <source>lớp học</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="59" />
      <source>mã chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="48" />
      <source>mã chương trình, ví dụ TC</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="47" />
      <source>mã lớp, ví dụ A48</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="46" />
      <source>mở lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="49" />
      <source>ngày khai giảng YYYY-MM-DD</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="50" />
      <source>ngày kết thúc YYYY-MM-DD</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="58" />
      <source>năm mở lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="36" />
      <source>thêm dữ liệu mẫu của một trường chính trị tỉnh</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="92" />
      <source>tiết</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="60" />
      <source>trạng thái</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="51" />
      <source>tên lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="35" />
      <source>tạo hoặc nâng cấp cơ sở dữ liệu, nạp danh mục chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="126" />
      <source>{n} lớp.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/main.py" line="168" />
      <source>Đã dừng theo yêu cầu; không có gì bị thay đổi.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="110" />
      <source>Đã mở lớp {code} ({name}), {start} – {end}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="79" />
      <source>Đã thêm {n} chương trình vào danh mục.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="75" />
      <source>Đã tạo cơ sở dữ liệu {url}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="91" />
      <source>đào tạo</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/cli/commands_base.py" line="54" />
      <source>địa điểm học</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>db</name>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" line="154" />
      <source>Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình (lược đồ {rev}). Hãy cài phiên bản mới nhất của DTBD Desktop.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" line="95" />
      <source>Không hỗ trợ loại cơ sở dữ liệu '{name}'. Dùng sqlite hoặc postgresql+psycopg.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" line="145" />
      <location filename="../../dtbd_desktop/db/engine.py" line="216" />
      <source>Không mở được cơ sở dữ liệu {url}: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/db/engine.py" line="80" />
      <source>Địa chỉ cơ sở dữ liệu không hợp lệ: {url}. Ví dụ: sqlite:///C:/dtbd/dtbd.sqlite3 hoặc postgresql+psycopg://user:matkhau@may-chu/dtbd</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>demo</name>
    <message>
      <location filename="../../dtbd_desktop/demo.py" line="324" />
      <source>Chưa có nhận xét của cơ quan cử đi học</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/demo.py" line="356" />
      <source>Cơ sở dữ liệu này đã có dữ liệu thật; dữ liệu mẫu chỉ thêm vào cơ sở dữ liệu trống. Dùng --db để chỉ một tệp khác.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/demo.py" line="354" />
      <source>Cơ sở dữ liệu đã có dữ liệu mẫu.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/demo.py" line="372" />
      <source>Đang tạo lớp {code}...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/demo.py" line="364" />
      <source>Đang tạo đơn vị, giảng viên...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/demo.py" line="382" />
      <source>Đã tạo dữ liệu mẫu: {c} lớp, {l} học viên, {g} giảng viên.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>learners</name>
    <message>
      <location filename="../../dtbd_desktop/services/learners.py" line="138" />
      <source>Không tìm thấy học viên.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>learners_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="47" />
      <source>Chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="165" />
      <source>Chức vụ:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="40" />
      <source>Các lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="37" />
      <source>Dân tộc</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="162" />
      <source>Dân tộc:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="36" />
      <source>Giới tính</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="161" />
      <source>Giới tính:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="34" />
      <source>Họ và tên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="159" />
      <source>Họ và tên:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="65" />
      <source>Học viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="155" />
      <source>Không</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="50" />
      <source>Kết quả</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="46" />
      <source>Lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="35" />
      <source>Ngày sinh</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="160" />
      <source>Ngày sinh:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="164" />
      <source>Nơi sinh:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="188" />
      <source>Quá trình học tập tại Trung tâm:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="38" />
      <source>Số CCCD</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="163" />
      <source>Số CCCD:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="169" />
      <source>Trình độ LLCT:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="168" />
      <source>Trình độ chuyên môn:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="69" />
      <source>Tìm theo họ tên (gõ có dấu hoặc không dấu) hoặc số CCCD...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="48" />
      <source>Từ ngày</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="51" />
      <source>Văn bằng, chứng chỉ</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="71" />
      <source>Xem thêm</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="134" />
      <source>{n}{more} học viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="170" />
      <source>Điện thoại:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="184" />
      <source>Đóng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="39" />
      <source>Đơn vị</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="166" />
      <source>Đơn vị:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="156" />
      <source>Đảng viên, vào Đảng {date}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="167" />
      <source>Đảng viên:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/learners_view.py" line="49" />
      <source>Đến ngày</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>lecturers</name>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" line="53" />
      <source>Chưa lưu được giảng viên.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" line="49" />
      <source>Họ và tên giảng viên không được để trống.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" line="61" />
      <source>Không tìm thấy giảng viên cần sửa.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/lecturers.py" line="51" />
      <source>Loại giảng viên không hợp lệ.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>lecturers_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="41" />
      <source>Có</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="88" />
      <source>Giảng viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="43" />
      <source>Họ và tên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="142" />
      <source>Họ và tên:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="44" />
      <source>Học hàm, học vị</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="143" />
      <source>Học hàm, học vị:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="46" />
      <source>Khoa, phòng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="146" />
      <source>Khoa, phòng:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="41" />
      <source>Không</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="45" />
      <source>Loại giảng viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="144" />
      <source>Loại giảng viên:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="104" />
      <source>Loại:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="149" />
      <source>Lưu</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="93" />
      <source>Mọi loại giảng viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="47" />
      <source>Nơi công tác</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="147" />
      <source>Nơi công tác:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="230" />
      <source>Sửa thông tin giảng viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="100" />
      <source>Thêm giảng viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="230" />
      <source>Thêm giảng viên mới</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="98" />
      <source>Tìm theo tên, đơn vị, điện thoại (gõ có dấu hoặc không dấu)...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="128" />
      <source>ví dụ: ThS., TS., PGS.TS.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="211" />
      <source>{n} giảng viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="212" />
      <source>{shown}/{n} giảng viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="50" />
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="139" />
      <source>Đang giảng dạy</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="49" />
      <source>Điện thoại</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="148" />
      <source>Điện thoại:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/lecturers_view.py" line="254" />
      <source>Đã lưu giảng viên {name}.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>main</name>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="75" />
      <source>&amp;Tệp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="80" />
      <source>&amp;Đi tới</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="45" />
      <source>Chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="70" />
      <source>Cơ sở dữ liệu: {url}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="110" />
      <source>DTBD Desktop {version}
Quản lý đào tạo, bồi dưỡng cho Trường Chính trị tỉnh và Trung tâm Chính trị cấp huyện.
Hoạt động hoàn toàn không cần Internet.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="27" />
      <source>DTBD Desktop – Quản lý đào tạo, bồi dưỡng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="47" />
      <source>Giảng viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="88" />
      <source>Giới thiệu</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="109" />
      <source>Giới thiệu DTBD Desktop</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="44" />
      <source>Học viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="43" />
      <source>Lớp học</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="76" />
      <source>Thoát</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="87" />
      <source>Trợ &amp;giúp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/main_window.py" line="46" />
      <source>Đơn vị cử học</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>organisations</name>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="86" />
      <source>Chưa lưu được đơn vị.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="56" />
      <source>Cấp đơn vị không hợp lệ.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="60" />
      <source>Không có đơn vị cấp trên đã chọn.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="65" />
      <source>Không thể đặt một đơn vị làm cấp dưới của chính nó.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="94" />
      <source>Không tìm thấy đơn vị cần sửa.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="106" />
      <source>Không tìm thấy đơn vị cần xóa.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="58" />
      <source>Khối không hợp lệ.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="54" />
      <source>Tên đơn vị không được để trống.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="75" />
      <source>Đã có đơn vị '{name}' ở cùng cấp trên.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="108" />
      <source>Đơn vị '{name}' còn đơn vị cấp dưới; hãy xóa hoặc chuyển chúng trước.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/services/organisations.py" line="113" />
      <source>Đơn vị '{name}' đã có học viên nên không xóa được.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>organisations_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="206" />
      <source>(Không có – đơn vị cấp cao nhất)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="66" />
      <source>Cấp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="101" />
      <source>Cấp:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="66" />
      <source>Học viên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="66" />
      <source>Khối</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="102" />
      <source>Khối:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="109" />
      <source>Lưu</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="282" />
      <source>Sửa đơn vị: {name}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="107" />
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="304" />
      <source>Thêm đơn vị cấp cao nhất</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="105" />
      <source>Thêm đơn vị trực thuộc</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="296" />
      <source>Thêm đơn vị trực thuộc {name}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="103" />
      <source>Trực thuộc:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="100" />
      <source>Tên viết tắt:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="66" />
      <source>Tên đơn vị</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="99" />
      <source>Tên đơn vị:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="61" />
      <source>Tìm đơn vị (gõ có dấu hoặc không dấu)...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="112" />
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="336" />
      <source>Xóa đơn vị</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="336" />
      <source>Xóa đơn vị "{name}"?</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="237" />
      <source>{n} đơn vị</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="238" />
      <source>{n} đơn vị khớp với tìm kiếm</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="319" />
      <source>Đã lưu đơn vị "{name}".</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="344" />
      <source>Đã xóa đơn vị "{name}".</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/organisations_view.py" line="56" />
      <source>Đơn vị cử đi học</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>programmes_view</name>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="116" />
      <source>Buộc thôi học</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="63" />
      <source>Bồi dưỡng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="95" />
      <source>Chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="480" />
      <source>Chương trình đào tạo, bồi dưỡng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="164" />
      <source>Các học phần như nhau</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="106" />
      <source>Cách tính điểm trung bình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="239" />
      <source>Căn cứ (in trên báo cáo áp dụng quy định):</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="230" />
      <source>Căn cứ in trên báo cáo, ví dụ: Quy định số .../QĐ-TCT ngày ...</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="104" />
      <source>Giới hạn vắng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="190" />
      <source>Học bổ sung:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="58" />
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="68" />
      <source>Học phần</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="597" />
      <source>Học phần, chuyên đề (nhấn đúp vào ô để sửa):</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="193" />
      <source>Khóa bồi dưỡng:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="59" />
      <source>Khóa luận</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="115" />
      <source>Không áp dụng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="106" />
      <source>Kết quả khóa học</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="192" />
      <source>Kết quả khóa học:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="107" />
      <source>Kỷ luật bị hạ loại</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="196" />
      <source>Kỷ luật hạ một mức:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="197" />
      <source>Kỷ luật không công nhận:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="108" />
      <source>Kỷ luật không được công nhận</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="69" />
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="96" />
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="339" />
      <source>Loại</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="574" />
      <source>Lên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="588" />
      <source>Lưu chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="507" />
      <source>Lưu quy định</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="209" />
      <source>Lưu ý: nếu đã có lớp áp dụng quy định hiện hành, khi lưu sẽ tạo một phiên bản quy định mới cho các lớp mở sau; các lớp đã mở giữ nguyên quy định cũ.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="159" />
      <source>Lần thi cao nhất</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="158" />
      <source>Lần thi sau cùng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="105" />
      <source>Lần thi được tính</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="191" />
      <source>Lần thi được tính:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="69" />
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="339" />
      <source>Mã</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="68" />
      <source>Mô tả</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="549" />
      <source>Mô tả:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="110" />
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="218" />
      <source>Mức xếp loại</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="69" />
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="339" />
      <source>Phần</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="272" />
      <source>Quy định hiện hành: &lt;b&gt;{name}&lt;/b&gt; (mã số {id}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="517" />
      <source>Quy định đánh giá, xếp loại</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="110" />
      <source>Số chữ số lẻ khi in</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="109" />
      <source>Số chữ số lẻ khi xếp loại</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="199" />
      <source>Số chữ số lẻ:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="97" />
      <source>Số lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="69" />
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="339" />
      <source>Số tiết</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="163" />
      <source>Theo số tiết của học phần</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="195" />
      <source>Thi lại:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="58" />
      <source>Thi tốt nghiệp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="572" />
      <source>Thêm học phần</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="222" />
      <source>Thêm mức</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="503" />
      <source>Thông tin và học phần</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="234" />
      <source>Tên bộ quy định:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="68" />
      <source>Tên chương trình</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="548" />
      <source>Tên chương trình:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="339" />
      <source>Tên học phần</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="105" />
      <source>Tính là vắng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="189" />
      <source>Tính là vắng:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="660" />
      <source>Tổng: {n} học phần, {p} tiết</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="116" />
      <source>Từ cảnh cáo trở lên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="115" />
      <source>Từ khiển trách trở lên</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="188" />
      <source>Vắng quá (% số tiết):</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="575" />
      <source>Xuống</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="198" />
      <source>Xác nhận của đơn vị:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="573" />
      <source>Xóa dòng</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="222" />
      <source>Xóa mức</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="160" />
      <source>Xếp loại (Xuất sắc, Giỏi...)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="162" />
      <source>bài thu hoạch xếp theo các mức</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="168" />
      <source>bắt buộc trước khi xét tốt nghiệp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="273" />
      <source>chưa có</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="165" />
      <source>có học phần thi lại thì hạ một mức</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="82" />
      <source>dòng {row}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="157" />
      <source>học đủ số tiết thì được dự thi</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="184" />
      <source>khi in</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="182" />
      <source>khi xếp loại,</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="153" />
      <source>vắng có phép</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="153" />
      <source>vắng không phép</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="92" />
      <source>{name} (ngừng sử dụng)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="643" />
      <source>{n} lớp</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="545" />
      <source>Đang sử dụng (được mở lớp mới)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="194" />
      <source>Điểm trung bình:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="218" />
      <source>Điểm tối thiểu</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="104" />
      <source>Điểm đạt</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="187" />
      <source>Điểm đạt (thang 10):</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="63" />
      <source>Đào tạo</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="700" />
      <source>Đã lưu chương trình {code}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="728" />
      <source>Đã lưu quy định "{name}".</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="727" />
      <source>Đã tạo phiên bản quy định mới "{name}"; các lớp đã mở giữ quy định cũ.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="161" />
      <source>Đạt / Không đạt</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/views/programmes_view.py" line="154" />
      <source>đi muộn</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>rules</name>
    <message>
      <location filename="../../dtbd_desktop/rules.py" line="120" />
      <source>'{key}' phải là reprimand, warning, expulsion hoặc để trống.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules.py" line="80" />
      <source>'{key}' phải là số từ {low} đến {high}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules.py" line="114" />
      <source>Các mức xếp loại phải xếp từ cao xuống thấp (mức {n}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules.py" line="99" />
      <source>Cách tính trung bình phải là 'periods' (theo số tiết) hoặc 'equal'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules.py" line="103" />
      <source>Cần ít nhất một mức xếp loại.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules.py" line="96" />
      <source>Kết quả phải là 'classification' (xếp loại) hoặc 'pass_fail' (đạt/không đạt).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules.py" line="93" />
      <source>Lần thi được tính phải là 'latest' (lần sau cùng) hoặc 'best' (lần cao nhất).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules.py" line="110" />
      <source>Mức xếp loại thứ {n} cần tên và điểm tối thiểu từ 0 đến 10.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/rules.py" line="124" />
      <source>Trạng thái tính là vắng chỉ gồm excused, unexcused, late.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>tasks</name>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" line="68" />
      <source>... và {n} lỗi khác.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" line="96" />
      <source>Hủy</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" line="141" />
      <source>Không thực hiện được</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" line="70" />
      <source>Lỗi không mong đợi: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" line="65" />
      <source>cột {column}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" line="63" />
      <source>dòng {row}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../dtbd_desktop/gui/tasks.py" line="97" />
      <source>Đang xử lý</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
