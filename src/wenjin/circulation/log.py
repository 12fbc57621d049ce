"""The circulation log (流通日志): append-only, written in the same transaction as the change.

Every domain that changes circulation state (circulation itself, fees, holds)
records it here. Entries are never updated or deleted: the ORM refuses (see
``models.py``), and the database refuses too (triggers created by the initial
migration, see ``ddl.py``), so that a report or an audit can trust the log.

Two ways in, the same row: :func:`record_event` adds an ORM object that the unit
of work writes with everything else; :func:`append_event` writes the row at once
with one statement (the checkout and checkin hot path, see ``writes.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from wenjin.circulation.models import CirculationEvent
from wenjin.circulation.writes import insert_row
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
) -> CirculationEvent:
    """Append one entry to the log and return it (added to the session, not flushed).

    ``point`` is where it happened (a point or its id; ``None`` for changes made
    centrally, e.g. a fine waived by the finance office). ``before`` and ``after``
    hold the parts of the state that changed; dates, datetimes and enums in them
    are stored as ISO strings and values.
    """
    entry = CirculationEvent(
        **_values(action, point, actor, patron_id, item_id, loan_id, before, after, at)
    )
    session.add(entry)
    return entry


def append_event(
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
) -> int:
    """:func:`record_event`, written at once with a single INSERT; returns the entry's id."""
    return insert_row(
        session,
        CirculationEvent,
        _values(action, point, actor, patron_id, item_id, loan_id, before, after, at),
    )


def _values(
    action: str,
    point: ServicePoint | int | None,
    actor: str | None,
    patron_id: int | None,
    item_id: int | None,
    loan_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: datetime | None,
) -> dict[str, Any]:
    return {
        "at": at or utcnow(),
        "action": str(action),
        "point_id": point.id if isinstance(point, ServicePoint) else point,
        "actor": actor,
        "patron_id": patron_id,
        "item_id": item_id,
        "loan_id": loan_id,
        "before": _jsonable(before),
        "after": _jsonable(after),
    }


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
