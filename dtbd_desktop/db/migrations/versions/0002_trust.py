"""trust: a signed, gap-free audit chain with states; account keys; enrolled signing keys

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04

* audit_log: `seq` (gap-free position; existing entries numbered in id order), `format` (1 for
  the entries of the first build, whose hash covers less), `state`, `signature`;
* users: `public_key`, `key_params` (made at each account's next login);
* certificates: `version` (optimistic check for revoke and reissue);
* signing_keys: the keys an administrator enrolled; the public keys the first build kept in the
  setting `signing_public_keys` are carried over as enrolled;
* the setting `database_id`, which names the database in each PC's witness of the log's end;
* when the database already holds protected records, one entry `audit.baseline` with their
  states, so that `audit verify` compares later changes with them.
"""

import json
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('format', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('state', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('signature', sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_log_seq'), ['seq'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_key', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('key_params', sa.String(length=200), nullable=True))
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.create_table(
        'signing_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_id', sa.String(length=12), nullable=False),
        sa.Column('public_key', sa.String(length=60), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=True),
        sa.Column('enrolled_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('enrolled_by', sa.String(length=60), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_keys')),
        sa.UniqueConstraint('key_id', name=op.f('uq_signing_keys_key_id')),
        sa.UniqueConstraint('public_key', name=op.f('uq_signing_keys_public_key')),
    )

    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM audit_log ORDER BY id"))]
    for position, entry_id in enumerate(ids, start=1):
        bind.execute(sa.text("UPDATE audit_log SET seq = :seq WHERE id = :id"), {"seq": position, "id": entry_id})

    settings = sa.table('settings', sa.column('key', sa.String), sa.column('value', sa.JSON))
    keys = bind.execute(sa.select(settings.c.value).where(settings.c.key == 'signing_public_keys')).scalar()
    if isinstance(keys, str):
        keys = json.loads(keys)
    from dtbd_desktop.trust import signing

    signing_keys = sa.table('signing_keys', sa.column('key_id', sa.String), sa.column('public_key', sa.String),
                            sa.column('label', sa.String), sa.column('enrolled_by', sa.String),
                            sa.column('active', sa.Boolean))
    for public in keys or []:
        bind.execute(signing_keys.insert().values(key_id=signing.key_id(str(public)), public_key=str(public),
                                                  label="Khóa dùng trước khi có đăng ký khóa", enrolled_by=None,
                                                  active=True))
    bind.execute(settings.insert().values(key='database_id', value=uuid.uuid4().hex))

    from dtbd_desktop.trust import audit, protected

    with Session(bind=bind) as session:
        snap = protected.snapshot(session)
        if any(snap.values()):
            audit.record_system(session, action="audit.baseline", username="nang-cap", entity="database",
                                new="0002", state=snap)
            session.flush()


def downgrade() -> None:
    op.drop_table('signing_keys')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('key_params')
        batch_op.drop_column('public_key')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_log_seq'), type_='unique')
        batch_op.drop_column('signature')
        batch_op.drop_column('state')
        batch_op.drop_column('format')
        batch_op.drop_column('seq')
