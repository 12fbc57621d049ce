"""Database DDL that Alembic cannot autogenerate: the append-only triggers of the
circulation log (and, from migration 0002, of the audit trail: ``table=``).

The initial migration calls :func:`create_log_triggers` at the end of ``upgrade()``
and :func:`drop_log_triggers` at the start of ``downgrade()``. When the migration
is regenerated (``scripts/new-migration``), those two calls must be put back:
``tests/integration/circulation/test_log.py`` fails if the database lets a log
entry be changed.
"""

from __future__ import annotations

from typing import Protocol

TABLE = "circulation_events"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION wenjin_refuse_log_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""


class _Operations(Protocol):
    def execute(self, sqltext: str) -> object: ...
    def get_bind(self) -> object: ...


def _dialect(op: _Operations) -> str:
    return str(op.get_bind().dialect.name)  # type: ignore[attr-defined]


def create_log_triggers(op: _Operations, table: str = TABLE) -> None:
    """Make the database refuse UPDATE and DELETE on the log (TRUNCATE, an administrator's
    act, stays possible on PostgreSQL: the test harness empties tables with it)."""
    if _dialect(op) == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION wenjin_refuse_log_change()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
        )


def drop_log_triggers(op: _Operations, table: str = TABLE) -> None:
    if _dialect(op) == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        if table == TABLE:  # the first log made the function; the last to go drops it
            op.execute("DROP FUNCTION IF EXISTS wenjin_refuse_log_change()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
