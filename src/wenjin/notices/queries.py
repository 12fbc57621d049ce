"""Reading the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from wenjin.holds.models import Hold
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
    session: Session,
    *,
    status: NoticeStatus | None,
    card_number: str | None,
    kind: NoticeKind | None = None,
    pickup_point_ids: set[int] | None = None,
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if status is not None:
        where.append(Notice.status == status)
    if kind is not None:
        where.append(Notice.kind == kind)
    if pickup_point_ids is not None:
        # Every notice so far is about a hold: its point is the hold's pickup point.
        where.append(
            Notice.payload["hold_id"]
            .as_integer()
            .in_(select(Hold.id).where(Hold.pickup_point_id.in_(pickup_point_ids)))
        )
    if card_number is not None:
        number = normalise_card_number(card_number)
        patron_id = session.scalar(select(PatronCard.patron_id).where(PatronCard.number == number))
        if patron_id is None:
            raise CardNotFound(number or card_number)
        where.append(Notice.patron_id == patron_id)
    return where


def count_notices(
    session: Session,
    *,
    status: NoticeStatus | None = None,
    card_number: str | None = None,
    kind: NoticeKind | None = None,
    pickup_point_ids: set[int] | None = None,
) -> int:
    """How many notices :func:`list_notices` would list without a limit."""
    where = _notice_filters(
        session,
        status=status,
        card_number=card_number,
        kind=kind,
        pickup_point_ids=pickup_point_ids,
    )
    return int(session.scalar(select(func.count(Notice.id)).where(*where)) or 0)


def list_notices(
    session: Session,
    *,
    status: NoticeStatus | None = None,
    card_number: str | None = None,
    kind: NoticeKind | None = None,
    pickup_point_ids: set[int] | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[NoticeLine]:
    """The newest notices first, of one status, one kind, one reader (by any card they held)
    and/or about holds to pick up at some points."""
    where = _notice_filters(
        session,
        status=status,
        card_number=card_number,
        kind=kind,
        pickup_point_ids=pickup_point_ids,
    )
    stmt = (
        select(Notice, Patron.name)
        .join(Patron, Patron.id == Notice.patron_id)
        .where(*where)
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
