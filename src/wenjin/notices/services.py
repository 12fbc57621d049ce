"""Queueing notices. Delivery (channels, retries) belongs to the notices issue; until then
the outbox is read with ``wenjin notices list``."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from wenjin.circulation.writes import insert_row
from wenjin.notices.models import Notice
from wenjin.notices.states import NoticeKind, NoticeStatus


def queue_notice(
    session: Session,
    *,
    kind: NoticeKind,
    patron_id: int,
    zh: str,
    en: str,
    facts: dict[str, Any],
    now: datetime,
) -> int:
    """Put one notice in the outbox (one INSERT, safe on the desk's hot path); its id."""
    return insert_row(
        session,
        Notice,
        {
            "kind": kind,
            "patron_id": patron_id,
            "channel": None,
            "payload": {"zh": zh, "en": en, **{k: _plain(v) for k, v in facts.items()}},
            "status": NoticeStatus.QUEUED,
            "created_at": now,
            "sent_at": None,
        },
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
