"""learners: Party membership that may be unknown

Revision ID: 0004_party_unknown
Revises: 0003_verify_page
Create Date: 2026-12-05

`learners.party_member` becomes nullable: NULL is "not known" (the list said nothing), False a
known "no", True a member. Until now nothing could record a known "no": the roster import set
the flag only from a Party join date, and no screen edited it. So a stored False without a join
date is turned into NULL (not known); True, and False with a date (which cannot happen), stay.

SQLite rebuilds the table to drop NOT NULL (with the foreign keys that point at learners
switched off meanwhile and checked at the end: `db.engine.migrate`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_party_unknown'  # Alembic allows no '-' in a revision id
down_revision: str | None = '0003_verify_page'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.alter_column('party_member', existing_type=sa.Boolean(), nullable=True)
    bind.execute(sa.text("UPDATE learners SET party_member = NULL "
                         "WHERE party_member = :no AND party_join_date IS NULL").bindparams(no=False))


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE learners SET party_member = :no WHERE party_member IS NULL").bindparams(no=False))
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.alter_column('party_member', existing_type=sa.Boolean(), nullable=False)
