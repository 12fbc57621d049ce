"""The circulation log (流通日志): append-only, written in the same transaction as the change.

Every domain that changes circulation state (circulation itself, fees, holds)
records it with :func:`record_event`. Entries are never updated or deleted:
the ORM refuses here, and the database refuses too (triggers created by the
initial migration), so that a report or an audit can trust the log.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from wenjin.circulation.models import CirculationEvent, Loan
from wenjin.db.types import utcnow
from wenjin.network.models import ServicePoint


def record_event(
    session: Session,
    *,
    action: str,
    point: ServicePoint | int | None,
    actor: str | None = None,
    patron_id: int | None = None,
    item_id: int | None = None,
    loan_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
    loan: Loan | None = None,
) -> CirculationEvent:
    """Append one entry to the log and return it (added to the session, not flushed).

    ``point`` is where it happened (a point or its id; ``None`` for changes made
    centrally, e.g. a fine waived by the finance office). ``before`` and ``after``
    hold the parts of the state that changed; dates, datetimes and enums in them
    are stored as ISO strings and values. ``loan`` may be given instead of
    ``loan_id`` for a loan not yet flushed (its id is filled in on insert).
    """
    entry = CirculationEvent(
        at=at or utcnow(),
        action=str(action),
        point_id=point.id if isinstance(point, ServicePoint) else point,
        actor=actor,
        patron_id=patron_id,
        item_id=item_id,
        loan_id=loan_id if loan is None else loan.id,
        before=_jsonable(before),
        after=_jsonable(after),
    )
    if loan is not None:
        entry.loan = loan
    session.add(entry)
    return entry


def _jsonable(state: dict[str, Any] | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {key: _value(value) for key, value in state.items()}


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return value
