"""past: the book of copies issued from the register; possible duplicates between learners

Revision ID: 0006_past
Revises: 0005_docs_core
Create Date: 2026-12-06

* certificate_copies: the book of copies (sổ cấp bản sao), one line per copy issued from a
  register line, numbered per year;
* possible_duplicates: pairs of learner records that an import found with the same name and
  birth date and nothing to tell them apart, for a person to merge or dismiss; a merge keeps
  what undoing it needs until it is confirmed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_past'
down_revision: str | None = '0005_docs_core'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'certificate_copies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('copy_number', sa.String(length=60), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('requested_by', sa.String(length=200), nullable=True),
        sa.Column('created_by', sa.String(length=60), nullable=True),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.CheckConstraint('number > 0', name=op.f('ck_certificate_copies_number_positive')),
        sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], ondelete='RESTRICT',
                                name=op.f('fk_certificate_copies_certificate_id_certificates')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_copies')),
        sa.UniqueConstraint('year', 'number', name=op.f('uq_certificate_copies_year_number')),
    )
    op.create_index(op.f('ix_certificate_copies_certificate_id'), 'certificate_copies', ['certificate_id'])
    op.create_table(
        'possible_duplicates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('other_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('source', sa.String(length=300), nullable=True),
        sa.Column('merged', sa.JSON(), nullable=True),
        sa.Column('decided_by', sa.String(length=60), nullable=True),
        sa.Column('found_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'merged', 'confirmed', 'dismissed')",
                           name=op.f('ck_possible_duplicates_status_valid')),
        sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], ondelete='CASCADE',
                                name=op.f('fk_possible_duplicates_learner_id_learners')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_possible_duplicates')),
        sa.UniqueConstraint('learner_id', 'other_id', name=op.f('uq_possible_duplicates_learner_id_other_id')),
    )
    op.create_index(op.f('ix_possible_duplicates_learner_id'), 'possible_duplicates', ['learner_id'])
    op.create_index(op.f('ix_possible_duplicates_other_id'), 'possible_duplicates', ['other_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_possible_duplicates_other_id'), table_name='possible_duplicates')
    op.drop_index(op.f('ix_possible_duplicates_learner_id'), table_name='possible_duplicates')
    op.drop_table('possible_duplicates')
    op.drop_index(op.f('ix_certificate_copies_certificate_id'), table_name='certificate_copies')
    op.drop_table('certificate_copies')
