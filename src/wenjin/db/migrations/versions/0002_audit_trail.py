"""the audit trail (操作日志), and who ran each catalogue import

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import wenjin.db.types
from wenjin.circulation.ddl import create_log_triggers, drop_log_triggers

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "audit_events"


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", wenjin.db.types.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("before", json, nullable=True),
        sa.Column("after", json, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_entity", ["entity", "entity_id", "at"], unique=False)
        batch_op.create_index("ix_audit_events_actor_at", ["actor", "at"], unique=False)
        batch_op.create_index("ix_audit_events_at", ["at"], unique=False)
    create_log_triggers(op, TABLE)
    with op.batch_alter_table("catalog_imports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("catalog_imports", schema=None) as batch_op:
        batch_op.drop_column("actor")
    drop_log_triggers(op, TABLE)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_at")
        batch_op.drop_index("ix_audit_events_actor_at")
        batch_op.drop_index("ix_audit_events_entity")
    op.drop_table(TABLE)
