"""verify-page: the course a document was issued for, frozen and signed with its register line

Revision ID: 0003_verify_page
Revises: 0002
Create Date: 2026-12-04

* certificates: `course` (the class's name at issue). Documents issued from now on sign it with
  the rest of their line, so the static verification page can show it; lines issued before keep
  None and their five-field signature (`trust.signing.signed_payload`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003_verify_page'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('course', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('course')
