"""Database DDL for search that Alembic cannot autogenerate: the change sequence and triggers.

A copy added, moved, lent or returned changes what a search shows about its record
(which points have it available, how often it was borrowed), so the database itself
raises the record's ``search_documents.seq`` when a row of ``items`` changes, and
counts loans into ``loan_count`` (one indexed update per checkout: cheaper than
aggregating the loans table at query time, and always current). Circulation code
knows nothing of search.

The initial migration calls :func:`create_search_triggers` at the end of
``upgrade()`` and :func:`drop_search_triggers` at the start of ``downgrade()``.
"""

from __future__ import annotations

from typing import Protocol

SEQUENCE = "search_change_seq"

_PG_BUMP = (
    f"UPDATE search_documents SET seq = nextval('{SEQUENCE}'), "
    "xid = pg_current_xact_id()::text::bigint"
)
_SQLITE_BUMP = (
    "UPDATE search_documents SET seq = (SELECT coalesce(max(seq), 0) + 1 FROM search_documents)"
)

_PG_ITEM_FUNCTION = f"""
CREATE OR REPLACE FUNCTION wenjin_search_item_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_PG_BUMP} WHERE bib_id = NEW.bib_id;
    ELSIF TG_OP = 'DELETE' THEN
        {_PG_BUMP} WHERE bib_id = OLD.bib_id;
    ELSIF NEW.status IS DISTINCT FROM OLD.status
       OR NEW.current_point_id IS DISTINCT FROM OLD.current_point_id
       OR NEW.item_type_id IS DISTINCT FROM OLD.item_type_id
       OR NEW.bib_id IS DISTINCT FROM OLD.bib_id THEN
        {_PG_BUMP} WHERE bib_id IN (NEW.bib_id, OLD.bib_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

_PG_LOAN_FUNCTION = f"""
CREATE OR REPLACE FUNCTION wenjin_search_loan_made() RETURNS trigger AS $$
BEGIN
    UPDATE search_documents SET loan_count = loan_count + 1, seq = nextval('{SEQUENCE}'),
        xid = pg_current_xact_id()::text::bigint
    WHERE bib_id = (SELECT bib_id FROM items WHERE id = NEW.item_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


class _Operations(Protocol):
    def execute(self, sqltext: str) -> object: ...
    def get_bind(self) -> object: ...


def _dialect(op: _Operations) -> str:
    return str(op.get_bind().dialect.name)  # type: ignore[attr-defined]


def create_search_triggers(op: _Operations) -> None:
    if _dialect(op) == "postgresql":
        op.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
        op.execute(_PG_ITEM_FUNCTION)
        op.execute(_PG_LOAN_FUNCTION)
        op.execute(
            "CREATE TRIGGER search_item_changed AFTER INSERT OR UPDATE OR DELETE ON items "
            "FOR EACH ROW EXECUTE FUNCTION wenjin_search_item_changed()"
        )
        op.execute(
            "CREATE TRIGGER search_loan_made AFTER INSERT ON loans "
            "FOR EACH ROW EXECUTE FUNCTION wenjin_search_loan_made()"
        )
        return
    op.execute(
        "CREATE TRIGGER search_item_inserted AFTER INSERT ON items "
        f"BEGIN {_SQLITE_BUMP} WHERE bib_id = NEW.bib_id; END"
    )
    op.execute(
        "CREATE TRIGGER search_item_changed "
        "AFTER UPDATE OF status, current_point_id, item_type_id, bib_id ON items "
        f"BEGIN {_SQLITE_BUMP} WHERE bib_id IN (NEW.bib_id, OLD.bib_id); END"
    )
    op.execute(
        "CREATE TRIGGER search_item_deleted AFTER DELETE ON items "
        f"BEGIN {_SQLITE_BUMP} WHERE bib_id = OLD.bib_id; END"
    )
    op.execute(
        "CREATE TRIGGER search_loan_made AFTER INSERT ON loans BEGIN "
        "UPDATE search_documents SET loan_count = loan_count + 1, "
        "seq = (SELECT coalesce(max(seq), 0) + 1 FROM search_documents) "
        "WHERE bib_id = (SELECT bib_id FROM items WHERE id = NEW.item_id); END"
    )


def drop_search_triggers(op: _Operations) -> None:
    if _dialect(op) == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS search_item_changed ON items")
        op.execute("DROP TRIGGER IF EXISTS search_loan_made ON loans")
        op.execute("DROP FUNCTION IF EXISTS wenjin_search_item_changed()")
        op.execute("DROP FUNCTION IF EXISTS wenjin_search_loan_made()")
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
        return
    for name in (
        "search_item_inserted",
        "search_item_changed",
        "search_item_deleted",
        "search_loan_made",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
