"""Reading the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from wenjin.notices.models import Notice
from wenjin.notices.states import NoticeKind, NoticeStatus
from wenjin.patrons.errors import CardNotFound
from wenjin.patrons.models import Patron, PatronCard
from wenjin.patrons.queries import normalise_card_number


@dataclass(frozen=True)
class NoticeLine:
    id: int
    kind: NoticeKind
    kind_zh: str
    patron_id: int
    patron_name: str
    status: NoticeStatus
    channel: str | None
    text_zh: str
    text_en: str
    created_at: datetime
    sent_at: datetime | None
    payload: dict[str, Any]


def _notice_filters(
    session: Session, *, status: NoticeStatus | None, card_number: str | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if status is not None:
        where.append(Notice.status == status)
    if card_number is not None:
        number = normalise_card_number(card_number)
        patron_id = session.scalar(select(PatronCard.patron_id).where(PatronCard.number == number))
        if patron_id is None:
            raise CardNotFound(number or card_number)
        where.append(Notice.patron_id == patron_id)
    return where


def count_notices(
    session: Session, *, status: NoticeStatus | None = None, card_number: str | None = None
) -> int:
    """How many notices :func:`list_notices` would list without a limit."""
    where = _notice_filters(session, status=status, card_number=card_number)
    return int(session.scalar(select(func.count(Notice.id)).where(*where)) or 0)


def list_notices(
    session: Session,
    *,
    status: NoticeStatus | None = None,
    card_number: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[NoticeLine]:
    """The newest notices first, of one status and/or one reader (by any card they held)."""
    stmt = (
        select(Notice, Patron.name)
        .join(Patron, Patron.id == Notice.patron_id)
        .where(*_notice_filters(session, status=status, card_number=card_number))
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [
        NoticeLine(
            id=notice.id,
            kind=notice.kind,
            kind_zh=notice.kind.label_zh,
            patron_id=notice.patron_id,
            patron_name=name,
            status=notice.status,
            channel=notice.channel,
            text_zh=str(notice.payload.get("zh", "")),
            text_en=str(notice.payload.get("en", "")),
            created_at=notice.created_at,
            sent_at=notice.sent_at,
            payload=notice.payload,
        )
        for notice, name in session.execute(stmt)
    ]
