"""Reading the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from wenjin.audit.models import AuditEvent

MAX_ENTRIES = 1000


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str | None
    action: str
    entity: str
    entity_id: int | None
    label: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def audit_trail(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """The newest entries first, filtered by table, row, actor and time."""
    query = _filtered(select(AuditEvent), entity, entity_id, actor, since)
    query = query.order_by(AuditEvent.id.desc()).limit(min(limit, MAX_ENTRIES)).offset(offset)
    return [
        AuditEntry(
            id=e.id,
            at=e.at,
            actor=e.actor,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            label=e.label,
            before=e.before,
            after=e.after,
        )
        for e in session.scalars(query)
    ]


def count_audit_trail(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    actor: str | None = None,
    since: datetime | None = None,
) -> int:
    query = _filtered(select(func.count(AuditEvent.id)), entity, entity_id, actor, since)
    return session.scalar(query) or 0


def _filtered(
    query: Select[Any],
    entity: str | None,
    entity_id: int | None,
    actor: str | None,
    since: datetime | None,
) -> Select[Any]:
    if entity is not None:
        query = query.where(AuditEvent.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    return query
