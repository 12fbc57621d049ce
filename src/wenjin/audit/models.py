"""The audit trail's one table, append-only like the circulation log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from wenjin.audit.errors import AuditTrailIsAppendOnly
from wenjin.db.base import Base
from wenjin.db.types import JSONType, UTCDateTime


class AuditEvent(Base):
    """One change to a record that matters (a point, a reader, a copy, an account, …):
    who, when, which row, and the columns before and after.

    Written by the flush hook in :mod:`wenjin.audit.services` in the same transaction
    as the change. Circulation has its own, richer log (``circulation_events``).
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_entity", "entity", "entity_id", "at"),
        Index("ix_audit_events_actor_at", "actor", "at"),
        Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))  # created | changed | removed
    entity: Mapped[str] = mapped_column(String(64))  # the table: "patrons", "items", …
    entity_id: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(200))  # a code, barcode, card, username
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.entity}#{self.entity_id}>"


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper: Mapper[Any], _connection: Any, _target: AuditEvent) -> None:
    raise AuditTrailIsAppendOnly()


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(_mapper: Mapper[Any], _connection: Any, _target: AuditEvent) -> None:
    raise AuditTrailIsAppendOnly()
