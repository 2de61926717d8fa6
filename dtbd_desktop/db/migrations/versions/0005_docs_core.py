"""docs-core: the book of outgoing documents; one register per kind of document; the legal basis

Revision ID: 0005_docs_core
Revises: 0004_party_unknown
Create Date: 2026-12-05

* outgoing_documents: the book of outgoing documents (sổ đăng ký văn bản đi), numbers per year
  and kind; the graduation decisions already recorded on the results are entered in it as
  numbers typed by the office (a number two classes share is entered once, for the first);
* annual_report_texts: the office's assessment of the year and the tasks of the next;
* registers: `level` (the programmes' level: the diplomas of Sơ cấp and of Trung cấp get a
  register and a number series each), `opened_on`, `closed_on`; unique per kind, level and year.
  Issued serials and register numbers are never rewritten: a register whose lines are all of one
  level becomes that level's register and goes on numbering; a register of the first builds that
  holds diplomas of several levels keeps its lines and numbers as they are, is marked combined
  (`level` NULL) and closed on the day of the upgrade; the next diploma of each level opens that
  level's own register, with its own serial pattern (so no serial can repeat one of the combined
  register). `opened_on` is the first issue date of a register's lines;
* rule_sets: the seeded rule sets were named "Quy định mặc định", printed at the foot of every
  result list as "Quy định đã áp dụng (Quy định mặc định)": renamed "Quy định chung của chương
  trình";
* rule_sets.regulation: the note "(mặc định; Trường/Trung tâm sửa theo quy định đang áp dụng)"
  that the first catalogue left in every legal basis is removed (it was printed on official
  papers); a legal basis still equal to the first catalogue's default becomes the new default.
"""

import datetime as dt
import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_docs_core'
down_revision: str | None = '0004_party_unknown'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLACEHOLDER = " (mặc định; Trường/Trung tâm sửa theo quy định đang áp dụng)"
#: The first catalogue's legal bases (without the placeholder), by programme code.
FIRST_DEFAULTS = {
    "SC": "Chương trình và quy chế đào tạo sơ cấp lý luận chính trị theo quy định, hướng dẫn của Trung ương đối "
          "với trung tâm chính trị cấp huyện",
    "TC": "Quy chế đào tạo trung cấp lý luận chính trị của Học viện Chính trị quốc gia Hồ Chí Minh",
    "CC": "Quy chế đào tạo cao cấp lý luận chính trị của Học viện Chính trị quốc gia Hồ Chí Minh, hệ không tập "
          "trung phối hợp với trường chính trị tỉnh",
    "DVM": "Chương trình lý luận chính trị dành cho đảng viên mới theo hướng dẫn của Ban Tuyên giáo Trung ương "
           "(nay là Ban Tuyên giáo và Dân vận Trung ương)",
    "NTVD": "Hướng dẫn số 61-HD/BTGTW ngày 16/6/2022 của Ban Tuyên giáo Trung ương thực hiện chương trình bồi dưỡng "
            "nhận thức về Đảng",
    "DT4": "Quy định số 164-QĐ/TW năm 2013 của Bộ Chính trị về chế độ bồi dưỡng, cập nhật kiến thức đối với cán bộ "
           "lãnh đạo, quản lý các cấp; chương trình chi tiết do Trường xây dựng",
    "NVCTD": "Chương trình bồi dưỡng nghiệp vụ công tác Đảng ở cơ sở do Trường/Trung tâm xây dựng theo hướng dẫn của "
             "các ban xây dựng Đảng cấp tỉnh",
}


def _new_defaults() -> dict[str, str]:
    from dtbd_desktop.base.paths import resource_path

    with resource_path("catalogue", "programmes.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    return {p["code"]: p.get("regulation") or "" for p in data["programmes"]}


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    op.create_table(
        'outgoing_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('symbol', sa.String(length=60), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('subject', sa.String(length=500), nullable=False),
        sa.Column('recipients', sa.Text(), nullable=True),
        sa.Column('signer', sa.String(length=200), nullable=True),
        sa.Column('source', sa.String(length=200), nullable=True),
        sa.Column('typed', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('void_reason', sa.Text(), nullable=True),
        sa.Column('content', sa.JSON(), nullable=True),
        sa.Column('created_by', sa.String(length=60), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.CheckConstraint('number > 0', name=op.f('ck_outgoing_documents_number_positive')),
        sa.CheckConstraint("status IN ('issued', 'void')", name=op.f('ck_outgoing_documents_status_valid')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_documents')),
        sa.UniqueConstraint('year', 'kind', 'number', name=op.f('uq_outgoing_documents_year_kind_number')),
    )
    op.create_index('ix_outgoing_documents_source_live', 'outgoing_documents', ['source'], unique=True,
                    sqlite_where=sa.text("status = 'issued'"), postgresql_where=sa.text("status = 'issued'"))
    op.create_table(
        'annual_report_texts',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('assessment', sa.Text(), nullable=True),
        sa.Column('next_year', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_by', sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_annual_report_texts')),
    )
    with op.batch_alter_table('registers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('opened_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.drop_constraint(op.f('uq_registers_kind_year'), type_='unique')
        batch_op.create_unique_constraint(op.f('uq_registers_kind_level_year'), ['kind', 'level', 'year'])

    bind = op.get_bind()
    _registers(bind)
    _legal_bases(bind)
    _decisions(bind)


def _registers(bind: sa.engine.Connection) -> None:
    today = dt.date.today()
    registers = bind.execute(sa.text("SELECT id, kind FROM registers")).all()
    for register_id, kind in registers:
        levels = [row[0] for row in bind.execute(sa.text(
            "SELECT DISTINCT p.level FROM certificates c JOIN enrolments e ON e.id = c.enrolment_id "
            "JOIN classes k ON k.id = e.class_id JOIN programmes p ON p.id = k.programme_id "
            "WHERE c.register_id = :r"), {"r": register_id})]
        first = _as_date(bind.execute(sa.text("SELECT MIN(issue_date) FROM certificates WHERE register_id = :r"),
                                      {"r": register_id}).scalar())
        if len(levels) == 1:
            level, closed = levels[0], None
        elif not levels:
            level, closed = ("fostering" if kind == "certificate" else None), None
        else:
            level, closed = None, today
        bind.execute(sa.text("UPDATE registers SET level = :level, opened_on = :opened, closed_on = :closed "
                             "WHERE id = :r"),
                     {"level": level, "opened": first, "closed": closed if level is None and levels else None,
                      "r": register_id})


def _legal_bases(bind: sa.engine.Connection) -> None:
    bind.execute(sa.text("UPDATE rule_sets SET name = :new WHERE name = :old"),
                 {"new": "Quy định chung của chương trình", "old": "Quy định mặc định"})
    new = _new_defaults()
    rows = bind.execute(sa.text("SELECT r.id, r.regulation, p.code FROM rule_sets r "
                                "JOIN programmes p ON p.id = r.programme_id")).all()
    for rule_set_id, regulation, code in rows:
        if not regulation or PLACEHOLDER.strip() not in regulation:
            continue
        value = regulation.replace(PLACEHOLDER, "").replace(PLACEHOLDER.strip(), "").strip()
        if value == FIRST_DEFAULTS.get(code) and new.get(code):
            value = new[code]
        bind.execute(sa.text("UPDATE rule_sets SET regulation = :v WHERE id = :id"), {"v": value, "id": rule_set_id})


_NUMBER = re.compile(r"^\s*(?:số\s*:?\s*)?0*(\d{1,6})", re.IGNORECASE)


def _decisions(bind: sa.engine.Connection) -> None:
    rows = bind.execute(sa.text(
        "SELECT k.id, k.code, p.kind, g.decision_number, MIN(g.decision_date) FROM graduation_results g "
        "JOIN enrolments e ON e.id = g.enrolment_id JOIN classes k ON k.id = e.class_id "
        "JOIN programmes p ON p.id = k.programme_id "
        "WHERE g.eligible AND g.decision_number IS NOT NULL AND g.decision_date IS NOT NULL "
        "GROUP BY k.id, k.code, p.kind, g.decision_number ORDER BY MIN(g.decision_date), k.id")).all()
    taken: set[tuple[int, int]] = set()
    done: set[int] = set()
    table = sa.table('outgoing_documents', *(sa.column(c) for c in (
        'year', 'kind', 'number', 'symbol', 'issued_on', 'subject', 'source', 'typed', 'status', 'version',
        'created_by')))
    for class_id, code, programme_kind, number_text, decided in rows:
        found = _NUMBER.match(str(number_text))
        on = _as_date(decided)
        if class_id in done or not found or on is None or (on.year, int(found.group(1))) in taken:
            continue
        number = int(found.group(1))
        if not 0 < number <= 99999:
            continue
        subject = (f"Công nhận hoàn thành khóa bồi dưỡng lớp {code}" if programme_kind == "fostering"
                   else f"Công nhận tốt nghiệp lớp {code}")
        bind.execute(table.insert().values(year=on.year, kind="QĐ", number=number, symbol=str(number_text)[:60],
                                           issued_on=on, subject=subject, source=f"graduation:{class_id}",
                                           typed=True, status="issued", version=1, created_by="nang-cap"))
        taken.add((on.year, number))
        done.add(class_id)


def downgrade() -> None:
    with op.batch_alter_table('registers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_registers_kind_level_year'), type_='unique')
        batch_op.create_unique_constraint(op.f('uq_registers_kind_year'), ['kind', 'year'])
        batch_op.drop_column('closed_on')
        batch_op.drop_column('opened_on')
        batch_op.drop_column('level')
    op.drop_table('annual_report_texts')
    op.drop_index('ix_outgoing_documents_source_live', table_name='outgoing_documents')
    op.drop_table('outgoing_documents')
