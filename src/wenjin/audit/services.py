"""The flush hook that writes the audit trail.

Every unit of work names its actor (``UnitOfWork(engine, actor="wang.li")``: the
staff account, ``opac:<card>``, ``sip2:<login>``, ``cli:<user>``); the hook reads it
from ``session.info`` after each flush and writes one row per followed row that
was created, changed or removed, with one statement, in the same transaction.
Rows written with bulk statements (imports, the demo) are not seen here: those
jobs keep their own record (``catalog_imports``, the demo run).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from wenjin.audit.models import AuditEvent
from wenjin.audit.rules import FOLLOWED, Followed, shown
from wenjin.db.base import Base
from wenjin.db.types import utcnow

ACTOR_KEY = "actor"


def set_actor(session: Session, actor: str | None) -> None:
    """Name who acts in ``session`` from now on (the trail records it with each change)."""
    session.info[ACTOR_KEY] = actor


def _followed(obj: object) -> tuple[str, Followed] | None:
    if not isinstance(obj, Base):  # another application's tables in the same process
        return None
    table = getattr(type(obj), "__tablename__", None)
    if table is None:
        return None
    spec = FOLLOWED.get(table)
    return None if spec is None else (table, spec)


def _label(obj: object, spec: Followed) -> str | None:
    if spec.label is None:
        return None
    value = getattr(obj, spec.label, None)
    return None if value is None else str(shown(spec, spec.label, value))[:200]


_COLUMN_KEYS: dict[str, frozenset[str]] = {}


def _column_keys(cls: type[Any]) -> frozenset[str]:
    keys = _COLUMN_KEYS.get(cls.__qualname__ + "@" + cls.__module__)
    if keys is None:
        keys = frozenset(str(column.key) for column in inspect(cls).column_attrs)
        _COLUMN_KEYS[cls.__qualname__ + "@" + cls.__module__] = keys
    return keys


def _columns(obj: Any, spec: Followed) -> list[str]:
    return sorted(_column_keys(type(obj)) - spec.ignore)


def _created(obj: object, spec: Followed) -> dict[str, Any]:
    return {key: shown(spec, key, getattr(obj, key, None)) for key in _columns(obj, spec)}


def _changed(obj: Any, spec: Followed) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    columns = _column_keys(type(obj))
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in state.committed_state:  # only the attributes set since the last flush
        if key not in columns or key in spec.ignore:
            continue
        history = state.attrs[key].history
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        before[key] = shown(spec, key, old)
        after[key] = shown(spec, key, new)
    return before, after


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    if not (session.new or session.dirty or session.deleted):
        return
    rows: list[dict[str, Any]] = []
    actor = session.info.get(ACTOR_KEY)
    now = utcnow()

    def add(obj: object, spec: Followed, table: str, action: str, before: Any, after: Any) -> None:
        rows.append(
            {
                "at": now,
                "actor": actor,
                "action": action,
                "entity": table,
                "entity_id": getattr(obj, "id", None),
                "label": _label(obj, spec),
                "before": before,
                "after": after,
            }
        )

    for obj in session.new:
        found = _followed(obj)
        if found is not None:
            add(obj, found[1], found[0], "created", None, _created(obj, found[1]))
    for obj in session.dirty:
        found = _followed(obj)
        if found is None:
            continue
        before, after = _changed(obj, found[1])
        if after or before:
            add(obj, found[1], found[0], "changed", before, after)
    for obj in session.deleted:
        found = _followed(obj)
        if found is not None:
            add(obj, found[1], found[0], "removed", _created(obj, found[1]), None)
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


event.listen(Session, "after_flush", _after_flush)


def record_change(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    label: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write one entry for a change made with a bulk statement, which the flush hook
    cannot see (a record saved through the import's path); same transaction, same actor."""
    spec = FOLLOWED.get(entity, Followed())
    session.connection().execute(
        insert(AuditEvent),
        [
            {
                "at": utcnow(),
                "actor": session.info.get(ACTOR_KEY),
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "label": None if label is None else label[:200],
                "before": None
                if before is None
                else {k: shown(spec, k, v) for k, v in before.items()},
                "after": None
                if after is None
                else {k: shown(spec, k, v) for k, v in after.items()},
            }
        ],
    )
